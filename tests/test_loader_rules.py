"""The cross-file rules (content/rules.py) on small inputs, with the exact words editors read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qasite.content import rules
from qasite.content.rules import Broken

UTC = dt.UTC
PARIS = dt.timezone(dt.timedelta(hours=2))


def test_empty_text() -> None:
    assert rules.empty_text("Some text.\n") is None
    assert rules.empty_text(" \n\t\n") == Broken(
        message="the text is empty", fix="write the text below the closing '---' line"
    )


def test_unknown_person() -> None:
    assert rules.unknown_person("sam", {"sam": 1, "anonymous": 2}) is None
    assert rules.unknown_person("kim", {"sam": 1}) == Broken(
        message="'kim' is not in content/people.yml",
        fix="add 'kim:' with a name to content/people.yml, or use an existing handle",
    )


def test_unknown_category_lists_the_known_ones_sorted() -> None:
    assert rules.unknown_category("Work", ["Work"]) is None
    assert rules.unknown_category("Wrok", ["Work", "Family"]) == Broken(
        message="'Wrok' is not in content/categories.yml", fix="use one of: Family, Work"
    )
    assert rules.unknown_category("Work", []).fix == "use one of: none defined yet"


def test_category_clash() -> None:
    assert rules.category_clash("work", {"family": "Family"}) is None
    assert rules.category_clash("work", {"work": "Work"}) == Broken(
        message="category name gives a duplicate or empty URL slug", fix="rename it: its URL would clash with 'Work'"
    )
    assert rules.category_clash("", {}) == Broken(
        message="category name gives a duplicate or empty URL slug", fix="use letters or digits in the name"
    )


def test_editor_without_edit() -> None:
    edited = dt.datetime(2023, 7, 2, tzinfo=UTC)
    assert rules.editor_without_edit(None, None) is None
    assert rules.editor_without_edit("sam", edited) is None
    assert rules.editor_without_edit("sam", None) == Broken(
        message="is set but 'edited' is not", fix="add 'edited: <date>' with the date of the edit"
    )


def test_edited_before_posted_compares_instants() -> None:
    posted = dt.datetime(2023, 7, 1, 12, 0, tzinfo=UTC)
    assert rules.edited_before_posted(None, posted) is None
    assert rules.edited_before_posted(posted, posted) is None
    # 13:30 in Paris is 11:30 UTC: before a post at 12:00 UTC, although the clock reads later.
    assert rules.edited_before_posted(dt.datetime(2023, 7, 1, 13, 30, tzinfo=PARIS), posted) is not None
    assert rules.edited_before_posted(dt.datetime(2023, 7, 1, 14, 30, tzinfo=PARIS), posted) is None
    assert rules.edited_before_posted(dt.datetime(2023, 7, 1, 11, 59, tzinfo=UTC), posted) == Broken(
        message="is before 'date'", fix="an edit cannot come before the post: fix one of the dates"
    )
    # A date without a time zone counts as UTC (the importers' sources), against a zoned one too.
    assert rules.edited_before_posted(dt.datetime(2023, 7, 1, 11, 0), posted) is not None
    assert rules.edited_before_posted(dt.datetime(2023, 7, 1, 12, 0), posted) is None


def test_answered_before_asked_compares_days() -> None:
    asked = dt.datetime(2023, 7, 1, 18, 0, tzinfo=UTC)
    assert rules.answered_before_asked(dt.datetime(2023, 7, 1, 9, 0, tzinfo=UTC), asked) is None  # same day
    assert rules.answered_before_asked(dt.datetime(2023, 6, 30, 23, 59, tzinfo=UTC), asked) == Broken(
        message="2023-06-30 is before the question was asked (2023-07-01)",
        fix="fix the answer's date or the question's date",
    )


@dataclass
class _Answer:
    name: str
    accepted: bool


def test_one_accepted_answer_keeps_the_first_in_the_given_order() -> None:
    answers = [_Answer("a", False), _Answer("b", True), _Answer("c", False), _Answer("d", True), _Answer("e", True)]
    first, extra = rules.extra_accepted(answers)
    assert first is answers[1]
    assert [a.name for a in extra] == ["d", "e"]
    assert rules.extra_accepted([_Answer("a", False)]) == (None, [])
    assert rules.accepted_twice("content/questions/q/answers/b.md") == Broken(
        message="the question already has an accepted answer (content/questions/q/answers/b.md)",
        fix="keep 'accepted: true' on one answer only",
    )
