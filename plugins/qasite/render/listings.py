"""Listings: question orders, pagination and tabs. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..config.urls import Urls
from ..content.model import Question


@dataclass
class Tab:
    """One tab between listings."""

    label: str
    url: str
    current: bool = False


@dataclass
class Pagination:
    """Where a listing page sits among its siblings."""

    page_number: int
    page_count: int
    total: int
    prev_url: str | None = None
    next_url: str | None = None


@dataclass
class Listing:
    """One rendered page of a listing."""

    title: str
    url: str
    questions: list[Question]
    pagination: Pagination
    description_html: str | None = None
    tabs: list[Tab] = field(default_factory=list)
    empty_message: str = "No questions here yet."


def top_voted(questions: Iterable[Question]) -> list[Question]:
    """Votes high to low, then newest first, then slug."""
    return sorted(questions, key=lambda q: (-q.votes, -q.date.timestamp(), q.slug))


def newest(questions: Iterable[Question]) -> list[Question]:
    """Newest first, then slug."""
    return sorted(questions, key=lambda q: (-q.date.timestamp(), q.slug))


def unanswered(questions: Iterable[Question]) -> list[Question]:
    """Questions without answers, newest first."""
    return newest(q for q in questions if not q.answers)


def page_url(base: str, number: int) -> str:
    """URL of page ``number`` of a listing at ``base``: page 1 is ``base`` itself."""
    return base if number == 1 else f"{base}{Urls.pagination}{number}/"


def paginate(
    questions: list[Question], *, base: str, per_page: int, make: Callable[[str, list[Question], Pagination], Listing]
) -> list[Listing]:
    """Split ``questions`` into pages (always at least one) built by ``make``."""
    count = max(1, math.ceil(len(questions) / per_page))
    pages = []
    for number in range(1, count + 1):
        chunk = questions[(number - 1) * per_page : number * per_page]
        pagination = Pagination(
            number,
            count,
            len(questions),
            page_url(base, number - 1) if number > 1 else None,
            page_url(base, number + 1) if number < count else None,
        )
        pages.append(make(page_url(base, number), chunk, pagination))
    return pages
