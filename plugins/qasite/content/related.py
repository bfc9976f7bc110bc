"""Related questions: shared tags plus text similarity, computed once at build time.

Each question is a TF-IDF vector over its title (counted three times) and body. Candidates come from an inverted
index over tags and each question's strongest terms (a shortlist of those sharing most keys), so the work per
question stays bounded and grows with the site, not with its square. Scores: cosine similarity of the vectors + 0.25
per shared tag, weighted by tag rarity. Ties break by slug, so the result is deterministic. Terms and tags weigh by
their IDF in 5% steps (``related_idf``). The vectors are built once per site (``Site.vectors``) and shared with
duplicate detection, whose pairs are found over numpy arrays on large sites (``duplicate_kernel``: the same pairs).
The lists are made all at once (``compute_related``), or part by part from one ``prepared`` (``related_shards``).
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from operator import neg
from typing import Any

from ..build import progress
from ..build.parallel import map_forked, process_count
from .model import Question
from .related_idf import idf_of

logger = logging.getLogger(__name__)

WORD = re.compile(r"[a-z][a-z'-]{2,}")
STOPWORDS = frozenset(
    """about after again against also because been before being between both could does doing down during each
    even from further have having here into just more most other over same should some such than that their them
    then there these they this those through under until very what when where which while with would your yours
    youre ive dont cant wont im its it's i'm i've don't can't won't""".split()
)
TOP_TERMS = 12
TAG_WEIGHT = 0.25
MAX_POSTING = 100
SHORTLIST = 20
VECTOR_TERMS = 48
PAIR_CHUNK = 250  # questions a forked worker takes at a time (related lists, duplicate pairs)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Related:
    """A related question and why: the tags it shares (may be empty)."""

    question: Question
    shared_tags: tuple[str, ...]
    score: float

    @property
    def reason(self) -> str:
        """'shares: anxiety, boundaries' or 'similar wording'."""
        return f"shares: {', '.join(self.shared_tags)}" if self.shared_tags else "similar wording"


def terms(text: str) -> list[str]:
    """Lowercase words of three letters or more, without stop words."""
    return [w.strip("'-") for w in WORD.findall(text.lower()) if w not in STOPWORDS]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Vectors:
    """The questions' unit TF-IDF vectors and strongest terms: built once, for related questions and duplicates."""

    questions: Sequence[Question]
    weights: list[dict[str, float]]
    top_terms: list[list[str]]


def build_vectors(questions: Sequence[Question]) -> Vectors:
    """Unit TF-IDF vectors, each cut to its VECTOR_TERMS strongest terms (they carry the similarity)."""
    return weighed(questions)[-1]


Weighed = tuple[list[Counter[str]], Counter[str], dict[str, float], dict[int, float], Vectors]


def weighed(questions: Sequence[Question]) -> Weighed:
    """``build_vectors`` with what it made them from: each question's term counts, each term's document frequency
    and IDF, and the cache of -(1 + log k) by count k (the preview's update keeps them: ``related_update``)."""
    counts = [term_counts(q) for q in questions]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(questions)
    idf_by_k = {k: idf_of(n, k) for k in set(df.values())}  # in 5% steps (related_idf): few distinct values
    idf = {term: idf_by_k[k] for term, k in df.items()}
    tf: dict[int, float] = {}  # -(1 + log k) by count k: the same few counts recur in every question
    vectors = [vector(c, idf, tf) for c in counts]
    return (
        counts,
        df,
        idf,
        tf,
        Vectors(questions=questions, weights=vectors, top_terms=[_top_terms(v) for v in vectors]),
    )


def term_counts(q: Question) -> Counter[str]:
    """How often each term occurs in the question's title (three times) and body."""
    return Counter(terms(f"{q.title} {q.title} {q.title} {q.body_text}"))


def vector(c: Counter[str], idf: dict[str, float], tf: dict[int, float]) -> dict[str, float]:
    """One question's unit vector from its term counts, strongest first (``tf``: a cache of -(1 + log k))."""
    return unit(ranked(c, idf, tf)[:VECTOR_TERMS])


def ranked(c: Counter[str], idf: dict[str, float], tf: dict[int, float]) -> list[tuple[float, str]]:
    """Every (-weight, term) pair of a question, strongest first (``vector`` keeps the first VECTOR_TERMS)."""
    for k in c.values():
        if k not in tf:
            tf[k] = -(1 + math.log(k))
    # the VECTOR_TERMS smallest (weight, term) pairs: sorted() in C beats heapq.nsmallest's Python loop here
    return sorted([(tf[k] * idf[t], t) for t, k in c.items()])


def unit(weights: list[tuple[float, str]]) -> dict[str, float]:
    """The unit vector of a question's kept (-weight, term) pairs, strongest first (the norm summed in that order)."""
    norm = math.sqrt(sum(w * w for w, _ in weights)) or 1.0
    return {t: -w / norm for w, t in weights}


def compute_related(vectors: Vectors, *, limit: int = 5, processes: int = 1) -> dict[str, list[Related]]:
    """For every question, up to ``limit`` related questions (never itself), best first, made in ``processes`` (as
    QA_RENDER_PROCESSES: 0 for one per CPU on large sites; forked workers, from whom only the lists travel back)."""
    questions = vectors.questions
    return {
        questions[i].slug: as_related(best, questions)
        for i, best, _ in relate(vectors, limit=limit, processes=processes).found
    }


Found = list[tuple[int, tuple[str, ...], float]]  # a related list: (index, shared tags, score), best first


@dataclasses.dataclass(frozen=True, kw_only=True)
class Relating:
    """What the related lists were made from: each question's keys (tags as '#name', then its top terms), the
    questions holding each key in index order, each tag's weight; and per question (i, its list, its shortlisted
    questions scored, in shortlist order)."""

    keys: list[list[str]]
    postings: dict[str, list[int]]
    tag_idf: dict[str, float]
    found: list[tuple[int, Found, Found]]


def as_related(best: Found, questions: Sequence[Question]) -> list[Related]:
    """A related list's ``Related`` items from its (index, shared tags, score) triples."""
    return [Related(question=questions[j], shared_tags=tags, score=score) for j, tags, score in best]


def keys_of(q: Question, top: list[str]) -> list[str]:
    """A question's shortlist keys: its tags as '#name', then its strongest terms."""
    return [f"#{t.name}" for t in q.tags] + top


def prepared(vectors: Vectors) -> Relating:
    """What the related lists are made from (``found`` empty): each question's keys, their postings, tags' weights."""
    keys = [keys_of(q, top) for q, top in zip(vectors.questions, vectors.top_terms, strict=True)]
    postings = _postings(keys)
    tag_idf = {key: idf_of(len(keys), len(ids)) for key, ids in postings.items() if key[0] == "#"}
    return Relating(keys=keys, postings=postings, tag_idf=tag_idf, found=[])


def relate(
    vectors: Vectors, *, limit: int, processes: int = 1, only: Sequence[int] | None = None, made: Relating | None = None
) -> Relating:
    """Every question's (``only``: those questions', in that order) related list and shortlist, with what they were
    made from (``made``'s if given: each list is made alone from it, so the same whichever are made together)."""
    global _RELATING  # read by the forked workers (map_forked needs a module-level function)
    made, indexes = made or prepared(vectors), range(len(vectors.questions)) if only is None else only
    _RELATING = (vectors.questions, vectors.weights, made.keys, made.postings, made.tag_idf, limit)
    count = process_count(processes, len(indexes))
    parts = [indexes[s : s + PAIR_CHUNK] for s in range(0, len(indexes), PAIR_CHUNK)]
    try:
        with progress.phase("relating", total=len(indexes), unit="questions") as relating:
            if count <= 1:
                chunks = [_related_from(part, relating.advance) for part in parts]
            else:
                chunks = map_forked(_related_from, parts, processes=count, done=lambda: relating.advance(PAIR_CHUNK))
    finally:
        _RELATING = None
    return dataclasses.replace(made, found=[item for chunk in chunks for item in chunk])


_RELATING: tuple[Any, ...] | None = None  # relate's inputs, read by its forked workers


def _related_from(part: Sequence[int], advance: Callable[[], object] = int) -> list[tuple[int, Found, Found]]:
    """(i, its related list, its shortlist scored) for each question i in ``part``."""
    assert _RELATING is not None
    questions, weights, keys, postings, tag_idf, limit = _RELATING
    found = []
    for i in part:
        candidates = scored(i, _shortlist(i, keys[i], postings), questions, weights, tag_idf)
        found.append((i, best_of(candidates, questions, limit), candidates))
        advance()
    return found


def scored(
    i: int,
    shortlist: list[int],
    questions: Sequence[Question],
    weights: list[dict[str, float]],
    tag_idf: dict[str, float],
) -> Found:
    """Question i's shortlisted questions, each with the tags it shares and its score, in shortlist order."""
    q, a = questions[i], weights[i]
    return [pair_score(q, questions[j], j, a, weights[j], tag_idf) for j in shortlist]


def pair_score(
    q: Question, other: Question, j: int, a: dict[str, float], b: dict[str, float], tag_idf: dict[str, float]
) -> tuple[int, tuple[str, ...], float]:
    """(j, the tags q shares with question j, the score of j for q): the cosine of their vectors plus TAG_WEIGHT per
    shared tag, times its weight (list comprehensions and tuples, no ``Related``: the preview scores pairs anew)."""
    shared = tuple([t.name for t in q.tags if t in other.tags])
    return (j, shared, round(_cosine(a, b) + TAG_WEIGHT * sum([tag_idf[f"#{t}"] for t in shared]), 9))


def best_of(candidates: Found, questions: Sequence[Question], limit: int) -> Found:
    """The ``limit`` best scored candidates, best first, ties by slug."""
    return sorted(candidates, key=lambda c: (-c[2], questions[c[0]].slug))[:limit]


def _top_terms(vector: dict[str, float]) -> list[str]:
    """The strongest terms, ties by spelling (built-in sorting on tuples: no Python key function). ``build_vectors``
    makes each vector strongest first: while its items are also in (strongest, spelling) order up to the first weaker
    than the TOP_TERMS-th, its first TOP_TERMS terms are the answer, in that order; when not (two weights equal after
    the division by the norm, their spellings the other way round), all are ranked."""
    top: list[str] = []
    before_term, before = "", math.inf
    for term, value in vector.items():
        if value > before or (value == before and term < before_term):
            return [
                t for _, t in heapq.nsmallest(TOP_TERMS, zip(map(neg, vector.values()), vector.keys(), strict=True))
            ]
        if len(top) == TOP_TERMS and value < before:
            break
        if len(top) < TOP_TERMS:
            top.append(term)
        before_term, before = term, value
    return top


def _postings(keys: list[list[str]]) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for i, own in enumerate(keys):
        for key in own:
            postings[key].append(i)
    return postings


def _shortlist(i: int, keys: list[str], postings: dict[str, list[int]], size: int = SHORTLIST) -> list[int]:
    """The ``size`` questions sharing most keys with question ``i``. A key shared by very many questions contributes
    only the neighbours of ``i`` in its list, so the work per question stays bounded on large sites."""
    counts: Counter[int] = Counter()
    for key in keys:
        counts.update(window(postings[key], i))
    counts.pop(i, None)
    # heapq.nsmallest(size, (-count, j)) without its Python loop: every j counted more than the size-th
    # largest count, then the lowest j of those counted exactly that (the same list, about twice as fast)
    chosen: list[int] = list(counts)
    if len(counts) > size:
        cut = sorted(counts.values(), reverse=True)[size - 1]
        chosen = [j for j, n in counts.items() if n > cut]
        chosen += sorted([j for j, n in counts.items() if n == cut])[: size - len(chosen)]
    return [j for _, j in sorted([(-counts[j], j) for j in chosen])]


def window(ids: list[int], i: int) -> list[int]:
    """What question i's shortlist reads of a key's questions: all, or its MAX_POSTING neighbours in a long list."""
    if len(ids) <= MAX_POSTING:
        return ids
    low, high = span(ids, i)
    return ids[low:high]


def span(ids: list[int], i: int) -> tuple[int, int]:
    """Where ``window(ids, i)`` lies in ``ids``: ``ids[low:high]``."""
    if len(ids) <= MAX_POSTING:
        return 0, len(ids)
    middle = bisect.bisect_left(ids, i)
    return max(0, middle - MAX_POSTING // 2), min(len(ids), middle + MAX_POSTING // 2)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit vectors over their shared terms (the set intersection runs in C). ``math.fsum``: the
    set's order follows the strings' hashes, which differ from process to process; the exact sum does not depend on
    the order, so every process gives the same score (a plain sum could differ in its last bit, and a rounded score
    or a tie with it)."""
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])
