"""Every address of the site: the QA_*_URL patterns with ``{slug}`` and the fixed addresses.

Code and templates derive addresses from here (``Urls``) instead of spelling them, so a
changed pattern moves every link, feed, sitemap entry, redirect and the search index with it.
``url_rules.py`` checks the patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..content.schema import SLUG_RE

SLUG = "{slug}"
KINDS = ("question", "category", "tag", "user", "page")


@dataclass(frozen=True)
class Urls:
    """Patterns with ``{slug}``; each ends in '/' and is saved as ``index.html``.

    The class constants are the site's fixed addresses, which no pattern may take.
    """

    question: str = "questions/{slug}/"
    category: str = "categories/{slug}/"
    tag: str = "tags/{slug}/"
    user: str = "users/{slug}/"
    page: str = "{slug}/"

    home: ClassVar[str] = ""
    newest: ClassVar[str] = "newest/"
    unanswered: ClassVar[str] = "unanswered/"
    categories: ClassVar[str] = "categories/"
    tags: ClassVar[str] = "tags/"
    search: ClassVar[str] = "search/"
    search_sorts: ClassVar[str] = "search/sorts.json"  # inside search/, which FIXED reserves
    search_shards: ClassVar[str] = "search/shards.json"  # how many Pagefind bundles the search merges
    search_delta: ClassVar[str] = "search/delta/"  # the preview's small bundle of edited pages (never published)
    contribute: ClassVar[str] = "contribute/"
    verification: ClassVar[str] = "verification/"
    review_due: ClassVar[str] = "review-due/"
    help: ClassVar[str] = "help/"
    pagination: ClassVar[str] = "page/"
    feeds: ClassVar[str] = "feeds/"
    all_feed: ClassVar[str] = "feeds/all.atom.xml"
    theme: ClassVar[str] = "theme/"
    pagefind: ClassVar[str] = "pagefind/"
    not_found: ClassVar[str] = "404.html"
    sitemap: ClassVar[str] = "sitemap.xml"
    robots: ClassVar[str] = "robots.txt"
    headers: ClassVar[str] = "_headers"
    llms: ClassVar[str] = "llms.txt"  # llmstxt.org: the site for language models, in Markdown

    # Fixed addresses at the top of the site, and the kind (if any) whose pages may live inside.
    FIXED: ClassVar[dict[str, str | None]] = {
        newest: None,
        unanswered: None,
        categories: "category",
        tags: "tag",
        search: None,
        contribute: None,
        verification: None,
        review_due: None,
        help: None,
        pagination: None,
        feeds: None,
        theme: None,
        pagefind: None,
        not_found: None,
        sitemap: None,
        robots: None,
        headers: None,
        llms: None,
    }
    # The fixed addresses that are pages (everything else is a file or a folder of files).
    FIXED_PAGES: ClassVar[tuple[str, ...]] = (
        home,
        newest,
        unanswered,
        categories,
        tags,
        contribute,
        search,
        verification,
        review_due,
        help,
    )
    FEED_FOLDERS: ClassVar[dict[str, str]] = {"category": "categories/", "tag": "tags/"}

    def url(self, kind: str, slug: str) -> str:
        """The site-relative URL of the ``kind`` page for ``slug``."""
        return str(getattr(self, kind)).replace(SLUG, slug)

    def markdown(self, slug: str) -> str:
        """The Markdown alternate of a question page: 'questions/<slug>/index.md'."""
        return self.url("question", slug) + MARKDOWN_FILE

    def feed(self, kind: str, slug: str) -> str:
        """The Atom feed of a category or tag: 'feeds/categories/<slug>.atom.xml'."""
        return f"{self.feeds}{self.FEED_FOLDERS[kind]}{slug}.atom.xml"

    @classmethod
    def search_bundle(cls, shard: int) -> str:
        """Pagefind's bundle for search shard ``shard``: 'pagefind/' for the first (with Pagefind's JS), then
        'pagefind/1/', 'pagefind/2/'..."""
        return cls.pagefind if shard == 0 else f"{cls.pagefind}{shard}/"

    def glob(self, kind: str) -> str:
        """The output files of every ``kind`` page, as a glob: 'questions/*/index.html'."""
        return save_as(str(getattr(self, kind)).replace(SLUG, "*"))

    def slug_of(self, kind: str, name: str) -> str | None:
        """The slug whose ``kind`` page is the output file ``name`` ('questions/x/index.html' -> 'x'), or None."""
        before, _, after = save_as(str(getattr(self, kind))).partition(SLUG)  # {slug} is there once (url_rules)
        if len(name) > len(before) + len(after) and name.startswith(before) and name.endswith(after):
            return name[len(before) : len(name) - len(after)]
        return None

    def folder(self, kind: str) -> str:
        """The fixed folder a pattern starts with: 'questions/' for 'questions/{slug}/', '' for '{slug}/'."""
        before = str(getattr(self, kind)).partition(SLUG)[0]
        return before[: before.rfind("/") + 1]

    def top_slug(self, kind: str, name: str) -> str | None:
        """For a pattern starting with {slug} ('{slug}/'): the slug whose page takes the top-level ``name``."""
        if self.folder(kind):
            return None
        first = str(getattr(self, kind)).split("/", 1)[0]
        before, _, after = first.partition(SLUG)
        match = re.fullmatch(re.escape(before) + f"({SLUG_RE.pattern})" + re.escape(after), name)
        return match[1] if match else None

    def taken_names(self, kind: str) -> set[str]:
        """Top-level names that ``kind`` pages must leave alone: fixed addresses and other kinds' folders."""
        names = {address.split("/", 1)[0] for address, owner in self.FIXED.items() if owner != kind}
        return names | {self.folder(other).split("/", 1)[0] for other in KINDS if other != kind and self.folder(other)}

    def reserved_slugs(self, kind: str) -> set[str]:
        """Slugs a ``kind`` page cannot have, because its address would take a name the site uses."""
        slugs = {self.top_slug(kind, name) for name in self.taken_names(kind)}
        return {slug for slug in slugs if slug}


INDEX_FILE = "index.html"
MARKDOWN_FILE = "index.md"  # a question page's Markdown alternate, beside its index.html


def save_as(url: str) -> str:
    """The output file for a pretty URL: 'a/b/' -> 'a/b/index.html', '' -> 'index.html'."""
    return f"{url}{INDEX_FILE}" if url.endswith("/") or not url else url


DEV_SITEURL = "http://127.0.0.1:8000"


def absolute_base(siteurl: str) -> str:
    """The site's absolute address: SITEURL, or the preview server's when SITEURL is ''."""
    return siteurl.rstrip("/") if siteurl.startswith(("http://", "https://")) else DEV_SITEURL


def absolute(base: str, url: str) -> str:
    """``url`` (site-relative, like 'questions/x/') made absolute under ``base``."""
    return f"{base}/{url}"
