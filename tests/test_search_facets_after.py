"""The search page shows a query's first results before it loads the filters' chunks (search-facets.js's
FilterChunks); the facets' counts fill in after, without a second announcement. Real Chromium, real Pagefind."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect
from test_search import RESULTS, facet_count, result_titles

pytestmark = pytest.mark.browser
FILTER_CHUNK = re.compile(r".*/pagefind/(\d+/)?filter/[^/]+\.pf_filter$")


class HeldChunks:
    """Every request's path, in order; the filters' chunks held until ``release`` lets them go."""

    def __init__(self, page: Page) -> None:
        self.requested: list[str] = []
        self.held: list[Route] = []
        self.released = False
        page.on("request", lambda request: self.requested.append(urlsplit(request.url).path))
        page.route(FILTER_CHUNK, self._hold)

    def _hold(self, route: Route) -> None:
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.held:
            route.continue_()


def test_results_come_before_the_filter_chunks_and_the_facets_fill_in_after(page: Page, base_url: str) -> None:
    chunks = HeldChunks(page)
    requested = chunks.requested
    page.goto(f"{base_url}/search/#{urlencode({'q': 'therapy'})}")
    status = page.locator("[data-search-status]")
    expect(status).to_have_text("2 results for “therapy”.")  # shown while every filter chunk is held
    assert result_titles(page) == [
        "Is it ethical for my therapist to follow me on social media?",
        "Is group therapy worth it?",
    ]
    expect(page.locator(RESULTS)).to_have_count(2)
    first_chunk = next(i for i, path in enumerate(requested) if FILTER_CHUNK.fullmatch(path))
    assert any(path.endswith(".pf_index") for path in requested[:first_chunk])  # the query's chunks came first
    assert page.locator("[data-search-facets] fieldset").count() == 0
    # Announcements: the live region's text changes once, from "Loading search…" to the results.
    page.evaluate(
        """() => {
          const status = document.querySelector('[data-search-status]');
          window.announced = [];
          new MutationObserver(() => window.announced.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    assert chunks.held
    chunks.release()
    expect(page.locator("[data-search-facets] fieldset")).to_have_count(3)
    assert facet_count(page, "therapy") == ("2", "(2 results)")  # the query's counts, not the site's
    assert facet_count(page, "boundaries") == ("1", "(1 result)")
    assert page.evaluate("window.announced") == []
    expect(status).to_have_text("2 results for “therapy”.")


IDLE = "Type a few words to search the questions and their answers, or choose a filter."


def test_idle_page_loads_no_filter_chunk_before_a_typed_querys_results(page: Page, base_url: str) -> None:
    """Opened idle, the page loads no filter chunk (every search would count each filter value against each
    result): a query typed then shows its results first, the facets fill in after, and the panel opens."""
    chunks = HeldChunks(page)
    requested = chunks.requested
    page.goto(f"{base_url}/search/")
    status = page.locator("[data-search-status]")
    expect(status).to_have_text(IDLE)
    panel = page.locator("[data-search-filters]")
    assert panel.evaluate("details => details.open") is False  # folded while it has nothing to show
    page.locator("[data-search-input]").fill("therapy")
    page.locator("[data-search-input]").press("Enter")
    expect(status).to_have_text("2 results for “therapy”.")  # no filter chunk has arrived
    first_index = next(i for i, path in enumerate(requested) if path.endswith(".pf_index"))
    assert not any(FILTER_CHUNK.fullmatch(path) for path in requested[:first_index])  # none while idle
    assert page.locator("[data-search-facets] fieldset").count() == 0
    chunks.release()
    expect(page.locator("[data-search-facets] fieldset")).to_have_count(3)
    assert facet_count(page, "therapy") == ("2", "(2 results)")
    assert panel.evaluate("details => details.open") is True  # wide screen: beside the results


def test_idle_page_loads_the_site_counts_when_the_reader_opens_the_filter_panel(page: Page, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{base_url}/search/")
    status = page.locator("[data-search-status]")
    expect(status).to_have_text(IDLE)
    page.wait_for_load_state("networkidle")
    assert not any(FILTER_CHUNK.fullmatch(path) for path in requested)
    page.locator("[data-search-filters] > summary").click()
    expect(page.locator("[data-search-facets] fieldset")).to_have_count(3)
    assert any(FILTER_CHUNK.fullmatch(path) for path in requested)
    assert facet_count(page, "therapy")[0] == str(
        page.evaluate("async () => (await (await import('/pagefind/pagefind.js')).filters()).tag.therapy")
    )  # the counts over every question
    expect(status).to_have_text(IDLE)
