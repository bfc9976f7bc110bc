"""The rows of a member's page kept across the live preview's builds: the signatures of ``profile_question`` and
``profile_answer`` (``partials/macros.html``), for ``render/rows.py``'s store.

A member's page lists every question and answer they wrote (thousands for the busiest members), so adding or
deleting one answer would render every row again. ``user.html`` renders each row through the ``memo`` filter; a
row's signature holds every value its macro shows or tests, so equal signatures render the same HTML (given the
same templates, filters and globals: ``rows.environment_key``). A new value a row shows must go into its
signature: ``tests/test_member_rows.py`` changes each one and compares with the macro rendered afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from ..content.model import Answer, Question


def question_signature(q: Question) -> Hashable:
    """What ``profile_question`` shows: votes, address, title, date."""
    return (q.votes, q.url, q.title, q.date.isoformat())


def answer_signature(answer: Answer) -> Hashable:
    """What ``profile_answer`` shows: votes, accepted or not, its question's address and title, its anchor, date."""
    q = answer.question
    where = None if q is None else (q.url, q.title)
    return (answer.votes, answer.accepted, where, answer.anchor, answer.date.isoformat())


SIGNATURES: dict[str, Callable[..., Hashable]] = {
    "profile_question": question_signature,
    "profile_answer": answer_signature,
}
