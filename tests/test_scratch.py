"""The page copies Pagefind reads, in memory (render/scratch.py, ``QA_SEARCH_SCRATCH``): used where there is room,
in the same order whoever writes them, removed once indexed, and a stopped build's removed by the next."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_site
from pagefind_files import bundle_index_files
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content.loader import load_from_settings
from qasite.render import scratch
from qasite.render.search_shards import reindex
from qasite.render.shard_indexer import ShardIndexer

GLOB = "questions/*/index.html"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def memory() -> Iterator[Path]:
    """A folder in /dev/shm (tmpfs, as QA_SEARCH_SCRATCH's default), removed after the test."""
    folder = Path(tempfile.mkdtemp(prefix="test-scratch-", dir="/dev/shm"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def stopped_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_room_is_free_space_in_the_folder_and_in_memory(memory: Path, tmp_path: Path) -> None:
    assert scratch.has_room(str(memory), 10_000)
    assert not scratch.has_room("", 10)  # QA_SEARCH_SCRATCH = "": beside the output, as before
    assert not scratch.has_room(str(tmp_path / "missing"), 10)
    assert not scratch.has_room(str(memory), 10**12)  # ~64 PB asked


def test_only_folders_of_stopped_builds_are_swept(memory: Path) -> None:
    left = memory / f"{scratch.PREFIX}{stopped_pid()}-0-abc"
    (left / "questions" / "q").mkdir(parents=True)
    running = memory / f"{scratch.PREFIX}{os.getpid()}-0-abc"
    other = memory / "someone-elses"
    running.mkdir()
    other.mkdir()
    linked = memory / f"{scratch.PREFIX}{stopped_pid()}-1-abc"
    linked.symlink_to(other)
    scratch.sweep(str(memory))
    assert sorted(p.name for p in memory.iterdir()) == sorted([running.name, other.name, linked.name])
    scratch.sweep(str(memory / "missing"))  # nothing to sweep: no error


def test_a_folder_in_use_is_kept_whatever_its_pid_and_swept_once_released(memory: Path) -> None:
    """A build in another pid namespace (a container sharing /dev/shm) may have a pid that is gone here: its lock
    on the folder says it is in use."""
    used = scratch.make(str(memory), 0)
    elsewhere = used.with_name(f"{scratch.PREFIX}{stopped_pid()}-0-abc")
    used.rename(elsewhere)  # as another namespace's build would have named it
    scratch.HELD[elsewhere] = scratch.HELD.pop(used)
    scratch.sweep(str(memory))
    assert list(memory.iterdir()) == [elsewhere]
    scratch.release(elsewhere)
    scratch.sweep(str(memory))
    assert list(memory.iterdir()) == []


def test_a_build_sweeps_what_a_stopped_one_left_and_leaves_nothing(memory: Path, tmp_path: Path) -> None:
    left = memory / f"{scratch.PREFIX}{stopped_pid()}-0-abc"
    (left / "questions" / "q").mkdir(parents=True)
    (left / "questions" / "q" / "index.html").write_text("<html></html>")
    conf = copy_site(tmp_path / "site")
    output = build(settings=load_settings(conf, {"QA_SEARCH_SCRATCH": str(memory), "QA_SEARCH_SHARD_SIZE": 1}))
    assert list(memory.iterdir()) == []  # the leftover swept, the build's own folders removed
    for shard in range(3):
        assert (output / Urls.search_bundle(shard) / "pagefind-entry.json").is_file()


def test_pages_written_in_any_order_give_the_bundle_a_reindex_gives(
    memory: Path, demo_output: Path, tmp_path: Path
) -> None:
    """A full build's render workers write the copies in any order; Pagefind numbers the pages in the order its
    folder lists them, which on tmpfs is the order the folders were made: made first, in the shard's order."""
    pages = [sorted(p.relative_to(demo_output).as_posix() for p in demo_output.glob(GLOB))]
    assert len(pages[0]) > 20
    bundles = []
    for written in (False, True):
        output = tmp_path / f"output-{written}"
        shutil.copytree(demo_output, output, ignore=shutil.ignore_patterns("pagefind"))
        indexer = ShardIndexer(output, pages, GLOB, shards=[0], jobs=1)
        assert indexer.use_scratch(str(memory))
        assert indexer.tree(0).parent == memory
        if not written:  # as a full build: the render workers copy each page as they write it
            indexer.fill()
            for name in reversed(pages[0]):
                indexer.add(name)
        indexer.finish()
        bundles.append(bundle_index_files(output / Urls.search_bundle(0)))
        assert list(memory.iterdir()) == []
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(output.name)) == [output.name]
    assert bundles[0] == bundles[1]


@pytest.mark.parametrize("gone", [slice(None), slice(-1, None)])  # the first shard's run fails to start; a later one
def test_a_reindex_that_fails_leaves_nothing_in_memory(
    gone: slice, memory: Path, demo_output: Path, tmp_path: Path
) -> None:
    output = tmp_path / "output"
    shutil.copytree(demo_output, output)
    overrides = {"OUTPUT_PATH": str(output), "QA_CACHE_PATH": str(tmp_path / "cache"), "QA_SEARCH_SCRATCH": str(memory)}
    settings = load_settings(ROOT / "pelicanconf.py", {**overrides, "QA_SEARCH_SHARD_SIZE": 10})
    site, _ = load_from_settings(Path(settings["PATH"]), settings, urls_from(settings))
    for page in sorted(output.glob(GLOB))[gone]:  # pages Pagefind should read are missing: their copy fails
        page.unlink()
    with pytest.raises(FileNotFoundError):
        reindex(output, site.questions, urls_from(settings), settings, [q.slug for q in site.questions])
    assert list(memory.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("output")) == ["output"]
