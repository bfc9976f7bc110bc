"""A cold build's file summaries made by a child beside the load (qasite.build.scan_behind).

They must equal ``changes.scan``'s, and a summary is kept only for a file whose identity (inode, size, mtime, ctime)
is the one the load's scan found: the child may read a file after the load did, and a summary of its newer bytes
would hide the edit from the next build. No clock decides: a file written just before the build starts (a test that
copies a site, then builds) is summarised as any other.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from conftest import REPO_TODAY, ROOT
from qasite.build import scan_behind
from qasite.build.changes import changes, scan
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


# The cases that need a child, in a fresh interpreter: a test session's threads (the browser fixture's) would make
# ``parallel.forked`` refuse to fork, and the files would be scanned before the load instead.
FRESH = """
import json, os, shutil, sys, threading
from pathlib import Path
os.environ["QASITE_PROGRESS"] = "off"
from qasite.build import scan_behind
from qasite.build.cache import Cache
from qasite.build.changes import scan
from qasite.build.incremental import NAMESPACE
from qasite.build.pipeline import build, load_settings
from qasite.content.loader import LOADED, Loaded, load_site
root, case, site = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
content = site / "content"
shutil.copytree(root / "content", content)  # every file written just now: the build starts right after
found = {"threads": threading.active_count()}
if case == "settled":
    files = scan_behind.start(content, {})
    found["child"] = isinstance(files, scan_behind.Behind) and files.child is not None
    site_, problems = load_site(content)  # the load: its scan, then its reads
    settled = scan_behind.settle(files, {LOADED: Loaded(content=content, site=site_, problems=problems)})
    found["scan"] = settled == scan(content, {})
elif case == "built":  # the case the ctime rule failed: every file changed less than 50 ms before the build
    output = site / "output"
    overrides = {"PATH": str(content), "OUTPUT_PATH": str(output), "QA_CACHE_PATH": str(site / "cache")}
    settings = load_settings(root / "pelicanconf.py", {**overrides, "QA_TODAY": sys.argv[4], "QA_SEARCH": False})
    build(settings=settings)
    snapshot = Cache.for_settings(settings).get(namespace=NAMESPACE, key=str(output.resolve()))  # waits for it
    found["scan"] = snapshot is not None and snapshot.files == scan(content, {})
else:  # a build that stops before its snapshot
    files = scan_behind.start(content, {})
    pid = files.child._pid
    del files
    try:
        os.kill(pid, 0)
        found["gone"] = False
    except ProcessLookupError:
        found["gone"] = True
print(json.dumps(found))
"""


def fresh(case: str, site: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [sys.executable, "-c", FRESH, str(ROOT), case, str(site), REPO_TODAY]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_summaries_made_behind_are_the_scan_even_of_files_written_just_before(tmp_path: Path) -> None:
    assert fresh("settled", tmp_path) == {"threads": 1, "child": True, "scan": True}


def test_a_cold_build_right_after_the_content_was_written_keeps_every_files_summary(tmp_path: Path) -> None:
    assert fresh("built", tmp_path) == {"threads": 1, "scan": True}


def test_a_child_never_settled_is_stopped(tmp_path: Path) -> None:
    assert fresh("stopped", tmp_path) == {"threads": 1, "gone": True}


def test_a_plain_dict_is_settled_as_it_is(tmp_path: Path) -> None:
    files = scan(fresh_site(tmp_path), {})
    assert scan_behind.settle(files, {}) is files


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
