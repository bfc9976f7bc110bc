"""The live preview's search catch-up: re-index what its builds left behind, in a forked copy of the preview.

A preview build keeps the old search index (``build.incremental.DEFER_SEARCH``). ``Catchup`` then forks
the preview's process, which already holds the site the last build loaded, and the child re-indexes the
shards of every question edited since the index was current (``render.search_shards.reindex``), under
the output folder's build lock, with nothing else to load (it replaced a background ``qasite build``
process, which loaded the whole site again). When it has finished, the preview's snapshot is marked
current, with the output folder as it now is, so the next edit is still an incremental build. It
behaves like a ``subprocess.Popen``: ``poll``, ``wait``, ``kill``. A killed catch-up leaves the
snapshot saying the index is behind (or an output folder that differs from it: a full build next).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..build import incremental
from ..build.cache import Cache, held
from ..build.lifeline import die_with_parent
from ..build.outputdir import build_lock
from ..build.writer import manifest
from ..config.settings import urls_from
from ..content.loader import LOADED, Loaded
from ..render import search_delta, search_shards

logger = logging.getLogger(__name__)

REASON_BYTES = 500  # at most this much of why the delta was not written travels back (less than PIPE_BUF)


class Catchup:
    """One background re-index of the last preview build's output (a forked child), and its snapshot's update."""

    def __init__(self, settings: dict[str, Any], snapshot: incremental.Snapshot, loaded: Loaded, cache: Cache) -> None:
        self.output = Path(settings["OUTPUT_PATH"])
        questions = loaded.site.questions
        slugs = [q.slug for q in questions] if snapshot.unindexed is None else sorted(snapshot.unindexed)
        self.returncode: int | None = None
        self.done = threading.Event()
        self.current = threading.Event()  # the search finds what the edits wrote: the delta, or the shards, in place
        self.current_after: float | None = None  # seconds from the start until then
        self.no_delta = ""  # why the child wrote no delta, when it said so
        self.started = started = time.monotonic()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        reader, writer = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(reader)
            _reindex(parent, self.output, questions, settings, slugs, writer)  # never returns
        os.close(writer)
        self.awaiting = threading.Thread(target=self._await_delta, args=(reader, started), daemon=True)
        self.awaiting.start()
        threading.Thread(target=self._finish, args=(settings, snapshot, loaded, cache), daemon=True).start()

    def _await_delta(self, reader: int, started: float) -> None:
        """Set ``current`` when the child says its delta is in place (b"1" on the pipe); log why when it says it is
        not (b"0" and the reason, kept in ``no_delta``); EOF: it never said (killed)."""
        with os.fdopen(reader, "rb") as pipe:
            said = pipe.read(1)
            if said == b"1":
                self.current_after = time.monotonic() - started
                self.current.set()
            elif said:
                self.no_delta = pipe.read(REASON_BYTES).decode("utf-8", "replace")
                logger.warning("search delta not written (%s): the search is current once re-indexed", self.no_delta)

    def _finish(self, settings: dict[str, Any], snapshot: incremental.Snapshot, loaded: Loaded, cache: Cache) -> None:
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        self.awaiting.join()  # the child's word on its delta read (its pipe closed with it)
        if code == 0:
            if not self.current.is_set():  # no delta: the re-indexed shards made the search current
                self.current_after = time.monotonic() - self.started
                self.current.set()
            try:
                snapshot.search_current, snapshot.unindexed = True, frozenset()
                plan = incremental.Plan(settings={**settings, LOADED: loaded}, snapshot=snapshot, cache=cache)
                with held():  # written with the rest of the preview's cache (Preview.close)
                    incremental.save(plan, self.output, manifest(self.output))
            except Exception as error:  # the index is current, but the next build will be a full one
                logger.warning("could not record the re-indexed search in the build cache: %s", error)
        self.returncode = code
        self.done.set()

    def wait_current(self) -> bool:
        """Wait until the search is current (True) or the catch-up ended without making it so (False)."""
        while not self.current.wait(0.05):
            if self.done.is_set():
                return self.current.is_set()
        return True

    def poll(self) -> int | None:
        """The exit code once finished (the snapshot updated), else None."""
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until finished; the exit code (negative: killed by that signal)."""
        if not self.done.wait(timeout):
            raise subprocess.TimeoutExpired(f"search catch-up (pid {self.pid})", timeout or 0)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        """Kill the child (its Pagefind runs die with it: build/lifeline.py)."""
        with contextlib.suppress(ProcessLookupError):  # already ended
            os.kill(self.pid, signal.SIGKILL)


def _reindex(
    parent: int, output: Path, questions: Sequence[Any], settings: dict[str, Any], slugs: list[str], ready: int
) -> None:
    """In the child: index the pages of ``slugs`` into the delta and say so on ``ready`` (render/search_delta.py),
    then re-index their shards at a lower priority and take the delta away; exit (0: done)."""
    code = 1
    try:
        die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the preview's to handle: it kills this child
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        urls = urls_from(settings)
        with build_lock(output):
            _write_delta(output, questions, settings, slugs, ready)
            os.close(ready)
            os.nice(10)  # the shards' re-index must not slow the next preview build down
            search_shards.reindex(output, questions, urls, settings, slugs)
        code = 0
    except BaseException:  # the child must never return into the preview's code
        code = 1
    finally:
        os._exit(code)


def _write_delta(
    output: Path, questions: Sequence[Any], settings: dict[str, Any], slugs: list[str], ready: int
) -> None:
    """In the child: write the delta and say so on ``ready`` (b"1"), or say why not (b"0" and the reason: the
    preview logs it, as this child's output goes nowhere); the search is then current once the shards are."""
    reason = search_delta.why_not(output, questions, settings, set(slugs))
    if not reason:
        try:
            if search_delta.write(output, questions, urls_from(settings), settings, slugs):
                os.write(ready, b"1")
                return
            reason = "nothing to add it to"
        except Exception as error:  # any failure: said, and the shards' re-index still follows
            reason = f"{type(error).__name__}: {error}"
    os.write(ready, b"0" + reason.encode("utf-8", "replace")[:REASON_BYTES])
