"""CPU time of live-preview edits: one process, an already built work folder (from bench/incremental.py).

    .venv/bin/python bench/preview_cpu.py --work /tmp/me-incremental --kinds answer,question_text,person --edits 3

Each edit (bench/incremental.py's ``Edits``) is timed as ``Preview.rebuild()`` in the same process, as
`invoke livereload` runs it (search off, as the work folder was built), after one rebuild with nothing changed
(the warm-up: the snapshot and caches read from disk). CPU time is user + system time of this process and its
reaped children (the forked workers): on a shared machine it says more than the wall time, which it prints
beside it, with the load average. ``--trace``: each edit's phases (bench/phases.py); ``--profile FILE``: cProfile of
each kind's last edit into FILE.<kind>, on the CPU clock (under load the wall clock blames the waits for a core);
``--pause S``: seconds between edits (the collector runs after 2 s);
``--fresh``: remove the work folder's output and cache first, so the warm-up is the preview's own first *full* build
in this process (``invoke livereload`` on a folder never built); ``--go FILE``: after the warm-up, wait until FILE
exists (two processes started apart then edit side by side, under the same load: an A/B); ``--probe``: before each
edit, the CPU time of a fixed pure-Python loop (``probe``), so edits measured at different times compare as
multiples of it (this shared virtual machine's speed moves with its host). ``--time module:function`` (or
``module:Class.method``, repeatable): the CPU time spent in that function during each edit, without a profiler's
inflation (``qasite.content.related_resize:resize``, ``qasite.content.graph_update:_planned``); a function is timed
where its module looks it up, so one imported by name elsewhere is timed only through its own module. Each line
also gives this process's own CPU (``own``, without the forked workers), its system time, page faults and peak
RSS. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import os
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
os.environ["QASITE_PROGRESS"] = "off"  # before qasite is imported: build/progress.py reads it then

import phases  # noqa: E402
from incremental import Edits, overrides  # noqa: E402
from qasite.content import related_update  # noqa: E402
from qasite.tools.livereload import Preview  # noqa: E402
from speed import probe  # noqa: E402


def cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timing(specs: list[str]) -> dict[str, float]:
    """Wrap each ``module:function`` (or ``module:Class.method``) so that its CPU seconds add up in the returned
    dict (an outer call only: a recursive one is not counted twice)."""
    spent: dict[str, float] = {}
    for spec in specs:
        module, _, name = spec.partition(":")
        owner: object = importlib.import_module(module)
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, attribute, _timed(getattr(owner, attribute), name, spent))
    return spent


def _timed(function: Any, name: str, spent: dict[str, float]) -> Any:
    inside = [0]

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        inside[0] += 1
        try:
            return function(*args, **kwargs)
        finally:
            inside[0] -= 1
            if not inside[0]:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--kinds", default="answer,question_text,person")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between edits (an editor's pause)")
    parser.add_argument("--trace", action="store_true", help="print each edit's phases (bench/phases.py)")
    parser.add_argument("--profile", type=Path, help="cProfile the last edit of each kind into PROFILE.<kind>")
    parser.add_argument("--fresh", action="store_true", help="no output or cache: the warm-up is a full build")
    parser.add_argument("--go", type=Path, help="after the warm-up, wait until this file exists")
    parser.add_argument("--probe", action="store_true", help="time a fixed loop before each edit")
    parser.add_argument("--time", action="append", default=[], help="module:function to time in CPU-s (repeatable)")
    args = parser.parse_args()
    if args.fresh:
        for folder in ("output", "cache"):
            shutil.rmtree(args.work / folder, ignore_errors=True)
    live = Preview(ROOT / "pelicanconf.py", overrides(args.work, False))
    edits = Edits(args.work / "content", seed=args.seed)
    recorder = phases.trace() if args.trace else None
    spent = timing(args.time)
    kinds = ["warm-up", *[k for k in args.kinds.split(",") for _ in range(args.edits)]]
    for number, kind in enumerate(kinds):
        if kind != "warm-up":
            while args.go is not None and not args.go.exists():
                time.sleep(0.2)
            time.sleep(args.pause)
            getattr(edits, kind)()
        profiler = cProfile.Profile(time.process_time) if args.profile and kind not in kinds[number + 1 :] else None
        if recorder is not None:
            recorder.mark()
        speed = probe() if args.probe else 0.0
        spent.clear()
        before = resource.getrusage(resource.RUSAGE_SELF)
        wall, used, own = time.perf_counter(), cpu(), time.process_time()
        if profiler is not None:
            profiler.enable()
        code = live.rebuild(edits.take() if kind != "warm-up" else None)  # the watcher's paths, as livereload
        if profiler is not None:
            profiler.disable()
        if code != 0:
            sys.exit(f"the preview build after a {kind} edit failed")
        wall, used, own = time.perf_counter() - wall, cpu() - used, time.process_time() - own
        after = resource.getrusage(resource.RUSAGE_SELF)
        system, faults = after.ru_stime - before.ru_stime, after.ru_minflt - before.ru_minflt
        print(
            f"{kind}: wall {wall:.2f} s cpu {used:.2f} s own {own:.2f} s (system {system:.2f}, {faults} page faults) "
            f"peak {after.ru_maxrss / 1024:.0f} MB load {os.getloadavg()[0]:.1f}"
            + (f" probe {speed:.3f} s: own {own / speed:.1f}x probe" if speed else "")
            + "".join(f"\n    {name}: {seconds:.3f} CPU-s" for name, seconds in spent.items()),
            flush=True,
        )
        later = time.process_time()
        related_update.finish()  # the related scores the build deferred, as the preview's catch_up makes them after
        print(f"    deferred, after the page (finish): {time.process_time() - later:.3f} CPU-s", flush=True)
        if recorder is not None:
            print(recorder.report(), flush=True)
        if profiler is not None:
            profiler.dump_stats(f"{args.profile}.{kind}")
    live.close()


if __name__ == "__main__":
    main()
