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
so the pages themselves do not change with N. Pagefind reads a folder through a glob, so a shard's pages are hard-linked
(copied where a link fails) into a folder of their own beside the output
(``output.search-<k>``, same relative paths: same URLs); Pagefind writes a new bundle
there, which then replaces the shard's old one. ``reindex`` re-indexes only the shards of
the questions an edit touched (incremental builds, previews).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..build import progress
from ..config.urls import Urls, save_as
from ..content import confine
from .pagefind_meta import close_chunk_gaps
from .search_index import Indexing, check_index, run_pagefind
from .search_sorts import read_sort_table

logger = logging.getLogger(__name__)

TREE = ".search-"  # a shard's pages and new bundle: <output>.search-<k>/ beside the output folder
BUNDLE = "bundle"  # Pagefind's output inside that folder (not matched by the question glob)


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


class ShardIndexer(threading.Thread):
    """Indexes shards (``jobs`` Pagefind runs at a time) in the background; ``finish`` waits and reports.

    A thread, so that the chain goes on while the build writes other pages. Pagefind is
    started from this thread, which outlives it (it dies with its parent thread: lifeline).
    """

    def __init__(self, output: Path, pages: list[list[str]], glob: str, *, shards: Iterable[int], jobs: int) -> None:
        super().__init__(name="search-shards", daemon=True)
        self.output, self.pages, self.glob, self.jobs = output, pages, glob, max(1, jobs)
        self.todo = sorted(set(shards))
        self.count = len(pages)
        self.done_pages = 0
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.running: list[Indexing] = []
        self.install_lock = threading.Lock()
        self.phase: progress.Phase

    def run(self) -> None:
        try:
            queue = list(self.todo)
            while (queue or self.running) and not self.stopping.is_set():
                while queue and len(self.running) < self.jobs:
                    self.running.append(self._start(queue.pop(0)))
                time.sleep(0.05)
                for process in [p for p in self.running if p.poll() is not None]:
                    self.running.remove(process)
                    self._finish(process)
        except BaseException as error:  # reported by finish() in the build's thread
            self.error = error
            self.kill_running()

    def _start(self, shard: int) -> Indexing:
        tree = self.output.parent / f"{self.output.name}{TREE}{shard}"
        shutil.rmtree(tree, ignore_errors=True)  # left by a killed build
        for name in self.pages[shard]:
            link(self.output / name, tree / name)
        process = run_pagefind(tree, self.glob, tree / BUNDLE)
        process.shard = shard  # type: ignore[attr-defined]
        return process

    def _finish(self, process: Indexing) -> None:
        shard: int = process.shard  # type: ignore[attr-defined]
        stdout, stderr = process.communicate()
        try:
            check_index(process.returncode or 0, stdout, stderr, process.bundle)
            close_chunk_gaps(process.bundle)
            with self.install_lock:
                target = self.output / Urls.search_bundle(shard)
                install(process.bundle, target, keep_shards=shard == 0 and self.count > 1)
        finally:
            shutil.rmtree(process.bundle.parent, ignore_errors=True)
        self.done_pages += len(self.pages[shard])

    def kill_running(self) -> None:
        for process in self.running:
            process.kill()
            process.communicate()
            shutil.rmtree(process.bundle.parent, ignore_errors=True)
        self.running.clear()

    def kill(self) -> None:
        """Stop: kill the Pagefind runs, start no more."""
        self.stopping.set()
        self.join()
        self.kill_running()
        progress.end(self.phase)

    def begin(self) -> None:
        """Start indexing, and its progress line (``indexing 10,000 pages``; with shards, ``5,000/10,000``)."""
        total = sum(len(self.pages[k]) for k in self.todo)
        single = len(self.todo) == 1
        if single:
            self.phase = progress.begin("indexing", unit="pages", count=total)
        else:
            self.phase = progress.begin("indexing", unit="pages", total=total)
        self.start()

    def finish(self) -> None:
        """Wait for every shard; raise the first failure."""
        shown = 0
        while self.is_alive():
            self.join(timeout=progress.REFRESH)
            if self.phase.total is not None:
                self.phase.advance(self.done_pages - shown)
                shown = self.done_pages
            self.phase.tick()
        progress.end(self.phase)
        if self.error is not None:
            raise self.error


def link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where the file system has none)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def install(new: Path, target: Path, keep_shards: bool) -> None:
    """Put the bundle ``new`` at ``target``, replacing the old one; ``keep_shards``: move the old one's
    other shards (``pagefind/<k>/``, inside shard 0's folder) into the new one first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if keep_shards:
            for child in target.iterdir():
                if child.is_dir() and child.name.isdigit():
                    child.rename(new / child.name)
        old = new.parent / "old"
        target.rename(old)
    new.rename(target)


def drop_extra_bundles(output: Path, shards: int) -> None:
    """Remove bundles of shards beyond ``shards`` (the site shrank, or had a different shard size)."""
    folder = output / Urls.pagefind
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child.is_dir() and child.name.isdigit() and (shards == 1 or int(child.name) >= shards):
            shutil.rmtree(child)


def start(
    output: Path, questions: Sequence[Any], urls: Urls, settings: dict[str, Any], shards: Iterable[int] | None = None
) -> ShardIndexer:
    """Start indexing the ``shards`` (None: every shard) of ``questions`` (pages already in ``output``, the other
    shards' bundles too); ``finish_all`` completes it."""
    count = shard_count([q.slug for q in questions], settings["QA_SEARCH_SHARD_SIZE"])
    indexer = ShardIndexer(
        output,
        plan(questions, urls, count),
        urls.glob("question"),
        shards=range(count) if shards is None else shards,
        jobs=settings["QA_SEARCH_SHARD_JOBS"],
    )
    indexer.begin()
    return indexer


def finish_all(indexer: ShardIndexer, questions: Sequence[Any], siteurl: str) -> dict[str, str]:
    """Wait for ``indexer``; return the files written after it: the shard list and the sort table (name -> text)."""
    indexer.finish()
    drop_extra_bundles(indexer.output, indexer.count)
    return {
        Urls.search_shards: shards_file(indexer.count, siteurl),
        Urls.search_sorts: read_sort_table(indexer.output, questions, indexer.count),
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
        for name in (Urls.search_shards, Urls.search_sorts):
            (output / name).unlink(missing_ok=True)
        return []
    indexer = start(output, questions, urls, settings, shards)
    for name, text in finish_all(indexer, questions, settings["SITEURL"]).items():
        path = confine.output_file(output, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return shards
