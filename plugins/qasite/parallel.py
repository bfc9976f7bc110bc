"""Render in parallel where it pays: fork worker processes that share the loaded site.

Forking after everything is loaded and validated means workers need no
pickling and start instantly; each writes its share of the pages and exits.
Used only where it is safe: a POSIX fork, one thread, enough work to pay for it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from .problems import BuildError

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS_PER_PROCESS = 200


def process_count(setting: int, items: int) -> int:
    """How many processes to use: the setting (0 = one per CPU), fewer for small jobs, 1 when forking is unsafe."""
    wanted = setting or os.cpu_count() or 1
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return max(1, min(wanted, items // MIN_ITEMS_PER_PROCESS))


def run_forked(items: Sequence[T], work: Callable[[Sequence[T]], None], *, processes: int) -> None:
    """Call ``work`` on ``processes`` interleaved shares of ``items``, one share per process.

    The calling process takes the first share; a failing worker prints its
    traceback and makes this raise BuildError after all shares are done.
    """
    shares = [items[i::processes] for i in range(processes)]
    children = [_fork(share, work) for share in shares[1:]]
    work(shares[0])
    failed = [pid for pid in children if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
    if failed:
        raise BuildError(f"{len(failed)} rendering process(es) failed; see the traceback above")


def _fork(share: Sequence[T], work: Callable[[Sequence[T]], None]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        work(share)
    except BaseException:  # a worker must never return into the parent's code
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return 0


def map_forked(func: Callable[[T], R], items: Sequence[T], *, processes: int) -> list[R]:
    """``[func(item) for item in items]``, in ``processes`` forked workers when more than one.

    ``func`` must be a module-level function; its results travel back pickled.
    """
    if processes <= 1:
        return [func(item) for item in items]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(func, items, chunksize=max(1, len(items) // (processes * 8)))
