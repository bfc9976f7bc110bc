"""A live-preview edit that moves no related list (a person's name, an answer's text) hands the graph update the very
lists its last graph was built with (``related_keep.same_lists``), so no unit is planned (``graph_update._planned``
is not called: ~0.06 CPU-s an edit at 10,000 questions), and the output still equals a full build's. An edit of a
question's tags plans its units. ``same_lists`` holds only for the very list objects, slug by slug in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_incremental import SEED, demo_copy, differences, searchless_preview  # noqa: F401 (demo_copy: the fixture)

from qasite.build.pipeline import build, load_settings
from qasite.build.related_keep import same_lists
from qasite.content import graph_update
from qasite.tools.livereload import Preview


def test_same_lists_is_the_very_lists_in_order() -> None:
    first, second = [("a-question", ("sleep",), 0.5)], [("b-question", (), 0.25)]
    last = {"x": first, "y": second}
    assert same_lists(last, last) and same_lists({"x": first, "y": second}, last)
    assert not same_lists({"x": first, "y": list(second)}, last)  # an equal list made again
    assert not same_lists({"y": second, "x": first}, last)  # another order
    assert not same_lists({"x": first}, last) and not same_lists({**last, "z": []}, last)


def test_an_edit_that_moves_no_related_list_plans_no_unit(
    demo_copy: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf, editor, _ = searchless_preview(demo_copy, SEED + 3)
    calls: list[str] = []
    planned = graph_update._planned

    def counted(*args: Any, **kwargs: Any) -> Any:  # the real planning, counted
        calls.append("planned")
        return planned(*args, **kwargs)

    monkeypatch.setattr(graph_update, "_planned", counted)
    preview = Preview(conf)
    try:
        assert preview.rebuild() == 0  # resumed from the build's cache
        for step, (kind, plans) in enumerate([("person", False), ("answer_text", False), ("tags", True)] * 2):
            calls.clear()
            getattr(editor, kind)()
            assert preview.rebuild() == 0, kind
            assert bool(calls) == plans, kind
            full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / f"full{step}")}))
            assert differences(demo_copy / "output", full) == [], kind
    finally:
        preview.close()
