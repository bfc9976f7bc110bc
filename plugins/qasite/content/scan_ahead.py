"""The listing ``confine.scan`` needs (each folder's entries, sorted, and each file's status), made ahead in a child.

``invoke build`` after one edit spends ~1 s of its main process unpickling the last build's snapshot and kept
load before its load scans ``content/``: ~38,000 entries at 10,000 questions, ~0.4 CPU-s, most of it the
``scandir`` and ``lstat`` calls. ``build/incremental`` forks a child (``parallel.forked``) that lists the folder
meanwhile (``listing``, forked by ``start``); the next ``confine.scan`` of that folder (``take``) uses
it instead of those calls, and makes the same tree, problems and changes from it: every rule (links, hard links,
special files, folders that cannot be read) stays in ``scan``. Only what the child could list is used: a folder
it could not read, or a file it could not stat, is read again by the scan itself (which reports why).

The listing is as old as the child's walk, a second or so before the scan would have made it: an edit saved in
between is seen by the next build (its file's identity then differs from the one kept), as an edit saved just
after the scan always was.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import NamedTuple, Protocol


class Status(NamedTuple):
    """What ``confine.scan`` reads of a file's ``lstat``."""

    st_mode: int
    st_nlink: int
    st_ino: int
    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int


# Each folder (its path as str(Path)): its entries sorted by name, each (name, a real folder?, its status as a tuple
# of ``Status``'s fields, or None: a folder, or a file the child could not stat).
Listed = dict[str, list[tuple[str, bool, tuple[int, ...] | None]]]


class Child(Protocol):
    """``parallel.Forked``: the child's result (None: it failed), or the child stopped."""

    def result(self) -> Listed | None: ...

    def cancel(self) -> None: ...


_AHEAD: dict[str, Child] = {}  # the child listing each folder for its next scan


def listing(root: Path) -> Listed:
    """Every folder under ``root`` (not following links) as ``confine.scan`` walks them: run in the child."""
    listed: Listed = {}
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:
            continue  # the scan reads it itself, and says why it cannot
        kept = listed[folder] = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                kept.append((entry.name, True, None))
                pending.append(entry.path)
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                kept.append((entry.name, False, None))
                continue
            status = (st.st_mode, st.st_nlink, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            kept.append((entry.name, False, status))
            if stat.S_ISDIR(st.st_mode):  # a folder the listing's entry type did not tell: the scan walks it too
                pending.append(entry.path)
    return listed


def start(root: Path, wanted: bool) -> None:
    """If ``wanted``, fork a child listing ``root`` for its next scan (none when forking is unsafe)."""
    from ..build.parallel import forked  # the build's; a content module otherwise needs none of it

    drop(root)
    child = forked(functools.partial(listing, root)) if wanted else None
    if child is not None:
        _AHEAD[str(root)] = child


def take(root: Path) -> Listed | None:
    """The listing made ahead for this scan of ``root``, if any (used once: it waits for the child)."""
    child = _AHEAD.pop(str(root), None)
    return child.result() if child is not None else None


def drop(root: Path) -> None:
    """The listing of ``root`` is not wanted (the build ended before its scan): its child stopped, if running."""
    child = _AHEAD.pop(str(root), None)
    if child is not None:
        child.cancel()
