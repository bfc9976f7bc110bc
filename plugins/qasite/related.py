"""Related questions: shared tags plus text similarity, computed once at build time.

Each question is a TF-IDF vector over its title (counted three times) and body.
Candidates come from an inverted index over tags and each question's strongest
terms, so the work grows with overlaps, not with the square of the site.
Scores: cosine similarity of the vectors + 0.25 per shared tag, weighted by
tag rarity. Ties break by slug, so the result is deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Question

WORD = re.compile(r"[a-z][a-z'-]{2,}")
STOPWORDS = frozenset(
    """about after again against also because been before being between both could does doing down during each
    even from further have having here into just more most other over same should some such than that their them
    then there these they this those through under until very what when where which while with would your yours
    youre ive dont cant wont im its it's i'm i've don't can't won't""".split()
)
TOP_TERMS = 12
TAG_WEIGHT = 0.25
MAX_POSTING = 200


@dataclass(frozen=True)
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


def _vectors(questions: Sequence[Question]) -> list[dict[str, float]]:
    counts = [Counter(terms(f"{q.title} {q.title} {q.title} {q.body_text}")) for q in questions]
    df = Counter(term for c in counts for term in c)
    n = len(questions)
    vectors = []
    for c in counts:
        vec = {t: (1 + math.log(k)) * math.log(1 + n / df[t]) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors


def compute_related(questions: Sequence[Question], *, limit: int = 5) -> dict[str, list[Related]]:
    """For every question, up to ``limit`` related questions (never itself), best first."""
    vectors = _vectors(questions)
    top = [set(sorted(v, key=lambda t: (-v[t], t))[:TOP_TERMS]) for v in vectors]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        for key in [f"#{t.name}" for t in q.tags] + sorted(top[i]):
            postings[key].append(i)
    tag_idf = {key: math.log(1 + len(questions) / len(ids)) for key, ids in postings.items() if key[0] == "#"}
    return {q.slug: _best(i, questions, vectors, top, postings, tag_idf, limit) for i, q in enumerate(questions)}


def _best(
    i: int,
    questions: Sequence[Question],
    vectors: list[dict[str, float]],
    top: list[set[str]],
    postings: dict[str, list[int]],
    tag_idf: dict[str, float],
    limit: int,
) -> list[Related]:
    q = questions[i]
    keys = [f"#{t.name}" for t in q.tags] + sorted(top[i])
    candidates = {j for key in keys for j in postings[key] if j != i}
    scored = []
    for j in candidates:
        shared = tuple(t.name for t in q.tags if t in questions[j].tags)
        score = _cosine(vectors[i], vectors[j]) + TAG_WEIGHT * sum(tag_idf[f"#{t}"] for t in shared)
        scored.append(Related(questions[j], shared, round(score, 9)))
    scored.sort(key=lambda r: (-r.score, r.question.slug))
    return scored[:limit]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def similar_pairs(questions: Sequence[Question], *, threshold: float) -> list[tuple[Question, Question, float]]:
    """Pairs (newer, older, similarity) whose wording is at least ``threshold`` alike (cosine, 0 to 1)."""
    vectors = _vectors(questions)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for term in sorted(vec, key=lambda t: (-vec[t], t))[:TOP_TERMS]:
            postings[term].append(i)
    pairs = set()
    for ids in postings.values():
        if len(ids) <= MAX_POSTING:  # a term shared by hundreds of questions says nothing about duplicates
            pairs.update((a, b) for a in ids for b in ids if a < b)
    found = []
    for a, b in sorted(pairs):
        score = _cosine(vectors[a], vectors[b])
        if score >= threshold:
            older, newer = sorted((questions[a], questions[b]), key=lambda q: (q.date, q.slug))
            found.append((newer, older, round(score, 2)))
    return sorted(found, key=lambda f: (f[0].slug, f[1].slug))
