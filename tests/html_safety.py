"""What a browser would run or load from a piece of HTML: the checker the output tests share.

``html_problems()`` parses markup with lxml (through BeautifulSoup) and lists every live thing
in it: a script that is not ours (or a data block, JSON-LD or our qa-config, that is unsafe),
an event handler or style attribute, a URL whose scheme is not http(s)/mailto/tel/sms after the
browser's URL rules, anything loaded from another host, a comment, an element outside the list
our templates and markdown-it write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction
from markdown_it import MarkdownIt

from qasite.config.urls import DEV_SITEURL

SAFE_SCHEMES = {"http", "https", "mailto", "tel", "sms"}  # tel: and sms: on the help page
# Attributes a browser reads as a URL (to follow, load or submit to).
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "data", "background", "cite",
    "ping", "manifest", "icon", "longdesc", "lowsrc", "dynsrc", "codebase", "archive", "usemap",
}  # fmt: skip
# URLs the browser loads without a click: they must stay on the site (readers are private).
LOADED_URL_ATTRIBUTES = {"src", "srcset", "poster", "data", "background"}
# The URLs in the qa-config block (read by our scripts): the modules and the sort table they load, the ask link.
CONFIG_URLS = {
    "pagefind": "src", "pagefindHighlight": "src", "searchSorts": "src", "searchShards": "src", "askUrl": "href",
}  # fmt: skip
# Every element our templates and markdown-it may write; anything else is a failure.
ALLOWED_ELEMENTS = {
    "html", "head", "body", "title", "meta", "link", "script", "a", "abbr", "article", "aside", "blockquote",
    "br", "button", "circle", "code", "del", "details", "div", "em", "fieldset", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "img", "input", "kbd", "label", "legend", "li", "main", "mark",
    "nav", "ol", "option", "p", "path", "pre", "rect", "s", "section", "select", "span", "strong", "summary",
    "sup", "svg", "table", "tbody", "td", "template", "th", "thead", "time", "tr", "ul",
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


def config_problems(script: Tag) -> list[str]:
    """The qa-config block: strict JSON that cannot close its element, its URLs safe as the attributes they act as."""
    raw = script.string or ""
    if "<" in raw:
        return [f"qa-config holds '<' (could close the script element): {raw[:80]!r}"]
    try:
        data = strict_json(raw)
    except (ValueError, AssertionError) as err:
        return [f"qa-config is not strict JSON ({err}): {raw[:80]!r}"]
    urls = [(attribute, data.get(key)) for key, attribute in CONFIG_URLS.items()]
    return [f"qa-config: {p}" for attribute, url in urls if isinstance(url, str) for p in url_problems(attribute, url)]


def script_problems(script: Tag) -> list[str]:
    kind, src = script.get("type"), script.get("src")
    if kind == "application/ld+json" and src is None:
        return jsonld_problems(script)
    if kind == "application/json" and script.get("id") == "qa-config" and src is None:
        return config_problems(script)
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


def naive_markdown(text: str) -> str:
    """Markdown as a careless reader renders it (llms.txt, Markdown alternates): CommonMark with raw HTML on
    and every link scheme allowed."""
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.render(text)
