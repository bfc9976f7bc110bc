"""The cache entries of ``prepare_files``: each content folder's file digests, and the per-file results in
``PARTS`` entries by a hash of the path, so that one edit rewrites one of them (build/cache.py holds them)."""

from __future__ import annotations

import logging
import zlib
from typing import Any

from ..build.cache import Cache

logger = logging.getLogger(__name__)

RESULTS, DIGESTS = "check-files", "check-digests"  # the cache's namespaces
PARTS = 16  # the results are kept in this many entries (by a hash of the path): one edit rewrites one of them
BUILD_NAMESPACES = ("build-files", "build-digests")  # a build's (bodies not parsed: it renders them)


def digests_of(stored: Any) -> dict[str, bytes]:
    """The cached digests by path, or none when the entry is not what this code writes (damaged or foreign)."""
    fine = isinstance(stored, dict) and all(isinstance(r, str) and isinstance(d, bytes) for r, d in stored.items())
    return stored if fine else {}


def results_of(stored: Any, kind: type) -> dict[str, tuple[bytes, Any]]:
    """The cached results by path, each with its file's digest (each result a ``kind``); none when the entry is
    not what this code writes."""
    if not isinstance(stored, dict):
        return {}
    for rel, entry in stored.items():
        fine = isinstance(rel, str) and isinstance(entry, tuple) and len(entry) == 2
        if not (fine and isinstance(entry[0], bytes) and isinstance(entry[1], kind)):
            return {}
    return stored


def part_of(rel: str) -> int:
    """Which of the ``PARTS`` results entries holds the file ``rel`` (the same in every run)."""
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) % PARTS


def store(
    cache: Cache,
    key: str,
    fresh: dict[str, tuple[bytes, Any]],
    stored: dict[str, tuple[bytes, Any]],
    namespaces: tuple[str, str],
) -> None:
    """Write the results entries that changed (those holding a file whose digest is not the ``stored`` one, or a
    file added or gone), then the digests (a run killed between them leaves digests the results do not match,
    which are prepared again)."""
    changed = {part_of(rel) for rel, (digest, _) in fresh.items() if rel not in stored or stored[rel][0] != digest}
    changed |= {part_of(rel) for rel in stored.keys() - fresh.keys()}
    parts: dict[int, dict[str, tuple[bytes, Any]]] = {part: {} for part in changed}
    for rel, entry in fresh.items():
        parts.get(part_of(rel), {})[rel] = entry
    try:
        for number, part in sorted(parts.items()):
            cache.put(namespace=namespaces[0], key=f"{key}#{number}", value=part)
        cache.put(namespace=namespaces[1], key=key, value={rel: digest for rel, (digest, _) in fresh.items()})
    except OSError as error:  # only makes the next check slower: not a warning (a strict run fails on any)
        logger.info("could not write the check cache: %s", error)
