"""Write only what changed: unchanged output files keep their inode and mtime across builds.

A build writes into ``output.staging/`` and swaps it in (outputdir). Before the swap,
``keep_unchanged`` compares every staged file with the file of the same name in the
current ``output/``: where the bytes are the same, the staged copy is replaced by a hard
link to the old file, so after the swap that file is the very same file as before (same
inode, same mtime) and ``rsync``, bucket syncs and HTTP caches see nothing new. Files
that differ or are new keep the build's fresh copy; files the build no longer writes (a
deleted question) are simply not in the staging folder, so the swap removes them.

Nothing in ``output/`` is ever written through: a staged file is only ever *replaced*
(``os.replace``) in the staging folder, never opened for writing while it may be a link
to a published file (``replace_file``). Where the file system refuses hard links, the
old mtime is copied onto the staged file instead (``os.utime``): same bytes, same mtime.

An incremental build (``build/incremental.py``) starts its staging folder as hard links to the
published files it will not write (``link_farm``), and tells whether the output folder is the one
the last build left by its ``manifest`` (each file's size and mtime).
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Pelican is imported only where a page is written (not by `invoke check`)
    from jinja2 import Template
    from pelican.writers import Writer

logger = logging.getLogger(__name__)

TEMPORARY = ".qasite-tmp"  # suffix of a file being replaced in the staging folder
NO_LINK = (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EXDEV)


@dataclass
class Kept:
    """What ``keep_unchanged`` found: files identical to the published ones, and files new or changed."""

    unchanged: int = 0
    changed: int = 0
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # the staged files' size and mtime (s)
    written: list[str] = field(default_factory=list)  # the staged files that are not the published ones


def same_bytes(first: str, second: str, size: int) -> bool:
    """Whether two files of ``size`` bytes hold the same bytes."""
    with open(first, "rb") as one, open(second, "rb") as two:
        while size > 0:
            block = min(size, 1 << 20)
            if one.read(block) != two.read(block):
                return False
            size -= block
    return True


def staged_files(staging: Path, seen: list[str] | None = None) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Each file below ``staging`` (a link counts as a file) and its name relative to it, depth-first; ``seen``: each
    folder walked is appended to it."""
    folders = [(str(staging), "")]
    while folders:
        folder, prefix = folders.pop()
        if seen is not None:
            seen.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, name + "/"))
                else:
                    yield name, entry


def keep_unchanged(staging: Path, output: Path, linked: Mapping[str, tuple[int, int]] | None = None) -> Kept:
    """Link every staged file whose bytes equal ``output``'s file of the same name to that file.

    ``linked``: staged files already hard links to the published ones (an incremental build's ``link_farm``),
    with their size and mtime: counted as unchanged without looking at them again.
    """
    kept = Kept()
    linked = linked or {}
    first = not os.path.lexists(output)  # a first build: no published file to look for (~34,000 failing lstats)
    for name, entry in staged_files(staging):
        known = linked.get(name)
        if known is not None:
            kept.files[name] = known
            kept.unchanged += 1
            continue
        same, info = (
            (False, entry.stat(follow_symlinks=False)) if first else _keep(entry.path, os.path.join(output, name))
        )
        kept.files[name] = (info.st_size, int(info.st_mtime))
        if same:
            kept.unchanged += 1
        else:
            kept.changed += 1
            kept.written.append(name)
    logger.info("output: %d files unchanged, %d new or changed", kept.unchanged, kept.changed)
    return kept


def _keep(new: str, old: str) -> tuple[bool, os.stat_result]:
    """Make ``new`` the same file as ``old`` if their bytes are equal; whether they are, and ``new``'s status then."""
    now = os.lstat(new)
    try:
        before = os.lstat(old)
    except (FileNotFoundError, NotADirectoryError):
        return False, now
    if (before.st_dev, before.st_ino) == (now.st_dev, now.st_ino):
        return True, now  # already the same file (an incremental build's untouched output)
    if not (stat.S_ISREG(before.st_mode) and stat.S_ISREG(now.st_mode)) or before.st_size != now.st_size:
        return False, now
    if not same_bytes(new, old, now.st_size):
        return False, now
    temporary = new + TEMPORARY
    try:
        os.link(old, temporary)
    except OSError as err:
        if err.errno not in NO_LINK:
            raise
        os.utime(new, ns=(before.st_atime_ns, before.st_mtime_ns))  # no hard links here: keep the mtime at least
        return True, os.lstat(new)
    os.replace(temporary, new)
    return True, before


def replace_file(path: Path, data: bytes) -> bool:
    """Put ``data`` at ``path`` unless it already holds those bytes; whether it wrote.

    Where no file is there yet (a cold build's staging folder), writes it in place, created exclusively (never
    through a link). Else writes a new file beside it and renames it over ``path``: never writes through ``path``,
    which in a staging folder may be a hard link to a published file.
    """
    name = os.fspath(path)
    try:
        if write_new(name, data):
            return True
    except FileNotFoundError:  # its folder is not made yet
        path.parent.mkdir(parents=True, exist_ok=True)
        if write_new(name, data):
            return True
    try:
        if path.stat().st_size == len(data) and read_bytes(name) == data:
            return False
    except FileNotFoundError:  # a link to nothing: replaced below, as a missing file was before
        pass
    temporary = path.with_name(path.name + TEMPORARY)
    write_new(temporary, data, exclusive=False)
    os.replace(temporary, path)
    return True


def write_page(writer: Writer, name: str, template: Template, context: Mapping[str, Any], **variables: Any) -> bytes:
    """Render ``template`` and put the page at ``name`` in ``writer``'s output folder as Pelican's ``write_file``
    does (its context copied, ``output_file`` and ``variables`` added; a second write of one name refused): the same
    bytes, through ``replace_file`` (open, write, close: Python's text ``open`` adds three calls, and ``makedirs``
    two more, on ~12,000 pages a build). The page's bytes: the search's copy is cut from them, not read back."""
    path = os.path.abspath(os.path.join(writer.output_path, name))  # as Pelican's ``sanitised_join`` names it
    if path in writer._written_files:  # Pelican's own record, shared with its other writes in this process
        from pelican.writers import FileOverwriteFailedError  # not imported where no page is written (`invoke check`)

        raise FileOverwriteFailedError(f'Failed to overwrite "{path}" as Pelican has already written to it previously')
    writer._written_files.add(path)
    page = render_page(template, context, name, **variables)
    replace_file(Path(path), page)
    return page


def render_page(template: Template, context: Mapping[str, Any], name: str, **variables: Any) -> bytes:
    """The bytes of the page ``name`` as ``write_page`` writes it: ``template`` rendered with Pelican's context for
    that page (``output_file``) and ``variables``."""
    local = {**context, "localsiteurl": context.get("localsiteurl"), "output_file": name, **variables}
    return template.render(local).encode("utf-8")


READ_CHUNK = 1 << 16  # below malloc's mmap threshold: each read's buffer comes from the heap, not a fresh mapping
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path`` in the fewest system calls: open, read to the end, close. Python's ``open`` also asks for
    the file's status, whether it is a terminal and its position: three calls more a file, on ~30,000 files a build
    (on a virtual machine's busy kernel, its file system calls are the build's dearest)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, READ_CHUNK):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def write_new(path: str | os.PathLike[str], data: bytes, *, exclusive: bool = True) -> bool:
    """Write ``data`` to a new file ``path`` (mode 0o666 less the umask, as ``open`` makes it); whether it wrote:
    False when a file or a link is there already (``exclusive``, O_EXCL: never through a link). Not exclusive: the
    file is truncated first (for a folder only this build writes, such as a search shard's)."""
    flags = CREATE if exclusive else os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return True


def manifest(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's size and mtime (whole seconds: an archive restored by CI keeps them) by name."""
    found = {}
    folders = [(str(folder), "")]
    while folders:
        top, prefix = folders.pop()
        with os.scandir(top) as entries:
            for entry in entries:
                if entry.is_dir():  # as os.walk tells them (a link to a folder is not listed, nor followed)
                    if not entry.is_symlink():
                        folders.append((entry.path, prefix + entry.name + "/"))
                    continue
                info = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = (info.st_size, int(info.st_mtime))
    return found


def link_farm(output: Path, staging: Path, names: frozenset[str]) -> set[str]:
    """Hard-link the published files ``names`` into ``staging`` (their folders created): the untouched outputs.

    Returns the names missing from ``output`` (removed by hand since): the build must write those too.
    """
    made: set[str] = set()
    missing = set()
    for name in sorted(names):
        source = os.path.join(output, name)
        target = os.path.join(staging, name)
        folder = os.path.dirname(target)
        if folder not in made:
            try:
                os.mkdir(folder)  # one call: its parent is usually made already (one folder a question)
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            except FileExistsError:
                pass
            made.add(folder)
        try:
            os.link(source, target)
        except FileNotFoundError:
            missing.add(name)
    return missing


def remove_empty_folders(root: Path | str, name: str) -> None:
    """Remove the folders of ``name`` (a file just removed from ``root``) that are empty now, deepest first."""
    parts = name.split("/")[:-1]
    while parts:
        try:
            os.rmdir(os.path.join(root, *parts))
        except OSError:  # not empty (or gone): its parents are not empty either
            return
        parts.pop()
