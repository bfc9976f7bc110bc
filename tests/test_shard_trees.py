"""A re-indexed shard's tree of page links kept in the build cache (render/shard_trees.py).

Seeded random edits of the demo site (search on, 4 questions a shard), each built incrementally: after each build
every kept tree holds exactly its shard's pages, each the published page itself (same inode), nothing is left
beside the output but the build's own names, and at the end the index equals a full build's (fragments, sort
table). A tree the last run left damaged (a stale link, a page of no question, a killed run's bundle) is repaired.
A failed run, or one that cannot start, leaves no tree.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from test_incremental import KINDS, SEED, Editor, demo_copy, settings_for, tree  # noqa: F401 (a fixture)
from test_search_ids import SMALL_SHARDS

from qasite.build import outputdir
from qasite.build.cache import Cache
from qasite.build.pipeline import build
from qasite.config.problems import BuildError
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content.loader import load_from_settings
from qasite.render import search_shards
from qasite.render.shard_indexer import BUNDLE, OLD, ShardIndexer
from qasite.render.shard_trees import TREES, refresh

EDITS = 8
ON_DISK = {**SMALL_SHARDS, "QA_SEARCH_SCRATCH": ""}  # the trees of page links are made where memory has no room


def kept(settings: dict) -> list[Path]:
    """The shards' trees kept in the cache for this site's builds."""
    root = Cache.for_settings(settings).folder / TREES
    return sorted(p for folder in root.iterdir() for p in folder.iterdir()) if root.is_dir() else []


def shard_pages(settings: dict, output: Path) -> list[list[str]]:
    site, _ = load_from_settings(Path(settings["PATH"]), settings, urls_from(settings))
    return search_shards.plan(site.questions, urls_from(settings), search_shards.bundles_on_disk(output))


def entries(output: Path) -> dict[int, int]:
    """Each shard's bundle entry file's inode: another after the build re-indexed the shard."""
    count = search_shards.bundles_on_disk(output)
    return {k: (output / Urls.search_bundle(k) / "pagefind-entry.json").stat().st_ino for k in range(count)}


def assert_trees_are_the_shards(settings: dict, output: Path, step: str, indexed: set[int]) -> None:
    """The trees of the shards re-indexed (``indexed``) hold exactly their pages, each the published one (the
    others' may hold pages written since: repaired when they are next re-indexed)."""
    pages = shard_pages(settings, output)
    for folder in (f for f in kept(settings) if int(f.name) in indexed):
        held = tree(folder)
        assert held == set(pages[int(folder.name)]), step  # exactly the shard's pages: no bundle, no stale page
        for name in held:
            assert (folder / name).stat().st_ino == (output / name).stat().st_ino, f"{step}: {name}"


def test_random_edits_keep_trees_of_the_published_pages(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    output = tmp_path / "output"
    rng = random.Random(SEED + 7)
    settings = settings_for(demo_copy, output, **ON_DISK)
    build(settings=settings)
    editor = Editor(demo_copy / "content", rng)
    assert kept(settings) == []  # a full build's trees are its own (the pages cut down), removed
    checked = 0
    for step in range(EDITS):
        kind = rng.choice(KINDS)
        getattr(editor, kind)()
        before = entries(output)
        build(settings=settings_for(demo_copy, output, **ON_DISK))
        beside = {p.name for p in tmp_path.iterdir() if not p.name.startswith("output" + outputdir.OLD)}  # deleting
        assert beside <= {"site", "output", "output.lock", "output.spare"}
        indexed = {k for k, inode in entries(output).items() if before.get(k) != inode}
        assert_trees_are_the_shards(settings, output, f"edit {step}: {kind}", indexed)
        checked += len(indexed)
    assert kept(settings) and checked  # some edit re-indexed a shard
    full = build(settings=settings_for(demo_copy, tmp_path / "full", **ON_DISK))
    assert (output / Urls.search_sorts).read_bytes() == (full / Urls.search_sorts).read_bytes()
    fragments = {n for n in tree(full) if "/fragment/" in n}
    assert fragments and fragments == {n for n in tree(output) if "/fragment/" in n}


def test_a_damaged_tree_is_repaired(tmp_path: Path) -> None:
    output, folder = tmp_path / "site", tmp_path / "tree"
    pages = [f"questions/q{i}/index.html" for i in range(4)]
    for name in pages:
        (output / name).parent.mkdir(parents=True)
        (output / name).write_text(name)
    refresh(folder, output, pages, (BUNDLE, OLD))
    (output / pages[0]).unlink()
    (output / pages[0]).write_text("written anew")  # another file: the tree's link is stale
    (folder / "questions/gone/index.html").parent.mkdir()
    (folder / "questions/gone/index.html").write_text("a deleted question")
    (folder / BUNDLE / "fragment").mkdir(parents=True)  # what a killed run left
    (folder / OLD).mkdir()
    os.unlink(folder / pages[1])
    refresh(folder, output, pages, (BUNDLE, OLD))
    assert tree(folder) == set(pages)
    for name in pages:
        assert (folder / name).stat().st_ino == (output / name).stat().st_ino
    assert (folder / pages[0]).read_text() == "written anew"


def test_a_failed_run_leaves_no_tree(tmp_path: Path) -> None:
    output, trees = tmp_path / "output.staging", tmp_path / "trees"
    (output / "other").mkdir(parents=True)
    (output / "other/page.html").write_text("<html><body><p>no question page</p></body></html>")
    indexer = ShardIndexer(output, [["other/page.html"]], "questions/*/index.html", shards=[0], jobs=1)
    indexer.kept = trees
    with pytest.raises(BuildError):  # Pagefind finds no page to index: its run fails
        try:
            indexer.finish()
        finally:
            indexer.kill()  # as the generator does when anything fails: waits for the removals
    assert not (trees / "0").exists()
    missing = ShardIndexer(output, [["questions/gone/index.html"]], "questions/*/index.html", shards=[0], jobs=1)
    missing.kept = trees
    with pytest.raises(FileNotFoundError):  # a page to link is missing: the run never starts
        missing.finish()
    assert not (trees / "0").exists()
