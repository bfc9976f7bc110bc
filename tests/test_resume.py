"""A build in a new process resumes the last build's kept load (build/resume.py): the same bytes as a full build.

Each build here is made as ``invoke build`` makes it, in a new process: nothing of the last build is kept in memory
(``new_process``), so the load comes from the memo the last build persisted in the build cache. After each seeded
random edit of every kind, the resumed build equals a full build of the same content; a damaged memo, or one made
for other load settings, is ignored and the build falls back to the full load, without a traceback.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_incremental import KINDS, SEED, Editor, differences, settings_for

from conftest import ROOT
from qasite.build import cache, changes, memory, resume
from qasite.build.incremental import plan
from qasite.build.pipeline import build
from qasite.config.settings import urls_from
from qasite.content import confine, reload
from qasite.content.loader import LOADED, load_from_settings


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def new_process() -> None:
    """Forget what this process keeps between builds, as a new ``python -m qasite build`` has nothing of it."""
    cache.settle()  # the last build's cache writer
    memory.SNAPSHOTS.clear()
    memory.SITES.clear()
    cache._MEMORY.clear()
    reload.forget()


def memo_file(settings: dict[str, Any]) -> Path:
    return cache.Cache.for_settings(settings)._path(resume.NAMESPACE, str(Path(settings["PATH"]).resolve()))


def first_builds(site: Path, output: Path) -> None:
    """A cold build (no snapshot) keeps no load, so persists none: its memory stays a plain build's; the next
    build, a full load from the per-file cache, persists its kept load for the builds after it."""
    build(settings=settings_for(site, output))
    new_process()
    assert not memo_file(settings_for(site, output)).exists(), "a cold build persisted a kept load"
    build(settings=settings_for(site, output))
    new_process()
    assert memo_file(settings_for(site, output)).is_file(), "the second build persisted no kept load"


def files_read(site: Path, output: Path) -> int:
    """How many content files the next build's load reads (the plan is made and dropped; nothing is written)."""
    new_process()
    work = plan(settings_for(site, output), output, None)
    return sum(work.settings[LOADED].site.stats.files_read.values())


def test_random_edits_resumed_in_a_new_process_build_a_full_builds_bytes(demo_copy: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED + 7)
    editor = Editor(demo_copy / "content", rng)
    output = tmp_path / "output"
    first_builds(demo_copy, output)
    order = [kind for kind in KINDS for _ in range(2)]
    rng.shuffle(order)
    total = len(list((demo_copy / "content").rglob("*.*")))
    for step, kind in enumerate(order):
        getattr(editor, kind)()
        new_process()
        assert memo_file(settings_for(demo_copy, output)).is_file(), f"edit {step} ({kind}): no kept load persisted"
        work = plan(settings_for(demo_copy, output), output, None)
        read = sum(work.settings[LOADED].site.stats.files_read.values())
        assert work.partial is not None, f"edit {step} ({kind}): not incremental"
        if kind != "category":  # categories.yml: a full load, by design (content/reload)
            assert read < total / 2, f"edit {step} ({kind}): {read} of {total} files read: not resumed"
        new_process()
        build(settings=settings_for(demo_copy, output))
        full = build(settings=settings_for(demo_copy, tmp_path / f"full{step}"))
        assert differences(output, full) == [], f"edit {step}: {kind}"
        shutil.rmtree(full)


def test_a_damaged_or_foreign_kept_load_gives_a_full_load_and_a_full_builds_bytes(
    demo_copy: Path, tmp_path: Path
) -> None:
    output = tmp_path / "output"
    editor = Editor(demo_copy / "content", random.Random(SEED))
    first_builds(demo_copy, output)
    new_process()
    path = memo_file(settings_for(demo_copy, output))
    total = len(list((demo_copy / "content").rglob("*.*")))
    memo = pickle.loads(path.read_bytes())
    damaged = [b"not a kept load", path.read_bytes()[: path.stat().st_size // 2], pickle.dumps({"a": 1})]
    memo.key = ("another", *memo.key[1:])  # made for another content folder or other load settings
    for number, data in enumerate([*damaged, resume._dumps(memo)]):
        editor.answer_text()
        path.write_bytes(data)
        assert files_read(demo_copy, output) >= total / 2, f"case {number}: resumed from a bad kept load"
        new_process()
        path.write_bytes(data)
        build(settings=settings_for(demo_copy, output))
        full = build(settings=settings_for(demo_copy, tmp_path / f"full{number}"))
        assert differences(output, full) == [], f"case {number}"
        shutil.rmtree(full)
    editor.answer_text()  # the last build persisted a good one again: resumed
    assert files_read(demo_copy, output) < total / 2


def checkout(content: Path, *, touch: bool) -> None:
    """``content`` as a fresh checkout beside a restored cache: every file a new inode and ctime; ``touch``: a new
    mtime too (git sets the checkout's time)."""
    shutil.copytree(content, content.with_name("checkout"))
    shutil.rmtree(content)
    content.with_name("checkout").rename(content)
    if touch:
        for path in content.rglob("*"):
            if path.is_file():
                info = path.stat()
                os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 7_000_000_000))


@pytest.mark.parametrize("touch", [False, True], ids=["mtimes-kept", "new-mtimes"])
def test_a_fresh_checkout_resumes_the_kept_load(demo_copy: Path, tmp_path: Path, touch: bool) -> None:
    """Every file with a new inode and ctime (CI restores the cache beside a new checkout): the files whose content
    the snapshot vouches for get their new identity (``resume.rebase``), so the kept load is resumed when the
    checkout gave them new mtimes, as git does; the file edited in the checkout is loaded again."""
    output = tmp_path / "output"
    content = demo_copy / "content"
    first_builds(demo_copy, output)
    checkout(content, touch=touch)
    Editor(content, random.Random(SEED + 1)).answer_text()
    total = len(list(content.rglob("*.*")))
    # new mtimes (git): vouched for, resumed; mtimes kept (a copy): not stat'ed, so loaded in full as before
    assert (files_read(demo_copy, output) < total / 2) == touch
    new_process()
    build(settings=settings_for(demo_copy, output))
    assert differences(output, build(settings=settings_for(demo_copy, tmp_path / "full"))) == []


def test_a_kept_load_older_than_the_snapshot_is_not_vouched_for(demo_copy: Path, tmp_path: Path) -> None:
    """The kept load of the build before the last one (the last writer failed to persist its own) with the last
    build's snapshot: a file edited in between has another size or mtime in the two, so it is loaded again."""
    output = tmp_path / "output"
    content = demo_copy / "content"
    first_builds(demo_copy, output)
    older = memo_file(settings_for(demo_copy, output)).read_bytes()
    editor = Editor(content, random.Random(SEED + 2))
    editor.answer_text()
    build(settings=settings_for(demo_copy, output))
    new_process()
    memo_file(settings_for(demo_copy, output)).write_bytes(older)
    checkout(content, touch=True)
    new_process()
    work = plan(settings_for(demo_copy, output), output, None)  # the load the next build makes (and would keep)
    full, _ = load_from_settings(content, settings_for(demo_copy, output), urls_from(settings_for(demo_copy, output)))
    bodies = {a.source_path: a.markdown for q in full.questions for a in q.answers}
    assert {a.source_path: a.markdown for q in work.settings[LOADED].site.questions for a in q.answers} == bodies
    new_process()
    build(settings=settings_for(demo_copy, output))
    assert differences(output, build(settings=settings_for(demo_copy, tmp_path / "full"))) == []


def test_the_kept_loads_paths_come_back_equal_and_usable(demo_copy: Path, tmp_path: Path) -> None:
    """Paths are pickled from their parsed parts (``resume._path``): each one unpickled is the same path."""
    output = tmp_path / "output"
    first_builds(demo_copy, output)
    memo = pickle.loads(memo_file(settings_for(demo_copy, output)).read_bytes())
    paths = [p for p in memo.tree.folders for p in [p, *memo.tree.folders[p]]] + list(memo.units)
    assert len(paths) > 100
    for path in paths:
        again = Path(str(path))
        assert (type(path), path, str(path), hash(path), path.parent, path.name) == (
            type(again),
            again,
            str(again),
            hash(again),
            again.parent,
            again.name,
        )
        assert path.exists()


def test_the_loads_scan_gives_each_files_summary_as_a_walk_of_its_own(demo_copy: Path) -> None:
    """One walk of content/ (``resume.Walk``): the summaries made from the load's confined scan equal those of
    ``changes.scan``'s own walk, after random edits of every kind, a link added (refused by both) and a file touched
    with the same bytes (a new mtime: read again by both)."""
    content = demo_copy / "content"
    editor = Editor(content, random.Random(SEED + 9))
    before = changes.scan(content, {})
    for step, kind in enumerate([*KINDS, "link", "touch"]):
        if kind == "link":
            (content / "pages" / "elsewhere.md").symlink_to(content / "pages" / "about.md")
        elif kind == "touch":
            os.utime(content / "people.yml", ns=(0, os.stat(content / "people.yml").st_mtime_ns + 10**9))
        else:
            getattr(editor, kind)()
        tree, _ = confine.scan(content, str, confine.Tree(content))
        walked = changes.from_tree(content, tree, before)
        assert walked == changes.scan(content, before), f"edit {step}: {kind}"
        before = walked
