"""CSV with one row per answer: rows sharing a ``question_key`` make one question.

The usual shape of scraped and published Q&A data sets: every row repeats its question's own
columns (``question_title``, ``question_body``, ``question_author``, ``question_date``,
``question_votes``, ``question_views``, ``question_url``; ``category`` and ``tags`` belong to the
question too) beside one answer in today's fields (``body``, ``author``, ``votes``, ``date``...).
Each question field is the first non-empty value over the question's rows (a first row without a
date takes a later row's); a later row that disagrees (both non-empty) is reported (file, row,
field) and the first value kept. A row with no answer text adds no answer: a question whose rows
have none is an unanswered question. Without a question date (and no ``--date``), a question is
dated like its first answer, with a note.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from .common import ImportedQuestion
from .csv_rows import Row
from .parsing import parse_date

if TYPE_CHECKING:
    from .csv_import import RowReader

logger = logging.getLogger(__name__)

# question field -> the field name the row reader reads it under
AS_QUESTION = {
    "question_key": "id",
    "question_title": "title",
    "question_body": "body",
    "question_author": "author",
    "question_author_url": "author_url",
    "question_date": "date",
    "question_votes": "votes",
    "question_views": "views",
    "question_url": "source",
    "category": "category",
    "tags": "tags",
    "license": "license",
}
QUESTION_ONLY = ("question_key", *(name for name in AS_QUESTION if name.startswith("question_")), "category", "tags")


def read_grouped(rows: list[Row], reader: RowReader) -> None:
    """Group ``rows`` by question key into ``reader.batch.questions``; each row's answer goes under its question."""
    batch = reader.batch
    questions: dict[str, ImportedQuestion] = {}
    options = reader.options
    by_answer = options.default_date is None and "date" in options.columns
    first_answers = _first_answer_dates(rows, options.date_format) if by_answer else {}
    merged = _question_fields(rows, reader)
    for row in rows:
        key = _key(row)
        if not key:
            batch.skip(row.where, "no question key (the question_key column is empty)")
            continue
        first, values = merged[key]
        if row is first:
            values = {short: values.get(name, "") for name, short in AS_QUESTION.items()}
            values["views"] = values["views"] or merged[key][1].get("views", "")  # views are always the question's
            like_answer = not values["date"] and key in first_answers
            values["date"] = values["date"] or first_answers.get(key, "")
            reader.add_question(Row(row.where, row.file, row.number, values), questions, key)
            if like_answer and key in questions:
                reader.dated_by_answer[id(questions[key])] = questions[key]
        question = questions.get(key)
        if question is None or not row.values.get("body"):
            continue  # the question was skipped (reported), or the row has no answer
        answer_values = {name: value for name, value in row.values.items() if name not in QUESTION_ONLY}
        answer_key = row.values.get("id") or f"row {row.number}"
        reader.attach(Row(row.where, row.file, row.number, answer_values), question, answer_key)
    batch.questions = list(questions.values())


def _key(row: Row) -> str:
    return " ".join(row.values.get("question_key", "").split())


def _question_fields(rows: list[Row], reader: RowReader) -> dict[str, tuple[Row, dict[str, str]]]:
    """Each question's first row and its fields: the first non-empty value of each, over all its rows.

    A row whose value differs from the one kept (both non-empty) is reported; an empty cell is no conflict.
    """
    merged: dict[str, tuple[Row, dict[str, str]]] = {}
    given: dict[str, dict[str, Row]] = {}  # key -> field -> the row that gave the value kept
    for row in rows:
        key = _key(row)
        if not key:
            continue
        _, values = merged.setdefault(key, (row, {}))
        rows_of = given.setdefault(key, {})
        for name in (*AS_QUESTION, "views"):
            ours = row.values.get(name, "")
            if not ours:
                continue
            if not values.get(name):
                values[name], rows_of[name] = ours, row
            elif name not in ("license", "views") and " ".join(ours.split()) != " ".join(values[name].split()):
                reader.batch.note(  # a license may differ per answer; plain views are the answer row's own
                    row.where,
                    f"question {key!r}: {name} {_short(ours)} differs from row {rows_of[name].number} "
                    f"({_short(values[name])}): the first is kept",
                )
    return merged


def _first_answer_dates(rows: list[Row], date_format: str) -> dict[str, str]:
    """The date (as written) of each question's earliest dated answer, by question key."""
    earliest: dict[str, tuple[dt.datetime, str]] = {}
    for row in rows:
        key = " ".join(row.values.get("question_key", "").split())
        text = row.values.get("date", "")
        if not (key and text and row.values.get("body")):
            continue
        try:
            when = parse_date(text, date_format).replace(tzinfo=None)
        except ValueError:
            continue
        if key not in earliest or when < earliest[key][0]:
            earliest[key] = (when, text)
    return {key: text for key, (_, text) in earliest.items()}


def _short(value: str, length: int = 40) -> str:
    value = " ".join(value.split())
    return repr(value if len(value) <= length else value[: length - 1] + "…")
