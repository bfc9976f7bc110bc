"""The search page's sort table: each question's votes, answers and date by its Pagefind page id.

Pagefind would load one array per sort key (``data-pagefind-sort``) with its
metadata at ``init()``, on every first search; readers who sort are few. So
the question pages carry no sort keys, and this file (``Urls.search_sorts``,
fetched by search-sorts.js only when a sort is chosen) holds them instead:

    {"ids": ["en_0025b19", ...], "votes": [12, ...], "answers": [3, ...], "date": [41, ...]}

one column per key, in the site's question order; ``date`` is the rank of the
question's date (0 the oldest, equal dates equal ranks). Pagefind names a page
by a hash of its indexed data, known only once it has run: the ids are read
from the start of its fragment files (``{"url": ...`` comes first).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config.urls import Urls

logger = logging.getLogger(__name__)

# Pagefind's fragments: gzip of this signature and the page's JSON, whose first key is the URL.
FRAGMENT_SIGNATURE = b"pagefind_dcd"
URL_START = '{"url":'
HEAD_BYTES = 4096  # compressed bytes read per fragment: far more than a URL takes


def fragment_url(path: Path) -> str | None:
    """The page URL a Pagefind fragment file holds ('/questions/x/'), or None if it does not start with one."""
    with path.open("rb") as file:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(file.read(HEAD_BYTES), 2048)
    text = head.removeprefix(FRAGMENT_SIGNATURE).decode("utf-8", errors="replace")
    if not text.startswith(URL_START):
        return None
    try:
        url, _ = json.JSONDecoder().raw_decode(text, len(URL_START))
    except json.JSONDecodeError:
        return None
    return url if isinstance(url, str) else None


def page_ids(pagefind: Path) -> dict[str, str]:
    """Page URL -> Pagefind page id ('en_0025b19'), from the fragments of the index in ``pagefind``."""
    ids: dict[str, str] = {}
    for path in sorted((pagefind / "fragment").glob("*.pf_fragment")):
        url = fragment_url(path)
        if url is not None:
            ids.setdefault(url, path.name.removesuffix(".pf_fragment"))
    return ids


def date_ranks(dates: Sequence[Any]) -> list[int]:
    """Each date's rank among ``dates``: 0 for the oldest, equal dates sharing one."""
    rank = {value: i for i, value in enumerate(sorted(set(dates)))}
    return [rank[value] for value in dates]


def sort_table(questions: Sequence[Any], ids: dict[str, str]) -> str:
    """The table as compact JSON, for the ``questions`` Pagefind indexed (a question it did not is left out)."""
    indexed = [q for q in questions if f"/{q.url}" in ids]
    table = {
        "ids": [ids[f"/{q.url}"] for q in indexed],
        "votes": [q.votes for q in indexed],
        "answers": [q.answer_count for q in indexed],
        "date": date_ranks([q.date for q in indexed]),
    }
    if len(indexed) < len(questions):
        logger.warning("search sort table: %d question(s) not in the search index", len(questions) - len(indexed))
    return json.dumps(table, ensure_ascii=True, separators=(",", ":"))


def read_sort_table(output: Path, questions: Sequence[Any], shards: int = 1) -> str:
    """The sort table for the index of ``shards`` bundles Pagefind wrote into ``output`` (its text: the caller
    writes it). Pagefind ids are hashes of the pages: unique across the shards."""
    ids: dict[str, str] = {}
    for shard in range(shards):
        ids.update(page_ids(output / Urls.search_bundle(shard)))
    return sort_table(questions, ids)
