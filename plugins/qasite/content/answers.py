"""Answers: their display order on a question page."""

from __future__ import annotations

from .model import Answer


def order_answers(answers: list[Answer]) -> list[Answer]:
    """Accepted first, then votes (high to low), then date (old to new), then id."""
    return sorted(answers, key=lambda a: (not a.accepted, -a.votes, a.date, a.id))
