"""A re-indexed search shard's tree of page links, kept in the build cache for the next incremental build.

Pagefind reads a folder through a glob, so a shard's ~5,000 question pages are hard-linked into a folder of their
own for each run (``shard_indexer``): ~5,000 folders and links made, then deleted in the background, which the build
waits for at its end (``shard_indexer.removed``: ~3 ms a folder on some disks). Pagefind cannot be given the pages
instead: its glob parser refuses ~5,000 alternatives, and it does not follow symbolic links (docs/scaling.md).

So an atomic build's re-index (``invoke build``: its pages in ``output.staging/``) keeps each shard's tree in the
build cache folder (``<cache>/search-trees/<output>/<k>/``), on the output's device (else it is not kept: the tree
beside the output, as before). The next run makes it hold exactly the shard's pages again (``refresh``): each page
that is not the staging folder's very file (another inode: written anew) is linked again, the pages of questions
gone are removed, and what a killed run left (a bundle) goes; what the tree holds is compared each time, never
trusted. A failed or killed run's tree is removed (``ShardIndexer._remove``), so nothing of it is left beside the
output, and nothing in the cache is needed (deleting it only makes the next build link the pages anew). The
deploy workflow leaves ``search-trees`` out of what ``actions/cache`` saves (5,000 pages would be archived as copies).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..build.cache import Cache
from ..build.outputdir import STAGING
from ..build.writer import staged_files

TREES = "search-trees"  # under the cache's fingerprint folder


def kept_trees(cache: Cache | None, output: Path) -> Path | None:
    """Where the shards' trees of ``output`` (a staging folder) are kept, or None: not kept (no cache, not an atomic
    build's staging folder, or another device, where a hard link cannot reach)."""
    if cache is None or not output.name.endswith(STAGING):
        return None
    folder = cache.folder / TREES / hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.stat(folder).st_dev != os.stat(output).st_dev:
            return None
    except OSError:
        return None
    return folder


def refresh(tree: Path, output: Path, pages: list[str], leftovers: tuple[str, ...]) -> None:
    """Make ``tree`` hold exactly ``pages``, hard links to ``output``'s, keeping the links that still are;
    ``leftovers``: the folders a run puts in the tree (its bundle, the bundle it replaced), removed first."""
    from .shard_indexer import link  # shard_indexer imports this module

    for name in leftovers:
        shutil.rmtree(tree / name, ignore_errors=True)
    wanted = set(pages)
    if tree.is_dir():
        for name, entry in staged_files(tree):
            if name not in wanted:  # a question gone (its empty folder stays: the glob finds no page there)
                os.unlink(entry.path)
    for name in pages:
        source, target = output / name, tree / name
        try:
            kept, now = os.stat(target), os.stat(source)
        except FileNotFoundError:
            link(source, target)
            continue
        if (kept.st_dev, kept.st_ino) != (now.st_dev, now.st_ino):
            os.unlink(target)
            link(source, target)
