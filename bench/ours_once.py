"""One build of our site with its search index over a content folder: wall-clock time and peak memory.

For sizes too large for the whole benchmark (``run.py`` also builds plain Pelican and Hugo +
Pagefind): the same build and measurement as its "ours, with search" row (``builds.ours_build``,
peak RSS and PSS of the process tree polled by ``memory.py``), printed as JSON.

    python bench/generate.py --size 100000 --dest /tmp/site100k --no-check
    python bench/ours_once.py /tmp/site100k/ours/content /tmp/out100k --timeout 4500
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import builds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--timeout", type=float, default=0, help="seconds before the build is stopped (0: no limit)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    timing = builds.ours_build(args.content, args.output, search=True, runs=1, timeout=args.timeout or None)
    result = {
        "content": str(args.content),
        "started": started,
        "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
        "seconds": timing.runs,
        "stopped_at_limit": timing.limit,
        "peak_rss_gb": [round(b / 1e9, 2) for b in timing.rss],
        "peak_pss_gb": [round(b / 1e9, 2) for b in timing.pss],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
