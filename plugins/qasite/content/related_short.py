"""The resize's shortlists (``related_resize``): the last ones where nothing they read moved, else made again, or
proved the same from the few questions whose count moved.

A shortlist is the ``SHORTLIST`` questions sharing most keys with question i, ties by index (``related._shortlist``:
the first ``SHORTLIST`` of every candidate's (-count, index)), a count being how many of i's keys' windows
(``related.window``) hold the candidate. Adding or deleting a question shifts the windows around it in every long
key it held: ~100 questions' windows a key, so a deletion made ~2,000–3,600 shortlists again at 10,000 questions, of
which ~95% came out the same. With i's keys unchanged, a candidate's count moves only if it entered or left one of
i's moved windows; every other candidate keeps its count. So when the full old shortlist holds no such candidate,
its members keep their counts and order, and every other candidate that kept its count still ranks after the last
member; the shortlist is then the same unless a moved candidate now ranks before its last member, which takes
counting only those few (``_proved_same``, by bisection: ``_count``). In a long key only the questions within half a
window of where its questions changed can see their window move (``_near``). ``tests/test_related_resize.py``
compares seeded random resizes with full computations, long postings included.
"""

from __future__ import annotations

import bisect
import logging
from typing import Any

from .related import MAX_POSTING, SHORTLIST, _shortlist, span, window

logger = logging.getLogger(__name__)

Window = list[Any]  # a key's questions in i's window: new indexes (a deleted question: its place as i - 0.5)


def shortlists(
    last: Any, keys: list[list[str]], postings: dict[str, list[int]], kept: list[int | None]
) -> tuple[list[list[int]], set[int]]:
    """Each question's shortlist: the last one (its questions' new indexes) while nothing it reads moved, or while
    provably the same; and the questions whose shortlist is their last one (kept, or made again the same)."""
    n = len(keys)
    new_at: list[int | None] = [None] * len(last.slugs)  # a kept question's new index, by its last one
    for i, o in enumerate(kept):
        if o is not None:
            new_at[o] = i
    rekeyed = {i for i in range(n) if kept[i] is None or last.keys[kept[i]] != keys[i]}  # type: ignore[index]
    moved = {key for i in rekeyed for key in keys[i]}  # only these keys' questions may have changed
    for o, i in enumerate(new_at):
        if i is None or i in rekeyed:
            moved.update(last.keys[o])
    place = _places(last, kept, new_at, n)
    windows: dict[int, list[tuple[Window, Window]]] = {}  # i: its moved windows, before and after
    for key in moved:
        after = postings.get(key, [])
        old = [place[o] for o in last.postings.get(key, [])]
        if old == after:
            continue
        for i in _near(old, after):
            if i not in rekeyed and (was := window(old, i)) != (now := window(after, i)):
                windows.setdefault(i, []).append((was, now))
    shortlists, reused, made = [], set(), 0
    for i in range(n):
        o = kept[i]
        mapped = None if o is None else list(map(new_at.__getitem__, last.shortlists[o]))
        if i in rekeyed or (i in windows and not _proved_same(i, mapped, windows[i], keys, postings)):
            made += 1
            shortlists.append(_shortlist(i, keys[i], postings))
            if shortlists[-1] == mapped:  # made again the same: the last scores still stand for it
                reused.add(i)
        else:
            shortlists.append(mapped)  # type: ignore[arg-type]
            reused.add(i)
    logger.debug("related: %d shortlists made again, %d proved the same", made, len(windows) + len(rekeyed) - made)
    return shortlists, reused


def _places(last: Any, kept: list[int | None], new_at: list[int | None], n: int) -> list[float]:
    """The last postings' questions where they now stand (a deleted question: between its neighbours, as i - 0.5)."""
    place: list[float] = []
    at = 0
    for o in range(len(last.slugs)):
        while at < n and (kept[at] is None or kept[at] < o):  # type: ignore[operator]
            at += 1
        place.append(at - 0.5 if (i := new_at[o]) is None else i)
    return place


def _near(old: list[Any], after: list[int]) -> list[int]:
    """The questions of ``after`` whose window (``related.window``) may differ from their window in ``old`` (a key's
    questions before and after, by new place): all if either is short (a window is then the whole list), else those
    within MAX_POSTING // 2 of where the two differ: a window farther off lies in their common head or common tail,
    so it reads the same questions in both."""
    if len(old) <= MAX_POSTING or len(after) <= MAX_POSTING:
        return after
    head, tail = _common(old, after), _common(old[::-1], after[::-1])
    half = MAX_POSTING // 2
    return after[max(0, head - half + 1) : len(after) - tail + half]


def _common(a: list[Any], b: list[Any]) -> int:
    """The length of the longest common head of ``a`` and ``b`` (a binary search over list comparisons)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _proved_same(
    i: int, mapped: list[int | None] | None, moved: list[tuple[Window, Window]], keys: list[list[str]], postings: Any
) -> bool:
    """Whether question i's shortlist (its keys unchanged) is its last one, ``mapped`` to new indexes, knowing which
    of its windows moved (see the module docstring). False: not shown, to be made again."""
    if mapped is None or len(mapped) < SHORTLIST or None in mapped:  # short, or it held a deleted question
        return False
    moving: set[Any] = set()  # the candidates whose count moved
    gained: set[Any] = set()  # of those, the ones it may have raised
    for was, now in moved:
        before = set(was)
        moving.update(before.symmetric_difference(now))
        gained.update(set(now).difference(before))
    if not moving.isdisjoint(mapped):
        return False
    gained.discard(i)  # a deleted question's place counts for nobody now; a lost candidate ranks after the last still
    if not gained:
        return True
    last = mapped[-1]
    bar = (-_count(i, last, keys, postings), last)  # its count did not move
    return all((-_count(i, j, keys, postings), j) > bar for j in gained)


def _count(i: int, j: int, keys: list[list[str]], postings: Any) -> int:
    """How many of question i's keys' windows hold question j (``j in window(postings[key], i)``), without making
    the windows: only a key of j's own holds j (``postings``), found by bisection within i's window."""
    theirs, count = set(keys[j]), 0
    for key in keys[i]:
        if key in theirs:
            ids = postings[key]
            low, high = span(ids, i)
            at = bisect.bisect_left(ids, j, low, high)
            count += at < high and ids[at] == j
    return count
