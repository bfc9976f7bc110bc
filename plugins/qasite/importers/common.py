"""What every importer shares: the imported post model, people, tags, options.

An importer reads its source into a ``Batch`` (questions with their answers,
the people they name, what it skipped and why); ``writer.write_batch`` turns
the batch into content files. Nothing here touches the content folder.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..content import rules
from ..content.model import ANONYMOUS
from ..content.schema import MAX_TAGS, WINDOWS_RESERVED, FieldError, check_name, to_title

logger = logging.getLogger(__name__)

SLUG_LENGTH = 80
# Letters NFKD does not decompose into ASCII.
_TRANSLIT = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i", "ħ": "h"}
)
CSV_FIELDS = (
    "id",
    "question",
    "title",
    "body",
    "date",
    "category",
    "tags",
    "author",
    "points",
    "votes",
    "views",
    "accepted",
    "edited",
    "edited_by",
    "source",
    "license",
)


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


@dataclass
class ImportedPerson:
    """A people.yml entry the import needs (added only when the handle is new)."""

    handle: str
    name: str
    points: int | None = None
    url: str | None = None

    def entry(self) -> dict[str, Any]:
        """The people.yml fields, in the documented order."""
        values = {"name": self.name, "url": self.url, "points": self.points}
        return {key: value for key, value in values.items() if value is not None}


@dataclass
class Options:
    """Everything the command line and the mapping file can set."""

    category: str = ""
    categories: dict[str, str] = field(default_factory=dict)
    license: str = ""
    site_url: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    date_format: str = ""
    delimiter: str = ""
    body_format: str = "auto"
    default_tags: list[str] = field(default_factory=list)


class People:
    """Handles for the people an import names, merged with content/people.yml.

    A source user keeps one handle for the whole import. A candidate handle is
    taken when another imported user already has it, or when people.yml has it
    for someone else: an existing entry is the same person when its ``url``
    is the user's profile address, or its ``name`` is the user's name.
    """

    def __init__(self, existing: dict[str, dict[str, Any]]) -> None:
        self.existing = existing
        self.by_key: dict[str, ImportedPerson] = {}
        self.by_handle: dict[str, str] = {}

    def add(
        self, key: str, name: str, candidates: list[str], *, points: int | None = None, url: str | None = None
    ) -> str:
        """Return the handle for source user ``key``, registering it on first use."""
        if key in self.by_key:
            person = self.by_key[key]
            if points is not None and (person.points is None or points > person.points):
                person.points = points
            return person.handle
        handle = next((h for h in _unique(candidates) if self._free(h, name, url)), None)
        if handle is None:
            logger.warning("no free handle for %s (%s): using %s", key, name, ANONYMOUS)
            return ANONYMOUS
        self.by_key[key] = ImportedPerson(handle, name, points, url)
        self.by_handle[handle] = key
        return handle

    def _free(self, handle: str, name: str, url: str | None) -> bool:
        if handle == ANONYMOUS or check_name(handle) or handle in self.by_handle:
            return False
        entry = self.existing.get(handle)
        if not isinstance(entry, dict):
            return entry is None
        same_url = bool(url) and entry.get("url") == url
        return same_url or entry.get("name") == name

    def new_entries(self, used: set[str]) -> dict[str, dict[str, Any]]:
        """people.yml entries for the used handles that people.yml does not have yet, sorted."""
        return {
            person.handle: person.entry()
            for person in sorted(self.by_key.values(), key=lambda p: p.handle)
            if person.handle in used and person.handle not in self.existing
        }


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
            if not tag:
                self.dropped[raw] += 1
                continue
            if tag != raw.strip():
                self.changed[(raw.strip(), tag)] += 1
            if tag not in tags:
                tags.append(tag)
        return tags[:MAX_TAGS], tags[MAX_TAGS:]

    def notes(self) -> list[str]:
        """One line per distinct change, sorted."""
        lines = [f"tag {raw!r} imported as {tag!r} ({n}x)" for (raw, tag), n in sorted(self.changed.items())]
        lines += [f"tag {raw!r} has no letters or digits: left out ({n}x)" for raw, n in sorted(self.dropped.items())]
        return lines


@dataclass
class Batch:
    """What an importer read: questions (with answers), people, skips and notes."""

    source: str
    people: People
    tags: Tags = field(default_factory=Tags)
    questions: list[ImportedQuestion] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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
            reason = question_problem(question)
            if reason:
                count = len(question.answers)
                self.skip(question.where, reason + (f"; its {count} answer(s) too" if count else ""))
                continue
            self._tidy_edit(question)
            question.answers = sorted(self._valid_answers(question), key=sort_key)
            kept.append(question)
        self.questions = sorted(kept, key=sort_key)
        self.skipped.sort(key=natural_key)
        self.notes = self.tags.notes() + sorted(self.notes, key=natural_key)

    def _valid_answers(self, question: ImportedQuestion) -> list[ImportedAnswer]:
        answers = []
        for answer in sorted(question.answers, key=sort_key):
            if empty := rules.empty_text(answer.body):
                self.skip(answer.where, empty.message)
            elif rules.answered_before_asked(answer.date, question.date):
                when = f"{answer.date.date()} is before the question ({question.date.date()})"
                self.skip(answer.where, f"answered before the question was asked: {when}")
            else:
                self._tidy_edit(answer)
                answers.append(answer)
        first, extra = rules.extra_accepted(answers)
        for answer in extra:
            answer.accepted = False
            self.note(answer.where, f"not marked accepted: {rules.accepted_twice(first.where).message}")
        return answers

    def _tidy_edit(self, post: ImportedQuestion | ImportedAnswer) -> None:
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
    if empty := rules.empty_text(question.body):
        return empty.message
    return None


def sort_key(post: ImportedQuestion | ImportedAnswer) -> tuple[dt.datetime, tuple[Any, ...]]:
    """Oldest first, then by source id (numbers in numeric order)."""
    return rules.naive_utc(post.date), natural_key(post.key)


def natural_key(text: str) -> tuple[Any, ...]:
    """'post 12' sorts before 'post 100'."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


# -- text helpers ------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase ASCII approximation: 'Dalô Dehéf' -> 'dalo dehef'."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    return text.encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_length: int = SLUG_LENGTH) -> str:
    """A URL slug of lowercase ASCII letters, digits and single hyphens, cut at a word."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text.replace("&", " and "))).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    slug = slug.strip("-")
    return f"{slug}-1" if WINDOWS_RESERVED.fullmatch(slug) else slug


def person_slug(name: str) -> str:
    """A handle made from a name, or '' when most of the name is lost ('noɥʇʎԀʎzɐɹƆ')."""
    slug = slugify(name, 40)
    letters = sum(ch.isalnum() for ch in name)
    return slug if len(slug.replace("-", "")) * 2 > letters else ""


def import_tag(raw: str) -> str:
    """A site tag for a source tag: 'c#' -> 'c-sharp', 'c++' -> 'c-plus-plus', '.net' -> 'dot-net'."""
    tag = raw.strip().lower()
    tag = re.sub(r"(?<=[a-z0-9])#", "-sharp-", tag)
    tag = tag.replace("+", "-plus-").replace("&", "-and-")
    tag = re.sub(r"(?:^|(?<=[^a-z0-9]))\.(?=[a-z0-9])", "dot-", tag)
    return re.sub(r"[^a-z0-9]+", "-", fold(tag)).strip("-")


def split_tags(value: str) -> list[str]:
    """Split '<a><b>', '|a|b|', 'a, b' or 'a; b' into tags."""
    value = value.strip()
    if re.fullmatch(r"(<[^<>]+>)+", value):
        return re.findall(r"<([^<>]+)>", value)
    return [part.strip() for part in re.split(r"[|,;]", value) if part.strip()]


def parse_int(value: str) -> int:
    """'+12', '-3', '1,840' -> int; raises ValueError."""
    return int(value.strip().replace(",", "").replace("\u202f", "").replace(" ", "").lstrip("+"))


def parse_points(value: str) -> int:
    """Forum points as shown: '950', '6.5k', '12k', '1.2m', '7,250' -> int; raises ValueError."""
    match = re.fullmatch(r"\(?\s*([0-9][0-9.,]*)\s*([kKmM]?)\s*(?:points?)?\s*\)?", value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a points value")
    number, unit = match.groups()
    try:
        amount = Decimal(number.replace(",", "")) if unit else Decimal(number.replace(",", "").replace(".", ""))
    except InvalidOperation as err:
        raise ValueError(f"{value!r} is not a points value") from err
    return int(amount * {"": 1, "k": 1000, "m": 1_000_000}[unit.lower()])


def parse_date(value: str, date_format: str = "") -> dt.datetime:
    """An ISO date or datetime (or ``date_format``); aware values are kept aware. Raises ValueError."""
    text = value.strip()
    if date_format:
        return dt.datetime.strptime(text, date_format)
    if re.fullmatch(r".*[+-]\d{4}", text):
        text = text[:-2] + ":" + text[-2:]
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_utc(value: dt.datetime) -> dt.datetime:
    """Aware values in UTC without microseconds; naive values without microseconds."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(microsecond=0)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


# -- options -----------------------------------------------------------------


def parse_map(text: str) -> dict[str, str]:
    """'title=Question,body=Body' -> {'title': 'Question', 'body': 'Body'}."""
    columns: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, sep, column = part.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise ImporterError(f"--map: {part!r} is not field=Column (example: --map title=Question,body=Body)")
        columns[name.strip()] = column.strip()
    return columns


def load_options(*, category: str = "", columns: str = "", mapping: Path | None = None, site_url: str = "") -> Options:
    """Options from the mapping file, overridden by the command line."""
    data = _read_mapping(mapping) if mapping else {}
    options = Options(
        category=str(data.get("category") or ""),
        categories={str(k).strip(): str(v) for k, v in (data.get("categories") or {}).items()},
        license=str(data.get("license") or ""),
        site_url=str(data.get("site_url") or ""),
        columns={str(k): str(v) for k, v in (data.get("columns") or {}).items()},
        date_format=str(data.get("date_format") or ""),
        delimiter=str(data.get("delimiter") or ""),
        body_format=str(data.get("body_format") or "auto"),
        default_tags=[str(t) for t in data.get("default_tags") or []],
    )
    options.category = category or options.category
    options.site_url = (site_url or options.site_url).rstrip("/")
    options.columns.update(parse_map(columns))
    _check_options(options)
    return options


MAPPING_KEYS = (
    "columns",
    "categories",
    "category",
    "license",
    "site_url",
    "date_format",
    "delimiter",
    "body_format",
    "default_tags",
)


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ImporterError(f"{path}: cannot read the mapping file: {err}") from err
    if not isinstance(data, dict):
        raise ImporterError(f"{path}: the mapping file must be a YAML mapping (columns:, categories:, ...)")
    unknown = sorted(str(k) for k in data if k not in MAPPING_KEYS)
    if unknown:
        raise ImporterError(f"{path}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(MAPPING_KEYS)})")
    for key in ("columns", "categories"):
        if not isinstance(data.get(key) or {}, dict):
            raise ImporterError(f"{path}: '{key}:' must be a mapping, one 'name: value' per line")
    if not isinstance(data.get("default_tags") or [], list):
        raise ImporterError(f"{path}: 'default_tags:' must be a list, like [general]")
    return data


def _check_options(options: Options) -> None:
    unknown = sorted(set(options.columns) - set(CSV_FIELDS))
    if unknown:
        raise ImporterError(f"unknown CSV field(s) {', '.join(unknown)} (fields: {', '.join(CSV_FIELDS)})")
    if options.body_format not in ("auto", "html", "markdown"):
        raise ImporterError(f"body_format: {options.body_format!r} must be auto, html or markdown")
    if options.site_url and not re.match(r"https?://[^\s/]+", options.site_url):
        raise ImporterError(f"site URL {options.site_url!r} must start with https://")
    options.categories = {import_tag(tag): name for tag, name in options.categories.items()}


def pick_category(tags: list[str], own: str | None, options: Options) -> str | None:
    """The first tag with a mapping, else the post's own category, else --category."""
    mapped = next((options.categories[t] for t in tags if t in options.categories), None)
    return mapped or (own or "").strip() or options.category or None
