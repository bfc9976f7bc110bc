"""The inverse document frequency of related questions, their tags and the duplicate check, in 1% steps.

A term held by ``k`` of ``n`` questions weighs ``log(1 + N / K)``, where ``N`` and ``K`` are ``n`` and ``k`` rounded
down to a power of 1.01 (``N = 1.01**step(n)``). A step is ``k / 100`` wide, so a text edit that moves a word's
document frequency by one moves its weight only about once in ``k / 100`` such edits (always below ~100 questions,
where the vectors holding it are few; once in 24 for a word in 2,400), and adding or deleting a question moves
``n``'s step about once in a hundred at 10,000 questions: then every weight moves (``related_update``,
``related_resize``: otherwise only the vectors holding a term whose weight moved are made again).

The steps are exact and the same on every machine: ``step`` compares integers with a table of thresholds made by
integer arithmetic (``1.01**e <= x`` exactly when ``x * 100**e >= 101**e``), never a float ``floor(log x)`` that could
land either side of a boundary. The weight depends only on the difference of the steps, ``d``: ``1.01**d`` is
``101**d / 100**d``, an integer division Python rounds correctly, then ``math.log`` as before.
"""

from __future__ import annotations

import bisect
import functools
import logging
import math
import threading

logger = logging.getLogger(__name__)

_THRESHOLDS = [1]  # _THRESHOLDS[e]: the least integer x with 1.01**e <= x (101**e <= x * 100**e)
_POWERS = [1, 1]  # 101**e and 100**e of the last threshold
_LOCK = threading.Lock()


def step(x: int) -> int:
    """The largest ``e`` with ``1.01**e <= x`` (``x >= 1``), exactly."""
    if _THRESHOLDS[-1] <= x:
        _extend(x)
    return bisect.bisect_right(_THRESHOLDS, x) - 1


def _extend(x: int) -> None:
    """Thresholds until one is above ``x`` (a few milliseconds up to a billion: the table grows as sites do)."""
    with _LOCK:
        up, down = _POWERS
        while _THRESHOLDS[-1] <= x:
            up, down = up * 101, down * 100
            _THRESHOLDS.append(-(-up // down))
        _POWERS[:] = [up, down]


def idf_of(n: int, k: int) -> float:
    """The inverse document frequency of a term (or a tag) held by ``k`` of ``n`` questions, both in 1% steps."""
    return _idf_at(step(n) - step(k))


@functools.cache
def _idf_at(d: int) -> float:
    """``log(1 + 1.01**d)``: ``N / K`` with ``N`` and ``K`` the two stepped counts (``d``: their steps' difference)."""
    return math.log(1 + 101**d / 100**d)
