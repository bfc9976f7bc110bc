"""Child processes die with the build: a killed build leaves nothing running that writes.

On Linux every child of a build (Pagefind, forked render workers, the
Markdown pool) asks the kernel for SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``, kept across ``exec``), so even a build killed
with SIGKILL takes its children along. Elsewhere it is a no-op; forked
workers still hold the build lock (inherited) until they end, so the next
build waits for them.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import signal
import sys
from collections.abc import Callable

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


# Looked up once in the parent: after a fork only the call itself runs (no dlopen in the child).
_PRCTL = _load_prctl()


def die_with_parent(parent: int) -> None:
    """In a child: be killed when ``parent`` dies; exit at once if it already has."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def child_setup() -> Callable[[], None]:
    """A ``preexec_fn`` for subprocess.Popen that ties the child's life to this process."""
    return functools.partial(die_with_parent, os.getpid())
