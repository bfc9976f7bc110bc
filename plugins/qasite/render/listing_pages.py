"""The listing pages: top, newest and unanswered, each category and tag (paginated), and tag-synonym redirects.

A mixin of the generator (``QAGenerator``): it writes through the generator's ``_write`` and reads its
``site``, ``settings``, ``urls`` and ``base``.
"""

from __future__ import annotations

import html
from typing import Any

from ..config.urls import Urls, absolute
from ..content.model import Question
from . import listings
from .page_meta import HOME, Crumbs, PageMeta


class ListingPages:
    """Writes every listing page of the site (mixed into the generator)."""

    site: Any
    settings: dict[str, Any]
    urls: Any
    base: str

    _write: Any  # the generator's: writes one page

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
        self._write_listing(writer, listings.top_voted(questions), Urls.home, "Top questions", tabs=tabs)
        self._write_listing(writer, listings.newest(questions), Urls.newest, "Newest questions", tabs=tabs)
        unanswered, empty = listings.unanswered(questions), listings.ALL_ANSWERED
        self._write_listing(writer, unanswered, Urls.unanswered, "Unanswered questions", tabs=tabs, empty_message=empty)

    def _write_categories(self, writer: Any) -> None:
        categories = self.site.category_order
        crumbs: Crumbs = [HOME, ("Categories", None)]
        self._write(writer, Urls.categories, "categories.html", crumbs, categories=categories, title="Categories")
        top_voted = listings.ranked(listings.top_voted(self.site.questions))
        for category in categories:
            self._write_listing(
                writer,
                top_voted(self.site.by_category[category.name]),
                category.url,
                category.name,
                crumbs=[HOME, ("Categories", Urls.categories), (category.name, None)],
                feed=self.urls.feed("category", category.slug),
                description_html=f"<p>{html.escape(category.description)}</p>",
            )

    def _write_tags(self, writer: Any) -> None:
        tags = self.site.tag_order
        self._write(writer, Urls.tags, "tags.html", [HOME, ("Tags", None)], tags=tags, title="Tags")
        top_voted = listings.ranked(listings.top_voted(self.site.questions))
        for tag in tags:
            self._write_listing(
                writer,
                top_voted(self.site.by_tag[tag.name]),
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
