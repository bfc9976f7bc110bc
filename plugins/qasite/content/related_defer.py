"""The preview's related lists whose order an edit provably kept: their exact scores made after the build.

A text edit moves, by a little, every vector holding a word whose document frequency moved (``related_vectors``),
hence every score in those questions' lists. The pages show which questions a list holds, in which order, and the
tags they share, never a score; so where the old best, its order and the tags provably stay, the build goes on
with them and the exact scores (which the kept state and the snapshot's packed lists must hold, as a full
computation's) are made afterwards, by ``finish``: the preview calls it once the page is written, and again
before its next build and when it stops (``related_update.finish``). Questions added or deleted within n's IDF step
(``related_resize``) defer the same way the kept lists none of whose shown questions was retagged or shares a
reweighted tag (their shown scores then move by their vectors alone).

The proof (``proved``): a pair's new score lies within its old exact one plus or minus how far its two vectors moved
plus ``related_bounds.SLACK`` (Cauchy-Schwarz, as ``related_bounds``); the other pairs have upper bounds. If each
shown pair's lowest possible score is above the highest possible score of every pair after it, the scores keep
their order strictly (no tie for the slug to break) and nothing enters: the list's best is the same pairs in the
same order. ``tests/test_related_update.py`` checks the lists after each edit and the scores after ``finish``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from .related import Found, as_related
from .related_bounds import SLACK, Pair, settle

logger = logging.getLogger(__name__)


def proved(state: Any, i: int, deltas: dict[int, float]) -> bool:
    """Whether list i's best keeps its pairs and order whatever the exact new scores (``state``:
    ``related_update._State`` after its pairs were loosened; ``deltas``: how far each moved vector moved)."""
    return holds(state.lists[i], state.scored[i], state.limit, deltas.get(i, 0.0), deltas)


def holds(
    best: Found, scored: Found, limit: int, own: float, deltas: dict[int, float], lifts: dict[int, float] | None = None
) -> bool:
    """``proved`` for a list's last ``best`` and its loosened pairs ``scored`` (``own``: how far its own vector moved).
    ``lifts``: by shown question, the exact change of the tags' part of its score (a shared tag's weight moved; its
    upper bound in ``scored`` holds it too): its lowest score moves with it."""
    if len(best) < limit:
        return False
    shown = {pair[0] for pair in best}
    upper = {}  # the shown pairs' scores, or upper bounds where loosened
    above = -math.inf  # the highest upper bound after the position looked at: first, of the pairs not shown
    for j, _, value in scored:
        if j in shown:
            upper[j] = value
        elif value > above:
            above = value
    for j, _, score in reversed(best):
        moved = own + deltas.get(j, 0.0)
        lift = lifts.get(j, 0.0) if lifts else 0.0
        low = score - moved - SLACK + lift if moved or lift else score
        if not low > above:
            return False
        above = max(above, upper[j])
    return True


def defer(state: Any, i: int) -> None:
    """List i's best stays as it is until ``finish``: its packed list is a new object (the snapshot made now holds
    it; ``finish`` writes its exact scores into it)."""
    state.pending.add(i)
    state.packed[i] = list(state.packed[i])


def finish(state: Any, exact: Callable[[int, int], Pair]) -> None:
    """The deferred lists' exact scores (``exact(i, at)`` scores pair ``at`` of list i), written into the kept
    lists, their ``Related`` objects and packed lists in place."""
    questions, slugs, started = state.questions, state.slugs, time.thread_time()
    for i in sorted(state.pending):
        best = settle(state.scored[i], state.stale[i], lambda at, i=i: exact(i, at), slugs, state.limit)
        if [pair[:2] for pair in best] != [pair[:2] for pair in state.lists[i]]:
            raise AssertionError(f"related list {slugs[i]}: a deferred best changed")  # the proof failed: a bug
        state.lists[i] = best
        state.related[i][:] = as_related(best, questions)
        state.packed[i][:] = [(slugs[j], t, s) for j, t, s in best]
    used = time.thread_time() - started
    logger.debug("related: %d lists' exact scores made after the build, %.3f CPU-s", len(state.pending), used)
    state.pending.clear()
