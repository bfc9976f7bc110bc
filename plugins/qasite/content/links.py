"""Internal links in content: every link to a question, answer, tag, category,
member or page must point at something the site has, and still does when the
site lives under a path (SITEURL 'https://org.github.io/faq')."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..config.problems import Problem
from ..config.urls import INDEX_FILE
from ..render.markdown import is_external


@dataclass(frozen=True)
class LinkSource:
    """Where links were found: the file, its first body line, its URL and the links."""

    path: str
    body_line: int
    url: str
    links: tuple[tuple[int, str], ...]


def check_links(sources: Iterable[LinkSource], *, pages: set[str], anchors: Mapping[str, set[str]]) -> list[Problem]:
    """Report links to site paths that do not exist, or to answers a question does not have.

    ``pages`` holds every site-relative URL ('questions/x/', 'tags/y/'...);
    ``anchors`` maps a question URL to its answer anchors.
    """
    problems = []
    for source in sources:
        for offset, href in source.links:
            message = _broken(href, source.url, pages, anchors)
            if message:
                problems.append(
                    Problem(
                        source.path, source.body_line + offset, None, message, "fix the address, or remove the link"
                    )
                )
    return problems


# Site-absolute links and images as the Markdown renderer writes them (href/src is the first attribute).
ROOT_LINK_RE = re.compile(r'(<a href="|<img src=")/(?!/)')


def moves_links(siteurl: str) -> bool:
    """Whether ``under_path`` changes anything for this SITEURL (it has a path): else it returns its input."""
    return bool(_site_path(siteurl))


def under_path(rendered: str, siteurl: str) -> str:
    """Rendered content with its site-absolute links ('/about/') moved under SITEURL's path ('/faq/about/')."""
    path = _site_path(siteurl)
    return ROOT_LINK_RE.sub(lambda m: f"{m[1]}{path}/", rendered) if path else rendered


@functools.lru_cache(maxsize=8)
def _site_path(siteurl: str) -> str:
    """SITEURL's path, escaped for an attribute (taken once: every post of every build asks, ~38,000 at 10,000)."""
    return html.escape(urlsplit(siteurl).path.rstrip("/"))


def _broken(href: str, base: str, pages: set[str], anchors: Mapping[str, set[str]]) -> str | None:
    if is_external(href) or href.startswith("#"):
        return None
    parts = urlsplit(urljoin("/" + base, href))
    path = parts.path.lstrip("/")
    path = path.removesuffix(INDEX_FILE)
    if "." in path.rsplit("/", 1)[-1]:
        return None  # a file (image, feed), not a page
    if path and not path.endswith("/") and path + "/" in pages:
        path += "/"
    if path not in pages:
        return f"link to {href} points at a page the site does not have"
    if parts.fragment.startswith("answer-") and parts.fragment not in anchors.get(path, set()):
        return f"link to {href}: that question has no answer '{parts.fragment.removeprefix('answer-')}'"
    return None
