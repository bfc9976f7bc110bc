"""What every written page carries besides its template: breadcrumbs, its <head> metadata (``PageMeta``), and
whether its header marks a link as the current page (``header_marked``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config.urls import INDEX_FILE, Urls

Crumbs = list[tuple[str, str | None]]
HOME = ("Home", Urls.home)


@dataclass
class PageMeta:
    """What a page's <head> needs beyond its title: canonical URL, feed, OpenGraph type, JSON-LD, Markdown alternate."""

    canonical: str
    og_type: str = "website"
    feed: str | None = None
    markdown: str | None = None  # site-relative address of the page as Markdown (question pages)
    jsonld: list[dict[str, Any]] = field(default_factory=list)


def header_marked(nav: Sequence[tuple[str, object]] | None, urls: Urls) -> frozenset[str]:
    """The output files whose site header marks a link as the current page (aria-current: home, search, help and each
    item of ``nav``, QA_NAV): each gets a copy of the header of its own (partials/header.html's ``qa_once`` key), every
    other page shares one. Made once a build: the header reads it on every page."""
    return frozenset(
        {INDEX_FILE, f"{urls.search}{INDEX_FILE}", f"{urls.help}{INDEX_FILE}"}
        | {f"{url}{INDEX_FILE}" for _, url in nav or ()}
    )
