"""Update the last build's site graph to a new site's, unit by unit, instead of building it again.

The graph of a full build keeps each unit's signature, readers and sitemap addresses (``graph_units``).
``update`` plans the new site's units (their signatures only), rebuilds the units whose signature
changed (or that came or went), takes their old readers out of the edges and puts the new ones in:
the result equals ``site_graph`` of the new site (tests/test_graph_update.py checks it after random
edits). Only the rebuilt units' selections can have changed, so what a change affects is found by
comparing those, not every output's. When it cannot vouch for the result (the old graph has no units,
or two units would write one output) it returns None and the caller builds the graph whole.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import graph_indexes, graph_reads
from .graph import Node, SiteGraph, Unit, _Builder, site_graph
from .graph_local import moved, moved_units, reach, tag_units
from .graph_shown import quiet, shown
from .graph_units import Planned, plan_units, question_units, sign, sign_apart
from .related import Related
from .site import Site

logger = logging.getLogger(__name__)

Change = tuple[str, str | None, str | None]  # (path, entry, field) as SiteGraph.feeds takes them


@dataclass(frozen=True, kw_only=True)
class Updated:
    """The updated graph, the outputs the changes can alter (as ``affected``) and the outputs gone."""

    graph: SiteGraph
    outputs: set[str]
    gone: set[str]
    rebuilt: int  # units rebuilt (of ``len(graph.units)``)


def update(
    graph: SiteGraph,
    site: Site,
    urls: object,
    *,
    per_page: int,
    related: Mapping[str, Sequence[Related]],
    content: str,
    found: Sequence[Change],
    relisted: Collection[str] | None = None,
) -> Updated | None:
    """The graph of ``site`` from ``graph`` (the last build's, left unchanged), and what the changes ``found``
    affect; None if the graph cannot be updated this way. ``relisted``: the only questions (slugs) whose lists in
    ``related`` may differ from those the last graph was built with (``invoke build``: ``related_keep.relisted``; empty
    when it reuses the snapshot's, ``changes.keeps_related``); None: any."""
    old = graph.units
    if old is None:
        return None
    builder = _Builder(site, urls, content)  # type: ignore[arg-type]
    tagged = reach(found, content)
    planned = None
    if relisted is not None and tagged == frozenset():  # only their page's signature can move (graph_local)
        planned = _relisted(builder, old, related, relisted)
    if planned is not None:
        dirty, same, removed, local = planned
    else:
        paths = None if tagged is not None else moved(found, old, (q.source_path for q in site.questions))
        dirty, same, removed, local = _planned(builder, old, related, per_page, tagged, paths)
    reads = graph_reads.reads_of(graph)  # what each reader read: only the moved edges change (else a pass over all)
    patches = {} if reads is None else graph_indexes.patched(builder, graph, reads, dirty, same, content)
    for uid, sig, build in dirty:
        builder.unit(uid, sig, build)
    units: dict[Hashable, Unit] = dict(old)
    for uid in removed:
        del units[uid]
    units.update(same)
    units.update(builder.units)
    if not local or any(old[uid][2] != unit[2] for uid, unit in builder.units.items()):  # else the sitemap's
        # addresses are as they were, and so are its dates and order (graph_local): its signature too
        sitemap = builder.sitemap_unit(units)
        if old["sitemap"][0] != sitemap[1]:
            builder.unit(*sitemap)
            units["sitemap"] = builder.units["sitemap"]
    stale = {reader for uid in [*(u for u, _, _ in dirty), *removed] if uid in old for reader in old[uid][1]}
    if "sitemap" in builder.units:
        stale.update(old["sitemap"][1])
    kept = graph.selections.keys() - stale
    if builder.shared or not kept.isdisjoint(builder.selections):
        return None  # two units write one output: build it whole
    selections = {name: value for name, value in graph.selections.items() if name not in stale}
    selections.update(builder.selections)
    if reads is not None:
        edges, parts, reads = graph_reads.move(graph, reads, stale, builder.edges, patches)
    else:
        edges, parts = _take_out(graph, stale)
        _put_in(edges, parts, builder.edges)
    after = SiteGraph(edges=edges, selections=selections, units=units, shown=shown(site), _parts=parts)
    graph_reads.keep(after, reads)
    previous = {name: graph.selections[name] for name in stale if name in graph.selections}
    changed = {
        name for name in previous.keys() | builder.selections.keys() if previous.get(name) != selections.get(name)
    }
    alike = quiet(graph.shown, after.shown)
    outputs = _feeds(graph, found, alike) | _feeds(after, found, alike) | changed
    logger.debug("site graph: %d of %d units rebuilt", len(builder.units), len(units))
    return Updated(
        graph=after,
        outputs={n for n in outputs if n in selections},
        gone=previous.keys() - selections.keys(),
        rebuilt=len(builder.units),
    )


def _planned(
    builder: _Builder,
    old: Mapping[Hashable, Unit],
    related: Mapping[str, Sequence[Related]],
    per_page: int,
    tagged: frozenset[str] | None,
    moved: frozenset[str] | None = None,
) -> tuple[list[Planned], dict[Hashable, Unit], list[Hashable], bool]:
    """The units to rebuild, the units kept with the plan's signature (``_dirty``), the units gone, and whether only
    the questions' own units were planned. Those, and the units the tags of the questions at ``tagged`` reach, are all
    that is planned unless ``tagged`` is None (the changes may reach any unit: ``graph_local.reach``), or one of
    them is new. With ``moved``, the questions added or removed or whose answers were (``graph_local.moved``): the
    units they reach."""
    if tagged is not None:
        signed = sign(builder.site, related)
        planned = list(question_units(builder, signed, kept=old))
        more = tag_units(builder, old, signed, tagged, per_page) if tagged else []
        dirty, same = _dirty(old, planned + (more or []))
        if more is not None and all(uid in old for uid, _, _ in dirty):
            return dirty, same, [], not tagged
    if moved is not None:
        found = _moved(builder, old, related, per_page, moved)
        if found is not None:
            return found
    planned = list(plan_units(builder, related, per_page))
    new_ids = {uid for uid, _, _ in planned}
    dirty, same = _dirty(old, planned)
    return dirty, same, [uid for uid in old if uid not in new_ids and uid != "sitemap"], False


def _relisted(
    builder: _Builder, old: Mapping[Hashable, Unit], related: Mapping[str, Sequence[Related]], slugs: Collection[str]
) -> tuple[list[Planned], dict[Hashable, Unit], list[Hashable], bool] | None:
    """``_planned`` for a change that moves no signature but the pages' of the questions ``slugs`` (their related
    lists): their own units only; None if one is new (plan as before)."""
    questions = [q for q in builder.site.questions if q.slug in slugs] if slugs else []
    planned = question_units(builder, sign_apart(builder.site, related, questions), questions)
    dirty, same = _dirty(old, list(planned))
    return (dirty, same, [], True) if all(uid in old for uid, _, _ in dirty) else None


def _moved(
    builder: _Builder,
    old: Mapping[Hashable, Unit],
    related: Mapping[str, Sequence[Related]],
    per_page: int,
    paths: frozenset[str],
) -> tuple[list[Planned], dict[Hashable, Unit], list[Hashable], bool] | None:
    """``_planned`` for questions added or removed, or their answers (``graph_local.moved_units``); None: plan every
    unit."""
    signed = sign(builder.site, related)
    more = moved_units(builder, old, signed, paths, per_page)
    if more is None:
        return None
    planned = list(question_units(builder, signed, kept=old)) + more  # not the questions whose units stay as kept
    dirty, same = _dirty(old, planned)
    own = [(kind, path) for path in sorted(paths) for kind in ("question", "row", "markdown")]
    if not all(uid in old or uid in own for uid, _, _ in dirty):
        return None  # a unit of another kind is new
    published = {q.source_path for q in builder.site.questions if q.source_path in paths}
    return dirty, same, [uid for uid in own if uid in old and uid[1] not in published], False


def _dirty(old: Mapping[Hashable, Unit], planned: Sequence[Planned]) -> tuple[list[Planned], dict[Hashable, Unit]]:
    """The planned units whose signature changed (or that are new), and the others whose kept signature is equal but
    another object: those take the new one (same readers), so that the next edit's comparison of that unit finds the
    very object (``is``) or its very parts, not a deep comparison of equal strings and tuples. A graph read from the
    cache (the preview's start, or ``invoke build``) holds signatures unpickled apart from the site's objects: each
    edit compared all ~31,000 of them in depth (~0.15 s at 10,000 questions) until a unit was rebuilt."""
    dirty: list[Planned] = []
    same: dict[Hashable, Unit] = {}
    for uid, sig, build in planned:
        last = old.get(uid)
        if last is None:
            dirty.append((uid, sig, build))
        elif last[0] is not sig:
            if last[0] != sig:
                dirty.append((uid, sig, build))
            else:
                same[uid] = (sig, last[1], last[2])
    return dirty, same


def follow(
    before: SiteGraph,
    found: Sequence[Change],
    site: Site,
    urls: object,
    relisted: Collection[str] | None = None,
    **options: Any,
) -> tuple[SiteGraph, set[str], set[str]]:
    """The graph of ``site`` (``options`` as ``site_graph`` takes them), the outputs the changes ``found`` can alter
    (``affected``) and the outputs gone: by ``update`` if it can (``relisted`` as it takes it), else by building
    the graph whole."""
    updated = update(before, site, urls, found=found, relisted=relisted, **options)
    if updated is not None:
        return updated.graph, updated.outputs, updated.gone
    after = site_graph(site, urls, **options)  # type: ignore[arg-type]
    return after, affected(before, after, found), gone(before, after)


def affected(before: SiteGraph, after: SiteGraph, found: Sequence[Change]) -> set[str]:
    """The outputs the changes ``found`` feed in either graph (not through a fact shown alike in both), and every
    output whose selection changed."""
    alike = quiet(before.shown, after.shown)
    outputs = _feeds(before, found, alike) | _feeds(after, found, alike)
    names = before.selections.keys() | after.selections.keys()
    outputs |= {name for name in names if before.selections.get(name) != after.selections.get(name)}
    return {name for name in outputs if name in after.selections}  # an output gone is simply not linked


def gone(before: SiteGraph, after: SiteGraph) -> set[str]:
    """The outputs of the last build that this one no longer writes (a deleted question's page)."""
    return before.selections.keys() - after.selections.keys()


def _feeds(graph: SiteGraph, found: Sequence[Change], alike: frozenset[str]) -> set[str]:
    outputs: set[str] = set()
    for path, entry, part in found:
        outputs |= graph.feeds(path, entry, part, alike)
    return outputs


def snapshot_form(graph: SiteGraph) -> SiteGraph:
    """``graph`` as a snapshot keeps it (``build/incremental.save``): plain tuples for its parts, for each node's
    readers and for each path's parts, which a resumed build unpickles in C without building and hashing ~272,000 sets
    at 10,000 questions. An update reads either form (``_take_out``, ``_put_in``, ``graph_reads.move``: a tuple is
    never changed, only read)."""
    edges = {node if isinstance(node, str) else tuple(node): tuple(ones) for node, ones in graph.edges.items()}
    kept = SiteGraph(edges=edges, selections=graph.selections, units=graph.units, shown=graph.shown)
    kept._parts = {path: tuple(nodes) for path, nodes in kept._parts.items()}  # type: ignore[misc]
    return kept


def _take_out(graph: SiteGraph, readers: set[str]) -> tuple[dict[Node, Collection[str]], dict[str, set[Node]]]:
    """Copies of the graph's edges and parts without ``readers`` (the nodes left with none dropped); the graph's own
    sets are not changed (the last build's snapshot may be held in memory by the cache, and written later)."""
    edges, parts = dict(graph.edges), dict(graph._parts)
    if not readers:
        return edges, parts
    empty = []
    for node, reading in edges.items():  # a reading is a set, or a tuple as the snapshot kept it (SiteGraph.edges)
        if not readers.isdisjoint(reading):
            left = set(reading).difference(readers)
            if left:
                edges[node] = left
            else:
                empty.append(node)
    copied: set[str] = set()
    for node in empty:
        del edges[node]
        if not isinstance(node, str):
            path = node[0]
            if path not in copied:
                parts[path], _ = set(parts[path]), copied.add(path)
            parts[path].discard(node)
            if not parts[path]:
                del parts[path]
    return edges, parts


def _put_in(edges: dict[Node, Collection[str]], parts: dict[str, set[Node]], new: Mapping[Node, set[str]]) -> None:
    """Add the ``new`` edges, with new sets where a node already had readers (the old graph's are shared)."""
    for node, reading in new.items():
        if node in edges:
            edges[node] = reading.union(edges[node])
        else:
            edges[node] = reading
            if not isinstance(node, str):
                path = node[0]
                parts[path] = {node}.union(parts[path]) if path in parts else {node}
