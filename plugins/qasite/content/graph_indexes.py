"""The index pages' unit (categories, tags, search, help...) patched, not built again, when only questions came or went.

``graph._Builder.indexes`` reads, for every question, its category, tags and status (~60,000 nodes at 10,000
questions, ~80,000 reads over three pages), besides fixed nodes (each category's and tag's entry, the helplines). Its
signature holds every question's path, so a question added or deleted in the live preview rebuilt the whole unit and
``graph_reads.move`` compared all its readers' reads, old and new (~0.05-0.1 CPU-s an edit). When the signature moved
only by its paths (the same category and tag names, the same helplines), the readers, selections and fixed nodes are
as they were: each reader's reads change by the added questions' nodes in and the removed questions' nodes out.
``patched`` makes that change (``graph_reads.move``'s ``patches``) from the unit itself: the added questions' reads by
``indexes`` over a site of those questions alone, the removed ones' from the last graph's parts of their paths. It
needs the last graph's index (``graph_reads``); without it the unit is rebuilt, as before.
``tests/test_graph_update.py`` compares every update of a random chain with the graph built whole.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from .graph import Node, SiteGraph, Unit, _Builder
from .graph_units import Planned

if TYPE_CHECKING:
    from .graph_reads import Reads
    from .site import Site

logger = logging.getLogger(__name__)

UNIT = "indexes"  # graph_units.shared_units: its signature is (names, every question's path, helplines)
Patch = tuple[set[Node], set[Node]]  # a reader's nodes in, and out


class _Only:
    """``site`` with only ``questions``: what ``indexes`` reads of the added questions (and the fixed nodes)."""

    def __init__(self, site: Site, questions: list[Any]) -> None:
        self._site, self.questions = site, questions

    def __getattr__(self, name: str) -> Any:
        return getattr(self._site, name)


def patched(
    builder: _Builder,
    graph: SiteGraph,
    reads: Reads,
    dirty: list[Planned],
    same: dict[Hashable, Unit],
    content: str,
) -> dict[str, Patch]:
    """If ``dirty`` rebuilds the indexes unit and its signature moved only by its questions' paths: take it out of
    ``dirty``, keep it in ``same`` with the new signature (and its readers) and give each reader's patch; else {}."""
    at = next((k for k, planned in enumerate(dirty) if planned[0] == UNIT), None)
    last = graph.units.get(UNIT) if graph.units is not None and at is not None else None
    if last is None or at is None:
        return {}
    sig: Any = dirty[at][1]
    if last[0][0] != sig[0] or last[0][2] != sig[2]:
        return {}  # other names or helplines: rebuilt
    was, now = set(last[0][1]), set(sig[1])
    added = [q for q in builder.site.questions if q.source_path in now and q.source_path not in was]
    patches = _added(builder, added, content, last[1])
    if patches is None:
        return {}
    for reader, (plus, minus) in patches.items():
        held = set(reads.get(reader, ()))
        plus.difference_update(held)  # the fixed nodes, read already
        minus.update(n for path in was - now for n in graph._parts.get(path, ()) if n in held)
    del dirty[at]
    same[UNIT] = (sig, last[1], last[2])
    logger.debug("site graph: the indexes patched (%d questions in, %d out)", len(added), len(was - now))
    return patches


def _added(builder: _Builder, added: list[Any], content: str, readers: Sequence[str]) -> dict[str, Patch] | None:
    """What ``indexes`` reads, reader by reader, over a site of the ``added`` questions alone; None if its readers are
    not the unit's ``readers``."""
    alone = _Builder(_Only(builder.site, added), builder.urls, content)  # type: ignore[arg-type]
    alone.readers = set()
    alone.indexes()
    if alone.readers != set(readers):
        return None
    patches: dict[str, Patch] = {reader: (set(), set()) for reader in readers}
    for node, ones in alone.edges.items():
        for reader in ones:
            patches[reader][0].add(node)
    return patches
