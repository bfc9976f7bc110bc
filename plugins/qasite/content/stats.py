"""Counters of the work a command should do once: content files read, Markdown bodies rendered (or, for ``check``,
only parsed), TF-IDF vector sets.

Each load keeps its own ``LoadStats`` (``Site.stats``, returned with the site); ``TOTAL`` adds up every load in
this process, so a test can show that a whole command (``check``, ``build``, a strict build) read each file and
rendered each body once. Everything is counted in the main process: Markdown rendered in worker processes is
counted as its result comes back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .confine import Tree


@dataclass(kw_only=True)
class LoadStats:
    """Files read, bodies rendered or only parsed (by the file's path as the editor sees it), vector sets built."""

    files_read: Counter[str] = field(default_factory=Counter)
    renders: Counter[str] = field(default_factory=Counter)
    parses: Counter[str] = field(default_factory=Counter)
    vector_sets: int = 0
    cached: int = 0  # Markdown files whose per-file work ``check`` took from the build cache (``prepare``)
    # What a check read, for its whole result to be kept (``replay``): the scanned folder, and the SHA-256 of the
    # bytes of each file read (None: not recorded, a build).
    tree: Tree | None = None
    read_digests: dict[str, bytes] | None = None

    def count_read(self, rel: str) -> None:
        """One content file was read."""
        self.files_read[rel] += 1
        if self is not TOTAL:
            TOTAL.count_read(rel)

    def count_render(self, rel: str) -> None:
        """The Markdown body of one file was rendered."""
        self.renders[rel] += 1
        if self is not TOTAL:
            TOTAL.count_render(rel)

    def count_parse(self, rel: str) -> None:
        """The Markdown body of one file was parsed without being rendered to HTML (``check``)."""
        self.parses[rel] += 1
        if self is not TOTAL:
            TOTAL.count_parse(rel)

    def count_vectors(self) -> None:
        """One TF-IDF vector set was built."""
        self.vector_sets += 1
        if self is not TOTAL:
            TOTAL.count_vectors()

    def copy(self) -> LoadStats:
        """A snapshot (to subtract from a later one)."""
        return LoadStats(
            files_read=self.files_read.copy(),
            renders=self.renders.copy(),
            parses=self.parses.copy(),
            vector_sets=self.vector_sets,
            cached=self.cached,
        )

    def __sub__(self, earlier: LoadStats) -> LoadStats:
        """What was counted since ``earlier``."""
        return LoadStats(
            files_read=self.files_read - earlier.files_read,
            renders=self.renders - earlier.renders,
            parses=self.parses - earlier.parses,
            vector_sets=self.vector_sets - earlier.vector_sets,
            cached=self.cached - earlier.cached,
        )


TOTAL = LoadStats()
