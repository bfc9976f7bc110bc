"""The site's content model: people, categories, tags, questions, answers.

Plain keyword-only dataclasses built once by the loader and read by templates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


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


@dataclass(eq=False, kw_only=True)
class Tag:
    """A normalized tag and the questions carrying it."""

    name: str
    url: str
    count: int = 0
    description: str | None = None


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
    question: Question | None = None
    lines: dict[str, int] = field(default_factory=dict)
    edit_link: str | None = None
    source: str | None = None
    license: str | None = None

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
    summary: str = ""
    answers: list[Answer] = field(default_factory=list)
    related: list[Any] = field(default_factory=list)
    answer_link: str | None = None
    edit_link: str | None = None
    source: str | None = None
    license: str | None = None
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def answer_count(self) -> int:
        """Number of answers."""
        return len(self.answers)

    @property
    def accepted_answer(self) -> Answer | None:
        """The accepted answer, if any."""
        return next((a for a in self.answers if a.accepted), None)

    @property
    def last_modified(self) -> dt.datetime:
        """Latest of asked, edited, and every answer's date or edit."""
        stamps = [self.date, self.edited] + [s for a in self.answers for s in (a.date, a.edited)]
        return max(s for s in stamps if s is not None)
