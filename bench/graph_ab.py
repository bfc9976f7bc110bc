"""Preview edits with the site graph updated or built whole, alternating in one process (session 6, graph).

    .venv/bin/python bench/graph_ab.py --work /tmp/me-incremental --kinds answer,question_text,tags,person --edits 3

The work folder holds a copy of a generated site's content/ (built in full by the first rebuild if not yet).
Each edit (bench/incremental.py's ``Edits``) is made twice, once previewed with ``content.graph_update.update``
(the default) and once with it disabled (the graph built whole, as before session 6); each line gives the
rebuild's wall and CPU time (this process and its reaped children) and the CPU time of ``incremental.follow``
(the graph and what the change affects), with the load average. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
os.environ["QASITE_PROGRESS"] = "off"  # before qasite is imported: build/progress.py reads it then

from incremental import Edits, overrides  # noqa: E402
from preview_cpu import cpu  # noqa: E402
from qasite.build import incremental  # noqa: E402
from qasite.content import graph_update  # noqa: E402
from qasite.tools.livereload import Preview  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--kinds", default="answer,question_text,tags,person")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=31)
    args = parser.parse_args()
    update, follow = graph_update.update, incremental.follow
    spent: list[float] = []

    def timed_follow(*given: Any, **options: Any) -> Any:
        start = time.process_time()
        try:
            return follow(*given, **options)
        finally:
            spent.append(time.process_time() - start)

    incremental.follow = timed_follow
    live = Preview(ROOT / "pelicanconf.py", overrides(args.work, False))
    edits = Edits(args.work / "content", seed=args.seed)
    runs = [("build", "update"), ("warm-up", "update")]
    runs += [(kind, mode) for kind in args.kinds.split(",") for _ in range(args.edits) for mode in ("update", "whole")]
    for kind, mode in runs:
        graph_update.update = update if mode == "update" else (lambda *given, **options: None)
        if kind not in ("build", "warm-up"):
            getattr(edits, kind)()
        spent.clear()
        wall, used = time.perf_counter(), cpu()
        if live.rebuild() != 0:
            sys.exit(f"the preview build after a {kind} edit failed")
        wall, used = time.perf_counter() - wall, cpu() - used
        graph = f"{spent[0]:5.2f} s" if spent else "  (full build)"
        load = os.getloadavg()[0]
        print(f"{kind:15s} {mode:6s} wall {wall:6.2f} s cpu {used:6.2f} s graph+affected {graph} load {load:.1f}")
    live.close()


if __name__ == "__main__":
    main()
