"""Where a full build puts the page copies Pagefind reads: a private folder in memory (``QA_SEARCH_SCRATCH``).

A full build writes each question page a second time, cut down to what Pagefind reads (``index_pages``), into its
shard's tree (``shard_indexer.ShardIndexer.add``): at 10,000 questions ~10,000 files in ~10,000 folders, read once
by Pagefind and deleted. On a disk those are ~20,000 creations and as many deletions a build, and on some disks
(ext4 mounted with online ``discard``, after a previous build's deletions) creating a file costs several times the
kernel time it costs in memory. So each shard's tree is a private folder (``mkdtemp``: mode 0700, a new name) in
``QA_SEARCH_SCRATCH`` (``/dev/shm`` by default, the RAM-backed tmpfs every Linux has), when that folder exists and
has room: twice ``PAGE_ROOM`` a page free in it and in memory (~11 KB a page is used: ~55 MB a 5,000-page shard,
freed when the shard is indexed). Otherwise (``""``, missing, too small: a container's 64 MB ``/dev/shm``) the tree
is beside the output folder as it always was. Only the page copies go there: Pagefind writes its bundle beside the
output, on the output's device, so it is renamed into the site.

A build that is killed leaves its folders behind: the next build removes those no build uses any more (``sweep``). A
build holds a lock on each of its folders' ``IN_USE`` file while it uses it, so a folder is taken for left only when
that lock is free, whatever process or pid namespace (containers sharing ``/dev/shm``) made it, and the pid in its
name runs no more here (a folder just made, its lock not yet taken). Only this user's folders are touched.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

PREFIX = "qasite-search-"  # <scratch>/qasite-search-<pid>-<shard>-<random>/
PAGE_ROOM = 32 * 1024  # bytes a page is allowed for: a cut page is ~11 KB, plus its folder and file in tmpfs
LEFT_BY = re.compile(re.escape(PREFIX) + r"(\d+)-")
IN_USE = ".in-use"  # in each folder, locked (``flock``) by the build using it; Pagefind's glob never reads it
HELD: dict[Path, int] = {}  # this process's folders -> the descriptor holding their lock (``make``, ``release``)


def has_room(folder: str, pages: int) -> bool:
    """Whether ``folder`` (a ``QA_SEARCH_SCRATCH`` value) can take ``pages`` page copies: a folder with twice
    their room free, and twice that free in memory (tmpfs is memory). ``""`` never."""
    if not folder:
        return False
    need = 2 * pages * PAGE_ROOM
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    return os.path.isdir(folder) and found.f_bavail * found.f_frsize >= need and _available() >= need


def _available() -> int:
    """Bytes of memory available to a new use (``MemAvailable``: free, and page cache that can be dropped)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")  # free memory only: the lower bound


def make(folder: str, shard: int) -> Path:
    """A new private folder in ``folder`` for ``shard``'s page copies, locked as in use until ``release``."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{shard}-", dir=folder))
    HELD[path] = os.open(path / IN_USE, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    fcntl.flock(HELD[path], fcntl.LOCK_EX)
    return path


def release(path: Path) -> None:
    """No longer in use: the folder ``path`` can be removed (by this build, or by another's ``sweep``)."""
    fd = HELD.pop(path, None)
    if fd is not None:
        os.close(fd)


def sweep(folder: str) -> None:
    """Remove the page copies that stopped builds left in ``folder``: this user's, that no build uses (``_in_use``)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = LEFT_BY.match(entry.name)
        if found is None or _in_use(entry.path, int(found[1])):
            continue
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                shutil.rmtree(entry.path, ignore_errors=True)
                logger.info("removed %s, left by a stopped build", entry.path)
        except OSError:
            continue


def _in_use(path: str, pid: int) -> bool:
    """Whether a build may still use the folder ``path``: its ``IN_USE`` file is locked (by a build anywhere), or
    ``pid``, whose folder it is, still runs here (it may not have taken the lock yet)."""
    try:
        fd = os.open(os.path.join(path, IN_USE), os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return _alive(pid)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
