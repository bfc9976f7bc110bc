"""A cold ``check`` forks its prepare workers during the scan and sends each results part once walked
(``content/prepare_early.py``, ``content/scan_parts.py``).

The walk question folders last, one part at a time, makes the same tree and problems as the plain scan (links, hard
links, special files and nested folders included); a part is handed over only once every one of its files is
known, every kept file is handed exactly once, and the parts are handed while the scan goes on (not all at the end).
End to end, on a site big enough for two workers: a cold check forks them during the scan, sends the parts before
the scan ends, prepares every Markdown file there, and reports and caches what a check in one process does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from test_prepare_parts import assert_entries_whole

from conftest import ROOT, copy_site
from qasite.content import confine
from qasite.content.prepare_cache import PARTS, part_of
from qasite.content.scan_parts import PartWalk

sys.path.insert(0, str(ROOT / "bench"))

import generate


def generated(content: Path, questions: int) -> Path:
    """A generated site's content folder (``bench/generate.py``) with ``questions`` questions."""
    generate.write_ours(generate.make_site(questions), content)
    return content


def with_odd_entries(content: Path) -> None:
    """Entries the scan refuses or walks deeper, inside question folders and beside them."""
    first, second = sorted((content / "questions").iterdir())[:2]
    answers = first / "answers"
    answer = sorted(answers.iterdir())[0]
    (answers / "linked.md").symlink_to(answer)
    os.link(second / "index.md", second / "twin.md")  # a hard link: both names refused
    os.mkfifo(first / "pipe.md")
    (first / "extra").mkdir()
    (first / "extra" / "note.md").write_text("---\ntitle: x\n---\nA note.\n", encoding="utf-8")
    (content / "questions" / "stray.md").write_text("A file beside the question folders.\n", encoding="utf-8")
    (content / "pages" / "folder-link").symlink_to(first)


def rel_of(content: Path) -> Callable[[Path], str]:
    """The Reader's ``rel``: a path as the editor sees it."""
    base = len(str(content.parent)) + 1
    return lambda path: str(path)[base:]


def test_the_walk_makes_the_same_tree_and_hands_each_part_only_once_complete(tmp_path: Path) -> None:
    content = generated(tmp_path / "content", 60)
    with_odd_entries(content)
    rel = rel_of(content)
    plain, plain_problems = confine.scan(content, rel)
    calls: list[tuple[list[Path], int]] = []
    walk = PartWalk(content, rel, lambda paths, complete: calls.append((list(paths), complete)))
    tree, problems = confine.scan(content, rel, None, walk)
    walk.finish()
    assert tree.folders == plain.folders and tree.files == plain.files and tree.refused == plain.refused
    assert tree.identities == plain.identities and sorted(problems) == sorted(plain_problems)
    assert len(problems) == 5  # the two links, the two names of the hard link, the pipe
    handed: list[Path] = []
    for paths, complete in calls:
        handed += paths
        whole = {path for path in tree.files if part_of(rel(path)) < complete}
        assert whole <= set(handed), f"a part handed over before the scan kept all its files (complete={complete})"
    assert sorted(handed) == sorted(tree.files) and len(handed) == len(set(handed))
    assert [complete for _, complete in calls] == list(range(PARTS + 1))
    during = [paths for paths, complete in calls if 0 < complete < PARTS and paths]
    assert len(during) >= PARTS // 2, "the question folders' files were not handed part by part during the scan"


def test_a_walk_without_question_folders_hands_everything_at_the_end(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text("---\ntitle: About\n---\nText.\n", encoding="utf-8")
    calls: list[tuple[list[Path], int]] = []
    walk = PartWalk(content, rel_of(content), lambda paths, complete: calls.append((list(paths), complete)))
    tree, _ = confine.scan(content, rel_of(content), None, walk)
    walk.finish()
    assert calls == [([content / "pages" / "about.md"], PARTS)] and tree.files == {content / "pages" / "about.md"}


PROBE = """
import json, sys
from qasite.build.pipeline import load_content, load_settings
from qasite.content import prepare, prepare_early
seen = []
collect = prepare_early.Early.collect
def watched(self, files, *args, **kwargs):
    seen.append({"sent": len(self.sent), "before_end": self.before_end, "files": len(files)})
    return collect(self, files, *args, **kwargs)
prepare_early.Early.collect = watched
site = load_content(settings=load_settings(sys.argv[1]), render=False).site
print(json.dumps({"early": seen, "anew": len(prepare.ANEW)}))
"""


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QASITE_PROGRESS": "off", "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)


def big_site(target: Path, processes: int) -> Path:
    """The fixture site's settings over a generated content folder of 420 questions (two workers: 400 or more)."""
    conf = copy_site(target)
    shutil.rmtree(target / "content")
    generated(target / "content", 420)
    with conf.open("a") as settings:
        settings.write(f"QA_RENDER_PROCESSES = {processes}\n")
    return conf


def test_a_cold_check_prepares_every_part_in_workers_forked_during_the_scan(tmp_path: Path) -> None:
    one, two = big_site(tmp_path / "one" / "site", 1), big_site(tmp_path / "two" / "site", 2)
    probe = _run(["-c", PROBE, str(two)])
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout.splitlines()[-1])
    markdown = sum(1 for _ in (two.parent / "content").rglob("*.md"))
    (early,) = found["early"]
    assert early["files"] == markdown == found["anew"]  # every file prepared by the early workers
    assert early["sent"] == PARTS and early["before_end"] == PARTS - 1  # the last one once the scan returned
    shutil.rmtree(two.parent.parent / "qasite-cache")
    check = ["-m", "qasite", "check", "--settings"]
    alone, both = _run([*check, str(one)]), _run([*check, str(two)])
    assert (both.returncode, both.stdout, both.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert "Traceback" not in both.stderr
    assert_entries_whole(two)
    caches = [conf.parent.parent / "qasite-cache" for conf in (one, two)]
    parts = [sorted(entry.read_bytes() for entry in cache.rglob("check-files/*")) for cache in caches]
    assert parts[0] == parts[1] and len(parts[1]) == PARTS  # the parts' bytes, as one process writes them
