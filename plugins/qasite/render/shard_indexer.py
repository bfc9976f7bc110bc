"""Indexing search shards: one Pagefind run per shard, started as soon as the shard's pages are written.

``ShardIndexer`` (made by ``search_shards.start``) runs ``jobs`` Pagefind processes at a time. A shard's pages
are hard-linked (copied where a link fails) into a folder of their own beside the output (``output.search-<k>``,
same relative paths: same URLs), since Pagefind reads a folder through a glob; Pagefind writes a new bundle
there, which then replaces the shard's old one (``install``); the folder's pages are kept for the next run, which
links again only the pages that are no longer the output's very files (``refresh``).
No thread: the build's thread drives it between page writes (``poll``), so the build can still fork its render
workers while Pagefind runs (build.parallel forks only without threads). In a full build (``fill``) the render
workers write each shard's folder themselves as they write the pages (``add``): each page cut down to what
Pagefind reads (``index_pages``), so no link is made then and Pagefind parses ~40% of the bytes.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..build import progress
from ..build.outputdir import discard
from ..build.writer import staged_files
from ..config.urls import Urls
from .index_pages import indexed_part
from .pagefind_meta import close_chunk_gaps
from .search_index import Indexing, check_index, run_pagefind

logger = logging.getLogger(__name__)

TREE = ".search-"  # a shard's pages and new bundle: <output>.search-<k>/ beside the output folder
BUNDLE = "bundle"  # Pagefind's output inside that folder (not matched by the question glob)
OLD = "old"  # the bundle it replaced, moved there by ``install``
POLL = 0.05  # seconds between looks at the Pagefind runs (ShardIndexer.poll)


class ShardIndexer:
    """Indexes shards as their pages are written, ``jobs`` Pagefind runs at a time; ``finish`` waits and reports.

    No thread: the build's own thread drives it between page writes (``poll``: cheap, at most every
    ``POLL`` seconds), so the build can still fork its render workers while Pagefind runs (build.parallel
    forks only without threads) and a shard's Pagefind run starts as soon as its pages are on disk,
    while the next shard's pages and the rest of the site are written.
    """

    def __init__(self, output: Path, pages: list[list[str]], glob: str, *, shards: Iterable[int], jobs: int) -> None:
        self.output, self.pages, self.glob, self.jobs = output, pages, glob, max(1, jobs)
        self.todo = sorted(set(shards))
        self.count = len(pages)
        self.unwritten = set(self.todo)  # shards whose pages are not all written yet
        self.queue: list[int] = []  # shards ready to index, in order
        self.running: list[Indexing] = []
        self.owner = os.getpid()  # a forked render worker has a copy: only the build's process drives Pagefind
        self.next_poll = 0.0
        self.phase: progress.Phase | None = None
        self.filled: set[int] = set()  # shards whose folders the page writers fill (``fill``, ``add``)
        self.shard_of_page = {name: shard for shard, names in enumerate(pages) for name in names}

    def tree(self, shard: int) -> Path:
        """The folder Pagefind reads ``shard``'s pages from and writes its new bundle into."""
        return self.output.parent / f"{self.output.name}{TREE}{shard}"

    def fill(self) -> None:
        """The shards' pages will be written into their folders as they are rendered (``add``): a full build."""
        for shard in self.todo:
            self._remove(self.tree(shard))  # the last run's, or left by a killed build
            self.filled.add(shard)

    def add(self, name: str) -> None:
        """The page ``name`` is written in the output: put what Pagefind reads of it in its shard's folder (any
        process: the render workers call it)."""
        shard = self.shard_of_page.get(name)
        if shard not in self.filled:
            return
        source, target = self.output / name, self.tree(shard) / name
        cut = indexed_part(source.read_bytes())
        if cut is None:
            link(source, target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cut)

    def ready(self, shards: Iterable[int]) -> None:
        """The pages of ``shards`` are all written: index them as soon as a run is free."""
        for shard in sorted(self.unwritten.intersection(shards)):
            self.unwritten.discard(shard)
            self.queue.append(shard)
        self.poll(force=True)

    def poll(self, *, force: bool = False) -> None:
        """Install the bundles of the runs that ended, start the shards ready while fewer than ``jobs`` run."""
        now = time.monotonic()
        if os.getpid() != self.owner or (now < self.next_poll and not force):
            return
        self.next_poll = now + POLL
        for process in [p for p in self.running if p.poll() is not None]:
            self.running.remove(process)
            self._finish(process)
        while self.queue and len(self.running) < self.jobs:
            self.running.append(self._start(self.queue.pop(0)))

    @property
    def started(self) -> bool:
        """Whether every shard's run has started (or ended)."""
        return not self.unwritten and not self.queue

    def _start(self, shard: int) -> Indexing:
        if self.phase is None:  # ``indexing 10,000 pages``; with shards, ``5,000/10,000``
            total = sum(len(self.pages[k]) for k in self.todo)
            single = len(self.todo) == 1
            self.phase = progress.begin(
                "indexing", unit="pages", count=total if single else 0, total=None if single else total
            )
        tree = self.tree(shard)
        if shard not in self.filled:  # else the page writers filled it (``add``)
            refresh(tree, self.output, self.pages[shard])  # the last run's tree, its changed pages linked again
        process = run_pagefind(tree, self.glob, tree / BUNDLE)
        process.shard = shard  # type: ignore[attr-defined]
        return process

    def _finish(self, process: Indexing) -> None:
        shard: int = process.shard  # type: ignore[attr-defined]
        stdout, stderr = process.communicate()
        try:
            check_index(process.returncode or 0, stdout, stderr, process.bundle)
            close_chunk_gaps(process.bundle)
            install(process.bundle, self.output / Urls.search_bundle(shard), keep_shards=shard == 0 and self.count > 1)
        except BaseException:
            self._remove(process.bundle.parent)
            raise
        if (old := process.bundle.parent / OLD).exists():  # the replaced bundle, moved out of the tree to go
            discard(old, process.bundle.parent)  # the pages stay, for the next run (``refresh``)
        if self.phase is not None and self.phase.total is not None:
            self.phase.advance(len(self.pages[shard]))

    def kill(self) -> None:
        """Stop: kill the Pagefind runs, start no more."""
        for shard in self.filled.intersection([*self.unwritten, *self.queue]):  # filled, never started
            self._remove(self.tree(shard))
        self.unwritten.clear()
        self.queue.clear()
        for process in self.running:
            process.kill()
            process.communicate()
            self._remove(process.bundle.parent)
        self.running.clear()
        if self.phase is not None:
            progress.end(self.phase)

    def finish(self, meanwhile: Callable[[], object] | None = None) -> None:
        """Wait for every shard (their pages all written by now); raise the first failure. ``meanwhile`` is
        called once every shard has started: work for this process while Pagefind runs (or at once, if none)."""
        self.ready(self.todo)
        while self.running or self.queue:
            if meanwhile is not None and self.started:
                meanwhile()
                meanwhile = None
            else:
                time.sleep(POLL)
            self.poll(force=True)
            if self.phase is not None:
                self.phase.tick()
        if meanwhile is not None:
            meanwhile()
        if self.phase is not None:
            progress.end(self.phase)

    def _remove(self, tree: Path) -> None:
        """Remove a shard's tree in the background: thousands of unlinks and rmdirs (~3 ms a folder on some disks)
        that only wait for the disk. Renamed aside first, as a swapped-out site (``outputdir.discard``), and not waited
        for (a resumed answer edit at 10,000 questions waited ~5-8 s for it)."""
        if tree.exists():
            discard(tree, tree)  # <tree>.old-*: ``rm -rf`` in a session of its own goes on if the build is killed


def link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where the file system has none)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def refresh(tree: Path, output: Path, pages: list[str]) -> None:
    """Make ``tree`` hold exactly ``pages``, hard links to ``output``'s: the last run's tree is kept (re-made, a
    shard's 5,000 folders and links took ~7% of a resumed edit's CPU), its pages that are not the output's very
    files linked again and the others removed; anything else in it (a killed run's bundle) goes. What the tree
    holds is compared with the output each time, never trusted, so a tree left by a killed build is repaired."""
    if not tree.is_dir():
        for name in pages:
            link(output / name, tree / name)
        return
    for folder in (tree / BUNDLE, tree / OLD):  # what a killed run left: not pages
        shutil.rmtree(folder, ignore_errors=True)
    wanted = set(pages)
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


def install(new: Path, target: Path, keep_shards: bool) -> None:
    """Put the bundle ``new`` at ``target``, replacing the old one; ``keep_shards``: move the old one's
    other shards (``pagefind/<k>/``, inside shard 0's folder) into the new one first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if keep_shards:
            for child in target.iterdir():
                if child.is_dir() and child.name.isdigit():
                    child.rename(new / child.name)
        old = new.parent / OLD
        target.rename(old)
    new.rename(target)
