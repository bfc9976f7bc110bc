"""Indexing search shards: one Pagefind run per shard, started as soon as the shard's pages are written.

``ShardIndexer`` (made by ``search_shards.start``) runs ``jobs`` Pagefind processes at a time. A shard's pages
are hard-linked (copied where a link fails) into a folder of their own beside the output (``output.search-<k>``,
same relative paths: same URLs), since Pagefind reads a folder through a glob; Pagefind writes a new bundle
there, which then replaces the shard's old one (``install``), and the folder is renamed to ``output.old-*`` and
deleted in the background, as an old site is, without the build waiting for it; an
incremental ``invoke build`` keeps it in the build cache instead, for its next run (``shard_trees``).
No thread: the build's thread drives it between page writes (``poll``), so the build can still fork its render
workers while Pagefind runs (build.parallel forks only without threads). In a full build (``fill``) the render
workers write each shard's folder themselves as they write the pages (``add``): each page cut down to what
Pagefind reads (``index_pages``), so no link is made then and Pagefind parses ~40% of the bytes. Those
folders are in memory where there is room (``scratch``: ``QA_SEARCH_SCRATCH``); the bundle is always beside the output.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..build import progress
from ..build.cache import Cache
from ..build.lifeline import child_setup
from ..build.outputdir import STAGING, discard
from ..build.writer import read_bytes, write_new
from ..config.urls import Urls
from . import scratch as scratch_folders
from .index_pages import indexed_part
from .pagefind_meta import close_chunk_gaps
from .search_index import Indexing, check_index, run_pagefind
from .search_sorts import shard_ids
from .shard_trees import refresh

logger = logging.getLogger(__name__)

TREE = ".search-"  # a shard's pages and new bundle: <output>.search-<k>/ beside the output folder
BUNDLE = "bundle"  # Pagefind's output inside that folder (not matched by the question glob)
OLD = "old"  # the bundle it replaced, moved there by ``install``
POLL = 0.05  # seconds between looks at the Pagefind runs (ShardIndexer.poll)
LEFT: list[subprocess.Popen[bytes]] = []  # removals of indexed trees a build waits for at its very end (``removed``)


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
        self.removing: list[subprocess.Popen[bytes]] = []  # ``rm -rf`` of the trees indexed (``_remove``)
        self.owner = os.getpid()  # a forked render worker has a copy: only the build's process drives Pagefind
        self.next_poll = 0.0
        self.phase: progress.Phase | None = None
        self.filled: set[int] = set()  # shards whose folders the page writers fill (``fill``, ``add``)
        self.scratch: dict[int, Path] = {}  # the shards' page folders in memory (``use_scratch``), by shard
        self.shard_of_page = {name: shard for shard, names in enumerate(pages) for name in names}
        self.cache: Cache | None = None  # where the sort table's ids are kept (search_sorts.page_ids)
        self.kept: Path | None = None  # where the shards' trees are kept between builds (shard_trees), if they are
        self.installed: list[int] = []  # shards whose bundles are in place, their sort ids not yet read (``finish``)

    def tree(self, shard: int) -> Path:
        """The folder Pagefind reads ``shard``'s pages from: in memory (``use_scratch``), else ``folder``."""
        return self.scratch.get(shard) or self.folder(shard)

    def folder(self, shard: int) -> Path:
        """The folder, on the output's device, that Pagefind writes ``shard``'s new bundle into."""
        if self.kept is not None and shard not in self.filled:
            return self.kept / str(shard)
        return self.output.parent / f"{self.output.name}{TREE}{shard}"

    def use_scratch(self, folder: str) -> bool:
        """Put the shards' page copies in ``folder`` (``QA_SEARCH_SCRATCH``) if it has room for them (``scratch``);
        return whether it had."""
        if not scratch_folders.has_room(folder, sum(len(self.pages[shard]) for shard in self.todo)):
            return False
        scratch_folders.sweep(folder)
        self.scratch = {shard: scratch_folders.make(folder, shard) for shard in self.todo}
        return True

    def fill(self) -> None:
        """The shards' pages will be written into their folders as they are rendered (``add``): a full build."""
        for shard in self.todo:
            shutil.rmtree(self.folder(shard), ignore_errors=True)  # left by a killed build
            self.filled.add(shard)
            self._folders(shard)

    def _folders(self, shard: int) -> None:
        """Make the folders of ``shard``'s page copies in memory in the pages' order, before any page is written:
        Pagefind numbers the pages in the order it finds them, and tmpfs lists a folder in the order it was made,
        so a full build (whose render workers write the pages in any order) and a re-index give the same bundle."""
        if shard in self.scratch:
            for name in self.pages[shard]:
                os.makedirs(self.scratch[shard] / os.path.dirname(name), exist_ok=True)

    def add(self, name: str, page: bytes | None = None, *, cut: bool = False) -> None:
        """Put what Pagefind reads of the page ``name`` (``page``: its bytes, else read back from the output; ``cut``:
        that already) in its shard's folder (any process: the render workers call it)."""
        shard = self.shard_of_page.get(name)
        if shard not in self.filled:
            return
        self._copy(name, self.tree(shard), made=shard in self.scratch, page=page, cut=cut)

    def _copy(self, name: str, tree: Path, *, made: bool, page: bytes | None = None, cut: bool = False) -> None:
        """Put the output page ``name`` (``page``: its bytes; ``cut``: what Pagefind reads of it already) into
        ``tree``: what Pagefind reads of it (``indexed_part``), else the whole page (a link to it where it is not
        given). ``made``: its folder is there already (``_folders``)."""
        source, target = self.output / name, tree / name
        part = page if cut else indexed_part(read_bytes(source) if page is None else page)
        if part is None and page is None:
            link(source, target)
            return
        part = page if part is None else part  # the whole page (not written yet where its body was rendered first)
        if not made:
            target.parent.mkdir(parents=True, exist_ok=True)
        write_new(target, part, exclusive=False)

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
        if shard not in self.filled and shard in self.scratch:  # the pages cut into memory, as a full build does
            self._folders(shard)
            for name in self.pages[shard]:
                self._copy(name, tree, made=True)
        elif shard not in self.filled and self.kept is not None:  # the last run's tree, its changed pages linked again
            try:
                refresh(tree, self.output, self.pages[shard], (BUNDLE, OLD))
            except BaseException:
                self._remove(tree)
                self._removed()
                raise
        elif shard not in self.filled:  # else the page writers filled it (``add``)
            shutil.rmtree(tree, ignore_errors=True)  # left by a killed build
            for name in self.pages[shard]:
                link(self.output / name, tree / name)
        process = run_pagefind(tree, self.glob, self.folder(shard) / BUNDLE)
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
            self._remove(process.bundle.parent)  # a failed run's tree, kept or not
            self._remove_scratch(shard)
            raise
        self._remove(process.bundle.parent / OLD if self.kept is not None else process.bundle.parent)
        self._remove_scratch(shard)
        self.installed.append(shard)
        if self.phase is not None and self.phase.total is not None:
            self.phase.advance(len(self.pages[shard]))

    def kill(self) -> None:
        """Stop: kill the Pagefind runs, start no more."""
        for shard in self.filled.intersection([*self.unwritten, *self.queue]):  # filled, never started
            self._remove(self.folder(shard))
        self.unwritten.clear()
        self.queue.clear()
        for process in self.running:
            process.kill()
            process.communicate()
            self._remove(process.bundle.parent)
        self.running.clear()
        for shard in list(self.scratch):  # the runs' and any other's (one whose pages were being copied)
            self._remove_scratch(shard)
        self._removed()
        if self.phase is not None:
            progress.end(self.phase)

    def finish(self, meanwhile: Callable[[], object] | None = None, *, later: bool = False) -> None:
        """Wait for every shard (their pages all written by now); raise the first failure. ``meanwhile`` is
        called once every shard has started: work for this process while Pagefind runs (or at once, if none).
        ``later``: the trees' removal is waited for by ``removed`` (the build's last step), not here."""
        self.ready(self.todo)
        while self.running or self.queue:
            if meanwhile is not None and self.started:
                meanwhile()
                meanwhile = None
            elif self.installed and self.cache is not None:  # idle: the sort table's ids of a bundle in place
                shard_ids(self.output, self.installed.pop(), self.cache)
            else:
                time.sleep(POLL)
            self.poll(force=True)
            if self.phase is not None:
                self.phase.tick()
        if meanwhile is not None:
            meanwhile()
        if later:
            LEFT.extend(self.removing)
            self.removing.clear()
        self._removed()
        if self.phase is not None:
            progress.end(self.phase)

    def _remove(self, tree: Path) -> None:
        """Remove a shard's tree: renamed at once to ``output.old-*`` and deleted in the background like an old site
        (``outputdir.discard``), which nothing waits for: thousands of unlinks that only wait for the disk (5,000
        folders took 5-18 s on a disk mounted with ``discard``). A killed build's leftover is the next one's
        (``outputdir.recover``). Where it cannot be renamed, an ``rm -rf`` that ``_removed`` waits for."""
        try:
            discard(tree, self.output.with_name(self.output.name.removesuffix(STAGING)))
            return
        except FileNotFoundError:  # never made (a shard that did not start); or renamed, with no rm to delete it
            return
        except OSError:  # not renamed (another device): deleted here, waited for
            pass
        try:
            self.removing.append(subprocess.Popen(["rm", "-rf", "--", str(tree)], preexec_fn=child_setup()))
        except OSError:  # no rm here
            shutil.rmtree(tree, ignore_errors=True)

    def _remove_scratch(self, shard: int) -> None:
        """Remove ``shard``'s page folder in memory, if it has one: in the background, as ``_remove``."""
        tree = self.scratch.pop(shard, None)
        if tree is not None:
            scratch_folders.release(tree)
            self._remove(tree)

    def _removed(self) -> None:
        """Wait for the trees' removal: none is left beside the output when the build ends."""
        for remover in self.removing:
            remover.wait()
        self.removing.clear()


def removed() -> None:
    """Wait for the trees' removal that ``finish(later=True)`` left, those that could not be renamed away
    (``ShardIndexer._remove``): called when the build is done, so the rest of its end (the sort table, Pelican's end,
    the swap, the snapshot) goes on meanwhile, and no shard's folder is left beside the output once it returns."""
    while LEFT:
        LEFT.pop().wait()


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
        old = new.parent / OLD
        target.rename(old)
    new.rename(target)
