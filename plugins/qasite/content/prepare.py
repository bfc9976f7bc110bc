"""``check``'s per-file work, done in forked workers and kept in the build cache by each file's content hash.

Everything about one Markdown content file that depends on that file alone: its bytes read (confined), decoded,
split, the front matter parsed and checked against its kind's field table, and the body parsed for what the checks
read (plain text, links, the nesting note). ``prepare_files`` does it for every Markdown file of the content
folder, in ``QA_RENDER_PROCESSES`` forked workers (``build.parallel.map_forked``), and keeps the results in the
build cache (``build.cache``) under each file's path and the SHA-256 of its bytes: a file whose bytes are unchanged
is not parsed again; any other is. The results are per file only: the cross-file rules, the links, the duplicates
and the text lints run on them every time, so a cached ``check`` reports exactly what a cold one does.

An answer's or page's plain text is never read by a check (only a question's feeds the duplicate check), so an
answer or page whose Markdown can hold no link (no ``[`` and no ``<``) and no nesting near markdown-it's limit
(``too_shallow``) is not parsed at all: its result is what a parse would give for the links and the note.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build.parallel import map_forked, process_count
from ..config.problems import Problem
from ..render.markdown import MAX_NESTING, Rendered, render
from . import confine, schema
from .frontmatter import SourceFile, parse_source
from .stats import LoadStats
from .textlint import strip_markers

logger = logging.getLogger(__name__)

NAMESPACE = "check-files"
KINDS = {"question": schema.QUESTION, "answer": schema.ANSWER, "page": schema.PAGE}
# Characters that can open a container block (quote, list item) at the start of a line, and its indentation.
CONTAINER_PREFIX = frozenset(" \t>*+-0123456789.)")
NESTING_MARGIN = 4


@dataclass(kw_only=True)
class Prepared:
    """What one Markdown file gives on its own: problems reading it, its source, field values, parsed body."""

    problems: list[Problem] = field(default_factory=list)
    source: SourceFile | None = None


def kind_of(content: Path, path: Path) -> str | None:
    """'question', 'answer' or 'page' for a Markdown file where one is read; None elsewhere."""
    parts = path.relative_to(content).parts
    if path.suffix != ".md":
        return None
    if len(parts) == 2 and parts[0] == "pages":
        return "page"
    if len(parts) == 3 and parts[0] == "questions" and parts[2] == "index.md":
        return "question"
    if len(parts) == 4 and parts[0] == "questions" and parts[2] == "answers":
        return "answer"
    return None


def too_shallow(text: str) -> bool:
    """True when no line of ``text`` starts with enough quote and list markers or indentation for markdown-it to
    nest blocks near its limit.

    A block's nesting level is the number of quotes around it plus twice the number of lists; a quote takes a
    ``>`` at the start of the line where the block starts, a list item its marker and a space or its indentation
    (at least 2 columns), so that line's leading run of markers, digits, spaces and tabs (a tab counted as 4
    columns, its most) is at least as wide as the level. Without footnotes (they need a ``[``) nothing else nests.
    """
    for line in text.split("\n"):
        width = 0
        for char in line:
            if char not in CONTAINER_PREFIX:
                break
            width += 4 if char == "\t" else 1
        if width >= MAX_NESTING - NESTING_MARGIN:
            return False
    return True


def parse_body(body: str, kind: str) -> Rendered:
    """The body parsed as ``check`` needs it (plain text, links, nesting note), or not at all when it cannot
    matter: an answer's or page's text without link or deep nesting."""
    text = strip_markers(body)
    if kind != "question" and "[" not in text and "<" not in text and too_shallow(text):
        return Rendered("", "")
    return render(text, html=False)


def prepare(raw: bytes, rel: str, kind: str) -> Prepared:
    """Decode, split, check the fields of and parse the body of one Markdown file of ``kind``."""
    source, problems = parse_source(raw, rel)
    if source is not None:
        source.checked = schema.check(source.meta, KINDS[kind], rel)
        source.parsed = parse_body(source.body, kind)
    return Prepared(problems=problems, source=source)


# What the forked workers read (map_forked needs a module-level function): the content folder, the cached digests.
_SHARED: tuple[Path, dict[str, bytes]] | None = None


def _prepare_job(job: tuple[Path, str, str]) -> tuple[bytes | None, Prepared | None]:
    """(digest, prepared) for one file; prepared is None when the cache already holds it for that digest."""
    assert _SHARED is not None
    content, known = _SHARED
    path, rel, kind = job
    raw, problems = confine.read_file(content, path, rel, confine.MAX_MARKDOWN_BYTES)
    if raw is None:
        return None, Prepared(problems=problems)
    digest = hashlib.sha256(raw).digest()
    if known.get(rel) == digest:
        return digest, None
    return digest, prepare(raw, rel, kind)


def _valid(stored: Any) -> dict[str, tuple[bytes, Prepared]]:
    """The cached entries, or none when they are not what this code writes (a damaged or foreign entry)."""
    if not isinstance(stored, dict):
        return {}
    for rel, entry in stored.items():
        fine = isinstance(rel, str) and isinstance(entry, tuple) and len(entry) == 2
        if not (fine and isinstance(entry[0], bytes) and isinstance(entry[1], Prepared)):
            return {}
    return stored


def prepare_files(
    content: Path,
    files: Sequence[tuple[Path, str, str]],
    *,
    processes: int,
    cache: Any | None,
    done: Callable[[], object] | None = None,
    stats: LoadStats | None = None,
) -> dict[Path, Prepared]:
    """``prepare()`` every (path, rel, kind) in ``files``, reusing the cache's result for unchanged bytes
    (counted in ``stats.cached``)."""
    global _SHARED
    key = str(content.resolve())
    stored = _valid(cache.get(namespace=NAMESPACE, key=key) if cache is not None else None)
    known = {rel: entry[0] for rel, entry in stored.items()}
    _SHARED = (content, known)
    try:
        results = map_forked(_prepare_job, files, processes=process_count(processes, len(files)), done=done)
    finally:
        _SHARED = None
    prepared: dict[Path, Prepared] = {}
    fresh: dict[str, tuple[bytes, Prepared]] = {}
    changed = len(stored) != len(files)
    for (path, rel, _), (digest, result) in zip(files, results, strict=True):
        if result is None:  # unchanged since the cache was written
            fresh[rel] = stored[rel]
            result = stored[rel][1]
            if stats is not None:
                stats.cached += 1
        elif digest is not None:
            fresh[rel] = (digest, result)
            changed = True
        prepared[path] = result
    if cache is not None and changed:
        try:
            cache.put(namespace=NAMESPACE, key=key, value=fresh)
        except OSError as error:  # a cache that cannot be written only makes the next check slower
            logger.warning("could not write the check cache: %s", error)
    return prepared
