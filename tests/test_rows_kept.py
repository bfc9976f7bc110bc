"""The listing rows a build rendered serve the next process's builds (render/rows.py ``persist`` and ``restore``).

The cache writer after a build puts the rows in the build cache; the first build with a snapshot in a new process
adopts them, and keeps them only under the environment key they were rendered in (templates, filters, globals).
Each build here runs as ``invoke build`` does, in a new process (``test_resume.new_process`` forgets the rows too).
The persisted rows are replaced by marked ones, so that an output shows where a kept row was used.
"""

from __future__ import annotations

import pickle
import random
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from test_incremental import SEED, Editor, demo_copy, differences, settings_for  # noqa: F401 (demo_copy: a fixture)
from test_resume import new_process

from qasite.build import cache
from qasite.build.pipeline import build
from qasite.render import rows

MARK = "kept-row-from-the-cache"


def entry(settings: dict[str, Any]) -> Path:
    return cache.Cache.for_settings(settings)._path(rows.NAMESPACE, rows.NAMESPACE)


def marked(settings: dict[str, Any], *, key: Any = None) -> None:
    """Every persisted question row replaced by a marked one (under ``key``, if given)."""
    kept, most, items = pickle.loads(entry(settings).read_bytes())
    assert any(signature[0] == "question_row" for signature, _ in items), "no question row persisted"
    items = [(sig, Markup(f"<li>{MARK}</li>") if sig[0] == "question_row" else html) for sig, html in items]
    entry(settings).write_bytes(pickle.dumps((kept if key is None else key, most, items)))


def pages_marked(output: Path) -> int:
    return sum(MARK in page.read_text(encoding="utf-8") for page in output.rglob("*.html"))


def edited_build(site: Path, output: Path, key: Any = None) -> None:
    """A cold build, its rows marked, a question's title edited, then the build after it in a new process."""
    settings = settings_for(site, output, QA_PER_PAGE=3)
    build(settings=settings)
    new_process()
    marked(settings, key=key)
    Editor(site / "content", random.Random(SEED)).question_title()  # its row moves: listing pages written
    build(settings=settings)
    new_process()


def test_a_new_process_uses_the_rows_the_last_build_rendered(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    output = tmp_path / "output"
    edited_build(demo_copy, output)
    assert pages_marked(output) > 0  # the listing pages written show rows kept from the cache


def test_rows_of_another_environment_are_not_used(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    output = tmp_path / "output"
    edited_build(demo_copy, output, key=("rendered with other templates",))
    assert pages_marked(output) == 0
    full = build(settings=settings_for(demo_copy, tmp_path / "full", QA_PER_PAGE=3))
    assert differences(output, full) == []


def test_rows_that_cannot_be_pickled_are_not_persisted(
    demo_copy: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A filter made in the settings file (a lambda) cannot be pickled: no rows persisted, and the build and its
    cache writer (in the build's own process, as in CI) go on."""
    monkeypatch.setenv("CI", "true")
    settings = settings_for(demo_copy, tmp_path / "output", JINJA_FILTERS={"shout": lambda text: text.upper()})
    build(settings=settings)
    new_process()
    assert not entry(settings).exists()
    assert not list(entry(settings).parent.parent.rglob("*.tmp"))
