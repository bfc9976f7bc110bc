"""The site's own open data (``questions.jsonl`` from `invoke export`) to a ``Batch``: the round trip back.

Each line is one question record (docs/open-data.md): its folder name (``slug``), answers' file names
(``id``), handles, dates and Markdown are kept as they are, so exporting a site and importing the file into
an empty folder writes the same question and answer files again. People come from each record's
``people`` (public fields: name, credentials, bio, website, imported points), categories from its
``category``. A review (``reviewed_by``) rests on this site's check of the reviewer's licence, which open
data does not carry: it is kept only when the target people.yml already verifies the reviewer.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from ..content.model import ANONYMOUS
from ..content.slugs import category_slug, check_name
from ..content.values import FieldError, to_text, to_url
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .options import Options, pick_category
from .people import People

logger = logging.getLogger(__name__)


class RecordError(ValueError):
    """A record's key is missing or has the wrong type."""


def read_jsonl(path: Path, options: Options, people: People) -> Batch:
    """Read a .jsonl file (or every *.jsonl in a folder) into a Batch."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise ImporterError(f"{path}: no .jsonl files here")
    batch = Batch(path.name, people)
    records = 0
    for file in files:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImporterError(
                f"{file}: not UTF-8 text (byte {err.start + 1}): save it as UTF-8 and import it again"
            ) from err
        except OSError as err:
            raise ImporterError(f"{file}: cannot read it: {err.strerror}") from err
        for number, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 is no line break
            if line.strip():
                records += 1
                _Record(batch, options, f"{file.name}: line {number}").read(line)
    if not records:
        empty = "the file is empty" if path.is_file() else "its .jsonl files are empty"
        raise ImporterError(f"{path}: {empty}: give the questions.jsonl `invoke export` wrote (one question a line)")
    batch.finish()
    return batch


def _get(data: Any, key: str, kind: type | tuple[type, ...], *, required: bool = True) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = " or ".join(t.__name__ for t in (kind if isinstance(kind, tuple) else (kind,)))
        raise RecordError(f"'{key}' must be {names.replace('str', 'text').replace('int', 'a whole number')}")
    return value


def _name(data: Any, key: str) -> str:
    """A folder or file name kept from the record: lowercase words joined by hyphens, nothing else."""
    name = _get(data, key, str)
    if check_name(name):
        raise RecordError(f"'{key}': {name!r} is not a valid name (lowercase letters, digits and single hyphens)")
    return name


def _text(data: Any, key: str) -> str:
    """A required one-line text (a name, a category): the record is skipped when it cannot pass `check`."""
    try:
        return to_text(_get(data, key, str))
    except FieldError as err:
        raise RecordError(f"'{key}': {err.message} ({err.fix})") from err


def _date(data: Any, key: str, *, required: bool = True) -> dt.datetime | None:
    text = _get(data, key, str, required=required)
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError as err:
        raise RecordError(f"'{key}': {text!r} is not an ISO date (2023-06-28 or 2023-06-28T14:05:00Z)") from err


class _Record:
    """One line: a question record with its answers and people."""

    def __init__(self, batch: Batch, options: Options, where: str) -> None:
        self.batch, self.options, self.where = batch, options, where
        self.handles: dict[str, str] = {ANONYMOUS: ANONYMOUS}

    def read(self, line: str) -> None:
        try:
            record = json.loads(line)
        except ValueError as err:
            self.batch.skip(self.where, f"not a JSON record: {err}")
            return
        except RecursionError:  # [[[[... nested deeper than Python's JSON reader goes
            self.batch.skip(self.where, "not a JSON record: nested too deep")
            return
        try:
            self._people(_get(record, "people", list))
            question = self._question(record)
        except RecordError as err:
            self.batch.skip(self.where, str(err))
            return
        self.batch.questions.append(question)

    def _people(self, people: list[Any]) -> None:
        for person in people:
            handle = _get(person, "handle", str)
            if handle == ANONYMOUS:
                continue
            name = _text(person, "name")
            candidates = [handle] + [f"{handle}-{n}" for n in range(2, 10)]
            points = _get(person, "imported_points", int, required=False)
            url = self._url(person, "website", f"{self.where}: {handle}")
            new = self.batch.people.add(f"handle:{handle}", name, candidates, points=points, url=url)
            self.handles[handle] = new
            if new != ANONYMOUS:
                imported = self.batch.people.by_key[f"handle:{handle}"]
                imported.credentials = self._optional(person, "credentials", f"{self.where}: {handle}")
                imported.bio = self._optional(person, "bio", f"{self.where}: {handle}")

    def _optional(self, data: Any, key: str, where: str) -> str | None:
        """An optional one-line text (licence, bio...); one that cannot pass `check` is left out with a note."""
        value = _get(data, key, str, required=False)
        try:
            return None if value is None else to_text(value)
        except FieldError as err:
            self.batch.note(where, f"{key}: {value[:60]!r} {err.message}: left out")
            return None

    def _url(self, data: Any, key: str, where: str) -> str | None:
        """A web address (source, website); anything else (javascript:, mailto:...) left out with a note."""
        value = _get(data, key, str, required=False)
        if value is None:
            return None
        try:
            return to_url(value)
        except FieldError:
            self.batch.note(where, f"{key}: {value[:60]!r} is not a web address: left out")
            return None

    def _handle(self, data: Any, key: str, *, required: bool = True) -> str | None:
        handle = _get(data, key, str, required=required)
        if handle is None:
            return None
        if handle not in self.handles:
            raise RecordError(f"'{key}': {handle!r} is not in the record's 'people'")
        return self.handles[handle]

    def _review(self, data: Any, where: str) -> dict[str, Any]:
        reviewer = _get(data, "reviewed_by", str, required=False)
        day = _date(data, "last_reviewed", required=False)
        if reviewer is None or day is None:
            return {}
        member = self.batch.people.existing.get(self.handles.get(reviewer, reviewer))
        if member is None or member.verification is None:
            why = "a review rests on this site's check of the reviewer's licence (people.yml verified:)"
            self.batch.note(where, f"review by {reviewer} on {day.date()} left out: {why}; verify them, then add it")
            return {}
        return {"reviewed_by": member.handle, "last_reviewed": day.date()}

    def _post(self, data: Any, where: str) -> dict[str, Any]:
        return {
            "where": where,
            "author": self._handle(data, "author"),
            "date": _date(data, "date"),
            "body": _get(data, "body", str),
            "votes": _get(data, "votes", int, required=False) or 0,
            "edited": _date(data, "edited", required=False),
            "edited_by": self._handle(data, "edited_by", required=False),
            "source": self._url(data, "source", where),
            "license": self._optional(data, "license", where),
            **self._review(data, where),
        }

    def _question(self, record: Any) -> ImportedQuestion:
        category = _get(record, "category", dict)
        name = _text(category, "name")
        if bad := check_name(category_slug(name)):
            raise RecordError(f"'name': the category {name[:60]!r} cannot be a category: its URL slug {bad.reason}")
        self.batch.categories.setdefault(name, _get(category, "description", str))
        extra = {"order": _get(category, "order", int, required=False)}
        extra |= {"content_note": self._optional(category, "content_note", self.where)}
        extra |= {"review_interval_days": _get(category, "review_interval_days", int, required=False)}
        extra |= {"sensitive": True if _get(category, "sensitive", bool, required=False) else None}
        self.batch.category_fields.setdefault(name, {k: v for k, v in extra.items() if v is not None})
        tags, left = self.batch.tags.convert([str(tag) for tag in _get(record, "tags", list)])
        if left:
            self.batch.note(self.where, f"more than 5 tags: left out {', '.join(left)}")
        views = _get(record, "views", int, required=False)
        if views is not None and views < 0:
            self.batch.note(self.where, f"views: {views} is negative: left out")
            views = None
        question = ImportedQuestion(
            key=_name(record, "slug"),
            slug=_name(record, "slug"),
            title=_get(record, "title", str),
            category=pick_category(tags, name, self.options) or "",
            tags=tags,
            views=views,
            sensitive=_get(record, "sensitive", bool, required=False) is True,
            **self._post(record, self.where),
        )
        for answer in _get(record, "answers", list):
            key = _name(answer, "id")
            where = f"{self.where}: answer {key}"
            accepted = _get(answer, "accepted", bool, required=False) is True
            question.answers.append(ImportedAnswer(key=key, name=key, accepted=accepted, **self._post(answer, where)))
        return question
