"""The one front-matter writer: what it writes, our own reader reads back as the same values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qasite.content import schema
from qasite.content.frontmatter import split
from qasite.content.frontmatter_writer import format_date, front_matter, render_file, scalar
from qasite.tools.contribute import ANSWER_TEMPLATE, question_template

AWKWARD = [
    "yes",
    "No",
    "null",
    "~",
    "1.0",
    "1e3",
    "0x1F",
    "0o17",
    "2018",
    "2023-02-30",
    "2023-06-28",
    "12:30:00",
    "a: b",
    "a:b",
    "#x",
    "x #y",
    "- item",
    "[a, b]",
    "{a: b}",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`tick",
    "|",
    ">",
    "'single'",
    '"double"',
    "back\\slash",
    " leading",
    "trailing ",
    "two  spaces",
    "Rand al'Thor",
    "Anxiety & stress",
    "Café, naïve, 東京, 🎉",
    "tab\there",
    "line\nbreak",
    "nel\x85next",
    "ls\u2028ps\u2029",
    "bom\ufeff",
    "del\x7f",
    "bell\x07",
    "---",
    "...",
    "",
]
# Any text a YAML file can hold as a value: every character but surrogates (not encodable as UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def _read(text: str) -> tuple[dict[str, Any], str]:
    source, problems = split(text, "index.md")
    assert source is not None and not problems, (text, problems)
    return source.meta.data, source.body


def _question(title: str, category: str, tags: list[str], author: str) -> dict[str, Any]:
    return {"title": title, "date": dt.date(2024, 1, 2), "category": category, "tags": tags, "author": author}


@pytest.mark.parametrize("value", AWKWARD)
def test_awkward_values_read_back_as_written(value: str) -> None:
    fields = _question(value, value, [value, "x"], value)
    data, _ = _read(render_file(fields, schema.QUESTION, "Body"))
    assert (data["title"], data["category"], data["tags"], data["author"]) == (value, value, [value, "x"], value)


@given(title=TEXT, category=TEXT, tags=st.lists(TEXT, max_size=5), body=TEXT)
def test_any_values_read_back_as_written(title: str, category: str, tags: list[str], body: str) -> None:
    data, read_body = _read(render_file(_question(title, category, tags, category), schema.QUESTION, body))
    assert (data["title"], data["category"], data["tags"], data["author"]) == (title, category, tags, category)
    assert data["date"] == dt.date(2024, 1, 2)
    assert read_body == body.strip("\n")


def test_keys_in_the_schema_order_none_left_out() -> None:
    fields = {"votes": -3, "accepted": True, "date": dt.datetime(2023, 3, 2, 9, 15), "author": "sam-rivera"}
    fields |= {"edited": None}
    assert front_matter(fields, schema.ANSWER) == (
        "---\nauthor: sam-rivera\ndate: 2023-03-02T09:15:00\nvotes: -3\naccepted: true\n---\n"
    )
    with pytest.raises(ValueError, match="not fields of this kind of file: colour"):
        front_matter({"colour": "red"}, schema.ANSWER)


def test_plain_when_safe_quoted_otherwise() -> None:
    assert [scalar(v) for v in ("sam-rivera", "Anxiety & stress", "yes", "a: b", "2018", 12, False)] == [
        "sam-rivera",
        "Anxiety & stress",
        '"yes"',
        '"a: b"',
        '"2018"',
        "12",
        "false",
    ]
    assert scalar("nel\x85") == '"nel\\u0085"'
    assert format_date(dt.datetime(2018, 2, 6, 20, 19, 50, 957000, tzinfo=dt.UTC)) == "2018-02-06T20:19:50Z"
    assert format_date(dt.date(2024, 1, 2)) == "2024-01-02"


def test_contribute_templates_are_valid_front_matter() -> None:
    answer, body = _read(ANSWER_TEMPLATE)
    assert answer == {"author": "your-handle", "date": "YYYY-MM-DD", "votes": 0} and body.startswith("Write")
    question, _ = _read(question_template(title='He said "no": now what?', category="Medication & treatment"))
    assert question["title"] == 'He said "no": now what?' and question["category"] == "Medication & treatment"
    assert question_template().startswith('---\ntitle: "Your question?"\ndate: YYYY-MM-DD\ncategory: Category name\n')
