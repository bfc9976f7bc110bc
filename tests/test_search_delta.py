"""The preview's search delta (render/search_delta.py) in real Chromium: after a preview edit, the edited pages'
small bundle is merged and their stale entries in the shards dropped, so searching finds the new words and not
the old ones, a deleted question is not found, and sorting and filters follow the edit; then the catch-up's
re-index takes the delta away and the index is a full build's."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_incremental import bundle_files, differences

from conftest import copy_site, serving
from qasite.build import memory
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.render import search_delta
from qasite.render.shard_indexer import TREE
from qasite.tools.livereload import Preview

SHARDED = {"QA_SEARCH_SHARD_SIZE": 1}
ETHICS = "Is it ethical for my therapist to follow me on social media?"
WORRYING = "How do I stop worrying at night?"
RESULTS = "[data-search-results] > li"
WORRYING_PAGE = "questions/how-do-i-stop-worrying-at-night/index.md"
GROUP = "questions/is-group-therapy-worth-it"


def titles(page: Page, url: str, fragment: str) -> list[str]:
    page.goto("about:blank")  # a fresh load each time: not a hash change the page may not have searched for yet
    page.goto(f"{url}/search/#{fragment}")
    expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^(?!Loading)\S"))
    return page.locator(f"{RESULTS} .qa-row__title").all_inner_texts()


def edit(site: Path) -> list[str]:
    """Change the worrying question's text and votes, delete the group-therapy question; the paths changed."""
    path = site / "content" / WORRYING_PAGE
    text = path.read_text(encoding="utf-8").replace("votes: 3", "votes: 20")
    path.write_text(text.replace("going over the day", "counting zebrafinches till the dawn"), encoding="utf-8")
    shutil.rmtree(site / "content" / GROUP)
    return [str(path), str(site / "content" / GROUP)]


def test_the_delta_makes_the_preview_search_current(page: Page, tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    assert run_cli("build", conf, SHARDED) == 0
    preview = Preview(conf, SHARDED)
    settings = load_settings(conf, SHARDED)
    output = Path(settings["OUTPUT_PATH"])
    with serving(output) as url:
        assert WORRYING in titles(page, url, "q=going")
    assert preview.rebuild(edit(tmp_path / "site")) == 0
    preview.stop_indexing()  # the delta written below, not by the background child (which might be further on)
    snapshot, loaded, _ = memory.remembered(settings) or (None, None, None)
    assert snapshot is not None and loaded is not None and snapshot.unindexed
    questions = loaded.site.questions
    assert search_delta.write(output, questions, urls_from(settings), settings, snapshot.unindexed)
    listing = json.loads((output / Urls.search_shards).read_text(encoding="utf-8"))
    assert listing["delta"]["bundle"] == f"/{Urls.search_delta}" and len(listing["delta"]["drop"]) == 2
    with serving(output) as url:
        assert titles(page, url, "q=zebrafinches") == [WORRYING]
        assert WORRYING not in titles(page, url, "q=going")
        assert sorted(titles(page, url, "q=the")) == sorted([ETHICS, WORRYING])  # once each; the deleted one gone
        assert titles(page, url, "q=the&sort=votes") == [WORRYING, ETHICS]  # +20 now, above +12
        assert titles(page, url, "q=the&tag=sleep") == [WORRYING]
    preview.start_indexing()  # the catch-up: says current (a new delta), then re-indexes the shards
    assert preview.indexer is not None and preview.indexer.wait_current()
    assert preview.indexer.wait(timeout=120) == 0
    preview.close()
    assert not (output / Urls.search_delta).exists()
    full = build(settings=load_settings(conf, {**SHARDED, "OUTPUT_PATH": str(tmp_path / "full")}))
    assert bundle_files(output) == bundle_files(full)
    assert [n for n in differences(output, full) if not n.startswith(Urls.pagefind)] == []


def test_a_delta_that_fails_is_logged_with_its_cause_and_the_shards_still_catch_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    conf = copy_site(tmp_path / "site")
    assert run_cli("build", conf, SHARDED) == 0
    output = Path(load_settings(conf, SHARDED)["OUTPUT_PATH"])
    blocker = output.parent / f"{output.name}{TREE}delta"  # the delta's work folder: a file is in the way
    blocker.write_text("not a folder", encoding="utf-8")
    preview = Preview(conf, SHARDED)
    with caplog.at_level(logging.WARNING, logger="qasite.tools.catchup"):
        assert preview.rebuild(edit(tmp_path / "site")) == 0
        indexer = preview.indexer
        assert indexer is not None and indexer.wait(timeout=120) == 0
    assert indexer.current.is_set() and not (output / Urls.search_delta).exists()  # current from the shards
    assert indexer.no_delta.startswith("NotADirectoryError: ") and str(blocker) in indexer.no_delta
    assert f"search delta not written ({indexer.no_delta})" in caplog.text
    preview.close()


def test_a_delta_takes_half_a_shard_of_edited_questions(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    assert run_cli("build", conf, SHARDED) == 0
    settings = load_settings(conf, {})
    output = Path(settings["OUTPUT_PATH"])
    questions = list(range(10_000))  # only counted
    assert search_delta.page_limit(len(questions), settings) == 2500  # a deletion at 10,000 rewrote 729 pages
    assert search_delta.page_limit(1000, settings) == search_delta.MAX_PAGES
    edited = {f"question-{i}" for i in range(2501)}
    assert search_delta.why_not(output, questions, settings, edited) == (
        "2501 questions edited, more than the 2500 a delta takes"
    )
    assert search_delta.why_not(output, questions, settings, set(list(edited)[:729])) == ""
    assert search_delta.why_not(tmp_path / "nowhere", questions, settings, edited) == (
        f"no search index in {tmp_path / 'nowhere'}"
    )
