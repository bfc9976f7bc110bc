"""The compiled templates of this process, kept between builds (Jinja's bytecode cache, in memory).

Pelican makes a new Jinja environment for every build, which compiles every template again. A process
that builds more than once (the live preview) hands each environment the same ``TEMPLATES`` cache instead.
Jinja keys an entry by the template's name and file and checks it against a checksum of the source, so an
edited template is compiled again; the output is the same either way. A new process (``invoke build``)
starts from the templates the last build compiled, kept in the build cache (``restore``, ``persist``: ~0.25
CPU-s of compiling at each build); Jinja drops an entry made by another Python or Jinja (its header) too.
"""

from __future__ import annotations

from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from ..build.cache import Cache

NAMESPACE = "templates"  # build cache: the compiled templates by Jinja's key (one entry)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates by Jinja's key, in this process only; the same object in every copy of the settings."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.stored: dict[str, bytes] = {}  # as last read from or put in the build cache (``persist``)

    def load_bytecode(self, bucket: Bucket) -> None:
        if (data := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)  # Jinja drops it if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.store.clear()
        self.stored = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> MemoryBytecodeCache:
        return self  # build.pipeline copies the settings for each build: the cache is shared, not copied

    def __copy__(self) -> MemoryBytecodeCache:
        return self

    def __repr__(self) -> str:
        return "MemoryBytecodeCache()"  # stable: settings are fingerprinted by their repr (build/cache.py)


TEMPLATES = MemoryBytecodeCache()


def restore(cache: Cache | None) -> None:
    """Take the compiled templates kept in the build cache, if this process has none yet (a new process)."""
    if cache is None or TEMPLATES.store:
        return
    kept = cache.get(namespace=NAMESPACE, key=NAMESPACE)
    if isinstance(kept, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in kept.items()):
        TEMPLATES.store.update(kept)
        TEMPLATES.stored = kept


def persist(cache: Cache | None) -> None:
    """Keep this process's compiled templates in the build cache for the next build, if it compiled any anew."""
    if cache is not None and TEMPLATES.store != TEMPLATES.stored:
        TEMPLATES.stored = dict(TEMPLATES.store)
        cache.put(namespace=NAMESPACE, key=NAMESPACE, value=TEMPLATES.stored)
