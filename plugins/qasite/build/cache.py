"""The build cache: one folder of pickled entries, valid only for this code and these settings.

Commands that can reuse earlier work (``check``'s per-file results, an incremental build's loaded site and output
manifest) keep it under ``QA_CACHE_PATH`` (default ``.cache/qasite``, relative to the folder the command runs in), in a
sub-folder named by a fingerprint of the plugin's source, Pelican's version and every setting. A cache from another
version or other settings is therefore never read; a damaged entry reads as missing. Nothing in the cache is ever
needed: deleting the folder only makes the next command slower. Only the newest ``KEEP`` fingerprint folders are kept:
the first write under a new fingerprint removes the oldest others (by last use): old versions' caches do not pile up.

A build defers its writes (``deferred``): the entries are kept in memory and written after the swap by ``write_behind``,
in a detached process forked for it, so the build's command returns without waiting for them. That process keeps the
build lock (``build/outputdir.py``), so the next build of the same output folder waits for a complete cache, and ``get``
in this process waits for it first; each entry is written atomically.

A process that builds more than once (the live preview, ``tools/livereload.py``) keeps each entry it read or wrote in
memory (``_MEMORY``) with the file's identity (inode, size, mtime): while the file is unchanged, the next ``get``
returns that object instead of unpickling it again. Callers treat cached values as read-only. Inside ``held()`` (the
preview's builds) ``put`` only keeps the entry in memory, pending, and so does ``write_behind``: ``get`` returns it, and
``flush()`` (the preview's end) writes what is pending. An entry not written yet only makes another process's next build
slower (each entry is checked against what it is used for, or read as missing).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import os
import re
import shutil
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

from . import entry_file

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent.parent
# Settings that name where things are, not what is built: they do not change the cache's key.
UNKEYED = frozenset({"PATH", "OUTPUT_PATH", "QA_CACHE_PATH"})
# Fingerprint folders kept under the cache root (this one included); older ones are removed.
KEEP = 3
FOLDER_NAME = re.compile(r"[0-9a-f]{16}")
_DEFERRED: dict[Path, tuple[Cache, Any]] | None = None  # entries put while writes are deferred, by file
WRITER_LIMIT = 600  # seconds a write-behind process may take (it holds the build lock meanwhile)
_BEHIND: list[int] = []  # read ends of pipes held open by this process's write-behind processes

# The entries this process last read or wrote, by file: (the file's inode, size and mtime then, the value); the
# newest MEMORY_ENTRIES only (a preview uses ~20: the load's parts among them; a test session builds many sites).
_MEMORY: dict[Path, tuple[tuple[int, int, int], Any]] = {}
MEMORY_ENTRIES = 64
HANDED = "QASITE_CACHE"  # settings key: the build's cache for the generator (Pelican's settings fingerprint apart)


def _remember(path: Path, identity: tuple[int, int, int], value: Any) -> None:
    _MEMORY.pop(path, None)
    _MEMORY[path] = (identity, value)
    while len(_MEMORY) > MEMORY_ENTRIES:
        del _MEMORY[next(iter(_MEMORY))]


# Entries ``put`` inside ``held()`` and not written yet, by file: (the cache, the value).
_PENDING: dict[Path, tuple[Cache, Any]] = {}
_LATER: dict[Path, Callable[[], None]] = {}  # inside ``held()``: ``write_behind``'s ``prepare`` by the file it puts
_holding = False


@contextmanager
def held() -> Iterator[None]:
    """Within the block, ``put`` keeps entries in memory only, until ``flush()``."""
    global _holding
    before, _holding = _holding, True
    try:
        yield
    finally:
        _holding = before


def flush() -> None:
    """Write every entry kept pending by ``held()`` (after the ``prepare`` calls ``write_behind`` put off)."""
    while _LATER:
        _prepare(next(iter(_LATER)))
    while _PENDING:
        path, (cache, value) = _PENDING.popitem()
        cache._write(path, value)


def _prepare(path: Path) -> None:
    """Call the ``prepare`` put off for ``path`` (``write_behind``'s ``later``): its entries are held."""
    with held():
        _LATER.pop(path)()


def _identity(path: Path) -> tuple[int, int, int]:
    return (info := os.stat(path)).st_ino, info.st_size, info.st_mtime_ns


@functools.cache
def code_digest() -> str:
    """A digest of every source file of the plugin and of Pelican's version (once a process: the code it runs)."""
    digest = hashlib.sha256(version("pelican").encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A key for this code and these settings (paths aside): 16 hex digits."""
    keyed = sorted((key, repr(value)) for key, value in settings.items() if _keyed(key))
    digest = hashlib.sha256(code_digest().encode())
    digest.update(repr(keyed).encode())
    return digest.hexdigest()[:16]


def _keyed(key: str) -> bool:
    """A setting that changes what is built; not the QASITE_* hand-overs between a command's steps (the loaded
    site, the preview's deferred search: the same cache serves the preview and ``invoke build``)."""
    return key.isupper() and key not in UNKEYED and not key.startswith("QASITE_")


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
        if _DEFERRED is not None and path in _DEFERRED:
            return _DEFERRED[path][1]
        if path in _LATER:
            _prepare(path)
        if path in _PENDING:
            return _PENDING[path][1]
        settle()
        enabled = gc.isenabled()
        gc.disable()  # an entry is many objects that live on: collecting while they are made only walks them
        try:
            identity = _identity(path)
            remembered = _MEMORY.get(path)
            if remembered is not None and remembered[0] == identity:
                return remembered[1]
            value = entry_file.load(path)  # streamed: no copy of the whole file in memory first
        except FileNotFoundError:
            return None
        except Exception as error:  # a damaged or foreign entry reads as missing
            logger.debug("cache entry %s/%s unreadable: %s", namespace, key, error)
            return None
        finally:
            if enabled:
                gc.enable()
        if _identity(path) == identity:  # not replaced while being read
            _remember(path, identity, value)
        return value

    def put(self, *, namespace: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (atomically: a crash leaves the old entry or none); while ``deferred``, only
        keep it for ``write_behind`` (``value`` must not change meanwhile); in ``held()``, in memory to ``flush()``."""
        path = self._path(namespace, key)
        if _holding:
            _MEMORY.pop(path, None)
            _PENDING[path] = (self, value)
            return
        _PENDING.pop(path, None)
        if _DEFERRED is not None:
            _DEFERRED[path] = (self, value)
            return
        self._write(path, value)

    def _write(self, path: Path, value: Any) -> None:
        if not self.folder.is_dir():
            self._prune()
        path.parent.mkdir(parents=True, exist_ok=True)
        entry_file.dump(path, value)  # streamed: no copy of it all in memory
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


def behind() -> bool:
    """Whether ``write_behind`` writes apart by default: not in CI (``CI`` set), whose later cache step needs them."""
    return not os.environ.get("CI")


def deferred() -> None:
    """From now on keep the entries put in memory, for ``write_behind`` (a build; any earlier ones are dropped)."""
    global _DEFERRED
    _DEFERRED = {}


def write_behind(
    prepare: Callable[[], None] | None = None, *, background: bool | None = None, later: Path | None = None
) -> None:
    """Write the deferred entries (after ``prepare()``, which may ``put`` more), in a detached process unless
    ``background`` is false (or a process cannot be made); writes are no longer deferred afterwards. By default
    in the background where ``behind`` says so.
    Inside ``held()``, a ``prepare`` that puts only the file ``later`` is called when that entry is asked for, or by
    ``flush()``, unless another for that file replaces it first (the preview's snapshot: made when it stops).

    The process is forked twice (nobody need wait for it; once if this process ends with its build) and keeps every
    file this one has open, the build lock among them: the next build of the output folder waits for it. Its standard
    streams are /dev/null, so a caller reading this process's output is not kept waiting. Only the writes: no threads.
    """
    global _DEFERRED
    entries, _DEFERRED = _DEFERRED, None
    if _holding:  # the preview: everything stays in memory until flush()
        _PENDING.update(entries or {})
        if prepare is not None and later is not None:
            _LATER[later] = prepare
        elif prepare is not None:
            prepare()  # its puts are held too
        return
    if entries is None and prepare is None:
        return
    entries = entries or {}
    if background is None:
        background = behind()
    single = sys.modules[f"{__package__}.memory"].ONE_BUILD  # the process ends with this build (python -m qasite)
    if background:
        try:
            read, write = os.pipe()
            child = os.fork()
        except OSError:
            background = False
    if not background:
        _write_all(entries, prepare, quiet=False)
        return
    if child == 0:  # the first fork: make the writer (or be it: ``ONE_BUILD``) and end at once (never returns)
        code = 1
        try:
            os.close(read)
            if single or os.fork() == 0:
                signal.alarm(WRITER_LIMIT)  # a writer stuck for any reason ends (SIGALRM's default), freeing the lock
                gc.disable()  # a collection would touch, so copy, every page of the heap shared with the build
                null = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(null, stream)
                _write_all(entries, prepare, quiet=True)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    if not single:  # else the child is the writer, reaped once this process ends (soon): nothing to wait for
        os.waitpid(child, 0)
    _BEHIND.append(read)


def _write_all(entries: dict[Path, tuple[Cache, Any]], prepare: Callable[[], None] | None, *, quiet: bool) -> None:
    """Write ``entries`` (and what ``prepare`` puts); ``quiet``: not a word (a forked process must not log)."""
    global _DEFERRED
    if prepare is not None:
        _DEFERRED = entries
        try:
            prepare()
        finally:
            _DEFERRED = None
    for path, (cache, value) in entries.items():
        try:
            cache._write(path, value)
        except OSError as error:  # only makes the next build slower
            if not quiet:
                logger.info("could not write %s to the build cache: %s", path, error)


def settle() -> None:
    """Wait for this process's write-behind processes to finish (their pipes' other ends close with them)."""
    while _BEHIND:
        read = _BEHIND.pop()
        try:
            os.read(read, 1)
        finally:
            os.close(read)
