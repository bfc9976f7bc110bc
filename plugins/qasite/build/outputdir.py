"""The output folder's life: one build at a time, recovery after a crash, an atomic swap, write faults.

Besides ``output/`` itself a build uses only names beside it that start with
the output folder's name (all ignored by git):

- ``output.lock``: the build lock (``fcntl.flock``), holding the pid of the
  build that has it; kept between builds (deleting a lock file races); held,
  empty, by the last build's cache writer for a few seconds after it ended;
- ``output.staging/``: the site being built;
- ``output.previous/``: the old site, only for the instant of a swap where the
  system cannot exchange two folders atomically;
- ``output.old-*/``: old sites, and the search shards' folders once indexed (``render/shard_indexer.py``),
  being deleted in the background;
- ``output.spare/``: the site the last atomic swap replaced, kept as the next incremental
  build's staging folder (``build/spare.py``); deleting it is always safe;
- ``output.folders/``: the live preview's last staging folder once its files were moved in (empty folders only),
  kept as its next build's staging folder (``leave_folders``): on some disks making a folder costs up to ~0.5 ms
  of CPU; a build of another process deletes it (a build of its own too, when it is a link or not the very folder
  left: ``_left_here``), and deleting it is always safe.

Elsewhere a build writes only the copies of the question pages Pagefind reads, in private folders in memory
(``QA_SEARCH_SCRATCH``, ``render/scratch.py``), each removed once its shard is indexed, before the build ends.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config.problems import BuildError

logger = logging.getLogger(__name__)

LOCK, STAGING, PREVIOUS, OLD, FOLDERS = ".lock", ".staging", ".previous", ".old-", ".folders"
FULL_DISK = (errno.ENOSPC, errno.EDQUOT)
READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
IN_USE = (errno.EBUSY,)  # output/ is a mount point (a Docker volume, say): it cannot be renamed
WRITE_FAULTS = FULL_DISK + READ_ONLY + IN_USE
AT_FDCWD = -100
RENAME_EXCHANGE = 2
NO_EXCHANGE = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP)  # kernel or file system without RENAME_EXCHANGE
_LEFT: dict[Path, tuple[int, ...]] = {}  # the trees this process left (``leave_folders``): pid, device, inode, ctime


def sibling(output: Path, suffix: str) -> Path:
    """The folder or file beside ``output`` named after it: ``sibling(output, STAGING)`` is output.staging."""
    return output.with_name(output.name + suffix)


PID_WIDTH = 20


def _holder(fd: int) -> str:
    """The pid the lock's holder wrote: it writes it just after taking the lock, so wait a moment for it."""
    for _ in range(200):
        text = os.pread(fd, PID_WIDTH + 1, 0).decode(errors="replace").strip()
        if text:
            return text
        time.sleep(0.01)
    return "unknown"


SAVING = 60.0  # seconds a build waits without a word for the last build's cache writer (build/cache.write_behind)


def _saving(fd: int) -> bool:
    """Take the lock if its holder is the last build's cache writer and it lets go within ``SAVING`` seconds.

    That writer keeps the lock the build took (and emptied when it ended), so an empty lock file on a held lock
    is a writer; a build that has just taken it writes its pid at once. False: another build holds it.
    """
    waited = 0.0
    while waited < SAVING:
        if os.pread(fd, PID_WIDTH + 1, 0).strip():
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            time.sleep(0.01)
            waited += 0.01
    return False


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the build lock of ``output``; while another build holds it, say so and wait."""
    path = sibling(output, LOCK)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not _saving(fd):
                waiting = f"Waiting for the other build of {output} (pid {_holder(fd)}) to finish..."
                print(waiting, file=sys.stderr, flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
        # Fixed width, one write: a waiting build never reads a half-written pid; emptied when done.
        os.pwrite(fd, f"{os.getpid():<{PID_WIDTH}}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock (forked workers holding a copy have all ended by now)


def recover(output: Path) -> None:
    """Clean up after a build that was killed: put the old site back if a swap was cut short, drop leftovers."""
    for old in output.parent.iterdir():
        if old.name.startswith(output.name + OLD):  # its deletion was cut short
            _delete_in_background(old)
    previous = sibling(output, PREVIOUS)
    if previous.exists() and not output.exists():
        previous.rename(output)
        print(f"Restored {output} from {previous.name} (a build was stopped while swapping)", file=sys.stderr)
    for leftover in (previous, sibling(output, STAGING)):
        if leftover.exists():
            discard(leftover, output)
    folders = sibling(output, FOLDERS)
    if os.path.lexists(folders) and not _left_here(folders):  # another's, or a link: not known to hold only folders
        discard(folders, output)


def leave_folders(staging: Path, output: Path) -> None:
    """Keep ``staging``, a tree of empty folders once its files were moved out, beside ``output`` for this process's
    next build (``take_folders``) instead of deleting it."""
    folders = sibling(output, FOLDERS)
    try:
        staging.rename(folders)
    except OSError:  # a tree is there already (not taken): this one goes
        discard(staging, output)
        return
    _LEFT[folders] = _mark(os.lstat(folders))


def take_folders(output: Path, staging: Path) -> None:
    """Make the folders this process left (``leave_folders``) the staging folder, if they are there."""
    folders = sibling(output, FOLDERS)
    if _left_here(folders) and not staging.exists():
        folders.rename(staging)
    _LEFT.pop(folders, None)


def _left_here(folders: Path) -> bool:
    """Whether ``folders`` is the very folder this process left (``leave_folders``): not a link, nor a folder put
    there since by another process or by hand (a link would have the build write through it, out of the output), nor
    one whose own entries changed since (``build/spare.py`` checks its folder so). A file or link planted deeper is
    not seen: whoever can write beside the output folder can write in it."""
    try:
        info = os.lstat(folders)
    except FileNotFoundError:
        return False
    return stat.S_ISDIR(info.st_mode) and _LEFT.get(folders) == _mark(info)


def _mark(info: os.stat_result) -> tuple[int, ...]:
    return os.getpid(), info.st_dev, info.st_ino, info.st_ctime_ns


def swap(staging: Path, output: Path, *, keep_old: bool = False) -> bool:
    """Put ``staging`` in place of ``output``, in one atomic step where the system allows it.

    Elsewhere output/ is missing for an instant between two renames; if the build
    dies there, the next build's ``recover`` puts the old site back. The old site
    is deleted in the background, unless ``keep_old`` and the exchange was atomic: then it is left at ``staging``
    for the caller (``build/spare.py``), and True is returned.
    """
    if not output.exists():
        staging.rename(output)
    elif _exchange(staging, output):
        if keep_old:
            return True
        discard(staging, output)  # it now holds the old site
    else:
        previous = sibling(output, PREVIOUS)
        output.rename(previous)
        try:
            staging.rename(output)
        except OSError:
            previous.rename(output)
            raise
        discard(previous, output)
    return False


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:  # a C library without it (glibc before 2.28)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(second))


def discard(folder: Path, output: Path) -> None:
    """Rename ``folder`` (beside ``output``) out of the way at once and delete it in the background."""
    old = sibling(output, f"{OLD}{os.getpid()}-{time.monotonic_ns()}")
    folder.rename(old)
    _delete_in_background(old)


def _delete_in_background(folder: Path) -> None:
    # Deleting thousands of folders takes seconds on some file systems: not the build's job to wait.
    subprocess.Popen(
        ["rm", "-rf", "--", str(folder)], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


class _RaiseCopyFaults(logging.Filter):
    """Pelican logs a static file it failed to copy as a warning and goes on: on a full disk, a site without CSS."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Raise the write fault a record carries (it propagates out of Pelican's copy); keep other records."""
        for arg in record.args if isinstance(record.args, tuple) else ():
            if isinstance(arg, OSError) and arg.errno in WRITE_FAULTS:
                raise arg
        return True


@contextmanager
def copy_faults_raised() -> Iterator[None]:
    """Within this block, a full disk or a read-only folder met copying static files stops the build."""
    log, raiser = logging.getLogger("pelican.utils"), _RaiseCopyFaults()
    log.addFilter(raiser)
    try:
        yield
    finally:
        log.removeFilter(raiser)


def write_fault(err: OSError, output: Path) -> BuildError | None:
    """The one-line error for a full disk or a read-only folder met writing ``output``; None for other errors."""
    written = err.filename2 if err.filename2 is not None else err.filename  # a copy names its source first
    if err.errno not in WRITE_FAULTS or (written is not None and not _ours(written, output)):
        return None
    unchanged = "the previous site is unchanged"
    if err.errno in FULL_DISK:
        return BuildError(
            f"{output}: the disk is full ({os.strerror(err.errno)}) "
            f"(free disk space on the disk that holds {output.parent}, then build again; {unchanged})"
        )
    if err.errno in IN_USE:
        return BuildError(
            f"{output}: cannot replace it ({os.strerror(err.errno)}: a mount point?) "
            f"(mount the folder that holds it instead, or set OUTPUT_PATH to a folder inside it; {unchanged})"
        )
    return BuildError(
        f"{output}: cannot write there ({os.strerror(err.errno)}) "
        f"(make {output.parent} and {output.name}/ writable, or set OUTPUT_PATH to a writable folder; {unchanged})"
    )


def _ours(filename: str | bytes | int, output: Path) -> bool:
    """Whether ``filename`` is the output folder, or inside it, or one of the build's names beside it."""
    if isinstance(filename, int):
        return False
    path = Path(os.path.abspath(os.fsdecode(filename)))
    parent = Path(os.path.abspath(output)).parent
    if parent not in path.parents:
        return False
    top = path.relative_to(parent).parts[0]
    return top == output.name or top.startswith(output.name + ".")
