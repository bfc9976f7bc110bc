"""``check``'s whole result, kept in the build cache with a digest of everything it read, and replayed.

The digest covers every entry of the content folder (its path and kind) and every file's bytes, with the day
(``clock.today``: reviews and helplines age), the content folder's path, Python's version and the versions of the
libraries whose behaviour a check reports (the cache's fingerprint already covers the plugin's code, Pelican's
version and every setting). After a full check, ``of_check`` computes it from what the check itself scanned and
read (``LoadStats.tree`` and ``read_digests``: no file is read again, and a file changed while the check ran
cannot be kept with a result it did not give); ``keep`` stores it with the problems. The next check walks the
folder and hashes every file (``on_disk``; ~0.5 s at 10,000 questions): the same digest, and the kept problems are
printed without loading anything. Any difference — one byte of one file, a file added, removed or renamed, another
day — and the full check runs. Anything unusual in the folder (a link, a hard link, a special or unreadable file)
gives no digest: the full check runs and reports it. Only bytes are compared, never sizes or times: a file changed
with the same size and modification time is noticed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import stat
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..build.cache import Cache
from ..config.problems import Problem
from .confine import READ_CHUNK
from .stats import LoadStats

logger = logging.getLogger(__name__)

NAMESPACE = "check-result"
FORMAT = b"qasite check result 1"
# The libraries whose results a check reports (Markdown, front matter, phone numbers); Python's own (difflib,
# unicodedata) by its version. The plugin's code and Pelican's version are in the cache's fingerprint.
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML", "phonenumbers", "markupsafe", "tzdata")
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY


class UnusualEntryError(Exception):
    """Something in the content folder only the full check reports properly (a link, an unreadable file...)."""


def _library(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def _file_digest(path: str) -> bytes:
    """SHA-256 of a regular file with one name, opened without following a link; UnusualEntryError for anything else."""
    fd = os.open(path, _FILE_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            raise UnusualEntryError
        digest = hashlib.sha256()
        while chunk := os.read(fd, READ_CHUNK):
            digest.update(chunk)
        return digest.digest()
    finally:
        os.close(fd)


def _key(content: Path, day: dt.date, entries: dict[str, bytes | None]) -> bytes:
    """The digest of a content folder's entries (path inside it -> the file's digest, None for a folder)."""
    whole = hashlib.sha256(FORMAT)
    parts = (str(content), str(content.resolve()), day.isoformat(), sys.version, *map(_library, LIBRARIES))
    for part in parts:
        whole.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for rel in sorted(entries):
        digest = entries[rel]
        kind = b"d" if digest is None else b"f" + digest
        whole.update(rel.encode("utf-8", "surrogateescape") + b"\0" + kind)
    return whole.digest()


@dataclass(frozen=True, kw_only=True)
class Walk:
    """The content folder as ``on_disk`` found it: its digest, and each file's SHA-256 by its path as the editor
    sees it (``content/questions/...``), for ``prepare`` to skip reading the files it has results for."""

    key: bytes
    files: dict[str, bytes]


def on_disk(content: Path, day: dt.date) -> Walk | None:
    """The digest of ``content`` as it is now (every entry, every file's bytes) on ``day``; None when the folder
    holds anything unusual (a link, a hard link, a special or unreadable file) or is missing."""
    root = str(content)
    entries: dict[str, bytes | None] = {}
    try:
        if not stat.S_ISDIR(os.lstat(root).st_mode):
            return None
        pending = [""]
        while pending:
            folder = pending.pop()
            with os.scandir(f"{root}/{folder}" if folder else root) as listing:
                for entry in listing:
                    rel = f"{folder}/{entry.name}" if folder else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        entries[rel] = None
                        pending.append(rel)
                    elif entry.is_file(follow_symlinks=False):
                        entries[rel] = _file_digest(entry.path)
                    else:  # a link or a special file
                        return None
    except (UnusualEntryError, OSError):
        return None
    prefix = content.name + "/"
    files = {prefix + rel: digest for rel, digest in entries.items() if digest is not None}
    return Walk(key=_key(content, day, entries), files=files)


def of_check(content: Path, day: dt.date, stats: LoadStats) -> bytes | None:
    """The digest of what a check of ``content`` on ``day`` read: the folder as it scanned it, the bytes of each
    file as it read them (a file it did not read is hashed now); None when the scan refused anything."""
    tree, read = stats.tree, stats.read_digests
    if tree is None or read is None or tree.refused:
        return None
    base = 0 if str(content) == "." else len(str(content)) + 1  # the scan's paths are content / name / ...
    prefix = content.name + "/"  # the files read are named as the editor sees them: content/...
    entries: dict[str, bytes | None] = {str(folder)[base:]: None for folder in tree.folders if folder != content}
    try:
        for path in tree.files:
            rel = str(path)[base:]
            digest = read.get(prefix + rel)
            entries[rel] = digest if digest is not None else _file_digest(str(path))
    except (UnusualEntryError, OSError):
        return None
    return _key(content, day, entries)


def recall(cache: Cache, content: Path) -> tuple[bytes, list[Problem]] | None:
    """The digest and the problems kept for ``content``, or None when missing or damaged."""
    stored = cache.get(namespace=NAMESPACE, key=str(content.resolve()))
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], bytes)):
        return None
    problems = stored[1]
    if not (isinstance(problems, list) and all(isinstance(problem, Problem) for problem in problems)):
        return None
    return stored[0], problems


def replayed(cache: Cache, content: Path, day: dt.date) -> tuple[list[Problem] | None, dict[str, bytes] | None]:
    """The problems kept for ``content`` when it hashes as it did then, else None; with the files' digests when
    the folder was hashed (there was a kept result), for the full check not to read unchanged files again."""
    stored = recall(cache, content)
    walk = on_disk(content, day) if stored is not None else None
    if walk is None or stored is None:
        return None, None
    return (stored[1] if walk.key == stored[0] else None), walk.files


def keep(cache: Cache, content: Path, key: bytes | None, problems: list[Problem]) -> None:
    """Keep ``problems`` as the result for ``key`` (none: nothing kept; a failed write only makes the next check
    slower)."""
    if key is None:
        return
    try:
        cache.put(namespace=NAMESPACE, key=str(content.resolve()), value=(key, problems))
    except OSError as error:
        logger.info("could not write the check cache: %s", error)
