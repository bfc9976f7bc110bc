"""The parts of the preview's related state (``related_update._State``) made from its lists and shortlists: each
list's ``Related`` objects and packed form (``unpack``), and who shortlists each question (``link``).

The pages read the ``Related`` objects and the snapshot the packed lists, so ``unpack`` runs before the page. Who
shortlists whom is read only by the next update (``related_update._update``: the lists holding a moved question):
after questions are added or deleted every index moves, so it is made again whole (~200,000 pairs at 10,000
questions), and ``related_update`` then leaves it to ``_finish``, after the page (``unlinked``).
"""

from __future__ import annotations

import operator
from typing import Any

from .related import Related


def link(state: Any) -> None:
    """Fill ``state.shortlisted_by`` (empty sets, by question) from ``state.shortlists``."""
    shortlisted_by = state.shortlisted_by
    for i, short in enumerate(state.shortlists):
        for j in short:
            shortlisted_by[j].add(i)
    state.unlinked = False


def unpack(state: Any, i: int) -> None:
    """List i's ``Related`` objects and packed form from ``state.lists[i]``: an unchanged item keeps its object, a list
    of them its own (``graph_units`` compares page signatures by ``is``), and an equal packed list its own."""
    questions = state.questions
    was = {id(r.question): r for r in state.related[i]}
    items = [
        r
        if (r := was.get(id(questions[j]))) and r.question is questions[j] and r.shared_tags == t and r.score == s
        else Related(question=questions[j], shared_tags=t, score=s)
        for j, t, s in state.lists[i]
    ]
    if len(items) != len(was) or any(map(operator.is_not, items, state.related[i])):
        state.related[i] = items
    packed = [(state.slugs[j], t, s) for j, t, s in state.lists[i]]
    if packed != state.packed[i]:  # else its object kept: the lists the graph had (build/related_keep.same_lists)
        state.packed[i] = packed
