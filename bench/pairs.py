"""Alternated pairs: our cold build with search against Hugo + Pagefind, back to back, for the target's verdict.

One timed build of each side, minutes apart, moves with whatever else the machine does: on these VMs the same
10,000-question build of either side has ranged 23–35 s within an hour (docs/scaling.md, "Reading the figures").
Here the two run back to back and the order is swapped each pair (Hugo + Pagefind first in pairs 1, 3, …), so a
slow minute weighs on both sides alike. Each pair gives one ratio, ours / Hugo + Pagefind; the target is judged by
the median of the pairs' ratios (run.py), every pair's times kept beside it. The pairs are timed without the memory
poller (``builds.unpolled``): reading every process's ``smaps_rollup`` every 0.2 s slowed our multi-process build by
~5 s at 10,000 (25.6 s against 20.4 in session 20); the single runs before them measure memory.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

import builds


def _ours(content: Path, output: Path, timeout: float | None) -> builds.Timing:
    return builds.ours_build(content, output, search=True, runs=1, timeout=timeout)


def _peer(hugo_site: Path, timeout: float | None, public: Path | None) -> builds.Timing:
    return builds.hugo_pagefind(hugo_site, 1, timeout, public)["total"]


def alternated(
    *, content: Path, output: Path, hugo_site: Path, pairs: int, timeout: float | None, public: Path | None = None
) -> dict[str, Any]:
    """``pairs`` pairs of builds; returns each pair's times and ratio and the median ratio (None if none finished).

    A pair where either build was stopped at ``timeout`` is left out of the median and marked ``complete: False``.
    ``output`` ends holding our last build (with search), as the rest of the benchmark expects; ``public``: where
    Hugo writes (default: the Hugo site's ``public``).
    """
    with builds.unpolled():  # the single runs measure memory; here only time, undisturbed
        rows = [_pair(content, output, hugo_site, number % 2 == 0, timeout, public) for number in range(pairs)]
    finished = [row["ratio"] for row in rows if row["complete"]]
    return {"pairs": rows, "median_ratio": statistics.median(finished) if finished else None}


def _pair(
    content: Path, output: Path, hugo_site: Path, peer_first: bool, timeout: float | None, public: Path | None
) -> dict[str, Any]:
    """One pair of builds, Hugo + Pagefind first or ours first; their times and ratio (None if one was stopped)."""
    if peer_first:
        peer = _peer(hugo_site, timeout, public)
        ours = _ours(content, output, timeout)
    else:
        ours = _ours(content, output, timeout)
        peer = _peer(hugo_site, timeout, public)
    complete = ours.complete and peer.complete
    ratio = ours.best / peer.best if complete else None
    row = {"ours": ours.best, "peer": peer.best, "peer_first": peer_first, "complete": complete, "ratio": ratio}
    for side, timing in (("ours", ours), ("peer", peer)):
        if timing.cpu:  # a build stopped at the time limit has none
            row[f"{side}_cpu"], row[f"{side}_system"] = timing.cpu[-1], timing.system[-1]
    return row


def main() -> None:
    """CLI: alternated pairs alone, at one generated size; ``--scratch``: both sides' outputs in that folder (e.g. on
    tmpfs, /dev/shm: the two builds compared without the disk's state, docs/scaling.md "Reading the figures")."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--size", default="10000", help="a generated site of bench/.work/sites/")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--scratch", type=Path, help="where both sides write (default: beside each site)")
    parser.add_argument("--out", type=Path, help="JSON file for the result (default: printed only)")
    args = parser.parse_args()
    site = builds.ROOT / "bench" / ".work" / "sites" / args.size
    scratch = args.scratch.resolve() if args.scratch else None
    if scratch:
        scratch.mkdir(parents=True, exist_ok=True)
    output = scratch / "ours" if scratch else site / "ours" / "output"
    public = scratch / "hugo" if scratch else None
    try:
        result = alternated(
            content=site / "ours" / "content",
            output=output,
            hugo_site=site / "hugo",
            pairs=args.pairs,
            timeout=None,
            public=public,
        )
    finally:
        builds.empty_trash()  # the emptied outputs, set aside until no build is timed (builds._clean)
    text = json.dumps(result | {"size": args.size, "scratch": str(scratch) if scratch else None}, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
