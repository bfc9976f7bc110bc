"""The preview's search catch-up re-indexes only what Pagefind reads anew (qasite.build.deferred_search).

A preview build keeps the published index and records the questions edited since it was current; a question
whose new page differs from the published one only in its related-questions block (another question's title
or tags changed) is dropped from that record, as ``invoke build`` drops it (render/index_text.py). After any
sequence of edits, the catch-up's index must equal a full build's, whichever questions were dropped.
"""

from __future__ import annotations

import random
from pathlib import Path

from test_incremental import (  # noqa: F401 (demo_copy: the fixture)
    KINDS,
    SEED,
    Editor,
    _in_bundle,
    bundle_files,
    demo_copy,
    differences,
    preview_conf,
    retitle_across_shards,
    tree,
)

from qasite.build import memory
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.config.urls import Urls
from qasite.tools.livereload import Preview

SHARDS = 4  # QA_SEARCH_SHARD_SIZE 8: the demo's questions in 4 shards


def sharded_preview(site: Path) -> tuple[Path, Preview]:
    conf = preview_conf(site)
    conf.write_text(conf.read_text(encoding="utf-8") + "QA_SEARCH_SHARD_SIZE = 8\n", encoding="utf-8")
    assert run_cli("build", conf) == 0
    return conf, Preview(conf)


def unindexed() -> frozenset[str] | None:
    snapshot = memory.SNAPSHOTS[next(iter(memory.SNAPSHOTS))]
    return frozenset() if snapshot.search_current else snapshot.unindexed


def catch_up(preview: Preview) -> None:
    try:
        assert preview.indexer is None or preview.indexer.wait(timeout=120) == 0
    finally:
        preview.stop_indexing()


def assert_as_full_build(conf: Path, output: Path, full: Path) -> None:
    build(settings=load_settings(conf, {"OUTPUT_PATH": str(full)}))
    assert bundle_files(output) == bundle_files(full)
    assert [n for n in differences(output, full) if not n.startswith(Urls.pagefind)] == []


def test_a_title_edit_leaves_the_catch_up_only_its_own_question(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    conf, preview = sharded_preview(demo_copy)
    output = demo_copy / "output"
    edited, shard = retitle_across_shards(demo_copy / "content", load_settings(conf), SHARDS)
    inodes = {name: (output / name).stat().st_ino for name in tree(output)}
    assert preview.rebuild() == 0
    rewritten = {n for n in inodes if n.endswith("index.html") and (output / n).stat().st_ino != inodes[n]}
    others = {shard[n.split("/")[1]] for n in rewritten if n.startswith("questions/")} - {shard[edited.slug]}
    assert others, "the edited title reaches related blocks in other shards"
    assert unindexed() == {edited.slug}  # not the questions whose related blocks show it
    catch_up(preview)
    for other in others:  # their bundles left alone
        kept = [name for name in inodes if _in_bundle(name, other)]
        assert kept and all((output / name).stat().st_ino == inodes[name] for name in kept), other
    assert unindexed() == frozenset()
    assert_as_full_build(conf, output, tmp_path / "full")


def test_random_edits_and_catch_ups_give_a_full_builds_index(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    """Edits of every kind, the catch-up sometimes let finish, sometimes killed by the next edit: after each
    finished catch-up the index equals a full build's."""
    conf, preview = sharded_preview(demo_copy)
    output = demo_copy / "output"
    rng = random.Random(SEED + 6)
    editor = Editor(demo_copy / "content", rng)
    order = list(KINDS)
    rng.shuffle(order)
    for step, kind in enumerate(order):
        getattr(editor, kind)()
        assert preview.rebuild() == 0, kind
        if step % 3 == 2:
            catch_up(preview)
            assert unindexed() == frozenset(), kind
            assert_as_full_build(conf, output, tmp_path / f"full{step}")
    catch_up(preview)
    assert_as_full_build(conf, output, tmp_path / "full")
