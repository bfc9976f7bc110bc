"""`invoke check`'s time on a site: cold (no cache), cached (nothing changed) and cached after one answer changed.

    python bench/check.py --size 10000 [--runs 3] [--work /tmp/me-check]      # prints the figures as JSON

Each run is a fresh ``python -m qasite check`` process timed from outside (wall clock, interpreter start-up and
imports included), with the repo's pelicanconf.py and only ``PATH`` and ``QA_CACHE_PATH`` changed: the cache lives
in <work>/check-cache/<label>/, emptied before each cold run (<work> is bench/.work unless ``--work`` gives another
folder: give your own when others share the machine). The changed-answer runs work on a copy of the site's content
(<work>/check-copy/<label>/, the generated site is never written to) in which one answer gets a new sentence
before each run. Every run's output must be the same as the first cold run's (the changed runs'
output is compared with each other): a cached check that reported something else would fail the benchmark.
Figures are medians of ``runs`` runs, with the CPU time (user + system, workers included), the load average and
each cold run's ``speed``: the seconds of ``bench/speed.py``'s fixed workload on each CPU, just before and just after
the run (this machine's CPUs each run at one of two speeds, ~1.4x apart, with the host's load: a cold check's CPU-s and
wall move with them whatever the code, so compare runs whose speeds agree).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from speed import per_cpu

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
SETTINGS = """# Written by bench/check.py: the repo's settings with another content folder and cache.
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F403
PATH = {content!r}
THEME = {root!r} + "/theme"
PLUGIN_PATHS = [{root!r} + "/plugins"]
QA_CACHE_PATH = {cache!r}
"""


class CheckOutputError(RuntimeError):
    """A timed check printed something else than the run it is compared with."""


def _settings(label: str, content: Path, cache: Path, work: Path = WORK) -> Path:
    conf = work / "check-settings" / f"{label}.py"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(SETTINGS.format(root=str(ROOT), content=str(content), cache=str(cache)), encoding="utf-8")
    return conf


Run = tuple[float, float, float, tuple[int, str, str], list[list[float]]]


def _run(conf: Path, *, speed: bool = False) -> Run:
    """One check in a fresh process: (wall s, CPU s of it and its workers, load average, (exit code, out, err),
    with ``speed`` the speed of each CPU before and after it: ``speed.per_cpu``'s seconds)."""
    env = {**os.environ, "QASITE_PROGRESS": "off", "PYTHONPATH": str(ROOT / "plugins")}
    speeds = [list(per_cpu().values())] if speed else []
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "qasite", "check", "--settings", str(conf)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if speed:
        speeds.append(list(per_cpu().values()))
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise CheckOutputError(f"check failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall, cpu, load, (done.returncode, done.stdout, done.stderr), speeds


def _series(runs: list[Run]) -> dict[str, Any]:
    walls, cpus, loads = [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]
    speeds = [[[round(s, 4) for s in when] for when in r[4]] for r in runs]
    return {"median": statistics.median(walls), "runs": walls, "cpu": cpus, "load": loads} | (
        {"speed": speeds} if any(speeds) else {}
    )


def _edit(answer: Path, n: int) -> None:
    answer.write_text(answer.read_text(encoding="utf-8") + f"\nEdited for the benchmark, time {n}.\n", encoding="utf-8")


def measure(label: str, content: Path, runs: int = 3, work: Path = WORK) -> dict[str, Any]:
    """Cold, cached and one-answer-changed check times of ``content`` (medians of ``runs``), outputs compared;
    settings, caches and the edited copy under ``work``."""
    cache = work / "check-cache" / label
    conf = _settings(label, content, cache, work)
    cold = []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(_run(conf, speed=True))
    cached = [_run(conf) for _ in range(runs)]
    expected = cold[0][3]
    if any(run[3] != expected for run in cold + cached):
        raise CheckOutputError("a cold or cached check printed something else than the first cold one")
    copy = work / "check-copy" / label / "content"
    shutil.rmtree(copy.parent, ignore_errors=True)
    shutil.copytree(content, copy)
    answer = min((copy / "questions").glob("*/answers/*.md"))
    copy_conf = _settings(f"{label}-copy", copy, cache, work)
    _run(copy_conf)  # the copy's cache
    changed = []
    for n in range(runs):
        _edit(answer, n)
        changed.append(_run(copy_conf))
    shutil.rmtree(copy.parent, ignore_errors=True)
    return {
        "cold": _series(cold),
        "cached": _series(cached),
        "cached_one_answer_changed": _series(changed),
        "problems_printed": expected[2].count("\n"),
        "exit_code": expected[0],
    }


def main() -> None:
    """CLI: measure one generated site (or the demo) and print the figures."""
    import generate

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="10000", help="a question count, or demo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=WORK, help="settings, caches and the edited copy")
    args = parser.parse_args()
    if args.size == "demo":
        content = ROOT / "content"
    else:
        dest = WORK / "sites" / args.size
        generate.ensure_generated(int(args.size), dest, check=False)
        content = dest / "ours" / "content"
    print(json.dumps(measure(args.size, content, args.runs, args.work.resolve()), indent=2))


if __name__ == "__main__":
    main()
