"""``check``'s per-file work, done in forked workers and kept in the build cache by each file's content hash.

Everything about one Markdown content file that depends on that file alone: its bytes read (confined), decoded, split,
the front matter parsed and checked against its kind's field table, and the body parsed for what the checks read
(plain text, links, the nesting note). ``prepare_files`` does it for every Markdown file of the content folder, in
``QA_RENDER_PROCESSES`` forked workers (``build.parallel.map_forked``), and keeps the results in the build cache
(``build.cache``) under each file's path and the SHA-256 of its bytes: a file whose bytes are unchanged is not
parsed again; any other is. The results are per file only: the cross-file rules and the links are checked
on them every time (the duplicate pairs and the text lints are kept apart: ``duplicate_pairs.cached_pairs``, ``lint``).

The body is parsed only where a parse gives something a check reads (``parse_shortcuts``). Plain front matter is
read without PyYAML (``plainyaml``, through ``frontmatter``).

The cache holds the digests of a content folder's files in one entry (small, compared by the workers as they hash
each file) and their results in ``PARTS`` entries by a hash of the path (of its question folder, for a question's
files: ``part_of``; read meanwhile; only the entries holding a changed file are written again, by a ``check`` in
a forked child while it goes on; the workers take the files one part at a time and send each part back pickled
once, the bytes written as they are: ``prepare_cache``); a result is used only when its own digest is the file's.
A process that loads the same content folder again (the live preview) does not read a file again whose inode,
size, mtime and ctime are what they were just before it was last read (``_SEEN``): its digest is the one it had
then. Only a build's load records them (``parse=False``): ``check``,
``check --reviews`` and the export load once per process.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..build.cache import Cache
from ..build.parallel import in_background, map_forked, process_count
from ..config.problems import Problem
from . import confine, schema
from .frontmatter import SourceFile, parse_source
from .parse_shortcuts import parse_body
from .prepare_cache import BUILD_NAMESPACES, DIGESTS, PARTS, RESULTS, by_part, digests_of, packed, results_of, store
from .stats import LoadStats

if TYPE_CHECKING:
    from .prepare_early import Early

logger = logging.getLogger(__name__)

KINDS = {"question": schema.QUESTION, "answer": schema.ANSWER, "page": schema.PAGE}


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
_FOLDERS = confine.Folders()  # kept open for the next file's read (closed by prepare_files; a worker's by its exit)


Identity = tuple[int, int, int, int]  # a file's inode, size, mtime and ctime (ns: no utime() sets a ctime)
# The content folder last prepared in this process, and each of its files' identity just before it was read and
# its digest: (content, {path: (identity, digest)}).
_SEEN: tuple[str, dict[str, tuple[Identity, bytes]]] = ("", {})
ANEW: set[str] = set()  # the files the last ``prepare_files`` prepared (their bytes not known to the cache)


def _identity(path: Path | str) -> Identity | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def resume_collector() -> None:
    """Turn the garbage collector back on after ``check``'s load, which ran with it off (``build.pipeline``).

    Every object made meanwhile (millions at 10,000 questions) is still young to the collector, so its next
    collection would walk them all: ~0.2 CPU-s at the check's very end, with the other core idle. A process that
    ends with this command (``python -m qasite``: ``memory.ONE_BUILD``) freezes them first, as a build does; any
    other (tests, tools) keeps them collectable."""
    from ..build import memory  # not at the top: build.memory imports the loader, which imports this module

    if memory.ONE_BUILD:
        gc.freeze()
    gc.enable()


def sharing(content: Path, known: dict[str, bytes], parse: bool) -> None:
    """Set what workers forked next read (``prepare_part``): ``prepare_early`` forks its own before the file list."""
    global _SHARED
    _SHARED = (content, (), known, parse)


def _prepare_job(indexes: list[int]) -> tuple[list[tuple[bytes | None, Identity | None]], bytes]:
    """``prepare_part`` for the files of one results part, by their indexes."""
    assert _SHARED is not None
    return prepare_part([_SHARED[1][index] for index in indexes])


def prepare_part(
    files: Sequence[tuple[Path | str, str, str]],
) -> tuple[list[tuple[bytes | None, Identity | None]], bytes]:
    """``_prepare_one`` in a worker for the files of one results part (the garbage collector on: parsing leaves
    cycles behind): each file's digest and identity, and the part's results by path ``packed`` (the cache's bytes)."""
    if not gc.isenabled():  # a worker's first job: what it inherited is never collected (nor scanned)
        gc.freeze()
        gc.enable()
    done = [_prepare_one(file) for file in files]
    results = {file[1]: (d, result) for file, (d, result, _) in zip(files, done, strict=True) if result is not None}
    return [(digest, identity) for digest, _, identity in done], packed(results)


def _prepare_one(file: tuple[Path | str, str, str]) -> tuple[bytes | None, Prepared | None, Identity | None]:
    """``_prepare_file`` for one (path, rel, kind), in this process (the garbage collector left as the caller set it:
    ``check`` keeps it off while it loads), and the file's identity just before it was read."""
    assert _SHARED is not None
    content, _, known, parse = _SHARED
    identity = None if parse else _identity(file[0])  # a check loads once: no later load reads _SEEN
    return *_prepare_file(content, *file, known=known, parse=parse), identity


def _prepare_file(
    content: Path, path: Path | str, rel: str, kind: str, *, known: dict[str, bytes], parse: bool = True
) -> tuple[bytes | None, Prepared | None]:
    """(digest, prepared) for one file; prepared is None when ``known`` has that digest for it (cached)."""
    raw, problems = confine.read_file(content, path, rel, confine.MAX_MARKDOWN_BYTES, _FOLDERS)
    if raw is None:
        return None, Prepared(problems=problems)
    digest = hashlib.sha256(raw).digest()
    if known.get(rel) == digest:
        return digest, None
    return digest, prepare(raw, rel, kind, parse)


def prepare_files(
    content: Path,
    files: Sequence[tuple[Path, str, str]],
    *,
    processes: int,
    cache: Cache | None,
    done: Callable[[], object] | None = None,
    stats: LoadStats | None = None,
    parse: bool = True,
    on_disk: Mapping[str, bytes] | None = None,
    early: Early | None = None,
    then: Callable[[dict[Path, Prepared]], object] | None = None,
) -> dict[Path, Prepared]:
    """``prepare()`` every (path, rel, kind) in ``files``, reusing the cache's result for unchanged bytes
    (counted in ``stats.cached``; each file's digest goes to ``stats.read_digests`` when it is kept).

    The digests entry is read first (the workers compare each file's digest with it), the results meanwhile. A
    result is used only when its own digest is the file's: entries written by different runs never mix.
    ``parse=False`` (a build's load, which renders the bodies): bodies are not parsed, results kept apart.
    ``on_disk`` (``check``: ``replay.on_disk``): each file's digest as just hashed; a file whose digest there is
    the cached one is not read again (its result is for those bytes, the ones ``read_digests`` records).
    ``early``: workers forked during the scan, each part sent as it was walked (``prepare_early``: a cold check).
    ``then``: called with the results before the cache's writer forks (``check``: ``pairs_ahead.start``).
    """
    global _SHARED
    key = str(content.resolve())
    namespaces = (RESULTS, DIGESTS) if parse else BUILD_NAMESPACES
    known = digests_of(cache.get(namespace=namespaces[1], key=key)) if cache is not None else {}
    stored: dict[str, tuple[bytes, Prepared]] = {}

    def load_results() -> None:
        if cache is not None and known:
            for part in range(PARTS):
                stored.update(results_of(cache.get(namespace=namespaces[0], key=f"{key}#{part}"), Prepared))

    global _SEEN
    seen = _SEEN[1] if _SEEN[0] == key and cache is not None else {}
    results: list[tuple[bytes | None, Prepared | None, Identity | None]] = [(None, None, None)] * len(files)
    todo = []
    for index, (path, rel, _) in enumerate(files):
        digest = on_disk.get(rel) if on_disk is not None else None
        before = seen.get(rel)
        if digest is not None and known.get(rel) == digest:
            results[index] = (digest, None, None)
        elif before and known.get(rel) == before[1] and before[0] == _identity(path):  # as this process last read it
            results[index] = (before[1], None, before[0])
        else:
            todo.append(index)
            continue
        if done is not None:
            done()
    _SHARED = (content, files, known, parse)
    ready: dict[int, tuple[bytes, dict[str, tuple[bytes | None, Prepared]]]] = {}  # as workers packed them
    try:
        if early is not None and early.pool is not None:
            todo, prepared_now = early.collect(files, ready, done=done, meanwhile=load_results)
        elif (count := process_count(processes, len(todo))) > 1:  # parts sent back packed (``prepare_cache``)
            kept = ready if parse else None  # a build keeps no bytes
            todo, prepared_now = by_part(_prepare_job, todo, files, kept, count, done=done, meanwhile=load_results)
        else:
            shown = [files[index] for index in todo]
            prepared_now = map_forked(_prepare_one, shown, processes=count, done=done, meanwhile=load_results)
    finally:
        _SHARED = None
        _FOLDERS.close()
        if early is not None:
            early.close()
    for index, result in zip(todo, prepared_now, strict=True):
        results[index] = result
    global ANEW
    ANEW = {files[index][1] for index, result in zip(todo, prepared_now, strict=True) if result[1] is not None}
    _SEEN = (key, {file[1]: (r[2], r[0]) for file, r in zip(files, results, strict=True) if r[0] and r[2]})
    prepared: dict[Path, Prepared] = {}
    fresh: dict[str, tuple[bytes, Prepared]] = {}
    cached = 0
    for (path, rel, kind), (digest, result, _) in zip(files, results, strict=True):
        if result is None:  # the digests entry knows these bytes
            entry = stored.get(rel)
            if entry is not None and entry[0] == digest:
                result, cached = entry[1], cached + 1
            else:  # the results entry does not match (another run wrote it): prepare the file here
                digest, result = _prepare_file(content, path, rel, kind, known={}, parse=parse)
                _FOLDERS.close()
        assert result is not None
        if digest is not None:
            fresh[rel] = (digest, result)
        prepared[path] = result
    if stats is not None:
        stats.cached += cached
        if stats.read_digests is not None:
            stats.read_digests.update((rel, digest) for rel, (digest, _) in fresh.items())
    if then is not None:
        then(prepared)
    if cache is not None and not cached == len(fresh) == len(stored) == len(known):
        # check: written by a child while the check goes on (``build.parallel.wait_for_background``)
        in_background(partial(store, cache, key, fresh, stored, namespaces, ready), fork=parse)
    return prepared
