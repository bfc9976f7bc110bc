"""CSV files (a spreadsheet export) to a ``Batch``, through a column mapping.

Two shapes: each row a question or an answer (its ``question`` column names the ``id`` of a
question row), or one row per answer repeating its question's columns (``question_key``,
``question_title``...: see ``csv_grouped``). The mapping says which column holds which field:
``--map title=Question,...`` or ``columns:`` in a YAML mapping file. Rows are numbered as in a
spreadsheet (the header is row 1); exact repeated rows are dropped and counted. Missing dates and
categories get the editor's defaults (``--date``, ``--category``, else the file's name), reported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..content.model import ANONYMOUS
from ..content.privacy import EMAIL
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .csv_grouped import read_grouped
from .csv_rows import URL_RE, Row, profiles, read_rows
from .html_to_markdown import html_to_markdown
from .options import Options, check_columns, pick_category
from .parsing import parse_date, parse_int, parse_points, split_tags
from .people import People, person_slug

logger = logging.getLogger(__name__)

TRUE = {"1", "true", "yes", "y", "x", "accepted", "✓", "✔"}
# An address as the privacy lint knows one, with the <...> or mailto: around it in a name column: never published.
EMAIL_RE = re.compile(rf"<?(?:mailto:)?{EMAIL.pattern}>?", re.I)
HTML_RE = re.compile(r"</?(p|br|div|a|ul|ol|li|strong|em|b|i|code|pre|blockquote|h[1-6]|img|span|font)\b[^>]*>", re.I)


def read_csv(path: Path, options: Options, people: People) -> Batch:
    """Read a CSV file (or every *.csv in a folder) into a Batch."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files:
        raise ImporterError(f"{path}: no .csv files here")
    grouped = "question_key" in options.columns
    check_columns(options, grouped)
    batch = Batch(path.name, people)
    seen: set[tuple[Any, ...]] = set()  # every row read, to drop exact repeats (across the files too)
    rows = [row for file in files for row in read_rows(file, options, batch, seen)]
    reader = RowReader(batch, options)
    reader.profiles = profiles(rows)
    if grouped:
        read_grouped(rows, reader)
    else:
        questions: dict[str, ImportedQuestion] = {}
        for row in rows:
            if not row.values.get("question"):
                reader.add_question(row, questions)
        for row in rows:
            if row.values.get("question"):
                reader.add_answer(row, questions)
        batch.questions = list(questions.values())
    batch.finish()
    reader.report_defaults()
    return batch


def file_category(file: str) -> str:
    """The category named after a source file: 'mental_health-faq.csv' -> 'Mental health faq'."""
    words = " ".join(re.split(r"[-_\s]+", Path(file).stem)).strip() or "Imported"
    return words[0].upper() + words[1:]


class RowReader:
    """Turns mapped rows into imported posts, reporting every bad value and every default used."""

    def __init__(self, batch: Batch, options: Options) -> None:
        self.batch = batch
        self.options = options
        self.dated: dict[int, object] = {}  # posts given the editor's --date, by id() (kept alive: ids stay unique)
        self.dated_like_question: dict[int, object] = {}
        self.dated_by_answer: dict[int, object] = {}  # questions dated like their first answer (csv_grouped)
        self.profiles: dict[str, set[str]] = {}  # author name -> the profile addresses given with it
        self.filed: dict[int, tuple[ImportedQuestion, str]] = {}  # questions put in the category named after a file
        self.emails: set[str] = set()  # e-mail addresses found in author columns: left out, counted

    def add_question(self, row: Row, questions: dict[str, ImportedQuestion], key: str = "") -> None:
        """Read a question row into ``questions`` (by its id)."""
        key = key or row.values.get("id") or str(row.number)
        if key in questions and not row.values.get("id") and questions[key].where.split(":")[0] != row.file:
            key = row.where  # rows without ids in a folder of files: row 2 of each file is another question
        if key in questions:
            self.batch.skip(row.where, f"id {key} is already used by {questions[key].where}")
            return
        post = self.post(row)
        if post is None:
            return
        how = post.pop("dated")
        values = row.values
        raw_tags = split_tags(values.get("tags", ""), whitespace=True)
        tags, extra = self.batch.tags.convert(raw_tags or self.options.default_tags)
        if extra:
            self.batch.note(row.where, f"more than 5 tags: left out {', '.join(extra)}")
        views = self.optional(row, "views", parse_int)
        category = pick_category(tags, values.get("category"), self.options)
        named = category or file_category(row.file)
        question = ImportedQuestion(
            key=key,
            title=" ".join(values.get("title", "").split()),
            category=named,
            tags=self.batch.tags_or_default(tags, self.options.default_tags, named, row.file),
            views=views if views is None or views >= 0 else None,
            **post,
        )
        if not category:
            self.filed[id(question)] = (question, row.file)
        if how is not None:
            how[id(question)] = question
        questions[key] = question

    def add_answer(self, row: Row, questions: dict[str, ImportedQuestion]) -> None:
        """Read an answer row and attach it to its question."""
        parent = questions.get(row.values["question"])
        if parent is None:
            self.batch.skip(row.where, f"answer to unknown question {row.values['question']}")
            return
        self.attach(row, parent, row.values.get("id") or row.where)

    def attach(self, row: Row, parent: ImportedQuestion, key: str) -> None:
        """Read ``row`` as an answer to ``parent``."""
        post = self.post(row, parent)
        if post is None:
            return
        how = post.pop("dated")
        accepted = row.values.get("accepted", "").lower() in TRUE
        answer = ImportedAnswer(key=key, accepted=accepted, **post)
        if how is not None:
            how[id(answer)] = answer
        parent.answers.append(answer)

    def post(self, row: Row, question: ImportedQuestion | None = None) -> dict[str, Any] | None:
        """The fields questions and answers share; None (reported) when the date is unusable."""
        values = row.values
        how: dict[int, object] | None = None  # which default dated the post, if one did
        if values.get("date"):
            try:
                date = parse_date(values["date"], self.options.date_format)
            except ValueError:
                fix = "write ISO dates like 2023-06-28 or 2023-06-28T14:05, or set date_format in the mapping file"
                self.batch.skip(row.where, f"date {values['date']!r} is not a date ({fix})")
                return None
        elif question is not None and "date" not in self.options.columns:
            date, how = question.date, self.dated_like_question
        elif self.options.default_date is not None:
            date, how = self.options.default_date, self.dated
        else:
            self.batch.skip(row.where, "no date (fill it in, or give --date YYYY-MM-DD for posts without one)")
            return None
        points = self.optional(row, "points", parse_points)
        edited = self.optional(row, "edited", lambda v: parse_date(v, self.options.date_format))
        return dict(
            dated=how,
            where=row.where,
            author=self.person(values.get("author", ""), points, self.url(row, "author_url")),
            date=date.replace(microsecond=0),
            body=self.body(values.get("body", ""), row.where),
            votes=self.optional(row, "votes", parse_int) or 0,
            edited=edited.replace(microsecond=0) if edited else None,
            edited_by=self.person(values["edited_by"], None) if values.get("edited_by") else None,
            source=self.url(row, "source"),
            license=values.get("license") or self.options.license or None,
        )

    def optional(self, row: Row, name: str, convert: Callable[[str], Any]) -> Any:
        """An optional value: None when empty; a bad one is left out with a note."""
        value = row.values.get(name, "")
        if not value:
            return None
        try:
            return convert(value)
        except ValueError:
            self.batch.note(row.where, f"{name}: {value!r} is not valid: left out")
            return None

    def person(self, name: str, points: int | None, url: str | None = None) -> str:
        """The handle for an author or editor column: a people.yml handle, or a name (with its profile url)."""
        name = " ".join(name.split())
        if not name or name.lower() == ANONYMOUS:
            return ANONYMOUS
        email = EMAIL_RE.search(name)
        if email:  # 'Jane <jane@example.org>' -> Jane; an address alone -> member (kept apart by the address)
            address = email.group(0).strip("<>").lower().removeprefix("mailto:")
            self.emails.add(address)
            name = " ".join(EMAIL_RE.sub(" ", name).strip(" ,;:()[]\"'").split())
            if name in self.batch.people.existing:
                return name
            slug = person_slug(name) or "member"
            return self.batch.people.add(
                f"email:{address}", name or "Member", [slug, *(f"{slug}-{n}" for n in range(2, 100))]
            )
        if name in self.batch.people.existing:
            return name  # a handle from people.yml
        slug = person_slug(name) or "member"
        candidates = [slug] + [f"{slug}-{n}" for n in range(2, 100)]
        if url is None and len(self.profiles.get(name, ())) == 1:
            url = next(iter(self.profiles[name]))  # the same name has this profile on its other rows
        key = f"url:{url}" if url else f"name:{name}"
        return self.batch.people.add(key, name, candidates, points=points, url=url)

    def body(self, text: str, where: str) -> str:
        """Markdown as is; HTML (by body_format, or when it looks like HTML) converted."""
        text = text.replace("\r\n", "\n")
        fmt = self.options.body_format
        if fmt == "html" or (fmt == "auto" and HTML_RE.search(text)):
            notes: list[str] = []
            markdown = html_to_markdown(text, self.options.site_url, notes=notes)
            for note in notes:
                self.batch.note(where, note)
            return markdown
        return text.strip()

    def url(self, row: Row, name: str) -> str | None:
        """A web address column (source, author_url); anything else is left out with a note."""
        value = row.values.get(name, "")
        if value and not URL_RE.match(value):
            self.batch.note(row.where, f"{name}: {value!r} is not a web address: left out")
            return None
        return value or None

    def report_defaults(self) -> None:
        """Say which imported posts got the editor's date, their question's date, or a category from the file."""
        batch = self.batch
        answers = [a for q in batch.questions for a in q.answers]
        dated_q = sum(id(q) in self.dated for q in batch.questions)
        dated_a = sum(id(a) in self.dated for a in answers)
        date = self.options.default_date
        if date is not None and (dated_q or dated_a):
            counts = " and ".join(c for c in (_count(dated_q, "question"), _count(dated_a, "answer")) if c)
            batch.notes.append(f"{counts} dated {date.date().isoformat()} (no date in the source)")
        first = sum(id(q) in self.dated_by_answer for q in batch.questions)
        if first:
            their = "its" if first == 1 else "their"
            batch.notes.append(
                f"{_count(first, 'question')} dated like {their} first answer (no question date in the source)"
            )
        like = sum(id(a) in self.dated_like_question for a in answers)
        if like:
            their = "its" if like == 1 else "their"
            batch.notes.append(f"{_count(like, 'answer')} dated like {their} question (no answer date in the source)")
        if self.emails:
            batch.notes.append(
                f"{len(self.emails):,} e-mail address{'es' if len(self.emails) > 1 else ''} in author columns left out "
                "(never published): "
                "the name beside it is kept, an address alone is imported as 'member'"
            )
        files: dict[str, int] = {}
        for question in batch.questions:
            if id(question) in self.filed:
                file = self.filed[id(question)][1]
                files[file] = files.get(file, 0) + 1
        for file, count in sorted(files.items()):
            batch.notes.append(
                f"{file}: {_count(count, 'question')} without a category put in {file_category(file)!r} "
                "(named after the file; give --category NAME to choose one)"
            )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}" if n else ""
