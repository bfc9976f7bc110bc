"""``check`` keeps its per-file work in the build cache (``content/prepare.py``): a cached check reports exactly what
a cold one does (every message, its order, the exit code) on every invalid and warning fixture and on one site
holding every kind of problem; a changed file is checked again (a stale cache never hides a problem); a damaged
cache, or one written for other settings, is ignored."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from test_check_without_rendering import INVALID, WARNINGS, overlay
from test_check_without_rendering import test_every_kind_of_problem_at_once as every_kind

from conftest import FIXTURES
from qasite.build.cache import Cache
from qasite.build.pipeline import load_content, load_settings, run_cli
from qasite.content.prepare import kind_of

QUESTION = Path("content/questions/is-group-therapy-worth-it/index.md")


def cache_folder(site: Path) -> Path:
    return Cache.for_settings(load_settings(site / "pelicanconf.py")).folder


def markdown_files(site: Path) -> int:
    """The Markdown files whose per-file work ``check`` prepares (and caches)."""
    content = site / "content"
    return sum(1 for path in content.rglob("*.md") if kind_of(content, path) and path.is_file())


def cached_files(site: Path) -> int:
    """How many Markdown files a check of ``site`` takes from the cache."""
    return load_content(settings=load_settings(site / "pelicanconf.py"), render=False).site.stats.cached


@pytest.mark.parametrize(("kind", "case"), [("invalid", c) for c in INVALID] + [("warnings", c) for c in WARNINGS])
def test_a_cached_check_reports_what_a_cold_one_does(kind: str, case: str, site_dir: Path, run_command) -> None:
    overlay(site_dir, kind, case)
    shutil.rmtree(cache_folder(site_dir), ignore_errors=True)
    cold = run_command("check")
    assert cache_folder(site_dir).is_dir()
    cached = run_command("check")
    assert cached == cold
    assert cold[1]  # each fixture has something to report


def test_every_kind_of_problem_cached(site_dir: Path, run_command) -> None:
    every_kind(site_dir)  # writes the site with every kind of problem and checks it (cold: a fresh cache)
    cold = run_command("check")
    assert cached_files(site_dir) == markdown_files(site_dir)
    assert run_command("check") == cold
    for kind in ("nested too deeply", "possible duplicate", "e-mail address", "YAML", "UTF-8", "unknown"):
        assert kind in cold[1]


def test_a_changed_file_is_checked_again(site_dir: Path, run_command) -> None:
    clean = run_command("check")
    assert clean[0] == 0
    question = site_dir / QUESTION
    text = question.read_text(encoding="utf-8")
    before = question.stat()
    # the same size and modification time: only the content tells the change
    question.write_text(text.replace("votes: ", "votes: x", 1).replace("\n\n", "\n", 1), encoding="utf-8")
    assert question.stat().st_size == before.st_size
    os.utime(question, ns=(before.st_atime_ns, before.st_mtime_ns))
    broken = run_command("check")
    assert broken[0] == 1
    assert f"{QUESTION}:" in broken[1] and "votes" in broken[1]
    assert cached_files(site_dir) == markdown_files(site_dir)  # the changed file's new result is cached too
    question.write_text(text, encoding="utf-8")
    assert run_command("check") == clean


def test_a_damaged_cache_is_ignored(site_dir: Path, run_command) -> None:
    overlay(site_dir, "invalid", "broken-link")
    cold = run_command("check")
    entries = list(cache_folder(site_dir).rglob("*.pickle"))
    assert entries
    for damage in (b"not a pickle", pickle.dumps({"content/questions": ("x", None)}), pickle.dumps([1, 2])):
        for entry in entries:
            entry.write_bytes(damage)
        assert cached_files(site_dir) == 0
        assert run_command("check") == cold
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:100])  # cut short
    assert run_command("check") == cold
    assert cached_files(site_dir) == markdown_files(site_dir)
    for entry in cache_folder(site_dir).glob("check-files/*.pickle"):  # the results alone, not the digests
        entry.write_bytes(pickle.dumps({}))
    assert cached_files(site_dir) == 0
    assert run_command("check") == cold


def test_a_cache_for_other_settings_is_ignored(site_dir: Path, run_command) -> None:
    overlay(site_dir, "warnings", sorted(WARNINGS)[0])
    cold = run_command("check")
    first = cache_folder(site_dir)
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text() + "QA_DUPLICATE_THRESHOLD = 0.99\n")
    assert cache_folder(site_dir) != first
    assert cached_files(site_dir) == 0
    other = run_command("check")
    assert cached_files(site_dir) == markdown_files(site_dir)
    conf.write_text(conf.read_text().replace("QA_DUPLICATE_THRESHOLD = 0.99\n", ""))
    assert run_command("check") == cold
    assert other[0] == cold[0]


def test_fixture_lists_are_not_empty() -> None:
    assert INVALID and WARNINGS and (FIXTURES / "site").is_dir()


def test_duplicates_follow_a_change_of_wording(site_dir: Path, run_command) -> None:
    overlay(site_dir, "warnings", "possible-duplicate")
    cold = run_command("check")
    assert "possible duplicate" in cold[1]
    assert run_command("check") == cold  # the pairs from the cache
    question = site_dir / "content/questions/how-can-i-stop-worrying-at-night/index.md"
    text = question.read_text(encoding="utf-8")
    head = text.split("\n---\n", 1)[0]
    question.write_text(
        f"{head}\n---\nMy sister borrowed my bicycle and never returned it, what now?\n", encoding="utf-8"
    )
    changed = run_command("check")[1]  # the title alone is still alike: less similar
    assert "(similarity 0.86)" in cold[1] and "(similarity 0.86)" not in changed
    question.write_text(text, encoding="utf-8")
    assert run_command("check") == cold
    for entry in cache_folder(site_dir).glob("duplicate-pairs/*.pickle"):
        entry.write_bytes(pickle.dumps(("not the digest", [(0, 99, 1.0)])))
    assert run_command("check") == cold


def test_a_cache_that_cannot_be_written_changes_nothing(
    site_dir: Path, run_command, capsys: pytest.CaptureFixture[str]
) -> None:
    overlay(site_dir, "warnings", "possible-duplicate")
    conf = site_dir / "pelicanconf.py"
    cold = run_command("check")
    strict = run_cli("check", conf, strict=True), capsys.readouterr().err
    assert strict[0] == 1 and "possible duplicate" in strict[1]  # a strict check fails on the warning
    blocker = site_dir.parent / "not-a-folder"
    blocker.write_text("a file where the cache would go\n", encoding="utf-8")
    conf.write_text(conf.read_text() + f"QA_CACHE_PATH = {str(blocker / 'cache')!r}\n")
    assert run_command("check") == cold
    assert (run_cli("check", conf, strict=True), capsys.readouterr().err) == strict
    assert blocker.read_text(encoding="utf-8") == "a file where the cache would go\n"


def test_text_warnings_kept_per_file_follow_the_file_and_the_lists(site_dir: Path, run_command) -> None:
    """Each file's privacy and safe-messaging warnings come from the cache while its bytes and the lists are the
    same: after editing another file, after editing the file, and after the allowlist and phrase list change, the
    report is a cold check's."""
    answer = sorted((site_dir / "content/questions").glob("*/answers/*.md"))[0]
    answer.write_text(
        answer.read_text(encoding="utf-8") + "\nCall me on 020 7946 0018 or write to sam.rivera@gmail.com.\n",
        encoding="utf-8",
    )

    def cold() -> tuple[int, str]:
        shutil.rmtree(cache_folder(site_dir), ignore_errors=True)
        return run_command("check")

    first = cold()
    assert "phone number" in first[1] and "e-mail address" in first[1]
    other = site_dir / QUESTION
    other.write_text(other.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert run_command("check") == first  # this answer's warnings from the cache
    answer.write_text(answer.read_text(encoding="utf-8").replace(" or write to sam.rivera@gmail.com", ""))
    edited = run_command("check")
    assert "e-mail address" not in edited[1] and "phone number" in edited[1]
    (site_dir / "content/privacy-allow.yml").write_text(
        '"020 7946 0018":\n  reason: our office line\n', encoding="utf-8"
    )
    allowed = run_command("check")
    assert "phone number" not in allowed[1]
    (site_dir / "content/safe-messaging.yml").write_text(
        "one more sentence:\n  instead: a sentence\n", encoding="utf-8"
    )
    phrased = run_command("check")
    assert '"One more sentence"' in phrased[1]
    assert phrased == cold()
