"""The cross-file rules, once: what the loader reports and the importers fix or skip.

Each rule is a plain function of plain values that returns a ``Broken`` (message and fix, in the
words the editor reads) or None. The loader adds the file and line; the importers use the same
verdict (and, where their report says it differently, their own words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar


@dataclass(frozen=True, kw_only=True)
class Broken:
    """A rule a file breaks: what is wrong and how to fix it."""

    message: str
    fix: str


class Acceptable(Protocol):
    """An answer as the accepted-answer rule sees it (a loaded or an imported one)."""

    accepted: bool


A = TypeVar("A", bound=Acceptable)


def empty_text(body: str) -> Broken | None:
    """A question, answer or page needs text below its front matter."""
    if body and not body.isspace():  # not body.strip(): no copy of every body
        return None
    return Broken(message="the text is empty", fix="write the text below the closing '---' line")


def unknown_person(handle: str, people: Container[str]) -> Broken | None:
    """Authors and editors are handles from content/people.yml."""
    if handle in people:
        return None
    return Broken(
        message=f"'{handle}' is not in content/people.yml",
        fix=f"add '{handle}:' with a name to content/people.yml, or use an existing handle",
    )


def anonymous_named(author: str, stem: str, people: Collection[str]) -> Broken | None:
    """An anonymous answer's file name names no member: it is the answer's address (#answer-<name>) and edit link.

    A handle h is named when ``-h-`` occurs in ``-stem-``, that is when h is a run of the stem's ``-``-separated
    words: those few runs are looked up in ``people`` (not every handle tried on the stem). The longest named
    handle is reported; between handles of that length, the first in ``people``'s order."""
    if author != "anonymous":
        return None
    words = stem.split("-")
    runs = {"-".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, len(words) + 1)}
    found = [h for h in runs if h != "anonymous" and h in people]
    if not found:
        return None
    longest = max(map(len, found))
    named = [h for h in found if len(h) == longest]
    if len(named) > 1:  # a tie: the first in people's order, as it always was
        named = [h for h in people if h in named]
    return Broken(
        message=f"is anonymous but the file name names '{named[0]}' (it shows in the answer's address)",
        fix=f"rename the file to {stem.replace(named[0], 'anonymous', 1)}.md",
    )


def unknown_category(name: str, categories: Iterable[str]) -> Broken | None:
    """A question's category is one from content/categories.yml."""
    names = sorted(categories)
    if name in names:
        return None
    return Broken(
        message=f"'{name}' is not in content/categories.yml",
        fix=f"use one of: {', '.join(names) or 'none defined yet'}",
    )


def category_clash(slug: str, slugs: Mapping[str, str]) -> Broken | None:
    """Every category gets its own non-empty URL slug (``slugs``: the slugs taken, to their category's name)."""
    if slug and slug not in slugs:
        return None
    fix = f"rename it: its URL would clash with '{slugs[slug]}'" if slug else "use letters or digits in the name"
    return Broken(message="category name gives a duplicate or empty URL slug", fix=fix)


def editor_without_edit(edited_by: str | None, edited: dt.datetime | None) -> Broken | None:
    """Who edited a post is only said with when."""
    if not edited_by or edited:
        return None
    return Broken(message="is set but 'edited' is not", fix="add 'edited: <date>' with the date of the edit")


def edited_before_posted(edited: dt.datetime | None, posted: dt.datetime | None) -> Broken | None:
    """An edit comes after the post (a date without a time zone counts as UTC)."""
    if edited is None or posted is None or naive_utc(edited) >= naive_utc(posted):
        return None
    return Broken(message="is before 'date'", fix="an edit cannot come before the post: fix one of the dates")


def answered_before_asked(answered: dt.datetime, asked: dt.datetime) -> Broken | None:
    """An answer is not dated (by day) before its question."""
    if answered.date() >= asked.date():
        return None
    return Broken(
        message=f"{answered.date().isoformat()} is before the question was asked ({asked.date().isoformat()})",
        fix="fix the answer's date or the question's date",
    )


def extra_accepted(answers: Iterable[A]) -> tuple[A | None, list[A]]:
    """One accepted answer per question: the first accepted one in the given order, and the others marked accepted."""
    accepted = [a for a in answers if a.accepted]
    return (accepted[0] if accepted else None), accepted[1:]


def accepted_twice(first: str) -> Broken:
    """What an answer marked accepted after ``first`` is told."""
    return Broken(
        message=f"the question already has an accepted answer ({first})", fix="keep 'accepted: true' on one answer only"
    )


def naive_utc(value: dt.datetime) -> dt.datetime:
    """``value`` as a naive UTC time (a value without a time zone is taken as UTC), to compare any two dates."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
