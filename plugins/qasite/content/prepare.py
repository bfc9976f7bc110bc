"""``check``'s per-file work, done in forked workers and kept in the build cache by each file's content hash.

Everything about one Markdown content file that depends on that file alone: its bytes read (confined), decoded,
split, the front matter parsed and checked against its kind's field table, and the body parsed for what the checks
read (plain text, links, the nesting note). ``prepare_files`` does it for every Markdown file of the content
folder, in ``QA_RENDER_PROCESSES`` forked workers (``build.parallel.map_forked``), and keeps the results in the
build cache (``build.cache``) under each file's path and the SHA-256 of its bytes: a file whose bytes are unchanged
is not parsed again; any other is. The results are per file only: the cross-file rules, the links and the text
lints run on them every time (the duplicate pairs are kept with a digest of every question's wording:
``related.cached_pairs``), so a cached ``check`` reports exactly what a cold one does.

Two shortcuts give what a markdown-it parse would give, without one (``tests/test_check_shortcuts.py`` compares):
an answer's or page's plain text is never read by a check (only a question's feeds the duplicate check), so an
answer or page whose Markdown can hold no link (no ``[`` and no ``<``) and no nesting near markdown-it's limit
(``too_shallow``) is not parsed at all; a question of plain paragraphs gets its plain text directly
(``plain_paragraphs``). Plain front matter is read without PyYAML (``plainyaml``, through ``frontmatter``).

The cache holds two entries per content folder: the digests (small, compared by the workers as they hash each
file) and the results (read meanwhile); a result is used only when its own digest is the file's. A process that
loads the same content folder again (the live preview) does not read a file again whose inode, size, mtime and
ctime are what they were just before it was last read (``_SEEN``): its digest is the one it had then.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build.cache import Cache
from ..build.parallel import map_forked, process_count
from ..config.problems import Problem
from ..render.markdown import MAX_NESTING, Rendered, render
from . import confine, schema
from .frontmatter import SourceFile, parse_source
from .stats import LoadStats
from .textlint import strip_markers

logger = logging.getLogger(__name__)

RESULTS, DIGESTS = "check-files", "check-digests"  # the cache's namespaces
BUILD_NAMESPACES = ("build-files", "build-digests")  # a build's (bodies not parsed: it renders them)
KINDS = {"question": schema.QUESTION, "answer": schema.ANSWER, "page": schema.PAGE}
# Characters that can open a container block (quote, list item) at the start of a line, and its indentation.
CONTAINER_PREFIX = frozenset(" \t>*+-0123456789.)")
NESTING_MARGIN = 4
# What can start inline markup (or a table cell), and control characters but \n (markdown-it replaces NUL).
MARKUP = re.compile(r"[`*_\[\]<>&\\~|\x00-\x09\x0b-\x1f\x7f]")
PLAIN_STARTS = frozenset("\"'(")
LIST_NUMBER = re.compile(r"[0-9]+[.)]")


@dataclass(kw_only=True)
class Prepared:
    """What one Markdown file gives on its own: problems reading it, its source, field values, parsed body."""

    problems: list[Problem] = field(default_factory=list)
    source: SourceFile | None = None


def kind_of(content: Path, path: Path) -> str | None:
    """'question', 'answer' or 'page' for a Markdown file where one is read; None elsewhere."""
    return kind_of_rel("content/" + path.relative_to(content).as_posix())


def kind_of_rel(rel: str) -> str | None:
    """``kind_of`` for a path as the editor sees it (``content/questions/x/index.md``)."""
    parts = rel.split("/")
    if not rel.endswith(".md") or len(parts) < 3:
        return None
    if len(parts) == 3 and parts[1] == "pages":
        return "page"
    if len(parts) == 4 and parts[1] == "questions" and parts[3] == "index.md":
        return "question"
    if len(parts) == 5 and parts[1] == "questions" and parts[3] == "answers":
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


def plain_paragraphs(text: str) -> str | None:
    """The plain text markdown-it gives ``text`` (``render.markdown.plain_text``) when ``text`` is only paragraphs
    of plain words; None when it may hold anything else.

    Plain: no character that can start inline markup (emphasis, code, links, images, entities, escapes, raw
    HTML, strikethrough, tables) and no line that can start a block other than a paragraph (each line starts with a
    letter, a digit not followed by ``.`` or ``)``, or an opening quote or bracket). markdown-it then makes one
    paragraph per run of lines, joins a paragraph's lines without a space (its line breaks give no text), and
    drops the spaces at their ends.
    """
    if MARKUP.search(text):
        return None
    parts = []
    paragraph: list[str] = []
    for line in [*text.split("\n"), ""]:
        if not line:
            if paragraph:
                parts.append("".join(paragraph) + " ")
                paragraph = []
            continue
        if not (line[0].isalnum() or line[0] in PLAIN_STARTS) or LIST_NUMBER.match(line):
            return None
        paragraph.append(line.rstrip(" "))
    return " ".join("".join(parts).split())


def parse_body(body: str, kind: str) -> Rendered:
    """The body parsed as ``check`` needs it (plain text, links, nesting note), or not at all when a parse would
    give nothing more: an answer's or page's text without link or deep nesting (their text is not used), a
    question's paragraphs of plain words (``plain_paragraphs``)."""
    text = strip_markers(body)
    if kind != "question" and "[" not in text and "<" not in text and too_shallow(text):
        return Rendered("", "")
    if kind == "question" and (plain := plain_paragraphs(text)) is not None:
        return Rendered("", plain)
    return render(text, html=False)


def prepare(raw: bytes, rel: str, kind: str, parse: bool = True) -> Prepared:
    """Decode, split, check the fields of and parse the body of one Markdown file of ``kind`` (``parse=False``:
    the body is not parsed, a build renders it)."""
    source, problems = parse_source(raw, rel)
    if source is not None:
        source.checked = schema.check(source.meta, KINDS[kind], rel)
        source.parsed = parse_body(source.body, kind) if parse else None
    return Prepared(problems=problems, source=source)


# What the forked workers read (map_forked needs a module-level function): the content folder, the files, the
# cached digests. Each job is an index into the files: a number is all that travels to a worker.
_SHARED: tuple[Path, Sequence[tuple[Path, str, str]], dict[str, bytes], bool] | None = None


Identity = tuple[int, int, int, int]  # a file's inode, size, mtime and ctime (ns: no utime() sets a ctime)
# The content folder last prepared in this process, and each of its files' identity just before it was read and
# its digest: (content, {path: (identity, digest)}).
_SEEN: tuple[str, dict[str, tuple[Identity, bytes]]] = ("", {})


def _identity(path: Path | str) -> Identity | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _prepare_job(index: int) -> tuple[bytes | None, Prepared | None, Identity | None]:
    """``_prepare_file`` in a worker (with the garbage collector on: parsing leaves cycles behind), and the file's
    identity just before it was read."""
    gc.enable()
    assert _SHARED is not None
    content, files, known, parse = _SHARED
    identity = _identity(files[index][0])
    return *_prepare_file(content, *files[index], known=known, parse=parse), identity


def _prepare_file(
    content: Path, path: Path, rel: str, kind: str, *, known: dict[str, bytes], parse: bool = True
) -> tuple[bytes | None, Prepared | None]:
    """(digest, prepared) for one file; prepared is None when ``known`` has that digest for it (cached)."""
    raw, problems = confine.read_file(content, path, rel, confine.MAX_MARKDOWN_BYTES)
    if raw is None:
        return None, Prepared(problems=problems)
    digest = hashlib.sha256(raw).digest()
    if known.get(rel) == digest:
        return digest, None
    return digest, prepare(raw, rel, kind, parse)


def _digests(stored: Any) -> dict[str, bytes]:
    """The cached digests by path, or none when the entry is not what this code writes (damaged or foreign)."""
    if not isinstance(stored, dict):
        return {}
    if not all(isinstance(rel, str) and isinstance(digest, bytes) for rel, digest in stored.items()):
        return {}
    return stored


def _results(stored: Any) -> dict[str, tuple[bytes, Prepared]]:
    """The cached results by path (each with its file's digest), or none when the entry is not what this code
    writes."""
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
    cache: Cache | None,
    done: Callable[[], object] | None = None,
    stats: LoadStats | None = None,
    parse: bool = True,
) -> dict[Path, Prepared]:
    """``prepare()`` every (path, rel, kind) in ``files``, reusing the cache's result for unchanged bytes
    (counted in ``stats.cached``).

    The cache holds two entries: the digests (small: the workers compare each file's against it) and the
    results, read while the workers read and hash the files. A result is used only when its own digest is the
    file's: entries written by different runs never mix. ``parse=False`` (a build's load, which renders the
    bodies instead): bodies are not parsed, and the results are kept apart from ``check``'s.
    """
    global _SHARED
    key = str(content.resolve())
    namespaces = (RESULTS, DIGESTS) if parse else BUILD_NAMESPACES
    known = _digests(cache.get(namespace=namespaces[1], key=key)) if cache is not None else {}
    stored: dict[str, tuple[bytes, Prepared]] = {}

    def load_results() -> None:
        if cache is not None and known:
            stored.update(_results(cache.get(namespace=namespaces[0], key=key)))

    global _SEEN
    seen = _SEEN[1] if _SEEN[0] == key and cache is not None else {}
    results: list[tuple[bytes | None, Prepared | None, Identity | None]] = [(None, None, None)] * len(files)
    todo = []
    for index, (path, rel, _) in enumerate(files):
        before = seen.get(rel)
        if before and known.get(rel) == before[1] and before[0] == _identity(path):  # as this process last read it
            results[index] = (before[1], None, before[0])
        else:
            todo.append(index)
    _SHARED = (content, files, known, parse)
    try:
        count = process_count(processes, len(todo))
        jobs = map_forked(_prepare_job, todo, processes=count, done=done, meanwhile=load_results)
        for index, result in zip(todo, jobs, strict=True):
            results[index] = result
    finally:
        _SHARED = None
    _SEEN = (key, {file[1]: (r[2], r[0]) for file, r in zip(files, results, strict=True) if r[0] and r[2]})
    for _ in range(len(files) - len(todo) if done is not None else 0):
        done()  # type: ignore[misc]
    prepared: dict[Path, Prepared] = {}
    fresh: dict[str, tuple[bytes, Prepared]] = {}
    cached = 0
    for (path, rel, kind), (digest, result, _) in zip(files, results, strict=True):
        if result is None:  # the digests entry knows these bytes
            entry = stored.get(rel)
            if entry is not None and entry[0] == digest:
                result, cached = entry[1], cached + 1
            else:  # the results entry does not match (another run wrote it): prepare the file here
                result = _prepare_file(content, path, rel, kind, known={}, parse=parse)[1]
        assert result is not None
        if digest is not None:
            fresh[rel] = (digest, result)
        prepared[path] = result
    if stats is not None:
        stats.cached += cached
    if cache is not None and not cached == len(fresh) == len(stored) == len(known):
        _store(cache, key, fresh, namespaces)
    return prepared


def _store(cache: Cache, key: str, fresh: dict[str, tuple[bytes, Prepared]], namespaces: tuple[str, str]) -> None:
    """Write the results, then the digests (a run killed between them leaves digests the results do not match,
    which are prepared again)."""
    try:
        cache.put(namespace=namespaces[0], key=key, value=fresh)
        cache.put(namespace=namespaces[1], key=key, value={rel: digest for rel, (digest, _) in fresh.items()})
    except OSError as error:  # only makes the next check slower: not a warning (a strict run fails on any)
        logger.info("could not write the check cache: %s", error)
