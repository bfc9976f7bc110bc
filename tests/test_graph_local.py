"""Changes that reach only the questions' own units of the site graph (qasite.content.graph_local).

For such a change the graph update plans only the questions' page, row and Markdown units and keeps every other
unit's signature. That holds only while no other signature reads what they change: each test here edits one of
those fields on a copy of the demo site and compares every unit's signature of the whole graph before and after.
Only question units may move. (tests/test_graph_update.py checks the updated graphs against whole ones.)
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_graph_update import loaded, units
from test_incremental import SEED, Editor, demo_copy, settings_for  # noqa: F401 (demo_copy: a fixture)

from qasite.build.changes import changes, scan
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content import graph_units
from qasite.content.graph import _Builder, site_graph
from qasite.content.graph_local import PERSON_FIELDS, reach, tag_units
from qasite.content.graph_update import affected, update

QUESTION_UNITS = ("question", "row", "markdown")
VALUES = {"name": "Someone Else", "credentials": "MSW", "bio": "Another bio.", "url": "https://example.net/x"}


def signatures(site: Path, settings: dict[str, Any]) -> dict[Any, Any]:
    found, options = loaded(site, settings)
    graph = site_graph(found, urls_from(settings), **options)
    assert graph.units is not None
    return {uid: unit[0] for uid, unit in graph.units.items()}


def append(pattern: str) -> Callable[[Path], None]:
    def edit(content: Path) -> None:
        path = sorted(content.glob(pattern))[1]
        path.write_text(path.read_text(encoding="utf-8") + "\nEdit: thank you all, this helped with sleep.\n")

    return edit


def person_field(field: str) -> Callable[[Path], None]:
    """``field`` added to a person who has none (jordan-lee) and changed for one who has it (sam-rivera)."""

    def edit(content: Path) -> None:
        people = content / "people.yml"
        text = people.read_text(encoding="utf-8")
        value = f'"{VALUES[field]}"'
        pattern = rf"^(sam-rivera:\n(?:  .*\n)*?)  {field}: .*$"
        text, changed = re.subn(pattern, rf"\1  {field}: {value}", text, count=1, flags=re.MULTILINE)
        assert changed, field
        if not re.search(rf"^jordan-lee:\n(?:  .*\n)*?  {field}:", text, flags=re.MULTILINE):
            text = text.replace("jordan-lee:\n", f"jordan-lee:\n  {field}: {value}\n", 1)
        people.write_text(text, encoding="utf-8")

    return edit


EDITS = {
    "question text": append("questions/*/index.md"),
    "answer text": append("questions/*/answers/*.md"),
    **{f"person {field}": person_field(field) for field in sorted(PERSON_FIELDS)},
}


@pytest.mark.parametrize("edit", EDITS)
def test_these_changes_move_no_signature_but_the_questions_own(demo_copy: Path, tmp_path: Path, edit: str) -> None:  # noqa: F811
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=4)
    content = demo_copy / "content"
    before, files = signatures(demo_copy, settings), scan(content, {})
    EDITS[edit](content)
    found = changes(files, scan(content, files))
    assert found and reach(found, "content") == frozenset(), found
    after = signatures(demo_copy, settings)
    assert after.keys() == before.keys()
    moved = {uid for uid in before if before[uid] != after[uid]}
    assert all(isinstance(uid, tuple) and uid[0] in QUESTION_UNITS for uid in moved), moved - {
        uid for uid in moved if isinstance(uid, tuple) and uid[0] in QUESTION_UNITS
    }


@pytest.mark.parametrize(
    "kind", ["question_title", "tags", "votes", "category", "add_question", "delete_question", "add_answer"]
)
def test_other_changes_plan_every_unit(demo_copy: Path, kind: str) -> None:  # noqa: F811
    content = demo_copy / "content"
    files = scan(content, {})
    getattr(Editor(content, random.Random(SEED)), kind)()
    found = changes(files, scan(content, files))
    assert found and reach(found, "content") != frozenset(), found


def test_a_person_s_points_plan_every_unit(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    files = scan(content, {})
    people = content / "people.yml"
    people.write_text(people.read_text(encoding="utf-8").replace("  points: 6500\n", "  points: 6600\n", 1))
    found = changes(files, scan(content, files))
    assert found == [("content/people.yml", "jordan-lee", "points")]
    assert reach(found, "content") != frozenset()


def test_a_question_s_tags_move_only_its_tags_listings_feeds_and_the_sitemap(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """A question loses its first tag (every tag still used, in the same order): the update plans only what its tags
    reach (``tag_units``), equals the whole graph, and no other signature than those moved."""
    settings = settings_for(demo_copy, tmp_path / "output", QA_PER_PAGE=2)
    content, urls = demo_copy / "content", urls_from(settings)
    site, options = loaded(demo_copy, settings)
    graph, files = site_graph(site, urls, **options), scan(content, {})
    for q in [q for q in site.questions if len(q.tags) > 1]:
        path = demo_copy / q.source_path
        text = path.read_text(encoding="utf-8")
        kept = ", ".join(tag.name for tag in q.tags[1:])
        path.write_text(re.sub(r"^tags: .*$", f"tags: [{kept}]", text, count=1, flags=re.MULTILINE))
        found = changes(files, scan(content, files))
        assert reach(found, "content") == {q.source_path}
        after, options = loaded(demo_copy, settings)
        builder = _Builder(after, urls, "content")
        signed = graph_units.sign(after, options["related"])
        if tag_units(builder, graph.units, signed, frozenset({q.source_path}), 2) is not None:
            break
        path.write_text(text, encoding="utf-8")  # a tag gone, or their order moved: try another question
    else:
        pytest.fail("no question of the demo site loses a tag that others still hold")
    whole = site_graph(after, urls, **options)
    updated = update(graph, after, urls, found=found, **options)
    assert updated is not None and updated.graph == whole and units(updated.graph) == units(whole)
    assert updated.outputs == affected(graph, whole, found)
    allowed = {("listing", t.url) for t in q.tags} | {("feed", urls.feed("tag", t.name)) for t in q.tags}
    allowed |= {("feed", Urls.all_feed), ("feed", urls.feed("category", q.category.slug)), "sitemap"}
    moved = {uid for uid in whole.units if graph.units[uid][0] != whole.units[uid][0]}
    assert {uid for uid in moved if not (isinstance(uid, tuple) and uid[0] in QUESTION_UNITS)} <= allowed
