"""CSV files read into mapped rows: the delimiter, fields of any size, exact repeated rows dropped.

``read_rows`` reads one file (UTF-8, comma, semicolon or tab separated) through the column
mapping into ``Row``s numbered as in a spreadsheet (the header is row 1); a row that is an exact
copy of one read before (in any file of the import) is dropped and counted. ``profiles`` collects
the profile address each author name comes with, for rows that leave it out.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import Batch, ImporterError
from .options import Options

URL_RE = re.compile(r"https?://[^\s/]+\S*$")
FIELD_LIMIT = 2**31 - 1  # csv's default is 128 KB per field; pasted posts can be larger


@dataclass
class Row:
    """One CSV row: where it is (for the report) and its mapped values by field name."""

    where: str
    file: str
    number: int
    values: dict[str, str]


def read_rows(file: Path, options: Options, batch: Batch, seen: set[tuple[Any, ...]]) -> list[Row]:
    """The rows of ``file`` through the mapping; exact repeats of rows in ``seen`` dropped (noted, counted)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImporterError(
            f"{file}: not UTF-8 text (byte {err.start + 1}): save it as UTF-8 (a spreadsheet's 'CSV UTF-8') "
            "and import it again"
        ) from err
    except OSError as err:
        raise ImporterError(f"{file}: cannot read it: {err.strerror}") from err
    delimiter = options.delimiter or _sniff(text)
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, FIELD_LIMIT)))
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise ImporterError(f"{file.name}: the file is empty: a CSV file starts with a header row naming its columns")
    absent = sorted(f"{column!r} (for {name})" for name, column in options.columns.items() if column not in header)
    if absent:
        raise ImporterError(f"{file.name}: no column {', '.join(absent)}; its columns are: {', '.join(header)}")
    reader.fieldnames = header
    rows: list[Row] = []
    repeated = 0
    try:
        for number, record in enumerate(reader, start=2):
            whole = tuple(sorted((str(k), str(v)) for k, v in record.items()))
            if whole in seen:
                repeated += 1
                continue
            seen.add(whole)
            values = {name: (record.get(column) or "").strip() for name, column in options.columns.items()}
            rows.append(Row(f"{file.name}: row {number}", file.name, number, values))
    except csv.Error as err:
        raise ImporterError(f"{file.name}: row {reader.line_num}: not readable as CSV: {err}") from err
    if repeated:
        batch.repeated += repeated
        batch.note(file.name, f"{repeated} repeated row(s) dropped (exact copies of an earlier row)")
    return rows


def profiles(rows: list[Row]) -> dict[str, set[str]]:
    """Each author name with the profile addresses (author_url) its rows give."""
    found: dict[str, set[str]] = {}
    for row in rows:
        for name, url in (("author", "author_url"), ("question_author", "question_author_url")):
            if row.values.get(name) and URL_RE.match(row.values.get(url, "")):
                found.setdefault(" ".join(row.values[name].split()), set()).add(row.values[url])
    return found


def _sniff(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)
