"""render/member_rows.py: a member page's rows kept across builds by their signature equal the macros rendered afresh.

Seeded random edits of every value a member page's question row (votes, address, title, date) and answer row
(votes, accepted, its question's address and title, the answer's id, date) shows, each followed by a new build's
``memo`` filter in the theme's real Jinja environment (``test_rows.environment``): every row must be the HTML the
``profile_question`` or ``profile_answer`` macro gives now. A signature that misses a value fails it (the last test
drops each value in turn and shows the first test's check then fails).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Hashable
from typing import Any

import pytest
from jinja2 import Environment
from test_rows import SEED, environment, questions

from qasite.content.model import Answer, Question
from qasite.render import member_rows, rows

KINDS = ["votes", "url", "title", "date", "answer_votes", "accepted", "answer_id", "answer_date", "moved"]


def answers(rng: random.Random, site: list[Question]) -> list[Answer]:
    made = []
    for n in range(12):
        q = rng.choice(site)
        when = dt.datetime(2024, 2, 1 + n, tzinfo=dt.UTC)
        answer = Answer(
            id=f"a{n}", author=q.author, date=when, votes=rng.randrange(-1, 5), accepted=False, source_path=f"a{n}.md"
        )
        answer.question = q
        q.answers.append(answer)
        made.append(answer)
    return made


def edit(rng: random.Random, site: list[Question], made: list[Answer], counter: int) -> str:
    """Change one value a member page's row shows, in place (as the preview's kept objects change)."""
    kind = rng.choice(KINDS)
    q, answer = rng.choice(site), rng.choice(made)
    if kind == "votes":
        q.votes += rng.choice([-1, 1])
    elif kind == "url":
        q.url = f"questions/q{counter}/"
    elif kind == "title":
        q.title = f"Title <{counter}> & more"
    elif kind == "date":
        q.date = q.date.astimezone(dt.timezone(dt.timedelta(hours=rng.choice([0, 1, -5])))) + dt.timedelta(days=1)
    elif kind == "answer_votes":
        answer.votes += rng.choice([-1, 1])
    elif kind == "accepted":
        answer.accepted = not answer.accepted
    elif kind == "answer_id":
        answer.id = f"x{counter}"
    elif kind == "answer_date":
        answer.date = answer.date + dt.timedelta(days=rng.choice([1, 400]))
    elif kind == "moved":  # the answer now under another question
        answer.question = q
    return kind


def rendered(env: Environment, site: list[Question], made: list[Answer]) -> list[tuple[str, str]]:
    """Each row through a new build's memo filter, and then afresh."""
    macros = env.get_template("partials/macros.html").module
    memo = rows.memo_filter(env)
    out = [(str(memo(macros.profile_question, q)), str(macros.profile_question(q))) for q in site]
    return out + [(str(memo(macros.profile_answer, a)), str(macros.profile_answer(a))) for a in made]


def _run() -> set[str]:
    """200 rounds of edits and builds; the kinds of edit made (an assertion error if a kept row differs)."""
    rng = random.Random(SEED)
    site = questions(rng)
    made = answers(rng, site)
    kinds = set()
    for counter in range(200):
        for _ in range(rng.randrange(1, 3)):
            kinds.add(edit(rng, site, made, counter))
        for kept, fresh in rendered(environment(), site, made):  # a new environment: a new build
            assert kept == fresh, counter
    return kinds


def test_kept_member_rows_equal_rows_rendered_afresh_after_random_edits() -> None:
    assert _run() == set(KINDS)


def test_the_rows_are_the_member_page_as_it_was() -> None:
    """The macros give the member page's rows as its template wrote them inline before they were kept."""
    rng = random.Random(SEED)
    site = questions(rng)
    made = answers(rng, site)
    made[0].accepted = True
    macros = environment().get_template("partials/macros.html").module
    answer = str(macros.profile_answer(made[0]))
    assert answer.startswith('<li class="profile__list-item profile__list-item--accepted">\n')
    assert f'#answer-a0">{made[0].question.title}</a>' in answer and "Accepted</span>" in answer  # type: ignore[union-attr]
    assert answer.endswith("</span>\n        </span>\n      </li>")
    question = str(macros.profile_question(site[0]))
    assert question.startswith('<li class="profile__list-item">\n        <div class="profile__list-votes">')


def _dropping(signer: Callable[..., Hashable], at: int) -> Callable[..., Hashable]:
    return lambda item: tuple(v for n, v in enumerate(signer(item)) if n != at)  # type: ignore[arg-type]


@pytest.mark.parametrize(("macro", "size"), [("profile_question", 4), ("profile_answer", 5)])
def test_a_signature_missing_any_value_fails_the_check(macro: str, size: int, monkeypatch: Any) -> None:
    signer = member_rows.SIGNATURES[macro]
    for at in range(size):
        monkeypatch.setitem(rows.SIGNATURES, macro, _dropping(signer, at))
        rows._ROWS.clear()
        with pytest.raises(AssertionError):
            _run()
    rows._ROWS.clear()
