"""Render in parallel where it pays: fork worker processes that share the loaded site.

Forking after everything is loaded and validated means workers need no
pickling and start instantly; each writes its share of the pages and exits.
Used only where it is safe: a POSIX fork, one thread, enough work to pay for it.
Workers die with the build (see lifeline), and a worker's OSError (a full disk,
a read-only folder) reaches the parent as itself, so it is reported like the
parent's own.
"""

from __future__ import annotations

import functools
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, NoReturn, TypeVar

from ..config.problems import BuildError
from .lifeline import die_with_parent

if TYPE_CHECKING:
    import multiprocessing.pool

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS_PER_PROCESS = 200
PIECE = 500  # items between two looks at whether a core came free (run_in_pieces)


def process_count(setting: int, items: int) -> int:
    """How many processes to use: the setting (0 = one per CPU), fewer for small jobs, 1 when forking is unsafe."""
    wanted = setting or os.cpu_count() or 1
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return max(1, min(wanted, items // MIN_ITEMS_PER_PROCESS))


def run_forked(items: Sequence[T], work: Callable[[Sequence[T]], None], *, processes: int) -> None:
    """Call ``work`` on ``processes`` interleaved shares of ``items``, one share per process.

    The calling process takes the first share; a worker failing with an OSError
    makes this raise that error, any other failure prints its traceback and makes
    this raise BuildError, after all shares are done. If the caller's share
    fails, the workers are killed before the error goes up.
    """
    shares = [items[i::processes] for i in range(processes)]
    children = [_fork(share, work) for share in shares[1:]]
    try:
        work(shares[0])
    except BaseException:
        for pid, _ in children:
            os.kill(pid, signal.SIGKILL)
        _collect(children)
        raise
    errors, failed = _collect(children)
    if errors:
        raise errors[0]
    if failed:
        raise BuildError(f"{failed} rendering process(es) failed; see the traceback above")


def sharing(count: int, busy: object) -> int:
    """``count`` processes, one fewer while ``busy`` (another program has a core: Pagefind indexing a shard); one at
    least."""
    return max(1, count - bool(busy))


def run_in_pieces(
    items: Sequence[T],
    work: Callable[[Sequence[T], int], None],
    *,
    processes: int,
    busy: Callable[[], object],
    piece: int = PIECE,
) -> None:
    """``run_forked`` over ``items`` (``work(share, processes)``), with one process fewer while ``busy()`` (another
    program has a core: Pagefind indexing a search shard), then ``piece`` items at a time, asking again before each
    piece, so the work gets every process back as soon as that core is free."""
    done = 0
    while done < len(items):
        fewer = bool(busy())
        part = items[done : done + piece] if fewer else items[done:]
        count = sharing(min(processes, len(part) // MIN_ITEMS_PER_PROCESS), fewer)
        run_forked(part, functools.partial(work, processes=count), processes=count)
        done += len(part)


def _collect(children: list[tuple[int, int]]) -> tuple[list[OSError], int]:
    """Wait for every worker; return the OSErrors they sent and how many failed."""
    errors: list[OSError] = []
    failed = 0
    for pid, reader in children:
        with os.fdopen(reader, "rb") as pipe:
            sent = pipe.read()
        failed += os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0
        if sent:
            errors.append(pickle.loads(sent))
    return errors, failed


def _fork_piped() -> tuple[int, int]:
    """Fork with a pipe from the child to the parent: (the child's pid, the read end) in the parent,
    (0, the write end) in the child."""
    sys.stdout.flush()
    sys.stderr.flush()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)
    return 0, writer


def _fork(share: Sequence[T], work: Callable[[Sequence[T]], None]) -> tuple[int, int]:
    parent = os.getpid()
    pid, end = _fork_piped()
    if pid:
        return pid, end  # the read end
    writer = end

    def child() -> None:
        die_with_parent(parent)
        work(share)

    def report(err: OSError) -> None:  # a fault writing the site: the parent reports it
        os.write(writer, pickle.dumps(err))

    _run_child(child, report)


def _run_child(work: Callable[[], object], report: Callable[[OSError], None] | None = None) -> NoReturn:
    """In a forked child: run ``work`` and exit (never return into the parent's code), 1 on failure; an OSError
    goes to ``report`` if given, any other failure prints its traceback."""
    code = 0
    try:
        work()
    except OSError as err:
        code = 1
        if report is None:
            traceback.print_exc()
        else:
            report(err)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def map_forked(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    processes: int,
    done: Callable[[], object] | None = None,
    meanwhile: Callable[[], object] | None = None,
    arrived: Callable[[int, R], object] | None = None,
) -> list[R]:
    """``[func(item) for item in items]``, in ``processes`` forked workers when more than one.

    ``func`` must be a module-level function; its results travel back pickled. ``done`` is called in this
    process as each result arrives (to count progress), and ``arrived`` with its index and the result (to work
    on it while the workers go on). ``meanwhile`` is called in this process while the workers work (after forking
    them), or first when there are none.
    """
    if processes <= 1:
        if meanwhile is not None:
            meanwhile()
        return [_counted(func(item), done, arrived, index) for index, item in enumerate(items)]
    with forked_pool(processes) as pool:
        results = pool.imap(func, items, chunksize=max(1, len(items) // (processes * 8)))
        if meanwhile is not None:
            meanwhile()
        return [_counted(result, done, arrived, index) for index, result in enumerate(results)]


def forked_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of ``processes`` forked workers that die with this process (``map_forked``'s; ``prepare_early`` feeds
    one part by part while the scan goes on). Terminate it when done (``with``)."""
    import multiprocessing

    return multiprocessing.get_context("fork").Pool(processes, initializer=die_with_parent, initargs=(os.getpid(),))


_BACKGROUND: list[int] = []  # the children ``in_background`` forked, not yet waited for


def in_background(work: Callable[[], object], *, fork: bool = True) -> None:
    """Run ``work`` in a forked child while this process goes on (``wait_for_background`` waits for it); here and
    now when not ``fork`` or forking is unsafe (no fork, other threads). Only for work whose failure costs nothing
    but time (writing the build cache): the child reports its own traceback, never this process."""
    if not fork or not hasattr(os, "fork") or threading.active_count() > 1:
        work()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        _BACKGROUND.append(pid)
        return
    _run_child(work)


def wait_for_background() -> None:
    """Wait for every child ``in_background`` forked."""
    while _BACKGROUND:
        os.waitpid(_BACKGROUND.pop(), 0)


class Forked(Generic[R]):
    """A result computed by a child ``forked`` off this process while it goes on."""

    def __init__(self, pid: int, reader: int) -> None:
        self._pid, self._reader = pid, reader

    def result(self) -> R | None:
        """The child's result, once it is done (waits for it); None when it failed (its traceback printed)."""
        with os.fdopen(self._reader, "rb") as pipe:
            sent = pipe.read()
        failed = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1]) != 0
        return None if failed or not sent else pickle.loads(sent)

    def cancel(self) -> None:
        """Stop the child: its result is not wanted."""
        os.kill(self._pid, signal.SIGKILL)
        os.close(self._reader)
        os.waitpid(self._pid, 0)


def forked(work: Callable[[], R]) -> Forked[R] | None:
    """``work()`` in a forked child while this process goes on (its result travels back pickled, read by
    ``Forked.result``); None when forking is unsafe (no fork, other threads): the caller does the work itself.
    The child dies with this process (``lifeline``)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    parent = os.getpid()
    pid, end = _fork_piped()
    if pid:
        return Forked(pid, end)  # the read end
    writer = end

    def child() -> None:
        die_with_parent(parent)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))

    _run_child(child)


def _counted(
    result: R, done: Callable[[], object] | None, arrived: Callable[[int, R], object] | None = None, index: int = 0
) -> R:
    if done is not None:
        done()
    if arrived is not None:
        arrived(index, result)
    return result
