"""What every importer produces: a ``Batch`` of imported questions and answers, and why posts were skipped.

An importer reads its source into a ``Batch``: questions with their answers, the
people they name (handles: see ``people``), what it skipped and why. ``writer.write_batch``
turns the batch into content files. Nothing here touches the content folder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..content import rules
from ..content.slugs import category_slug, check_name
from ..content.values import CONTROL_CHARACTERS, MAX_TAGS, FieldError, to_text, to_title
from ..render.markdown import render
from .parsing import import_tag
from .people import People

UNTAGGED_FIX = " (give others with 'default_tags:' in the mapping file)"


class ImporterError(Exception):
    """The import cannot start: bad options, missing files, unreadable people.yml."""


@dataclass
class ImportedAnswer:
    """One answer, ready to be written as content/questions/<slug>/answers/<id>.md."""

    key: str
    where: str
    author: str
    date: dt.datetime
    body: str
    votes: int = 0
    accepted: bool = False
    edited: dt.datetime | None = None
    edited_by: str | None = None
    source: str | None = None
    license: str | None = None
    name: str | None = None  # the file name (without .md) to keep, when the source has one (jsonl)
    reviewed_by: str | None = None
    last_reviewed: dt.date | None = None


@dataclass
class ImportedQuestion:
    """One question, ready to be written as content/questions/<slug>/index.md."""

    key: str
    where: str
    title: str
    date: dt.datetime
    category: str
    tags: list[str]
    author: str
    body: str
    votes: int = 0
    views: int | None = None
    edited: dt.datetime | None = None
    edited_by: str | None = None
    source: str | None = None
    license: str | None = None
    answers: list[ImportedAnswer] = field(default_factory=list)
    slug: str | None = None  # the folder name to keep, when the source has one (jsonl)
    sensitive: bool = False
    reviewed_by: str | None = None
    last_reviewed: dt.date | None = None


class Tags:
    """Turn source tags into site tags and remember what changed, for the report."""

    def __init__(self) -> None:
        self.changed: Counter[tuple[str, str]] = Counter()
        self.dropped: Counter[str] = Counter()

    def convert(self, raw_tags: list[str]) -> tuple[list[str], list[str]]:
        """Return (up to 5 unique site tags, the tags left over beyond five)."""
        tags: list[str] = []
        for raw in raw_tags:
            tag = import_tag(raw)
            if not tag or check_name(tag):  # no letters or digits, or too long for a tag
                self.dropped[raw[:60]] += 1
                continue
            if tag != "-".join(raw.lower().split()):  # case and spacing are normalised silently
                self.changed[(raw.strip(), tag)] += 1
            if tag not in tags:
                tags.append(tag)
        return tags[:MAX_TAGS], tags[MAX_TAGS:]

    def notes(self) -> list[str]:
        """One line per distinct change, sorted."""
        lines = [f"tag {raw!r} imported as {tag!r} ({n}x)" for (raw, tag), n in sorted(self.changed.items())]
        lines += [f"tag {raw!r} cannot be a tag: left out ({n}x)" for raw, n in sorted(self.dropped.items())]
        return lines


@dataclass
class Batch:
    """What an importer read: questions (with answers), people, skips and notes."""

    source: str
    people: People
    tags: Tags = field(default_factory=Tags)
    questions: list[ImportedQuestion] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)
    category_order: dict[str, tuple[int, ...]] = field(default_factory=dict)  # the source's order, when it has one
    category_fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # order, content_note... (jsonl)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repeated: int = 0  # exact repeated rows dropped (CSV), counted in the summary
    untagged: Counter[str] = field(default_factory=Counter)  # questions tagged with their category, by source file

    def tags_or_default(self, tags: list[str], default_tags: list[str], category: str, where: str) -> list[str]:
        """A question's ``tags``; without any, ``default_tags`` (mapping file), else its category as its tag.

        The one rule of every importer: a source without tags still gives questions that pass `check`.
        Questions tagged with their category are counted: one note per ``where`` (file or table).
        """
        if tags:
            return tags
        tags, _ = self.tags.convert(default_tags or [category])
        if tags and not default_tags:
            self.untagged[where] += 1
        return tags

    def skip(self, where: str, reason: str) -> None:
        """Record a post or row that was not imported."""
        self.skipped.append(f"{where}: {reason} (skipped)")

    def note(self, where: str, message: str) -> None:
        """Record something that was imported with a change."""
        self.notes.append(f"{where}: {message}")

    def finish(self) -> None:
        """Drop what cannot pass `check` (with the reason), fix what can be fixed, sort."""
        kept = []
        for question in self.questions:
            question.body = invisible(question.body)
            reason = question_problem(question)
            if reason:
                count = len(question.answers)
                self.skip(question.where, reason + (f"; its {count} answer(s) too" if count else ""))
                continue
            self._tidy(question)
            question.answers = sorted(self._valid_answers(question), key=sort_key)
            kept.append(question)
        self.questions = sorted(kept, key=sort_key)
        for where, count in self.untagged.items():
            self.note(where, f"{count} question(s) without tags tagged with their category{UNTAGGED_FIX}")
        self.skipped.sort(key=natural_key)
        self.notes = self.tags.notes() + sorted(self.notes, key=natural_key)

    def _valid_answers(self, question: ImportedQuestion) -> list[ImportedAnswer]:
        answers = []
        for answer in sorted(question.answers, key=sort_key):
            answer.body = invisible(answer.body)
            if empty := rules.empty_text(answer.body):
                self.skip(answer.where, empty.message)
            elif deep := too_deep(answer.body):
                self.skip(answer.where, deep)
            elif rules.answered_before_asked(answer.date, question.date):
                when = f"{answer.date.date()} is before the question ({question.date.date()})"
                self.skip(answer.where, f"answered before the question was asked: {when}")
            else:
                self._tidy(answer)
                answers.append(answer)
        first, extra = rules.extra_accepted(answers)
        for answer in extra:
            answer.accepted = False
            self.note(answer.where, f"not marked accepted: {rules.accepted_twice(first.where).message}")
        return answers

    def _tidy(self, post: ImportedQuestion | ImportedAnswer) -> None:
        """An edit date before the post, and a licence `check` would refuse, left out (noted)."""
        if post.license is not None:
            try:
                post.license = to_text(post.license)
            except FieldError as err:
                self.note(post.where, f"license {post.license[:60]!r} {err.message}: left out")
                post.license = None
        if rules.edited_before_posted(post.edited, post.date):
            self.note(post.where, "edit date is before the post date: left out")
            post.edited = post.edited_by = None
        if rules.editor_without_edit(post.edited_by, post.edited):
            post.edited_by = None


def question_problem(question: ImportedQuestion) -> str | None:
    """Why a question cannot be written, or None."""
    try:
        to_title(question.title)
    except FieldError as err:
        return f"title {err.message}"
    if not question.tags:
        return "no tags (map a tags column, or set default_tags in the mapping file)"
    if not question.category:
        return "no category (give --category NAME, or map its tags to categories in the mapping file)"
    try:
        to_text(question.category)
    except FieldError as err:
        return (
            f"category {question.category[:60]!r} {err.message} (give --category NAME, or map it in the mapping file)"
        )
    if bad := check_name(category_slug(question.category)):
        return f"category {question.category[:60]!r}: its URL slug {bad.reason} (give --category NAME instead)"
    if empty := rules.empty_text(question.body):
        return empty.message
    return too_deep(question.body)


def invisible(text: str) -> str:
    """A text without the invisible control characters `check` refuses in texts (NUL, Ctrl-Z...: never meant)."""
    return CONTROL_CHARACTERS.sub("", text)


NESTED = re.compile(r"^[ \t>*+\-\d.)]{9,}", re.M)  # a line opening 9+ lists or quotes, the least it takes


def too_deep(body: str) -> str | None:
    """Why ``body`` cannot be published, when its lists or quotes nest deeper than the site reads (as `check`)."""
    if not NESTED.search(body):  # the parse below only for texts that could nest that deep
        return None
    line = render(body, html=False).too_deep
    if line is None:
        return None
    return f"text line {line + 1}: lists or quotes are nested too deeply (the text from there on would be lost)"


def sort_key(post: ImportedQuestion | ImportedAnswer) -> tuple[dt.datetime, tuple[Any, ...]]:
    """Oldest first, then by source id (numbers in numeric order)."""
    return rules.naive_utc(post.date), natural_key(post.key)


def natural_key(text: str) -> tuple[Any, ...]:
    """'post 12' sorts before 'post 100'."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)
