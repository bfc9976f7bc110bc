"""The built fixture site in real Chromium (Playwright), served on a loopback port."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

QUESTION = "/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/"


def open_page(browser: Browser, url: str, **options: object) -> tuple[Page, list[str]]:
    """Open ``url`` in a fresh context; return the page and every URL it requested."""
    context = browser.new_context(**options)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="networkidle")
    return page, requested


def test_question_page_requests_only_its_own_host(browser: Browser, base_url: str) -> None:
    page, requested = open_page(browser, base_url + QUESTION)
    assert page.title().startswith("Is it ethical for my therapist to follow me on social media?")
    assert page.locator("article.qa-answer").count() == 4
    assert requested and all(url.startswith(base_url + "/") for url in requested), requested
    assert any(url.endswith(".css") for url in requested)


def test_stylesheets_apply_and_dark_mode_changes_colours(browser: Browser, base_url: str) -> None:
    backgrounds = []
    for scheme in ("light", "dark"):
        page, _ = open_page(browser, base_url + QUESTION, color_scheme=scheme)
        backgrounds.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        page.context.close()
    assert backgrounds[0] != backgrounds[1]
    assert "rgba(0, 0, 0, 0)" not in backgrounds


def test_narrow_screen_has_no_horizontal_scroll(browser: Browser, base_url: str) -> None:
    for path in (QUESTION, "/"):
        page, _ = open_page(browser, base_url + path, viewport={"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        page.context.close()


def test_print_styles_hide_navigation(browser: Browser, base_url: str) -> None:
    page, _ = open_page(browser, base_url + QUESTION)
    page.emulate_media(media="print")
    assert page.locator("header nav").first.is_hidden()
    assert page.locator("h1").is_visible()


def test_unknown_address_gets_the_sites_404_page(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(base_url + "/questions/no-such-question/")
    assert response is not None and response.status == 404
    assert page.locator("h1").count() == 1


def test_content_security_policy_holds_while_searching(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "(e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.goto(base_url + "/search/#q=therapy", wait_until="networkidle")
    page.wait_for_selector("[data-search-results] > li")
    assert page.evaluate("window.__csp") == []
    page.goto(base_url + QUESTION + "#highlight=therapist", wait_until="networkidle")
    assert page.locator("mark").count() > 0
    assert page.evaluate("window.__csp") == []
    csp = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp
    context.close()
