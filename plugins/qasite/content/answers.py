"""Answers: display order and the one-accepted-answer rule."""

from __future__ import annotations

from ..config.problems import Problem
from .model import Answer


def order_answers(answers: list[Answer]) -> list[Answer]:
    """Accepted first, then votes (high to low), then date (old to new), then id."""
    return sorted(answers, key=lambda a: (not a.accepted, -a.votes, a.date, a.id))


def check_accepted(answers: list[Answer]) -> list[Problem]:
    """Report every accepted answer after the first (by file name)."""
    accepted = sorted((a for a in answers if a.accepted), key=lambda a: a.source_path)
    first = accepted[0].source_path if accepted else ""
    return [
        Problem(
            a.source_path,
            a.lines.get("accepted", 1),
            "accepted",
            f"the question already has an accepted answer ({first})",
            "keep 'accepted: true' on one answer only",
        )
        for a in accepted[1:]
    ]
