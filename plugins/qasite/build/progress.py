"""Phase reporting for long commands: live counts on a terminal, one line per phase in logs (rich.progress).

A command opens ``shown(stream)`` (``run_cli`` does, on stderr); code anywhere in it reports a phase with
``with phase("reading", total=n, unit="files") as p: ... p.advance()``. Nothing appears during a command's
first ``DELAY`` seconds, and a command shorter than that prints nothing at all, so small sites and the tests
see the output they always saw. After the delay, on a terminal, each running phase is a bar updated in place
(``reading  6,120/10,000 files``) and each finished phase leaves one line; elsewhere (CI logs, a pipe) only
those lines are printed, one per phase: ``reading: 10,000 files in 3.2 s``.

The display never uses a thread (a thread would stop the build from forking its workers, see
build.parallel): it is redrawn from ``advance()`` at most every ``REFRESH`` seconds. Only the process that
opened ``shown()`` draws: a forked worker counts into its own copy and prints nothing. Outside ``shown()``
(library calls, most tests) a phase only counts.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text

# Seconds a command runs before anything is shown; QASITE_PROGRESS=off never shows it (the test suite sets
# it, so that what a command prints does not depend on how busy the machine is).
DELAY = float("inf") if os.environ.get("QASITE_PROGRESS") == "off" else 2.0
REFRESH = 0.1  # seconds between redraws of the live display


class Phase:
    """One phase of a command: a name, a count of done items, a total when known (else an indeterminate bar)."""

    def __init__(self, board: Board | None, name: str, total: int | None, unit: str, count: int) -> None:
        self.board, self.name, self.total, self.unit = board, name, total, unit
        self.completed = count
        self.started = time.monotonic()
        self.task: TaskID | None = None

    def advance(self, items: int = 1) -> None:
        """``items`` more are done (a total is never exceeded); redraws when it is time."""
        self.completed = min(self.completed + items, self.total) if self.total is not None else self.completed + items
        if self.board is not None and time.monotonic() >= self.board.next_draw:
            self.board.draw()

    def tick(self) -> None:
        """Nothing more is done, but time passed: redraw the elapsed time and the indeterminate bar when due."""
        self.advance(0)

    def counted(self) -> str:
        """``6,120/10,000 files`` (``10,000 pages`` for an indeterminate phase)."""
        done = f"{self.completed:,}/{self.total:,}" if self.total is not None else f"{self.completed:,}"
        return f"{done} {self.unit}".rstrip()

    def elapsed(self) -> str:
        """Seconds since the phase began: ``3.2 s``."""
        return f"{time.monotonic() - self.started:.1f} s"

    def line(self) -> str:
        """The one line a finished phase leaves: ``reading: 10,000 files in 3.2 s``."""
        counted = f"{self.completed:,} {self.unit}".rstrip()
        return f"{self.name}: {counted} in {self.elapsed()}"


class _Status(ProgressColumn):
    """``6,120/10,000 files  3.2 s``: thousands separators, the phase's unit, the time since it began."""

    def render(self, task: Task) -> Text:
        phase: Phase = task.fields["phase"]
        return Text(f"{phase.counted()}  {phase.elapsed()}")


class Board:
    """What one command shows: the phases running, the lines of those finished, and when to show them."""

    def __init__(self, stream: IO[str], *, delay: float, refresh: float, terminal: bool | None = None) -> None:
        self.stream = stream
        self.delay, self.refresh = delay, refresh
        self.terminal = stream.isatty() if terminal is None else terminal
        self.pid = os.getpid()
        self.start = time.monotonic()
        self.next_draw = self.start + delay
        self.running: list[Phase] = []
        self.waiting: list[str] = []  # lines of phases finished before the delay passed
        self.live: Progress | None = None

    @property
    def due(self) -> bool:
        """True once the command has run longer than the delay."""
        return time.monotonic() - self.start >= self.delay

    def begin(self, phase: Phase) -> None:
        """Show ``phase`` from now on."""
        self.running.append(phase)
        if self.due:
            self.draw()

    def end(self, phase: Phase) -> None:
        """``phase`` is over: its line is printed (or kept until the delay has passed)."""
        if phase not in self.running or os.getpid() != self.pid:
            return
        self.running.remove(phase)
        self.waiting.append(phase.line())
        if self.live is not None and phase.task is not None:
            self.live.remove_task(phase.task)
            self.live.refresh()
        if self.due:
            self.draw()
        if self.live is not None and not self.running:
            self.live.stop()  # nothing is live between phases: other output prints as usual
            self.live = None

    def draw(self) -> None:
        """Print the lines waiting and redraw the running phases (only in the process that opened the board)."""
        if os.getpid() != self.pid:
            self.next_draw = float("inf")
            return
        self.next_draw = time.monotonic() + self.refresh
        if self.terminal and self.running and self.live is None:
            self.live = _live(self.stream)
            self.live.start()
        for line in self.waiting:
            self._print(line)
        self.waiting = []
        if self.live is not None:
            for phase in self.running:
                if phase.task is None:
                    phase.task = self.live.add_task(phase.name, total=phase.total, phase=phase)
                self.live.update(phase.task, completed=phase.completed)
            self.live.refresh()

    def _print(self, line: str) -> None:
        if self.live is not None:
            self.live.console.print(line, highlight=False, markup=False)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """The command is over: drop what still runs (it failed), print what waits if the delay has passed."""
        if os.getpid() != self.pid:
            return
        self.running = []
        if self.live is not None:
            self.live.stop()
            self.live = None
        if self.due:
            self.draw()


def _live(stream: IO[str]) -> Progress:
    """The live display on a terminal ``stream``: name, bar, count, time; redrawn only when asked."""
    console = Console(file=stream, force_terminal=True, highlight=False)
    return Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        _Status(),
        console=console,
        auto_refresh=False,
        transient=True,
        redirect_stdout=False,  # a forked worker inherits sys.stdout: it must stay the plain stream
        redirect_stderr=False,
    )


_board: Board | None = None


@contextmanager
def shown(
    stream: IO[str] | None = None,
    *,
    delay: float | None = None,
    refresh: float = REFRESH,
    terminal: bool | None = None,
) -> Iterator[Board]:
    """Show the phases run inside (on ``stream``, stderr by default) once ``delay`` (``DELAY``) seconds have passed.

    ``terminal``: draw live bars (True) or print one line per phase (False); default: whether ``stream`` is a
    terminal. ``refresh``: seconds between redraws. Everything shown is over when this returns, so what the
    command prints next (its problems) stands alone.
    """
    global _board
    board = Board(stream or sys.stderr, delay=DELAY if delay is None else delay, refresh=refresh, terminal=terminal)
    outer, _board = _board, board
    try:
        yield board
    finally:
        board.close()
        _board = outer


def begin(name: str, *, total: int | None = None, unit: str = "", count: int = 0) -> Phase:
    """Start a phase (``total`` None: an indeterminate bar, ``count`` items from the start); call ``end`` after."""
    phase = Phase(_board, name, total, unit, count)
    if _board is not None:
        _board.begin(phase)
    return phase


def end(phase: Phase) -> None:
    """Finish a phase from ``begin`` (again or from another board: nothing happens)."""
    if phase.board is not None:
        phase.board.end(phase)


@contextmanager
def phase(name: str, *, total: int | None = None, unit: str = "", count: int = 0) -> Iterator[Phase]:
    """A phase for the duration of the block: ``with phase("reading", total=n, unit="files") as p: p.advance()``."""
    started = begin(name, total=total, unit=unit, count=count)
    try:
        yield started
    finally:
        end(started)
