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
its graph's edges (unless the live preview built it after the first's page: ``prepare``), each later one takes it
from the last. ``tests/test_graph_update.py`` compares every update of a
chain with the graph built whole, and the kept index with the reverse of the edges.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import defaultdict
from collections.abc import Collection, Mapping, Set

from .graph import Node, SiteGraph

logger = logging.getLogger(__name__)

Reads = dict[str, list[Node]]  # a reader (an output or a fact) -> the nodes it reads

_LAST: list[weakref.ref[SiteGraph] | Reads | None] = [None, None]  # the last updated graph (weakly) and its ``Reads``
_LOCK = threading.Lock()  # ``prepare`` builds the index in the preview's thread after a build


def reads_of(graph: SiteGraph) -> Reads | None:
    """The index of ``graph`` if the last update of this process made it (built now if not yet), else None."""
    with _LOCK:
        ref, reads = _LAST
        if ref is None or ref() is not graph:  # type: ignore[operator]
            return None
        if reads is None:
            reads = _LAST[1] = index(graph.edges)
        return reads  # type: ignore[return-value]


def keep(graph: SiteGraph, reads: Reads | None) -> None:
    """Remember ``graph`` as the last update's (and its index, if known: else built at the next update or by
    ``prepare``)."""
    with _LOCK:
        _LAST[0], _LAST[1] = weakref.ref(graph), reads


def prepare() -> None:
    """Build the index of the last update's graph now if it is not yet: the live preview calls it after a build, once
    the page has reloaded (``Preview.catch_up``), so that its next update does not (0.3 CPU-s once at 10,000
    questions, at a process's second update); an update meanwhile waits for it."""
    with _LOCK:
        graph = _LAST[0]() if _LAST[0] is not None else None  # type: ignore[operator]
        if graph is not None and _LAST[1] is None:
            _LAST[1] = index(graph.edges)


def index(edges: Mapping[Node, Collection[str]]) -> Reads:
    """Each reader's nodes, from the edges (the reverse of ``SiteGraph.edges``)."""
    reads: defaultdict[str, list[Node]] = defaultdict(list)
    for node, readers in edges.items():
        for reader in readers:
            reads[reader].append(node)
    return dict(reads)


def move(
    graph: SiteGraph,
    reads: Reads,
    stale: Set[str],
    new: Mapping[Node, Set[str]],
    patches: Mapping[str, tuple[Set[Node], Set[Node]]] | None = None,
) -> tuple[dict[Node, Collection[str]], dict[str, set[Node]], Reads]:
    """The edges and parts of ``graph`` without what the ``stale`` readers read and with the ``new`` edges (as
    ``graph_update._take_out`` then ``_put_in`` give them), and their index; ``reads``: the index of ``graph``.
    ``patches``: readers (not stale) whose reads change only by nodes in and nodes out (``graph_indexes``)."""
    wanted: defaultdict[str, set[Node]] = defaultdict(set)
    for node, readers in new.items():
        for reader in readers:
            wanted[reader].add(node)
    moving = _Moving(dict(graph.edges), dict(graph._parts))
    after = dict(reads)
    for reader, now in wanted.items():
        old = reads.get(reader, ())
        added = now.difference(old)
        for node in added:
            moving.add(node, reader)
        after[reader] = list(now) if reader in stale else [*old, *added]
    for reader in stale:
        now = wanted.get(reader, set())
        for node in reads.get(reader, ()):
            if node not in now:
                moving.drop(node, reader)
        if reader not in wanted:
            after.pop(reader, None)
    for reader, (plus, minus) in (patches or {}).items():
        for node in plus:
            moving.add(node, reader)
        for node in minus:
            moving.drop(node, reader)
        after[reader] = [*reads.get(reader, ()), *plus]
        for node in minus:  # a few nodes (a removed question's): found by the list's own scan, in C
            after[reader].remove(node)
    return moving.edges, moving.parts, after


class _Moving:
    """The edges and parts being moved: copies of the last graph's dicts, whose sets are copied on first write."""

    def __init__(self, edges: dict[Node, Collection[str]], parts: dict[str, set[Node]]) -> None:
        self.edges, self.parts = edges, parts
        self.mine: set[int] = set()  # the ids of the sets this update made (the last graph's sets or tuples: only read)
        self.copied: set[str] = set()  # the paths whose parts set this update made

    def _own(self, node: Node) -> set[str]:
        readers = self.edges[node]
        if id(readers) not in self.mine:
            self.edges[node] = readers = set(readers)
            self.mine.add(id(readers))
        return readers  # type: ignore[return-value]

    def add(self, node: Node, reader: str) -> None:
        if node not in self.edges:
            self.edges[node] = readers = set()
            self.mine.add(id(readers))
            if not isinstance(node, str):
                _parts(self.parts, self.copied, node[0]).add(node)
        self._own(node).add(reader)

    def drop(self, node: Node, reader: str) -> None:
        readers = self._own(node)
        readers.discard(reader)
        if not readers:
            del self.edges[node]
            if not isinstance(node, str):
                left = _parts(self.parts, self.copied, node[0])
                left.discard(node)
                if not left:
                    del self.parts[node[0]]


def _parts(parts: dict[str, set[Node]], copied: set[str], path: str) -> set[Node]:
    """The parts set of ``path``, this update's own copy."""
    if path not in copied or path not in parts:
        parts[path] = set(parts.get(path, ()))
        copied.add(path)
    return parts[path]
