"""The search UI (search.html, search.js, highlight.js, site.js) on the built fixture site in real Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from conftest import ROOT, serving
from qasite.content.loader import load_site
from qasite.render.filters import humandate

pytestmark = pytest.mark.browser

SLUG = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
ETHICS = "Is it ethical for my therapist to follow me on social media?"
WORRYING = "How do I stop worrying at night?"
GROUP = "Is group therapy worth it?"
RESULTS = "[data-search-results] > li"


def open_search(page: Page, base_url: str, query: str = "") -> None:
    """Open the search page (with #q=query) and wait until its results or message are shown."""
    page.goto(f"{base_url}/search/" + (f"#{urlencode({'q': query})}" if query else ""))
    expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^(?!Loading)\S"))


def text_of(locator: Locator) -> str:
    """The element's text, hidden text included, with whitespace collapsed."""
    return " ".join((locator.text_content() or "").split())


def facet_count(page: Page, value: str) -> tuple[str, str]:
    """A facet value's count as shown ("2") and as read out ("(2 results)")."""
    count = page.locator(f"label:has(.search-facet__name:text-is('{value}')) .search-facet__count")
    shown = count.evaluate(
        "e => [...e.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.data).join('')"
    )
    return shown, text_of(count)


def result_titles(page: Page) -> list[str]:
    return page.locator(f"{RESULTS} .qa-row__title").all_inner_texts()


def result_votes(page: Page) -> list[int]:
    return [int(v) for v in page.locator(f"{RESULTS} .qa-votes__count").all_inner_texts()]


def test_typed_query_finds_the_question(page: Page, base_url: str) -> None:
    open_search(page, base_url)
    page.get_by_label("Search questions and answers").fill("worrying")
    expect(page.locator(RESULTS)).to_have_count(1)
    link = page.locator(f"{RESULTS} .qa-row__link")
    expect(link).to_have_text(WORRYING)
    assert link.get_attribute("href") == "/questions/how-do-i-stop-worrying-at-night/#highlight=worrying"
    expect(page.locator("[data-search-status]")).to_have_text("1 result for “worrying”.")
    assert page.locator("[data-search-status]").get_attribute("aria-live") == "polite"
    expect(page.locator(f"{RESULTS} mark")).to_have_text(["worrying"])
    # Typed queries go into the address for sharing, in the fragment (never sent to the server).
    assert (urlsplit(page.url).query, urlsplit(page.url).fragment) == ("", "q=worrying")


def test_query_in_the_url_runs_on_load_with_votes_answers_and_category(page: Page, base_url: str) -> None:
    open_search(page, base_url, "therapy")
    expect(page.get_by_label("Search questions and answers")).to_have_value("therapy")
    assert result_titles(page) == [ETHICS, GROUP]
    first = page.locator(RESULTS).first
    assert first.locator(".qa-votes__count").inner_text() == "+12"
    assert text_of(first.locator(".qa-count")) == "4 answers, one accepted"
    assert "qa-count--accepted" in (first.locator(".qa-count").get_attribute("class") or "")
    assert text_of(first.locator(".search-result__category")) == "Category: Psychotherapists"
    assert text_of(page.locator(RESULTS).nth(1).locator(".qa-count")) == "0 answers"
    assert page.title().startswith("“therapy”")


# A row's markup without whitespace between elements, the views line and the link's address.
ROW_MARKUP = """row => {
  const copy = row.cloneNode(true);
  copy.querySelectorAll(".qa-row__views").forEach((e) => e.remove());
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
  const blank = [];
  while (walker.nextNode()) if (!walker.currentNode.data.trim()) blank.push(walker.currentNode);
  blank.forEach((n) => n.remove());
  copy.querySelectorAll("a").forEach((a) => a.removeAttribute("href"));
  return copy.outerHTML;
}"""


def test_results_have_the_listing_rows_stats_and_title(page: Page, base_url: str) -> None:
    """A result's votes, answer count and title are the listing row's markup for that question (one macro)."""
    open_search(page, base_url, "therapy")
    expect(page.locator(RESULTS)).to_have_count(2)
    results = [
        {part: row.locator(part).evaluate(ROW_MARKUP) for part in (".qa-row__stats", ".qa-row__title")}
        for row in page.locator(RESULTS).all()
    ]
    for (title, listing), result in zip([(ETHICS, ""), (GROUP, "unanswered/")], results, strict=True):
        page.goto(f"{base_url}/{listing}")
        row = page.locator("ol.qa-list > li.qa-row", has=page.get_by_role("link", name=title, exact=True))
        assert result == {part: row.locator(part).evaluate(ROW_MARKUP) for part in result}, title


def test_word_only_in_one_answer_links_to_that_answer(page: Page, base_url: str) -> None:
    open_search(page, base_url, "hypnopompic")
    expect(page.locator(RESULTS)).to_have_count(1)
    answer = page.locator(f"{RESULTS} .search-result__answer-link")
    expect(answer).to_have_text("answer by Anonymous")
    href = answer.get_attribute("href") or ""
    assert urlsplit(href).path == f"/questions/{SLUG}/"
    assert urlsplit(href).query == ""
    assert urlsplit(href).fragment == "answer-2023-07-01-anon&highlight=hypnopompic"
    expect(page.locator(f"{RESULTS} .search-result__context")).to_have_text("Found in the answer by Anonymous")
    expect(page.locator(f"{RESULTS} .search-result__excerpt mark")).to_have_text(["hypnopompic"])


def test_best_match_in_the_question_links_to_the_question_only(page: Page, base_url: str) -> None:
    open_search(page, base_url, "worth")
    expect(page.locator(RESULTS)).to_have_count(1)
    expect(page.locator(f"{RESULTS} .search-result__answer-link")).to_have_count(0)


def test_excerpts_are_text_and_marks_only(page: Page, base_url: str) -> None:
    # The fixture question's body shows the text <script>alert("x")</script>.
    open_search(page, base_url, "alert")
    excerpt = page.locator(f"{RESULTS} .search-result__excerpt")
    expect(excerpt).to_contain_text('<script>alert("x")</script>')
    assert excerpt.locator("script").count() == 0
    assert excerpt.evaluate("e => [...e.querySelectorAll('*')].map(n => n.tagName)") == ["MARK"]


def test_tag_filter_narrows_results_and_its_count_matches(page: Page, base_url: str) -> None:
    open_search(page, base_url, "therapy")
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page.locator("[data-search-facets] fieldset")).to_have_count(3)  # filled in after the results
    legends = page.locator("[data-search-facets] fieldset > legend").all_inner_texts()
    assert [legend.lower() for legend in legends] == ["category", "tag", "status"]  # shown upper-case by CSS
    assert facet_count(page, "therapy") == ("2", "(2 results)")
    count = facet_count(page, "boundaries")
    assert count == ("1", "(1 result)")
    page.get_by_role("checkbox", name=re.compile(r"^boundaries\b")).check()
    expect(page.locator(RESULTS)).to_have_count(1)
    assert facet_count(page, "boundaries") == count  # the count shown is the number of results
    assert result_titles(page) == [ETHICS]
    assert parse_qs(urlsplit(page.url).fragment) == {"q": ["therapy"], "tag": ["boundaries"]}
    checked = page.get_by_role("checkbox", name=re.compile(r"^boundaries\b"))
    expect(checked).to_be_checked()
    expect(checked).to_be_focused()  # the re-rendered facets keep keyboard focus
    expect(page.locator("[data-search-status]")).to_have_text("1 result for “therapy” with the chosen filters.")


def test_filters_in_the_url_are_applied_on_load(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/search/#status=unanswered&sort=newest")
    expect(page.locator(RESULTS)).to_have_count(2)
    assert result_titles(page) == [WORRYING, GROUP]  # newest first: 2024-01-10, then 2023-02-01
    expect(page.get_by_role("checkbox", name=re.compile(r"^Unanswered\b"))).to_be_checked()
    expect(page.get_by_label("Sort by")).to_have_value("newest")


def test_sort_by_votes_gives_descending_votes(page: Page, base_url: str) -> None:
    open_search(page, base_url, "the")
    expect(page.locator(RESULTS)).to_have_count(3)
    by_relevance = result_votes(page)
    assert by_relevance != sorted(by_relevance, reverse=True)  # else this test could not fail
    page.get_by_label("Sort by").select_option("votes")
    expect(page.locator(f"{RESULTS} .qa-votes__count")).to_have_text(["+12", "+3", "-1"])
    assert parse_qs(urlsplit(page.url).fragment)["sort"] == ["votes"]


@pytest.fixture(scope="module")
def demo_url(demo_output: Path) -> Iterator[str]:
    """The demo site (31 questions: more results than one page of them) served on loopback."""
    with serving(demo_output) as url:
        yield url


@pytest.mark.parametrize("sort", ["votes", "newest", "answers"])
def test_sorts_order_every_result_not_only_the_loaded_ones(page: Page, demo_url: str, sort: str) -> None:
    """The sort table orders the whole result list: the first page holds the site's top questions, and
    "Show more" goes on down the same order (equal values in any order among themselves)."""
    answered = [q for q in load_site(ROOT / "content")[0].questions if q.answers]
    assert len(answered) > 20  # more than two pages of results
    value = {"votes": lambda q: q.votes, "newest": lambda q: q.date, "answers": lambda q: q.answer_count}[sort]
    expected = sorted(answered, key=value, reverse=True)
    shown = {"votes": lambda q: f"{q.votes:+d}".replace("+0", "0"), "newest": lambda q: f"asked {humandate(q.date)}"}
    shown["answers"] = lambda q: str(q.answer_count)
    part = {"votes": ".qa-votes__count", "newest": ".qa-row__asker", "answers": ".qa-count__number"}[sort]
    page.goto(f"{demo_url}/search/#status=answered&sort={sort}")
    expect(page.locator(RESULTS)).to_have_count(10)
    page.get_by_role("button", name=re.compile("^Show more results")).click()
    expect(page.locator(RESULTS)).to_have_count(20)
    texts = [" ".join(t.split()) for t in page.locator(f"{RESULTS} {part}").all_inner_texts()]
    assert texts == [shown[sort](q) for q in expected[:20]]


def test_no_results_offers_to_ask_the_question(page: Page, base_url: str) -> None:
    open_search(page, base_url, 'zebra "quagga"')
    expect(page.locator("[data-search-empty]")).to_be_visible()
    expect(page.locator(RESULTS)).to_have_count(0)
    expect(page.locator("[data-search-status]")).to_have_text('0 results for “zebra "quagga"”.')
    ask = page.get_by_role("link", name="Ask this question")
    url = urlsplit(ask.get_attribute("href") or "")
    assert (url.netloc, url.path) == ("github.com", "/example/faq/new/main/content/questions/your-question-slug")
    value = parse_qs(url.query)["value"][0]
    assert "title: \"zebra 'quagga'\"" in value and "Your question?" not in value
    assert "%20" in url.query and "+" not in url.query


def test_slash_focuses_the_search_box(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/questions/{SLUG}/")
    box = page.locator("header form[role=search] input[type=search]")
    assert box.get_attribute("name") is None  # without JavaScript the form sends no query
    assert page.get_by_label("Search questions and answers").count() == 1
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the "/" is not typed into the box
    page.keyboard.type("a/b")  # inside the box, "/" is just a character
    expect(box).to_have_value("a/b")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/#q=a%2Fb$"))
    expect(page.get_by_label("Search questions and answers")).to_have_value("a/b")


def test_header_box_loads_pagefind_when_it_gets_focus(page: Page, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{base_url}/questions/{SLUG}/")
    page.wait_for_load_state("networkidle")
    assert not [path for path in requested if path.startswith("/pagefind/")]  # a page read, not searched
    with page.expect_request(re.compile(r"/pagefind/pagefind\.[a-z_0-9-]+\.pf_meta$")):
        page.locator("header form[role=search] input[type=search]").focus()
    assert "/search/sorts.json" not in requested  # the sort table waits for a sort


def test_focus_loads_all_pagefind_needs_so_the_query_fetches_only_index_and_results(page: Page, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{base_url}/questions/{SLUG}/")
    page.locator("header form[role=search] input[type=search]").focus()
    # The promise the focus started (the same module, loaded once): it resolves once Pagefind is ready.
    page.evaluate("async () => { await (await import('/theme/js/search-index.js')).loadPagefind(); }")
    loaded = len(requested)
    assert any(path.endswith(".pagefind") for path in requested[:loaded])  # its WebAssembly
    assert any(path.endswith(".pf_meta") for path in requested[:loaded])
    found = page.evaluate(
        """async () => {
          const pagefind = await (await import('/theme/js/search-index.js')).loadPagefind();
          const search = await pagefind.search('worrying');
          return (await search.results[0].data()).meta.title;
        }"""
    )
    assert found == WORRYING
    query = requested[loaded:]  # the query's word chunks and its result's data, nothing of Pagefind itself
    chunk = re.compile(r"/pagefind/(\d+/)?(index/\S+\.pf_index|fragment/\S+\.pf_fragment)")
    assert query and all(chunk.fullmatch(path) for path in query), query


def test_back_button_restores_the_previous_query(page: Page, base_url: str) -> None:
    open_search(page, base_url, "worrying")
    expect(page.locator(RESULTS)).to_have_count(1)
    page.get_by_label("Sort by").select_option("votes")  # a new history entry
    page.get_by_label("Search questions and answers").fill("therapy")  # replaces that entry
    expect(page.locator(RESULTS)).to_have_count(2)
    page.go_back()
    expect(page.get_by_label("Search questions and answers")).to_have_value("worrying")
    expect(page.get_by_label("Sort by")).to_have_value("")
    expect(page.locator(RESULTS)).to_have_count(1)
    assert result_titles(page) == [WORRYING]
    page.go_forward()
    expect(page.get_by_label("Search questions and answers")).to_have_value("therapy")
    expect(page.locator(RESULTS)).to_have_count(2)
    page.locator(f"{RESULTS} .qa-row__link").first.click()  # leave for a result, then come back
    page.wait_for_url(re.compile(r"/questions/"))
    page.go_back()
    expect(page.get_by_label("Search questions and answers")).to_have_value("therapy")
    expect(page.get_by_label("Sort by")).to_have_value("votes")
    expect(page.locator(RESULTS)).to_have_count(2)


def test_highlight_marks_the_terms_on_the_target_page(page: Page, base_url: str) -> None:
    open_search(page, base_url, "hypnopompic")
    page.locator(f"{RESULTS} .search-result__answer-link").click()
    page.wait_for_url(re.compile(r"#answer-2023-07-01-anon$"))
    marks = page.locator("mark.search-highlight")
    expect(marks).to_have_text(["hypnopompic"])
    assert marks.evaluate("m => m.closest('article').querySelector('h3').id") == "answer-2023-07-01-anon"
    assert page.locator("head style").count() == 0  # our CSS styles the marks: no inline style
    page.goto(f"{base_url}/questions/{SLUG}/")
    page.wait_for_load_state("networkidle")
    assert marks.count() == 0


def test_without_javascript_search_leads_to_the_tag_index(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.locator("header input[type=search]").fill("sleep")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\??$"))  # the query is not sent
    expect(page.locator("[data-search]")).to_be_hidden()
    fallback = page.locator("[data-search-fallback]")
    expect(fallback).to_be_visible()
    expect(fallback).to_contain_text("Searching needs JavaScript")
    expect(fallback.get_by_role("link", name="All tags")).to_have_attribute("href", "/tags/")
    expect(fallback.get_by_role("link", name="sleep")).to_have_attribute("href", "/tags/sleep/")
    expect(fallback.get_by_role("link", name="Psychotherapists")).to_be_visible()
    context.close()


def test_narrow_screen_has_no_horizontal_scroll(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    open_search(page, base_url, "therapy")
    expect(page.locator(RESULTS)).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_search_requests_only_its_own_host(page: Page, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_search(page, base_url, "therapy")
    expect(page.locator(RESULTS)).to_have_count(2)
    expect(page.locator("[data-search-fallback]")).to_be_hidden()
    assert any("/pagefind/" in url for url in requested)
    assert all(url.startswith(base_url + "/") for url in requested), requested
