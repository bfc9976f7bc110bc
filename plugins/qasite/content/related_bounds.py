"""The preview's related scores kept as upper bounds where a vector moved a little: each list's best stays exact.

An edit that moves a common word's document frequency changes, by a little, every vector holding the word
(``related_update``), hence the score of every pair with one of them. A score needs exact floats only where it is
shown, in a list's best (``related.best_of``); below that, only its order against the last of the best matters.
So a moved pair's score is not made again at once: it is raised to an upper bound, proved as follows.

Vectors are unit vectors (``related.vector``) and a pair's score is their dot product plus a tag part that does not
change unless the tags or a tag's weight do (the caller scores those exactly). By Cauchy-Schwarz,
``|a'.b' - a.b| <= |a' - a| + |b' - b|`` (``moved_by``: each vector's distance from its last), and the stored scores are
rounded to 9 decimals (at most 5e-10 each way) from sums of at most 48 products (error far below 1e-12): a score
raised by the distances plus ``SLACK`` is at least the new rounded score. A list's best is then found by
``settle``: a bound that ranks among the best is scored exactly (``related.pair_score``); a bound ranking below
the best's last (``best_of``'s order) cannot enter it, so the best is the full computation's.
``tests/test_related_update.py`` compares seeded random edits with full computations.
"""

from __future__ import annotations

import bisect
import heapq
import logging
import math
from collections.abc import Callable, Sequence

from .related import Found

logger = logging.getLogger(__name__)

SLACK = 2e-9  # the rounding to 9 decimals, before and after (5e-10 each), and the float sums' error, with room
Pair = tuple[int, tuple[str, ...], float]


def moved_by(old: dict[str, float], new: dict[str, float]) -> float:
    """The distance between a vector and its last value (an upper bound: rounded up)."""
    return math.sqrt(sum([(new.get(t, 0.0) - old.get(t, 0.0)) ** 2 for t in old.keys() | new.keys()])) * (1 + 1e-9)


def loosen(scored: Found, stale: set[int], at: int, by: float) -> Pair:
    """Raise the score at ``at`` by ``by`` (the vectors' distances) plus SLACK: an upper bound from now on."""
    j, tags, score = scored[at]
    scored[at] = pair = (j, tags, score + by + SLACK)
    stale.add(at)
    return pair


def may_enter(pair: Pair, best: Found, limit: int, slugs: Sequence[str]) -> bool:
    """Whether a changed ``pair`` can change a list whose best was ``best``: it was in it, the best is short, or it
    now ranks above the best's last."""
    if len(best) < limit:
        return True
    j = pair[0]
    for shown in best:
        if shown[0] == j:
            return True
    last = best[-1]
    return (-pair[2], slugs[j]) < (-last[2], slugs[last[0]])


def settle(scored: Found, stale: set[int], exact: Callable[[int], Pair], slugs: Sequence[str], limit: int) -> Found:
    """The list's best, exact. The pairs are taken in ``best_of``'s order (score, then slug; a list's slugs differ) of
    their scores or bounds, each bound scored exactly (``exact(at)``) when reached, until the next ranks below the
    ``limit``-th exact score: a bound never ranks above its score, so no pair left can enter the best."""
    chosen: list[tuple[float, str, int]] = []  # exact, best first
    keys = [(-pair[2], slugs[pair[0]], at) for at, pair in enumerate(scored)]
    heapq.heapify(keys)  # taken in order, lazily: the loop stops after a few
    while keys:
        key = heapq.heappop(keys)
        if len(chosen) >= limit and key > chosen[limit - 1]:
            break
        at = key[2]
        if at in stale:
            scored[at] = exact(at)
            stale.discard(at)
            key = (-scored[at][2], key[1], at)
        bisect.insort(chosen, key)
    return [scored[at] for _, _, at in chosen[:limit]]
