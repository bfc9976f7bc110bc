"""Which nodes each reader of the site graph reads, kept for the graph the last update made: the next update then
moves only the edges of readers whose reads changed (``graph_update``).

``graph_update`` rebuilds the units whose signature changed; the old edges of their readers must go and the new ones
come in. Without knowing what each reader read, that is a pass over every node (~244,000 at 10,000 questions) and a
new set for every node the rebuilt units read. A rebuilt unit mostly reads what it read before (a listing page one row
more and one less, the indexes one question more), so with each reader's nodes at hand (``Reads``) an update changes
only the difference, and copies only the reader sets it changes (the last graph's are never changed).

The index is kept in memory, for the last graph an update made in this process (the live preview, where one update
follows another), never pickled: a process that updates once (``invoke build``) would spend more building it (~1.2
million reads) than the pass costs. So the first update of a process takes the pass, the second builds the index from
its graph's edges, each later one takes it from the last. ``tests/test_graph_update.py`` compares every update of a
chain with the graph built whole, and the kept index with the reverse of the edges.
"""

from __future__ import annotations

import logging
import weakref
from collections import defaultdict
from collections.abc import Collection, Mapping, Set

from .graph import Node, SiteGraph

logger = logging.getLogger(__name__)

Reads = dict[str, list[Node]]  # a reader (an output or a fact) -> the nodes it reads

_LAST: list[weakref.ref[SiteGraph] | Reads | None] = [None, None]  # the last updated graph (weakly) and its ``Reads``


def reads_of(graph: SiteGraph) -> Reads | None:
    """The index of ``graph`` if the last update of this process made it (built now if not yet), else None."""
    ref, reads = _LAST
    if ref is None or ref() is not graph:  # type: ignore[operator]
        return None
    if reads is None:
        reads = _LAST[1] = index(graph.edges)
    return reads  # type: ignore[return-value]


def keep(graph: SiteGraph, reads: Reads | None) -> None:
    """Remember ``graph`` as the last update's (and its index, if known: else built at the next update)."""
    _LAST[0], _LAST[1] = weakref.ref(graph), reads


def index(edges: Mapping[Node, Collection[str]]) -> Reads:
    """Each reader's nodes, from the edges (the reverse of ``SiteGraph.edges``)."""
    reads: defaultdict[str, list[Node]] = defaultdict(list)
    for node, readers in edges.items():
        for reader in readers:
            reads[reader].append(node)
    return dict(reads)


def move(
    graph: SiteGraph, reads: Reads, stale: Set[str], new: Mapping[Node, Set[str]]
) -> tuple[dict[Node, Collection[str]], dict[str, set[Node]], Reads]:
    """The edges and parts of ``graph`` without what the ``stale`` readers read and with the ``new`` edges (as
    ``graph_update._take_out`` then ``_put_in`` give them), and their index; ``reads``: the index of ``graph``."""
    wanted: defaultdict[str, set[Node]] = defaultdict(set)
    for node, readers in new.items():
        for reader in readers:
            wanted[reader].add(node)
    edges, parts, after = dict(graph.edges), dict(graph._parts), dict(reads)
    mine: set[int] = set()  # the ids of the sets this update made (the last graph's sets or tuples: only read)
    copied: set[str] = set()  # the paths whose parts set this update made
    for reader, now in wanted.items():
        old = reads.get(reader, ())
        added = now.difference(old)
        for node in added:
            readers = edges.get(node)
            if readers is None:
                edges[node] = readers = set()
                mine.add(id(readers))
                if not isinstance(node, str):
                    _parts(parts, copied, node[0]).add(node)
            elif id(readers) not in mine:
                edges[node] = readers = set(readers)
                mine.add(id(readers))
            readers.add(reader)
        after[reader] = list(now) if reader in stale else [*old, *added]
    for reader in stale:
        now = wanted.get(reader, set())
        for node in reads.get(reader, ()):
            if node in now:
                continue
            readers = edges[node]
            if id(readers) not in mine:
                edges[node] = readers = set(readers)
                mine.add(id(readers))
            readers.discard(reader)
            if not readers:
                del edges[node]
                if not isinstance(node, str):
                    left = _parts(parts, copied, node[0])
                    left.discard(node)
                    if not left:
                        del parts[node[0]]
        if reader not in wanted:
            after.pop(reader, None)
    return edges, parts, after


def _parts(parts: dict[str, set[Node]], copied: set[str], path: str) -> set[Node]:
    """The parts set of ``path``, this update's own copy."""
    if path not in copied or path not in parts:
        parts[path] = set(parts.get(path, ()))
        copied.add(path)
    return parts[path]
