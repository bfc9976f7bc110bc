"""Content stays in its folder; output stays in the output folder.

``scan()`` walks a folder once without following links and keeps only real
folders and regular files with a single name: a symbolic link, a hard link, a
named pipe, a socket or a device file is a problem naming its path.
``read_file()`` opens a kept file again without following any link (every
folder on the way and the file itself are opened with ``O_NOFOLLOW``), so a
link swapped in after the scan is refused too (``Folders`` keeps the folders on the way
open for the next file's read). ``output_file()`` is the one
guard every write goes through: a path that resolves outside the output folder
stops the build.
"""

from __future__ import annotations

import errno
import operator
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config.problems import BuildError, Problem
from . import fast_paths, scan_ahead, scan_parts

MAX_MARKDOWN_BYTES = 1_000_000
MAX_YAML_BYTES = 20_000_000
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
_SPECIAL = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device file",
    stat.S_IFBLK: "a device file",
}
REMOVE_FIX = "remove it: content holds only ordinary files and folders"
_NAME = operator.attrgetter("name")


@dataclass
class Tree:
    """The real folders and regular files under ``root``, found by ``scan()``."""

    root: Path
    folders: dict[Path, list[Path]] = field(default_factory=dict)
    files: set[Path] = field(default_factory=set)
    refused: set[Path] = field(default_factory=set)
    # Each file's inode, size, mtime and ctime (ns) as the scan found them, before any was read (``reload`` compares
    # two scans; ``build/scan_behind`` compares them with its child's)
    identities: dict[Path, tuple[int, int, int, int]] = field(default_factory=dict)
    changed: set[Path] = field(default_factory=set)  # what differs from the scan it was compared with (``scan``)
    troubled: bool = False  # the scan found a problem (a refused or unreadable entry): ``rescan`` walks it all

    def is_dir(self, path: Path) -> bool:
        """True for a real folder (not a link to one)."""
        return path in self.folders

    def is_file(self, path: Path) -> bool:
        """True for a regular file with one name (not a link, pipe or device)."""
        return path in self.files

    def exists(self, path: Path) -> bool:
        """True for a kept folder or file."""
        return path in self.folders or path in self.files

    def children(self, folder: Path) -> list[Path]:
        """The kept entries of ``folder``, sorted by name."""
        return self.folders.get(folder, [])


def _link_problem(rel: str, path: Path) -> Problem:
    what = "folder" if os.path.isdir(path) else "file"
    return Problem(rel, 1, None, "is a symbolic link", f"replace the link with the {what} itself")


def refused(st: os.stat_result) -> bool:
    """True unless ``st`` (from lstat or fstat) is a real folder or a regular file with a single name."""
    mode = st.st_mode
    return not (stat.S_ISDIR(mode) or (stat.S_ISREG(mode) and st.st_nlink == 1))


def entry_problem(rel: str, path: Path, st: os.stat_result) -> Problem:
    """Why the entry with lstat ``st`` may not be content (call when ``refused(st)``)."""
    if stat.S_ISLNK(st.st_mode):
        return _link_problem(rel, path)
    if stat.S_ISREG(st.st_mode):
        return Problem(rel, 1, None, "is a hard link (the same file has another name)", "replace it with a copy")
    kind = _SPECIAL.get(stat.S_IFMT(st.st_mode), "not a file or folder")
    return Problem(rel, 1, None, f"is {kind}, not a file", REMOVE_FIX)


def scan(
    root: Path, rel: Callable[[Path], str], before: Tree | None = None, walk: scan_parts.PartWalk | None = None
) -> tuple[Tree, list[Problem]]:
    """Walk ``root`` once without following links; return what may be read and a problem per other entry.

    Each file's identity is kept (``Tree.identities``). ``before``: an earlier scan of ``root`` (``reload``; an
    empty ``Tree`` for a first one): the paths that differ from ``before`` go to ``Tree.changed`` (files added,
    changed or refused since; folders whose listing changed), and its path objects are reused. ``walk``: the
    folders' order (``scan_parts``: a cold ``check``'s), else depth first from the last name."""
    tree, problems = Tree(root), []
    try:
        st = os.lstat(root)
    except FileNotFoundError:
        return tree, problems
    except OSError as err:
        return tree, [_unreadable(rel(root), err)]
    if refused(st) or not stat.S_ISDIR(st.st_mode):
        tree.refused.add(root)
        return tree, [entry_problem(rel(root), root, st)] if refused(st) else []
    old_folders, old_files = (before.folders, before.identities) if before is not None else ({}, {})
    listed = scan_ahead.take(root) or {}  # the listing a child made ahead (build/incremental), if any
    pending = [root] if walk is None else walk.begin(tree)
    while pending:
        folder = pending.pop()
        try:
            entries = listed.get(str(folder)) or _listing(folder)
        except OSError as err:
            problems.append(_unreadable(rel(folder), err))
            tree.changed.add(folder)
            continue
        old = old_folders.get(folder)
        same = old is not None and len(old) == len(entries) and [p.name for p in old] == [e[0] for e in entries]
        if not same and before is not None:
            tree.changed.add(folder)
        kept = tree.folders.setdefault(folder, [])
        for index, (name, is_dir, found) in enumerate(entries):
            path = old[index] if same else fast_paths.child(folder, name)  # type: ignore[index]
            if is_dir:  # a real folder, from the listing's entry type: no lstat
                kept.append(path)
                pending.append(path)
                continue
            try:  # a file's link count, or why it is refused
                st = _status(found, path)
            except OSError as err:
                problems.append(_unreadable(rel(path), err))
                tree.changed.add(path)
                continue
            if refused(st):
                problems.append(entry_problem(rel(path), path, st))
                tree.refused.add(path)
                if before is not None and path not in before.refused:
                    tree.changed.add(path)
                continue
            kept.append(path)
            if stat.S_ISDIR(st.st_mode):
                pending.append(path)
            else:
                tree.files.add(path)
                identity = tree.identities[path] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
                if before is not None and old_files.get(path) != identity:
                    tree.changed.add(path)
    tree.troubled = bool(problems)
    return tree, problems


def _listing(folder: Path) -> list[tuple[str, bool, os.DirEntry[str]]]:
    """A folder's entries sorted by name, as ``scan_ahead.listing`` gives them (the entry: its ``lstat`` later)."""
    with os.scandir(folder) as listing:
        return [(entry.name, entry.is_dir(follow_symlinks=False), entry) for entry in sorted(listing, key=_NAME)]


def _status(found: os.DirEntry[str] | tuple[int, ...] | None, path: Path) -> os.stat_result | scan_ahead.Status:
    if isinstance(found, tuple):
        return scan_ahead.Status._make(found)
    return os.lstat(path) if found is None else found.stat(follow_symlinks=False)


def _unreadable(rel: str, err: OSError) -> Problem:
    return Problem(rel, 1, None, f"cannot be read: {err.strerror}", "check that it exists and you may read it")


def read_file(
    root: Path, path: Path, rel: str, limit: int, folders: Folders | None = None
) -> tuple[bytes | None, list[Problem]]:
    """The bytes of ``path`` (inside ``root``), opened without following links; at most ``limit`` bytes.

    ``folders``: the folders opened on the way are kept open there for the next file (``Folders``)."""
    try:
        fd = _open_inside(root, path) if folders is None else folders.open(root, path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None, [_link_problem(rel, path)]
        if err.errno == errno.ENOTDIR:
            message = "is inside a folder that is now a link or a file"
            return None, [Problem(rel, 1, None, message, "replace the link with the folder itself")]
        return None, [_unreadable(rel, err)]
    try:
        st = os.fstat(fd)
        if refused(st) or stat.S_ISDIR(st.st_mode):
            return None, [entry_problem(rel, path, st)]
        if st.st_size > limit:
            return None, [_size_problem(rel, st.st_size, limit)]
        data = _read_all(fd, limit + 1)
    finally:
        os.close(fd)
    return (None, [_size_problem(rel, len(data), limit)]) if len(data) > limit else (data, [])


READ_CHUNK = 1 << 20  # os.read(fd, n) allocates n bytes first: a 20 MB limit must not cost 20 MB per small file


def _read_all(fd: int, most: int) -> bytes:
    chunks, size = [], 0
    while size < most:
        chunk = os.read(fd, min(most - size, READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _size_problem(rel: str, size: int, limit: int) -> Problem:
    message = f"file is too large ({size:,} bytes; the limit is {limit:,})"
    return Problem(rel, 1, None, message, "shorten it, or split it into several files")


def _open_inside(root: Path, path: Path) -> int:
    """Open ``path`` read-only, walking down from ``root`` one name at a time and following no link."""
    base = str(root)
    folder = os.open(base, _FOLDER_FLAGS)
    try:
        *parents, name = str(path)[len(base) + 1 :].split(os.sep)
        for part in parents:
            inner = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(name, _FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)


class Folders:
    """The folders on the way to the last file read, kept open for the next one (many files are siblings): each was
    opened as ``_open_inside`` opens them, from the root down, with ``O_NOFOLLOW``, so a file opened in one is
    inside the root as it was then, without a link followed. ``close()`` when done (a worker's exit closes them)."""

    def __init__(self) -> None:
        self.names: list[str] = []  # the root's path, then each folder's name
        self.fds: list[int] = []
        self.last: tuple[str, str] | None = None  # (root, folders) of the last file, while all its folders are open

    def open(self, root: Path, path: Path) -> int:
        """Open ``path`` read-only like ``_open_inside``, opening only the folders not kept from the last file."""
        base = str(root)
        rest = str(path)[len(base) + 1 :]
        cut = rest.rfind(os.sep)
        folders, name = (rest[:cut], rest[cut + 1 :]) if cut >= 0 else (None, rest)
        if folders is None or self.last != (base, folders):  # a sibling of the last file opens in its folder
            names = [base, *(folders.split(os.sep) if folders is not None else ())]
            same = 0
            while same < min(len(names), len(self.names)) and names[same] == self.names[same]:
                same += 1
            self._keep(same)
            self.last = None  # until every folder of this file is open (an open below may fail)
            for part in names[same:]:
                fd = os.open(part, _FOLDER_FLAGS) if not self.fds else os.open(part, _FOLDER_FLAGS, dir_fd=self.fds[-1])
                self.names.append(part)
                self.fds.append(fd)
            self.last = (base, folders) if folders is not None else None
        return os.open(name, _FILE_FLAGS, dir_fd=self.fds[-1])

    def _keep(self, count: int) -> None:
        if len(self.fds) > count:  # the last file's folders no longer all open
            self.last = None
        while len(self.fds) > count:
            os.close(self.fds.pop())
            self.names.pop()

    def close(self) -> None:
        """Close every kept folder."""
        self._keep(0)


def scan_theme_static(theme: Path, static_paths: Iterable[str]) -> list[Problem]:
    """A problem for each link or special file among the theme's static files (Pelican copies them)."""
    base = len(str(theme.parent)) + 1
    problems: list[Problem] = []
    for name in static_paths:
        problems += scan(theme / name, lambda p: str(p)[base:])[1]
    return problems


def output_file(output: Path, name: str, *, resolved: str | None = None) -> Path:
    """The path ``name`` inside ``output``; BuildError if it would resolve anywhere else.

    ``resolved``: ``output`` already resolved (``os.path.realpath``), by a caller writing thousands of files
    into it (the generator): then only ``name`` is resolved here (a question page's two writes spent ~4% of a
    build's Python CPU resolving both paths through ``Path.resolve``)."""
    root = resolved or os.path.realpath(output)
    target = (resolved and fast_paths.plainly_inside(resolved, name)) or os.path.realpath(os.path.join(root, name))
    if not target.startswith(root.rstrip(os.sep) + os.sep):
        raise BuildError(f"refusing to write {name!r}: it is outside the output folder {output}")
    return Path(target)
