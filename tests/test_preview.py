"""The live preview's rebuilds (qasite.tools.livereload.Preview) and what they keep in memory between builds.

A preview keeps the build cache's entries in memory (pending, written when it stops), the compiled
templates, the last snapshot and the loaded site (for the search catch-up, tools/catchup.py). None of it
may change what is built: every preview build must equal a full build of the same content, and after the
preview stops, a new process must find what it needs on disk.
"""

from __future__ import annotations

import gc
import os
import pickle
import random
import re
import shutil
import tempfile
import threading
from pathlib import Path

from jinja2 import DictLoader, Environment
from test_incremental import (  # noqa: F401 (demo_copy: the fixture)
    SEED,
    Editor,
    demo_copy,
    differences,
    preview_conf,
    searchless_preview,
    settings_for,
)

from qasite.build import cache, memory, resume
from qasite.build.cache import Cache
from qasite.build.incremental import plan
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.config.settings import urls_from
from qasite.content import graph_reads
from qasite.content.graph import SiteGraph
from qasite.content.loader import load_from_settings
from qasite.render.bytecode import MemoryBytecodeCache
from qasite.tools.livereload import Preview


def test_preview_builds_equal_full_builds_and_leave_the_cache_for_the_next_process(
    demo_copy: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    conf, editor, order = searchless_preview(demo_copy, SEED + 5)
    output = demo_copy / "output"
    preview = Preview(conf)
    for step, kind in enumerate(order):
        getattr(editor, kind)()
        assert plan(load_settings(conf), output, None).partial is not None, kind  # an incremental build
        assert preview.rebuild() == 0, kind
        assert preview.indexer is None  # search is off: nothing to catch up
        assert gc.get_freeze_count() == 0 and preview.collector is not None  # the build's garbage: collected later
        full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / f"full{step}")}))
        assert differences(output, full) == [], kind
    people = demo_copy / "content" / "people.yml"
    saved = people.read_bytes()
    people.write_text("- not: [a mapping\n", encoding="utf-8")
    assert preview.rebuild() == 1 and gc.get_freeze_count() == 0  # a failed build leaves nothing frozen either
    people.write_bytes(saved)
    assert cache._PENDING  # the preview's cache entries, not written yet
    preview.close()
    assert not cache._PENDING and preview.collector is None
    memory.SNAPSHOTS.clear()  # as in a new process (invoke build): only what is on disk
    cache._MEMORY.clear()
    kept = Cache.for_settings(load_settings(conf)).folder / resume.NAMESPACE  # (none after a failed last build)
    shutil.rmtree(kept, ignore_errors=True)  # no kept load: per file
    editor.answer_text()
    work = plan(load_settings(conf), output, None)
    assert work.partial is not None  # the snapshot on disk is the preview's last one
    assert work.settings["QASITE_LOADED"].site.stats.cached > 0  # and so are the per-file results


def test_a_cached_entry_is_read_again_when_another_process_replaced_it(tmp_path: Path) -> None:
    store = Cache(root=tmp_path, settings={"A": 1})
    value = {"files": [1, 2, 3]}
    store.put(namespace="n", key="k", value=value)
    assert store.get(namespace="n", key="k") is value  # kept in memory: not unpickled again
    path = store._path("n", "k")
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:  # another process's write
        handle.write(pickle.dumps({"files": [4]}))
    os.replace(handle.name, path)
    assert store.get(namespace="n", key="k") == {"files": [4]}
    path.write_bytes(b"damaged")
    assert store.get(namespace="n", key="k") is None


def test_held_entries_are_read_from_memory_and_written_by_flush(tmp_path: Path) -> None:
    store = Cache(root=tmp_path, settings={"A": 1})
    with cache.held():
        store.put(namespace="n", key="k", value=[1])
    assert store.get(namespace="n", key="k") == [1]
    assert not store._path("n", "k").exists()
    cache.flush()
    cache._MEMORY.clear()
    assert pickle.loads(store._path("n", "k").read_bytes()) == [1] == store.get(namespace="n", key="k")


def test_compiled_templates_are_shared_between_environments_and_follow_the_source() -> None:
    shared = MemoryBytecodeCache()
    first = Environment(loader=DictLoader({"t.html": "one {{ x }}"}), bytecode_cache=shared)
    assert first.get_template("t.html").render(x=1) == "one 1"
    assert len(shared.store) == 1
    again = Environment(loader=DictLoader({"t.html": "one {{ x }}"}), bytecode_cache=shared)
    assert again.get_template("t.html").render(x=2) == "one 2"
    edited = Environment(loader=DictLoader({"t.html": "two {{ x }}"}), bytecode_cache=shared)
    assert edited.get_template("t.html").render(x=3) == "two 3"  # the checksum differs: compiled again
    assert repr(shared) == "MemoryBytecodeCache()"  # settings are fingerprinted by their repr


def test_a_second_load_in_the_process_reads_again_a_file_changed_behind_its_size_and_mtime(
    demo_copy: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    settings = settings_for(demo_copy, tmp_path / "output")
    content, urls = demo_copy / "content", urls_from(settings)
    load_from_settings(content, settings, urls, cached=True)  # each file's identity and digest kept (_SEEN)
    answer = sorted(content.glob("questions/*/answers/*.md"))[0]
    text, before = answer.read_text(encoding="utf-8"), answer.stat()
    word = re.search(r"\b[a-z]{4,}\b", text.split("---", 2)[2])
    assert word is not None
    answer.write_text(text.replace(word[0], word[0][::-1].upper(), 1), encoding="utf-8")  # same size
    os.utime(answer, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime (the ctime moves all the same)
    assert answer.stat().st_size == before.st_size
    again, problems = load_from_settings(content, settings, urls, cached=True)
    cold, cold_problems = load_from_settings(content, settings, urls)
    assert problems == cold_problems
    bodies = {a.source_path: a.body_html for q in again.questions for a in q.answers}
    assert bodies == {a.source_path: a.body_html for q in cold.questions for a in q.answers}
    assert word[0][::-1].upper() in "".join(bodies.values())


def test_the_search_catch_up_starts_after_the_build_once(
    demo_copy: Path,  # noqa: F811 (the fixture)
) -> None:
    """``invoke livereload`` reloads the page after ``Preview.build``; the catch-up (a fork of the preview) starts
    only after that, in ``catch_up``, once per successful build; a failed build starts none."""
    conf = preview_conf(demo_copy)  # search on
    assert run_cli("build", conf) == 0
    preview = Preview(conf)
    try:
        assert preview.rebuild() == 0 and preview.indexer is None  # nothing changed: the index is current
        editor = Editor(demo_copy / "content", random.Random(SEED + 9))
        editor.answer_text()
        assert preview.build() == 0
        assert preview.indexer is None  # the page reloads before anything is forked
        preview.catch_up()
        first = preview.indexer
        assert first is not None
        preview.catch_up()  # called again (no build since): the same catch-up goes on
        assert preview.indexer is first
        assert first.wait(timeout=120) == 0
        question = sorted((demo_copy / "content" / "questions").glob("*/index.md"))[0]
        question.write_text(question.read_text(encoding="utf-8").replace("votes:", "votes: x", 1), encoding="utf-8")
        assert preview.build() == 1
        preview.catch_up()
        assert preview.indexer is None  # a failed build: no catch-up (the last one was stopped by the build)
    finally:
        preview.close()


def test_the_graphs_reader_index_is_built_after_the_page(demo_copy: Path) -> None:  # noqa: F811
    """A preview build that updated the site graph leaves the index of its readers (``graph_reads``) to the thread
    after the page (``Preview.catch_up``): the next edit's update finds it built, not at its own cost."""
    conf, _, _ = searchless_preview(demo_copy, SEED)
    preview = Preview(conf)
    graph_reads.keep(SiteGraph(edges={}, selections={}), None)  # no graph of an earlier test's
    earlier = set(threading.enumerate())  # earlier tests' threads (asyncio's, servers') never end: not joined
    assert preview.rebuild() == 0  # the process's first update: the pass over every node, no index yet
    preview.stop_collecting()
    for thread in set(threading.enumerate()) - earlier:
        if thread.daemon:
            thread.join(timeout=120)
            assert not thread.is_alive(), thread.name
    graph = graph_reads._LAST[0]() if graph_reads._LAST[0] is not None else None  # type: ignore[operator]
    assert graph is not None and graph_reads._LAST[1] is not None
    built = {reader: set(nodes) for reader, nodes in graph_reads._LAST[1].items()}  # type: ignore[union-attr]
    assert built == {reader: set(nodes) for reader, nodes in graph_reads.index(graph.edges).items()}
    preview.close()
