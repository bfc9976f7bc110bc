"""A cold build's summary of every content file (``changes.scan``), made by a child beside the load, not before it.

A cold ``invoke build`` has no snapshot to compare with: its files' summaries (each file read and its parts digested,
~1.5 CPU-s at 10,000 questions) serve only the next build. Made in the build's own process before the load, they
held the critical path while the other core sat idle. ``start`` forks a child (at a lower priority: it takes the
core the load leaves idle) that walks ``content/`` as ``changes.scan`` does, and ``settle`` takes its result while
the build waits for Pagefind (``incremental.complete``).

The child may read a file after the load did, so an edit saved meanwhile could leave a summary of newer bytes than
the site was built from, and the next build would miss that edit. So a summary is kept only when its file had one
identity (inode, size, mtime and ctime, as ``confine.Tree.identities`` keeps them) at three moments: when the load's
scan found it (before the load read any file), when the child's walk found it (before the child read it), and when
the child looked again after reading every file. A write to a file sets its ctime, and a file replaced or made anew
has another inode, so one identity at those moments means no write between the first and the last of them, and the
child's read lies between them: the child summarised the bytes the load read, or (the load reading the file only
after all three) older bytes, which the next build finds changed, as when the scan ran before the load. Every other
file (its identity moved: an edit, a rename, a file replaced; added after the load's scan; gone before the child's
walk) is summarised as ``UNKNOWN``, which the next build reads again and counts changed as a whole. No clock is
compared with a file's times, so a file written just before the build started (a test copying a site, then building)
is summarised as any other, and nothing depends on the clocks of a network share's server.

Why this is exact on a local disk: Linux (6.13 on: ext4, xfs, btrfs, tmpfs) gives a change that follows a look at a
file's ctime (each of the three is one) a finer-grained ctime, so any write after the first look moves it. Older
kernels stamp files from a clock that moves once a tick (1-4 ms): a rewrite in place at the same size, within the
tick of the file's last change, could leave the identity as it was. That is the limit every identity comparison of
the project already has (``reload``, ``resume``, ``prepare``'s ``_SEEN``: the preview trusts it for every edit).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..content.confine import Tree
from ..content.loader import LOADED, Loaded
from ..content.prepare import Identity
from .changes import FileState, scan
from .parallel import Forked, forked

logger = logging.getLogger(__name__)

NICE = 10  # the child's priority: below the build's own processes, so it fills the idle core rather than share one
UNKNOWN = FileState(size=-1, mtime_ns=-1, digest="")  # no file has this size: the next build reads it again
Found = tuple[dict[str, FileState], dict[str, Identity]]  # the summaries, and the identity of each file that kept one


class Behind(dict[str, FileState]):
    """The snapshot's ``files`` until ``settle``: empty, with the child summarising them (None: ``settle`` does)."""

    def __init__(self, content: Path, child: Forked[Found] | None) -> None:
        super().__init__()
        self.content, self.child = content, child

    def __del__(self) -> None:  # never settled (the build stopped): the child is not waited for
        if self.child is not None:
            self.child.cancel()


def start(content: Path, before: Mapping[str, FileState], touched: Iterable[str] | None = None) -> dict[str, FileState]:
    """``changes.scan`` of ``content`` with nothing ``before`` nor ``touched`` (a cold build), by a child forked now;
    made here and now, before the load, when forking is unsafe."""
    assert not before and touched is None
    child = forked(functools.partial(_lowered, content))
    return Behind(content, child) if child is not None else scan(content, {})


def settle(files: dict[str, FileState], settings: Mapping[str, Any]) -> dict[str, FileState]:
    """``files`` itself, or if made by ``start`` the child's summaries (waits for it; made here if it failed), each
    file whose identity is not the one the load's scan found (the load handed over in ``settings``: ``LOADED``)
    summarised as ``UNKNOWN``."""
    if not isinstance(files, Behind):
        return files
    child, files.child = files.child, None
    found = child.result() if child is not None else None
    loaded: Loaded | None = settings.get(LOADED)
    return agreed(*(found or summaries(files.content)), files.content, loaded.site.stats.tree if loaded else None)


def _lowered(content: Path) -> Found:
    os.nice(NICE)
    return summaries(content)


def summaries(content: Path) -> Found:
    """``changes.scan`` of ``content`` (from nothing), and the identity of each file that had the same before it was
    read (the walk's) and after every file was read."""
    identities: dict[str, Identity] = {}
    found = scan(content, {}, identities=identities)
    return found, stable(content, identities)


def stable(content: Path, identities: dict[str, Identity]) -> dict[str, Identity]:
    """``identities`` (by Site path, 'content/...') without the files whose identity is another now, or gone."""
    top, skip = str(content), len(content.name)
    for name, identity in list(identities.items()):
        try:
            info = os.lstat(top + name[skip:])
        except OSError:
            info = None
        if info is None or (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns) != identity:
            del identities[name]
    return identities


def agreed(
    found: dict[str, FileState], identities: Mapping[str, Identity], content: Path, tree: Tree | None
) -> dict[str, FileState]:
    """``found``, every file whose identity (``identities``: the child's) is not the one the load's scan found
    (``tree``) as ``UNKNOWN``, and each file the load's scan found but not the child as ``UNKNOWN`` too."""
    seen = tree.identities if tree is not None else {}
    skip = len(str(content)) + 1
    loaded = {f"{content.name}/{str(path)[skip:].replace(os.sep, '/')}": identity for path, identity in seen.items()}
    for name in found:
        identity = identities.get(name)
        if identity is None or identity != loaded.get(name):
            found[name] = UNKNOWN
    found.update((name, UNKNOWN) for name in sorted(loaded.keys() - found.keys()))  # gone before the child's walk
    unknown = sum(state is UNKNOWN for state in found.values())
    if unknown:
        logger.debug("%d content files changed since the load scanned them: the next build reads them again", unknown)
    return found
