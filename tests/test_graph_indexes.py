"""The index pages' unit patched when only questions came or went (qasite.content.graph_indexes).

With the last graph's index kept (``graph_reads``: the live preview's second update on), a question added or deleted
moves the indexes unit's signature by its paths alone: the update patches its readers' reads (the same readers, the
unit not built again) and still equals the graph built whole. A question with a tag the site did not have moves the
tag names: the unit is built again. tests/test_graph_update.py checks random chains of every kind of edit.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from test_graph_update import loaded, units
from test_incremental import SEED, Editor, demo_copy, settings_for  # noqa: F401 (demo_copy: a fixture)

from qasite.build.changes import changes, scan
from qasite.config.settings import urls_from
from qasite.content import graph_indexes, graph_reads
from qasite.content.graph import site_graph
from qasite.content.graph_update import affected, update


def test_a_question_added_or_deleted_patches_the_indexes(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=4)
    content, urls = demo_copy / "content", urls_from(settings)
    site, options = loaded(demo_copy, settings)
    graph, files = site_graph(site, urls, **options), scan(content, {})
    editor = Editor(content, random.Random(SEED))
    victim = sorted(content.glob("questions/*/index.md"))[3].parent
    tagged = content / "questions" / "a-question-with-a-new-tag"
    edits = {
        "first (no index kept yet)": editor.answer_text,
        "added": editor.add_question,
        "deleted": lambda: shutil.rmtree(victim),
        "added with a new tag": lambda: _add(tagged, "a-tag-nobody-used"),
    }
    patched = []
    for name, edit in edits.items():
        edit()
        now = scan(content, files)
        found = changes(files, now)
        site, options = loaded(demo_copy, settings)
        indexed = graph_reads.reads_of(graph) is not None
        updated, whole = update(graph, site, urls, found=found, **options), site_graph(site, urls, **options)
        assert updated is not None and updated.graph == whole, name
        assert units(updated.graph) == units(whole), name
        assert updated.outputs == affected(graph, whole, found), name
        assert graph.units is not None and updated.graph.units is not None
        before, after = graph.units[graph_indexes.UNIT], updated.graph.units[graph_indexes.UNIT]
        if before[0] != after[0]:  # rebuilt units have new readers tuples; a patched one keeps the last
            patched.append((name, after[1] is before[1]))
        graph, files = updated.graph, now
        assert indexed == (name != "first (no index kept yet)")
    assert patched == [("added", True), ("deleted", True), ("added with a new tag", False)]


def _add(folder: Path, tag: str) -> None:
    folder.mkdir()
    text = f'---\ntitle: "A question with a new tag"\ndate: 2024-05-02\ncategory: Anxiety\ntags: [{tag}]\n'
    (folder / "index.md").write_text(text + "votes: 1\nauthor: jordan-lee\n---\n\nWhat now?\n", encoding="utf-8")
