"""Import questions and answers from other forums into content/.

``run_import("stackexchange" | "csv" | "q2a" | "q2a-db" | "jsonl", path, content)`` reads the
source into a ``Batch`` (see ``common``), then ``writer.write_batch`` writes
it: deterministic, idempotent, never overwriting an edited file without
``force``, merging people.yml and categories.yml. Every post that cannot be
imported is reported with the reason. See docs/importing.md.

Modules: stackexchange, csv_import, q2a, q2a_db, jsonl (the readers; q2a_db with mysqldump, dumpfiles, sqltext
and q2a_tables; jsonl reads `invoke export`'s open data), csv_grouped (CSV with one row per answer), csv_rows
(CSV files to rows), stackexchange_site (which site a dump is from), common (the batch), people (handles),
parsing (forum values), options (command line and mapping file), plan (where each post goes and its text),
writer (writing the batch), state (what the last import wrote: refresh or keep), html_to_markdown,
html_cleanup (rich-text editor HTML tidied first), markdown_syntax, licenses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ..build import progress
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .csv_import import read_csv
from .jsonl import read_jsonl
from .options import Options, load_options
from .people import ImportedPerson, People
from .q2a import read_pages
from .q2a_db import read_database
from .stackexchange import read_dump
from .writer import Existing, Report, write_batch

logger = logging.getLogger(__name__)

Reader = Callable[[Path, Options, People], Batch]
IMPORTERS: dict[str, Reader] = {
    "stackexchange": read_dump,
    "csv": read_csv,
    "q2a": read_pages,
    "q2a-db": read_database,
    "jsonl": read_jsonl,
}

__all__ = [
    "IMPORTERS",
    "Batch",
    "ImportedAnswer",
    "ImportedPerson",
    "ImportedQuestion",
    "ImporterError",
    "Options",
    "Report",
    "run_import",
]


def run_import(
    source: str,
    path: Path,
    content: Path,
    *,
    category: str = "",
    force: bool = False,
    columns: str = "",
    mapping: Path | None = None,
    site_url: str = "",
    date: str = "",
) -> Report:
    """Import ``path`` (read by the ``source`` importer) into the ``content`` folder.

    Raises ImporterError when the import cannot start (unknown source, missing
    file, bad options); problems with single posts are in the report instead.
    """
    reader = IMPORTERS.get(source)
    if reader is None:
        raise ImporterError(f"unknown source {source!r}: use one of {', '.join(sorted(IMPORTERS))}")
    if not path.exists():
        raise ImporterError(f"{path}: no such file or folder")
    if content.exists() and not content.is_dir():
        raise ImporterError(f"{content}: a file, not a folder: give --content the content folder")
    options = load_options(category=category, columns=columns, mapping=mapping, site_url=site_url, date=date)
    existing = Existing.read(content)
    with progress.phase("reading", unit="questions") as reading:  # a running clock; the count when read
        batch = reader(path, options, People(existing.people))
        reading.advance(len(batch.questions))
    try:
        content.mkdir(parents=True, exist_ok=True)
        report = write_batch(batch, existing, force=force)
    except OSError as err:  # not a folder, read-only, disk full: say where, never a traceback
        raise ImporterError(f"{err.filename or content}: cannot write the content there: {err.strerror}") from err
    logger.info("imported %s questions from %s", report.questions, path)
    return report
