"""The whole site's listing orders (top voted, newest) kept between a process's builds (the live preview).

Each order is a function of what it reads of each question (``fields``: slug, votes, date). When the questions given
read the same, position by position, as at the last call of the same order, the last order (kept as positions) is the
order itself: an edit that moves none of those fields (a person, a question's text or tags, an answer's text) takes
it instead of sorting the 10,000 questions again (~0.01-0.025 CPU-s each; two an edit that writes the home or newest
pages). Only the fields are kept, not the questions (the preview holds one site at a time). ``tests/test_orders.py``
compares with fresh sorts after edits that keep and that move them.
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
    if last is not None and last[0] == read:
        return [questions[at] for at in last[1]]
    made = order(list(questions))
    position = {id(q): at for at, q in enumerate(questions)}
    _KEPT[order] = (read, [position[id(q)] for q in made])
    return made
