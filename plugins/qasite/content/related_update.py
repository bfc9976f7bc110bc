"""The live preview's related questions, updated after an edit: the same vectors and lists as a full computation.

The preview keeps what its last computation read (module state): term counts, document frequencies, vectors, keys,
the questions holding each key, shortlists. After an edit, with the same questions in the same order: a vector is made
again for an edited question and those holding a term whose document frequency moved (``related_vectors``: the same
floats); a shortlist where its keys or its window on a changed key's questions moved; a list is scored whole when its
shortlist or its own tags changed; a pair with a retagged question, or sharing a reweighted tag (``related_tags``), is
scored again; a pair with a moved vector gets an upper bound (``related_bounds``) and its list's best is settled if the
pair may enter it (with ``defer``: later, if its best provably stays, ``related_defer``). A score is a function of
exactly these (``related.pair_score``), a list the best of its shortlist's scores (``related.best_of``): every other
list is a full computation's. Questions added or removed: ``related_resize``. Tests: ``tests/test_related_update.py``.
"""

from __future__ import annotations

import bisect
import functools
import logging
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import related_bounds, related_defer, related_resize, related_tags, related_unpack, related_vectors
from .model import Question
from .related import (
    Found,
    Related,
    Vectors,
    _shortlist,
    best_of,
    idf_of,
    keys_of,
    pair_score,
    relate,
    scored,
    weighed,
    window,
)

logger = logging.getLogger(__name__)

Packed = list[tuple[str, tuple[str, ...], float]]
Result = tuple[Vectors, dict[str, list[Related]], dict[str, Packed]]  # vectors, lists, their packed form


@dataclass(kw_only=True)
class _State:
    """One computation's inputs and results, by question index."""

    limit: int
    questions: list[Question]
    slugs: list[str]
    texts: list[tuple[str, str]]  # (title, body text) the counts were made from
    counts: list[Counter[str]]
    df: Counter[str]
    idf: dict[str, float]
    tf: dict[int, float]
    weights: list[dict[str, float]]
    top: list[list[str]]
    tags: list[tuple[str, ...]]
    keys: list[list[str]]
    postings: dict[str, list[int]]
    tag_idf: dict[str, float]
    shortlists: list[list[int]]
    scored: list[Found]  # each shortlisted question scored, in shortlist order (an upper bound where stale)
    stale: list[set[int]]  # for each list, where its scores are upper bounds (related_bounds)
    shortlisted_by: list[set[int]]  # for each question, the questions whose shortlist holds it
    lists: list[Found]
    related: list[list[Related]]
    packed: list[Packed]
    cut: dict[int, related_vectors.Cut] = field(default_factory=dict)  # per vector: its left-out pairs rank after it
    pending: set[int] = field(default_factory=set)  # lists whose exact scores are made later (related_defer)
    unlinked: bool = False  # ``shortlisted_by`` left to ``_finish`` (after a resize: ``related_unpack``)
    verbatim: set[int] = field(default_factory=set)  # lists a resize kept whole, ``Related`` and packed: not unpacked


_LAST: _State | None = None  # this process's last computation (the live preview)
_LOCK = threading.Lock()  # finish() may run in the preview's thread after a build


def related(questions: Sequence[Question], *, limit: int, processes: int = 1, defer: bool = False) -> Result:
    """The vectors, related lists and their packed form (``changes.pack_related``) for these questions, updated
    from this process's last call when the questions are the same slugs in the same order. ``defer``: the exact
    scores of lists whose best provably stays are left to ``finish`` (``related_defer``)."""
    with _LOCK:
        _finish()
        return _related(questions, limit, processes, defer)


def finish() -> None:
    """Make the exact scores ``related(defer=True)`` left for later (the kept state is then a full computation's)."""
    with _LOCK:
        _finish()


def _finish() -> None:
    if _LAST is not None and _LAST.pending:
        related_defer.finish(_LAST, functools.partial(_exact, _LAST, _LAST.questions))
    if _LAST is not None and _LAST.unlinked:
        related_unpack.link(_LAST)


def _related(questions: Sequence[Question], limit: int, processes: int, defer: bool) -> Result:
    global _LAST
    last, _LAST = _LAST, None  # a failure half-way leaves no state
    if last is None or last.limit != limit:
        state = _full(list(questions), limit, processes)
    elif last.slugs != [q.slug for q in questions]:  # questions added or deleted: content/related_resize.py
        fields = related_resize.resize(last, list(questions), defer)
        state = _full(list(questions), limit, processes) if fields is None else resized(fields)
    else:
        state = _update(last, list(questions), defer)
    _LAST = state
    vectors = Vectors(questions=state.questions, weights=state.weights.copy(), top_terms=state.top.copy())
    slugs = state.slugs
    return vectors, dict(zip(slugs, state.related, strict=True)), dict(zip(slugs, state.packed, strict=True))


def forget() -> None:
    """Drop the kept state (the next call computes everything)."""
    global _LAST
    _LAST = None


def _full(questions: list[Question], limit: int, processes: int) -> _State:
    counts, df, idf, tf, vectors = weighed(questions)
    weights, top = vectors.weights, vectors.top_terms
    relating = relate(vectors, limit=limit, processes=processes)
    assert [i for i, _, _ in relating.found] == list(range(len(questions)))
    shortlists = [[j for j, _, _ in candidates] for _, _, candidates in relating.found]
    state = _State(
        limit=limit,
        questions=questions,
        slugs=[q.slug for q in questions],
        texts=[(q.title, q.body_text) for q in questions],
        counts=counts,
        df=df,
        idf=idf,
        tf=tf,
        weights=weights,
        top=top,
        tags=[tuple(t.name for t in q.tags) for q in questions],
        keys=relating.keys,
        postings=relating.postings,
        tag_idf=relating.tag_idf,
        shortlists=shortlists,
        scored=[candidates for _, _, candidates in relating.found],
        stale=[set() for _ in questions],
        shortlisted_by=[set() for _ in questions],
        lists=[found for _, found, _ in relating.found],
        related=[[] for _ in questions],
        packed=[[] for _ in questions],
    )
    state.cut = related_vectors.cuts(counts, idf, tf)
    return _linked(state)


def _linked(state: _State) -> _State:
    """``state`` with who shortlists each question, and each list's ``Related`` objects and packed form."""
    related_unpack.link(state)
    for i in range(len(state.questions)):
        related_unpack.unpack(state, i)
    state.verbatim = set()
    return state


def resized(fields: dict[str, Any]) -> _State:
    """``_linked`` of ``related_resize.resize``'s ``fields``, but who shortlists whom left to ``_finish``, and the lists
    it kept ``verbatim`` (their last best over the same question objects) not unpacked again."""
    state = _State(**fields, unlinked=True)
    for i in range(len(state.questions)):
        if i not in state.verbatim:
            related_unpack.unpack(state, i)
    state.verbatim = set()
    return state


def _update(state: _State, questions: list[Question], defer: bool) -> _State:
    if state.unlinked:  # _finish makes it first
        related_unpack.link(state)
    n = len(questions)
    texts = [(q.title, q.body_text) for q in questions]
    edited = [i for i in range(n) if texts[i] != state.texts[i]]
    state.texts = texts
    deltas = related_vectors.update(state, questions, edited)  # vectors that moved: by how much (related_bounds)
    tags = [tuple(t.name for t in q.tags) for q in questions]
    retagged = {i for i in range(n) if tags[i] != state.tags[i]}
    state.tags = tags
    moved = set(deltas) | retagged  # questions whose vector or tags changed: their pairs are scored again
    keys_changed: dict[str, list[int]] = {}  # key: its questions before the edit
    reshort = set()
    for i in moved:
        new = keys_of(questions[i], state.top[i])
        old = state.keys[i]
        if new == old:
            continue
        reshort.add(i)
        for key in set(old) - set(new):
            ids = state.postings[key]
            keys_changed.setdefault(key, list(ids))
            ids.remove(i)
            if not ids:
                del state.postings[key]
        for key in set(new) - set(old):
            ids = state.postings.setdefault(key, [])
            keys_changed.setdefault(key, list(ids))
            bisect.insort(ids, i)
        state.keys[i] = new
    reweighted = set()
    for key, before in keys_changed.items():
        after = state.postings.get(key, [])
        reshort |= {i for i in after if window(before, i) != window(after, i)}
        if key[0] == "#":
            weight = idf_of(n, len(after)) if after else None
            if weight is None:
                state.tag_idf.pop(key, None)
            elif state.tag_idf.get(key) != weight:
                state.tag_idf[key] = weight
                reweighted.add(key)
    whole = set(retagged)  # lists scored whole: own tags, shortlist or a shared tag's weight changed
    for i in reshort:
        short = _shortlist(i, state.keys[i], state.postings)
        if short != state.shortlists[i]:
            for j in state.shortlists[i]:
                state.shortlisted_by[j].discard(i)
            for j in short:
                state.shortlisted_by[j].add(i)
            state.shortlists[i] = short
            whole.add(i)
    for i in whole:  # every pair of the list scored again
        state.scored[i] = scored(i, state.shortlists[i], questions, state.weights, state.tag_idf)
        state.stale[i] = set()
    # a tag's weight counts only where the list's question and a shortlisted one share it: those pairs scored again
    repaired = related_tags.rescore(state, reweighted, whole, functools.partial(_exact, state, questions))
    unsettled = _moved_pairs(state, questions, deltas, retagged, whole)
    unpack = set()
    for i in whole | unsettled | repaired:
        if i in whole:
            best = best_of(state.scored[i], questions, state.limit)
        elif defer and not retagged and i not in repaired and related_defer.proved(state, i, deltas):
            related_defer.defer(state, i)  # the same best: its exact scores after the build
            continue
        else:  # its bounds ranking among its best scored exactly
            exact = functools.partial(_exact, state, questions, i)
            best = related_bounds.settle(state.scored[i], state.stale[i], exact, state.slugs, state.limit)
        if best != state.lists[i]:
            state.lists[i] = best
            unpack.add(i)
    changed_objects = {i for i in range(n) if questions[i] is not state.questions[i]}
    state.questions = questions
    for i in changed_objects:
        unpack |= state.shortlisted_by[i] | {i}  # lists pointing at a new object of the question: unpacked again
    for i in unpack:  # the others keep their objects (graph_units reuses their signatures)
        related_unpack.unpack(state, i)
    logger.debug("related: %d vectors moved, %d lists scored whole, %d changed", len(deltas), len(whole), len(unpack))
    return state


def _moved_pairs(
    state: _State, questions: list[Question], deltas: dict[int, float], retagged: set[int], whole: set[int]
) -> set[int]:
    """In the lists not scored ``whole``, the pairs with a moved question: scored exactly where its tags changed,
    else raised to an upper bound (``related_bounds``). The lists whose best may have changed."""
    limit, slugs, shortlists = state.limit, state.slugs, state.shortlists
    unsettled = set()
    for i in deltas.keys() - whole:  # the list's own vector moved: every pair
        unsettled.add(i)
        pairs, stale, loose = state.scored[i], state.stale[i], deltas[i] + related_bounds.SLACK
        if not retagged:  # every pair loosened, as below
            pairs[:] = [(j, tags, score + loose + deltas.get(j, 0.0)) for j, tags, score in pairs]
            stale.update(range(len(pairs)))
            continue
        for at, j in enumerate(shortlists[i]):
            if j in retagged:
                pairs[at] = _exact(state, questions, i, at)
                stale.discard(at)
            else:  # related_bounds.loosen, inline
                pair = pairs[at]
                pairs[at] = (j, pair[1], pair[2] + loose + deltas.get(j, 0.0))
                stale.add(at)
    settled = whole | deltas.keys()
    for j in deltas.keys() | retagged:  # the pair with the moved question, in the lists that shortlist it
        for i in state.shortlisted_by[j] - settled:
            at = shortlists[i].index(j)
            if j in retagged:
                pair = state.scored[i][at] = _exact(state, questions, i, at)
                state.stale[i].discard(at)
            else:
                pair = related_bounds.loosen(state.scored[i], state.stale[i], at, deltas[j])
            if related_bounds.may_enter(pair, state.lists[i], limit, slugs):
                unsettled.add(i)
    return unsettled


def _exact(state: _State, questions: list[Question], i: int, at: int) -> related_bounds.Pair:
    j, weights = state.shortlists[i][at], state.weights
    return pair_score(questions[i], questions[j], j, weights[i], weights[j], state.tag_idf)
