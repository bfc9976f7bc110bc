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
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path, PosixPath
from typing import Any

from ..content import reload
from ..content.model import Question
from .cache import Cache, settle
from .changes import FileState

logger = logging.getLogger(__name__)

NAMESPACE = "resume"
Scan = Mapping[str, FileState]  # changes.scan: each content file by its Site path


def _key(content: Path) -> str:
    return str(content.resolve())


def prepare(
    cache: Cache, content: Path, *, snapshot: bool, preview: bool, files: tuple[Scan, Scan] | None = None
) -> None:
    """Before a build's load: the kept load it may resume. The preview keeps its own in memory (its last build's);
    any other build resumes only the one persisted by the last build of this content (``snapshot``: that build left
    one), never another build's of this process (a build into another folder loads everything). ``files``: the
    snapshot's scan of content/ and this build's (``changes.scan``), to vouch for files with a new identity
    (``rebase``)."""
    if not preview:
        reload.forget()
    if snapshot:
        restore(cache, content)
        if files is not None and not preview:
            rebase(content, *files)


def rebase(content: Path, before: Scan, now: Scan) -> int:
    """Give the restored kept load's files the identity they have now where only their identity changed.

    A fresh checkout beside a restored cache (CI) gives every file a new inode and ctime (and, from git, a new
    mtime), so the kept load would count every unit changed and load in full. A file is vouched for when the kept
    load saw it as the snapshot did (same size and mtime: they were made by the same build), its content is the
    same as then (``changes.scan``: the same digest), it has another mtime now (so the common build, where nothing
    moved, stats no file here; a copy that kept the mtimes is loaded again, as before), and it is as this build's
    scan found it (same size and mtime now). Returns how many were vouched for."""
    memo = reload.kept()
    if memo is None or memo.tree is None:
        return 0
    identities = memo.tree.identities
    skip, name = len(str(memo.tree.root)) + 1, content.name
    count = 0
    for path, identity in identities.items():
        key = f"{name}/{str(path)[skip:]}"
        old, new = before.get(key), now.get(key)
        if old is None or new is None or old.digest != new.digest or (old.size, old.mtime_ns) != identity[1:3]:
            continue
        if (new.size, new.mtime_ns) == identity[1:3]:
            continue  # not re-read: most likely the same file (a copy keeping mtimes loads it again): no lstat
        try:
            info = os.lstat(path)
        except OSError:
            continue
        current = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        if current != identity and (info.st_size, info.st_mtime_ns) == (new.size, new.mtime_ns):
            identities[path] = current
            count += 1
    return count


def restore(cache: Cache, content: Path) -> None:
    """Adopt the memo the last build of ``content`` persisted in ``cache``, unless this process keeps one."""
    if reload.kept() is not None:
        return  # the preview: its own kept load, already in memory
    settle()  # this process's own cache writer, if any
    try:
        memo = pickle.loads(cache._path(NAMESPACE, _key(content)).read_bytes())
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
    """A path from its parsed parts, as Python 3.11's pathlib keeps them: ~3x faster to unpickle than ``Path(*parts)``,
    which parses them again (the memo holds ~48,000 paths at 10,000 questions). Another Python: an error, so the
    memo is ignored (``restore``: a full load), never a wrong path."""
    if sys.version_info[:2] != (3, 11):
        raise TypeError("a kept load pickled by Python 3.11")
    return PosixPath._from_parsed_parts(drv, root, parts)  # type: ignore[attr-defined]


def _path(path: PosixPath) -> tuple[Any, ...]:
    return _parsed, (path._drv, path._root, path._parts)  # type: ignore[attr-defined]


def _dumps(memo: reload.Memo) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Question: _question}
    if sys.version_info[:2] == (3, 11):
        pickler.dispatch_table[PosixPath] = _path
    pickler.dump(memo)
    return buffer.getvalue()


def persist(cache: Cache, content: Path) -> None:
    """Write this process's kept load into ``cache`` (by the cache writer, after the build), atomically; nothing if
    none or if it cannot be pickled or written (the next build then loads everything, as before)."""
    memo = reload.kept()
    if memo is None:
        return
    path = cache._path(NAMESPACE, _key(content))
    try:
        data = _dumps(memo)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except Exception:  # only makes the next build slower; the writer must still write the other entries
        for leftover in path.parent.glob("*.tmp") if path.parent.is_dir() else ():
            leftover.unlink(missing_ok=True)
