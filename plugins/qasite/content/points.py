"""Member points: imported from the forum, else computed from votes.

Formula (documented in docs/content-format.md)::

    points = 1 + 5 x (votes on their questions) + 10 x (votes on their answers)
               + 15 x (their accepted answers)

never below 1. Shown like the forum: 950, 6.5k, 12k, 1.2m.
"""

from __future__ import annotations

from collections.abc import Iterable

QUESTION_VOTE = 5
ANSWER_VOTE = 10
ACCEPTED = 15


def compute_points(*, question_votes: Iterable[int], answer_votes: Iterable[int], accepted: int) -> int:
    """Points earned from the votes on a member's questions and answers."""
    total = 1 + QUESTION_VOTE * sum(question_votes) + ANSWER_VOTE * sum(answer_votes) + ACCEPTED * accepted
    return max(total, 1)


def format_points(points: int) -> str:
    """Abbreviate like the forum, never overstating: 6549 -> '6.5k', 12400 -> '12k'."""
    if points < 1000:
        return str(points)
    for size, suffix in ((1_000_000, "m"), (1000, "k")):
        if points >= size:
            whole, rest = divmod(points, size)
            tenth = rest * 10 // size
            if whole >= 10 or tenth == 0:
                return f"{whole}{suffix}"
            return f"{whole}.{tenth}{suffix}"
    return str(points)
