"""The build cache: one folder of pickled entries, valid only for this code and these settings.

Commands that can reuse earlier work (``check``'s per-file results, an incremental build's loaded
site and output manifest) keep it under ``QA_CACHE_PATH`` (default ``.cache/qasite``, relative to
the folder the command runs in), in a sub-folder named by a fingerprint of the plugin's source,
Pelican's version and every setting. A cache from another version or other settings is therefore
never read; a damaged entry reads as missing. Nothing in the cache is ever needed: deleting the
folder only makes the next command slower. Only the newest ``KEEP`` fingerprint folders are kept:
the first write under a new fingerprint removes the oldest others (by last use), so caches of old
versions do not pile up.

A process that builds more than once (the live preview, ``tools/livereload.py``) keeps each entry it read or
wrote in memory (``_MEMORY``) with the file's identity (inode, size, mtime): while the file is unchanged, the
next ``get`` returns that object instead of unpickling it again. Callers treat cached values as read-only.
Inside ``deferred()`` (the preview's builds) ``put`` only keeps the entry in memory, pending: ``get`` returns
it, and ``flush()`` (the preview's end) writes what is pending. An entry not written yet only makes another
process's next build slower (each entry is checked against what it is used for, or read as missing).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent.parent
# Settings that name where things are, not what is built: they do not change the cache's key.
UNKEYED = frozenset({"PATH", "OUTPUT_PATH", "QA_CACHE_PATH"})
# Fingerprint folders kept under the cache root (this one included); older ones are removed.
KEEP = 3
FOLDER_NAME = re.compile(r"[0-9a-f]{16}")
# The entries this process last read or wrote, by file: (the file's inode, size and mtime then, the value); the
# newest MEMORY_ENTRIES only (a preview uses five; a test session builds many sites in one process).
_MEMORY: dict[Path, tuple[tuple[int, int, int], Any]] = {}
MEMORY_ENTRIES = 8


def _remember(path: Path, identity: tuple[int, int, int], value: Any) -> None:
    _MEMORY.pop(path, None)
    _MEMORY[path] = (identity, value)
    while len(_MEMORY) > MEMORY_ENTRIES:
        del _MEMORY[next(iter(_MEMORY))]


# Entries ``put`` inside ``deferred()`` and not written yet, by file: (the cache, the value).
_PENDING: dict[Path, tuple[Cache, Any]] = {}
_deferring = False


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block, ``put`` keeps entries in memory only, until ``flush()``."""
    global _deferring
    before, _deferring = _deferring, True
    try:
        yield
    finally:
        _deferring = before


def flush() -> None:
    """Write every entry kept pending by ``deferred()``."""
    while _PENDING:
        path, (cache, value) = _PENDING.popitem()
        cache._write(path, value)


def _identity(path: Path) -> tuple[int, int, int]:
    info = os.stat(path)
    return info.st_ino, info.st_size, info.st_mtime_ns


def code_digest() -> str:
    """A digest of every source file of the plugin and of Pelican's version."""
    digest = hashlib.sha256(version("pelican").encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _keyed(key: str) -> bool:
    """A setting that changes what is built; not the QASITE_* hand-overs between a command's steps (the loaded
    site, the preview's deferred search: the same cache serves the preview and ``invoke build``)."""
    return key.isupper() and key not in UNKEYED and not key.startswith("QASITE_")


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A key for this code and these settings (paths aside): 16 hex digits."""
    keyed = sorted((key, repr(value)) for key, value in settings.items() if _keyed(key))
    digest = hashlib.sha256(code_digest().encode())
    digest.update(repr(keyed).encode())
    return digest.hexdigest()[:16]


class Cache:
    """Pickled entries by (namespace, key) in ``root/<fingerprint>/<namespace>/``."""

    def __init__(self, *, root: Path, settings: Mapping[str, Any]) -> None:
        self.folder = root / fingerprint(settings)
        self.touched = False

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> Cache:
        """The cache that ``QA_CACHE_PATH`` names for these settings."""
        return cls(root=Path(settings.get("QA_CACHE_PATH") or ".cache/qasite"), settings=settings)

    def _path(self, namespace: str, key: str) -> Path:
        return self.folder / namespace / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"

    def get(self, *, namespace: str, key: str) -> Any | None:
        """The entry stored under ``key``, or None if there is none or it cannot be read."""
        path = self._path(namespace, key)
        if path in _PENDING:
            return _PENDING[path][1]
        try:
            identity = _identity(path)
            remembered = _MEMORY.get(path)
            if remembered is not None and remembered[0] == identity:
                return remembered[1]
            value = pickle.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except Exception as error:  # a damaged or foreign entry reads as missing
            logger.debug("cache entry %s/%s unreadable: %s", namespace, key, error)
            return None
        if _identity(path) == identity:  # not replaced while being read
            _remember(path, identity, value)
        return value

    def put(self, *, namespace: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (atomically: a crash leaves the old entry or none); only in memory until
        ``flush()`` inside ``deferred()``."""
        path = self._path(namespace, key)
        if _deferring:
            _MEMORY.pop(path, None)
            _PENDING[path] = (self, value)
            return
        _PENDING.pop(path, None)
        self._write(path, value)

    def _write(self, path: Path, value: Any) -> None:
        if not self.folder.is_dir():
            self._prune()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(handle.name, path)
        _remember(path, _identity(path), value)
        if not self.touched:  # the folder's mtime is its last use, for pruning
            os.utime(self.folder)
            self.touched = True

    def _prune(self) -> None:
        """Remove all but the ``KEEP - 1`` most recently used other fingerprint folders under the root."""
        root = self.folder.parent
        try:
            others = [p for p in root.iterdir() if p.is_dir() and FOLDER_NAME.fullmatch(p.name) and p != self.folder]
            others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for old in others[KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
