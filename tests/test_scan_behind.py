"""A cold build's file summaries made by a child beside the load (qasite.build.scan_behind).

They must equal ``changes.scan``'s, and a file changed since the build started must be summarised as unknown: the
child may read it after the load did, and a summary of its newer bytes would hide the edit from the next build.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from conftest import ROOT
from qasite.build import scan_behind
from qasite.build.changes import changes, scan

ANSWERS = "questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/answers"


def aged_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    time.sleep(2 * scan_behind.SLACK_NS / 1e9)  # every file changed before the build starts, beyond the slack
    return content


def test_the_summaries_made_behind_are_the_scan(tmp_path: Path) -> None:
    content = aged_site(tmp_path)
    files = scan_behind.start(content, {})
    assert isinstance(files, scan_behind.Behind) and files.child is not None  # made by a child
    settled = scan_behind.settle(files)
    assert settled == scan(content, {})
    assert scan_behind.UNKNOWN not in settled.values()
    assert scan_behind.settle(settled) is settled  # a plain dict: as it is


def test_a_file_changed_during_the_build_is_unknown_and_counts_changed_next_time(tmp_path: Path) -> None:
    content = aged_site(tmp_path)
    since = time.time_ns()  # the build starts; the load reads the answer, then it is edited, then the child reads it
    answer = sorted((content / ANSWERS).glob("*.md"))[0]
    answer.write_text(answer.read_text(encoding="utf-8") + "\nSaved during the build.\n", encoding="utf-8")
    summarised = scan_behind.summaries(content, since)
    name = f"content/{answer.relative_to(content).as_posix()}"
    assert summarised[name] is scan_behind.UNKNOWN
    assert [state for key, state in summarised.items() if key != name] == [
        state for key, state in scan(content, {}).items() if key != name
    ]
    assert changes(summarised, scan(content, summarised)) == [(name, None, None)]  # the next build sees the edit


def test_a_child_never_settled_is_stopped(tmp_path: Path) -> None:
    content = aged_site(tmp_path)
    files = scan_behind.start(content, {})
    child = files.child
    assert child is not None
    pid = child._pid
    del files  # the build stopped before its snapshot: the child is not left running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError(f"child {pid} still there")
