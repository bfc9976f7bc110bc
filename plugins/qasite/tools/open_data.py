"""The open-data record of a published question: one table per kind of object, the records built from it.

``invoke export`` writes one record per line (JSON Lines) and flattens them into two CSV files;
``invoke import --from jsonl`` reads them back. The tables (``RECORDS``) are the documented schema: the
generated tables of docs/open-data.md come from them (``invoke docs``), and ``record()`` builds exactly their
keys, so the reference cannot drift from the files. Only what the site publishes is in a record: published
questions (no drafts), people's public fields (no verification details), categories' public fields.

Front-matter values are taken as the file writes them (dates as written: ``2023-06-28``, or a time in the
site's time zone, or UTC with ``Z``), so importing a record writes the same file again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.urls import Urls
from ..content.frontmatter import parse_source
from ..content.frontmatter_writer import format_date
from ..content.model import Answer, Person, Question
from ..content.site import Site
from ..importers.licenses import license_url


@dataclass(frozen=True)
class Column:
    """One key of a record: its name, JSON type and meaning."""

    name: str
    type: str
    meaning: str


DATE = "date"
QUESTION = (
    Column("slug", "string", "The question's folder name: the last part of its address."),
    Column("url", "string", "Its page: absolute under SITEURL, else from the site's root (`/questions/<slug>/`)."),
    Column("markdown_url", "string", "The same page as Markdown (`.../index.md`)."),
    Column("title", "string", "The question."),
    Column("date", DATE, "When it was asked: `2023-06-28`, `2023-06-28T14:05:00` (site time zone) or `...Z` (UTC)."),
    Column("edited", f"{DATE} or null", "When it was last edited."),
    Column("edited_by", "handle or null", "Who edited it (see `people`)."),
    Column("author", "handle", "Who asked it (see `people`); `anonymous` for an anonymous post."),
    Column("category", "object", "Its category (next tables)."),
    Column("tags", "list of strings", "1 to 5 tags, as the site shows them (synonyms resolved)."),
    Column("votes", "integer", "Vote score from the forum."),
    Column("views", "integer or null", "View count from the forum."),
    Column("sensitive", "boolean", "true when the question itself is marked sensitive (see also `category`)."),
    Column("source", "string or null", "Address of the original post, for imported content."),
    Column("license", "string or null", "License of imported content (`CC BY-SA 4.0`)."),
    Column("license_url", "string or null", "The license's text, for Creative Commons licenses."),
    Column("reviewed_by", "handle or null", "The verified professional who reviewed it."),
    Column("last_reviewed", f"{DATE} or null", "When they last reviewed it."),
    Column("body", "string", "The question's text in Markdown (CommonMark), as written."),
    Column("answers", "list of objects", "Its answers in display order: accepted first, then votes, then oldest."),
    Column("people", "list of objects", "Everyone the question and its answers name, by handle."),
)
ANSWER = (
    Column("id", "string", "The answer's file name: its anchor on the page is `#answer-<id>`."),
    Column("url", "string", "Its place on the question's page."),
    Column("author", "handle", "Who wrote it; `anonymous` for an anonymous post."),
    Column("date", DATE, "When it was written."),
    Column("edited", f"{DATE} or null", "When it was last edited."),
    Column("edited_by", "handle or null", "Who edited it."),
    Column("votes", "integer", "Vote score from the forum."),
    Column("accepted", "boolean", "true on the answer the asker accepted (at most one)."),
    Column("source", "string or null", "Address of the original post, for imported content."),
    Column("license", "string or null", "License of imported content."),
    Column("license_url", "string or null", "The license's text, for Creative Commons licenses."),
    Column("reviewed_by", "handle or null", "The verified professional who reviewed it."),
    Column("last_reviewed", f"{DATE} or null", "When they last reviewed it."),
    Column("body", "string", "The answer's text in Markdown, as written."),
)
PERSON = (
    Column("handle", "string", "The member's handle (`anonymous` for anonymous posts)."),
    Column("name", "string", "Name shown on the site."),
    Column("url", "string or null", "Their page on the site (null for `anonymous`)."),
    Column("credentials", "string or null", "Professional credentials, as shown beside the name."),
    Column("bio", "string or null", "What they wrote about themselves."),
    Column("website", "string or null", "Their own website."),
    Column("points", "integer or null", "Points shown on the site (null for `anonymous`)."),
    Column("imported_points", "integer or null", "Points imported from the old forum; null when computed here."),
)
CATEGORY = (
    Column("name", "string", "The category's name."),
    Column("url", "string", "Its page."),
    Column("description", "string", "What belongs in it."),
    Column("order", "integer", "Its position in category lists (1 first)."),
    Column("content_note", "string or null", 'Its content note ("mentions self-harm").'),
    Column("sensitive", "boolean", "true when its questions show crisis helplines."),
    Column("review_interval_days", "integer or null", "Days between reviews of its questions (null: default)."),
)
RECORDS: dict[str, tuple[Column, ...]] = {
    "question": QUESTION,
    "answer": ANSWER,
    "person": PERSON,
    "category": CATEGORY,
}
PUBLIC_PERSON = {"handle", "name", "credentials", "bio", "website", "points", "imported_points", "url"}


def _text(value: Any) -> Any:
    """A front-matter value as JSON: dates as the writer formats them."""
    return format_date(value) if isinstance(value, (dt.date, dt.datetime)) else value


class Records:
    """Builds the records of a loaded ``site`` whose content folder is ``content``."""

    def __init__(self, site: Site, content: Path, urls: Urls, siteurl: str) -> None:
        self.site, self.content, self.urls = site, content, urls
        self.base = siteurl.rstrip("/")

    def address(self, url: str) -> str:
        """A site address (``questions/x/``): absolute under SITEURL, else from the root."""
        return f"{self.base}/{url}"

    def _file(self, source_path: str) -> tuple[dict[str, Any], str]:
        """The front matter and Markdown body of a content file (``content/...``, as the Site names it)."""
        path = self.content.parent / source_path
        source, _ = parse_source(path.read_bytes(), source_path)
        if source is None:  # the site loaded it a moment ago
            raise ValueError(f"{source_path}: cannot read it again")
        return source.meta.data, source.body.strip("\n")

    def question(self, q: Question) -> dict[str, Any]:
        """The record of a published question (keys in the order of ``QUESTION``)."""
        meta, body = self._file(q.source_path)
        answers = [self.answer(q, a) for a in q.answers]
        handles = {meta["author"], meta.get("edited_by"), meta.get("reviewed_by")}
        handles |= {a[k] for a in answers for k in ("author", "edited_by", "reviewed_by")}
        record = {
            "slug": q.slug,
            "url": self.address(q.url),
            "markdown_url": self.address(self.urls.markdown(q.slug)),
            **{name: _text(meta.get(name)) for name in ("title", "date", "edited", "edited_by", "author")},
            "category": self.category(q),
            "tags": [tag.name for tag in q.tags],
            "votes": q.votes,
            "views": q.views,
            "sensitive": meta.get("sensitive") is True,
            "source": q.source,
            "license": q.license,
            "license_url": license_url(q.license) if q.license else None,
            "reviewed_by": meta.get("reviewed_by"),
            "last_reviewed": _text(meta.get("last_reviewed")),
            "body": body,
            "answers": answers,
            "people": [self.person(self.site.people[h]) for h in sorted(h for h in handles if h)],
        }
        return {column.name: record[column.name] for column in QUESTION}

    def answer(self, q: Question, a: Answer) -> dict[str, Any]:
        """The record of one answer."""
        meta, body = self._file(a.source_path)
        record = {
            "id": a.id,
            "url": self.address(f"{q.url}#{a.anchor}"),
            **{name: _text(meta.get(name)) for name in ("author", "date", "edited", "edited_by")},
            "votes": a.votes,
            "accepted": a.accepted,
            "source": a.source,
            "license": a.license,
            "license_url": license_url(a.license) if a.license else None,
            "reviewed_by": meta.get("reviewed_by"),
            "last_reviewed": _text(meta.get("last_reviewed")),
            "body": body,
        }
        return {column.name: record[column.name] for column in ANSWER}

    def person(self, p: Person) -> dict[str, Any]:
        """A person's public fields (never a verification's details)."""
        anonymous = p.is_anonymous
        record = {
            "handle": p.handle,
            "name": p.name,
            "url": None if anonymous else self.address(p.url or ""),
            "credentials": p.credentials,
            "bio": p.bio,
            "website": p.website,
            "points": None if anonymous else p.points,
            "imported_points": p.imported_points,
        }
        return {column.name: record[column.name] for column in PERSON}

    def category(self, q: Question) -> dict[str, Any]:
        """The question's category's public fields."""
        c = q.category
        record = {
            "name": c.name,
            "url": self.address(c.url),
            "description": c.description,
            "order": c.order,
            "content_note": c.content_note,
            "sensitive": c.sensitive,
            "review_interval_days": c.review_interval_days,
        }
        return {column.name: record[column.name] for column in CATEGORY}


def column_table(columns: tuple[Column, ...]) -> str:
    """The Markdown table of a record's keys, for docs/open-data.md."""
    rows = ["| Key | Type | Meaning |", "|---|---|---|"]
    rows += [f"| `{c.name}` | {c.type} | {c.meaning} |" for c in columns]
    return "\n".join(rows) + "\n"
