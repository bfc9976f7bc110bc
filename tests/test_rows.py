"""render/rows.py: listing rows kept across builds by their signature equal the row macro rendered afresh.

Seeded random edits of every value a listing row shows (votes, answers and the accepted one, views, address,
title, summary, content note, category, tags, date, the asker's name, address, points, anonymity), each followed
by a new build's ``memo`` filter in the theme's real Jinja environment: every row must be the HTML the
``question_row`` macro gives now. A signature that misses a value the row shows fails it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from qasite.content.model import Answer, Category, Person, Question, Tag
from qasite.render import rows
from qasite.render.bytecode import TEMPLATES
from qasite.render.filters import FILTERS
from qasite.render.once import once_global

THEME = Path(__file__).resolve().parent.parent / "theme" / "templates"
SEED = 20261127


def environment(siteurl: str = "https://example.org") -> Environment:
    """The theme's templates as the generator's environment has them (autoescaped, our filters, SITEURL)."""
    env = Environment(loader=FileSystemLoader(str(THEME)), autoescape=True, bytecode_cache=TEMPLATES)
    env.filters.update(FILTERS)
    env.globals["SITEURL"] = siteurl
    env.globals["qa_once"] = once_global()  # a new environment is a new build: parts rendered once in it
    return env


def questions(rng: random.Random) -> list[Question]:
    people = [Person(handle=f"p{n}", name=f"Person {n}", points=n * 10, url=f"users/p{n}/") for n in range(4)]
    people.append(Person(handle="anonymous", name="Anonymous"))
    categories = [Category(name=f"Cat {n}", slug=f"c{n}", description="", order=n, url=f"c/c{n}/") for n in range(3)]
    tags = [Tag(name=f"tag{n}", url=f"t/tag{n}/") for n in range(5)]
    made = []
    for n in range(12):
        question = Question(
            slug=f"q{n}",
            title=f"Question {n}",
            date=dt.datetime(2024, 1, 1 + n, tzinfo=dt.UTC),
            category=rng.choice(categories),
            tags=rng.sample(tags, rng.randrange(3)),
            votes=rng.randrange(-2, 9),
            author=rng.choice(people),
            status="published",
            source_path=f"questions/q{n}/index.md",
            url=f"questions/q{n}/",
        )
        question.summary = f"Summary {n}"
        made.append(question)
    return made


def edit(rng: random.Random, question: Question, counter: int) -> None:
    """Change one value a row shows (in place, as the preview's kept objects change, or by a new object)."""
    kind = rng.choice(
        [
            "votes",
            "answer",
            "accept",
            "views",
            "url",
            "title",
            "summary",
            "note",
            "category",
            "tags",
            "date",
            "name",
            "person_url",
            "points",
            "anonymous",
        ]
    )
    author = question.author
    if kind == "votes":
        question.votes += rng.choice([-1, 1])
    elif kind == "answer":
        when = question.date
        question.answers.append(
            Answer(id=f"a{counter}", author=author, date=when, votes=0, accepted=False, source_path=f"a{counter}.md")
        )
    elif kind == "accept" and question.answers:
        answer = rng.choice(question.answers)
        answer.accepted = not answer.accepted
    elif kind == "views":
        question.views = None if question.views else counter * 1000
    elif kind == "url":
        question.url = f"questions/q{counter}/"
    elif kind == "title":
        question.title = f"Title <{counter}>"
    elif kind == "summary":
        question.summary = f"Summary & {counter}" if rng.random() < 0.8 else ""
    elif kind == "note":
        question.category = dataclasses.replace(question.category, content_note=f"note {counter}")
    elif kind == "category":
        change = rng.choice([{"name": f"Cat {counter}"}, {"url": f"c/n{counter}/"}])
        question.category = dataclasses.replace(question.category, **change)
    elif kind == "tags":
        question.tags = [*question.tags, Tag(name=f"new{counter}", url=f"t/new{counter}/")][-2:]
    elif kind == "date":
        question.date = question.date.astimezone(dt.timezone(dt.timedelta(hours=rng.choice([0, 1, -5]))))
    elif kind == "name" and author is not None:
        question.author = dataclasses.replace(author, name=f"{author.name} {counter}")
    elif kind == "person_url" and author is not None:
        question.author = dataclasses.replace(author, url=None if author.url else f"users/x{counter}/")
    elif kind == "points" and author is not None:
        points = rng.choice([None, counter, 12_000 + counter])  # 12,000 to 12,199: all '12k points'
        question.author = dataclasses.replace(author, points=points)
    elif kind == "anonymous":
        question.author = None if author is not None else Person(handle=f"h{counter}", name=f"Back {counter}")


def rendered(env: Environment, chosen: list[Question]) -> list[Any]:
    """The rows of ``chosen`` through a new build's memo filter, and then afresh."""
    macros = env.get_template("partials/macros.html").module
    memo = rows.memo_filter(env)
    return [(str(memo(macros.question_row, q)), str(macros.question_row(q))) for q in chosen]


def test_kept_rows_equal_rows_rendered_afresh_after_random_edits() -> None:
    rng = random.Random(SEED)
    site = questions(rng)
    for counter in range(200):
        for question in rng.sample(site, rng.randrange(1, 3)):
            edit(rng, question, counter)
        for kept, fresh in rendered(environment(), rng.sample(site, 6)):  # a new environment: a new build
            assert kept == fresh, counter


def test_another_siteurl_or_template_source_empties_the_kept_rows() -> None:
    site = questions(random.Random(SEED))
    for kept, fresh in rendered(environment("https://one.example"), site):
        assert kept == fresh
    for kept, fresh in rendered(environment("https://two.example"), site):
        assert kept == fresh and "two.example" in kept


def test_a_row_is_kept_while_its_asker_shows_the_same_points() -> None:
    """The row shows '12k points' for 12,340 and 12,350 (``filters.points_text``): one signature, so a vote on another
    post of the asker's renders none of their rows again; '12k' and '13k' are two."""
    question = questions(random.Random(SEED))[0]
    author = Person(handle="p", name="P", points=12_340, url="users/p/")
    signatures = []
    for points in (12_340, 12_350, 13_000):
        question.author = dataclasses.replace(author, points=points)
        signatures.append(rows.row_signature(question))
    assert signatures[0] == signatures[1] != signatures[2]
