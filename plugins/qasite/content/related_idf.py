"""The inverse document frequency of related questions, their tags and the duplicate check, in 5% steps.

A term held by ``k`` of ``n`` questions weighs ``log(1 + N / K)``, where ``N`` and ``K`` are ``n`` and ``k`` rounded
down to a power of 1.05 (``N = 1.05**step(n)``; ``UP / DOWN`` is 21 / 20). A step is ``k / 20`` wide, so a text edit
that moves a word's document frequency by one moves its weight only about once in ``k / 20`` such edits (always below
~20 questions, where the vectors holding it are few; once in 120 for a word in 2,400), and adding or deleting a
question moves ``n``'s step about once in 500 at 10,000 questions: then every weight moves (``related_update``,
``related_resize``: otherwise only the vectors holding a term whose weight moved are made again).

Why 5% and not finer (1% until session 24): a deleted question's words are held by hundreds or thousands of other
questions each, and in 1% steps a few of them crossed a step with nearly every deletion, moving ~40% of the vectors
and every list they are in; the lists differ from the exact IDF's only in near-ties (the figures: docs/scaling.md,
stage 4).

The steps are exact and the same on every machine: ``step`` compares integers with a table of thresholds made by
integer arithmetic (``1.05**e <= x`` exactly when ``x * 20**e >= 21**e``), never a float ``floor(log x)`` that could
land either side of a boundary. The weight depends only on the difference of the steps, ``d``: ``1.05**d`` is
``21**d / 20**d``, an integer division Python rounds correctly, then ``math.log`` as before.
"""

from __future__ import annotations

import bisect
import functools
import logging
import math
import threading

logger = logging.getLogger(__name__)

UP, DOWN = 21, 20  # a step's ratio, 1.05, as integers
_THRESHOLDS = [1]  # _THRESHOLDS[e]: the least integer x with 1.05**e <= x (UP**e <= x * DOWN**e)
_POWERS = [1, 1]  # UP**e and DOWN**e of the last threshold
_LOCK = threading.Lock()


def step(x: int) -> int:
    """The largest ``e`` with ``1.05**e <= x`` (``x >= 1``), exactly."""
    if _THRESHOLDS[-1] <= x:
        _extend(x)
    return bisect.bisect_right(_THRESHOLDS, x) - 1


def _extend(x: int) -> None:
    """Thresholds until one is above ``x`` (a few milliseconds up to a billion: the table grows as sites do)."""
    with _LOCK:
        up, down = _POWERS
        while _THRESHOLDS[-1] <= x:
            up, down = up * UP, down * DOWN
            _THRESHOLDS.append(-(-up // down))
        _POWERS[:] = [up, down]


def idf_of(n: int, k: int) -> float:
    """The inverse document frequency of a term (or a tag) held by ``k`` of ``n`` questions, both in 5% steps."""
    return _idf_at(step(n) - step(k))


@functools.cache
def _idf_at(d: int) -> float:
    """``log(1 + 1.05**d)``: ``N / K`` with ``N`` and ``K`` the two stepped counts (``d``: their steps' difference)."""
    return math.log(1 + UP**d / DOWN**d)
