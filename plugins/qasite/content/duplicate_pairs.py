"""Possible duplicates: pairs of questions worded alike (cosine of their TF-IDF vectors, ``related.Vectors``),
found from each question's shortlist of earlier questions, in forked workers on large sites; ``cached_pairs`` keeps
them in the build cache while no question's wording changed (``check``)."""

from __future__ import annotations

import bisect
import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..build.parallel import map_forked, process_count
from . import pairs_ahead
from .model import Question
from .related import MAX_POSTING, PAIR_CHUNK, SHORTLIST, Vectors, _cosine, _postings, _shortlist

if TYPE_CHECKING:
    from ..build.cache import Cache
    from .site import Site

logger = logging.getLogger(__name__)


def similar_pairs(vectors: Vectors, *, threshold: float, processes: int = 1) -> list[tuple[Question, Question, float]]:
    """Pairs (newer, older, similarity) whose wording is at least ``threshold`` alike (cosine, 0 to 1).

    ``processes``: as QA_RENDER_PROCESSES (0: one per CPU on large sites); the questions are shared by
    forking, and only the pairs' numbers travel back.
    """
    return _oriented(vectors.questions, pair_indexes(vectors, threshold=threshold, processes=processes))


def pair_indexes(vectors: Vectors, *, threshold: float, processes: int = 1) -> list[tuple[int, int, float]]:
    """``similar_pairs`` as (i, j, cosine) with indexes into ``vectors.questions`` (``_oriented`` makes them pairs):
    from ``NUMPY_FROM`` questions on by ``duplicate_kernel`` (the same pairs and scores, in one process), else here."""
    questions = vectors.questions
    if threshold > 0 and len(questions) >= NUMPY_FROM:
        from . import duplicate_kernel  # numpy is imported only where the pairs of a large site are found

        return duplicate_kernel.pair_indexes(vectors, threshold=threshold)
    return python_pair_indexes(vectors, threshold=threshold, processes=processes)


def python_pair_indexes(vectors: Vectors, *, threshold: float, processes: int = 1) -> list[tuple[int, int, float]]:
    """``pair_indexes`` in Python, each question's shortlist counted by ``Counter`` (forked workers on large sites)."""
    questions = vectors.questions
    global _SHARED  # read by the forked workers (map_forked needs a module-level function)
    _SHARED = (vectors, _postings(vectors.top_terms), threshold)
    try:
        count = process_count(processes, len(questions))
        starts = range(0, len(questions), PAIR_CHUNK)
        chunks = map_forked(_pairs_from, [(s, min(s + PAIR_CHUNK, len(questions))) for s in starts], processes=count)
    finally:
        _SHARED = None
    return [pair for chunk in chunks for pair in chunk]


def _oriented(
    questions: Sequence[Question], indexes: list[tuple[int, int, float]]
) -> list[tuple[Question, Question, float]]:
    """(newer, older, similarity rounded) for each (i, j, cosine), by the newer's and then the older's slug."""
    found = []
    for i, j, score in indexes:
        older, newer = sorted((questions[i], questions[j]), key=lambda q: (q.date, q.slug))
        found.append((newer, older, round(score, 2)))
    return sorted(found, key=lambda f: (f[0].slug, f[1].slug))


def wording_digest(questions: Sequence[Question], threshold: float) -> str:
    """A digest of everything ``similar_pairs`` reads: each question's slug, date, path, title and text, in order."""
    digest = hashlib.sha256(repr(threshold).encode())
    for q in questions:
        digest.update(repr((q.slug, q.date, q.source_path, q.title, q.body_text)).encode())
    return digest.hexdigest()


def cached_pairs(
    site: Site, *, threshold: float, processes: int = 1, cache: Cache | None = None, key: str = ""
) -> list[tuple[Question, Question, float]]:
    """``similar_pairs`` of the site's questions, from ``cache`` while their ``wording_digest`` is the same.

    The cache keeps one entry per ``key`` (the content folder): the digest and the pairs as question indexes.
    """
    questions = site.questions
    if cache is None:
        return similar_pairs(site.vectors, threshold=threshold, processes=processes)
    stored = cache.get(namespace=PAIRS, key=key)
    digest = None
    if isinstance(stored, tuple) and len(stored) == 2:
        digest = wording_digest(questions, threshold)
        if stored[0] == digest:
            try:
                pairs_ahead.drop()
                return [(questions[i], questions[j], score) for i, j, score in stored[1]]
            except (TypeError, ValueError, IndexError):  # damaged: compared again below
                pass
    ahead = pairs_ahead.take(key, questions)  # found by check while it built the model, with their digest
    if ahead is not None:
        site.stats.count_vectors()  # built in the child
        digest, pairs = ahead[0], _oriented(questions, ahead[1])
    else:
        digest = digest or wording_digest(questions, threshold)
        pairs = similar_pairs(site.vectors, threshold=threshold, processes=processes)
    index = {id(q): i for i, q in enumerate(questions)}
    try:
        cache.put(namespace=PAIRS, key=key, value=(digest, [(index[id(a)], index[id(b)], s) for a, b, s in pairs]))
    except OSError as error:  # a cache that cannot be written only makes the next check slower
        logger.info("could not write the check cache: %s", error)
    return pairs


PAIRS = "duplicate-pairs"
NUMPY_FROM = 2000  # questions: below, numpy and its import (~0.1 CPU-s) save little (1,000: 0.14 against 0.12-0.13)
_SHARED: tuple[Vectors, dict[str, list[int]], float] | None = None


def _pairs_from(span: tuple[int, int]) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for each question i in ``span`` and each j < i (each pair once) on its shortlist alike enough."""
    assert _SHARED is not None
    vectors, postings, threshold = _SHARED
    weights, keys = vectors.weights, vectors.top_terms
    found = []
    for i in range(*span):
        # a j > i scores 0.0: below a positive threshold, so then only the earlier ones matter
        chosen = _earlier_shortlisted(i, keys[i], postings) if threshold > 0 else _shortlist(i, keys[i], postings)
        for j in chosen:
            score = _cosine(weights[i], weights[j]) if j < i else 0.0
            if score >= threshold:
                found.append((i, j, score))
    return found


def _earlier_shortlisted(i: int, keys: list[str], postings: dict[str, list[int]], size: int = SHORTLIST) -> list[int]:
    """The j < i of ``_shortlist(i, keys, postings, size)``, in no particular order, found without ranking them:
    the ``size``-th largest count (``cut``) from a count of the counts, then every j counted more, and the lowest j
    counted exactly ``cut`` that fill the list (``tests/test_related.py`` compares with ``_shortlist``)."""
    half = MAX_POSTING // 2
    ids: list[int] = []
    for key in keys:
        own = postings[key]
        if len(own) > MAX_POSTING:
            middle = bisect.bisect_left(own, i)
            own = own[max(0, middle - half) : middle + half]
        ids += own
    counts = Counter(ids)
    counts.pop(i, None)
    if len(counts) <= size:
        return [j for j in counts if j < i]
    above, cut = 0, 0
    for count, many in sorted(Counter(counts.values()).items(), reverse=True):
        cut = count
        if above + many >= size:
            break
        above += many
    ties = sorted([j for j, n in counts.items() if n == cut])[: size - above]
    return [j for j, n in counts.items() if n > cut and j < i] + [j for j in ties if j < i]
