"""sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from ..config.urls import Urls, absolute

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(base: str, entries: Iterable[tuple[str, str | None]]) -> str:
    """A sitemap of (site-relative URL, lastmod date or None) entries, absolute locs."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for url, lastmod in entries:
        lastmod_tag = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(absolute(base, url))}</loc>{lastmod_tag}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(base: str) -> str:
    """robots.txt allowing everything and naming the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base, Urls.sitemap)}\n"
