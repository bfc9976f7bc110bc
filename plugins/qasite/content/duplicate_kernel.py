"""The possible-duplicate pairs over numpy arrays: the same pairs and scores as ``duplicate_pairs._pairs_from``
(each question i, each j < i on its shortlist ``related._shortlist``, the cosine at least the threshold), several
times faster on a large site (``duplicate_pairs.pair_indexes`` uses it from ``NUMPY_FROM`` questions on).

Why the result is the same on every machine (``tests/test_duplicate_kernel.py`` compares them):

- **The shortlists are integer work**: each question's keys' windows of the postings (``related.window``), the
  count of each question in them, the ``SHORTLIST`` counted most, ties to the lowest index. Counts and ranks are
  exact, whatever order numpy works in.
- **The cosines only pick candidates.** numpy sums the products (the very floats ``related._cosine`` multiplies) in
  its own order, which may differ in the last bits from ``math.fsum``'s exact sum: by at most ~48 x 2^-53 (at most
  ``VECTOR_TERMS`` products of unit vectors, their absolute sum at most 1). Every pair whose approximate cosine is
  above ``threshold - MARGIN`` is scored again by ``related._cosine``, and that score decides and is returned.
"""

from __future__ import annotations

import logging
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from .related import MAX_POSTING, SHORTLIST, Vectors, _cosine

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]

logger = logging.getLogger(__name__)

MARGIN = 1e-9  # far above the approximate cosine's error (~1e-14): a pair this close is scored exactly
ROWS = 256  # questions whose shortlists are counted at a time (their cells sorted together)
TABLE_CELLS = 1 << 20  # questions x terms cells of the weights table the cosines read at a time (8 MB)


def pair_indexes(vectors: Vectors, *, threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for each question i and each j < i on its shortlist whose cosine is at least ``threshold``
    (> 0), by i and then j: ``duplicate_pairs._pairs_from``'s pairs and scores."""
    n, weights = len(vectors.weights), vectors.weights
    if n == 0:
        return []
    index = {t: k for k, t in enumerate(dict.fromkeys(chain.from_iterable(weights)))}
    lengths = _lengths(weights)
    terms = np.fromiter(map(index.__getitem__, chain.from_iterable(weights)), dtype=np.int64, count=int(lengths.sum()))
    top = np.fromiter(map(index.__getitem__, chain.from_iterable(vectors.top_terms)), dtype=np.int64)
    rows, others = _shortlisted(top, _lengths(vectors.top_terms), n)
    values = np.fromiter(chain.from_iterable(map(dict.values, weights)), dtype=np.float64, count=len(terms))
    near = _near(rows, others, terms, values, _offsets(lengths), len(index), threshold - MARGIN)
    found = []
    for i, j in zip(rows[near].tolist(), others[near].tolist(), strict=True):
        score = _cosine(weights[i], weights[j])
        if score >= threshold:
            found.append((i, j, score))
    return found


def _lengths(lists: list[list[str]] | list[dict[str, float]]) -> Ints:
    return np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))


def _offsets(lengths: Ints) -> Ints:
    """Where each list starts in the flat array, and its end (len(lengths) + 1 values)."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _spread(starts: Ints, lengths: Ints) -> Ints:
    """Every index of the ranges [start, start + length), range after range."""
    total = int(lengths.sum())
    firsts = _offsets(lengths)[:-1]
    return np.repeat(starts - firsts, lengths) + np.arange(total, dtype=np.int64)


def _shortlisted(top: Ints, top_lengths: Ints, n: int) -> tuple[Ints, Ints]:
    """Every (i, j) with j < i on question i's shortlist (``related._shortlist`` of its top terms), by i then j."""
    owner = np.repeat(np.arange(n, dtype=np.int64), top_lengths)  # the question of each of its top terms
    order = np.argsort(top, kind="stable")  # the postings: each term's questions in index order, term after term
    bits = max(n - 1, 1).bit_length()  # a cell (i - s) << bits | j: its row and column by shifts and masks
    small = np.int32 if ROWS << bits < 2**31 else np.int64  # sorted twice as fast
    postings = owner[order].astype(small)
    sizes = np.bincount(top, minlength=int(top.max(initial=-1)) + 1)
    starts = _offsets(sizes)[:-1][top]
    place = np.empty_like(order)
    place[order] = np.arange(len(order), dtype=np.int64)
    middle = place - starts  # where question i stands in each of its terms' postings (bisect_left)
    size = sizes[top]
    long = size > MAX_POSTING
    low = np.where(long, np.maximum(middle - MAX_POSTING // 2, 0), 0)
    high = np.where(long, np.minimum(middle + MAX_POSTING // 2, size), size)
    windows = (starts + low, starts + high)  # each key's window (``related.window``)
    ends = _offsets(top_lengths)
    found = [
        _block(s, min(s + ROWS, n), bits, postings, owner, windows, ends[s : min(s + ROWS, n) + 1])
        for s in range(0, n, ROWS)
    ]
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _block(
    s: int, e: int, bits: int, postings: Ints, owner: Ints, windows: tuple[Ints, Ints], ends: Ints
) -> tuple[Ints, Ints]:
    """The (i, j < i) shortlisted for questions s..e-1: their keys' windows counted as cells (i - s) << bits | j."""
    keys = slice(ends[0], ends[-1])
    first, lengths = windows[0][keys], windows[1][keys] - windows[0][keys]
    small = postings.dtype.type
    found = np.repeat((owner[keys] - s).astype(small) << bits, lengths)
    found |= postings[_spread(first, lengths)]
    found.sort()
    change = np.empty(len(found), dtype=np.bool_)
    change[:1] = True
    np.not_equal(found[1:], found[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    count = np.diff(starts, append=len(found))
    cells = found[starts]
    rows = np.arange(e - s + 1, dtype=small) << bits
    counted = np.diff(np.searchsorted(cells, rows))  # cells a row counts
    own = (rows[:-1] | np.arange(s, e, dtype=small))[counted > 0]  # a question is not on its own shortlist
    count[np.searchsorted(cells, own)] = 0
    cut, above = _cuts(cells >> bits, count, e - s)
    kept = np.flatnonzero(count >= np.repeat(cut, counted))  # the cells that can be chosen, by row and index
    cells, count = cells[kept], count[kept]
    row, other = cells >> bits, cells & ((1 << bits) - 1)
    tied = count == cut[row]
    before = _offsets(np.bincount(row[tied], minlength=e - s))[:-1]  # the ties of the rows above
    rank = np.cumsum(tied) - 1 - before[row]  # each tie's place among its row's ties, lowest index first
    chosen = (count > cut[row]) | (tied & (rank < SHORTLIST - above[row]))
    chosen &= other < row + s
    return row[chosen].astype(np.int64) + s, other[chosen].astype(np.int64)


def _cuts(row: Ints, count: Ints, rows: int) -> tuple[Ints, Ints]:
    """Per row: the SHORTLIST-th largest count (``cut``; 0 when fewer are counted: all are taken) and how many are
    counted more than that (``above``)."""
    width = int(count.max(initial=0)) + 2
    at_least = np.bincount(row * width + count, minlength=rows * width).reshape(rows, width)
    at_least = np.cumsum(at_least[:, ::-1], axis=1)[:, ::-1]  # [r, c]: how many row r counts c times or more
    enough = at_least[:, 1:] >= SHORTLIST
    cut = np.where(enough.any(axis=1), width - 1 - np.argmax(enough[:, ::-1], axis=1), 0)
    return cut, at_least[np.arange(rows), cut + 1]


def _near(
    rows: Ints, others: Ints, terms: Ints, weights: NDArray[np.float64], offsets: Ints, vocabulary: int, floor: float
) -> NDArray[np.bool_]:
    """Which (i, j) pairs' approximate cosine is at least ``floor``: question i's weights in a table by term, a
    few questions at a time, read at each of j's terms."""
    near = np.zeros(len(rows), dtype=np.bool_)
    step = max(1, TABLE_CELLS // max(vocabulary, 1))
    table = np.zeros((step, vocabulary), dtype=np.float64)
    bounds = np.searchsorted(rows, np.arange(0, int(rows.max(initial=-1)) + step + 1, step))
    for block, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
        if lo == hi:
            continue
        s = block * step
        own = slice(offsets[s], offsets[min(s + step, len(offsets) - 1)])
        own_rows = np.repeat(np.arange(min(step, len(offsets) - 1 - s)), np.diff(offsets[s : s + step + 1]))
        table[own_rows, terms[own]] = weights[own]
        lengths = offsets[others[lo:hi] + 1] - offsets[others[lo:hi]]
        cells = _spread(offsets[others[lo:hi]], lengths)
        products = table[np.repeat(rows[lo:hi] - s, lengths), terms[cells]] * weights[cells]
        near[lo:hi] = np.bincount(np.repeat(np.arange(hi - lo), lengths), products, minlength=hi - lo) >= floor
        table[own_rows, terms[own]] = 0.0
    return near
