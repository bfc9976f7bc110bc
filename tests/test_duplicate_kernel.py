"""content/duplicate_kernel.py: the possible-duplicate pairs over numpy arrays are exactly the pairs and scores the
Python path finds (``duplicate_pairs.python_pair_indexes``), shortlists, ties and long postings included, and at a
threshold equal to a pair's own score (the approximate cosines only pick the pairs scored again exactly)."""

from __future__ import annotations

import datetime as dt
import random

from qasite.content import duplicate_kernel
from qasite.content.duplicate_pairs import (
    NUMPY_FROM,
    _earlier_shortlisted,
    _oriented,
    python_pair_indexes,
    similar_pairs,
)
from qasite.content.model import Category, Person, Question, Tag
from qasite.content.related import MAX_POSTING, SHORTLIST, _postings, build_vectors

PERSON = Person(handle="sam", name="Sam")
CATEGORY = Category(name="Work", slug="work", description="", order=1, url="categories/work/")
TAG = Tag(name="sleep", url="tags/sleep/")
WORDS = (
    "sleep worry exams panic meetings budget rent night heart racing partner family grief anger calm breath doctor "
    "school teacher sister brother money debt loan friend lonely tired morning evening weekend holiday"
).split()


def _corpus(rng: random.Random, count: int, words: list[str]) -> list[Question]:
    """``count`` questions from few words: many alike, some exactly, some with no word at all."""
    found: list[Question] = []
    for n in range(count):
        if found and rng.random() < 0.1:  # a copy of an earlier wording: cosines at (about) 1.0
            other = rng.choice(found)
            title, body = other.title, other.body_text
        elif rng.random() < 0.02:
            title, body = "Hm?", "Ok."  # no term: an empty vector
        else:
            title, body = " ".join(rng.sample(words, 3)), " ".join(rng.choices(words, k=rng.randrange(3, 40)))
        found.append(
            Question(
                slug=f"q-{n:05d}",
                title=title,
                date=dt.datetime(2023, 1 + n % 12, 1 + n % 28, tzinfo=dt.UTC),
                category=CATEGORY,
                tags=[TAG],
                votes=0,
                author=PERSON,
                status="published",
                source_path=f"content/questions/q-{n:05d}/index.md",
                url=f"questions/q-{n:05d}/",
                body_text=body,
            )
        )
    return found


def test_the_shortlists_are_the_pythons() -> None:
    import numpy as np

    rng = random.Random(3)
    for _ in range(40):  # up to 600 questions: postings longer than MAX_POSTING, many counts tied at the cut
        count = rng.randrange(1, 600)
        spread = rng.choice([3, 12, 40, 300])
        keys = [list(dict.fromkeys(rng.randrange(spread) for _ in range(rng.randrange(0, 13)))) for _ in range(count)]
        named = [[f"k{k}" for k in own] for own in keys]
        postings = _postings(named)
        expected = {(i, j) for i, own in enumerate(named) for j in _earlier_shortlisted(i, own, postings)}
        top = np.array([k for own in keys for k in own], dtype=np.int64)
        lengths = np.array([len(own) for own in keys], dtype=np.int64)
        rows, others = duplicate_kernel._shortlisted(top, lengths, count)
        found = list(zip(rows.tolist(), others.tolist(), strict=True))
        assert found == sorted(set(found)), "by i, then j, each once"
        assert set(found) == expected


def test_the_corpora_exercise_long_postings_and_full_shortlists() -> None:
    vectors = build_vectors(_corpus(random.Random(11), 700, WORDS[:12]))
    postings = _postings(vectors.top_terms)
    assert max(map(len, postings.values())) > MAX_POSTING
    assert sum(len(_earlier_shortlisted(i, k, postings)) == SHORTLIST for i, k in enumerate(vectors.top_terms)) > 100


def test_the_pairs_and_scores_are_the_pythons() -> None:
    rng = random.Random(5)
    for count, vocabulary in [(0, 10), (1, 10), (40, 6), (300, 12), (700, 12), (900, len(WORDS))]:
        vectors = build_vectors(_corpus(rng, count, WORDS[:vocabulary]))
        for threshold in (0.5, 0.3, 0.9, 1.0, 1e-12):
            expected = sorted(python_pair_indexes(vectors, threshold=threshold))
            assert duplicate_kernel.pair_indexes(vectors, threshold=threshold) == expected


def test_a_pair_scored_exactly_at_the_threshold_is_found() -> None:
    """Every score the Python path gives, taken as the threshold: the pair (and every pair above) is found, also
    where numpy's sum of the products falls below ``math.fsum``'s by a last bit (this corpus holds such pairs)."""
    vectors = build_vectors(_corpus(random.Random(8), 500, WORDS[:10]))
    lowest = python_pair_indexes(vectors, threshold=0.2)  # a pair above 0.2 is found at any threshold up to its score
    scores = sorted({score for _, _, score in lowest})
    assert len(scores) > 200
    for threshold in [*scores[:: len(scores) // 60], scores[-1]]:
        expected = sorted(pair for pair in lowest if pair[2] >= threshold)
        assert duplicate_kernel.pair_indexes(vectors, threshold=threshold) == expected


def test_a_large_sites_pairs_are_the_pythons() -> None:
    vectors = build_vectors(_corpus(random.Random(2), NUMPY_FROM, WORDS[:14]))
    pairs = similar_pairs(vectors, threshold=0.5)  # from NUMPY_FROM questions on: by duplicate_kernel
    assert len(pairs) > 100
    assert pairs == _oriented(vectors.questions, python_pair_indexes(vectors, threshold=0.5))
