"""The listing pages: top, newest and unanswered, each category and tag (paginated), and tag-synonym redirects.

A mixin of the generator (``QAGenerator``): it writes through the generator's ``_write`` and reads its
``site``, ``settings``, ``urls`` and ``base``. In an incremental build a listing none of whose pages is wanted
(``_wanted``) is neither sorted nor paginated: its pages' addresses go into the sitemap as ``_write`` puts them.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

from ..config.urls import Urls, absolute, save_as
from ..content.model import Question
from . import listings, orders
from .page_meta import HOME, Crumbs, PageMeta


class ListingPages:
    """Writes every listing page of the site (mixed into the generator)."""

    site: Any
    settings: dict[str, Any]
    urls: Any
    base: str
    sitemap: list[tuple[str, str | None]]

    _write: Any  # the generator's: writes one page
    _wanted: Callable[[str], bool]  # the generator's: whether this build writes an output

    def _listing_wanted(self, base: str, count: int) -> bool:
        """Whether this build writes any page of the listing at ``base`` (of ``count`` questions); if not, its pages'
        addresses go into the sitemap as ``_write`` would have put them, and the caller need not sort them."""
        pages = listings.page_urls(base, count, self.settings["QA_PER_PAGE"])
        if any(self._wanted(save_as(url)) for url in pages):
            return True
        self.sitemap += [(url, None) for url in pages]
        return False

    def _write_listing(
        self,
        writer: Any,
        questions: list[Question],
        base: str,
        title: str,
        *,
        crumbs: Crumbs | None = None,
        **extra: Any,
    ) -> None:
        feed = extra.pop("feed", Urls.all_feed)
        for listing in listings.paginate(
            questions, base=base, per_page=self.settings["QA_PER_PAGE"], title=title, **extra
        ):
            meta = PageMeta(absolute(self.base, listing.url), feed=feed)
            self._write(writer, listing.url, "listing.html", crumbs, meta=meta, listing=listing)

    def _write_home_listings(self, writer: Any) -> None:
        questions, tabs = self.site.questions, listings.HOME_TABS
        if self._listing_wanted(Urls.home, len(questions)):
            self._write_listing(writer, self._top_voted, Urls.home, "Top questions", tabs=tabs)
        if self._listing_wanted(Urls.newest, len(questions)):
            newest = orders.kept(listings.newest, questions)  # as last build's if no question's fields moved
            self._write_listing(writer, newest, Urls.newest, "Newest questions", tabs=tabs)
        if self._listing_wanted(Urls.unanswered, sum(map(listings.is_unanswered, questions))):
            unanswered, empty = listings.unanswered(questions), listings.ALL_ANSWERED
            self._write_listing(
                writer, unanswered, Urls.unanswered, "Unanswered questions", tabs=tabs, empty_message=empty
            )

    @functools.cached_property
    def _top_voted(self) -> list[Question]:
        """``listings.top_voted`` of the whole site, sorted once a build (a generator per build), when first asked:
        the home listing's, and each category's and tag's order (``_ranked``)."""
        return orders.kept(listings.top_voted, self.site.questions)  # the last build's, if no question's fields moved

    @functools.cached_property
    def _ranked(self) -> Callable[[list[Question]], list[Question]]:
        """``listings.top_voted`` of a part of the site's questions, by its place in ``_top_voted``."""
        return listings.ranked(self._top_voted)

    def _write_categories(self, writer: Any) -> None:
        categories = self.site.category_order
        crumbs: Crumbs = [HOME, ("Categories", None)]
        self._write(writer, Urls.categories, "categories.html", crumbs, categories=categories, title="Categories")
        for category in categories:
            part = self.site.by_category[category.name]
            if not self._listing_wanted(category.url, len(part)):
                continue
            self._write_listing(
                writer,
                self._ranked(part),
                category.url,
                category.name,
                crumbs=[HOME, ("Categories", Urls.categories), (category.name, None)],
                feed=self.urls.feed("category", category.slug),
                description_html=f"<p>{html.escape(category.description)}</p>",
            )

    def _write_tags(self, writer: Any) -> None:
        tags = self.site.tag_order
        self._write(writer, Urls.tags, "tags.html", [HOME, ("Tags", None)], tags=tags, title="Tags")
        for tag in tags:
            part = self.site.by_tag[tag.name]
            if not self._listing_wanted(tag.url, len(part)):
                continue
            self._write_listing(
                writer,
                self._ranked(part),
                tag.url,
                f"Questions tagged “{tag.name}”",
                crumbs=[HOME, ("Tags", Urls.tags), (tag.name, None)],
                feed=self.urls.feed("tag", tag.name),
                description_html=f"<p>{html.escape(tag.description)}</p>" if tag.description else None,
            )
        self._write_tag_redirects(writer)

    def _write_tag_redirects(self, writer: Any) -> None:
        """Old tag addresses (synonyms in content/tags.yml) send readers to the main tag."""
        for synonym, name in sorted(self.site.synonyms.items()):
            if name in self.site.tags:
                target, title = self.site.tags[name].url, f"Questions tagged “{name}”"
                meta, url = PageMeta(absolute(self.base, target)), self.urls.url("tag", synonym)
                self._write(writer, url, "redirect.html", None, sitemap=False, meta=meta, target=target, title=title)
