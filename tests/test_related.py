"""content/related.py on a tiny corpus: related questions, possible duplicates, one shared vector set."""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import os
import random
import subprocess
import sys
from collections import Counter
from operator import neg
from pathlib import Path

from qasite.build.changes import pack_related, unpack_related
from qasite.content.duplicate_pairs import _earlier_shortlisted, similar_pairs
from qasite.content.lint import possible_duplicates
from qasite.content.model import Category, Person, Question, Tag
from qasite.content.related import (
    TOP_TERMS,
    _postings,
    _shortlist,
    _top_terms,
    build_vectors,
    compute_related,
    terms,
)
from qasite.content.site import Site

PERSON = Person(handle="sam", name="Sam")
CATEGORY = Category(name="Work", slug="work", description="", order=1, url="categories/work/")
TAGS = {name: Tag(name=name, url=f"tags/{name}/") for name in ("sleep", "anxiety", "work", "money")}


def _question(slug: str, title: str, body: str, tags: list[str], day: int) -> Question:
    return Question(
        slug=slug,
        title=title,
        date=dt.datetime(2023, 7, day, tzinfo=dt.UTC),
        category=CATEGORY,
        tags=[TAGS[t] for t in tags],
        votes=0,
        author=PERSON,
        status="published",
        source_path=f"content/questions/{slug}/index.md",
        url=f"questions/{slug}/",
        body_text=body,
    )


CORPUS = [
    _question("cannot-sleep", "I cannot sleep before exams", "Worry keeps me awake every night.", ["sleep"], 1),
    _question("awake-at-night", "Awake at night before exams", "I cannot sleep, worry keeps me awake.", ["sleep"], 5),
    _question("panic-at-work", "Panic at work meetings", "My heart races in meetings.", ["anxiety", "work"], 2),
    _question("meetings-scare-me", "Meetings scare me", "Presenting gives me panic.", ["anxiety"], 3),
    _question("budget-tips", "Budget tips for students", "Rent and groceries cost too much.", ["money"], 4),
]


def test_terms_drop_short_and_stop_words() -> None:
    assert terms("I can't sleep, and THAT worries me at night") == ["sleep", "and", "worries", "night"]


def test_related_never_itself_best_first_with_the_reason() -> None:
    related = compute_related(build_vectors(CORPUS), limit=2)
    assert set(related) == {q.slug for q in CORPUS}
    for slug, found in related.items():
        assert slug not in [r.question.slug for r in found] and len(found) <= 2
        assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    best = related["cannot-sleep"][0]
    assert best.question.slug == "awake-at-night"
    assert best.shared_tags == ("sleep",) and best.reason == "shares: sleep"
    assert related["meetings-scare-me"][0].question.slug == "panic-at-work"
    assert [r.question.slug for r in related["budget-tips"]] == []  # nothing shares a tag or a strong word


def test_related_ties_break_by_slug() -> None:
    twins = [_question(slug, "Same words here", "Identical body text.", ["money"], 1) for slug in ("c", "a", "b")]
    related = compute_related(build_vectors(twins), limit=5)
    assert [r.question.slug for r in related["c"]] == ["a", "b"]
    assert related["a"][0].reason == "shares: money"


def test_similar_pairs_name_the_newer_question_first() -> None:
    vectors = build_vectors(CORPUS)
    pairs = similar_pairs(vectors, threshold=0.5)
    assert [(newer.slug, older.slug, score) for newer, older, score in pairs] == [
        ("awake-at-night", "cannot-sleep", 0.8)
    ]
    lower = similar_pairs(vectors, threshold=0.3)
    assert [(newer.slug, older.slug) for newer, older, _ in lower] == [
        ("awake-at-night", "cannot-sleep"),
        ("meetings-scare-me", "panic-at-work"),
    ]
    assert similar_pairs(vectors, threshold=1.01) == []


def test_related_and_duplicates_share_the_sites_vectors() -> None:
    site = Site(questions=list(CORPUS))
    warnings = possible_duplicates(site, threshold=0.5)
    compute_related(site.vectors, limit=5)
    assert site.stats.vector_sets == 1
    assert [(w.path, w.message) for w in warnings] == [
        (
            "content/questions/awake-at-night/index.md",
            "possible duplicate of content/questions/cannot-sleep/index.md (similarity 0.80)",
        )
    ]
    assert not warnings[0].is_error


def test_the_shortlist_is_heapq_nsmallest_of_the_shared_key_counts() -> None:
    rng = random.Random(11)
    for _ in range(200):  # at most 100 questions: no posting list is cut to the neighbours of i
        keys = [[f"k{rng.randrange(12)}" for _ in range(rng.randrange(1, 8))] for _ in range(rng.randrange(2, 100))]
        postings = _postings(keys)
        for i, own in enumerate(keys):
            counts: Counter[int] = Counter(j for key in own for j in postings[key])
            counts.pop(i, None)
            size = rng.choice([1, 3, 20])
            ranked = zip(map(neg, counts.values()), counts.keys(), strict=True)
            expected = [j for _, j in heapq.nsmallest(size, ranked)]
            assert _shortlist(i, own, postings, size) == expected


def test_pairs_found_in_two_processes_are_the_pairs_found_in_one() -> None:
    rng = random.Random(7)
    words = "sleep worry exams panic meetings budget rent night heart racing partner family grief anger".split()
    corpus = [
        _question(f"q-{n}", " ".join(rng.sample(words, 3)), " ".join(rng.choices(words, k=12)), ["sleep"], 1 + n % 28)
        for n in range(450)
    ]
    vectors = build_vectors(corpus)
    serial = similar_pairs(vectors, threshold=0.6)
    assert len(serial) > 100
    assert similar_pairs(vectors, threshold=0.6, processes=2) == serial


def test_the_earlier_shortlisted_are_the_shortlists_earlier_questions() -> None:
    rng = random.Random(13)
    for _ in range(60):  # up to 400 questions: posting lists longer than MAX_POSTING are cut around i
        count = rng.randrange(2, 400)
        keys = [
            [f"k{rng.randrange(rng.choice([3, 12, 40]))}" for _ in range(rng.randrange(1, 13))] for _ in range(count)
        ]
        postings = _postings(keys)
        for i, own in enumerate(keys):
            size = rng.choice([1, 3, 20])
            expected = sorted(j for j in _shortlist(i, own, postings, size) if j < i)
            assert sorted(_earlier_shortlisted(i, own, postings, size)) == expected


def test_the_top_terms_are_heapq_nsmallest_of_the_weights() -> None:
    rng = random.Random(5)
    for _ in range(300):
        weights = sorted((rng.choice([0.5, 0.25, rng.random()]), f"t{n}") for n in range(rng.randrange(0, 30)))
        # strongest first as build_vectors makes them; equal weights in spelling order, or now and then not
        ties = rng.choice([lambda w: w[1], lambda w: rng.random()])
        vector = {term: weight for weight, term in sorted(weights, key=lambda w: (-w[0], ties(w)))}
        expected = [
            t for _, t in heapq.nsmallest(TOP_TERMS, zip(map(neg, vector.values()), vector.keys(), strict=True))
        ]
        assert _top_terms(vector) == expected


def test_pairs_at_or_below_zero_threshold_keep_the_later_shortlisted_at_zero() -> None:
    pairs = similar_pairs(build_vectors(CORPUS), threshold=0.0)
    assert any(score == 0.0 for _, _, score in pairs)  # as before: a later question on the shortlist, at 0.0


def random_corpus(seed: int, count: int) -> list[Question]:
    """``count`` questions ``q-0`` … of random words and two tags each (the same for the same seed)."""
    rng = random.Random(seed)
    words = "sleep worry exams panic meetings budget rent night heart racing partner family grief anger".split()
    return [
        _question(
            f"q-{n}", " ".join(rng.sample(words, 3)), " ".join(rng.choices(words, k=12)), rng.sample(list(TAGS), 2), 1
        )
        for n in range(count)
    ]


def test_related_found_in_two_processes_are_the_related_found_in_one() -> None:
    corpus = random_corpus(5, 450)
    vectors = build_vectors(corpus)
    serial = compute_related(vectors, limit=5)
    forked = compute_related(vectors, limit=5, processes=2)
    assert sum(len(found) for found in serial.values()) > 2000
    assert list(forked) == list(serial)
    assert {slug: [(r.question, r.shared_tags, r.score) for r in found] for slug, found in forked.items()} == {
        slug: [(r.question, r.shared_tags, r.score) for r in found] for slug, found in serial.items()
    }
    assert all(r.question is corpus[int(r.question.slug[2:])] for found in forked.values() for r in found)


def test_unpacked_related_lists_point_at_this_loads_questions() -> None:
    site = Site(questions=list(CORPUS))
    packed = pack_related(compute_related(site.vectors, limit=3))
    changed = dataclasses.replace(CORPUS[0], title="I cannot sleep before my exams")  # reloaded: a new object
    site = Site(questions=[changed, *CORPUS[1:]])
    third = unpack_related(packed, site)
    for slug, items in third.items():
        assert [(r.question.slug, r.shared_tags, r.score) for r in items] == packed[slug]
        assert all(r.question is next(q for q in site.questions if q.slug == r.question.slug) for r in items)
    assert any(any(r.question is changed for r in items) for items in third.values())


SCORES_IN_A_PROCESS = """
import math, random, sys
from qasite.content.related import _cosine
rng = random.Random(5)
words = [f"w{i}" for i in range(3000)]
vectors = []
for _ in range(120):
    weights = {word: rng.random() for word in rng.sample(words, 60)}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    vectors.append({word: w / norm for word, w in weights.items()})
print(repr([_cosine(a, b) for a in vectors for b in vectors]))
"""


def test_scores_do_not_depend_on_the_processes_string_hashes() -> None:
    """A set of terms iterates in the order of its strings' hashes, which differ from process to process: the
    cosine's sum must not (a last-bit difference can move a rounded score, and a tie with it)."""
    plugins = Path(__file__).resolve().parent.parent / "plugins"
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(plugins)}
        run = subprocess.run([sys.executable, "-c", SCORES_IN_A_PROCESS], env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1
