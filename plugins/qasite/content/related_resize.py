"""The live preview's related questions after questions are added or deleted: a full computation's vectors and
lists, made again from what the last computation kept where it cannot have changed.

The IDF is in 5% steps of the number of questions n and of each term's count (``related_idf``). When n's step
moved, every IDF moves, so every vector is made again (``related.vector`` over the same counts and IDF values: the
same floats) and every kept score becomes an upper bound. When it did not (499 additions or deletions in 500 at
10,000 questions), only the terms whose count moved a step change their IDF, as after a text edit: only the vectors
holding one are made again (``related_vectors.remake``), and a kept score whose two vectors and shared tags' weights
did not move stays exact; a kept list none of whose scores moved stays as it was, and with ``defer`` (the preview) a
kept list whose best provably stays keeps it, its exact scores made after the page (``related_defer``). What is
kept, by slug:

- a question's term counts, while its title and body text are the ones they were made from;
- a question's shortlist, while its keys are the same and the questions holding each of its keys are the same
  slugs in the same order: a shortlist reads only those (``related.window``) and breaks ties by index, and the
  kept questions' order must not have moved (else ``resize`` gives up: a full computation); or, its windows moved,
  while provably the same (``related_short``).

A kept list whose scores moved keeps its last best when no moved pair may enter it (``related_bounds.may_enter``),
else its best is settled (``related_bounds.settle``).

``tests/test_related_resize.py`` compares seeded random additions and deletions with full computations.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections import Counter
from types import SimpleNamespace
from typing import Any

from . import related_bounds, related_defer, related_short, related_vectors
from .model import Question
from .related import (
    TAG_WEIGHT,
    Found,
    _postings,
    _top_terms,
    best_of,
    keys_of,
    pair_score,
    term_counts,
)
from .related import (
    scored as related_scored,
)
from .related_idf import idf_of, step

logger = logging.getLogger(__name__)


def resize(last: Any, questions: list[Question], defer: bool = False) -> dict[str, Any] | None:
    """The fields of ``related_update._State`` for ``questions``, from ``last`` (that state, for other questions);
    None when the questions kept are not in their last order. ``defer``: a kept list whose best provably stays
    keeps it, its exact scores left to ``related_defer.finish`` (``pending``)."""
    slugs = [q.slug for q in questions]
    before = {slug: o for o, slug in enumerate(last.slugs)}
    kept = [before.get(slug) for slug in slugs]
    olds = [o for o in kept if o is not None]
    new_of: list[int] = [0] * len(last.slugs)  # a kept question's new index, by its last one
    for i, o in enumerate(kept):
        if o is not None:
            new_of[o] = i
    if any(a >= b for a, b in itertools.pairwise(olds)):
        return None
    n = len(questions)
    texts = [(q.title, q.body_text) for q in questions]
    counts, df, touched = _counts(last, questions, texts, kept)
    if step(n) == step(len(last.slugs)):  # only the IDF of terms whose count moved can move (related_idf)
        idf, weights, top, cut, moved = _kept_vectors(last, n, counts, df, touched, kept)
    else:  # every IDF moved: every vector made again (related.vector, with the cut related_vectors keeps)
        idf_by_k = {k: idf_of(n, k) for k in set(df.values())}
        idf = {term: idf_by_k[k] for term, k in df.items()}
        weights, cut = [], {}
        for i, c in enumerate(counts):
            made, cut[i] = related_vectors.vector_and_cut(c, idf, last.tf)
            weights.append(made)
        top = [_top_terms(v) for v in weights]
        moved = [
            None if o is None else related_bounds.moved_by(last.weights[o], w)
            for o, w in zip(kept, weights, strict=True)
        ]
    tags = [tuple(t.name for t in q.tags) for q in questions]
    retagged = {i for i, o in enumerate(kept) if o is None or last.tags[o] != tags[i]}
    keys = [
        keys_of(q, t) if o is None or i in retagged or t is not last.top[o] else last.keys[o]
        for i, (q, t, o) in enumerate(zip(questions, top, kept, strict=True))
    ]
    postings = _postings(keys)
    tag_idf = {key: idf_of(n, len(ids)) for key, ids in postings.items() if key[0] == "#"}
    shortlists, reused = related_short.shortlists(last, keys, postings, kept)
    scored, stale, lists, pending = [], [], [], set()
    bounded = Bounded(last, questions, weights, tag_idf, moved, retagged)
    deltas = {i: by for i, by in enumerate(moved) if by}
    renewed = {i for i, o in enumerate(kept) if o is None or questions[i] is not last.questions[o]}
    verbatim = set()  # lists whose best is the last one over the same question objects: _unpacked keeps them
    for i in range(n):
        if i in reused and i not in retagged:  # the last scores raised to bounds where they moved, the best settled
            pairs, marks, changed = bounded.loosened(i, kept[i], shortlists[i])  # type: ignore[arg-type]
            best = [(new_of[j], t, v) for j, t, v in last.lists[kept[i]]]  # type: ignore[index]
            if not any(related_bounds.may_enter(pairs[at], best, last.limit, slugs) for at in changed):
                verbatim.add(i)  # no moved pair may enter its last best: that best
            elif defer and bounded.deferrable(i, best, pairs, deltas):  # the same best, exact scores later
                pending.add(i)
                verbatim.add(i)
            else:
                exact = functools.partial(bounded.exact, i, shortlists[i])
                best = related_bounds.settle(pairs, marks, exact, slugs, last.limit)
        else:
            pairs, marks = related_scored(i, shortlists[i], questions, weights, tag_idf), set()
            best = best_of(pairs, questions, last.limit)
        scored.append(pairs)
        stale.append(marks)
        lists.append(best)
    if renewed:
        verbatim = {i for i in verbatim if renewed.isdisjoint([j for j, _, _ in lists[i]])}
    logger.debug(
        "related: %d questions, %d kept, %d lists scored whole, %d deferred",
        *(n, len(olds), n - len(reused - retagged), len(pending)),
    )
    return {
        "limit": last.limit,
        "questions": questions,
        "slugs": slugs,
        "texts": texts,
        "counts": counts,
        "df": df,
        "idf": idf,
        "tf": last.tf,
        "weights": weights,
        "top": top,
        "tags": tags,
        "keys": keys,
        "postings": postings,
        "tag_idf": tag_idf,
        "shortlists": shortlists,
        "scored": scored,
        "stale": stale,
        "shortlisted_by": [set() for _ in questions],  # related_update._linked fills these three
        "lists": lists,
        "related": [[] if o is None else last.related[o] for o in kept],  # _linked keeps a list whose items stayed
        "packed": [list(last.packed[o]) if i in verbatim else [] for i, o in enumerate(kept)],  # type: ignore[index]
        "cut": cut,
        "pending": pending,
        "verbatim": verbatim,
    }


def _counts(
    last: Any, questions: list[Question], texts: list[tuple[str, str]], kept: list[int | None]
) -> tuple[list[Counter[str]], Counter[str], set[str]]:
    """Each question's term counts (kept while its text is), the document frequencies (the last ones, less the
    questions gone or edited, plus the new or edited ones), and the terms whose frequency may have moved."""
    df: Counter[str] = Counter(last.df)
    counts: list[Counter[str]] = []
    stays, touched = set(), set()
    for i, o in enumerate(kept):
        if o is not None and last.texts[o] == texts[i]:
            counts.append(last.counts[o])
            stays.add(o)
            continue
        counts.append(term_counts(questions[i]))
        df.update(counts[-1].keys())
        touched.update(counts[-1].keys())
    for o, c in enumerate(last.counts):
        if o not in stays:
            df.subtract(c.keys())
            touched.update(c.keys())
    return counts, Counter({term: k for term, k in df.items() if k > 0}), touched


def _kept_vectors(
    last: Any, n: int, counts: list[Counter[str]], df: Counter[str], touched: set[str], kept: list[int | None]
) -> tuple[dict[str, float], list[dict[str, float]], list[list[str]], dict[int, Any], list[float | None]]:
    """With n's step unchanged: the IDF (the last, but for the touched terms), the vectors, their top terms and cuts
    (kept where the counts are and no term's IDF moved, else ``related_vectors.remake``), and how far each moved
    (None: a new question; 0.0: the same vector)."""
    idf, reweighted = dict(last.idf), set()
    for term in touched:
        if term not in df:
            idf.pop(term, None)
        elif (was := idf.get(term)) != (weight := idf_of(n, df[term])):
            idf[term] = weight
            if was is not None:  # a new term is held by new or edited questions alone, made whole
                reweighted.add(term)
    made = SimpleNamespace(  # the fields related_vectors.remake reads and sets, by new index
        counts=counts,
        idf=idf,
        tf=last.tf,
        weights=[{} if o is None else last.weights[o] for o in kept],
        top=[[] if o is None else last.top[o] for o in kept],
        cut={i: last.cut[o] for i, o in enumerate(kept) if o is not None and o in last.cut},
    )
    moved: list[float | None] = []
    for i, (c, o) in enumerate(zip(counts, kept, strict=True)):
        same_counts = o is not None and c is last.counts[o]
        if same_counts and c.keys().isdisjoint(reweighted):
            moved.append(0.0)
            continue
        by = related_vectors.remake(made, i, reweighted, whole=not same_counts)
        moved.append(None if o is None else by or 0.0)
    logger.debug("related: n's step kept, %d terms reweighted", len(reweighted))
    return idf, made.weights, made.top, made.cut, moved


class Bounded:
    """The last scores of a kept list as upper bounds of the new ones (``related_bounds``): raised by the distance
    each of the pair's vectors moved, plus the exact change of its shared tags' weights, plus SLACK."""

    def __init__(
        self,
        last: Any,
        questions: list[Question],
        weights: list[dict[str, float]],
        tag_idf: dict[str, float],
        moved: list[float | None],
        retagged: set[int],
    ) -> None:
        self.questions, self.weights, self.tag_idf, self.moved, self.retagged = (
            questions,
            weights,
            tag_idf,
            moved,
            retagged,
        )
        self.last = last
        self.shift: dict[tuple[str, ...], float | None] = {(): None}  # None: no shared tag's weight moved

    def loosened(self, i: int, o: int, shortlist: list[int]) -> tuple[Found, set[int], list[int]]:
        """List i's pairs (its last list o, the same shortlist): bounds, or exact scores where j's tags changed, or the
        last scores where neither vector nor a shared tag's weight moved; and where they moved. Its last best is its
        best unless a moved pair may enter it (``related_bounds.may_enter``): every other pair ranked, and ranks,
        after its last."""
        pairs, marks = list(self.last.scored[o]), set(self.last.stale[o])
        moved, shift, retagged = self.moved, self.shift, self.retagged
        own, changed = moved[i], []
        for at, j in enumerate(shortlist):
            if j in retagged:
                pairs[at] = self.exact(i, shortlist, at)
                marks.discard(at)
                changed.append(at)
                continue
            before, shared, score = pairs[at]
            if shared not in shift:
                was, now = self.last.tag_idf, self.tag_idf
                diff = [now[f"#{t}"] - was[f"#{t}"] for t in shared]
                shift[shared] = related_bounds.SLACK + TAG_WEIGHT * sum(diff) if any(diff) else None
            by = own + moved[j]  # type: ignore[operator]
            if not by and shift[shared] is None:  # the same vectors and weights: the same score (or bound)
                if before != j:  # else the same tuple
                    pairs[at] = (j, shared, score)
                continue
            pairs[at] = (j, shared, score + by + (shift[shared] or related_bounds.SLACK))
            marks.add(at)
            changed.append(at)
        return pairs, marks, changed

    def deferrable(self, i: int, best: Found, pairs: Found, deltas: dict[int, float]) -> bool:
        """Whether list i's last ``best`` (new indexes, last scores) provably stays (``related_defer.holds``): none
        of its questions retagged; a shown pair sharing a reweighted tag moves by its vectors and by the tags' exact
        change (its ``shift`` less the SLACK it holds), which lifts its lowest score as its bound."""
        shift, retagged = self.shift, self.retagged
        if any(j in retagged for j, _, _ in best):
            return False
        lifts = {j: by - related_bounds.SLACK for j, shared, _ in best if (by := shift.get(shared)) is not None}
        return related_defer.holds(best, pairs, self.last.limit, deltas.get(i, 0.0), deltas, lifts)

    def exact(self, i: int, shortlist: list[int], at: int) -> related_bounds.Pair:
        j, weights = shortlist[at], self.weights
        return pair_score(self.questions[i], self.questions[j], j, weights[i], weights[j], self.tag_idf)
