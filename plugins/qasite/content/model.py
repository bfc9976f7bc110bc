"""The site's content model: people, categories, tags, questions, answers, helplines.

Plain keyword-only dataclasses built once by the loader and read by templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote


@dataclass(eq=False, kw_only=True)
class Verification:
    """A person's 'verified:' entry in people.yml; ``expires`` and ``current`` are set against today (``trust``)."""

    date: dt.date
    by: str
    until: dt.date | None = None
    line: int = 1
    expires: dt.date | None = None
    current: bool = False


@dataclass(eq=False, kw_only=True)
class Person:
    """A member (or the anonymous placeholder)."""

    handle: str
    name: str
    credentials: str | None = None
    bio: str | None = None
    website: str | None = None
    imported_points: int | None = None
    points: int | None = None
    url: str | None = None
    verification: Verification | None = None

    @property
    def verified(self) -> bool:
        """True while an editor's verification of their licence is current: the badge, the credential in JSON-LD."""
        return self.verification is not None and self.verification.current

    @property
    def is_anonymous(self) -> bool:
        """True for the shared ``anonymous`` author."""
        return self.handle == ANONYMOUS


ANONYMOUS = "anonymous"


@dataclass(eq=False, kw_only=True)
class Category:
    """A category from categories.yml."""

    name: str
    slug: str
    description: str
    order: int
    url: str
    count: int = 0
    content_note: str | None = None
    review_interval_days: int | None = None
    sensitive: bool = False


@dataclass(eq=False, kw_only=True)
class Tag:
    """A normalized tag and the questions carrying it."""

    name: str
    url: str
    count: int = 0
    description: str | None = None
    content_note: str | None = None


@dataclass(eq=False, kw_only=True)
class Answer:
    """One answer file."""

    id: str
    author: Person
    date: dt.datetime
    votes: int
    accepted: bool
    source_path: str
    edited: dt.datetime | None = None
    edited_by: Person | None = None
    body_html: str = ""
    body_text: str = ""
    markdown: str = ""  # the Markdown as written (markers stripped), for the page's Markdown alternate
    question: Question | None = None
    lines: dict[str, int] = field(default_factory=dict)
    edit_link: str | None = None
    source: str | None = None
    license: str | None = None
    reviewed_by: Person | None = None
    last_reviewed: dt.date | None = None
    review_due: dt.date | None = None

    @property
    def anchor(self) -> str:
        """The stable fragment id of this answer on its question page."""
        return f"answer-{self.id}"


@dataclass(eq=False, kw_only=True)
class Question:
    """One question with its answers, ordered for display."""

    slug: str
    title: str
    date: dt.datetime
    category: Category
    tags: list[Tag]
    votes: int
    author: Person
    status: str
    source_path: str
    url: str
    views: int | None = None
    edited: dt.datetime | None = None
    edited_by: Person | None = None
    body_html: str = ""
    body_text: str = ""
    markdown: str = ""  # the Markdown as written (markers stripped), for the page's Markdown alternate
    summary: str = ""
    answers: list[Answer] = field(default_factory=list)
    related: list[Any] = field(default_factory=list)
    answer_link: str | None = None
    edit_link: str | None = None
    source: str | None = None
    license: str | None = None
    reviewed_by: Person | None = None
    last_reviewed: dt.date | None = None
    review_due: dt.date | None = None
    lines: dict[str, int] = field(default_factory=dict)
    sensitive: bool = False

    @property
    def answer_count(self) -> int:
        """Number of answers."""
        return len(self.answers)

    @property
    def content_notes(self) -> list[str]:
        """The content notes of its category and tags, each once, the category's first."""
        notes = [self.category.content_note, *(tag.content_note for tag in self.tags)]
        return list(dict.fromkeys(note for note in notes if note))

    @property
    def content_note(self) -> str:
        """The content notes as one text ("mentions self-harm; mentions suicide"); "" without any."""
        return "; ".join(self.content_notes)

    @property
    def accepted_answer(self) -> Answer | None:
        """The accepted answer, if any."""
        return next((a for a in self.answers if a.accepted), None)

    @property
    def last_modified(self) -> dt.datetime:
        """Latest of asked, edited, and every answer's date or edit."""
        stamps = [self.date, self.edited] + [s for a in self.answers for s in (a.date, a.edited)]
        return max(s for s in stamps if s is not None)


@dataclass(eq=False, kw_only=True)
class Helpline:
    """One service from helplines.yml: how to reach it, when, in which languages, and when it was last checked."""

    key: str
    country: str
    name: str
    how: str
    hours: str
    languages: list[str]
    verified_on: dt.date
    number: str | None = None
    keyword: str | None = None
    address: str | None = None
    audience: str | None = None
    description: str | None = None
    source_path: str = ""
    line: int = 1  # the line of verified_on

    @property
    def round_the_clock(self) -> bool:
        """True when its hours are 24/7."""
        return self.hours.replace(" ", "").lower() in ("24/7", "24hours")

    @property
    def href(self) -> str:
        """tel:/sms: with the number's digits (and + first), or the https address of chat and web services."""
        if self.number is None:
            return self.address or ""
        digits = ("+" if self.number.startswith("+") else "") + "".join(ch for ch in self.number if ch.isdigit())
        if self.how == "phone":
            return f"tel:{digits}"
        return f"sms:{digits}" + (f"?body={quote(self.keyword)}" if self.keyword else "")


@dataclass(eq=False, kw_only=True)
class Country:
    """A country's entry in helplines.yml: its name and services, in file order."""

    code: str
    name: str
    services: list[Helpline] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The fragment id of its section on the help page: 'country-gb'."""
        return f"country-{self.code.lower()}"
