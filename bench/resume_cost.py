"""What `invoke build` costs with the build cache: a cold build, then edits, each in a new process.

    .venv/bin/python bench/resume_cost.py --size 10000 --work /tmp/me-resume [--edits 3] [--search]
        [--kind answer|question_text|tags|person|add_question|delete_question] [--seed 17]
        [--code /work/main] [--profile /tmp/me-resume.pstats]

Copies the generated site (bench/.work/sites/<N>/ours/content; never edits it) to ``--work``, empties its output and
cache folders, and runs ``python -m qasite build`` as `invoke build` does (a new process, ``exit_fast``): once cold,
then after each of ``--edits`` edits of ``--kind`` (default: answer edits; ``bench/incremental.py``'s
``Edits``). ``--code`` runs another checkout's plugin and pelicanconf.py (main's, for
a before/after on the same site). For each build it reports:

- **wall**: until the command returns; **CPU-s**: the process and the children it waited for (forked workers,
  Pagefind);
- **writer**: the detached cache writer (``build/cache.write_behind``) that goes on after the command returns,
  holding the build lock: seconds until it ends (the next build would wait that long at most) and its CPU-s;
- **peak RSS / PSS** summed over every process of the build (the command's tree plus the writer, found by a marker
  in the command line: a fork keeps it), polled every 0.2 s; also the peak while the command runs.

``--profile``: the last edit's build runs under cProfile (one process, its CPU time: ``time.process_time``, not the
wall time a loaded machine stretches) and its stats are written there. Results are
printed as JSON with the load average before and after. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from incremental import Edits
from memory import tree

ROOT = Path(__file__).resolve().parent.parent
PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK")


def _marked(marker: str) -> list[int]:
    found = []
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            try:
                if marker.encode() in (PROC / entry.name / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _memory(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        text = (PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0, 0
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == "Rss":
            rss = int(value.split()[0]) * 1024
        elif key == "Pss":
            pss = int(value.split()[0]) * 1024
    return rss, pss


def _cpu(pid: int) -> float:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / TICK


def build(code: Path, work: Path, search: bool, profile: Path | None) -> dict[str, Any]:
    marker = f"resume-cost-{uuid.uuid4().hex}"
    conf = str(code / "pelicanconf.py")
    extra = {"PATH": str(work / "content"), "OUTPUT_PATH": str(work / "output"), "QA_CACHE_PATH": str(work / "cache")}
    extra["QA_SEARCH"] = search
    program = f"from qasite.build.pipeline import run_cli; from qasite.__main__ import exit_fast  # {marker}\n"
    program += "from qasite.build import memory; memory.ONE_BUILD = True\n"  # as python -m qasite's main()
    if profile:
        program += "import cProfile, time; profiler = cProfile.Profile(time.process_time); profiler.enable()\n"
    program += f"code = run_cli('build', {conf!r}, {extra!r})\n"
    if profile:
        program += f"profiler.disable(); profiler.dump_stats({str(profile)!r})\n"
    program += "exit_fast(code)\n"
    env = {**os.environ, "PYTHONPATH": str(code / "plugins"), "QASITE_PROGRESS": "off"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", program], env=env, stdout=subprocess.DEVNULL)
    peak = {"rss": 0, "pss": 0, "rss_command": 0, "pss_command": 0}
    writer_cpu: dict[int, float] = {}
    state = {"returned": None, "writer_end": None}
    done = threading.Event()

    def poll() -> None:
        while True:
            running = state["returned"] is None
            pids = (set(tree(child.pid)) if running else set()) | set(_marked(marker))
            if not running:
                for pid in pids:
                    if (cpu := _cpu(pid)) >= 0:
                        writer_cpu[pid] = cpu
            rss = pss = 0
            for pid in pids:
                r, p = _memory(pid)
                rss, pss = rss + r, pss + p
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            if running:
                peak["rss_command"], peak["pss_command"] = max(peak["rss_command"], rss), max(peak["pss_command"], pss)
            elif not pids:
                state["writer_end"] = time.perf_counter()
                done.set()
                return
            time.sleep(0.2)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    _, status, usage = os.wait4(child.pid, 0)
    state["returned"] = returned = time.perf_counter()
    child.returncode = os.waitstatus_to_exitcode(status)
    done.wait()
    if child.returncode:
        sys.exit(f"the build failed (exit code {child.returncode})")
    return {
        "wall_s": round(returned - started, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "writer_s": round(state["writer_end"] - returned, 2),
        "writer_cpu_s": round(sum(writer_cpu.values()), 2),
        "peak_rss_mb": round(peak["rss"] / 2**20),
        "peak_pss_mb": round(peak["pss"] / 2**20),
        "peak_rss_command_mb": round(peak["rss_command"] / 2**20),
        "peak_pss_command_mb": round(peak["pss_command"] / 2**20),
        "cache_mb": round(sum(f.stat().st_size for f in (work / "cache").rglob("*") if f.is_file()) / 2**20),
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="10000")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--search", action="store_true")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose plugin builds (default: this one)")
    parser.add_argument("--profile", type=Path, help="cProfile the last edit's build into this file")
    parser.add_argument("--reuse", action="store_true", help="the work folder is built: no cold build, edits only")
    kinds = ("answer", "question_text", "tags", "person", "add_question", "delete_question")
    parser.add_argument("--kind", choices=kinds, default="answer", help="the edits made (default: answer)")
    parser.add_argument("--seed", type=int, default=17, help="the edits' random seed (another with --reuse)")
    args = parser.parse_args()
    source = ROOT / "bench" / ".work" / "sites" / args.size / "ours" / "content"
    if not args.reuse:
        shutil.rmtree(args.work, ignore_errors=True)
        shutil.copytree(source, args.work / "content")
    edits = Edits(args.work / "content", seed=args.seed)
    result: dict[str, Any] = {"size": args.size, "code": str(args.code), "search": args.search, "kind": args.kind}
    result["load_before"] = [round(x, 1) for x in os.getloadavg()]
    if not args.reuse:
        result["cold"] = build(args.code, args.work, args.search, None)
        print("cold", json.dumps(result["cold"]), flush=True)
    result["edits"] = []
    for number in range(args.edits):
        getattr(edits, args.kind)()
        last = number == args.edits - 1
        result["edits"].append(build(args.code, args.work, args.search, args.profile if last else None))
        print(args.kind, json.dumps(result["edits"][-1]), flush=True)
    result["load_after"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
