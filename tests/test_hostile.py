"""The hostile corpus (tests/fixtures/hostile) built once, every output file read as its reader reads it
(and the same checks over the fixture and demo sites).

Pages as a browser parses them, feeds as a feed reader does (each type="html" text parsed again as
HTML), JSON-LD as strict JSON, Pagefind's index as search.js receives it. A file of a kind not
listed in OUTPUT_KINDS fails the test, so a new kind of output gets a checker before it ships.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction
from lxml import etree
from playwright.sync_api import Browser, expect

from conftest import FIXTURES, ROOT, serving
from qasite.markdown import is_safe_url, render
from qasite.urls import DEV_SITEURL

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
# Attributes a browser reads as a URL (to follow, load or submit to), ours included (search.js, highlight.js).
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "data", "background", "cite",
    "ping", "manifest", "icon", "longdesc", "lowsrc", "dynsrc", "codebase", "archive", "usemap",
    "data-ask-url", "data-pagefind-highlight",
}  # fmt: skip
# URLs the browser loads without a click: they must stay on the site (readers are private).
LOADED_URL_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "data-pagefind-highlight"}
# Every element our templates and markdown-it may write; anything else is a failure.
ALLOWED_ELEMENTS = {
    "html", "head", "body", "title", "meta", "link", "script", "a", "abbr", "article", "aside", "blockquote",
    "br", "button", "circle", "code", "del", "details", "div", "em", "fieldset", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "img", "input", "kbd", "label", "legend", "li", "main", "mark",
    "nav", "ol", "option", "p", "path", "pre", "rect", "s", "section", "select", "span", "strong", "summary",
    "sup", "svg", "table", "tbody", "td", "th", "thead", "time", "tr", "ul",
}  # fmt: skip
OUR_SCRIPTS = re.compile(r"/(theme/js|pagefind)/[a-z-]+\.js")
C0_AND_SPACE = "".join(map(chr, range(0x21)))


def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads in an (entity-decoded) attribute value, by the WHATWG URL rules:
    leading and trailing C0 controls and spaces are stripped, tabs and newlines removed anywhere."""
    url = re.sub(r"[\t\n\r]", "", url.strip(C0_AND_SPACE))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


def same_site(url: str) -> bool:
    """A site-relative path (not '//host', also not with backslashes, which browsers read as '/'), or our origin."""
    url = re.sub(r"[\t\n\r]", "", url.strip(C0_AND_SPACE)).replace("\\", "/")
    if browser_scheme(url) is None:
        return not url.startswith("//")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == DEV_SITEURL


def url_problems(name: str, value: str) -> list[str]:
    urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    problems = []
    for url in urls:
        scheme = browser_scheme(url)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            problems.append(f"{name}={value!r}: scheme {scheme}:")
        elif name in LOADED_URL_ATTRIBUTES and not same_site(url):
            problems.append(f"{name}={value!r}: loads from another site")
    return problems


def strict_json(text: str) -> Any:
    """json.loads refusing NaN/Infinity and duplicate keys."""

    def no_constant(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
        return dict(pairs)

    return json.loads(text, parse_constant=no_constant, object_pairs_hook=unique)


def jsonld_problems(script: Tag) -> list[str]:
    raw = script.string or ""
    if "<" in raw:
        return [f"JSON-LD holds '<' (could close the script element): {raw[:80]!r}"]
    try:
        data = strict_json(raw)
    except (ValueError, AssertionError) as err:
        return [f"JSON-LD is not strict JSON ({err}): {raw[:80]!r}"]
    problems = []
    for key, value in walk_json(data):
        if key in ("url", "item", "@id", "sameAs") and not same_site(value):
            problems.append(f"JSON-LD {key}={value!r} is not on the site")
    return problems


def walk_json(data: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from walk_json(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from walk_json(value, key)
    else:
        yield key, data


def script_problems(script: Tag) -> list[str]:
    kind, src = script.get("type"), script.get("src")
    if kind == "application/ld+json" and src is None:
        return jsonld_problems(script)
    if kind == "module" and isinstance(src, str) and OUR_SCRIPTS.fullmatch(src) and not script.string:
        return []
    return [f"script element that is not ours: {str(script)[:120]!r}"]


def element_problems(element: Tag) -> list[str]:
    if element.name not in ALLOWED_ELEMENTS:
        return [f"unexpected element <{element.name}>: {str(element)[:120]!r}"]
    problems = script_problems(element) if element.name == "script" else []
    for name, value in element.attrs.items():
        text = " ".join(value) if isinstance(value, list) else str(value)
        if name.lower().startswith("on") or name.lower() in ("style", "srcdoc"):
            problems.append(f"<{element.name} {name}={text!r}>")
        elif name.lower() in URL_ATTRIBUTES:
            problems += url_problems(name.lower(), text)
    if element.name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
        target = str(element.get("content", "")).split("url=", 1)[-1]
        problems += [] if same_site(target) else [f"meta refresh to {target!r}"]
    if element.name == "meta" and str(element.get("property", "")).endswith((":url", ":image")):
        problems += [] if same_site(str(element.get("content"))) else [f"{element} is not on the site"]
    return problems


def html_problems(markup: str, *, fragment: bool = False) -> list[str]:
    """Everything live in ``markup``: foreign scripts, handlers, styles, dangerous or foreign URLs, comments."""
    soup = BeautifulSoup(markup, "lxml")
    problems = [p for element in soup.find_all(True) for p in element_problems(element)]
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, CData, ProcessingInstruction)) or (
            isinstance(node, Declaration) and not isinstance(node, Doctype)
        ):
            problems.append(f"markup node {type(node).__name__}: {str(node)[:80]!r}")
    # Parsers differ at the edges: every '<script' in the raw text must be an element we checked.
    if len(re.findall(r"<script\b", markup, re.IGNORECASE)) != len(soup.find_all("script")):
        problems.append("a '<script' in the text that the parser did not read as a script element")
    if fragment and soup.find_all(True) and {e.name for e in soup.find_all(True)} - {"html", "body", "p"}:
        problems.append(f"markup in a text field: {markup[:120]!r}")
    return problems


# -- the build -----------------------------------------------------------------


def pagefind_data(path: Path) -> bytes:
    """A Pagefind data file as Pagefind's JS decodes it: gunzip, then the 'pagefind_dcd' signature."""
    data = gzip.decompress(path.read_bytes())
    assert data[:12] == b"pagefind_dcd", f"{path.name}: no pagefind_dcd signature"
    return data[12:]


def cbor(data: bytes, pos: int = 0) -> tuple[Any, int]:
    """A minimal CBOR decoder (RFC 8949: the definite-length types minicbor writes for Pagefind)."""
    head, pos = data[pos], pos + 1
    major, info = head >> 5, head & 31
    if info < 24:
        arg = info
    elif info < 28:
        size = 1 << (info - 24)
        arg, pos = int.from_bytes(data[pos : pos + size], "big"), pos + size
    else:
        raise ValueError(f"unsupported CBOR header {head:#x}")
    if major in (0, 1):
        return (arg if major == 0 else -1 - arg), pos
    if major in (2, 3):
        raw = data[pos : pos + arg]
        return (raw if major == 2 else raw.decode("utf-8")), pos + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (major - 3)):
            item, pos = cbor(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), pos
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], pos
    raise ValueError(f"unsupported CBOR header {head:#x}")


def cbor_document(path: Path) -> Any:
    data = pagefind_data(path)
    value, end = cbor(data)
    assert end == len(data), f"{path.name}: {len(data) - end} bytes after the CBOR value"
    return value


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)


# -- one checker per kind of output file ------------------------------------------


def check_html(path: Path, output: Path) -> list[str]:
    return html_problems(path.read_text(encoding="utf-8"))


def check_feed(path: Path, output: Path) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    feed = etree.parse(str(path), parser).getroot()
    problems = []
    for element in feed.iter():
        kind = element.get("type")
        if kind == "html":
            problems += html_problems(element.text or "", fragment=element.tag.endswith("summary"))
        elif kind not in (None, "text"):
            problems.append(f"{element.tag} of type {kind}")
        for name in ("href", "src", "uri"):
            if element.get(name) is not None and not same_site(element.get(name)):
                problems.append(f"{element.tag} {name}={element.get(name)!r} is not on the site")
    return problems


def check_sitemap(path: Path, output: Path) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "schemas/sitemap.xsd")))
    doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    problems = [] if schema.validate(doc) else [str(schema.error_log)]
    locs = doc.getroot().iterfind(".//{*}loc")
    return problems + [f"sitemap loc {loc.text!r}" for loc in locs if not same_site(loc.text or "")]


def check_robots(path: Path, output: Path) -> list[str]:
    expected = f"User-agent: *\nAllow: /\n\nSitemap: {DEV_SITEURL}/sitemap.xml\n"
    return [] if path.read_text(encoding="utf-8") == expected else [f"robots.txt: {path.read_text()!r}"]


def check_theme_file(path: Path, output: Path) -> list[str]:
    source = ROOT / "theme/static" / path.relative_to(output / "theme")
    return [] if source.read_bytes() == path.read_bytes() else ["differs from the theme's own file"]


def check_pagefind_asset(path: Path, output: Path) -> list[str]:
    """Pagefind's own JavaScript, CSS and WebAssembly: the same bytes whatever the content."""
    text = path.read_bytes()
    return [f"holds {s!r}" for s in (b"alert(", b"onerror", b"Mallory") if s in text]


def check_pagefind_entry(path: Path, output: Path) -> list[str]:
    entry = strict_json(path.read_text(encoding="utf-8"))
    hashes = {lang["hash"] for lang in entry["languages"].values()}
    return [] if all((path.parent / f"pagefind.{h}.pf_meta").is_file() for h in hashes) else ["meta file missing"]


def check_pagefind_cbor(path: Path, output: Path) -> list[str]:
    """pf_meta, pf_index, pf_filter: CBOR read by Pagefind's WebAssembly, never inserted into the page
    as markup; filter values reach it as text (search.js builds facets with text nodes)."""
    cbor_document(path)
    return []


def excerpt_html(content: str) -> str:
    """Pagefind's excerpt of ``content`` (pagefind_web_js/lib/coupled_search.ts, excerpt.ts): '<' and '>'
    escaped, matched words wrapped in <mark>; here every third word is a match."""
    words = content.replace("<", "&lt;").replace(">", "&gt;").split()
    return " ".join(f"<mark>{w}</mark>" if i % 3 == 0 else w for i, w in enumerate(words))


def check_fragment(path: Path, output: Path) -> list[str]:
    fragment = strict_json(pagefind_data(path).decode("utf-8"))
    url = fragment["url"]
    problems = [] if same_site(url) and url.startswith("/") else [f"result URL {url!r}"]
    soup = BeautifulSoup(excerpt_html(fragment["content"]), "lxml")
    if {e.name for e in soup.find_all(True)} - {"html", "body", "p", "mark"}:
        problems.append(f"excerpt holds markup: {fragment['content'][:120]!r}")
    for anchor in fragment["anchors"]:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", anchor["id"]):
            problems.append(f"anchor id {anchor['id']!r} (sub-result URLs are built from it)")
    # Meta and filter values are text: search.js inserts them with text nodes and setAttribute only.
    values = [*fragment["meta"].values(), *(v for vs in fragment["filters"].values() for v in vs)]
    return problems + [f"non-text value {v!r}" for v in values if not isinstance(v, str)]


OUTPUT_KINDS: list[tuple[str, Callable[[Path, Path], list[str]]]] = [
    (r"(.+/)?index\.html|404\.html", check_html),
    (r"feeds/(all|categories/[a-z0-9-]+|tags/[a-z0-9-]+)\.atom\.xml", check_feed),
    (r"sitemap\.xml", check_sitemap),
    (r"robots\.txt", check_robots),
    (r"theme/(css/[a-z-]+\.css|js/[a-z-]+\.js|favicon\.svg)", check_theme_file),
    (r"pagefind/pagefind(-[a-z-]+)?\.(js|css)|pagefind/wasm\.[a-z-]+\.pagefind", check_pagefind_asset),
    (r"pagefind/pagefind-entry\.json", check_pagefind_entry),
    (r"pagefind/pagefind\.[a-z_0-9-]+\.pf_meta", check_pagefind_cbor),
    (r"pagefind/(index|filter)/[a-z_0-9-]+\.pf_(index|filter)", check_pagefind_cbor),
    (r"pagefind/fragment/[a-z_0-9-]+\.pf_fragment", check_fragment),
]  # fmt: skip


def output_files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())


@pytest.mark.parametrize("site", ["hostile_output", "built_site", "demo_output"])
def test_every_output_file_is_of_a_known_kind_and_has_nothing_live(site: str, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site)
    problems = {}
    for name in output_files(output):
        checker = next((check for pattern, check in OUTPUT_KINDS if re.fullmatch(pattern, name)), None)
        found = checker(output / name, output) if checker else ["no checker for this kind of file"]
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())


# -- the checker itself catches what it is there to catch ---------------------------

LIVE_MARKUP = [
    "<script>alert(1)</script>",
    '<script type="module" src="https://evil.example/x.js"></script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    "<a href=' JaVaScRiPt:alert(1)'>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "<a href='&#x01;javascript:alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html,x'>x</a>",
    "<img src='data:image/svg+xml,<svg onload=alert(1)>'>",
    "<img src='//evil.example/x.png'>",
    "<img src='/\\evil.example/x.png'>",
    "<img srcset='/a.png 1x, https://evil.example/b.png 2x'>",
    "<form><button formaction='javascript:alert(1)'>x</button></form>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<p style='background:url(x)'>x</p>",
    "<!-- a comment swallowing the page",
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
    '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>',
    '<script type="application/ld+json">{"votes": NaN}</script>',
]


@pytest.mark.parametrize("markup", LIVE_MARKUP)
def test_the_checker_finds_live_markup(markup: str) -> None:
    assert html_problems(f"<!doctype html><html><head></head><body>{markup}</body></html>")


def test_the_checker_accepts_our_own_page_furniture() -> None:
    page = (
        '<!doctype html><html lang="en"><head><script type="module" src="/theme/js/site.js"></script>'
        '<script type="application/ld+json">{"url": "http://127.0.0.1:8000/x/"}</script></head>'
        '<body><a href="/questions/x/">x</a><a href="mailto:a@example.org">m</a></body></html>'
    )
    assert html_problems(page) == []


# -- hostile text is shown as text, not dropped --------------------------------------

TITLE = "</script><script>alert(1)</script> <!-- ]]> \"quoted\" 'single' <img src=x onerror=alert(2)>?"
CATEGORY = '<script>alert("category")</script> & "Q\'s" ]]> <!--'
NAME = "Mallory \"><img src=x onerror=alert('name')> </script><script>alert(1)</script>"


def soup(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "lxml")


def test_hostile_strings_are_shown_as_text(hostile_output: Path) -> None:
    question = soup(hostile_output, "questions/script-in-the-title/index.html")
    assert question.h1.get_text() == TITLE
    assert question.title.get_text() == f'{TITLE} · Hostile <Q&A> "site"'
    assert question.find("meta", property="og:title")["content"] == question.title.get_text()
    assert '<script>alert("body script")</script>' in question.select_one(".qa-question__body").get_text()
    assert question.select_one(".qa-category").get_text() == f"Category: {CATEGORY}"
    user = soup(hostile_output, "users/mallory/index.html")
    assert user.h1.get_text() == NAME
    assert user.select_one(".profile__credentials").get_text() == "<svg onload=alert('credentials')> ]]> <!-- '\""
    assert user.select_one(".profile__bio").get_text() == "<!-- --> '\"><script>alert('bio')</script> ]]>"
    assert (
        user.select_one(".profile__website")["href"] == "https://example.org/?q=\"><script>alert('url')</script>&x='y'"
    )
    page = soup(hostile_output, "hostile/index.html")
    assert page.h1.get_text() == "</title><script>alert('page title')</script> \" ' ]]> <!--"
    category = soup(hostile_output, "categories/script-alert-category-script-and-q-s/index.html")
    assert category.select_one(".qa-listing__description").get_text().startswith("</p><img src=x onerror=")


def test_feed_text_reaches_the_reader_as_text(hostile_output: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = etree.parse(str(hostile_output / "feeds/all.atom.xml")).getroot()
    entry = next(e for e in feed.iterfind("a:entry", ns) if e.findtext("a:title", namespaces=ns) == TITLE)
    assert entry.findtext("a:author/a:name", namespaces=ns) == NAME
    summary = BeautifulSoup(entry.findtext("a:summary", namespaces=ns), "lxml").get_text()
    assert summary.startswith('<script>alert("body script")</script> </script><script>alert("closing script")')
    category = etree.parse(str(hostile_output / "feeds/categories/script-alert-category-script-and-q-s.atom.xml"))
    assert category.findtext("a:title", namespaces=ns) == f'Hostile <Q&A> "site": {CATEGORY}'


def test_jsonld_keeps_the_text(hostile_output: Path) -> None:
    page = soup(hostile_output, "questions/a-plain-question/index.html")
    data = [strict_json(s.string) for s in page.find_all("script", type="application/ld+json")]
    qa = next(d for d in data if d["@type"] == "QAPage")
    assert qa["mainEntity"]["suggestedAnswer"][0]["author"]["name"] == NAME
    crumbs = next(d for d in data if d["@type"] == "BreadcrumbList")
    assert crumbs["itemListElement"][1]["name"] == CATEGORY


def test_redirect_pages_stay_on_the_site(hostile_output: Path) -> None:
    for synonym in ("xss", "script-injection"):
        refresh = soup(hostile_output, f"tags/{synonym}/index.html").find("meta", attrs={"http-equiv": "refresh"})
        assert refresh["content"] == "0; url=/tags/safety/"


def test_search_index_keeps_hostile_text_as_text(hostile_output: Path) -> None:
    fragments = [strict_json(pagefind_data(p).decode()) for p in (hostile_output / "pagefind/fragment").iterdir()]
    titled = next(f for f in fragments if f["url"] == "/questions/script-in-the-title/")
    assert titled["meta"]["title"] == TITLE
    assert titled["meta"]["category"] == titled["filters"]["category"][0] == CATEGORY
    assert '<script>alert("body script")</script>' in titled["content"]
    filters = [s for p in (hostile_output / "pagefind/filter").iterdir() for s in strings(cbor_document(p))]
    assert CATEGORY in filters


def test_search_ui_inserts_text_only() -> None:
    """search.js and highlight.js build results with text nodes and setAttribute; nothing parses HTML into
    the page (Pagefind's excerpt goes through an inert DOMParser and only its text and <mark> are kept)."""
    for script in (ROOT / "theme/static/js").glob("*.js"):
        source = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in source, f"{script.name} uses {sink}"


# -- markdown.py: every URL variant, as a link, an image, an autolink and a reference --------

DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \t javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\x01javascript:alert(1)",
    "java\x01script:alert(1)",
    "\x00javascript:alert(1)",
    "javascript\x00:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "data:image/png;base64,iVBORw0KGgo=",
]


@pytest.mark.parametrize("url", DANGEROUS_URLS)
def test_is_safe_url_refuses_dangerous_schemes(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/", "HTTP://x.org", "mailto:a@b.org", "tel:+1", "/about/", "#x", "x"]
)
def test_is_safe_url_allows_web_mail_phone_and_relative(url: str) -> None:
    assert is_safe_url(url)


MARKDOWN_DESTINATIONS = [
    *(f"<{url}>" for url in DANGEROUS_URLS),  # angle brackets allow spaces and controls in the destination
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&#x09;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "java&#13;script:alert(1)",
    "jav&#x01;ascript:alert(1)",
    "&#x01;javascript:alert(1)",
    "&#0;javascript:alert(1)",
    "javascript%3Aalert(1)",
    "d&#x61;ta:text/html,x",
    "vbscript&#58;msgbox(1)",
    "//evil.example/x.png",
    "/\\evil.example/x.png",
    "\\\\evil.example/x.png",
    'https://evil.example/x.png "\\" onerror=\\"alert(1)"',
]
MARKDOWN_FORMS = {
    "link": "[text]({})",
    "image": "![text]({})",
    "reference": "[text][r] ![image][r]\n\n[r]: {}",
}


@pytest.mark.parametrize("form", MARKDOWN_FORMS)
@pytest.mark.parametrize("destination", MARKDOWN_DESTINATIONS)
def test_markdown_urls_never_become_live(form: str, destination: str) -> None:
    html = render(MARKDOWN_FORMS[form].format(destination)).html
    assert html_problems(f"<!doctype html><html><head></head><body>{html}</body></html>") == [], html


@pytest.mark.parametrize("url", DANGEROUS_URLS[:2] + DANGEROUS_URLS[10:])
def test_markdown_autolinks_with_dangerous_schemes_stay_text(url: str) -> None:
    html = render(f"<{url}>").html
    assert "<a " not in html and html_problems(f"<html><body>{html}</body></html>") == []


# -- in the browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_no_payload_runs_in_chromium(browser: Browser, hostile_output: Path) -> None:
    """Every page of the hostile site, a question opened from search with ?highlight=, and a search whose
    results hold the payloads: no dialog opens (every payload calls alert), no request leaves the site."""
    dialogs: list[str] = []
    foreign: list[str] = []
    with serving(hostile_output) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: None if request.url.startswith(base) else foreign.append(request.url))
        for name in output_files(hostile_output):
            if name.endswith("index.html") and b'http-equiv="refresh"' not in (hostile_output / name).read_bytes():
                page.goto(f"{base}/{name.removesuffix('index.html')}", wait_until="load")
        terms = "highlight=script&highlight=alert&highlight=%3Cimg%20src%3Dx%20onerror%3Dalert(9)%3E"
        page.goto(f"{base}/questions/script-in-the-title/?{terms}", wait_until="load")
        expect(page.locator("mark.search-highlight").first).to_be_visible()
        page.goto(f"{base}/search/")
        expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^(?!Loading)\S"))
        page.get_by_label("Search questions and answers").fill("alert script")
        expect(page.locator("[data-search-results] > li")).to_have_count(3)
        expect(page.locator("[data-search-results]")).to_contain_text("<script>alert(1)</script>")
        context.close()
    assert dialogs == []
    assert foreign == []
