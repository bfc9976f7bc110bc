"""Atom feeds: the whole site, each category, each tag.

Ids and links are absolute even in development (SITEURL ''), so feeds are
valid and no id reads ``tag:None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from feedgenerator import Atom1Feed

from .model import Question
from .urls import absolute

FEED_SIZE = 20
# XML 1.0 carries tab, line feed, carriage return and the rest of Unicode: no other control character.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with each character XML cannot carry replaced by U+FFFD, as browsers show a NUL in HTML."""
    return NOT_XML.sub("\ufffd", text)


def atom_feed(
    *,
    base: str,
    title: str,
    page_url: str,
    feed_url: str,
    description: str,
    questions: Sequence[Question],
    language: str = "en",
) -> str:
    """An Atom document of the newest ``FEED_SIZE`` questions, as text."""
    latest = sorted(questions, key=lambda q: (-q.last_modified.timestamp(), q.slug))[:FEED_SIZE]
    feed = Atom1Feed(
        title=xml_text(title),
        link=absolute(base, page_url),
        description=xml_text(description),
        feed_url=absolute(base, feed_url),
        feed_guid=absolute(base, feed_url),
        language=language,
    )
    for q in latest:
        link = absolute(base, q.url)
        feed.add_item(
            title=xml_text(q.title),
            link=link,
            unique_id=link,
            description=xml_text(q.summary),
            author_name=xml_text(q.author.name),
            pubdate=q.date,
            updateddate=q.last_modified,
            categories=[t.name for t in q.tags],
        )
    return feed.writeString("utf-8")
