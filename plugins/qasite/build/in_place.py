"""How a build's staging folder becomes the output: swapped in whole, or (the live preview) moved in file by file.

``invoke build`` builds into a staging folder holding hard links to every untouched output (``writer.link_farm``,
or the site the last swap replaced, updated: ``build/spare.py``) and swaps it in whole (``outputdir.swap``): atomic,
for a site that is published (``start``, ``finish``). The
preview's output folder is only served on this machine, so a preview's incremental build (``IN_PLACE``, set by
``tools/livereload.Preview``) renders only the outputs it writes, into an empty staging folder, then moves each
into the output folder with one rename (``install``: a page is never served half-written), leaving a file whose
bytes did not change as it was (same inode and mtime), and removes the outputs the build no longer writes (a
deleted question's page, and its folder once empty). The result: the same files, with the same bytes, as the
staging build's. The staging folder, then a tree of empty folders, is kept for the process's next such build
(``outputdir.leave_folders``, ``take_folders``: on the reference machine's disk making a folder cost 0.07-0.5 ms of
CPU, and an added or deleted question's listing pages need ~800), or, past ``KEEP_FOLDERS`` (each folder is
walked again by every build's ``install``), renamed aside and deleted in the background (``outputdir.discard``), as
a swapped-out site is.

The output folder's manifest (each file's size and mtime: how a build knows the folder is the one its snapshot
describes) is then the last snapshot's, kept in this process and updated with what was moved or removed, instead
of a walk of the folder (``published``). An install that fails part-way makes this process forget its snapshot:
the next build compares the folder on disk with the cache's snapshot, and builds in full if they differ.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import memory, spare
from .outputdir import discard, leave_folders, swap, take_folders
from .parallel import forked
from .writer import keep_unchanged, manifest, remove_empty_folders, same_bytes, staged_files

if TYPE_CHECKING:  # incremental imports this module
    from .incremental import Plan, Snapshot

IN_PLACE = "QASITE_IN_PLACE"  # settings key (livereload): an incremental build writes into the output folder
KEEP_FOLDERS = 2000  # at most this many folders kept for the next build: each costs its walk (~8 us) in every build


def published(
    settings: Mapping[str, Any], output: Path, previous: Snapshot | None, read: Callable[[], Any]
) -> tuple[dict[str, Any] | None, Any]:
    """The output folder's manifest (None: no folder), and the last build's snapshot as the cache holds it (``read``)
    unless this process keeps one (``previous``) that describes the folder (else None). In the preview the manifest is
    the one this process's last build left; in a new process (``invoke build``) a forked child walks the output folder
    while this one reads the snapshot (``parallel.forked``: ~23,000 stats at 10,000 questions beside the unpickling)."""
    if not output.is_dir():
        return None, read()
    if previous is not None:
        files = previous.output if settings.get(IN_PLACE) else manifest(output)
        return files, (read() if previous.output != files else None)
    walking = forked(functools.partial(manifest, output))
    try:
        stored = read()
    except BaseException:  # interrupted: the child is not waited for
        if walking is not None:
            walking.cancel()
        raise
    files = walking.result() if walking is not None else None
    return (manifest(output) if files is None else files), stored


def wanted(work: Plan) -> bool:
    """Whether this build writes in place: a preview's incremental build."""
    return work.partial is not None and bool(work.settings.get(IN_PLACE))


def start(work: Plan, output: Path, staging: Path) -> set[str]:
    """Start an incremental build's staging folder: links to the published files it keeps (``link_farm``), or
    (in place) nothing. The files to keep that the output folder lacks (removed by hand): the build writes them."""
    if wanted(work):
        take_folders(output, staging)  # the folders the last one left (``_install``), not made again
        return set(work.link - work.published.keys())
    return spare.take(work.spare, output, staging, work.link, work.published.keys())  # or a new link farm


def finish(work: Plan, staging: Path, output: Path, missing: set[str]) -> dict[str, tuple[int, int]]:
    """Put the build in ``staging`` in place of ``output``: swapped in whole (unchanged files linked to the published
    ones first: same inode and mtime), or moved file by file (``install``); the output folder's new manifest."""
    if wanted(work):
        return install(work, staging, output)
    kept = keep_unchanged(staging, output, work.linked(missing))  # the linked files already are
    keep_old = work.snapshot is not None and not work.settings.get(IN_PLACE)  # the preview's builds would stale it
    if swap(staging, output, keep_old=keep_old) and work.snapshot is not None:
        work.snapshot.spare = spare.keep(staging, output, work.published.keys(), kept.files, kept.written)
    return kept.files


def install(work: Plan, staging: Path, output: Path) -> dict[str, tuple[int, int]]:
    """Move the files built in ``staging`` into ``output``, remove the outputs no longer built; the new manifest."""
    try:
        return _install(work, staging, output)
    except BaseException:
        memory.SNAPSHOTS.clear()  # the folder is neither the old snapshot's nor the new one's
        raise


def _install(work: Plan, staging: Path, output: Path) -> dict[str, tuple[int, int]]:
    files = dict(work.published)
    staged, folders = set(), []
    for name, entry in staged_files(staging, folders):
        staged.add(name)
        target = os.path.join(output, name)
        if name in files and _same(entry.path, target, entry.stat(follow_symlinks=False).st_size):
            os.unlink(entry.path)  # the published file stays: same inode, same mtime
            continue
        try:
            os.replace(entry.path, target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(entry.path, target)
        info = os.stat(target)
        files[name] = (info.st_size, int(info.st_mtime))
    for name in sorted(work.published.keys() - work.link - staged):  # outputs this build no longer writes
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(output, name))
        files.pop(name, None)
        remove_empty_folders(output, name)
    if len(folders) <= KEEP_FOLDERS:  # its empty folders, kept for the next build (``start``)
        leave_folders(staging, output)
    else:  # removing them takes ~3 ms each on some disks: in the background
        discard(staging, output)
    return files


def _same(new: str, old: str, size: int) -> bool:
    try:
        return os.stat(old).st_size == size and same_bytes(new, old, size)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
