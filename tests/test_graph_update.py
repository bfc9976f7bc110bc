"""The site graph updated unit by unit (qasite.content.graph_update) equals the graph built whole.

A copy of the demo site gets random edits of every kind (tests/test_incremental.py's ``Editor``), in a seeded
random order; after each, the last graph (itself an update, as in the live preview) is updated to the new site
and compared with ``site_graph`` of the new site: the same edges, selections and units, the same outputs
affected and gone as the whole graphs give, and the last graph left as it was.
"""

from __future__ import annotations

import pickle
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_incremental import KINDS, SEED, Editor, demo_copy, settings_for  # noqa: F401 (demo_copy: a fixture)

from qasite.build.changes import changes, keeps_related, pack_related, scan
from qasite.build.related_keep import relisted
from qasite.config.settings import urls_from
from qasite.content import graph_reads, graph_units
from qasite.content.graph import SiteGraph, _Builder, site_graph
from qasite.content.graph_local import moved, moved_units, reach
from qasite.content.graph_update import _put_in, _take_out, affected, follow, gone, snapshot_form, update
from qasite.content.loader import load_from_settings
from qasite.content.related import Related, compute_related

EDITS_PER_KIND = 4


def loaded(site: Path, settings: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    found, problems = load_from_settings(site / "content", settings, urls_from(settings))
    assert [p for p in problems if p.is_error] == []
    related = compute_related(found.vectors, limit=settings["QA_RELATED_COUNT"])
    options = {"per_page": settings["QA_PER_PAGE"], "related": related, "content": "content"}
    return found, options


def units(graph: SiteGraph) -> dict[Any, Any]:
    assert graph.units is not None
    return {uid: (sig, set(readers), set(urls)) for uid, (sig, readers, urls) in graph.units.items()}


@pytest.mark.parametrize("resumed", ["never", "first", "every"])
def test_random_edits_update_the_graph_to_the_whole_graph(
    demo_copy: Path,  # noqa: F811
    tmp_path: Path,
    resumed: str,
) -> None:
    """``resumed``: the last graph read back from a snapshot (``snapshot_form``, pickled: its readers are tuples)
    never (the live preview's own graphs), before the first update only (a preview resumed from the cache: untouched
    nodes keep their tuples through later updates), or before every update (``invoke build`` after each edit)."""
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=4)  # small pages: rows move between them
    rng = random.Random(SEED)
    editor = Editor(demo_copy / "content", rng)
    site, options = loaded(demo_copy, settings)
    urls = urls_from(settings)
    graph = site_graph(site, urls, **options)
    files = scan(demo_copy / "content", {})
    order = [kind for kind in KINDS for _ in range(EDITS_PER_KIND)]
    rng.shuffle(order)
    indexed = 0
    for step, kind in enumerate(order):
        if resumed == "every" or (resumed == "first" and step == 0):
            graph = pickle.loads(pickle.dumps(snapshot_form(graph)))
            assert all(isinstance(held, tuple) for held in [*graph.edges.values(), *graph._parts.values()])
        getattr(editor, kind)()
        now = scan(demo_copy / "content", files)
        found = changes(files, now)
        site, options = loaded(demo_copy, settings)
        whole = site_graph(site, urls, **options)
        kept = pickle.dumps(graph)
        reads = graph_reads.reads_of(graph)  # from the second update on: each reader's nodes (graph_reads)
        before = None if reads is None else {reader: list(nodes) for reader, nodes in reads.items()}
        indexed += reads is not None
        updated = update(graph, site, urls, found=found, **options)
        assert updated is not None, f"edit {step} ({kind})"
        assert pickle.dumps(graph) == kept, f"edit {step} ({kind}): the last graph changed"
        assert reads is None or reads == before, f"edit {step} ({kind}): the last graph's index changed"
        after = graph_reads.reads_of(updated.graph)
        assert after is not None and _sets(after) == _sets(graph_reads.index(whole.edges)), f"edit {step} ({kind})"
        assert _plain(updated.graph) == _plain(whole), f"edit {step} ({kind})"  # edges (readers as sets), selections
        parts = SiteGraph(edges=whole.edges, selections={})._parts
        assert {path: set(nodes) for path, nodes in updated.graph._parts.items()} == parts, f"edit {step} ({kind})"
        assert units(updated.graph) == units(whole), f"edit {step} ({kind})"
        assert updated.outputs == affected(graph, whole, found), f"edit {step} ({kind})"
        assert updated.gone == gone(graph, whole), f"edit {step} ({kind})"
        assert updated.rebuilt < len(units(whole)), f"edit {step} ({kind})"
        graph, files = updated.graph, now
    assert indexed == (0 if resumed == "every" else len(order) - 1)  # updates after the first moved changed edges


def _plain(graph: SiteGraph) -> tuple[Any, ...]:
    """A graph's edges (each node's readers as a set, whichever form it holds them in), selections and shown."""
    return {node: set(readers) for node, readers in graph.edges.items()}, graph.selections, graph.shown


def _sets(reads: dict[str, list[Any]]) -> dict[str, set[Any]]:
    assert all(len(set(nodes)) == len(nodes) for nodes in reads.values())  # each node once
    return {reader: set(nodes) for reader, nodes in reads.items()}


def test_a_graph_without_units_is_built_whole(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """A graph whose units are unknown (None) is not updated: ``follow`` builds the new one whole."""
    settings = settings_for(demo_copy, tmp_path / "output")
    site, options = loaded(demo_copy, settings)
    urls = urls_from(settings)
    graph = site_graph(site, urls, **options)
    bare = SiteGraph(edges=graph.edges, selections=graph.selections)
    files = scan(demo_copy / "content", {})
    Editor(demo_copy / "content", random.Random(SEED)).add_question()
    found = changes(files, scan(demo_copy / "content", files))
    site, options = loaded(demo_copy, settings)
    assert update(bare, site, urls, found=found, **options) is None
    after, outputs, dropped = follow(bare, found, site, urls, **options)
    whole = site_graph(site, urls, **options)
    assert after == whole and units(after) == units(whole)
    assert outputs == affected(graph, whole, found) and outputs and dropped == set()


def test_an_unpickled_graph_takes_the_planned_signatures(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """A graph read from the cache holds signatures equal to the plan's but other objects: the update keeps the plan's
    (the same readers), so the next edit compares each question's unit by identity, not in depth."""
    settings = settings_for(demo_copy, tmp_path / "output")
    site, options = loaded(demo_copy, settings)
    urls = urls_from(settings)
    whole = site_graph(site, urls, **options)
    cached = pickle.loads(pickle.dumps(whole))
    updated = update(cached, site, urls, found=[], **options)
    assert updated is not None and updated.rebuilt == 0 and updated.outputs == set()
    assert units(updated.graph) == units(whole) and updated.graph.edges == whole.edges
    for q in site.questions:
        uid = ("question", q.source_path)
        assert updated.graph.units[uid][0] is graph_units._SIGNED[id(q)][4], uid
        assert updated.graph.units[uid][1] is cached.units[uid][1], uid  # the readers kept, not rebuilt


def test_new_related_lists_alike_keep_their_page_signatures(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """A resize makes every related list a new object: a list showing the same questions with the same shared tags
    keeps its page's signature object (``_dirty`` compares it by identity), one showing another order, other tags or
    fewer questions gets a new signature; each equal to one signed afresh."""
    site, options = loaded(demo_copy, settings_for(demo_copy, tmp_path / "output"))
    related = options["related"]
    first = graph_units.sign(site, related)
    moved = {
        slug: [Related(question=i.question, shared_tags=tuple(list(i.shared_tags)), score=i.score / 2) for i in items]
        for slug, items in related.items()
    }
    changed = [q for q in site.questions if len(related[q.slug]) >= 2][:3]
    moved[changed[0].slug].reverse()
    item = moved[changed[1].slug][0]
    moved[changed[1].slug][0] = Related(question=item.question, shared_tags=(*item.shared_tags, "x"), score=item.score)
    moved[changed[2].slug].pop()
    second = graph_units.sign(site, moved)
    graph_units._SIGNED.clear()
    fresh = graph_units.sign(site, moved)
    for q in site.questions:
        assert second[id(q)][4] == fresh[id(q)][4], q.slug
        assert (second[id(q)][4] is first[id(q)][4]) == (q not in changed), q.slug


def test_an_answer_added_or_deleted_rebuilds_no_sitemap(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """The sitemap reads each question's last-modified date through its row unit's fact ('@lastmod:<path>'): an answer
    added or deleted rebuilds that question's units, not the sitemap's (~70,000 edges at 10,000 questions), and the
    sitemap is still among the outputs it affects (the question's date moved)."""
    settings = settings_for(demo_copy, tmp_path / "output")
    urls = urls_from(settings)
    site, options = loaded(demo_copy, settings)
    graph = site_graph(site, urls, **options)
    files = scan(demo_copy / "content", {})
    editor = Editor(demo_copy / "content", random.Random(SEED))
    for kind in ("add_answer", "delete_answer"):
        getattr(editor, kind)()
        now = scan(demo_copy / "content", files)
        site, options = loaded(demo_copy, settings)
        updated = update(graph, site, urls, found=changes(files, now), **options)
        assert updated is not None and updated.graph == site_graph(site, urls, **options), kind
        assert updated.graph.units is not None and graph.units is not None
        assert updated.graph.units["sitemap"] is graph.units["sitemap"], kind
        assert "sitemap.xml" in updated.outputs, kind
        graph, files = updated.graph, now


def test_the_last_related_lists_plan_nothing_for_a_local_change(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """``invoke build`` with the questions whose related lists moved since the last graph (``relisted``: none when it
    reuses the snapshot's lists): a change that reaches no signature but the questions' own (an answer's or question's
    text, a person's name: ``graph_local``) rebuilds only those questions' own units (none with the same lists), and
    still equals the whole graph; any other change is planned as before. Breaking the rule (no plan whatever the
    change, or none for the relisted questions) fails the votes and title edits here, or the text edits that move
    related lists (``relisted``: lists equal but for their scores are not relisted, and are planned alike)."""
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=4)
    rng = random.Random(SEED)
    editor = Editor(demo_copy / "content", rng)
    site, options = loaded(demo_copy, settings)
    urls = urls_from(settings)
    graph, files = site_graph(site, urls, **options), scan(demo_copy / "content", {})
    tried: dict[tuple[bool, bool], int] = {}
    for step, kind in enumerate([k for k in KINDS for _ in range(EDITS_PER_KIND)]):
        getattr(editor, kind)()
        now = scan(demo_copy / "content", files)
        found = changes(files, now)
        last = pack_related(options["related"])
        site, options = loaded(demo_copy, settings)
        whole = site_graph(site, urls, **options)
        lists = last if keeps_related(found) else pack_related(options["related"])  # the snapshot's, or new ones
        moved = relisted(lists, last)
        if moved is None:  # questions added or deleted: planned as before
            graph, files = whole, now
            continue
        updated = update(graph, site, urls, found=found, relisted=moved, **options)
        assert updated is not None and updated.graph == whole, f"edit {step} ({kind})"
        assert units(updated.graph) == units(whole), f"edit {step} ({kind})"
        assert updated.outputs == affected(graph, whole, found), f"edit {step} ({kind})"
        local = reach(found, "content") == frozenset()
        assert updated.rebuilt <= 3 * len(moved) or not local, f"edit {step} ({kind})"
        tried[local, bool(moved)] = tried.get((local, bool(moved)), 0) + 1
        graph, files = updated.graph, now
    assert tried.get((True, True)) and tried.get((True, False)) and tried.get((False, False)), tried


def test_a_question_added_or_removed_plans_only_what_it_reaches(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """A question added or deleted with its answers, or an answer added or deleted (``graph_local.moved``), plans the
    questions' own units and only the units it reaches (``graph_local.moved_units``: the site's listings and feed,
    its category's and tags', its posts' authors' points and member pages, the indexes, the trust pages, llms.txt),
    and the update still equals the whole graph. Each edit here reaches its posts' authors, its category and its
    tags: leaving any of them out of the plan fails."""
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=4)
    content, urls = demo_copy / "content", urls_from(settings)
    site, options = loaded(demo_copy, settings)
    graph, files = site_graph(site, urls, **options), scan(content, {})
    editor = Editor(content, random.Random(SEED))
    answered = max(content.glob("questions/*/index.md"), key=lambda p: len(list(p.parent.glob("answers/*.md"))))
    answer = sorted(answered.parent.glob("answers/*.md"))[0]
    text = "---\nauthor: tomas-ferreira\ndate: 2026-06-04\nvotes: 4\n---\n\nA walk helps.\n"
    edits = {
        "an answer added": lambda: (answered.parent / "answers" / "2026-06-04-tomas-ferreira.md").write_text(text),
        "an answer deleted": answer.unlink,
        "added": editor.add_question,
        "deleted": lambda: shutil.rmtree(answered.parent),
        "added, with an answer": lambda: _add_answered(content / "questions" / "a-question-with-an-answer"),
    }
    for name, edit in edits.items():
        edit()
        now = scan(content, files)
        found = changes(files, now)
        site, options = loaded(demo_copy, settings)
        assert graph.units is not None
        paths = moved(found, graph.units, [q.source_path for q in site.questions])
        assert paths is not None and len(paths) == 1, name
        builder = _Builder(site, urls, "content")
        more = moved_units(builder, graph.units, graph_units.sign(site, options["related"]), paths, 4)
        assert more is not None and len(more) < len(graph.units) - 3 * len(site.questions) - 1, name
        updated, whole = update(graph, site, urls, found=found, **options), site_graph(site, urls, **options)
        assert updated is not None and updated.graph == whole, name
        assert units(updated.graph) == units(whole), name
        assert updated.outputs == affected(graph, whole, found) and updated.gone == gone(graph, whole), name
        graph, files = updated.graph, now


def _add_answered(folder: Path) -> None:
    """A question of other tags and another category than ``Editor.add_question``'s, with another member's answer."""
    (folder / "answers").mkdir(parents=True)
    text = '---\ntitle: "Grief and sleep"\ndate: 2024-06-02\ncategory: Depression\ntags: [grief, sleep]\nvotes: 1\n'
    (folder / "index.md").write_text(text + "author: jordan-lee\n---\n\nHow do I rest?\n", encoding="utf-8")
    text = "---\nauthor: sam-rivera\ndate: 2026-06-03\nvotes: 2\n---\n\nTry a routine.\n"
    (folder / "answers" / "2026-06-03-sam-rivera.md").write_text(text, encoding="utf-8")


def test_new_edges_join_a_snapshots_tuples(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """A graph read back from a snapshot holds tuples (``snapshot_form``): new edges join a node's readers and a
    path's parts in new sets, and the snapshot's tuples stay as they were."""
    settings = settings_for(demo_copy, tmp_path / "output")
    site, options = loaded(demo_copy, settings)
    kept = pickle.loads(pickle.dumps(snapshot_form(site_graph(site, urls_from(settings), **options))))
    before = pickle.dumps(kept)
    edges, parts = _take_out(kept, set())
    path = "content/people.yml"
    old, new = next(iter(kept._parts[path])), (path, "someone-new", "name")
    _put_in(edges, parts, {old: {"users/x/index.html"}, new: {"users/someone-new/index.html"}})
    assert set(parts[path]) == {*kept._parts[path], new}
    assert edges[old] == {*kept.edges[old], "users/x/index.html"} and edges[new] == {"users/someone-new/index.html"}
    assert pickle.dumps(kept) == before
