"""``invoke build`` after a question's text, title or tags changed updates the related lists from the state the last
computation kept in the build cache (build/related_keep.py): the same bytes as a full build, without computing every
list again; a damaged, foreign or older state is never a wrong list.

Each build is made as ``invoke build`` makes it, in a new process (``test_resume.new_process``): nothing of the last
build is kept in memory. Whether the lists were updated, not computed, is read from ``related_update``'s own account
of an update (its debug line: "N vectors moved, M lists scored whole"), which a full computation never gives.
"""

from __future__ import annotations

import logging
import pickle
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_incremental import SEED, Editor, differences, searchless_preview, settings_for
from test_resume import first_builds, new_process

from conftest import ROOT
from qasite.build import incremental, related_keep
from qasite.build.cache import Cache
from qasite.build.changes import pack_related
from qasite.build.incremental import plan
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.config.settings import urls_from
from qasite.content import related_update
from qasite.content.loader import load_from_settings
from qasite.content.related import compute_related
from qasite.tools.livereload import Preview

UPDATED = re.compile(r"related: (\d+) vectors moved, (\d+) lists scored whole")
RESIZED = re.compile(r"related: (\d+) questions, (\d+) kept, (\d+) lists scored whole")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def state_file(site: Path, output: Path, settings: dict[str, Any] | None = None) -> Path:
    settings = settings or settings_for(site, output)
    return Cache.for_settings(settings)._path(related_keep.NAMESPACE, str(Path(settings["PATH"]).resolve()))


def planned(site: Path, output: Path, caplog: pytest.LogCaptureFixture, settings: dict[str, Any] | None = None) -> str:
    """How the next build's related lists are made: 'updated' (``related_update._update``, with fewer lists scored
    whole than there are questions), 'resized', or 'computed' (every list: a full computation)."""
    new_process()
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="qasite.content"):  # related_update's and related_resize's lines
        work = plan(settings or settings_for(site, output), output, None)
    assert work.partial is not None, "not an incremental build"
    count = len(list((site / "content" / "questions").glob("*/index.md")))
    for record in caplog.records:
        if found := UPDATED.match(record.getMessage()):
            assert int(found[2]) < count, record.getMessage()
            return "updated"
        if found := RESIZED.match(record.getMessage()):
            assert int(found[3]) < count, record.getMessage()
            return "resized"
    return "computed"


def kept_lists_are_exact(site: Path, output: Path) -> None:
    """The snapshot and the related state the cache writer kept hold a full computation's lists, scores included
    (the scores the build deferred were made before they were pickled)."""
    new_process()
    settings = settings_for(site, output)
    loaded, _ = load_from_settings(site / "content", settings, urls_from(settings))
    full = pack_related(compute_related(loaded.vectors, limit=settings["QA_RELATED_COUNT"]))
    cache = Cache.for_settings(settings)
    snapshot = cache.get(namespace=incremental.NAMESPACE, key=str(output.resolve()))
    assert snapshot.related == full
    kept = pickle.loads(state_file(site, output).read_bytes())
    lists = zip(kept.slugs, kept.lists, strict=True)
    assert {slug: [(kept.slugs[j], t, v) for j, t, v in best] for slug, best in lists} == full
    state = related_update._full(list(loaded.questions), settings["QA_RELATED_COUNT"], 1)
    restored = related_keep._state(kept, loaded.questions)  # each part pickled apart, read back (related_lazy)
    assert [dict(c) for c in restored.counts] == [dict(c) for c in state.counts]
    assert (list(restored.weights), list(restored.top)) == (state.weights, state.top)
    assert (restored.keys, restored.shortlists, restored.df, restored.idf) == (
        state.keys,
        state.shortlists,
        state.df,
        state.idf,
    )
    for i, (pairs, exact) in enumerate(zip(restored.scored, state.scored, strict=True)):  # bounds marked as such
        assert [p[:2] for p in pairs] == [p[:2] for p in exact], i
        assert all(
            p == e if at not in restored.stale[i] else p[2] >= e[2]
            for at, (p, e) in enumerate(zip(pairs, exact, strict=True))
        )


def same_as_full(site: Path, output: Path, full: Path) -> None:
    new_process()
    build(settings=settings_for(site, output))
    assert differences(output, build(settings=settings_for(site, full))) == []
    shutil.rmtree(full)
    new_process()  # the cache writers done


def test_text_title_and_tags_edits_update_the_kept_lists_to_a_full_builds_bytes(
    demo_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(SEED + 13)
    editor = Editor(demo_copy / "content", rng)
    output = tmp_path / "output"
    first_builds(demo_copy, output)
    editor.question_text()  # no state kept yet (the builds so far reused or made lists without one): computed
    assert planned(demo_copy, output, caplog) == "computed"
    same_as_full(demo_copy, output, tmp_path / "full")
    assert state_file(demo_copy, output).is_file(), "the build that computed the lists kept no state"
    order = ["question_text", "question_title", "tags", "add_question", "delete_question", "question_text"]
    rng.shuffle(order)
    deferred = 0
    for step, kind in enumerate(order):
        getattr(editor, kind)()
        expected = "resized" if kind in ("add_question", "delete_question") else "updated"
        assert planned(demo_copy, output, caplog) == expected, f"edit {step} ({kind})"
        deferred += len(related_update._LAST.pending)  # type: ignore[union-attr]
        same_as_full(demo_copy, output, tmp_path / f"full{step}")
        kept_lists_are_exact(demo_copy, output)
    assert deferred, "no list's exact scores were left to the cache writer: the test proves nothing of them"


def test_an_answer_edit_neither_reads_nor_writes_the_kept_state(
    demo_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    editor = Editor(demo_copy / "content", random.Random(SEED + 14))
    output = tmp_path / "output"
    first_builds(demo_copy, output)
    editor.question_text()
    new_process()
    build(settings=settings_for(demo_copy, output))
    new_process()
    path = state_file(demo_copy, output)
    kept = path.read_bytes()
    path.write_bytes(b"damaged: read, it would give a full computation")
    before = path.stat()
    editor.answer_text()
    same_as_full(demo_copy, output, tmp_path / "full")
    new_process()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    path.write_bytes(kept)
    editor.question_text()
    assert planned(demo_copy, output, caplog) == "updated"


def test_a_damaged_foreign_or_older_state_never_gives_a_wrong_list(
    demo_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Damaged or not a ``Kept``: the lists are computed in full. Another limit (QA_RELATED_COUNT): computed in full
    (``related_update``). A state older than the last build's (its writer failed): updated from it, rightly."""
    editor = Editor(demo_copy / "content", random.Random(SEED + 15))
    output = tmp_path / "output"
    first_builds(demo_copy, output)
    editor.question_text()
    new_process()
    build(settings=settings_for(demo_copy, output))
    new_process()  # the cache writer done
    path = state_file(demo_copy, output)
    older = path.read_bytes()
    kept = pickle.loads(older)
    other = related_keep.Kept(**{**kept.__dict__, "limit": kept.limit + 1})
    for number, data in enumerate([b"not a state", older[: len(older) // 2], pickle.dumps({"a": 1})]):
        editor.question_text()
        path.write_bytes(data)
        assert planned(demo_copy, output, caplog) == "computed", f"case {number}"
    path.write_bytes(pickle.dumps(other))
    assert planned(demo_copy, output, caplog) == "computed", "a state for another limit"
    same_as_full(demo_copy, output, tmp_path / "full-other")
    assert path.read_bytes() != pickle.dumps(other), "the build kept no new state"
    editor.tags()
    editor.question_title()
    path.write_bytes(older)  # from before four text edits
    assert planned(demo_copy, output, caplog) == "updated"
    path.write_bytes(older)
    same_as_full(demo_copy, output, tmp_path / "full")


def test_a_build_after_the_preview_updates_the_state_the_preview_kept(
    demo_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The preview keeps its related state when it stops (its deferred scores made first): the next build resumes it."""
    conf, editor, _ = searchless_preview(demo_copy, SEED + 16)
    settings, output = load_settings(conf), demo_copy / "output"
    preview = Preview(conf)
    for kind in ("question_text", "tags", "question_title"):
        getattr(editor, kind)()
        assert preview.build() == 0
    preview.close()
    assert state_file(demo_copy, output, settings).is_file(), "the preview kept no related state"
    editor.question_text()
    assert planned(demo_copy, output, caplog, settings) == "updated"
    new_process()
    assert run_cli("build", conf) == 0
    full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full")}))
    assert differences(output, full) == []
