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

import itertools
import logging
from collections import Counter
from typing import Any

from . import related_vectors
from .model import Question
from .related import (
    _postings,
    _shortlist,
    _top_terms,
    best_of,
    idf_of,
    keys_of,
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
    shortlists = _shortlists(last, keys, postings, kept)
    scored = [related_scored(i, shortlists[i], questions, weights, tag_idf) for i in range(n)]
    lists = [best_of(candidates, questions, last.limit) for candidates in scored]
    logger.debug("related: %d questions, %d kept", n, len(olds))
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
        "tags": [tuple(t.name for t in q.tags) for q in questions],
        "keys": keys,
        "postings": postings,
        "tag_idf": tag_idf,
        "shortlists": shortlists,
        "scored": scored,
        "stale": [set() for _ in questions],
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
) -> list[list[int]]:
    """Each question's shortlist: the last one (its questions' new indexes) while nothing it reads moved."""
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
    shortlists = []
    for i in range(n):
        if i in again:
            shortlists.append(_shortlist(i, keys[i], postings))
        else:
            shortlists.append([new_of[j] for j in last.shortlists[kept[i]]])  # type: ignore[index]
    return shortlists
