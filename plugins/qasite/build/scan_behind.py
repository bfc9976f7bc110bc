"""A cold build's summary of every content file (``changes.scan``), made by a child beside the load, not before it.

A cold ``invoke build`` has no snapshot to compare with: its files' summaries (each file read and its parts digested,
~1.5 CPU-s at 10,000 questions) serve only the next build. Made in the build's own process before the load, they
held the critical path while the other core sat idle. ``start`` forks a child (at a lower priority: it takes the
core the load leaves idle) that walks ``content/`` as ``changes.scan`` does, and ``settle`` takes its result while
the build waits for Pagefind (``incremental.complete``).

The child reads each file after or before the load does, so an edit saved meanwhile could leave a summary of newer
bytes than the site was built from, and the next build would miss that edit. So once the child has summarised
every file it reads each one's ctime: a file whose ctime is not ``SLACK_NS`` older than the build's start (an
edit, a rename or a new file since then, or just before) is summarised as ``UNKNOWN``, which the next build reads
again and counts changed as a whole. Before the load, any edit saved after the scan was seen the same way. This
takes the file system's times to follow this machine's clock (a local disk; a network share whose server's clock
runs behind could hide an edit saved during this one build from the next build).
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from .changes import FileState, scan
from .parallel import Forked, forked

logger = logging.getLogger(__name__)

NICE = 10  # the child's priority: below the build's own processes, so it fills the idle core rather than share one
SLACK_NS = 50_000_000  # a file changed this long before the start still counts: file times lag the clock by a tick
UNKNOWN = FileState(size=-1, mtime_ns=-1, digest="")  # no file has this size: the next build reads it again


class Behind(dict[str, FileState]):
    """The snapshot's ``files`` until ``settle``: empty, with the child summarising them (or None: none forked)."""

    def __init__(self, content: Path, since_ns: int, child: Forked[dict[str, FileState]] | None) -> None:
        super().__init__()
        self.content, self.since_ns, self.child = content, since_ns, child

    def __del__(self) -> None:  # never settled (the build stopped): the child is not waited for
        if self.child is not None:
            self.child.cancel()


def start(content: Path, before: Mapping[str, FileState], touched: Iterable[str] | None = None) -> Behind:
    """``changes.scan`` of ``content`` with nothing ``before`` nor ``touched`` (a cold build), by a child forked now
    (none when forking is unsafe: ``settle`` then scans)."""
    assert not before and touched is None
    since_ns = time.time_ns()
    return Behind(content, since_ns, forked(functools.partial(_lowered, content, since_ns)))


def settle(files: dict[str, FileState]) -> dict[str, FileState]:
    """``files`` itself, or if made by ``start`` the child's summaries (waits for it; made here if it failed)."""
    if not isinstance(files, Behind):
        return files
    child, files.child = files.child, None
    found = child.result() if child is not None else None
    return found if found is not None else summaries(files.content, files.since_ns)


def _lowered(content: Path, since_ns: int) -> dict[str, FileState]:
    os.nice(NICE)
    return summaries(content, since_ns)


def summaries(content: Path, since_ns: int) -> dict[str, FileState]:
    """``changes.scan`` of ``content`` (from nothing), with every file changed since ``since_ns`` (less ``SLACK_NS``),
    or gone, or that cannot be read, as ``UNKNOWN``."""
    found = scan(content, {})
    parent, limit = content.parent, since_ns - SLACK_NS
    for name in found:
        try:
            changed = os.lstat(parent / name).st_ctime_ns >= limit
        except OSError:
            changed = True
        if changed:
            found[name] = UNKNOWN
    unknown = sum(state is UNKNOWN for state in found.values())
    if unknown:
        logger.debug("%d content files changed during the build: the next build reads them again", unknown)
    return found
