"""The import's options: the command line and the mapping file (columns, categories, license...)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .common import ImporterError
from .parsing import import_tag

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
    "author_url",
)
# One row per answer: the question's own columns, repeated on each of its rows (csv_grouped).
QUESTION_FIELDS = (
    "question_key",
    "question_title",
    "question_body",
    "question_author",
    "question_author_url",
    "question_date",
    "question_votes",
    "question_views",
    "question_url",
)


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
    default_date: dt.datetime | None = None
    subcategories: str = "top"  # Q2A sub-categories: under their top category, or "own" categories


def parse_map(text: str) -> dict[str, str]:
    """'title=Question,body=Body' -> {'title': 'Question', 'body': 'Body'}."""
    columns: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, sep, column = part.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise ImporterError(f"--map: {part!r} is not field=Column (example: --map title=Question,body=Body)")
        columns[name.strip()] = column.strip()
    return columns


def load_options(
    *, category: str = "", columns: str = "", mapping: Path | None = None, site_url: str = "", date: str = ""
) -> Options:
    """Options from the mapping file, overridden by the command line."""
    data = _read_mapping(mapping) if mapping else {}
    default_date = _default_date(date, "--date") if date else None
    if default_date is None and data.get("default_date"):
        default_date = _default_date(str(data["default_date"]), f"{mapping}: default_date")
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
        default_date=default_date,
        subcategories=str(data.get("subcategories") or "top"),
    )
    options.category = category or options.category
    options.site_url = (site_url or options.site_url).rstrip("/")
    options.columns.update(parse_map(columns))
    _check_options(options)
    if options.site_url and not re.match(r"https?://[^\s/]+", options.site_url):
        where = "--site-url" if site_url else f"{mapping}: site_url"
        raise ImporterError(
            f"{where}: {options.site_url!r} is not a web address: write it with https://, "
            f"like https://{options.site_url.split('://')[-1].lstrip('/') or 'forum.example.org'}"
        )
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
    "default_date",
    "subcategories",
)


def _default_date(value: str, where: str) -> dt.datetime:
    """The date an editor gives for posts whose source has none: YYYY-MM-DD."""
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value.strip()), dt.time())
    except ValueError as err:
        raise ImporterError(f"{where}: {value!r} is not a date: write it as YYYY-MM-DD, like 2020-03-25") from err


def _read_mapping(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ImporterError(f"{path}: no such mapping file (give --mapping the YAML file's path)")
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
    unknown = sorted(set(options.columns) - set(CSV_FIELDS) - set(QUESTION_FIELDS))
    if unknown:
        fields = ", ".join((*CSV_FIELDS, *QUESTION_FIELDS))
        raise ImporterError(f"unknown CSV field(s) {', '.join(unknown)} (fields: {fields})")
    if options.body_format not in ("auto", "html", "markdown"):
        raise ImporterError(f"body_format: {options.body_format!r} must be auto, html or markdown")
    if options.subcategories not in ("top", "own"):
        raise ImporterError(f"subcategories: {options.subcategories!r} must be top or own")
    options.categories = {import_tag(tag): name for tag, name in options.categories.items()}


CSV_REQUIRED = ("title", "body")
GROUPED_REQUIRED = ("question_key", "question_title", "question_body", "body")


def check_columns(options: Options, grouped: bool) -> None:
    """The CSV mapping names the fields its shape needs (``grouped``: one row per answer), or a date default."""
    question_fields = sorted(name for name in options.columns if name.startswith("question_"))
    if question_fields and not grouped:
        raise ImporterError(
            f"the column mapping has {', '.join(question_fields)} but no question_key: with one row per answer, map "
            "the column that identifies each row's question too (--map question_key=Column)"
        )
    required = GROUPED_REQUIRED if grouped else CSV_REQUIRED
    missing = [name for name in required if name not in options.columns]
    if missing:
        example = "question_key=Column,question_title=Column,..." if grouped else "title=Column,body=Column,..."
        raise ImporterError(
            f"the column mapping has no {', '.join(missing)}: give --map {example} or 'columns:' in --mapping FILE"
        )
    misplaced = [name for name in ("title", "question") if grouped and name in options.columns]
    if misplaced:
        raise ImporterError(
            f"the column mapping has {' and '.join(misplaced)} and question_key: with one row per answer, name the "
            "question's columns question_title, question_body, ... (rows sharing a question_key make one question)"
        )
    date = "question_date" if grouped else "date"
    if date not in options.columns and "date" not in options.columns and options.default_date is None:
        raise ImporterError(
            f"the column mapping has no {date}: map the column that holds it (--map {date}=Column), "
            "or give the date to show on every post with --date YYYY-MM-DD (or 'default_date:' in the mapping file)"
        )


def pick_category(tags: list[str], own: str | None, options: Options) -> str | None:
    """The first tag with a mapping, else the post's own category, else --category."""
    mapped = next((options.categories[t] for t in tags if t in options.categories), None)
    return mapped or (own or "").strip() or options.category or None
