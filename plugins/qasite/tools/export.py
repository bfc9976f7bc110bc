"""`invoke export`: the published site as open data: ``questions.jsonl`` and the CSV pair.

The content is loaded and checked as `invoke check` does (errors stop the export: nothing is written);
each published question becomes one line of ``questions.jsonl`` (``open_data.Records``), and the same
records are flattened into ``questions.csv`` (one row per question) and ``answers.csv`` (one row per
answer, ``question`` naming its question's slug). Drafts are never exported. Same content, same bytes.
See docs/open-data.md.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build import progress
from ..build.pipeline import load_content, load_settings
from ..config.problems import BuildError, ContentError, SettingsError, format_problems
from ..config.settings import urls_from
from .open_data import Records

logger = logging.getLogger(__name__)

JSONL, QUESTIONS_CSV, ANSWERS_CSV = "questions.jsonl", "questions.csv", "answers.csv"
QUESTION_COLUMNS = (
    "slug", "url", "title", "date", "edited", "edited_by", "author", "author_name", "category", "tags", "votes",
    "views", "answers", "accepted_answer", "source", "license", "body",
)  # fmt: skip
ANSWER_COLUMNS = (
    "question", "id", "url", "author", "author_name", "date", "edited", "edited_by", "votes", "accepted", "source",
    "license", "body",
)  # fmt: skip
# Line and paragraph separators are valid inside JSON strings but end a line for some readers: escaped.
SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass
class Exported:
    """What was exported, for the summary line."""

    out: Path
    questions: int
    answers: int
    people: int
    drafts: int

    def summary(self) -> str:
        """``Exported 31 questions, 64 answers, 12 people to export/ (questions.jsonl, ...); 1 draft left out.``"""
        return (
            f"Exported {_count(self.questions, 'question')}, {_count(self.answers, 'answer')}, "
            f"{_count(self.people, 'person', 'people')} to {self.out}/ "
            f"({JSONL}, {QUESTIONS_CSV}, {ANSWERS_CSV}); {_count(self.drafts, 'draft')} left out."
        )


def _count(number: int, one: str, many: str = "") -> str:
    """``1 question``, ``1,944 answers``."""
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def json_line(record: dict[str, Any]) -> str:
    """One record as one line of JSON (UTF-8 text, keys in the documented order)."""
    return json.dumps(record, ensure_ascii=False).translate(SEPARATORS)


def export_site(settings: dict[str, Any], out: Path) -> Exported:
    """Write the open-data files of the site ``settings`` describe into ``out``; ContentError on errors."""
    loaded = load_content(settings=settings, render=False)
    errors = [p for p in loaded.problems if p.is_error]
    if errors:
        raise ContentError(errors)
    site, content = loaded.site, loaded.content.resolve()
    if out.resolve() == content or content in out.resolve().parents:
        raise BuildError(f"{out}: the export would be written into the content folder; choose another --out")
    records = Records(site, loaded.content, urls_from(settings), settings["SITEURL"])
    lines, people = [], set()
    questions, answers = _table(QUESTION_COLUMNS), _table(ANSWER_COLUMNS)
    with progress.phase("exporting", total=len(site.questions), unit="questions") as exporting:
        for question in site.questions:
            record = records.question(question)
            lines.append(json_line(record) + "\n")
            people |= {p["handle"] for p in record["people"]}
            _rows(record, questions, answers)
            exporting.advance()
    out.mkdir(parents=True, exist_ok=True)
    (out / JSONL).write_text("".join(lines), encoding="utf-8")
    for name, table in ((QUESTIONS_CSV, questions), (ANSWERS_CSV, answers)):
        (out / name).write_text(table[0].getvalue(), encoding="utf-8", newline="")
    count = sum(len(q.answers) for q in site.questions)
    return Exported(out, len(site.questions), count, len(people - {"anonymous"}), len(site.drafts))


def _table(columns: tuple[str, ...]) -> tuple[io.StringIO, csv.DictWriter]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    return buffer, writer


def _rows(record: dict[str, Any], questions: tuple[io.StringIO, Any], answers: tuple[io.StringIO, Any]) -> None:
    """One row of questions.csv and one row of answers.csv per answer."""
    names = {p["handle"]: p["name"] for p in record["people"]}
    accepted = next((a["id"] for a in record["answers"] if a["accepted"]), None)
    row = {key: record[key] for key in QUESTION_COLUMNS if key in record}
    row |= {"author_name": names[record["author"]], "category": record["category"]["name"]}
    row |= {"tags": "; ".join(record["tags"]), "answers": len(record["answers"]), "accepted_answer": accepted}
    questions[1].writerow(_cells(row))
    for answer in record["answers"]:
        cells = {key: answer[key] for key in ANSWER_COLUMNS if key in answer}
        answers[1].writerow(_cells(cells | {"question": record["slug"], "author_name": names[answer["author"]]}))


def _cells(row: dict[str, Any]) -> dict[str, str]:
    """CSV cells: empty for null, true/false for booleans."""
    return {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in row.items()}


def run_export(settings_file: Path, out: Path) -> int:
    """`invoke export`: print the summary (or the problems); return the exit code."""
    try:
        settings = load_settings(settings_file)
        with progress.shown(sys.stderr):
            exported = export_site(settings, out)
    except ContentError as err:
        print(format_problems(err.problems), file=sys.stderr)
        return 1
    except (BuildError, SettingsError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(exported.summary())
    return 0
