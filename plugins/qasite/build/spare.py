"""The swapped-out site kept as the next incremental build's staging folder, instead of a new link farm.

An incremental ``invoke build`` stages the whole site (hard links to the published files it keeps, its own files
for the rest) and swaps it in atomically (``outputdir.swap``). Making that tree anew (``writer.link_farm``: ~13,000
folders and ~39,000 hard links at 10,000 questions) and deleting the swapped-out one in the background cost more
than the rest of the build's file work. After an atomic exchange the staging folder holds the site just replaced,
and most of its files are the very files now published (hard links, same inode). So that folder is kept beside the
output as ``output.spare/`` (``keep``), with what differs from the published site: the names the build wrote anew
and the names it removed (``Spare.stale``), and the folder's identity (device, inode, ctime: renaming it or changing
its listing changes its ctime). The next incremental build renames it to ``output.staging/`` (``take``), removes
its stale names and every name it will not link (so nothing published is written through: the staging folder then
holds exactly the links ``link_farm`` would make), links the stale names it keeps from the published folder, and
goes on as before. A spare that is missing, has another identity, or fails to update in any way is discarded and
the link farm made instead; the output folder is never touched before the swap, so a build killed at any point
still leaves the last complete site (the next build discards a leftover staging folder, ``outputdir.recover``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from .outputdir import discard, sibling
from .writer import link_farm, remove_empty_folders

logger = logging.getLogger(__name__)

SPARE = ".spare"  # output.spare/: the site the last swap replaced, kept for the next incremental build


@dataclass(frozen=True)
class Spare:
    """The folder the last build left beside the output, and the names in it that are not the published files."""

    identity: tuple[int, int, int]  # st_dev, st_ino, st_ctime_ns of output.spare/ once renamed there
    stale: frozenset[str]  # written anew or removed by that build: not (or no longer) hard links to the published


def _identity(folder: Path) -> tuple[int, int, int]:
    info = os.lstat(folder)
    return info.st_dev, info.st_ino, info.st_ctime_ns


def take(
    spare: Spare | None, output: Path, staging: Path, link: frozenset[str], published: Collection[str]
) -> set[str]:
    """Make ``staging`` hold hard links to the published files ``link`` and nothing else: from the kept spare if it
    is the one ``spare`` describes, else a new link farm. Returns the names of ``link`` missing from the output."""
    folder = sibling(output, SPARE)
    if spare is not None and folder.is_dir():
        try:
            if _identity(folder) == spare.identity:
                folder.rename(staging)
                return _update(spare, output, staging, link, published)
        except OSError as error:
            logger.info("spare staging folder not used (%s): linking the site anew", error)
        for leftover in (staging, folder):
            if leftover.exists():
                discard(leftover, output)
    return link_farm(output, staging, link)


def _update(spare: Spare, output: Path, staging: Path, link: frozenset[str], published: Collection[str]) -> set[str]:
    """Bring the spare tree now at ``staging`` to the published files ``link``, linked (the rest removed)."""
    present = set(published)
    missing = set(link - present)
    remove = spare.stale | (present - link) | missing  # the build writes what it does not link: absent, so no write
    for name in sorted(remove):  # goes through a published file
        try:
            os.unlink(os.path.join(staging, name))
        except FileNotFoundError:
            continue
        if name not in link:
            remove_empty_folders(staging, name)  # as a link farm makes no empty folder
    for name in sorted(spare.stale & link):
        target = os.path.join(staging, name)
        try:
            os.link(os.path.join(output, name), target)
        except FileNotFoundError:
            if not os.path.exists(os.path.join(output, name)):
                missing.add(name)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(os.path.join(output, name), target)
    return missing


def keep(
    old: Path, output: Path, before: Collection[str], after: Mapping[str, object], written: Collection[str]
) -> Spare | None:
    """Keep ``old`` (the site an atomic exchange just replaced, whose files were ``before``) as the spare; the new
    site's files are ``after``, of which ``written`` are not hard links to ``before``'s. None (and ``old`` discarded)
    if it cannot be kept."""
    folder = sibling(output, SPARE)
    try:
        if folder.exists():
            discard(folder, output)  # a spare no snapshot describes any more (a fallback, a preview's builds)
        old.rename(folder)
        identity = _identity(folder)
    except OSError as error:
        logger.info("the replaced site not kept as a spare (%s)", error)
        if old.exists():
            discard(old, output)
        return None
    stale = frozenset(written) | frozenset(name for name in before if name not in after)
    return Spare(identity=identity, stale=stale)
