"""content/related_idf.py: the IDF of related questions and the duplicate check in 5% steps, computed exactly
(integer thresholds, not a float logarithm), and what the preview's updates save with it: a text edit within a word's
step makes no other vector again; adding or deleting a question within n's step keeps every vector and score nothing
moved."""

from __future__ import annotations

import dataclasses
import logging
import math
import random
from collections import Counter

import pytest
from test_related_update import _question

from qasite.build.changes import pack_related
from qasite.content import related, related_idf, related_resize, related_update
from qasite.content.related_idf import idf_of, step


def _exact_step(x: int) -> int:
    """The definition, by brute force: the largest e with 1.05**e <= x, as integers (21**e <= x * 20**e)."""
    e = 0
    while 21 ** (e + 1) <= x * 20 ** (e + 1):
        e += 1
    return e


@pytest.mark.parametrize("x", [*range(1, 400), 999, 1000, 1001, 9_999, 10_000, 10_001, 29_999, 100_000, 123_457])
def test_a_step_is_the_largest_power_of_1_05_not_above_the_count(x: int) -> None:
    assert step(x) == _exact_step(x)


def test_every_threshold_is_the_least_integer_at_or_above_its_power() -> None:
    step(1_000_000)
    for e, x in enumerate(list(related_idf._THRESHOLDS)):
        assert 21**e <= x * 20**e, e
        assert (x - 1) * 20**e < 21**e, e
        assert step(x) >= e > step(x - 1), e


def test_the_idf_is_log_one_plus_the_ratio_of_the_stepped_counts() -> None:
    for n, k in [(1, 1), (2, 1), (400, 3), (10_000, 1), (10_000, 2_400), (10_000, 10_000), (123_457, 77)]:
        d = step(n) - step(k)
        assert idf_of(n, k) == math.log(1 + 21**d / 20**d)
        assert abs(idf_of(n, k) - math.log(1 + n / k)) <= math.log(1.0501)  # N/K is within 5% of n/k either way
    assert idf_of(7, 7) == math.log(2)


def test_a_count_moving_within_its_step_keeps_its_weight_and_crossing_one_moves_it() -> None:
    assert step(2_400) == step(2_401) and idf_of(10_000, 2_400) == idf_of(10_000, 2_401)
    assert step(10_000) == step(10_001) and idf_of(10_000, 300) == idf_of(10_001, 300)
    k = next(k for k in range(2_400, 2_600) if step(k) != step(k + 1))
    assert idf_of(10_000, k) > idf_of(10_000, k + 1)
    assert idf_of(10_000, 5) != idf_of(10_000, 6)  # below ~20, every count is its own step


def _common_word_questions(rng: random.Random, count: int, holders: int) -> list:
    """``count`` questions, the first ``holders`` of them holding the word 'commonword' once."""
    questions = [_question(rng, n) for n in range(count)]
    for i in range(holders):
        q = questions[i]
        questions[i] = dataclasses.replace(q, body_text=f"{q.body_text} commonword")
    return questions


def test_a_text_edit_within_a_words_step_makes_no_other_vector_again(caplog: pytest.LogCaptureFixture) -> None:
    holders = next(k for k in range(150, 200) if step(k) == step(k + 1))
    questions = _common_word_questions(random.Random(5), 300, holders)
    related_update.forget()
    try:
        related_update.related(questions, limit=5)
        caplog.set_level(logging.DEBUG, logger="qasite.content.related_vectors")
        q = questions[-1]  # not a holder: the word's count moves by one, within its step
        questions[-1] = dataclasses.replace(q, body_text=f"{q.body_text} commonword")
        vectors, _, packed = related_update.related(list(questions), limit=5)
        assert "related: 0 terms reweighted, 1 vectors made again" in caplog.messages
        full = related.build_vectors(questions)
        assert [list(w.items()) for w in vectors.weights] == [list(w.items()) for w in full.weights]
        assert packed == pack_related(related.compute_related(full, limit=5))
    finally:
        related_update.forget()


def test_adding_a_question_within_ns_step_keeps_the_vectors_and_scores_nothing_moved() -> None:
    rng = random.Random(6)
    questions = [_question(rng, n) for n in range(1_000)]
    assert step(1_000) == step(1_001)
    last = related_update._full(questions, 5, 1)
    new = dataclasses.replace(_question(rng, 5_000), title="unheard words", body_text="wholly unheard of before")
    added = [*questions, new]  # its words are new: no other term's weight moves, so no other vector
    fields = related_resize.resize(last, added)
    assert fields is not None
    assert all(w is last.weights[i] for i, w in enumerate(fields["weights"][:1_000]))
    stale = sum(map(len, fields["stale"]))
    assert stale < 1_000, stale  # of ~20,000 pairs, only those sharing a tag whose weight moved are bounds
    full = related_update._full(added, 5, 1)
    assert [list(w.items()) for w in fields["weights"]] == [list(w.items()) for w in full.weights]
    assert fields["lists"] == full.lists
    assert Counter(fields["df"]) == full.df and fields["idf"] == full.idf and fields["tag_idf"] == full.tag_idf
