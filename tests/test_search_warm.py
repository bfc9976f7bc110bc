"""The search page warms Pagefind while the reader types (search-warm.js): a whole word typed is searched in the
background with the results dropped. It fetches only that word's index chunks (which the query needs too), shows
and announces nothing, and the query then submitted gives the same results, order, announcement and requests as
one submitted without typing. Real Chromium, real Pagefind; the page's clock is paused while the reader types,
so the search box's own typing pause (TYPING_DELAY) cannot start a search of its own."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from test_search import result_titles

pytestmark = pytest.mark.browser
IDLE = "Type a few words to search the questions and their answers, or choose a filter."
WORD, QUERY = "therapy", "therapy psychotherapists"
# Every change of the live region's text, from now on.
WATCH_STATUS_JS = """() => {
  const status = document.querySelector('[data-search-status]');
  window.announced = [];
  new MutationObserver(() => window.announced.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
}"""
# What Enter does, without a key event: the box's value set, the form submitted (no input event, no warm-up).
SUBMIT_JS = """(q) => {
  const input = document.querySelector('[data-search-input]');
  input.value = q;
  input.form.requestSubmit();
}"""


def _requests(page: Page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    return requested


def _open_idle(page: Page, base_url: str) -> None:
    page.clock.install()
    page.goto(f"{base_url}/search/")
    expect(page.locator("[data-search-status]")).to_have_text(IDLE)
    page.wait_for_load_state("networkidle")
    page.evaluate(WATCH_STATUS_JS)


def _pagefind(paths: list[str]) -> list[str]:
    return sorted(p for p in paths if p.startswith("/pagefind/"))


def _results_after_submit(page: Page, base_url: str) -> tuple[list[str], str, list[str], list[str]]:
    """The query submitted on an idle page without typing: its titles, status, announcements and requests."""
    requested = _requests(page)
    _open_idle(page, base_url)
    ready = len(requested)
    page.evaluate(SUBMIT_JS, QUERY)
    status = page.locator("[data-search-status]")
    expect(status).to_contain_text(f"for “{QUERY}”")
    return result_titles(page), status.inner_text(), page.evaluate("window.announced"), requested[ready:]


def test_a_typed_word_warms_pagefind_with_its_chunks_only_and_changes_nothing(page: Page, base_url: str) -> None:
    requested = _requests(page)
    _open_idle(page, base_url)
    ready = len(requested)
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # no timer runs: the typing pause cannot search
    with page.expect_response(lambda response: response.url.endswith(".pf_index"), timeout=10_000):
        page.locator("[data-search-input]").press_sequentially(WORD + " ")  # the warm-up fetches its chunk
    page.wait_for_timeout(1000)  # anything else it would fetch (a result's data, a filter chunk) comes by then
    warm = requested[ready:]
    assert all(path.endswith(".pf_index") for path in warm), warm  # no fragment, no filter chunk, no other file
    expect(page.locator("[data-search-status]")).to_have_text(IDLE)
    assert page.evaluate("window.announced") == []
    assert page.evaluate("location.hash") == ""
    expect(page.locator("[data-search-results] > *")).to_have_count(0)
    # The query the reader goes on to type: only its own chunks, each fetched once.
    page.clock.resume()
    page.locator("[data-search-input]").press_sequentially(QUERY[len(WORD) + 1 :])
    page.locator("[data-search-input]").press("Enter")
    status = page.locator("[data-search-status]")
    expect(status).to_contain_text(f"for “{QUERY}”")
    typed = (result_titles(page), status.inner_text(), page.evaluate("window.announced"), requested[ready:])

    control = page.context.browser.new_context()
    try:
        titles, text, announced, control_requests = _results_after_submit(control.new_page(), base_url)
    finally:
        control.close()
    assert len(titles) > 1
    assert typed[:3] == (titles, text, announced)  # same results, order and single announcement
    assert announced == [text]
    assert _pagefind(typed[3]) == _pagefind(control_requests)  # the warm-up fetched nothing the query does not
