"""The build cache: one folder of pickled entries, valid only for this code and these settings.

Commands that can reuse earlier work (``check``'s per-file results, an incremental build's loaded
site and output manifest) keep it under ``QA_CACHE_PATH`` (default ``.cache/qasite``, relative to
the folder the command runs in), in a sub-folder named by a fingerprint of the plugin's source,
Pelican's version and every setting. A cache from another version or other settings is therefore
never read; a damaged entry reads as missing. Nothing in the cache is ever needed: deleting the
folder only makes the next command slower. Only the newest ``KEEP`` fingerprint folders are kept:
the first write under a new fingerprint removes the oldest others (by last use), so caches of old
versions do not pile up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Mapping
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


def code_digest() -> str:
    """A digest of every source file of the plugin and of Pelican's version."""
    digest = hashlib.sha256(version("pelican").encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A key for this code and these settings (paths aside): 16 hex digits."""
    keyed = sorted((key, repr(value)) for key, value in settings.items() if key.isupper() and key not in UNKEYED)
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
        try:
            return pickle.loads(self._path(namespace, key).read_bytes())
        except FileNotFoundError:
            return None
        except Exception as error:  # a damaged or foreign entry reads as missing
            logger.debug("cache entry %s/%s unreadable: %s", namespace, key, error)
            return None

    def put(self, *, namespace: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (atomically: a crash leaves the old entry or none)."""
        path = self._path(namespace, key)
        if not self.folder.is_dir():
            self._prune()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(handle.name, path)
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
