"""The preview's vectors made again after an edit: the same floats as ``related.vector``, most without ranking every
term of the question again.

An edit moves the document frequency of the terms it adds to or removes from a question; when that moves a term's
IDF (in 5% steps: ``related_idf``; for a word in 2,400 questions about one move in 120), the weights of every question
holding it move (``related_update``), and only those vectors are made again. ``related.vector`` ranks all of a
question's (-weight, term) pairs and keeps the first ``VECTOR_TERMS``; the kept state records for each vector a
``cut``: when made, the first pair it left out (None when it kept every term), and from then on a pair ranking at or
before every pair it leaves out. A question whose own counts did not change is re-ranked over its kept terms only
when:

- every moved term it leaves out still ranks at or after the cut (its new pair is not before the cut's);
- the last of the kept terms' new pairs ranks before the cut.

Then the left-out pairs all still rank at or after the cut (those that did not move are where they were), so the
first ``VECTOR_TERMS`` of all pairs are exactly the kept terms' pairs, in the order ``sorted`` gives them, and
``related.unit`` over them gives the same floats; the cut still holds. Otherwise the vector is made whole, with its
cut (``vector_and_cut``: also in the full computation and ``related_resize``). ``tests/test_related_update.py``
compares seeded random edits with full computations.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from typing import Any

from . import related_bounds, related_lazy
from .model import Question
from .related import VECTOR_TERMS, _top_terms, idf_of, ranked, term_counts, unit

logger = logging.getLogger(__name__)

Cut = tuple[float, str] | None  # the first (-weight, term) pair a vector left out; None: it kept every term


def update(state: Any, questions: list[Question], edited: list[int]) -> dict[int, float]:
    """Count the edited questions' terms again and make again the vectors an IDF change reaches, in ``state``
    (``related_update._State``): the vectors that changed, each with its distance from its last value
    (``related_bounds.moved_by``)."""
    n = len(questions)
    moved_terms: set[str] = set()
    for i in edited:
        old, new = state.counts[i], term_counts(questions[i])
        for term in old.keys() - new.keys():
            state.df[term] -= 1
            if not state.df[term]:
                del state.df[term]
        for term in new.keys() - old.keys():
            state.df[term] += 1
        moved_terms |= old.keys() ^ new.keys()
        state.counts[i] = new
    reweighted = set()  # the terms whose IDF changed: in 5% steps (related_idf), few of those whose count moved
    for term in moved_terms:
        if term not in state.df:
            state.idf.pop(term, None)
        elif (was := state.idf.get(term)) != (weight := idf_of(n, state.df[term])):
            state.idf[term] = weight
            if was is not None:  # a new term is held by edited questions alone, made whole below
                reweighted.add(term)
    moved_terms = reweighted
    again = set(edited)
    if moved_terms:
        again |= related_lazy.holding(state.counts, moved_terms)  # the fewer looked up
    whole = set(edited)
    changed = {}
    logger.debug("related: %d terms reweighted, %d vectors made again", len(moved_terms), len(again))
    for i in again:
        by = remake(state, i, moved_terms, whole=i in whole)
        if by is not None:
            changed[i] = by
    return changed


def remake(state: Any, i: int, moved_terms: set[str], *, whole: bool) -> float | None:
    """Make question i's vector again in ``state`` (its ``weights``, ``top``, ``cut``; also ``related_resize``): whole,
    or re-ranked over its kept terms when that provably gives the same (``moved_terms``: those whose IDF moved).
    Its distance from its last value (``related_bounds.moved_by``), or None when it is the same."""
    old = state.weights[i]
    made = None if whole else _reranked(state, i, moved_terms)
    if made is None:
        made, state.cut[i] = vector_and_cut(state.counts[i], state.idf, state.tf)
        if list(made.items()) == list(old.items()):
            return None
        by = related_bounds.moved_by(old, made)
    elif list(made.items()) == list(old.items()):
        return None
    else:  # the same terms: the distance from the same coordinates (rounded up, as moved_by)
        by = math.dist([old[t] for t in made], list(made.values())) * (1 + 1e-9)
    state.weights[i] = made
    state.top[i] = _top_terms(made)
    return by


def vector_and_cut(c: Counter[str], idf: dict[str, float], tf: dict[int, float]) -> tuple[dict[str, float], Cut]:
    """``related.vector`` and the first pair it left out (None: it kept every term)."""
    order = ranked(c, idf, tf)
    return unit(order[:VECTOR_TERMS]), order[VECTOR_TERMS] if len(order) > VECTOR_TERMS else None


def cuts(counts: list[Counter[str]], idf: dict[str, float], tf: dict[int, float]) -> dict[int, Cut]:
    """Each vector's cut, as ``update`` records it (the preview's first computation: its first edits re-rank too)."""
    return {i: vector_and_cut(c, idf, tf)[1] for i, c in enumerate(counts)}


def _reranked(state: Any, i: int, moved_terms: set[str]) -> dict[str, float] | None:
    """Question i's new vector from its kept terms alone, or None when that cannot be shown to be the full ranking's
    (see the module docstring) or no cut is known."""
    if i not in state.cut:
        return None
    cut: Cut = state.cut[i]
    kept, counts, idf, tf = state.weights[i], state.counts[i], state.idf, state.tf
    if cut is not None:
        for term in moved_terms:
            if term in counts and term not in kept and (tf[counts[term]] * idf[term], term) < cut:
                return None
    if moved_terms.isdisjoint(kept):
        return kept  # the kept terms' weights, hence the vector, as they were
    order = sorted([(tf[counts[t]] * idf[t], t) for t in kept])
    if cut is not None and not order[-1] < cut:
        return None
    return unit(order)
