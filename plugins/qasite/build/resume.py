"""A new process resumes the last build's kept load (``content/reload``'s memo) from the build cache.

The live preview keeps its last load in memory (``content/reload.py``), so an edit reads, checks and renders only
the question folders and pages that changed. ``invoke build`` runs in a new process, which had no kept load and so
loaded every file again (front matter and bodies from the cache). Now every build with a snapshot keeps its load
(a cold build keeps none: its peak memory and cache writer stay a plain build's; the next build, a full load from
the per-file cache, writes that cache's entries and keeps its load), and the process
that writes the cache after the build (``cache.write_behind``) pickles the memo beside the snapshot, under the
content folder's real path (``persist``; the generator's additions to each question, its related list and links,
are left out: ``reload`` resets them before reusing a unit). The next build that finds a snapshot reads it back
before its load (``restore``), and the load goes on as the preview's next load does: it scans ``content/``,
compares each file's identity (inode, size, mtime, ctime) and each folder's listing with the memo's scan, and loads
again every unit in which anything changed; the memo's key (content folder, time zone, addresses, today and
periods, phone region) must equal the load's, else the load is a full one. The cache folder is keyed by the code
and every setting, and a memo that cannot be read or is not a memo is ignored, so one from another version, other
settings or a damaged file is never used: the fallback is the full load. A build (not the preview) never reuses
another build's load of this process, only the persisted one. ``tests/test_resume.py`` compares resumed builds with
full builds after random edits, and checks the fallback.
"""

from __future__ import annotations

import copyreg
import io
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PosixPath
from typing import Any

from ..content import fast_paths, reload
from ..content.confine import Tree
from ..content.model import Question
from . import entry_file
from .cache import Cache, settle
from .changes import FileState, from_tree

logger = logging.getLogger(__name__)

NAMESPACE = "resume"
Scan = Mapping[str, FileState]  # changes.scan: each content file by its Site path


def entry(cache: Cache, namespace: str, content: Path) -> Path:
    """The file of ``cache`` that keeps ``namespace``'s entry for the content folder ``content`` (the kept load here;
    ``related_keep``'s related state)."""
    return cache._path(namespace, str(content.resolve()))


def prepare(cache: Cache, content: Path, *, snapshot: bool, preview: bool) -> None:
    """Before a build's load: the kept load it may resume. The preview keeps its own in memory (its last build's);
    any other build resumes only the one persisted by the last build of this content (``snapshot``: that build left
    one), never another build's of this process (a build into another folder loads everything)."""
    if not preview:
        reload.forget()
    if snapshot:
        restore(cache, content)


class Walk:
    """The load's confined scan of content/ serves as ``changes.scan`` too (``load_site``'s ``on_scan``): one walk
    instead of two. Called with the kept load's scan (``kept``) and the new one, before the load compares them, it
    makes ``files`` (each file's summary, ``changes.from_tree``, from ``before``: the snapshot's) and vouches for the
    files whose identity alone changed.

    A fresh checkout beside a restored cache (CI) gives every file a new inode and ctime (and, from git, a new mtime),
    so the kept load would count every unit changed and load in full, yet be written again (110 MB). A file is vouched
    for (taken out of the scan's ``changed``) when the kept load saw it as the snapshot did (same size and mtime: they
    were made by the same build), its content is the same as then (the same digest now), and it has another mtime
    now (a copy that kept the mtimes is loaded again: it was not read, so its digest is the snapshot's)."""

    def __init__(self, content: Path, before: Scan) -> None:
        self.content, self.before = content, before
        self.files: dict[str, FileState] = {}
        self.vouched = 0

    def __call__(self, kept: Tree | None, tree: Tree) -> None:
        self.files = from_tree(self.content, tree, self.before)
        if kept is None or not kept.identities:
            return
        skip, name = len(str(tree.root)) + 1, self.content.name
        for path in [p for p in tree.changed if p in tree.identities]:
            identity = kept.identities.get(path)
            key = f"{name}/{str(path)[skip:]}"
            old, new = self.before.get(key), self.files.get(key)
            if identity is None or old is None or new is None or old.digest != new.digest:
                continue
            if (old.size, old.mtime_ns) == identity[1:3] and (new.size, new.mtime_ns) != identity[1:3]:
                tree.changed.discard(path)
                self.vouched += 1


def restore(cache: Cache, content: Path) -> None:
    """Adopt the memo the last build of ``content`` persisted in ``cache``, unless this process keeps one."""
    if reload.kept() is not None:
        return  # the preview: its own kept load, already in memory
    settle()  # this process's own cache writer, if any
    try:
        memo = entry_file.load(entry(cache, NAMESPACE, content))  # streamed (110 MB at 10,000 questions)
    except Exception as error:  # none, damaged, or made by other code: a full load
        logger.debug("no kept load to resume: %s", error)
        return
    if isinstance(memo, reload.Memo):
        reload.adopt(memo)


def _question(question: Question) -> tuple[Any, ...]:
    """A question as the load left it, without what the generator added: its related questions (a chain through the
    whole site, too deep for pickle) and links, which ``reload`` resets before reusing a unit anyway."""
    state = {**question.__dict__, "related": [], "answer_link": None, "edit_link": None}
    return copyreg.__newobj__, (Question,), state


def _parsed(drv: str, root: str, parts: list[str]) -> PosixPath:
    """A path from its parsed parts, as Python 3.11's pathlib keeps them (``content/fast_paths``): ~3x faster to
    unpickle than ``Path(*parts)``, which parses them again (the memo holds ~48,000 paths at 10,000 questions).
    Another Python: an error, so the memo is ignored (``restore``: a full load), never a wrong path."""
    return fast_paths.parsed(drv, root, parts)


def _path(path: PosixPath) -> tuple[Any, ...]:
    return _parsed, (path._drv, path._root, path._parts)  # type: ignore[attr-defined]


def _dumps(memo: reload.Memo) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Question: _question}
    if fast_paths.FAST:
        pickler.dispatch_table[PosixPath] = _path
    pickler.dump(memo)
    return buffer.getvalue()


def persist(cache: Cache, content: Path) -> None:
    """Write this process's kept load into ``cache`` (by the cache writer, after the build), atomically; nothing if
    none or if it cannot be pickled or written (the next build then loads everything, as before)."""
    memo = reload.kept()
    if memo is None:
        return
    write_entry(entry(cache, NAMESPACE, content), lambda: _dumps(memo))


def write_entry(path: Path, make: Callable[[], bytes]) -> None:
    """Write ``make()``'s bytes as the cache entry ``path``, atomically; nothing if they cannot be made or written
    (that only makes a later build slower: the cache writer must still write the other entries)."""
    try:
        data = make()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except Exception:
        for leftover in path.parent.glob("*.tmp") if path.parent.is_dir() else ():
            leftover.unlink(missing_ok=True)
