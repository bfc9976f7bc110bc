"""The whole site's listing orders (top voted, newest) kept between a process's builds (the live preview).

Each order is a function of what it reads of each question (``fields``: slug, votes, date). When the questions given
read the same, position by position, as at the last call of the same order, the last order (kept as positions) is the
order itself: an edit that moves none of those fields (a person, a question's text or tags, an answer's text) takes
it instead of sorting the 10,000 questions again (~0.01-0.025 CPU-s each; two an edit that writes the home or newest
pages). Only the fields are kept, not the questions (the preview holds one site at a time).

A question added or deleted (the preview's add and delete edits) leaves the others reading the same, one place
further or back in the site's list: the last order is then shifted, the deleted question's position dropped, or the
added one's placed by bisection, comparing it with one question at a time through ``order`` itself (each order is a
total order: the slug is unique, so the others keep their order among themselves), instead of sorting the 10,000 again.
``tests/test_orders.py`` compares with fresh sorts after edits that keep and that move them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from ..content.model import Question

Order = Callable[[list[Question]], list[Question]]
_KEPT: dict[Order, tuple[list[Hashable], list[int]]] = {}  # each order: the fields read, the positions it gave


def fields(q: Question) -> Hashable:
    """What ``listings.top_voted`` and ``newest`` read of a question."""
    return (q.slug, q.votes, q.date)


def kept(order: Order, questions: Sequence[Question]) -> list[Question]:
    """``order(questions)``: the last call's positions when every question reads the same, else sorted again."""
    read = [fields(q) for q in questions]
    last = _KEPT.get(order)
    if last is not None:
        kept = last[1] if last[0] == read else _shifted(order, last, read, questions)
        if kept is not None:
            _KEPT[order] = (read, kept)
            return [questions[at] for at in kept]
    made = order(list(questions))
    position = {id(q): at for at, q in enumerate(questions)}
    _KEPT[order] = (read, [position[id(q)] for q in made])
    return made


def _shifted(
    order: Order, last: tuple[list[Hashable], list[int]], read: list[Hashable], questions: Sequence[Question]
) -> list[int] | None:
    """The positions of ``order(questions)`` from the ``last`` call's when ``read`` is its read with one question
    dropped or one inserted (the others the same, in the same order); else None."""
    was, positions = last
    if abs(len(read) - len(was)) != 1:
        return None
    at = next(
        (k for k, (now, then) in enumerate(zip(read, was, strict=False)) if now != then), min(len(read), len(was))
    )
    if len(read) < len(was):  # the question at ``at`` deleted: the others' positions past it one back
        return [p - (p > at) for p in positions if p != at] if read[at:] == was[at + 1 :] else None
    if read[at + 1 :] != was[at:]:
        return None
    shifted = [p + (p >= at) for p in positions]  # the others' positions past ``at`` one further
    added, low, high = questions[at], 0, len(shifted)
    while low < high:  # the first place whose question the added one comes before
        middle = (low + high) // 2
        if order([questions[shifted[middle]], added])[0] is added:
            high = middle
        else:
            low = middle + 1
    shifted.insert(low, at)
    return shifted
