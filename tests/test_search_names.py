"""Category names with quotes, backslashes, ampersands, angle brackets, apostrophes, percent signs, text that
looks like an entity and non-ASCII letters, on the search page in real Chromium with real Pagefind: each facet
shows the name as written, ticking it finds exactly its questions, the address holds it and opening that address
ticks it again, and the result rows show it (render/pagefind_values.py says what Pagefind does to such names).
Tags need none of this: a tag is lowercase letters, digits and hyphens (content/slugs.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from conftest import copy_site, serving
from pagefind_files import cbor_document, strings
from qasite.build.pipeline import build, load_settings

pytestmark = pytest.mark.browser

RESULTS = "[data-search-results] > li"
# Each name, with the titles of its questions (one category has two, so exactly its questions are checked).
NAMES = {
    'Say "no" & mean it': ["Can I say no to my therapist?", "Is it fine to say no twice?"],
    'Back\\slash \\" and \\\\ two': ["Why does a backslash matter?"],
    "<b>Bold</b> & <i>italic</i>": ["Are angle brackets text?"],
    "Don't panic": ["What if I panic?"],
    "Ça va? Ünïcode 日本語 — ok": ["Does non-ASCII work?"],
    "Literal &amp; &#34; &lt;b&gt; &copy 2024": ["Do entities stay text?"],
    '100% sure %22 %5C %25 "%"': ["Is a percent sign kept?"],
    "AT&T, a: b": ["Are commas and colons kept?"],
}


def question(title: str, category: str) -> str:
    quoted = category.replace("'", "''")
    front = [f"title: {title!r}", "date: 2024-05-01", f"category: '{quoted}'", "tags: [therapy]", "author: anonymous"]
    return "---\n" + "\n".join(front) + "\n---\n\nText.\n"


def add_names(site: Path) -> None:
    """The fixture site with one category per name and its questions."""
    content = site / "content"
    with (content / "categories.yml").open("a") as categories:
        for order, name in enumerate(NAMES, start=3):
            quoted = name.replace("'", "''")
            categories.write(f"'{quoted}':\n  description: A category.\n  order: {order}\n")
    for index, (name, titles) in enumerate(NAMES.items()):
        for number, title in enumerate(titles):
            folder = content / "questions" / f"named-{index}-{number}"
            folder.mkdir()
            (folder / "index.md").write_text(question(title, name), encoding="utf-8")


@pytest.fixture(scope="module", params=[{}, {"QA_SEARCH_SHARD_SIZE": 4}], ids=["one-shard", "shards"])
def named_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site with the categories of NAMES, searchable (in one shard, or in several merged)."""
    conf = copy_site(tmp_path_factory.mktemp("names") / "site")
    add_names(conf.parent)
    output = build(settings=load_settings(conf, {"QA_SEARCH": True, **request.param}))
    with serving(output) as url:
        yield url


def facet_names(page: Page) -> list[str]:
    boxes = page.locator("[data-search-facets] input[data-facet='category']")
    names = "boxes => boxes.map(box => box.labels[0].querySelector('.search-facet__name').textContent)"
    return sorted(boxes.evaluate_all(names))


def result_titles(page: Page) -> list[str]:
    return sorted(page.locator(f"{RESULTS} .qa-row__title").all_inner_texts())


def wait_for_search(page: Page) -> None:
    expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^(?!Loading)\S"))


def test_every_name_shows_as_written_and_ticking_it_finds_exactly_its_questions(page: Page, named_url: str) -> None:
    for name, titles in NAMES.items():
        page.goto(f"{named_url}/search/")
        wait_for_search(page)
        page.locator("[data-search-filters] > summary").click()
        category = page.locator("[data-search-facets] fieldset").filter(has_text="Category")
        expect(category.locator("input")).to_have_count(len(NAMES) + 2)  # and the fixture's two
        assert set(NAMES) <= set(facet_names(page))
        category.get_by_text(name, exact=True).click()
        expect(page.locator("[data-search-status]")).to_have_text(
            f"{len(titles)} {'question matches' if len(titles) == 1 else 'questions match'} the chosen filters."
        )
        assert result_titles(page) == sorted(titles)
        shown = page.locator(f"{RESULTS} .search-result__category").all_text_contents()
        assert [" ".join(text.split()) for text in shown] == [f"Category: {name}"] * len(titles)
        assert parse_qs(urlsplit(page.url).fragment) == {"category": [name]}
        assert facet_names(page) == [name]  # the other categories have no result with it


def test_an_address_with_a_name_ticks_it_and_finds_its_questions(page: Page, named_url: str) -> None:
    for name, titles in NAMES.items():
        page.goto("about:blank")  # a new page load each time, not a new fragment of the same page
        page.goto(f"{named_url}/search/#{urlencode({'category': name, 'tag': 'therapy'})}")
        wait_for_search(page)
        assert result_titles(page) == sorted(titles)
        expect(page.locator("[data-search-facets] input[data-facet='category']")).to_have_count(1)
        box = page.locator("[data-search-facets] input[data-facet='category']")
        assert box.is_checked() and box.get_attribute("value") == name
        assert facet_names(page) == [name]


def test_the_index_holds_each_name_in_the_form_the_search_page_reads(tmp_path: Path) -> None:
    """The filter chunks hold each name with %, " and \\ percent-encoded (what search-index.js decodes), and
    the result meta the name as written."""
    conf = copy_site(tmp_path / "site")
    add_names(conf.parent)
    output = build(settings=load_settings(conf, {"QA_SEARCH": True}))
    values = {s for p in (output / "pagefind/filter").iterdir() for s in strings(cbor_document(p))}
    encoded = {re.sub(r'[%"\\]', lambda m: f"%{ord(m[0]):02X}", name) for name in NAMES}
    assert encoded <= values
    assert not {name for name in NAMES if re.search(r'[%"\\]', name)} & values


def test_the_hostile_category_ticked_finds_its_two_questions(page: Page, hostile_output: Path) -> None:
    """The report: on the hostile site (tests/fixtures/hostile), its category holding quotes found nothing."""
    category = '<script>alert("category")</script> & "Q\'s" ]]> <!--'
    with serving(hostile_output) as url:
        page.goto(f"{url}/search/#{urlencode({'category': category})}")
        expect(page.locator("[data-search-status]")).to_have_text("2 questions match the chosen filters.")
        assert result_titles(page) == sorted(
            [
                "A plain question in a hostile category?",
                "</script><script>alert(1)</script> <!-- ]]> \"quoted\" 'single' <img src=x onerror=alert(2)>?",
            ]
        )
        box = page.locator("[data-search-facets] input[data-facet='category']")
        expect(box).to_have_count(1)
        assert box.is_checked() and box.get_attribute("value") == category
