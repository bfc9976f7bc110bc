"""The machine's speed now: the CPU seconds of a fixed pure-Python workload, here or on each CPU in turn.

This virtual machine's CPUs each run at one of two speeds, each switching on its own with its host's load (a
Firecracker guest: no hardware counters, and the host's contention is not counted as steal): the workload pinned
to one CPU takes ~1.35-1.45x longer in the slow state, and every process of a cold ``check`` takes that much more
CPU time then (its CPU-s ~8.5-9 or ~11-12.5 at 10,000 questions, whatever the code). ``per_cpu`` before and after
a timed run says which state it ran in (``bench/check.py``); ``probe`` alone times where the process runs now
(``bench/preview_cpu.py --probe``). Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import os
import time


def probe(rounds: int = 5) -> float:
    """CPU seconds of a fixed pure-Python workload (sorting and hashing small tuples, ``rounds`` times): the
    machine's speed now."""
    started = time.process_time()
    for round_ in range(rounds):
        rows = [(n * 7919 % 10007, str(n)) for n in range(20_000 + round_)]
        rows.sort()
        {row[1]: row for row in rows}
    return time.process_time() - started


def per_cpu(rounds: int = 3) -> dict[int, float]:
    """A fifth of ``probe`` (~20 ms), its fastest of ``rounds``, on each CPU this process may run on, pinned there
    in turn (the process's CPUs are given back after)."""
    allowed = sorted(os.sched_getaffinity(0))
    speeds = {}
    try:
        for number in allowed:
            os.sched_setaffinity(0, {number})
            speeds[number] = min(probe(1) for _ in range(rounds))
    finally:
        os.sched_setaffinity(0, allowed)
    return speeds
