"""CSV files (a spreadsheet export) to a ``Batch``, through a column mapping.

Each row is a question, or an answer when its ``question`` column names the
``id`` of a question row (in the same file or another file of the folder).
The mapping says which column holds which field: ``--map title=Question,...``
or ``columns:`` in a YAML mapping file. Rows are numbered as in a spreadsheet
(the header is row 1).
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.model import ANONYMOUS
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .html_to_markdown import html_to_markdown
from .options import Options, pick_category
from .parsing import parse_date, parse_int, parse_points, split_tags
from .people import People, person_slug

logger = logging.getLogger(__name__)

REQUIRED = ("title", "body", "date")
TRUE = {"1", "true", "yes", "y", "x", "accepted", "✓", "✔"}
HTML_RE = re.compile(r"</?(p|br|div|a|ul|ol|li|strong|em|b|i|code|pre|blockquote|h[1-6]|img|span)\b[^>]*>", re.I)


@dataclass
class _Row:
    where: str
    values: dict[str, str]


def read_csv(path: Path, options: Options, people: People) -> Batch:
    """Read a CSV file (or every *.csv in a folder) into a Batch."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files:
        raise ImporterError(f"{path}: no .csv files here")
    _check_columns(options.columns)
    rows = [row for file in files for row in _read_rows(file, options)]
    batch = Batch(path.name, people)
    reader = _RowReader(batch, options)
    questions: dict[str, ImportedQuestion] = {}
    answers = []
    for row in rows:
        if row.values.get("question"):
            answers.append(row)
        else:
            reader.add_question(row, questions)
    for row in answers:
        reader.add_answer(row, questions)
    batch.questions = list(questions.values())
    batch.finish()
    return batch


def _check_columns(columns: dict[str, str]) -> None:
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ImporterError(
            f"the column mapping has no {', '.join(missing)}: "
            "give --map title=Column,body=Column,date=Column,... or 'columns:' in --mapping FILE"
        )


def _read_rows(file: Path, options: Options) -> list[_Row]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ImporterError(f"{file}: cannot read it as UTF-8 text: {err}") from err
    delimiter = options.delimiter or _sniff(text)
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    absent = sorted(f"{column!r} (for {name})" for name, column in options.columns.items() if column not in header)
    if absent:
        raise ImporterError(f"{file.name}: no column {', '.join(absent)}; its columns are: {', '.join(header)}")
    reader.fieldnames = header
    rows = []
    for number, record in enumerate(reader, start=2):
        values = {name: (record.get(column) or "").strip() for name, column in options.columns.items()}
        rows.append(_Row(f"{file.name}: row {number}", values))
    return rows


def _sniff(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


class _RowReader:
    """Turns mapped rows into imported posts, reporting every bad value."""

    def __init__(self, batch: Batch, options: Options) -> None:
        self.batch = batch
        self.options = options

    def add_question(self, row: _Row, questions: dict[str, ImportedQuestion]) -> None:
        """Read a question row into ``questions`` (by its id)."""
        key = row.values.get("id") or row.where.rsplit(" ", 1)[1]
        if key in questions:
            self.batch.skip(row.where, f"id {key} is already used by {questions[key].where}")
            return
        post = self.post(row)
        if post is None:
            return
        values = row.values
        tags, extra = self.batch.tags.convert(split_tags(values.get("tags", "")) or self.options.default_tags)
        if extra:
            self.batch.note(row.where, f"more than 5 tags: left out {', '.join(extra)}")
        views = self.optional(row, "views", parse_int)
        questions[key] = ImportedQuestion(
            key=key,
            title=" ".join(values.get("title", "").split()),
            category=pick_category(tags, values.get("category"), self.options) or "",
            tags=tags,
            views=views if views is None or views >= 0 else None,
            **post,
        )

    def add_answer(self, row: _Row, questions: dict[str, ImportedQuestion]) -> None:
        """Read an answer row and attach it to its question."""
        parent = questions.get(row.values["question"])
        if parent is None:
            self.batch.skip(row.where, f"answer to unknown question {row.values['question']}")
            return
        post = self.post(row)
        if post is None:
            return
        accepted = row.values.get("accepted", "").lower() in TRUE
        parent.answers.append(ImportedAnswer(key=row.values.get("id") or row.where, accepted=accepted, **post))

    def post(self, row: _Row) -> dict[str, Any] | None:
        """The fields questions and answers share; None (reported) when the date is unusable."""
        values = row.values
        try:
            date = parse_date(values.get("date", ""), self.options.date_format)
        except ValueError:
            fix = "write ISO dates like 2023-06-28 or 2023-06-28T14:05, or set date_format in the mapping file"
            self.batch.skip(row.where, f"date {values.get('date', '')!r} is not a date ({fix})")
            return None
        points = self.optional(row, "points", parse_points)
        edited = self.optional(row, "edited", lambda v: parse_date(v, self.options.date_format))
        return {
            "where": row.where,
            "author": self.person(values.get("author", ""), points),
            "date": date.replace(microsecond=0),
            "body": self.body(values.get("body", "")),
            "votes": self.optional(row, "votes", parse_int) or 0,
            "edited": edited.replace(microsecond=0) if edited else None,
            "edited_by": self.person(values["edited_by"], None) if values.get("edited_by") else None,
            "source": self.source(row),
            "license": values.get("license") or self.options.license or None,
        }

    def optional(self, row: _Row, name: str, convert: Callable[[str], Any]) -> Any:
        """An optional value: None when empty; a bad one is left out with a note."""
        value = row.values.get(name, "")
        if not value:
            return None
        try:
            return convert(value)
        except ValueError:
            self.batch.note(row.where, f"{name}: {value!r} is not valid: left out")
            return None

    def person(self, name: str, points: int | None) -> str:
        """The handle for an author or editor column: a people.yml handle, or a name."""
        name = " ".join(name.split())
        if not name or name.lower() == ANONYMOUS:
            return ANONYMOUS
        if name in self.batch.people.existing:
            return name  # a handle from people.yml
        slug = person_slug(name) or "member"
        candidates = [slug] + [f"{slug}-{n}" for n in range(2, 10)]
        return self.batch.people.add(f"name:{name}", name, candidates, points=points)

    def body(self, text: str) -> str:
        """Markdown as is; HTML (by body_format, or when it looks like HTML) converted."""
        text = text.replace("\r\n", "\n")
        fmt = self.options.body_format
        if fmt == "html" or (fmt == "auto" and HTML_RE.search(text)):
            return html_to_markdown(text, self.options.site_url)
        return text.strip()

    def source(self, row: _Row) -> str | None:
        """The row's source address, if it is a web address."""
        value = row.values.get("source", "")
        if value and not re.match(r"https?://[^\s/]+\S*$", value):
            self.batch.note(row.where, f"source: {value!r} is not a web address: left out")
            return None
        return value or None
