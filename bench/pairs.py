"""Alternated pairs: our cold build with search against Hugo + Pagefind, back to back, for the target's verdict.

One timed build of each side, minutes apart, moves with whatever else the machine does: on these VMs the same
10,000-question build of either side has ranged 23–35 s within an hour (docs/scaling.md, "Reading the figures").
Here the two run back to back and the order is swapped each pair (Hugo + Pagefind first in pairs 1, 3, …), so a
slow minute weighs on both sides alike. Each pair gives one ratio, ours / Hugo + Pagefind; the target is judged by
the median of the pairs' ratios (run.py), every pair's times kept beside it.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import builds


def _ours(content: Path, output: Path, timeout: float | None) -> builds.Timing:
    return builds.ours_build(content, output, search=True, runs=1, timeout=timeout)


def _peer(hugo_site: Path, timeout: float | None) -> builds.Timing:
    return builds.hugo_pagefind(hugo_site, 1, timeout)["total"]


def alternated(*, content: Path, output: Path, hugo_site: Path, pairs: int, timeout: float | None) -> dict[str, Any]:
    """``pairs`` pairs of builds; returns each pair's times and ratio and the median ratio (None if none finished).

    A pair where either build was stopped at ``timeout`` is left out of the median and marked ``complete: False``.
    ``output`` ends holding our last build (with search), as the rest of the benchmark expects.
    """
    rows: list[dict[str, Any]] = []
    for number in range(pairs):
        peer_first = number % 2 == 0
        if peer_first:
            peer = _peer(hugo_site, timeout)
            ours = _ours(content, output, timeout)
        else:
            ours = _ours(content, output, timeout)
            peer = _peer(hugo_site, timeout)
        complete = ours.complete and peer.complete
        ratio = ours.best / peer.best if complete else None
        row = {"ours": ours.best, "peer": peer.best, "peer_first": peer_first, "complete": complete, "ratio": ratio}
        row |= {"ours_peak_rss": max(ours.rss, default=None), "peer_peak_rss": max(peer.rss, default=None)}
        rows.append(row)
    finished = [row["ratio"] for row in rows if row["complete"]]
    return {"pairs": rows, "median_ratio": statistics.median(finished) if finished else None}
