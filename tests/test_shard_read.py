"""A search shard's pages are removed as soon as Pagefind says it has read them (render/shard_indexer.py, ``READ``),
while it still builds and writes the index: its bundle must be the one it writes with the pages left in place."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import copy_site
from pagefind_files import bundle_files
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import urls_from, with_defaults
from qasite.config.urls import Urls
from qasite.content.loader import load_site
from qasite.render.search_shards import finish_all, start


def test_pages_go_once_pagefind_has_read_them_and_its_bundle_is_the_same(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    settings = load_settings(conf)
    output = build(settings=settings)  # its bundle: Pagefind's run over pages that stayed to the end
    expected = bundle_files(output / Urls.search_bundle(0))
    questions = load_site(tmp_path / "site" / "content")[0].questions
    indexer = start(output, questions, urls_from(with_defaults(dict(settings))), settings)  # the pages indexed again
    [process] = indexer.running
    while 0 not in indexer.read_early:  # watched without a pause: the pages go the moment Pagefind says so
        ended = process.poll() is not None
        indexer._watch(process)
        assert 0 in indexer.read_early or not ended, "Pagefind ended without saying it had read every page"
        time.sleep(0.001)
    assert [p.name for p in indexer.tree(0).iterdir()] in ([], ["bundle"])  # gone from where Pagefind reads
    finish_all(indexer, questions, settings["SITEURL"])
    assert bundle_files(output / Urls.search_bundle(0)) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qasite-cache", "site"]  # no shard folder left
    beside = ["content", "output", "output.lock", "pelicanconf.py"]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == beside
