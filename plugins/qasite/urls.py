"""URL patterns for every kind of page, from the QA_*_URL settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Urls:
    """Patterns with ``{slug}``; each ends in '/' and is saved as ``index.html``."""

    question: str = "questions/{slug}/"
    category: str = "categories/{slug}/"
    tag: str = "tags/{slug}/"
    user: str = "users/{slug}/"
    page: str = "{slug}/"

    def url(self, kind: str, slug: str) -> str:
        """The site-relative URL of the ``kind`` page for ``slug``."""
        return str(getattr(self, kind)).format(slug=slug)


def save_as(url: str) -> str:
    """The output file for a pretty URL: 'a/b/' -> 'a/b/index.html', '' -> 'index.html'."""
    return f"{url}index.html" if url.endswith("/") or not url else url


DEV_SITEURL = "http://127.0.0.1:8000"


def absolute_base(siteurl: str) -> str:
    """The site's absolute address: SITEURL, or the preview server's when SITEURL is ''."""
    return siteurl.rstrip("/") if siteurl.startswith(("http://", "https://")) else DEV_SITEURL


def absolute(base: str, url: str) -> str:
    """``url`` (site-relative, like 'questions/x/') made absolute under ``base``."""
    return f"{base}/{url}"
