"""What Lighthouse measures that no other test does: layout stability and how stylesheets load.

Lighthouse itself runs in the benchmark (`invoke bench`, bench/lighthouse.py); these tests keep
what was fixed to reach its targets fixed, on the built demo and fixture sites (Chromium for the layout).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, expect

from conftest import serving

# Lighthouse's mobile screen, and a desktop one.
SCREENS = [{"width": 412, "height": 823}, {"width": 1280, "height": 800}]
# Every layout shift since the page started loading, with the elements that moved.
LAYOUT_SHIFTS = """() => new Promise(resolve => {
  new PerformanceObserver(list => resolve(list.getEntries().map(e => ({
    value: e.value, moved: e.sources.map(s => s.node?.nodeName + '.' + (s.node?.className ?? '')),
  })))).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve([]), 1000);
})"""
GOOD_CLS = 0.1  # Lighthouse's (and Core Web Vitals') limit for "good"


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s['width']}px")
def test_search_results_arrive_without_moving_the_page(browser: Browser, demo_output: Path, screen: dict) -> None:
    context = browser.new_context(viewport=screen)
    page = context.new_page()
    with serving(demo_output) as base_url:
        page.goto(f"{base_url}/search/?q=anxiety")  # the page Lighthouse scores
        expect(page.locator("[data-search-results] > li").first).to_be_visible()
        page.wait_for_timeout(300)  # the filters fill in after the results
        shifts = page.evaluate(LAYOUT_SHIFTS)
    context.close()
    assert sum(shift["value"] for shift in shifts) < GOOD_CLS, shifts


def test_print_only_stylesheets_do_not_block_rendering(built_site: Path) -> None:
    """A sheet whose rules are all inside @media print is linked with media="print"."""
    head = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "lxml").head
    for link in head.find_all("link", rel="stylesheet"):
        css = (built_site / link["href"].lstrip("/")).read_text(encoding="utf-8")
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S).strip()
        if re.fullmatch(r"@media print\s*\{.*\}", css, flags=re.S):
            assert link.get("media") == "print", link
