"""The cache entries of ``prepare_files``: each content folder's file digests, and the per-file results in
``PARTS`` entries by a hash of the path (of its question folder, for a question's files: ``part_of``), so that one
edit rewrites one of them (build/cache.py holds them).

Each results entry is kept pickled (bytes): ``prepare``'s forked workers take the files one part at a time
(``by_part``) and send each part's results back pickled once (``packed``), and a part whose files were all
prepared anew (a cold ``check``) is written as those very bytes, not pickled a second time by the store."""

from __future__ import annotations

import logging
import pickle
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from ..build.cache import Cache
from ..build.parallel import map_forked

logger = logging.getLogger(__name__)

RESULTS, DIGESTS = "check-files", "check-digests"  # the cache's namespaces
PARTS = 16  # the results are kept in this many entries (``part_of``): one edit rewrites one of them
BUILD_NAMESPACES = ("build-files", "build-digests")  # a build's (bodies not parsed: it renders them)


def digests_of(stored: Any) -> dict[str, bytes]:
    """The cached digests by path, or none when the entry is not what this code writes (damaged or foreign)."""
    fine = isinstance(stored, dict) and all(isinstance(r, str) and isinstance(d, bytes) for r, d in stored.items())
    return stored if fine else {}


def results_of(stored: Any, kind: type) -> dict[str, tuple[bytes, Any]]:
    """The cached results by path, each with its file's digest (each result a ``kind``), from a results entry
    (``packed``); none when the entry is not what this code writes."""
    try:
        stored = pickle.loads(stored) if isinstance(stored, bytes) else None
    except Exception:  # a damaged entry reads as missing, whatever unpickling raised
        return {}
    if not isinstance(stored, dict):
        return {}
    for rel, entry in stored.items():
        fine = isinstance(rel, str) and isinstance(entry, tuple) and len(entry) == 2
        if not (fine and isinstance(entry[0], bytes) and isinstance(entry[1], kind)):
            return {}
    return stored


def packed(results: dict[str, tuple[bytes | None, Any]]) -> bytes:
    """Results by path, pickled: how a worker sends a part back and how the cache keeps a results entry."""
    return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


def by_part(
    job: Callable[[list[int]], tuple[list[tuple[bytes | None, Any]], bytes]],
    todo: Sequence[int],
    files: Sequence[tuple[Any, str, str]],
    ready: dict[int, tuple[bytes, dict[str, tuple[bytes | None, Any]]]] | None,
    processes: int,
    *,
    done: Callable[[], object] | None,
    meanwhile: Callable[[], object],
) -> tuple[list[int], list[tuple[bytes | None, Any, Any]]]:
    """``job`` over the ``todo`` indexes of ``files`` (path, rel, kind) grouped by results part (``part_of``), in
    ``processes`` forked workers: each group's (digest, identity) by file and its results ``packed``. Returns the
    indexes in the order done and each one's (digest, result or None, identity); ``ready`` gets each part's bytes
    and results (none: the bytes are let go at once; ``done`` is called once per file)."""
    groups: dict[int, list[int]] = {}
    for index in todo:
        groups.setdefault(part_of(files[index][1]), []).append(index)
    numbers = sorted(groups)
    sizes = iter([len(groups[number]) for number in numbers])

    def each() -> None:
        for _ in range(next(sizes)):
            done()  # type: ignore[misc]

    opened: dict[int, dict[str, tuple[bytes | None, Any]]] = {}  # each part's results, unpickled as it arrives

    def arrived(index: int, found: tuple[list[tuple[bytes | None, Any]], bytes]) -> None:
        opened[index] = pickle.loads(found[1])  # while the workers prepare the next parts, not after the last one

    parts = [groups[n] for n in numbers]
    found = map_forked(job, parts, processes=processes, done=done and each, meanwhile=meanwhile, arrived=arrived)
    order, results = [], []
    for index, (number, (identities, data)) in enumerate(zip(numbers, found, strict=True)):
        sent = opened[index]
        if ready is not None:
            ready[number] = (data, sent)
        order += groups[number]
        for index, (digest, identity) in zip(groups[number], identities, strict=True):
            results.append((digest, sent.get(files[index][1], (None, None))[1], identity))
    return order, results


def part_of(rel: str) -> int:
    """Which of the ``PARTS`` results entries holds the file ``rel`` (the same in every run): by a hash of its
    question folder for a question's files (its index.md and answers together: a worker taking one part at a time
    reads each folder's files one after the other, opening the folder once, ``confine.Folders``), else of ``rel``."""
    top = rel.find("/") + 1  # rel starts with the content folder's own name
    end = rel.find("/", top + len(QUESTIONS)) if rel.startswith(QUESTIONS, top) else -1
    return zlib.crc32(rel[: end if end > 0 else None].encode("utf-8", "surrogateescape")) % PARTS


QUESTIONS = "questions/"


def store(
    cache: Cache,
    key: str,
    fresh: dict[str, tuple[bytes, Any]],
    stored: dict[str, tuple[bytes, Any]],
    namespaces: tuple[str, str],
    ready: dict[int, tuple[bytes, dict[str, tuple[bytes | None, Any]]]],
) -> None:
    """Write the results entries that changed (those holding a file whose digest is not the ``stored`` one, or a
    file added or gone), then the digests (a run killed between them leaves digests the results do not match,
    which are prepared again). ``ready``: parts as a worker ``packed`` them, with what they hold: written as they
    are when they hold exactly the part's files, with the same digests."""
    changed = {part_of(rel) for rel, (digest, _) in fresh.items() if rel not in stored or stored[rel][0] != digest}
    changed |= {part_of(rel) for rel in stored.keys() - fresh.keys()}
    parts: dict[int, dict[str, tuple[bytes, Any]]] = {part: {} for part in changed}
    for rel, entry in fresh.items():
        parts.get(part_of(rel), {})[rel] = entry
    try:
        for number, part in sorted(parts.items()):
            sent = ready.get(number)
            same = sent is not None and sent[1].keys() == part.keys() and all(sent[1][r][0] == part[r][0] for r in part)
            value = sent[0] if same and sent is not None else packed(part)
            cache.put(namespace=namespaces[0], key=f"{key}#{number}", value=value)
        cache.put(namespace=namespaces[1], key=key, value={rel: digest for rel, (digest, _) in fresh.items()})
    except OSError as error:  # only makes the next check slower: not a warning (a strict run fails on any)
        logger.info("could not write the check cache: %s", error)
