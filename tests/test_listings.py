"""render/listings.py: question orders, pagination and tabs, on hand-made questions."""

from __future__ import annotations

import datetime as dt

import pytest

from qasite.config.urls import Urls
from qasite.content.model import Answer, Category, Person, Question
from qasite.content.site import Site
from qasite.render import listings

PERSON = Person(handle="sam", name="Sam")
CATEGORY = Category(name="Work", slug="work", description="", order=1, url="categories/work/")


def _question(slug: str, *, votes: int = 0, day: int = 1, answers: int = 0) -> Question:
    date = dt.datetime(2023, 7, day, tzinfo=dt.UTC)
    question = Question(
        slug=slug,
        title=slug,
        date=date,
        category=CATEGORY,
        tags=[],
        votes=votes,
        author=PERSON,
        status="published",
        source_path=f"content/questions/{slug}/index.md",
        url=f"questions/{slug}/",
    )
    question.answers = [
        Answer(id=f"a{n}", author=PERSON, date=date, votes=0, accepted=False, source_path=f"a{n}.md")
        for n in range(answers)
    ]
    return question


def _slugs(questions: list[Question]) -> list[str]:
    return [q.slug for q in questions]


def test_top_voted_then_newest_then_slug() -> None:
    questions = [
        _question("b-old", votes=5, day=1),
        _question("new", votes=5, day=9),
        _question("a-old", votes=5, day=1),
        _question("top", votes=7, day=2),
        _question("neg", votes=-1, day=20),
    ]
    assert _slugs(listings.top_voted(questions)) == ["top", "new", "a-old", "b-old", "neg"]


def test_newest_then_slug_and_unanswered() -> None:
    questions = [_question("b", day=3), _question("a", day=3, answers=1), _question("c", day=5), _question("d", day=1)]
    assert _slugs(listings.newest(questions)) == ["c", "a", "b", "d"]
    assert _slugs(listings.unanswered(questions)) == ["c", "b", "d"]


def test_a_sites_orders_are_sorted_once_for_that_site() -> None:
    """``of_site``: each order of a site's questions once (the graph's plan and the generator share it), another
    site (the next load: a vote moved, a question added) its own, equal to sorting its questions."""
    first = Site(questions=[_question("a", votes=1, day=2), _question("b", votes=3, day=1, answers=1)])
    second = Site(questions=[_question("a", votes=4, day=2), _question("b", votes=3, day=1), _question("c", day=5)])
    for site in (first, second, first):
        for order in (listings.top_voted, listings.newest, listings.unanswered):
            kept = listings.of_site(site, order)
            assert kept == order(site.questions) and listings.of_site(site, order) is kept
        assert listings.ranked_site(site)(site.questions[::-1]) == listings.top_voted(site.questions)
    assert _slugs(listings.of_site(second, listings.top_voted)) == ["a", "b", "c"]


def test_a_members_answers_by_votes_then_oldest_then_id() -> None:
    def answer(answer_id: str, votes: int, day: int) -> Answer:
        date = dt.datetime(2023, 7, day, tzinfo=dt.UTC)
        return Answer(id=answer_id, author=PERSON, date=date, votes=votes, accepted=False, source_path=answer_id)

    answers = [answer("late", 3, 9), answer("b", 3, 2), answer("a", 3, 2), answer("top", 8, 1), answer("low", 0, 1)]
    assert [a.id for a in listings.top_answers(answers)] == ["top", "a", "b", "late", "low"]


def test_page_url() -> None:
    assert listings.page_url("tags/work/", 1) == "tags/work/"
    assert listings.page_url("tags/work/", 3) == f"tags/work/{Urls.pagination}3/"


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (1, 1), (3, 1), (4, 2), (7, 3)])
def test_paginate_page_count(count: int, pages: int) -> None:
    questions = [_question(f"q{n}") for n in range(count)]
    result = listings.paginate(questions, base="newest/", per_page=3, title="Newest")
    assert len(result) == pages
    assert [q for listing in result for q in listing.questions] == questions
    assert all(listing.pagination.page_count == pages for listing in result)
    assert [listing.pagination.total for listing in result] == [count] + [None] * (pages - 1)  # the first page's


def test_paginate_links_pages_and_marks_the_current_tab() -> None:
    questions = [_question(f"q{n}") for n in range(5)]
    first, second = listings.paginate(
        questions, base=Urls.newest, per_page=3, title="Newest questions", tabs=listings.HOME_TABS, empty_message="x"
    )
    assert (first.url, first.pagination.prev_url, first.pagination.next_url) == (
        Urls.newest,
        None,
        listings.page_url(Urls.newest, 2),
    )
    assert (second.url, second.pagination.prev_url, second.pagination.next_url) == (
        listings.page_url(Urls.newest, 2),
        Urls.newest,
        None,
    )
    assert [q.slug for q in second.questions] == ["q3", "q4"]
    assert [(t.label, t.current) for t in second.tabs] == [
        ("Top voted", False),
        ("Newest", True),
        ("Unanswered", False),
    ]
    assert first.title == "Newest questions" and first.empty_message == "x" and first.description_html is None


def test_an_empty_listing_is_one_page_with_its_message() -> None:
    (only,) = listings.paginate([], base=Urls.unanswered, per_page=30, title="Unanswered questions")
    assert only.questions == [] and only.pagination.page_number == 1
    assert only.pagination.prev_url is None and only.pagination.next_url is None
    assert only.empty_message == "No questions here yet."
