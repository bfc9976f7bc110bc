"""A link crawler for tests: every same-site link of a served site, and every #anchor, must resolve.

Starting at the home page (and sitemap.xml, the 404 page), it fetches every same-site address found in
HTML (<a href>, <area href>, <link href>, <script src>, <img src/srcset>, <source src/srcset>,
<iframe src>, <form action>, <meta http-equiv="refresh">, and the module URLs our scripts
import, from the qa-config block), in Atom feeds (<link href>) and in
sitemaps (<loc>), parsed with lxml. Each target must answer 200, and each #fragment must be
the id of an element (or the name of an <a>) on the target page.

The fragment rule is strict: ``#`` alone and ``#top`` are broken unless the page has that id
(browsers scroll to the top for them, but a link that goes nowhere is a mistake we want to
see). Only HTML pages can be the target of a fragment.

Absolute links to ``aliases`` (the address the site is built for, e.g. the preview address
in canonical links and feeds) count as same-site.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.error import HTTPError
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from lxml import etree, html

ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "form": ("action",),
}
# The qa-config block's keys holding what our scripts load: modules they import, the search sort table.
CONFIG_MODULES = ("pagefind", "pagefindHighlight", "searchSorts", "searchShards")
REFRESH_RE = re.compile(r"^\s*\d+\s*[;,]\s*url\s*=\s*['\"]?([^'\"]*)", re.IGNORECASE)
XML_TYPES = ("application/atom+xml", "application/xml", "text/xml")
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Fetched:
    """One fetched address: its status, its content type, the ids it has and the links it holds."""

    status: int
    content_type: str
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    """What a crawl found: every fetched address, and every broken link as 'page -> link: problem'."""

    pages: dict[str, Fetched]
    broken: list[str]

    def html_pages(self) -> list[str]:
        """The addresses of the HTML pages that answered 200."""
        return sorted(u for u, f in self.pages.items() if f.status == 200 and f.content_type == "text/html")


START = ("/", "/sitemap.xml", "/404.html", "/no/such/page/")


def crawl(base: str, *, aliases: Iterable[str] = (), start: Iterable[str] = START) -> Crawl:
    """Crawl the site served at ``base`` (like 'http://127.0.0.1:8123') from ``start``.

    The start addresses include a missing one, so the links of the 404 page are followed
    from a deep address, as readers meet them.
    """
    aliases = [a.rstrip("/") for a in aliases]
    pages: dict[str, Fetched] = {}
    found: list[tuple[str, str, str]] = []  # (page, link as written, absolute link)
    queue = deque(urljoin(base, s) for s in start)
    while queue:
        url = queue.popleft()
        if url in pages:
            continue
        pages[url] = fetched = fetch(url)
        for link in fetched.links:
            target = _same_site(urljoin(url, link), base, aliases)
            if target is None:
                continue
            found.append((url, link, target))
            page = urldefrag(target)[0]
            if page not in pages:
                queue.append(page)
    return Crawl(pages, list(_problems(pages, found, base)))


def fetch(url: str) -> Fetched:
    """GET ``url``; the ids and links of an HTML page, the links of an Atom feed or sitemap."""
    try:
        with OPENER.open(url, timeout=30) as response:
            status, content_type, body = response.status, response.headers.get_content_type(), response.read()
    except HTTPError as err:  # an error page's links count too (the 404 page is served at any address)
        status, content_type, body = err.code, err.headers.get_content_type(), err.read()
    fetched = Fetched(status, content_type)
    if content_type == "text/html" and body.strip():
        _read_html(html.document_fromstring(body), fetched)
    elif content_type in XML_TYPES or url.endswith(".xml"):
        _read_xml(etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True)), fetched)
    return fetched


def _read_html(document: html.HtmlElement, fetched: Fetched) -> None:
    for element in document.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if element.get("id") is not None:
            fetched.ids.add(element.get("id"))
        if tag == "a" and element.get("name") is not None:
            fetched.ids.add(element.get("name"))
        if tag == "script" and element.get("id") == "qa-config":
            config = json.loads(element.text or "{}")
            fetched.links += [config[key] for key in CONFIG_MODULES if config.get(key)]
        for attribute in ATTRIBUTES.get(tag, ()):
            value = element.get(attribute)
            if value is None:
                continue
            fetched.links += _srcset(value) if attribute == "srcset" else [value.strip()]
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            match = REFRESH_RE.match(element.get("content") or "")
            fetched.links.append(match[1].strip() if match else "(meta refresh without url=)")


def _srcset(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _read_xml(root: etree._Element, fetched: Fetched) -> None:
    for element in root.iter(etree.Element):
        name = etree.QName(element).localname
        if name == "loc" and element.text:
            fetched.links.append(element.text.strip())
        elif name == "link" and element.get("href"):
            fetched.links.append(element.get("href"))


def _same_site(url: str, base: str, aliases: list[str]) -> str | None:
    for alias in aliases:
        if url == alias or url.startswith(alias + "/"):
            url = base + url[len(alias) :]
    parts, home = urlsplit(url), urlsplit(base)
    return url if (parts.scheme, parts.netloc) == (home.scheme, home.netloc) else None


def _problems(pages: dict[str, Fetched], found: list[tuple[str, str, str]], base: str) -> Iterator[str]:
    for page, link, target in found:
        address, fragment = urldefrag(target)
        fetched = pages[address]
        where = f"{page.removeprefix(base)} -> {link}"
        if fetched.status != 200 and address != page:  # a same-page link works on an error page too
            yield f"{where}: HTTP {fetched.status}"
        elif "#" in link and fetched.content_type != "text/html":
            yield f"{where}: a #fragment on a {fetched.content_type} file"
        elif "#" in link and unquote(fragment) not in fetched.ids:
            yield f"{where}: no element with id {unquote(fragment)!r} on the page"
