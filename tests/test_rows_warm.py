"""The live preview keeps every question's listing row from its first build on (``render/rows.warm``).

A preview resumed from the cache in a new process starts with no rows kept; its first build writes no listing page.
Without the warm-up a person edit's listing pages then rendered every row around the person's, ~0.8 CPU-s at
10,000 questions; with it they render only the rows that show the person, and the output still equals a full build.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment
from test_incremental import demo_copy, differences, searchless_preview  # noqa: F401 (demo_copy: the fixture)

from qasite.build.pipeline import build, load_settings
from qasite.render import rows
from qasite.tools.livereload import Preview

SEED = 29
HANDLE, NAME = "mossy-stone", "Morgan Stone"  # asks five of the demo's questions


def question_rows() -> set[tuple[object, ...]]:
    return {signature for name, signature in rows._ROWS if name == "question_row"}


def test_a_resumed_preview_keeps_every_row_and_a_person_edit_renders_only_theirs(
    demo_copy: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    conf, _, _ = searchless_preview(demo_copy, SEED)
    output = demo_copy / "output"
    rows._ROWS.clear()  # as in a new process: nothing kept
    rows._KEY[0] = None
    rows._WARMED[0] = None
    preview = Preview(conf)
    try:
        assert preview.rebuild() == 0  # its first build: nothing changed, no listing page written
        published = len(list((output / "questions").glob("*/index.html")))
        assert published > 20 and len(question_rows()) == published  # every published question's row, kept
        people = demo_copy / "content" / "people.yml"
        text = people.read_text(encoding="utf-8")
        assert f"{HANDLE}:\n  name: {NAME}\n" in text
        people.write_text(
            text.replace(f"{HANDLE}:\n  name: {NAME}\n", f"{HANDLE}:\n  name: {NAME} Jr\n"), encoding="utf-8"
        )
        before = question_rows()
        assert preview.rebuild({str(people)}) == 0
        new = question_rows() - before
        assert len(new) == 5 and {signature[-1][1] for signature in new} == {f"{NAME} Jr"}  # the asker's rows alone
        full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full")}))
        assert differences(output, full) == []
    finally:
        preview.close()


def test_templates_without_the_row_macro_warm_nothing() -> None:
    for templates in ({"partials/macros.html": "{% macro other(q) %}{% endmacro %}"}, {}):  # no macro; no file
        env = Environment(loader=DictLoader(templates), autoescape=True)
        rows.memo_filter(env)  # a build in this environment: its key
        rows.warm(env, [])  # neither raises
        assert not rows._ROWS
