"""Atom feeds: the whole site, each category, each tag (``site_feeds`` lists them, ``atom_feed`` writes one).

Ids and links are absolute even in development (SITEURL ''), so feeds are
valid and no id reads ``tag:None``.

A question with a content note (its category's or tags') has the note as its
summary, never its text.

Escaping: feedgenerator writes the summary as ``<summary type="html">``, whose
text a feed reader parses as HTML. Our summary is plain text, so it is
HTML-escaped here first (and XML-escaped again by feedgenerator): ``<img
onerror>`` in a question reaches the reader as text. Titles, names, category
terms and the subtitle are Atom text constructs or attributes, which
feedgenerator XML-escapes and readers show as text.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import weakref
from collections.abc import Callable, Iterable, Sequence

from feedgenerator import Atom1Feed

from ..config.urls import Urls, absolute
from ..content.model import Question
from ..content.site import Site

FEED_SIZE = 20


def latest(questions: Iterable[Question]) -> list[Question]:
    """The questions a feed lists: the ``FEED_SIZE`` last modified, newest first, then by slug."""
    return sorted(questions, key=_modified)[:FEED_SIZE]


def _modified(q: Question) -> tuple[float, str]:
    return -q.last_modified.timestamp(), q.slug


_LATEST: weakref.WeakKeyDictionary[Site, Callable[[Iterable[Question]], list[Question]]] = weakref.WeakKeyDictionary()
_MODIFIED: weakref.WeakKeyDictionary[Site, dict[int, dt.datetime]] = weakref.WeakKeyDictionary()


def modified_of(site: Site) -> dict[int, dt.datetime]:
    """Each question of ``site`` (by ``id``): its ``last_modified``, read once a loaded site (``latest_of``'s order,
    the sitemap's dates)."""
    made = _MODIFIED.get(site)
    if made is None:
        made = _MODIFIED[site] = {id(q): q.last_modified for q in site.questions}
    return made


def latest_of(site: Site) -> Callable[[Iterable[Question]], list[Question]]:
    """``latest`` for the questions of ``site`` (all, a category's, a tag's): each by its place in the site's questions
    sorted once by last modified (a total order, the slug unique: a part sorts the same), made once per loaded site
    (not changed after ``Site.finish``), so the site graph's plan and the generator's feeds of one build sort the
    10,000 questions' last-modified dates once, not once each."""
    made = _LATEST.get(site)
    if made is None:
        stamps = modified_of(site)
        newest = sorted(site.questions, key=lambda q: (-stamps[id(q)].timestamp(), q.slug))  # ``latest``'s order
        rank = {id(q): number for number, q in enumerate(newest)}
        made = _LATEST[site] = lambda part: heapq.nsmallest(FEED_SIZE, part, key=lambda q: rank[id(q)])
    return made


def site_feeds(site: Site, urls: Urls, sitename: str) -> list[tuple[str, str, str, list[Question]]]:
    """Every feed as (feed URL, title, the page it follows, its questions): the site, each category, each tag."""
    feeds = [(Urls.all_feed, sitename, Urls.home, site.questions)]
    for c in site.categories.values():
        feeds.append((urls.feed("category", c.slug), f"{sitename}: {c.name}", c.url, site.by_category[c.name]))
    for t in site.tags.values():
        title = f"{sitename}: questions tagged {t.name}"
        feeds.append((urls.feed("tag", t.name), title, t.url, site.by_tag[t.name]))
    return feeds


def atom_feed(
    *,
    base: str,
    title: str,
    page_url: str,
    feed_url: str,
    description: str,
    questions: Sequence[Question],
    language: str = "en",
    order: Callable[[Iterable[Question]], list[Question]] = latest,
) -> str:
    """An Atom document of the newest ``FEED_SIZE`` questions (``order``: ``latest``, or ``latest_of`` the site's),
    as text."""
    feed = Atom1Feed(
        title=title,
        link=absolute(base, page_url),
        description=description,
        feed_url=absolute(base, feed_url),
        feed_guid=absolute(base, feed_url),
        language=language,
    )
    for q in order(questions):
        link = absolute(base, q.url)
        feed.add_item(
            title=q.title,
            link=link,
            unique_id=link,
            description=html.escape(f"Content note: {q.content_note}" if q.content_note else q.summary),
            author_name=q.author.name,
            pubdate=q.date,
            updateddate=q.last_modified,
            categories=[t.name for t in q.tags],
        )
    return feed.writeString("utf-8")
