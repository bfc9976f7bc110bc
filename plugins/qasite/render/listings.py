"""Listings: question (and a member's answer) orders, pagination and tabs. Pure functions, but ``of_site``: a
loaded site's orders sorted once, for the site graph and the generator of one build alike."""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..config.urls import Urls
from ..content.model import Answer, Question
from . import orders

if TYPE_CHECKING:
    from ..content.site import Site

Tabs = tuple[tuple[str, str], ...]
HOME_TABS: Tabs = (("Top voted", Urls.home), ("Newest", Urls.newest), ("Unanswered", Urls.unanswered))
ALL_ANSWERED = "Every question has an answer. Thank you, everyone!"


@dataclass(kw_only=True)
class Tab:
    """One tab between listings."""

    label: str
    url: str
    current: bool = False


@dataclass(kw_only=True)
class Pagination:
    """Where a listing page sits among its siblings."""

    page_number: int
    page_count: int
    total: int | None  # the listing's question count: on its first page only (the others: "Page 2 of 334")
    prev_url: str | None = None
    next_url: str | None = None


@dataclass(kw_only=True)
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


_SORTED: weakref.WeakKeyDictionary[Site, dict[Callable[..., Any], Any]] = weakref.WeakKeyDictionary()


def of_site(site: Site, order: Callable[[list[Question]], list[Question]]) -> list[Question]:
    """``order`` (``top_voted``, ``newest`` or ``unanswered``) of every question of ``site``, sorted once per site (a
    loaded site is not changed after ``Site.finish``): the graph's plan and the generator's listings read the same
    list, which neither changes. Top voted and newest: as the last site's, kept as positions, while every question
    reads the same (``orders.kept``: the live preview's edits that move no slug, vote or date)."""
    kept = _SORTED.setdefault(site, {})
    if order not in kept:
        kept[order] = orders.kept(order, site.questions) if order in (top_voted, newest) else order(site.questions)
    return kept[order]  # type: ignore[no-any-return]


def ranked_site(site: Site) -> Callable[[Iterable[Question]], list[Question]]:
    """``ranked`` of the site's ``top_voted`` (``of_site``), made once per site."""
    kept = _SORTED.setdefault(site, {})
    if ranked not in kept:
        kept[ranked] = ranked(of_site(site, top_voted))
    return kept[ranked]  # type: ignore[no-any-return]


def ranked(top: Sequence[Question]) -> Callable[[Iterable[Question]], list[Question]]:
    """``top_voted`` for parts (a category's, a tag's questions) of ``top``, a ``top_voted`` list: each part sorted
    by its place there (``top_voted`` is a total order, so a part sorts the same), without the dates' timestamps."""
    rank = {id(q): number for number, q in enumerate(top)}
    return lambda part: sorted(part, key=lambda q: rank[id(q)])


def newest(questions: Iterable[Question]) -> list[Question]:
    """Newest first, then slug."""
    return sorted(questions, key=lambda q: (-q.date.timestamp(), q.slug))


def is_unanswered(q: Question) -> bool:
    """Whether ``q`` belongs on the unanswered listing: no answers."""
    return not q.answers


def unanswered(questions: Iterable[Question]) -> list[Question]:
    """Questions without answers, newest first."""
    return newest(q for q in questions if is_unanswered(q))


def top_answers(answers: Iterable[Answer]) -> list[Answer]:
    """A member's answers: votes high to low, then oldest first, then id."""
    return sorted(answers, key=lambda a: (-a.votes, a.date, a.id))


def page_url(base: str, number: int) -> str:
    """URL of page ``number`` of a listing at ``base``: page 1 is ``base`` itself."""
    return base if number == 1 else f"{base}{Urls.pagination}{number}/"


def page_count(total: int, per_page: int) -> int:
    """How many pages a listing of ``total`` questions has: always at least one."""
    return max(1, math.ceil(total / per_page))


def page_urls(base: str, total: int, per_page: int) -> list[str]:
    """The URL of every page of the listing at ``base`` of ``total`` questions."""
    return [page_url(base, number) for number in range(1, page_count(total, per_page) + 1)]


def paginate(
    questions: list[Question], *, base: str, per_page: int, title: str, tabs: Tabs = (), **extra: Any
) -> list[Listing]:
    """Split ``questions`` into pages (always at least one) of the listing at ``base``.

    ``tabs``: (label, url) of the listings shown as tabs above it; ``extra``: more ``Listing`` fields. Every page
    shares one list of ``Tab``: listing.html renders the heading once per listing, keyed by that list's identity.
    Only the first page shows the listing's total (the others show "Page 2 of 334"), so that adding or deleting a
    question leaves every page before its place as it was (the site graph's selection of a page holds its total).
    """
    count = page_count(len(questions), per_page)
    shared = [Tab(label=label, url=url, current=url == base) for label, url in tabs]
    pages = []
    for number in range(1, count + 1):
        pagination = Pagination(
            page_number=number,
            page_count=count,
            total=len(questions) if number == 1 else None,
            prev_url=page_url(base, number - 1) if number > 1 else None,
            next_url=page_url(base, number + 1) if number < count else None,
        )
        pages.append(
            Listing(
                title=title,
                url=page_url(base, number),
                questions=questions[(number - 1) * per_page : number * per_page],
                pagination=pagination,
                tabs=shared,
                **extra,
            )
        )
    return pages
