"""A cold ``check``'s prepare workers, started while the scan walks content/ and fed each results part once walked.

Without it, a cold check scans content/ (~0.5-0.7 CPU-s at 10,000 questions), makes the file list, and only then
forks ``prepare``'s workers, with the other core idle all along. ``Early`` makes the scan walk the question folders
one results part at a time (``scan_parts.PartWalk``), forks the workers once the scan has walked everything but the
question folders (when there are enough of them for two workers: ``parallel.process_count``), and sends each part's
Markdown files (``prepare.kind_of_rel``), in the order of their paths, as soon as the scan has walked every folder
holding one: a part is prepared while the scan walks the next ones. A part's results come back as ``by_part``'s do
(packed once, the cache's bytes), so ``prepare_files`` goes on as after ``by_part``; a file of the file list that no
part sent (none, if the walk is right) is prepared there as a file the cache did not hold.

Only when the cache knows no file of the folder (``cold``: then every file is prepared; otherwise the usual path
compares the files with the cache after the scan). The scan's rules are the same (``scan_parts``): a file is sent only
once the scan has kept it, and read as every file is, without following a link (``confine.read_file``).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Sequence
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from ..build.cache import Cache
from ..build.parallel import forked_pool, process_count
from . import prepare
from .prepare_cache import DIGESTS, digests_of, part_of
from .scan_parts import PartWalk

logger = logging.getLogger(__name__)

File = tuple[str, str, str]  # (path, rel, kind), the path as a string: what travels to a worker
Sent = tuple[list[tuple[bytes | None, Any]], bytes]  # ``prepare.prepare_part``'s answer


def cold(cache: Cache | None, content: Path) -> bool:
    """True when the cache holds no file digest for ``content`` (a first check, or its cache emptied)."""
    return cache is None or not digests_of(cache.get(namespace=DIGESTS, key=str(content.resolve())))


class Early:
    """The prepare pool of one cold check, forked during the scan (``walk``), each part sent once walked."""

    def __init__(self, content: Path, rel: Callable[[Path], str], processes: int) -> None:
        self.content, self.rel, self.processes = content, rel, processes
        self.walk = PartWalk(content, rel, self._handed)
        self.pool: Pool | None = None
        self.files: list[tuple[Path, str, str]] = []  # every Markdown file handed so far (once the pool is forked)
        self.found: dict[int, list[File]] = {}  # each part's Markdown files handed so far, not sent yet
        self.sent: dict[int, tuple[list[File], AsyncResult[Sent]]] = {}  # by part number, in number order
        self.decided = self.ended = False  # whether to fork (at the first hand-over); whether the scan returned
        self.before_end = 0  # parts sent while the scan was still walking (``tests/test_prepare_early.py``)

    def _handed(self, paths: list[Path], complete: int) -> None:
        if not self.decided:  # the first hand-over (every folder but the question folders walked): fork now or never
            self.decided = True
            self._fork(self.walk.folders)
        if self.pool is None:
            return
        for path in paths:
            rel = self.rel(path)
            kind = prepare.kind_of_rel(rel)
            if kind is not None:
                self.files.append((path, rel, kind))
                self.found.setdefault(part_of(rel), []).append((str(path), rel, kind))
        for number in range(complete):
            files = self.found.pop(number, None)
            if files is not None and number not in self.sent:
                files.sort(key=lambda file: file[1])
                self.sent[number] = files, self.pool.apply_async(prepare.prepare_part, (files,))
                self.before_end += not self.ended

    def _fork(self, folders: int) -> None:
        """Fork the workers when the question folders are enough for two (else the usual path, after the scan)."""
        count = process_count(self.processes, folders)
        if count > 1:
            prepare.sharing(self.content, {}, True)  # no digest known: every file is prepared
            self.pool = forked_pool(count)

    def scanned(self) -> None:
        """The scan returned: send what is left (every part is complete)."""
        self.ended = True
        self.walk.finish()

    def collect(
        self,
        files: Sequence[tuple[Path, str, str]],
        ready: dict[int, tuple[bytes, dict[str, tuple[bytes | None, Any]]]],
        *,
        done: Callable[[], object] | None,
        meanwhile: Callable[[], object],
    ) -> tuple[list[int], list[tuple[bytes | None, Any, Any]]]:
        """Each sent file's index in ``files`` and (digest, result, identity), as ``prepare_cache.by_part`` returns
        them; ``ready`` gets each part's bytes and results. ``done`` is called once per file as its part arrives."""
        assert self.pool is not None
        meanwhile()
        index = {rel: number for number, (_, rel, _) in enumerate(files)}
        order: list[int] = []
        results: list[tuple[bytes | None, Any, Any]] = []
        for number, (sent, answer) in sorted(self.sent.items()):
            identities, data = answer.get()
            opened = pickle.loads(data)
            ready[number] = (data, opened)
            for (_, rel, _), (digest, identity) in zip(sent, identities, strict=True):
                if rel in index:
                    order.append(index[rel])
                    results.append((digest, opened.get(rel, (None, None))[1], identity))
                if done is not None:
                    done()
        return order, results

    def close(self) -> None:
        """Stop the workers (done, or the load failed); they are let go at once."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None
