"""``check``'s forked workers take the Markdown files one results part at a time and send each part back pickled
once; the store writes a part as those very bytes only when it holds exactly the part's files with their digests
(``content/prepare_cache.py``). On a site big enough for two workers: a cold check in two processes reports what
one process does; every results entry it writes holds exactly its part's files, with the digests of the digests
entry, so the next check takes every file from the cache; and so after many files changed beside unchanged ones of
the same parts (those parts are written again whole, not as the workers sent them)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_site
from qasite.build.cache import Cache
from qasite.build.outputdir import build_lock
from qasite.build.pipeline import build, load_content, load_settings
from qasite.content.prepare import Prepared
from qasite.content.prepare_cache import BUILD_NAMESPACES, DIGESTS, PARTS, RESULTS, part_of, results_of

ANSWERS = "content/questions/how-do-i-stop-worrying-at-night/answers"
ETHICAL = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
SOURCE = f"{ETHICAL}/answers/2023-07-03-sam-rivera.md"
COUNT = 450  # Markdown files enough for two workers (parallel.MIN_ITEMS_PER_PROCESS each)


def grown_site(target: Path, processes: int) -> Path:
    """The fixture site with ``COUNT`` more answers, checked in ``processes`` processes; its settings file."""
    conf = copy_site(target)
    with conf.open("a") as settings:
        settings.write(f"QA_RENDER_PROCESSES = {processes}\n")
    text = (target / SOURCE).read_text(encoding="utf-8")
    (target / ANSWERS).mkdir()
    for n in range(COUNT):
        day = f"2024-02-{n % 28 + 1:02d}"
        answer = text.replace("date: 2023-07-03", f"date: {day}").replace("votes: 9", f"votes: {n % 7}")
        (target / ANSWERS / f"{day}-sam-rivera-{n}.md").write_text(answer, encoding="utf-8")
    return conf


def check(conf: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``check`` in a new process, as an editor runs it: one with no thread alive, so it forks its workers (this
    process may have threads of other tests: a server, Playwright's)."""
    command = [sys.executable, "-m", "qasite", "check", "--settings", str(conf)]
    env = {**os.environ, "QASITE_PROGRESS": "off", "PYTHONPATH": str(ROOT / "plugins")}
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return run.returncode, run.stderr


def assert_entries_whole(conf: Path, namespaces: tuple[str, str] = (RESULTS, DIGESTS)) -> None:
    """Every results entry holds only files of one part, together exactly the digests entry's files and digests."""
    folder = Cache.for_settings(load_settings(conf)).folder
    (digests_file,) = (folder / namespaces[1]).iterdir()
    digests = pickle.loads(digests_file.read_bytes())
    held: dict[str, bytes] = {}
    for entry in (folder / namespaces[0]).iterdir():
        results = results_of(pickle.loads(entry.read_bytes()), Prepared)
        assert results, entry
        assert len({part_of(rel) for rel in results}) == 1
        held.update((rel, digest) for rel, (digest, _) in results.items())
    assert held == digests


def cached(conf: Path) -> tuple[int, int]:
    """(files taken from the cache, Markdown files) of a load as ``check`` does it."""
    site = load_content(settings=load_settings(conf), render=False).site
    content = conf.parent / "content"
    return site.stats.cached, sum(1 for _ in content.rglob("*.md"))


def test_two_workers_report_and_cache_what_one_process_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one, two = grown_site(tmp_path / "one" / "site", 1), grown_site(tmp_path / "two" / "site", 2)
    alone = check(one, capsys)
    assert check(two, capsys) == alone
    assert_entries_whole(two)
    taken, files = cached(two)
    assert taken == files > COUNT
    assert check(two, capsys) == alone  # replayed


def test_many_files_changed_beside_unchanged_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = grown_site(tmp_path / "site", 2)
    check(conf, capsys)
    answers = sorted((conf.parent / ANSWERS).glob("*-sam-rivera-*.md"))
    for answer in answers[: COUNT - 20]:  # enough for two workers; every part keeps some unchanged files
        answer.write_text(answer.read_text(encoding="utf-8").replace("votes:", "votes: x"), encoding="utf-8")
    changed = check(conf, capsys)
    assert changed[0] == 1 and "votes" in changed[1]
    assert_entries_whole(conf)
    taken, files = cached(conf)
    assert taken == files
    shutil.rmtree(Cache.for_settings(load_settings(conf)).folder)
    assert check(conf, capsys) == changed  # cold


def test_a_build_in_two_workers_keeps_its_results_whole_too(tmp_path: Path) -> None:
    """An incremental ``invoke build`` (a new process) with many files changed, in two workers: its load (bodies
    rendered, not parsed: entries of its own) gives the same site as a full build of that content, and its results
    entries hold exactly their parts' files (the workers' bytes are not kept: the cache is written after it)."""
    conf = grown_site(tmp_path / "site", 2)
    with conf.open("a") as settings:
        settings.write("QA_SEARCH = False\n")
    command = [sys.executable, "-m", "qasite", "build", "--settings", str(conf), "--output", str(tmp_path / "out")]
    env = {**os.environ, "QASITE_PROGRESS": "off", "PYTHONPATH": str(ROOT / "plugins")}
    subprocess.run(command, check=True, env=env, capture_output=True)
    for answer in sorted((conf.parent / ANSWERS).glob("*-sam-rivera-*.md"))[: COUNT - 20]:
        answer.write_text(answer.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    subprocess.run(command, check=True, env=env, capture_output=True)
    with build_lock(tmp_path / "out"):  # held by the process writing the build's cache until it is written
        assert_entries_whole(conf, BUILD_NAMESPACES)
    full = {"OUTPUT_PATH": str(tmp_path / "full"), "QA_CACHE_PATH": str(tmp_path / "other")}
    assert same_files(tmp_path / "out", build(settings=load_settings(conf, full)))


def same_files(first: Path, second: Path) -> bool:
    def files(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    return files(first) == files(second)


def test_a_questions_files_share_one_part() -> None:
    """A question's index.md and answers are in one results part (a worker then opens their folder once), whatever
    the content folder is called; the question folders spread over every part."""
    for content in ("content", "site-content"):
        for n in range(200):
            folder = f"{content}/questions/question-{n}"
            own = {part_of(f"{folder}/index.md"), part_of(f"{folder}/answers/2024-01-0{n % 9 + 1}-sam-rivera.md")}
            assert own == {part_of(f"{folder}/answers/anonymous-{n}.md")}
    assert {part_of(f"content/questions/question-{n}/index.md") for n in range(200)} == set(range(PARTS))
    assert len({part_of(f"content/pages/page-{n}.md") for n in range(200)}) == PARTS
