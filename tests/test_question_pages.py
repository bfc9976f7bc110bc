"""The question pages and their bodies rendered first (qasite.render.question_pages).

A cold build with search writes each search shard's Pagefind copies from the question bodies before any related list
is made; Pagefind must read from them what it reads from the written pages, in every shard, and a theme that puts
something Pagefind reads outside the body element makes the build cut the copies from the written pages instead.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from test_incremental import differences
from test_index_pages import _index
from test_prepare_early import big_site
from test_related_shards import sharded_settings

from conftest import ROOT
from qasite.build.pipeline import build, load_settings
from qasite.config.urls import Urls
from qasite.render.search_shards import shard_of

GLOB = Urls().glob("question")


def _fragments(bundle: Path) -> dict[str, Any]:
    """Every page Pagefind indexed in ``bundle``, by its URL: its text, filters, meta and anchors (its fragment)."""
    found = {}
    for path in (bundle / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


def _shard_bundles(output: Path) -> list[Path]:
    count = json.loads((output / Urls.search_shards).read_text())["shards"]
    return [output / Urls.pagefind / (str(k) if k else "") for k in range(count)]


def test_each_shard_reads_from_the_bodies_what_it_reads_from_the_written_pages(tmp_path: Path) -> None:
    build(settings=sharded_settings(tmp_path, "output", 8))
    output = tmp_path / "output"
    bundles = _shard_bundles(output)
    assert len(bundles) == 4
    pages = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.glob(GLOB)}
    for shard, bundle in enumerate(bundles):
        mine = {name: data for name, data in pages.items() if shard_of(name.split("/")[-2], len(bundles)) == shard}
        whole = _index(tmp_path / f"whole-{shard}", mine)
        assert len(mine) >= 3
        assert _fragments(bundle) == _fragments(whole)


def test_a_theme_with_something_read_outside_the_body_has_its_copies_cut_from_the_pages(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    header = theme / "templates" / "partials" / "header.html"
    header.write_text('<div hidden data-pagefind-filter="site:demo"></div>\n' + header.read_text())
    overrides = {"PATH": str(ROOT / "content"), "OUTPUT_PATH": str(tmp_path / "output"), "THEME": str(theme)}
    overrides |= {"QA_CACHE_PATH": str(tmp_path / "cache"), "QA_SEARCH": True, "QA_SEARCH_SHARD_SIZE": 8}
    build(settings=load_settings(ROOT / "pelicanconf.py", overrides))
    fragments = [f for bundle in _shard_bundles(tmp_path / "output") for f in _fragments(bundle).values()]
    assert len(fragments) == len(list((tmp_path / "output").glob(GLOB))) > 20
    assert all(f["filters"]["site"] == ["demo"] for f in fragments)


def test_bodies_rendered_in_forked_workers_give_the_pages_and_copies_of_one_process(tmp_path: Path) -> None:
    """420 questions: the bodies first (and the load's quick bodies, ``bodies._quick``) in two processes (400 or
    more), against one."""
    conf = big_site(tmp_path / "site", 2)
    outputs = {}
    for processes in (2, 1):
        overrides = {"OUTPUT_PATH": str(tmp_path / f"out-{processes}"), "QA_RENDER_PROCESSES": processes}
        overrides |= {"QA_CACHE_PATH": str(tmp_path / f"cache-{processes}"), "QA_SEARCH": True}
        outputs[processes] = build(settings=load_settings(conf, overrides))
    assert [n for n in differences(outputs[2], outputs[1]) if not n.startswith(Urls.pagefind)] == []
    pages = {p.relative_to(outputs[2]).as_posix(): p.read_bytes() for p in outputs[2].glob(GLOB)}
    assert len(pages) == 420
    assert _fragments(outputs[2] / Urls.pagefind) == _fragments(_index(tmp_path / "whole", pages))
