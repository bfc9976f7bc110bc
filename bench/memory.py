"""Peak memory of a process tree: RSS and PSS summed over a process and all its descendants, polled.

``PeakMemory(pid)`` samples from a background thread every ``interval`` seconds
until stopped, reading Linux's ``/proc``: the tree is found from each process's
parent id (``/proc/<pid>/stat``), its memory in ``/proc/<pid>/smaps_rollup``.
RSS counts pages shared between processes once per process (forked workers share
their parent's pages copy-on-write), so the summed RSS overstates what the tree
holds; PSS divides each shared page between its sharers, so the summed PSS is
what the machine actually gives the build. Both peaks are kept. Polling misses
peaks shorter than the interval: the figures are lower bounds, close ones for
builds that hold their memory for seconds.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def _parents() -> dict[int, int]:
    """Parent id of every process on the machine."""
    parents: dict[int, int] = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            try:
                stat = (PROC / entry.name / "stat").read_text()
            except OSError:  # ended while we looked
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold ")" and spaces
    return parents


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants alive now."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def usage(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes summed over ``pid``'s tree; processes that end meanwhile count 0."""
    rss = pss = 0
    for process in tree(pid):
        try:
            text = (PROC / str(process) / "smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key == "Rss":
                rss += int(value.split()[0]) * 1024
            elif key == "Pss":
                pss += int(value.split()[0]) * 1024
    return rss, pss


class PeakMemory:
    """Polls a process tree's summed RSS and PSS from a thread; ``stop()`` returns the peaks (bytes)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.rss = self.pss = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.is_set():
            rss, pss = usage(self.pid)
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            self._done.wait(self.interval)

    def stop(self) -> tuple[int, int]:
        """Stop polling; return (peak summed RSS, peak summed PSS)."""
        self._done.set()
        self._thread.join()
        return self.rss, self.pss
