"""A cold build's file summaries made by a child beside the load (qasite.build.scan_behind).

They must equal ``changes.scan``'s, and a summary is kept only for a file whose identity (inode, size, mtime, ctime)
is the one the load's scan found: the child may read a file after the load did, and a summary of its newer bytes
would hide the edit from the next build. No clock decides: a file written just before the build starts (a test that
copies a site, then builds) is summarised as any other.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

from test_incremental import settings_for

from conftest import ROOT
from qasite.build import scan_behind
from qasite.build.cache import Cache
from qasite.build.changes import changes, scan
from qasite.build.incremental import NAMESPACE
from qasite.build.pipeline import build
from qasite.content.loader import LOADED, Loaded, load_site


def fresh_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)  # every file written just now: the build starts right after
    return content


def loaded(content: Path) -> dict[str, Any]:
    """The settings' hand-over of a real load of ``content`` (its scan, then its reads), as the build makes it."""
    site, problems = load_site(content)
    return {LOADED: Loaded(content=content, site=site, problems=problems)}


def answers(content: Path) -> list[Path]:
    return sorted((content / "questions").glob("*/answers/*.md"))


def name_of(path: Path, content: Path) -> str:
    return f"content/{path.relative_to(content).as_posix()}"


def test_the_summaries_made_behind_are_the_scan_even_of_files_written_just_before(tmp_path: Path) -> None:
    content = fresh_site(tmp_path)
    files = scan_behind.start(content, {})
    assert isinstance(files, scan_behind.Behind) and files.child is not None  # made by a child
    settled = scan_behind.settle(files, loaded(content))
    assert settled == scan(content, {})
    assert scan_behind.UNKNOWN not in settled.values()
    assert scan_behind.settle(settled, {}) is settled  # a plain dict: as it is


def test_a_cold_build_right_after_the_content_was_written_keeps_every_files_summary(tmp_path: Path) -> None:
    """The case the ctime rule failed (every file changed less than 50 ms before the build counted unknown)."""
    content, output = fresh_site(tmp_path), tmp_path / "output"
    settings = settings_for(tmp_path, output)
    build(settings=settings)
    snapshot = Cache.for_settings(settings).get(namespace=NAMESPACE, key=str(output.resolve()))  # waits for it
    assert snapshot is not None
    assert snapshot.files == scan(content, {})


def test_a_file_changed_after_the_loads_scan_is_unknown_and_counts_changed_next_time(tmp_path: Path) -> None:
    content = fresh_site(tmp_path)
    handed = loaded(content)  # the load scanned and read every file; then two are changed, then the child reads
    edited, replaced = answers(content)[:2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nSaved during the build.\n", encoding="utf-8")
    was = replaced.stat()  # replaced by a copy of the same size and mtime: only its inode and ctime tell
    copy = replaced.with_suffix(".tmp")
    copy.write_bytes(replaced.read_bytes().replace(b"e", b"a", 1))
    os.utime(copy, ns=(was.st_atime_ns, was.st_mtime_ns))
    os.replace(copy, replaced)
    settled = scan_behind.settle(scan_behind.Behind(content, None), handed)  # read after the load, as the child may
    names = [name_of(edited, content), name_of(replaced, content)]
    assert [settled[name] for name in names] == [scan_behind.UNKNOWN] * 2
    assert {k: v for k, v in settled.items() if k not in names} == {
        k: v for k, v in scan(content, {}).items() if k not in names
    }
    assert changes(settled, scan(content, settled)) == [(name, None, None) for name in sorted(names)]  # seen next


def test_files_gone_or_added_after_the_loads_scan_are_unknown_and_count_changed_next_time(tmp_path: Path) -> None:
    content = fresh_site(tmp_path)
    handed = loaded(content)
    gone, other = answers(content)[:2]
    added = gone.with_name("added-during-the-build.md")
    shutil.copy(other, added)
    gone.unlink()
    settled = scan_behind.settle(scan_behind.Behind(content, None), handed)
    names = sorted([name_of(gone, content), name_of(added, content)])
    assert [settled[name] for name in names] == [scan_behind.UNKNOWN] * 2  # the load built the one, not the other
    assert changes(settled, scan(content, settled)) == [(name, None, None) for name in names]


def test_a_file_changed_while_the_child_reads_keeps_no_identity(tmp_path: Path) -> None:
    content = fresh_site(tmp_path)
    identities: dict[str, tuple[int, int, int, int]] = {}
    scan(content, {}, identities=identities)  # the child's walk and reads
    answer = answers(content)[0]
    answer.write_text(answer.read_text(encoding="utf-8") + "\nSaved meanwhile.\n", encoding="utf-8")
    kept = scan_behind.stable(content, dict(identities))
    assert kept == {k: v for k, v in identities.items() if k != name_of(answer, content)} != identities


def test_without_a_child_the_files_are_summarised_before_the_load(tmp_path: Path) -> None:
    content = fresh_site(tmp_path)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()  # forking is unsafe with another thread running
    try:
        files = scan_behind.start(content, {})
    finally:
        stop.set()
        thread.join()
    assert not isinstance(files, scan_behind.Behind) and files == scan(content, {})


def test_a_child_never_settled_is_stopped(tmp_path: Path) -> None:
    content = fresh_site(tmp_path)
    files = scan_behind.start(content, {})
    assert isinstance(files, scan_behind.Behind)
    child = files.child
    assert child is not None
    pid = child._pid
    del files  # the build stopped before its snapshot: the child is not left running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError(f"child {pid} still there")
