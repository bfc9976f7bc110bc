"""The demo site in content/: enough realistic content to read like the forum, and it builds cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from qasite.content.loader import Site, load_site

ANCHOR = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"


@pytest.fixture(scope="module")
def demo() -> Site:
    site, problems = load_site(ROOT / "content")
    assert problems == []
    return site


def test_demo_content_is_rich_enough(demo: Site) -> None:
    questions = demo.questions
    assert len(questions) >= 24
    assert len({q.category.name for q in questions}) >= 5 and "Psychotherapists" in demo.categories
    assert len(demo.tags) >= 20
    assert all(0 <= q.answer_count <= 5 for q in questions)
    assert sum(1 for q in questions if not q.answers) >= 3
    assert sum(1 for q in questions if q.accepted_answer) >= 6
    assert len([p for p in demo.people.values() if not p.is_anonymous]) >= 8


def test_the_forums_own_question(demo: Site) -> None:
    question = next(q for q in demo.questions if q.slug == ANCHOR)
    assert question.title == "Is it ethical for my therapist to follow me on social media?"
    assert question.category.name == "Psychotherapists" and question.votes == 12
    assert question.author.points == 6500 and question.edited is not None
    assert len(question.answers) == 1
    answer = question.answers[0]
    assert answer.votes == 9 and answer.author.points == 7200


def test_demo_site_builds_every_page(demo: Site, demo_output: Path) -> None:
    for question in demo.questions:
        page = BeautifulSoup((demo_output / question.url / "index.html").read_text(encoding="utf-8"), "lxml")
        assert page.find("h1").get_text(strip=True) == question.title
        assert len(page.select("article.qa-answer")) == question.answer_count
    for tag in demo.tags.values():
        assert (demo_output / tag.url / "index.html").is_file()
    assert (demo_output / "pagefind" / "pagefind.js").is_file()
