"""Search shards (render/search_shards.py): the fixture site indexed as three shards, one question each
(QA_SEARCH_SHARD_SIZE = 1), searched together in real Chromium; one shard re-indexed after an edit."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from conftest import copy_site, gone_but_old, serving
from pagefind_files import bundle_index_files, cbor_document, pagefind_data
from qasite.build import outputdir
from qasite.build.cache import Cache
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import urls_from, with_defaults
from qasite.config.urls import Urls
from qasite.content.loader import load_site
from qasite.render import search_sorts, shard_indexer
from qasite.render.pagefind_meta import below, close_gaps
from qasite.render.search_shards import plan, reindex, shard_count, shard_of, shards_file, start
from qasite.render.search_sorts import fragment_url
from qasite.render.shard_indexer import ShardIndexer

SHARDED = {"QA_SEARCH_SHARD_SIZE": 1}
ETHICS = "Is it ethical for my therapist to follow me on social media?"
WORRYING = "How do I stop worrying at night?"
GROUP = "Is group therapy worth it?"
RESULTS = "[data-search-results] > li"
WORRYING_SLUG = "how-do-i-stop-worrying-at-night"
ETHICS_SLUG = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
GROUP_SLUG = "is-group-therapy-worth-it"


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built with one question a shard."""
    conf = copy_site(tmp_path_factory.mktemp("sharded") / "site")
    return build(settings=load_settings(conf, SHARDED))


@pytest.fixture(scope="module")
def sharded_url(sharded: Path) -> Iterator[str]:
    with serving(sharded) as url:
        yield url


def fragment_urls(bundle: Path) -> set[str]:
    return {json.loads(pagefind_data(p))["url"] for p in (bundle / "fragment").iterdir()}


def test_each_shard_is_a_bundle_of_the_questions_its_slug_hashes_to(sharded: Path) -> None:
    assert json.loads((sharded / Urls.search_shards).read_text()) == {
        "shards": 3,
        "merge": ["/pagefind/1/", "/pagefind/2/"],
    }
    slugs = [WORRYING_SLUG, GROUP_SLUG, ETHICS_SLUG]
    for shard in range(3):
        bundle = sharded / Urls.search_bundle(shard)
        assert (bundle / "pagefind-entry.json").is_file()
        expected = {f"/questions/{slug}/" for slug in slugs if shard_of(slug, 3) == shard}
        assert fragment_urls(bundle) == expected
    assert shard_of("x", 3) == int.from_bytes(hashlib.sha256(b"x").digest()[:8], "big") % 3  # stable: no seed
    assert gone_but_old(sharded.parent) == ["content", "output", "output.lock", "pelicanconf.py"]
    assert not shard_indexer.LEFT  # no removal left to wait for


def test_an_indexed_shards_folder_is_renamed_away_and_deleted_in_the_background(tmp_path: Path) -> None:
    """A shard's folder, once indexed, is at once an ``output.old-*`` folder deleted by a process nothing waits for
    (as an old site is: ``outputdir.discard``); the build's end does not wait for thousands of unlinks."""
    staging = tmp_path / "output.staging"
    pages = [[f"questions/q{i}/index.html" for i in range(300)]]
    indexer = ShardIndexer(staging, pages, "questions/*/index.html", shards=[0], jobs=1)
    tree = indexer.tree(0)
    for name in pages[0]:
        (tree / name).parent.mkdir(parents=True)
        (tree / name).write_text("<html><body>page</body></html>")
    indexer._remove(tree)
    assert not tree.exists()
    assert not indexer.removing  # nothing for the build to wait for
    assert all(p.name.startswith("output" + outputdir.OLD) for p in tmp_path.iterdir())
    assert gone_but_old(tmp_path) == []
    indexer._remove(indexer.tree(1))  # a folder never made (a shard that did not start): nothing to do
    assert gone_but_old(tmp_path) == [] and not indexer.removing


def test_the_sort_ids_of_bundles_in_place_are_read_while_the_last_run_goes(tmp_path: Path, sharded: Path) -> None:
    """While the build waits for the last Pagefind run, the sort table's ids of the bundles already in place go to the
    build cache (``ShardIndexer.finish``), the ones ``read_sort_table`` then reuses: only the last bundle is left."""
    output = shutil.copytree(sharded, tmp_path / "output")
    settings = load_settings(sharded.parent / "pelicanconf.py", SHARDED)
    questions = load_site(sharded.parent / "content")[0].questions
    indexer = start(output, questions, urls_from(settings), settings)  # every shard again, one run at a time
    indexer.cache = cache = Cache(root=tmp_path / "cache", settings=settings)
    indexer.finish()
    for shard in range(3):
        bundle = Urls.search_bundle(shard)
        kept = cache.get(namespace=search_sorts.NAMESPACE, key=f"{output.resolve()}/{bundle}")
        if shard < 2:  # read while the next run went on
            assert kept is not None and kept[1] == search_sorts.page_ids(output / bundle), shard
        else:
            assert kept is None  # the last: read by the sort table itself
    assert search_sorts.read_sort_table(output, questions, 3, cache) == (sharded / Urls.search_sorts).read_text()


def test_sort_table_holds_every_shards_questions(sharded: Path) -> None:
    table = json.loads((sharded / Urls.search_sorts).read_text())
    bundles = [sharded / Urls.search_bundle(k) for k in range(3)]
    fragments = [next(f for b in bundles if (f := b / "fragment" / f"{i}.pf_fragment").is_file()) for i in table["ids"]]
    urls = [fragment_url(fragment) for fragment in fragments]
    assert sorted(urls) == sorted(f"/questions/{slug}/" for slug in (WORRYING_SLUG, GROUP_SLUG, ETHICS_SLUG))


def test_shard_count_follows_the_size_and_leaves_no_shard_empty() -> None:
    slugs = [f"q{i}" for i in range(10_001)]
    assert shard_count(slugs, 5000) == 3
    assert shard_count(slugs, 20_000) == 1
    assert shard_count(["a", "b"], 1) in (1, 2)
    count = shard_count(["a", "b", "c", "d"], 1)
    assert len({shard_of(s, count) for s in "abcd"}) == count


def test_results_come_from_every_shard_ranked_together(page: Page, sharded_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{sharded_url}/search/#q=the")
    expect(page.locator(RESULTS)).to_have_count(3)
    assert sorted(page.locator(f"{RESULTS} .qa-row__title").all_inner_texts()) == sorted([ETHICS, WORRYING, GROUP])
    for bundle in ("/pagefind/", "/pagefind/1/", "/pagefind/2/"):
        assert any(re.fullmatch(re.escape(bundle) + r"pagefind\.[a-z_0-9-]+\.pf_meta", p) for p in requested), bundle
    assert [p for p in requested if p.endswith(".pagefind")] == ["/pagefind/wasm.en.pagefind"]  # loaded once
    page.goto(f"{sharded_url}/search/#q=worrying")
    expect(page.locator(RESULTS)).to_have_count(1)
    link = page.locator(f"{RESULTS} .qa-row__link")
    expect(link).to_have_text(WORRYING)
    assert link.get_attribute("href") == f"/questions/{WORRYING_SLUG}/#highlight=worrying"  # not made absolute


def test_sort_is_global_across_shards(page: Page, sharded_url: str) -> None:
    page.goto(f"{sharded_url}/search/#q=the&sort=votes")
    expect(page.locator(f"{RESULTS} .qa-votes__count")).to_have_text(["+12", "+3", "-1"])
    page.get_by_label("Sort by").select_option("newest")
    expect(page.locator(f"{RESULTS} .qa-row__title")).to_have_text([WORRYING, ETHICS, GROUP])
    assert parse_qs(urlsplit(page.url).fragment)["sort"] == ["newest"]


def test_filters_count_and_narrow_across_shards(page: Page, sharded_url: str) -> None:
    page.goto(f"{sharded_url}/search/#q=the")
    expect(page.locator(RESULTS)).to_have_count(3)
    count = page.locator("label:has(.search-facet__name:text-is('therapy')) .search-facet__count")
    expect(count).to_contain_text("2")  # the two questions tagged therapy are in two shards
    page.get_by_role("checkbox", name=re.compile(r"^therapy\b")).check()
    expect(page.locator(f"{RESULTS} .qa-row__title")).to_have_text([ETHICS, GROUP], timeout=5000)
    page.get_by_role("checkbox", name=re.compile(r"^boundaries\b")).check()
    expect(page.locator(f"{RESULTS} .qa-row__title")).to_have_text([ETHICS])
    page.goto(f"{sharded_url}/search/#status=unanswered&sort=newest")  # filters alone, no words
    expect(page.locator(f"{RESULTS} .qa-row__title")).to_have_text([WORRYING, GROUP])


def test_a_facet_ticked_without_words_fetches_no_index_chunk_and_finds_what_null_finds(
    page: Page, sharded_url: str
) -> None:
    """A filter-only search reads no word, so it fetches no index chunk: Pagefind 1.5.2's `search(null)` fetched
    every chunk of every shard (search-index.js's FILTERS_ONLY says why); the term asked instead finds the same
    results in the same order, with the same counts."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{sharded_url}/search/")
    expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^Type a few words"))
    page.locator("[data-search-filters] > summary").click()  # the site's counts, as a reader sees them first
    expect(page.locator("[data-search-facets] fieldset")).to_have_count(3)
    page.get_by_role("checkbox", name=re.compile(r"^therapy\b")).check()
    expect(page.locator("[data-search-status]")).to_have_text("2 questions match the chosen filters.")
    expect(page.locator(f"{RESULTS} .qa-row__title")).to_have_count(2)
    assert not [path for path in requested if path.endswith(".pf_index")], requested
    same = page.evaluate(
        """async () => {
          const ours = await (await import('/theme/js/search-index.js')).loadPagefind();
          const pagefind = await import('/pagefind/pagefind.js');
          const pick = (s) => [s.results.map((r) => r.id), s.filters, s.totalFilters, s.unfilteredResultCount];
          const asked = [{ tag: ['therapy'] }, { status: ['unanswered'], tag: ['therapy'] }, {}];
          const found = [];
          for (const filters of asked) found.push([pick(await ours.search(null, { filters })),
                                                   pick(await pagefind.search(null, { filters }))]);
          return found.map(([a, b]) => JSON.stringify(a) === JSON.stringify(b));
        }"""
    )
    assert same == [True, True, True]


def test_a_word_missing_from_a_shard_matches_a_shorter_word_there(page: Page, sharded_url: str) -> None:
    """Pagefind's fallback, per index: a word no page of a shard has matches the longest indexed word it
    starts with ("therapy": "the" in the shard of the worrying question). One index over every page
    finds "therapy" and so never falls back; shards can add such weaker matches (docs/maintaining.md, "Search")."""
    page.goto(f"{sharded_url}/search/#q=therapy")
    expect(page.locator(RESULTS)).to_have_count(3)
    expect(page.locator(f"{RESULTS} .qa-row__title").last).to_have_text(WORRYING)  # ranked last


def test_header_box_loads_every_shard_on_focus(page: Page, sharded_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{sharded_url}/questions/{WORRYING_SLUG}/")
    page.wait_for_load_state("networkidle")
    assert not [p for p in requested if p.startswith("/pagefind/")]
    with page.expect_request(re.compile(r"/pagefind/2/pagefind\.[a-z_0-9-]+\.pf_meta$")):
        page.locator("header form[role=search] input[type=search]").focus()


def test_an_edit_reindexes_only_its_shard_as_a_full_build_would(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    settings = load_settings(conf, SHARDED)
    old = tmp_path / "old"
    shutil.copytree(build(settings=settings), old)
    before = {k: bundle_index_files(old / Urls.search_bundle(k)) for k in range(3)}
    question = tmp_path / "site" / "content" / "questions" / WORRYING_SLUG / "index.md"
    question.write_text(question.read_text() + "\nZanzibar lighthouses keep me awake.\n")
    rebuilt = build(settings=load_settings(conf, SHARDED))  # the full build an incremental one must match
    # The same edit on the old output: the question's page replaced, then only its shard re-indexed.
    page = f"questions/{WORRYING_SLUG}/index.html"
    shutil.copyfile(rebuilt / page, old / page)
    questions = load_site(tmp_path / "site" / "content")[0].questions
    urls = urls_from(with_defaults(dict(settings)))
    shard = shard_of(WORRYING_SLUG, 3)
    assert plan(questions, urls, 3)[shard] == [page]
    assert reindex(old, questions, urls, settings, [WORRYING_SLUG]) == [shard]
    after = {k: bundle_index_files(old / Urls.search_bundle(k)) for k in range(3)}
    assert after[shard] == bundle_index_files(rebuilt / Urls.search_bundle(shard)) != before[shard]
    assert all(after[k] == before[k] for k in range(3) if k != shard)  # the other shards left alone
    assert (old / Urls.search_sorts).read_bytes() == (rebuilt / Urls.search_sorts).read_bytes()
    assert gone_but_old(tmp_path, "old") == ["old", "qasite-cache", "site"]  # no shard folder left


def test_every_indexed_word_loads_its_own_chunk_only(demo_output: Path) -> None:
    """Pagefind's browser code loads the chunks whose [from, to] range holds a query word (request_indexes): with
    the ranges closed up (pagefind_meta.py) every word of the index is in its own chunk's range and no other."""
    meta = cbor_document(next((demo_output / Urls.pagefind).glob("pagefind.*.pf_meta")))
    chunks = meta[2]
    assert len(chunks) > 3
    for *_, name in chunks:
        words = [entry[0] for entry in cbor_document(demo_output / Urls.pagefind / "index" / f"{name}.pf_index")[0]]
        for word in words:
            assert [c[2] for c in chunks if c[0] <= word <= c[1]] == [name], word


def test_chunk_ranges_end_just_below_the_next_chunk() -> None:
    # As Pagefind writes them: 'anxieti' ends the first chunk, trimmed to 'anxie'; 'anxious' starts the next.
    chunks = [["a", "anxie", "c1"], ["anxio", "b", "c2"], ["ba", "c", "c3"]]
    assert close_gaps(chunks) == 2
    assert chunks[0][1] == "anxin\U0010ffff" and chunks[1][1] == "b`\U0010ffff" and chunks[2][1] == "c"
    for word, chunk in [("anxieti", 0), ("anxiety", 0), ("anxin", 0), ("anxio", 1), ("az", 1), ("b", 1), ("bzzz", 2)]:
        assert [i for i, c in enumerate(chunks) if c[0] <= word <= c[1]] == [chunk], word
    assert "anxinzzzz" < below("anxio") < "anxio"


def test_shards_indexed_at_once_give_the_same_index(tmp_path: Path, sharded: Path) -> None:
    """QA_SEARCH_SHARD_JOBS = 3: three Pagefind runs at once, each bundle put in place as it ends (shard 0's
    folder holding the others), the same index as one run after another."""
    conf = copy_site(tmp_path / "site")
    output = build(settings=load_settings(conf, {**SHARDED, "QA_SEARCH_SHARD_JOBS": 3}))
    for shard in range(3):
        bundle = Urls.search_bundle(shard)
        assert bundle_index_files(output / bundle) == bundle_index_files(sharded / bundle), shard
    assert (output / Urls.search_sorts).read_bytes() == (sharded / Urls.search_sorts).read_bytes()


def test_the_shard_list_names_the_other_bundles_under_siteurl() -> None:
    assert json.loads(shards_file(3, "https://x.test/faq")) == {
        "shards": 3,
        "merge": ["https://x.test/faq/pagefind/1/", "https://x.test/faq/pagefind/2/"],
    }
    assert json.loads(shards_file(1, "")) == {"shards": 1, "merge": []}
