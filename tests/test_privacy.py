"""Private search: no query reaches the host (every request recorded by the browser and by the server),
no Referer, and the security headers of _headers (served by the preview server, documented for nginx/Apache)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote_plus, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, Request, expect

from conftest import ROOT
from qasite.config.settings import DEFAULTS
from qasite.render.headers import HEADERS_FILE, parse_headers_file, security_headers
from qasite.tools.docs import HEADERS_MARKER, update_doc
from qasite.tools.serve import SiteHandler

SLUG = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
RESULTS = "[data-search-results] > li"
SEARCH_BOX = "Search questions and answers"
# Words of the fixture content that are in no page address: each is searched below.
QUERIES = ["hypnopompic", "instagram", "confidential", "relationships"]
# Filter values chosen below: they must not reach the host either.
FILTERS = ["psychotherapists", "boundaries", "accepted"]
OLD_LINK_WORD = "haze"  # only in an old ?q= link, whose own request carries it by construction


class Recorder(SiteHandler):
    """The preview server's handler, recording every request it gets: method, path, headers and body."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            self.seen.append((self.command, self.path, dict(self.headers.items()), body))
        return ok

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the record instead."""


@pytest.fixture(scope="module")
def host(built_site: Path) -> Iterator[tuple[str, list[tuple[str, str, dict[str, str], bytes]]]]:
    """The built fixture site on a recording loopback server: (base URL, the requests it got)."""
    handler = functools.partial(Recorder, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", Recorder.seen
    server.shutdown()
    server.server_close()


def wait_for_results(page: Page, count: int) -> None:
    expect(page.locator(RESULTS)).to_have_count(count)
    expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^\d+ (result|question)"))


def type_query(page: Page, words: str) -> None:
    """Type into the search page's box key by key (each pause can start a search), then wait for it."""
    box = page.get_by_label(SEARCH_BOX)
    box.fill("")
    box.press_sequentially(words, delay=30)
    expect(page.locator("[data-search-status]")).to_contain_text(f"“{words}”")


def leaks(url: str, headers: dict[str, str], body: bytes, words: list[str]) -> list[str]:
    """The words found in a request's URL (decoded), header values (Referer included) or body."""
    text = " ".join([unquote_plus(url), *headers.values(), body.decode("utf-8", "replace")]).lower()
    return [word for word in words if word in text]


@pytest.mark.browser
def test_no_search_reaches_the_host(browser: Browser, host: tuple[str, list]) -> None:
    base, seen = host
    seen.clear()
    context = browser.new_context()
    requests: list[Request] = []  # of pages and of Pagefind's worker
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The header's box on a question page: the search page opens with the query in the fragment.
    page.goto(f"{base}/questions/{SLUG}/")
    page.locator("header input[type=search]").press_sequentially("hypnopompic", delay=20)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/search/#q=hypnopompic")
    wait_for_results(page, 1)

    # Typing on the search page, filters and sorts.
    type_query(page, "instagram")
    wait_for_results(page, 1)
    assert urlsplit(page.url).fragment == "q=instagram"
    page.get_by_role("checkbox", name=re.compile(r"^Psychotherapists\b")).check()
    page.get_by_role("checkbox", name=re.compile(r"^boundaries\b")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Has accepted answer\b")).check()
    wait_for_results(page, 1)
    page.get_by_label("Sort by").select_option("votes")
    page.get_by_label("Sort by").select_option("newest")
    wait_for_results(page, 1)
    assert urlsplit(page.url).fragment == (
        "q=instagram&category=Psychotherapists&tag=boundaries&status=has+accepted+answer&sort=newest"
    )
    type_query(page, "confidential relationships")
    wait_for_results(page, 1)

    # Following a result to the answer it was found in: highlighted, then the address keeps the anchor only.
    type_query(page, "hypnopompic")
    page.get_by_role("checkbox", name=re.compile(r"^Psychotherapists\b")).uncheck()
    wait_for_results(page, 1)
    page.locator(f"{RESULTS} .search-result__answer-link").click()
    page.wait_for_url(f"{base}/questions/{SLUG}/#answer-2023-07-01-anon")
    expect(page.locator("mark.search-highlight")).to_have_text(["hypnopompic"])
    assert page.evaluate("document.querySelector(':target').id") == "answer-2023-07-01-anon"

    # Back and forward: the results follow the address.
    page.go_back()
    expect(page.get_by_label(SEARCH_BOX)).to_have_value("hypnopompic")
    wait_for_results(page, 1)
    page.go_back()  # before the Psychotherapists box was cleared
    expect(page.get_by_role("checkbox", name=re.compile(r"^Psychotherapists\b"))).to_be_checked()
    page.go_forward()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Psychotherapists\b"))).not_to_be_checked()
    assert urlsplit(page.url).fragment.startswith("q=hypnopompic&")

    # An old link with ?q=: its own request carries the word (why such links are no longer made),
    # then the query moves to the fragment and nothing else carries it.
    page.goto(f"{base}/search/?q={OLD_LINK_WORD}")
    wait_for_results(page, 1)
    assert page.url == f"{base}/search/#q={OLD_LINK_WORD}"
    page.wait_for_load_state("networkidle")
    # The headers as sent, where Chromium reports them.
    in_browser = [(r.url, r.all_headers(), r.post_data_buffer or b"") for r in requests]
    context.close()

    assert errors == []
    assert any("/pagefind/index/" in path for _, path, _, _ in seen)  # the worker's requests are recorded
    assert any("/pagefind/index/" in url for url, _, _ in in_browser)
    words = QUERIES + FILTERS
    old_link = [path for _, path, _, _ in seen if OLD_LINK_WORD in path]
    assert old_link == [f"/search/?q={OLD_LINK_WORD}"]
    served = [(path, headers, body) for _, path, headers, body in seen if path not in old_link]
    assert [(path, leaks(path, headers, body, [*words, OLD_LINK_WORD])) for path, headers, body in served] == [
        (path, []) for path, _, _ in served
    ]
    assert [(url, leaks(url, headers, body, words)) for url, headers, body in in_browser] == [
        (url, []) for url, _, _ in in_browser
    ]
    assert [path for path, headers, _ in served if "Referer" in headers] == []  # no-referrer
    # Requests served from the cache show Playwright's provisional headers, with an empty "referer".
    assert [url for url, headers, _ in in_browser if headers.get("referer")] == []


@pytest.mark.browser
def test_old_highlight_link_still_highlights_and_leaves_the_address(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/questions/{SLUG}/?highlight=hypnopompic#answer-2023-07-01-anon")
    expect(page.locator("mark.search-highlight")).to_have_text(["hypnopompic"])
    page.wait_for_url(f"{base_url}/questions/{SLUG}/#answer-2023-07-01-anon")


@pytest.mark.browser
def test_highlight_fragment_without_anchor_marks_and_clears_the_address(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/questions/{SLUG}/#highlight=instagram&highlight=confidential")
    expect(page.locator("mark.search-highlight")).to_have_text(["Instagram", "confidential"])
    page.wait_for_url(f"{base_url}/questions/{SLUG}/")


@pytest.mark.browser
def test_a_new_fragment_runs_its_search(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/search/#q=instagram")
    wait_for_results(page, 1)
    page.evaluate("location.hash = 'q=therapy&sort=votes'")  # an edited address, or a link to another search
    wait_for_results(page, 2)
    expect(page.get_by_label(SEARCH_BOX)).to_have_value("therapy")
    expect(page.get_by_label("Sort by")).to_have_value("votes")
    page.go_back()
    wait_for_results(page, 1)
    expect(page.get_by_label(SEARCH_BOX)).to_have_value("instagram")


@pytest.mark.parametrize("site", ["built_site", "demo_output"])
def test_every_page_sends_no_referrer(site: str, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site)
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 20
    wrong = {}
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        policies = [meta.get("content") for meta in soup.find_all("meta", attrs={"name": "referrer"})]
        if policies != ["no-referrer"] or soup.find("meta", attrs={"name": "referrer"}).parent.name != "head":
            wrong[str(path.relative_to(output))] = policies
    assert wrong == {}


def test_headers_file_has_the_pages_csp_and_the_security_headers(built_site: Path) -> None:
    rules = parse_headers_file((built_site / HEADERS_FILE).read_text(encoding="utf-8"))
    assert [pattern for pattern, _ in rules] == ["/*", "/theme/css/site.*"]
    assert rules[1][1] == [("Cache-Control", "public, max-age=31536000, immutable")]
    headers = dict(rules[0][1])
    meta_csp = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )["content"]
    assert headers["Content-Security-Policy"] == f"{meta_csp}; frame-ancestors 'none'"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    denied = headers["Permissions-Policy"].split(", ")
    for feature in ["camera", "microphone", "geolocation", "browsing-topics", "payment", "usb"]:
        assert f"{feature}=()" in denied
    assert headers == security_headers(DEFAULTS["QA_CSP"])


@pytest.mark.parametrize("path", ["/", f"/questions/{SLUG}/", "/pagefind/pagefind.js", "/no-such-page/"])
def test_preview_server_sends_the_headers_file(base_url: str, path: str) -> None:
    try:
        response = urllib.request.urlopen(base_url + path)
    except urllib.error.HTTPError as error:  # the 404 page gets them too
        assert error.code == 404 and path == "/no-such-page/"
        response = error
    for name, value in security_headers(DEFAULTS["QA_CSP"]).items():
        assert response.headers.get_all(name) == [value]
    assert response.headers.get("Cache-Control") is None


def test_only_the_hashed_stylesheet_is_cached_for_good(built_site: Path, base_url: str) -> None:
    [sheet] = (built_site / "theme" / "css").glob("site.*.css")
    response = urllib.request.urlopen(f"{base_url}/theme/css/{sheet.name}")
    assert response.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert urllib.request.urlopen(f"{base_url}/theme/js/site.js").headers.get("Cache-Control") is None


@pytest.mark.browser
def test_chromium_obeys_the_headers_without_a_console_message(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto(f"{base_url}/search/#q=therapy")
    expect(page.locator(RESULTS)).to_have_count(2)
    known = set(page.evaluate("document.featurePolicy.features()"))
    policy = security_headers(DEFAULTS["QA_CSP"])["Permissions-Policy"]
    denied = [item.split("=")[0] for item in policy.split(", ")]
    assert [feature for feature in denied if feature not in known] == []  # else Chromium logs an error
    assert [feature for feature in denied if page.evaluate(f"document.featurePolicy.allowsFeature('{feature}')")] == []
    assert messages == []
    # frame-ancestors 'none': no page, not even the site's own, can frame it.
    with page.expect_console_message(lambda message: "frame-ancestors 'none'" in message.text):
        page.evaluate(
            "url => { const f = document.createElement('iframe'); f.src = url; document.body.append(f); }",
            f"{base_url}/",
        )
    assert not any(frame.url == f"{base_url}/" for frame in page.frames)
    context.close()


def test_docs_snippets_carry_the_same_headers() -> None:
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert {m.group(2) for m in HEADERS_MARKER.finditer(doc)} == {"netlify", "nginx", "apache"}
    assert update_doc(doc) == doc, "run `invoke docs` to regenerate the header snippets"
    for name, value in security_headers(DEFAULTS["QA_CSP"]).items():
        assert f'add_header {name} "{value}" always;' in doc
        assert f'Header always set {name} "{value}"' in doc
        assert f"  {name}: {value}\n" in doc
