"""The preview's search delta: a small Pagefind bundle of the pages edited since the index was current.

Re-indexing a shard takes Pagefind over ~5,000 pages (~13-15 CPU-s at 10,000 questions), so the preview's
catch-up (tools/catchup.py) first writes this delta: Pagefind over only the edited questions' pages, into
``Urls.search_delta``, and the shard list (``Urls.search_shards``) gains ``"delta": {"bundle": ..., "drop":
[ids]}``: the search JS (theme/static/js/search-index.js) merges that bundle as one more index and drops every
result whose Pagefind id is in ``drop`` (the edited or deleted questions' pages in the shards, which are
stale). The sort table is rewritten with the delta's ids, so sorting stays right. The search is then current;
the catch-up re-indexes the shards afterwards and ``remove`` takes the delta away, so the output converges to
a full build's. Only the preview writes a delta; ``search_shards.finish_all`` removes any left behind, so none
reaches ``invoke build``'s output. Ranking: Pagefind scores each merged index with its own word statistics,
so an edited page's rank among the others can differ from a full build's until the shards are re-indexed.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..config.urls import Urls, save_as
from ..content import confine
from .pagefind_meta import close_chunk_gaps
from .search_index import check_index, run_pagefind
from .search_shards import bundles_on_disk, shards_file
from .search_sorts import page_ids, sort_table
from .shard_indexer import BUNDLE, TREE, link

logger = logging.getLogger(__name__)

MAX_PAGES = 500  # a delta takes this many edited questions at least, and up to half the pages of a shard


def page_limit(questions: int, settings: dict[str, Any]) -> int:
    """How many edited questions a delta takes: half of what a shard holds (more: re-indexing the shards is nearly
    as quick), and at least MAX_PAGES. One deletion at 10,000 questions rewrote 729 question pages: with a delta of
    500 at most, its search was current only once the shards were re-indexed (26.8 s against ~0.7 s)."""
    return max(MAX_PAGES, min(questions, settings["QA_SEARCH_SHARD_SIZE"]) // 2)


def why_not(output: Path, questions: Sequence[Any], settings: dict[str, Any], wanted: set[str]) -> str:
    """Why no delta is written for the edited questions ``wanted`` ('' when one is)."""
    if not questions:
        return "the site has no questions"
    if not bundles_on_disk(output):
        return f"no search index in {output}"
    if len(wanted) > (limit := page_limit(len(questions), settings)):
        return f"{len(wanted)} questions edited, more than the {limit} a delta takes"
    return ""


def write(output: Path, questions: Sequence[Any], urls: Urls, settings: dict[str, Any], slugs: Iterable[str]) -> bool:
    """Write the delta for the edited (changed, added or deleted) questions ``slugs`` of the built site ``output``
    (``questions``: its published questions now); False when there is no index to add it to, or too many
    (``why_not`` says which)."""
    wanted = set(slugs)
    if why_not(output, questions, settings, wanted):
        return False
    shards = bundles_on_disk(output)
    present = [q for q in questions if q.slug in wanted]
    ids: dict[str, str] = {}
    for shard in range(shards):
        ids.update(page_ids(output / Urls.search_bundle(shard)))
    stale = {ids[f"/{urls.url('question', slug)}"] for slug in wanted if f"/{urls.url('question', slug)}" in ids}
    delta_ids = _index(output, [save_as(urls.url("question", q.slug)) for q in present], urls) if present else {}
    ids.update(delta_ids)
    listing = json.loads(shards_file(shards, settings["SITEURL"]))
    bundle = f"{settings['SITEURL']}/{Urls.search_delta}" if delta_ids else None
    listing["delta"] = {"bundle": bundle, "drop": sorted(stale - set(delta_ids.values()))}
    texts = {
        Urls.search_sorts: sort_table(questions, ids),
        Urls.search_shards: json.dumps(listing, ensure_ascii=True, separators=(",", ":")),
    }
    for name, text in texts.items():
        path = confine.output_file(output, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    logger.info("search delta: %d page(s) indexed, %d stale dropped", len(present), len(listing["delta"]["drop"]))
    return True


def _index(output: Path, pages: list[str], urls: Urls) -> dict[str, str]:
    """Pagefind over ``pages`` (output paths) into ``Urls.search_delta``; their URL -> Pagefind id."""
    target = output / Urls.search_delta
    work = output.parent / f"{output.name}{TREE}delta"  # beside the shards' (a killed run's: removed next time)
    shutil.rmtree(work, ignore_errors=True)
    try:
        tree = work / "site"
        for name in pages:
            link(output / name, tree / name)
        process = run_pagefind(tree, urls.glob("question"), work / BUNDLE)
        stdout, stderr = process.communicate()
        check_index(process.returncode or 0, stdout, stderr, process.bundle)
        close_chunk_gaps(process.bundle)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        process.bundle.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return page_ids(target)


def remove(output: Path) -> None:
    """Take away the delta bundle (the shards are current again; the shard list was rewritten without it)."""
    shutil.rmtree(output / Urls.search_delta, ignore_errors=True)
