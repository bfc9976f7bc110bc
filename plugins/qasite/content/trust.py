"""Verified professionals and reviewed content, against today: who shows the badge, what is due for review.

``check_trust`` runs once per load (``loader``) with the ``Policy`` of the command's settings (today from
``config.clock``): it marks each verification current or not (``Person.verified``), works out each reviewed
post's next review date, and returns the problems: a verification by an unknown member or dated in the
future (errors), one that ran out (a warning: re-verify), a review by someone who was not verified on the
day of the review (an error). ``due_reviews`` lists what is overdue or due soon (``check --reviews``, the
``/review-due/`` page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..config.clock import today
from ..config.problems import Problem, warning
from . import rules
from .model import Answer, Person, Question, Verification
from .rules import Broken
from .site import Site

DUE_SOON_DAYS = 30  # `check --reviews` and /review-due/ list what is due within this many days


@dataclass(frozen=True, kw_only=True)
class Policy:
    """Today, how long a verification lasts, and the default time between reviews (in days)."""

    today: dt.date
    verification_days: int = 365
    review_days: int = 365


def policy(settings: Mapping[str, Any]) -> Policy:
    """The policy of a command's settings (QA_TODAY, QA_VERIFICATION_VALID_DAYS, QA_REVIEW_INTERVAL_DAYS)."""
    return Policy(
        today=today(settings),
        verification_days=settings.get("QA_VERIFICATION_VALID_DAYS", 365),
        review_days=settings.get("QA_REVIEW_INTERVAL_DAYS", 365),
    )


@dataclass(frozen=True, kw_only=True)
class Due:
    """A reviewed post whose next review is overdue or due soon."""

    path: str
    title: str
    url: str
    due: dt.date
    last_reviewed: dt.date
    reviewer: Person

    def line(self, today: dt.date) -> str:
        """One line of `invoke check --reviews`."""
        when = f"overdue since {self.due}" if self.due < today else f"due {self.due}"
        return f"{self.path}: review {when} (last reviewed {self.last_reviewed} by {self.reviewer.handle})"


def check_trust(site: Site, policy: Policy, people_file: str) -> list[Problem]:
    """Mark current verifications and review dates in ``site``; every problem with them."""
    problems: list[Problem] = []
    for person in site.people.values():
        v = person.verification
        if v is None:
            continue
        v.expires = v.until or v.date + dt.timedelta(days=policy.verification_days)
        v.current = v.date <= policy.today <= v.expires
        problems += _verification_problems(person, v, site.people, policy.today, people_file)
    for post in _posts(site):
        lines = post.lines
        if "reviewed_by" in lines or "last_reviewed" in lines:  # else no problem (most posts: no call)
            problems += _review_problems(post, policy.today)
        if post.reviewed_by is not None and post.last_reviewed is not None:
            category = (post.question if isinstance(post, Answer) else post).category  # type: ignore[union-attr]
            days = category.review_interval_days or policy.review_days
            post.review_due = post.last_reviewed + dt.timedelta(days=days)
    return problems


def _posts(site: Site) -> Iterator[Question | Answer]:
    for question in (*site.questions, *site.drafts):
        yield question
        yield from question.answers


def _verification_problems(
    person: Person, v: Verification, people: Mapping[str, Person], today: dt.date, rel: str
) -> list[Problem]:
    label = f"{person.handle}.verified"
    found = [
        (f"{label}.by", rules.unknown_person(v.by, people)),
        (f"{label}.date", future(v.date, today, "write the day the licence was checked")),
    ]
    if v.by == person.handle:
        found.append((f"{label}.by", Broken(message="a member cannot verify themselves", fix="ask another editor")))
    if v.until and v.until < v.date:
        found.append((f"{label}.until", Broken(message=f"{v.until} is before 'date'", fix="fix one of the dates")))
    problems = [Problem(rel, v.line, name, b.message, b.fix) for name, b in found if b]
    if not problems and v.expires and v.expires < today:
        problems.append(
            warning(
                rel,
                v.line,
                label,
                f"the verification ran out on {v.expires}: the Verified professional badge is no longer shown",
                "check the licence against the regulator's register again, then update 'date' and any 'until'",
            )
        )
    return problems


def future(day: dt.date, today: dt.date, fix: str) -> Broken | None:
    """A date that records something done cannot be after today."""
    if day <= today:
        return None
    return Broken(message=f"{day} is in the future (today is {today})", fix=fix)


def not_verified_on(reviewer: Person, day: dt.date) -> Broken | None:
    """A review counts only when its reviewer's verification covered the day of the review."""
    v = reviewer.verification
    fix = "name a verified professional, or have an editor verify them in content/people.yml ('verified:')"
    if v is None or reviewer.is_anonymous:
        return Broken(message=f"'{reviewer.handle}' is not a verified professional", fix=fix)
    if v.date <= day and (v.expires is None or day <= v.expires):
        return None
    when = f"was verified only from {v.date}" if day < v.date else f"verification ran out on {v.expires}"
    return Broken(
        message=f"'{reviewer.handle}' {when}, so cannot have reviewed it on {day}",
        fix="re-verify them in content/people.yml (update 'date'), or name a verified reviewer",
    )


def _review_problems(post: Question | Answer, today: dt.date) -> list[Problem]:
    lines, path = post.lines, post.source_path
    if "reviewed_by" not in lines and "last_reviewed" not in lines:
        return []
    if post.last_reviewed is None:
        fix = "add 'last_reviewed: <date of the review>'"
        return [Problem(path, lines.get("reviewed_by", 1), "last_reviewed", "required with 'reviewed_by'", fix)]
    if "reviewed_by" not in lines:
        fix = "add 'reviewed_by: <handle of the verified reviewer>'"
        return [Problem(path, lines["last_reviewed"], "reviewed_by", "required with 'last_reviewed'", fix)]
    found = [("last_reviewed", future(post.last_reviewed, today, "write the day of the review"))]
    if post.reviewed_by is not None:  # else not in people.yml: already reported
        found.append(("reviewed_by", not_verified_on(post.reviewed_by, post.last_reviewed)))
    return [Problem(path, lines[name], name, b.message, b.fix) for name, b in found if b][:1]


def due_reviews(site: Site, today: dt.date, within: int = DUE_SOON_DAYS) -> list[Due]:
    """Published posts whose next review is overdue or due within ``within`` days, soonest first."""
    soon = today + dt.timedelta(days=within)
    due = [
        Due(
            path=post.source_path,
            title=question.title,
            url=question.url + (f"#{post.anchor}" if isinstance(post, Answer) else ""),
            due=post.review_due,
            last_reviewed=post.last_reviewed,
            reviewer=post.reviewed_by,
        )
        for question in site.questions
        for post in (question, *question.answers)
        if post.review_due is not None
        and post.review_due <= soon
        and post.last_reviewed is not None
        and post.reviewed_by is not None
    ]
    return sorted(due, key=lambda d: (d.due, d.path))


def review_report(site: Site, today: dt.date, within: int = DUE_SOON_DAYS) -> str:
    """What `invoke check --reviews` prints: one line per post, soonest first, then a count."""
    due = due_reviews(site, today, within)
    until = today + dt.timedelta(days=within)
    count = f"{len(due)} review{'s' if len(due) != 1 else ''}" if due else "No reviews"
    return "\n".join([*(d.line(today) for d in due), f"{count} overdue or due by {until}."])
