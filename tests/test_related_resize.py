"""content/related_resize.py: after questions are added or deleted (with other edits at the same time), every part
of the preview's related state (counts, document frequencies, IDF, vectors, keys, postings, shortlists, scores,
lists) equals a full computation's, bit for bit, over seeded random runs; and the state then goes on updating
(content/related_update.py) as a full one would."""

from __future__ import annotations

import dataclasses
import logging
import random
import re
from collections import Counter

import pytest
from test_related_update import TAGS, _assert_exact, _full, _question, _words

from qasite.build.changes import pack_related
from qasite.content import related_idf, related_resize, related_update
from qasite.content.model import Question

FIELDS = [f.name for f in dataclasses.fields(related_update._State)]


def _resized(rng: random.Random, questions: list[Question], made: int) -> list[Question]:
    """Some questions added (anywhere in the order), some deleted, maybe one edited: a new list."""
    out = list(questions)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        del out[rng.randrange(len(out))]
    for k in range(rng.choice([0, 1, 1, 2])):
        out.append(_question(rng, made * 10 + k))
    if rng.random() < 0.3:
        i = rng.randrange(len(out))
        out[i] = dataclasses.replace(out[i], body_text=f"{out[i].body_text} {_words(rng, 8)}")
    if rng.random() < 0.2:
        i = rng.randrange(len(out))
        out[i] = dataclasses.replace(out[i], tags=[TAGS["rare"], TAGS["sleep"]])
    if len(out) == len(questions):
        del out[rng.randrange(len(out))]
    out.sort(key=lambda q: q.slug)
    return out


def _state(questions: list[Question]) -> dict[str, object]:
    state = related_update._full(questions, 5, 1)
    return {name: getattr(state, name) for name in FIELDS}


@pytest.mark.parametrize("seed", [3, 4])
def test_the_state_after_additions_and_deletions_is_a_full_computations(seed: int) -> None:
    rng = random.Random(seed)
    questions = [_question(rng, n) for n in range(100)]  # n's steps (related_idf) 5 wide: crossed in ~1 step of 3
    last = related_update._full(questions, 5, 1)
    ways = Counter()  # whether n's step (related_idf) stayed: both ways are taken (long postings: below)
    for step in range(25):
        questions = _resized(rng, questions, 100 + step)
        ways[related_idf.step(len(questions)) == related_idf.step(len(last.slugs))] += 1
        resized = related_resize.resize(last, questions)
        assert resized is not None
        fields = vars(related_update._linked(related_update._State(**resized)))  # as related_update.related does
        expected = _state(questions)
        for name in FIELDS:
            got, want = fields[name], expected[name]
            if name == "weights":  # the same floats in the same order
                got, want = [list(w.items()) for w in got], [list(w.items()) for w in want]  # type: ignore[attr-defined]
            if name == "related":
                got = [[(r.question, r.shared_tags, r.score) for r in items] for items in got]  # type: ignore[attr-defined]
                want = [[(r.question, r.shared_tags, r.score) for r in items] for items in want]  # type: ignore[attr-defined]
            if name == "tf":  # a cache of -(1 + log k) by count k: the kept one may hold more counts
                assert want.items() <= got.items()  # type: ignore[attr-defined]
                continue
            if name == "stale":  # checked with the scores
                continue
            if name == "scored":  # exact, or an upper bound where stale (related_bounds)
                _assert_scores_or_bounds(got, want, fields["stale"], step)  # type: ignore[arg-type]
                continue
            assert got == want, (step, name)
        last = related_update._State(**fields)
    assert ways[True] >= 5 and ways[False] >= 5, ways


def _assert_scores_or_bounds(got: list[list], want: list[list], stale: list[set[int]], step: int) -> None:
    assert len(got) == len(want), step
    for i, (pairs, exact) in enumerate(zip(got, want, strict=True)):
        assert [p[:2] for p in pairs] == [p[:2] for p in exact], (step, i)
        for at, (pair, right) in enumerate(zip(pairs, exact, strict=True)):
            assert pair[2] == right[2] if at not in stale[i] else pair[2] >= right[2], (step, i, at)


def test_the_preview_adds_and_deletes_then_edits_as_a_full_computation_would() -> None:
    rng = random.Random(9)
    questions = [_question(rng, n) for n in range(300)]
    related_update.forget()
    try:
        related_update.related(questions, limit=5)
        for step in range(12):
            if step % 3 == 2:  # a text edit after a resize: related_update's own update from the resized state
                i = rng.randrange(len(questions))
                questions[i] = dataclasses.replace(questions[i], body_text=_words(rng, 60))
            else:
                questions = _resized(rng, questions, 200 + step)
            vectors, _, packed = related_update.related(list(questions), limit=5)
            weights, top, expected = _full(questions)
            assert [list(w.items()) for w in vectors.weights] == weights
            assert vectors.top_terms == top
            assert packed == pack_related(expected)
    finally:
        related_update.forget()


@pytest.mark.parametrize("seed", [5, 6])
def test_deferred_lists_after_a_resize_show_a_full_computations_order_and_its_scores_after_finish(seed: int) -> None:
    """related(defer=True) after questions are added or deleted: every list holds the full computation's questions
    in its order with its shared tags (what the pages show) while some kept lists' scores wait (related_defer);
    after finish() every float is the full computation's, and the next resize starts from them."""
    rng = random.Random(seed)
    questions = [_question(rng, n) for n in range(400)]
    sites = []
    for step in range(20):
        questions = _resized(rng, questions, 300 + step)
        sites.append(questions)
    assert _deferred_as_full(sites[0], sites) > 50  # the test can fail: kept lists were deferred


def test_a_shared_tags_weight_moved_by_a_resize_is_not_deferred() -> None:
    """Questions added with a common tag and words of their own: no kept vector moves, but the tag's weight drops, so
    a shown pair sharing it may fall below others (a list that must be settled, not deferred: finish would find
    another order, or the page another list)."""
    rng = random.Random(8)
    questions = [_question(rng, n) for n in range(400)]
    sites = []
    for step in range(40):
        added = dataclasses.replace(_question(rng, 900 + step), title=f"zq{step}x", body_text=f"zr{step}x zs{step}x")
        questions = sorted([*questions, dataclasses.replace(added, tags=[TAGS["sleep"]])], key=lambda q: q.slug)
        sites.append(questions)
    _deferred_as_full(sites[0], sites)


def test_a_question_retagged_with_a_resize_is_not_deferred_in_other_lists() -> None:
    """A question deleted and another retagged at once, with deferral: every list shows the full computation's
    questions and shared tags, its scores after finish (a list showing a retagged question is never deferred with
    its last shared tags)."""
    rng = random.Random(10)
    questions = [_question(rng, n) for n in range(400)]
    sites = []
    for _ in range(30):
        questions = list(questions)
        del questions[rng.randrange(len(questions))]
        i = rng.randrange(len(questions))
        questions[i] = dataclasses.replace(questions[i], tags=[TAGS[rng.choice(["money", "grief", "work"])]])
        sites.append(questions)
    _deferred_as_full(sites[0], sites)


def _deferred_as_full(first: list[Question], sites: list[list[Question]]) -> int:
    """The preview's lists (related(defer=True)) for each site in turn, checked against full computations: the
    questions and shared tags at once, the scores after finish(). How many lists were deferred."""
    related_update.forget()
    deferred = 0
    try:
        related_update.related(first, limit=5, defer=True)
        for step, questions in enumerate(sites):
            _, related, packed = related_update.related(list(questions), limit=5, defer=True)
            expected = _full(questions)[2]
            shown = {s: [(r.question, r.shared_tags) for r in items] for s, items in related.items()}
            assert shown == {s: [(r.question, r.shared_tags) for r in items] for s, items in expected.items()}, step
            assert related_update._LAST is not None
            deferred += len(related_update._LAST.pending)
            related_update.finish()
            _assert_exact(packed, related, expected, step)  # the packed lists handed out, now exact
    finally:
        related_update.forget()
    return deferred


def test_shortlists_whose_windows_moved_are_a_full_computations_proved_or_made_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """related_short: a question added or deleted in a long posting moves ~100 windows a key; most of those shortlists
    are proved the same without being made again, and every one equals a full computation's, as every list does."""
    rng = random.Random(21)
    questions = [_question(rng, n) for n in range(700)]
    last = related_update._full(questions, 5, 1)
    proved = made = 0
    for step in range(10):
        questions = _resized(rng, questions, 300 + step)
        with caplog.at_level(logging.DEBUG, logger="qasite.content.related_short"):
            caplog.clear()
            resized = related_resize.resize(last, questions)
        assert resized is not None
        counts = re.search(r"(\d+) shortlists made again, (\d+) proved the same", caplog.text)
        assert counts is not None
        made, proved = made + int(counts[1]), proved + int(counts[2])
        state = related_update._linked(related_update._State(**resized))
        full = related_update._full(questions, 5, 1)
        assert state.shortlists == full.shortlists, step
        assert state.lists == full.lists and state.packed == full.packed, step
        _assert_scores_or_bounds(state.scored, full.scored, state.stale, step)
        last = state
    assert proved >= 200 and made >= 20, (proved, made)  # both ways taken, the proof most often


def test_a_list_whose_items_stayed_keeps_its_object_through_a_resize() -> None:
    """The graph compares a question's related list by identity first (graph_units._signed): a list a resize left
    with the same questions, tags and scores is the last state's very object, and every other list a new one."""
    rng = random.Random(8)
    questions = [_question(rng, n) for n in range(400)]
    last = related_update._full(questions, 5, 1)
    kept = same = 0
    for step in range(6):
        questions = [q for q in questions if q is not questions[rng.randrange(len(questions))]]
        resized = related_resize.resize(last, questions)
        assert resized is not None
        state = related_update._linked(related_update._State(**resized))
        before = dict(zip(last.slugs, last.related, strict=True))
        for slug, items in zip(state.slugs, state.related, strict=True):
            stayed = [(r.question, r.shared_tags, r.score) for r in items] == [
                (r.question, r.shared_tags, r.score) for r in before[slug]
            ]
            assert (items is before[slug]) == stayed, (step, slug)
            kept, same = kept + (items is before[slug]), same + stayed
        last = state
    assert kept == same and kept > 1000, kept


def test_questions_kept_in_another_order_are_computed_again() -> None:
    rng = random.Random(2)
    questions = [_question(rng, n) for n in range(50)]
    last = related_update._full(questions, 5, 1)
    moved = [questions[1], questions[0], *questions[3:]]
    assert related_resize.resize(last, moved) is None


def test_who_shortlists_whom_after_a_resize_is_made_after_the_page_as_a_full_computations() -> None:
    """related_unpack: after questions are added or deleted, the preview's state leaves who shortlists whom (read only
    by the next update) to finish(), which the preview calls once the page is written; it then equals a full
    computation's, and the next edit's update reads it."""
    rng = random.Random(12)
    questions = [_question(rng, n) for n in range(300)]
    related_update.forget()
    try:
        related_update.related(questions, limit=5)
        for step in range(4):
            questions = _resized(rng, questions, 400 + step)
            related_update.related(list(questions), limit=5, defer=True)
            state = related_update._LAST
            assert state is not None and state.unlinked and not any(state.shortlisted_by), step
            related_update.finish()
            assert not state.unlinked, step
            assert state.shortlisted_by == related_update._full(questions, 5, 1).shortlisted_by, step
    finally:
        related_update.forget()


def test_the_lists_a_resize_keeps_verbatim_are_what_unpacking_them_gives() -> None:
    """related_update.resized unpacks again only the lists whose best is not the last one over the same question
    objects (``verbatim``): every list's ``Related`` objects hold this load's questions with the list's tags and
    scores, every packed list is the list's and a new object (a deferred list's exact scores are written into it),
    and a list whose items stayed keeps its ``Related`` list. Question objects are replaced on the way (a text edited,
    or the same text reloaded)."""
    rng = random.Random(13)
    questions = [_question(rng, n) for n in range(400)]
    related_update.forget()
    try:
        related_update.related(questions, limit=5)
        verbatim = 0
        for step in range(12):
            last = related_update._LAST
            assert last is not None
            questions = _resized(rng, questions, 600 + step)
            for k in rng.sample(range(len(questions)), 20):  # reloaded, the same text (e.g. an answer edited)
                questions[k] = dataclasses.replace(questions[k])
            fields = related_resize.resize(last, questions, defer=True)
            assert fields is not None
            verbatim += len(fields["verbatim"])
            related_update._LAST = last  # resize read it only: the preview's path from the same state
            related_update.related(list(questions), limit=5, defer=True)
            state = related_update._LAST
            assert state is not None and not state.verbatim
            packed_before = dict(zip(last.slugs, last.packed, strict=True))
            related_before = dict(zip(last.slugs, last.related, strict=True))
            for i, items in enumerate(state.related):
                best = state.lists[i]
                assert len(items) == len(best) and all(
                    r.question is questions[j] and r.shared_tags == t and r.score == s
                    for r, (j, t, s) in zip(items, best, strict=True)
                ), (step, i)
                assert state.packed[i] == [(state.slugs[j], t, s) for j, t, s in best], (step, i)
                assert state.packed[i] is not packed_before.get(state.slugs[i]), (step, i)
                if (was := related_before.get(state.slugs[i])) is not None:
                    stayed = [(r.question, r.shared_tags, r.score) for r in was] == [
                        (r.question, r.shared_tags, r.score) for r in items
                    ]
                    assert (items is was) == stayed, (step, i)
            related_update.finish()
            assert state.lists == related_update._full(questions, 5, 1).lists, step
    finally:
        related_update.forget()
    assert verbatim > 30, verbatim


def test_a_list_sharing_a_reweighted_tag_with_its_best_is_deferred_when_its_best_provably_stays() -> None:
    """related_defer.holds: a shown pair sharing a tag whose weight moved moves by its vectors and by the tags' exact
    change; a list whose best provably stays so is deferred (not settled before the page), and its exact scores made
    after it keep that best, as a full computation's."""
    rng = random.Random(17)
    questions = [_question(rng, n) for n in range(400)]
    related_update.forget()
    try:
        related_update.related(questions, limit=5)
        lifted = 0
        for step in range(40):
            last = related_update._LAST
            assert last is not None
            questions = [q for q in questions if q is not questions[rng.randrange(len(questions))]]
            related_update.related(list(questions), limit=5, defer=True)
            state = related_update._LAST
            assert state is not None
            moved = {key[1:] for key, weight in state.tag_idf.items() if last.tag_idf.get(key) != weight}
            lifted += sum(1 for i in state.pending if any(moved.intersection(t) for _, t, _ in state.lists[i]))
            related_update.finish()
            full = related_update._full(questions, 5, 1)
            assert state.lists == full.lists and state.packed == full.packed, step
            _assert_scores_or_bounds(state.scored, full.scored, state.stale, step)
    finally:
        related_update.forget()
    assert lifted > 20, lifted
