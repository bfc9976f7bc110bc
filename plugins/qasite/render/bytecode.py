"""The compiled templates of this process, kept between builds (Jinja's bytecode cache, in memory).

Pelican makes a new Jinja environment for every build, which compiles every template again. A process
that builds more than once (the live preview) hands each environment the same ``TEMPLATES`` cache instead.
Jinja keys an entry by the template's name and file and checks it against a checksum of the source, so an
edited template is compiled again; the output is the same either way.
"""

from __future__ import annotations

from typing import Any

from jinja2.bccache import Bucket, BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates by Jinja's key, in this process only; the same object in every copy of the settings."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (data := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)  # Jinja drops it if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.store.clear()

    def __deepcopy__(self, memo: dict[int, Any]) -> MemoryBytecodeCache:
        return self  # build.pipeline copies the settings for each build: the cache is shared, not copied

    def __copy__(self) -> MemoryBytecodeCache:
        return self

    def __repr__(self) -> str:
        return "MemoryBytecodeCache()"  # stable: settings are fingerprinted by their repr (build/cache.py)


TEMPLATES = MemoryBytecodeCache()
