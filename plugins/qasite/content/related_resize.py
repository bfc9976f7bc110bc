"""The live preview's related questions after questions are added or deleted: a full computation's vectors and
lists, made again from what the last computation kept where it cannot have changed.

With n moved every IDF moves, so every vector and every score is made again (``related.vector``,
``related.scored``, over the same counts and IDF values: the same floats). What is kept, by slug:

- a question's term counts, while its title and body text are the ones they were made from;
- a question's shortlist, while its keys are the same and the questions holding each of its keys are the same
  slugs in the same order: a shortlist reads only those (``related.window``) and breaks ties by index, and the
  kept questions' order must not have moved (else ``resize`` gives up: a full computation).

``tests/test_related_resize.py`` compares seeded random additions and deletions with full computations.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections import Counter
from typing import Any

from . import related_bounds, related_vectors
from .model import Question
from .related import (
    TAG_WEIGHT,
    Found,
    _postings,
    _shortlist,
    _top_terms,
    best_of,
    idf_of,
    keys_of,
    pair_score,
    term_counts,
    window,
)
from .related import (
    scored as related_scored,
)

logger = logging.getLogger(__name__)


def resize(last: Any, questions: list[Question]) -> dict[str, Any] | None:
    """The fields of ``related_update._State`` for ``questions``, from ``last`` (that state, for other questions);
    None when the questions kept are not in their last order."""
    slugs = [q.slug for q in questions]
    before = {slug: o for o, slug in enumerate(last.slugs)}
    kept = [before.get(slug) for slug in slugs]
    olds = [o for o in kept if o is not None]
    if any(a >= b for a, b in itertools.pairwise(olds)):
        return None
    n = len(questions)
    texts = [(q.title, q.body_text) for q in questions]
    counts, df = _counts(last, questions, texts, kept)
    idf_by_k = {k: idf_of(n, k) for k in set(df.values())}
    idf = {term: idf_by_k[k] for term, k in df.items()}
    tf = last.tf
    weights, cut = [], {}
    for i, c in enumerate(counts):  # related.vector, with the cut related_vectors keeps
        made, cut[i] = related_vectors.vector_and_cut(c, idf, tf)
        weights.append(made)
    top = [_top_terms(v) for v in weights]
    keys = [keys_of(q, t) for q, t in zip(questions, top, strict=True)]
    postings = _postings(keys)
    tag_idf = {key: idf_of(n, len(ids)) for key, ids in postings.items() if key[0] == "#"}
    shortlists, reused = _shortlists(last, keys, postings, kept)
    tags = [tuple(t.name for t in q.tags) for q in questions]
    moved = [
        None if o is None else related_bounds.moved_by(last.weights[o], w) for o, w in zip(kept, weights, strict=True)
    ]
    retagged = {i for i, o in enumerate(kept) if o is None or last.tags[o] != tags[i]}
    scored, stale, lists = [], [], []
    bounded = Bounded(last, questions, weights, tag_idf, moved, retagged)
    for i in range(n):
        if i in reused and i not in retagged:  # the last scores raised to bounds, the best settled
            pairs, marks = bounded.loosened(i, kept[i], shortlists[i])  # type: ignore[arg-type]
            exact = functools.partial(bounded.exact, i, shortlists[i])
            best = related_bounds.settle(pairs, marks, exact, slugs, last.limit)
        else:
            pairs, marks = related_scored(i, shortlists[i], questions, weights, tag_idf), set()
            best = best_of(pairs, questions, last.limit)
        scored.append(pairs)
        stale.append(marks)
        lists.append(best)
    logger.debug("related: %d questions, %d kept, %d lists scored whole", n, len(olds), n - len(reused - retagged))
    return {
        "limit": last.limit,
        "questions": questions,
        "slugs": slugs,
        "texts": texts,
        "counts": counts,
        "df": df,
        "idf": idf,
        "tf": tf,
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
        "related": [[] for _ in questions],
        "packed": [[] for _ in questions],
        "cut": cut,
    }


def _counts(
    last: Any, questions: list[Question], texts: list[tuple[str, str]], kept: list[int | None]
) -> tuple[list[Counter[str]], Counter[str]]:
    """Each question's term counts (kept while its text is) and the document frequencies (the last ones, less the
    questions gone or edited, plus the new or edited ones)."""
    df: Counter[str] = Counter(last.df)
    counts: list[Counter[str]] = []
    stays = set()
    for i, o in enumerate(kept):
        if o is not None and last.texts[o] == texts[i]:
            counts.append(last.counts[o])
            stays.add(o)
            continue
        counts.append(term_counts(questions[i]))
        df.update(counts[-1].keys())
    for o, c in enumerate(last.counts):
        if o not in stays:
            df.subtract(c.keys())
    return counts, Counter({term: k for term, k in df.items() if k > 0})


def _shortlists(
    last: Any, keys: list[list[str]], postings: dict[str, list[int]], kept: list[int | None]
) -> tuple[list[list[int]], set[int]]:
    """Each question's shortlist: the last one (its questions' new indexes) while nothing it reads moved; and the
    questions whose shortlist is their last one (kept, or made again the same)."""
    n = len(keys)
    new_of = {o: i for i, o in enumerate(kept) if o is not None}
    # the last postings' questions where they now stand (a deleted question: between its neighbours, as i - 0.5)
    place: list[float] = []
    at = 0
    for o in range(len(last.slugs)):
        while at < n and (kept[at] is None or kept[at] < o):  # type: ignore[operator]
            at += 1
        place.append(new_of[o] if o in new_of else at - 0.5)
    again = {i for i in range(n) if kept[i] is None or last.keys[kept[i]] != keys[i]}  # type: ignore[index]
    for key in set(postings) | set(last.postings):
        after = postings.get(key, [])
        old = [place[o] for o in last.postings.get(key, [])]
        if old == after:
            continue
        again.update(i for i in after if window(old, i) != window(after, i))
    shortlists, reused = [], set()
    for i in range(n):
        if i in again:
            shortlists.append(_shortlist(i, keys[i], postings))
            o = kept[i]
            mapped = None if o is None else [new_of.get(j) for j in last.shortlists[o]]
            if shortlists[-1] == mapped:  # made again the same: the last scores still stand for it
                reused.add(i)
        else:
            shortlists.append([new_of[j] for j in last.shortlists[kept[i]]])  # type: ignore[index]
            reused.add(i)
    return shortlists, reused


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
        self.shift: dict[tuple[str, ...], float] = {(): related_bounds.SLACK}

    def loosened(self, i: int, o: int, shortlist: list[int]) -> tuple[Found, set[int]]:
        """List i's pairs (its last list o, the same shortlist): bounds, or exact scores where j's tags changed."""
        pairs, marks = list(self.last.scored[o]), set(self.last.stale[o])
        moved, shift, retagged = self.moved, self.shift, self.retagged
        own = moved[i]
        for at, j in enumerate(shortlist):
            if j in retagged:
                pairs[at] = self.exact(i, shortlist, at)
                marks.discard(at)
                continue
            _, shared, score = pairs[at]
            if shared not in shift:
                shift[shared] = related_bounds.SLACK + TAG_WEIGHT * sum(
                    [self.tag_idf[f"#{t}"] - self.last.tag_idf[f"#{t}"] for t in shared]
                )
            pairs[at] = (j, shared, score + own + moved[j] + shift[shared])  # type: ignore[operator]
            marks.add(at)
        return pairs, marks

    def exact(self, i: int, shortlist: list[int], at: int) -> related_bounds.Pair:
        j, weights = shortlist[at], self.weights
        return pair_score(self.questions[i], self.questions[j], j, weights[i], weights[j], self.tag_idf)
