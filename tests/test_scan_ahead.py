"""The confined scan from a listing a child made ahead (qasite.content.scan_ahead) equals the scan on its own.

``invoke build`` forks a child that lists ``content/`` while it unpickles its snapshot; the load's ``confine.scan``
then takes that listing instead of calling ``scandir`` and ``lstat`` itself. Every rule stays in the scan: these
tests compare the two scans (tree, identities, changes, problems) on the demo site with a symbolic link, a hard
link, a named pipe and a nested folder added, before and after an edit, and check that a listing is used once,
and never after it was dropped.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from conftest import ROOT
from qasite.content import scan_ahead
from qasite.content.confine import Tree, scan

ANSWERS = "questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/answers"


def odd_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    answer = sorted((content / ANSWERS).glob("*.md"))[0]
    (content / "questions" / "linked.md").symlink_to(answer)
    os.link(answer, content / "pages" / "hard-linked.md")
    os.mkfifo(content / "pages" / "a-pipe")
    (content / "questions" / "deep" / "deeper").mkdir(parents=True)
    (content / "questions" / "deep" / "deeper" / "note.md").write_text("---\ntitle: x\n---\n")
    return content


def state(tree: Tree) -> tuple[object, ...]:
    folders = {str(k): [str(p) for p in v] for k, v in tree.folders.items()}
    identities = {str(k): v for k, v in tree.identities.items()}
    files, refused = sorted(map(str, tree.files)), sorted(map(str, tree.refused))
    return folders, files, refused, identities, tree.troubled, tree.changed


def both(content: Path, before: Tree | None) -> tuple[tuple[object, ...], tuple[object, ...]]:
    def rel(path: Path) -> str:
        return path.relative_to(content.parent).as_posix()

    alone, alone_problems = scan(content, rel, before)
    scan_ahead.start(content, True)
    ahead, ahead_problems = scan(content, rel, before)
    assert scan_ahead.take(content) is None  # used once
    return (state(alone), sorted(alone_problems)), (state(ahead), sorted(ahead_problems))


def test_the_scan_from_a_listing_made_ahead_is_the_scan(tmp_path: Path) -> None:
    content = odd_site(tmp_path)
    alone, ahead = both(content, None)
    assert alone == ahead
    problems = alone[1]
    assert len(problems) == 4, problems  # the link, both names of the hard link, the pipe: refused, with their messages
    kept, _ = scan(content, str, Tree(content))
    answer = next(p for p in sorted(content.glob("questions/*/answers/*.md")) if ANSWERS not in str(p))  # not linked
    answer.write_text(answer.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    (content / "questions" / "deep" / "new.md").write_text("---\ntitle: y\n---\n")
    alone, ahead = both(content, kept)
    assert alone == ahead
    changed = alone[0][-1]
    assert answer in changed and content / "questions" / "deep" / "new.md" in changed, changed


def test_a_listing_dropped_or_of_another_folder_is_not_used(tmp_path: Path) -> None:
    content = odd_site(tmp_path)
    kept, _ = scan(content, str, Tree(content))
    scan_ahead.start(content, True)
    time.sleep(0.5)  # the child has likely listed the folder before the edit: a stale listing if it were used
    answer = next(p for p in sorted(content.glob("questions/*/answers/*.md")) if ANSWERS not in str(p))
    answer.write_text(answer.read_text(encoding="utf-8") + "\nEdited after the listing.\n", encoding="utf-8")
    scan_ahead.drop(content)  # the build ended before its scan
    again, _ = scan(content, str, kept)
    assert answer in again.changed
    scan_ahead.start(content, False)  # not wanted (the preview): nothing listed
    assert scan_ahead.take(content) is None
    scan_ahead.start(content / "questions", True)
    try:
        other, _ = scan(content, str, kept)  # another root: its own calls
        assert answer in other.changed
    finally:
        scan_ahead.drop(content / "questions")
