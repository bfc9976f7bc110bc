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

Reading them is most of the table's cost (~5,000 gzip heads a shard), and an incremental build re-indexes only
the shards its edits touched: the others' fragments are the very files the last build read (hard links). So each
shard's ids are kept in the build cache (``build/cache.py``) with a digest of its fragment folder's listing (each
file's name, inode, size and mtime), and reused only while that digest is the same: never trusted otherwise.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..build.cache import Cache
from ..config.urls import Urls

logger = logging.getLogger(__name__)

# Pagefind's fragments: gzip of this signature and the page's JSON, whose first key is the URL.
FRAGMENT_SIGNATURE = b"pagefind_dcd"
URL_START = '{"url":'
FIRST_BYTES = 512  # compressed bytes read first per fragment: enough for a URL of a few hundred characters
HEAD_BYTES = 4096  # compressed bytes read per fragment: far more than a URL takes
SUFFIX = ".pf_fragment"
DECODER = json.JSONDecoder()
NAMESPACE = "search-ids"  # build cache: a shard's ids by its fragment folder's listing (``page_ids``)


def fragment_url(path: Path | str) -> str | None:
    """The page URL a Pagefind fragment file holds ('/questions/x/'), or None if it does not start with one.

    Its first ``FIRST_BYTES`` are read first (a table reads ~5,000 a shard: half the CPU of reading ``HEAD_BYTES``);
    where they do not hold the whole URL (the file goes on, or its URL inflates to more than ``FIRST_BYTES``: a long,
    repetitive one in a small file), ``HEAD_BYTES``."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        data = os.read(descriptor, FIRST_BYTES)
        url = _head_url(data, FIRST_BYTES)
        if url is None:  # perhaps cut short: more of the file, inflated further (none is read past its end)
            url = _head_url(data + os.read(descriptor, HEAD_BYTES - FIRST_BYTES), 2048)
    finally:
        os.close(descriptor)
    return url


def _head_url(data: bytes, size: int) -> str | None:
    """The URL at the start of a fragment's gzip bytes ``data`` (the first ``size`` bytes inflated), if they hold it."""
    head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)
    text = head.removeprefix(FRAGMENT_SIGNATURE).decode("utf-8", errors="replace")
    if not text.startswith(URL_START):
        return None
    try:
        url, _ = DECODER.raw_decode(text, len(URL_START))
    except json.JSONDecodeError:
        return None
    return url if isinstance(url, str) else None


def page_ids(pagefind: Path, cache: Cache | None = None, key: str = "") -> dict[str, str]:
    """Page URL -> Pagefind page id ('en_0025b19'), from the fragments of the index in ``pagefind``; with ``cache``,
    the ids kept under ``key`` if the fragment folder lists the very files they were read from (``listing``)."""
    folder = os.path.join(pagefind, "fragment")
    names, digest = listing(folder)
    if cache is not None:
        kept = cache.get(namespace=NAMESPACE, key=key)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == digest and isinstance(kept[1], dict):
            return kept[1]
    ids: dict[str, str] = {}
    for name in names:
        url = fragment_url(os.path.join(folder, name))
        if url is not None:
            ids.setdefault(url, name.removesuffix(SUFFIX))
    if cache is not None:
        cache.put(namespace=NAMESPACE, key=key, value=(digest, ids))
    return ids


def listing(folder: str) -> tuple[list[str], str]:
    """The fragment files in ``folder``, sorted, and a digest of each one's name, inode, size and mtime (a file
    rewritten, replaced or renamed changes it; a hard link to the same file does not)."""
    digest, names = hashlib.sha256(), []
    try:
        entries = sorted((e.name, e) for e in os.scandir(folder) if e.name.endswith(SUFFIX))
    except FileNotFoundError:
        entries = []
    for name, entry in entries:
        info = entry.stat(follow_symlinks=False)
        digest.update(f"{name}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        names.append(name)
    return names, digest.hexdigest()


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


def read_sort_table(output: Path, questions: Sequence[Any], shards: int = 1, cache: Cache | None = None) -> str:
    """The sort table for the index of ``shards`` bundles Pagefind wrote into ``output`` (its text: the caller
    writes it). Pagefind ids are hashes of the pages: unique across the shards. ``cache``: each shard's ids kept
    there (``page_ids``)."""
    ids: dict[str, str] = {}
    for shard in range(shards):
        ids.update(shard_ids(output, shard, cache))
    return sort_table(questions, ids)


def shard_ids(output: Path, shard: int, cache: Cache | None) -> dict[str, str]:
    """``page_ids`` of the bundle of ``shard`` in ``output``, kept in ``cache`` (if any) under the bundle's path: read
    while the build waits idle for the last Pagefind run (``ShardIndexer.finish``), so the table then reads the last
    bundle's only."""
    bundle = Urls.search_bundle(shard)
    return page_ids(output / bundle, cache, f"{output.resolve()}/{bundle}")
