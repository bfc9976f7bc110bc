"""Search shards: the question pages split by a stable hash of their slug, one Pagefind run per shard.

One Pagefind run holds every page it indexes in memory (~200 KB a page, so ~2 GB at
10,000 questions and ~21 GB at 100,000), so the index is built in shards of about
``QA_SEARCH_SHARD_SIZE`` pages (5,000 by default), ``QA_SEARCH_SHARD_JOBS`` runs at a
time (1 by default), and the build's memory is bounded by one shard's, not the site's.
A question's shard is the first 8 bytes of SHA-256 of its slug, modulo the number of
shards; it only moves when that number does (every ``QA_SEARCH_SHARD_SIZE`` questions).

Each shard is its own Pagefind bundle (``Urls.search_bundle``): shard 0 in ``pagefind/``
(with the JavaScript and WebAssembly the browser loads), shard k in ``pagefind/<k>/``.
``Urls.search_shards`` (``{"shards": N, "merge": [the other bundles' addresses]}``) tells
the search JS what to merge (Pagefind's ``mergeIndex``, theme/static/js/search-index.js),
so the pages themselves do not change with N. The runs themselves are ``shard_indexer``'s:
a full build writes the question pages shard by shard (``by_shard``) and each shard's run
starts as soon as its pages are written. ``reindex`` re-indexes only the shards of the
questions an edit touched (incremental builds, previews).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..build.cache import HANDED
from ..config.urls import Urls, save_as
from ..content import confine
from .search_sorts import read_sort_table
from .shard_indexer import ShardIndexer
from .shard_indexer import removed as removed  # build/pipeline.py waits with it: a build's last step
from .shard_trees import kept_trees

logger = logging.getLogger(__name__)

MEANWHILE = "QASITE_MEANWHILE"  # settings key (build.pipeline): work for the build while Pagefind runs, if any


def shard_count(slugs: Sequence[str], size: int) -> int:
    """How many shards the questions ``slugs`` take at ``size`` pages a shard (at least 1).

    Pagefind cannot index no page, so a count that would leave a shard empty (only on tiny
    sites or shard sizes) is lowered until none is.
    """
    count = max(1, math.ceil(len(slugs) / max(1, size)))
    while count > 1 and len({shard_of(slug, count) for slug in slugs}) < count:
        count -= 1
    return count


def shard_of(slug: str, shards: int) -> int:
    """The shard of the question ``slug``: a stable hash (not Python's, which changes per process)."""
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big") % shards


def plan(questions: Sequence[Any], urls: Urls, shards: int) -> list[list[str]]:
    """Each shard's question pages (output paths like 'questions/x/index.html'), in the site's order."""
    pages: list[list[str]] = [[] for _ in range(shards)]
    for question in questions:
        pages[shard_of(question.slug, shards)].append(save_as(urls.url("question", question.slug)))
    return pages


def shards_file(shards: int, siteurl: str) -> str:
    """``Urls.search_shards``: how many shards there are, and the bundles the search JS merges into the first:
    ``{"shards": 3, "merge": ["/pagefind/1/", "/pagefind/2/"]}`` (under SITEURL, like the qa-config block's)."""
    merge = [f"{siteurl}/{Urls.search_bundle(shard)}" for shard in range(1, shards)]
    return json.dumps({"shards": shards, "merge": merge}, ensure_ascii=True, separators=(",", ":"))


def bundles_on_disk(output: Path) -> int:
    """How many shards the index in ``output`` has (0: none), from ``Urls.search_shards``."""
    try:
        return int(json.loads((output / Urls.search_shards).read_text(encoding="utf-8"))["shards"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def drop_extra_bundles(output: Path, shards: int) -> None:
    """Remove bundles of shards beyond ``shards`` (the site shrank, or had a different shard size)."""
    folder = output / Urls.pagefind
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir() and child.name.isdigit() and (shards == 1 or int(child.name) >= shards):
            shutil.rmtree(child)


def by_shard(questions: Sequence[Any], indexer: ShardIndexer) -> list[tuple[list[Any], int | None]]:
    """``questions`` in the order to write them: the questions of each shard ``indexer`` indexes (its order), then
    the others (shard None: in an incremental build, those of the shards left alone)."""
    groups: dict[int, list[Any]] = {shard: [] for shard in indexer.todo}
    others: list[Any] = []
    for question in questions:
        groups.get(shard_of(question.slug, indexer.count), others).append(question)
    return [(group, shard) for shard, group in groups.items()] + ([(others, None)] if others else [])


def start(
    output: Path,
    questions: Sequence[Any],
    urls: Urls,
    settings: dict[str, Any],
    shards: Iterable[int] | None = None,
    *,
    written: bool = True,
) -> ShardIndexer:
    """Start indexing the ``shards`` (None: every shard) of ``questions`` (the other shards' bundles already in
    ``output``); ``finish_all`` completes it. ``written``: every page is in ``output`` already; else the caller
    writes them shard by shard, each page also into its shard's folder (``ShardIndexer.add``, then ``ready`` as each
    shard's are done)."""
    count = shard_count([q.slug for q in questions], settings["QA_SEARCH_SHARD_SIZE"])
    indexer = ShardIndexer(
        output,
        plan(questions, urls, count),
        urls.glob("question"),
        shards=range(count) if shards is None else shards,
        jobs=settings["QA_SEARCH_SHARD_JOBS"],
    )
    indexer.cache = settings.get(HANDED)  # the build's: the sort table's ids of the shards left alone (search_sorts)
    try:
        in_memory = indexer.use_scratch(settings["QA_SEARCH_SCRATCH"])  # the pages Pagefind reads, where there is room
        if written:
            if not in_memory:
                indexer.kept = kept_trees(indexer.cache, output)  # an incremental build's trees of links (shard_trees)
            indexer.ready(indexer.todo)
        else:
            indexer.fill()
    except BaseException:
        indexer.kill()  # nothing of it left, in memory or beside the output
        raise
    return indexer


def finish_all(
    indexer: ShardIndexer,
    questions: Sequence[Any],
    siteurl: str,
    meanwhile: Callable[[], object] | None = None,
    *,
    later: bool = False,
) -> dict[str, str]:
    """Wait for ``indexer`` (calling ``meanwhile`` once every shard has started: ``ShardIndexer.finish``; ``later``:
    the shards' folders removed by the build's end, ``shard_indexer.removed``); return the files written after
    it: the shard list and the sort table (name -> text)."""
    indexer.finish(meanwhile, later=later)
    drop_extra_bundles(indexer.output, indexer.count)
    shutil.rmtree(indexer.output / Urls.search_delta, ignore_errors=True)  # the preview's (render/search_delta.py)
    return {
        Urls.search_shards: shards_file(indexer.count, siteurl),
        Urls.search_sorts: read_sort_table(indexer.output, questions, indexer.count, indexer.cache),
    }


def reindex(
    output: Path, questions: Sequence[Any], urls: Urls, settings: dict[str, Any], slugs: Iterable[str]
) -> list[int]:
    """Re-index the shards of the questions ``slugs`` (changed, added or deleted) in the built site ``output``.

    ``questions``: the site's published questions now (their pages written). Every shard is
    re-indexed when the number of shards changed. Rewrites ``Urls.search_shards`` and the sort
    table; returns the shards indexed.
    """
    count = shard_count([q.slug for q in questions], settings["QA_SEARCH_SHARD_SIZE"])
    shards = sorted({shard_of(slug, count) for slug in slugs})
    if bundles_on_disk(output) != count:
        shards = list(range(count))
    if not questions:  # as a full build: no index (Pagefind cannot index no page), no shard count, no sort table
        shutil.rmtree(output / Urls.pagefind, ignore_errors=True)
        shutil.rmtree(output / Urls.search_delta, ignore_errors=True)
        for name in (Urls.search_shards, Urls.search_sorts):
            (output / name).unlink(missing_ok=True)
        return []
    indexer = start(output, questions, urls, settings, shards)
    try:
        written = finish_all(indexer, questions, settings["SITEURL"])
    except BaseException:
        indexer.kill()
        raise
    for name, text in written.items():
        path = confine.output_file(output, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return shards
