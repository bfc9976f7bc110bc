"""What every written page carries besides its template: breadcrumbs and its <head> metadata (``PageMeta``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config.urls import Urls

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
