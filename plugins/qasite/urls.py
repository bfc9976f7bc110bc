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
