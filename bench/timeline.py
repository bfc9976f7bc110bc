"""A cold build's timeline: which process runs what, when, and how many cores the build's processes use meanwhile.

    python bench/timeline.py --content DIR --output DIR [--cache DIR] [--processes N] [--bin 1.0] [--keep FILE]

The build runs in a child process (``--child``: the build ``bench/builds.py`` runs, search included) whose
phases (the load, related questions, each part of the render, each Pagefind run, the site graph, the swap...)
are wrapped to log their start, end and CPU time with the process id; this process samples ``/proc`` every 0.05 s
for every process of the build's tree (its CPU time, and its time waiting for a core, ``schedstat``). It prints
the phases in order, the build's CPU per second by kind of process (main, forked Python workers, Pagefind, others),
and the critical path's pieces: the time before the first Pagefind run starts, each run, the tail after the
last one. The output and the cache folder are emptied first (a cold build). A benchmark aid: it changes no result.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE = 0.05

# (module, attribute, label): wrapped where their callers look them up
PHASES = [
    ("qasite.build.incremental", "plan", "plan"),
    ("qasite.build.incremental", "scan", "  changes.scan"),
    ("qasite.build.incremental", "load_from_settings", "  load"),
    ("qasite.content.related_shards", "ShardRelated.prepare", "  related: prepared"),
    ("qasite.build.incremental", "pack_related", "  pack related"),
    ("qasite.build.incremental", "theme_digest", "  theme digest"),
    ("qasite.build.incremental", "complete", "site graph (meanwhile)"),
    ("qasite.build.pipeline", "_run_without_summary", "pelican"),
    ("qasite.render.generator", "QAGenerator.generate_context", "  generate_context"),
    ("qasite.render.generator", "QAGenerator._enrich", "    enrich"),
    ("qasite.render.generator", "QAGenerator.generate_output", "  generate_output"),
    ("qasite.render.generator", "QAGenerator._write_questions", "    question pages"),
    ("qasite.render.generator", "QAGenerator._write_the_rest", "    the rest"),
    ("qasite.render.generator", "QAGenerator._write_home_listings", "      home listings"),
    ("qasite.render.generator", "QAGenerator._write_categories", "      categories"),
    ("qasite.render.generator", "QAGenerator._write_tags", "      tags"),
    ("qasite.render.generator", "QAGenerator._write_users", "      users"),
    ("qasite.render.generator", "QAGenerator._write_feeds", "      feeds"),
    ("qasite.content.related_shards", "ShardRelated.relate", "      related lists"),
    ("qasite.render.question_pages", "QuestionPages._bodies_first", "      bodies first"),
    ("qasite.render.question_pages", "run_in_pieces", "      run_in_pieces"),
    ("qasite.build.parallel", "run_forked", "        run_forked"),
    ("qasite.render.generator", "write_alternates", "    Markdown alternates"),
    ("qasite.render.search_shards", "finish_all", "    search finish_all"),
    ("qasite.render.shard_indexer", "ShardIndexer.finish", "      indexer.finish"),
    ("qasite.render.shard_indexer", "ShardIndexer._start", "PAGEFIND start"),
    ("qasite.render.shard_indexer", "ShardIndexer._finish", "PAGEFIND installed"),
    ("qasite.render.shard_indexer", "shard_ids", "      sort ids"),
    ("qasite.render.shard_indexer", "check_index", "      check_index"),
    ("qasite.render.shard_indexer", "close_chunk_gaps", "      close_chunk_gaps"),
    ("qasite.render.shard_indexer", "install", "      install"),
    ("qasite.render.search_shards", "read_sort_table", "      sort table"),
    ("qasite.build.in_place", "finish", "swap"),
    ("qasite.build.in_place", "keep_ahead", "      keep_ahead"),
    ("qasite.build.in_place", "_walked", "  keep_ahead's result"),
    ("qasite.build.in_place", "keep_unchanged", "  keep_unchanged"),
    ("qasite.build.in_place", "swap", "  swap folders"),
    ("qasite.build.spare", "keep", "  spare.keep"),
    ("qasite.build.incremental", "save", "save"),
    ("qasite.render.search_shards", "removed", "removed"),
]


# -- the build (child) -------------------------------------------------------------------------------------------


def _log(path: str, record: dict[str, Any]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(record) + "\n").encode())
    finally:
        os.close(fd)


def _wrap(function: Callable[..., Any], label: str, path: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start, cpu, system = time.monotonic(), time.process_time(), os.times().system
        try:
            return function(*args, **kwargs)
        finally:
            note = {"pid": os.getpid(), "label": label, "start": start, "end": time.monotonic()}
            note["cpu"] = time.process_time() - cpu
            note["sys"] = os.times().system - system
            if label.startswith("PAGEFIND") and args:
                note["shard"] = getattr(args[-1], "shard", args[-1]) if not isinstance(args[-1], int) else args[-1]
            if "run_forked" in label:
                note["processes"] = kwargs.get("processes")
            _log(path, note)

    return timed


def _install(path: str) -> None:
    for module_name, name, label in PHASES:
        owner: Any = importlib.import_module(module_name)
        *parts, name = name.split(".")
        for part in parts:
            owner = getattr(owner, part)
        found = inspect.getattr_static(owner, name, None)
        if found is not None:
            setattr(owner, name, _wrap(getattr(owner, name) if not parts else found, label, path))


def child(args: argparse.Namespace) -> None:
    """Build once, as bench/builds.py does, with the phases logged to ``args.log``."""
    sys.path.insert(0, str(ROOT / "plugins"))
    sys.path.insert(0, str(ROOT / "bench"))
    _install(args.log)
    import builds
    from qasite.__main__ import exit_fast
    from qasite.build import memory

    memory.ONE_BUILD = True
    extra: dict[str, Any] = {"QA_CACHE_PATH": str(args.cache)}
    if args.processes is not None:
        extra["QA_RENDER_PROCESSES"] = args.processes
    if args.jobs is not None:
        extra["QA_SEARCH_SHARD_JOBS"] = args.jobs
    _log(args.log, {"pid": os.getpid(), "label": "build", "start": time.monotonic(), "end": time.monotonic()})
    builds.build_once(args.content, args.output, search=True, extra=extra)
    _log(args.log, {"pid": os.getpid(), "label": "build done", "start": time.monotonic(), "end": time.monotonic()})
    exit_fast(0)


# -- the sampler (parent) ----------------------------------------------------------------------------------------


SYSTEM: dict[int, tuple[str, float]] = {}  # pid -> (comm, kernel CPU-s) at its last sample


def _stat(pid: int) -> tuple[str, int, float, float, float] | None:
    """(comm, ppid, CPU s, s queued, RSS MB) of ``pid``, None if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            text = file.read()
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as file:
            queued = int(file.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    rss = int(fields[21]) * PAGE / 2**20
    SYSTEM[pid] = (comm, int(fields[12]) / TICK)
    return comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, queued, rss


Row = tuple[float, str, int, float, float, float]  # (time, comm, ppid, cpu, queued, RSS MB)


def sample(root: int, process: subprocess.Popen[bytes]) -> dict[int, list[Row]]:
    """Every process under ``root`` every SAMPLE s until ``process`` ends: pid -> [(time, comm, ppid, cpu, queued,
    RSS MB)]."""
    seen: dict[int, list[Row]] = defaultdict(list)
    tree = {root}
    while process.poll() is None:
        now = time.monotonic()
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                found = _stat(int(entry))
                if found is not None:
                    stats[int(entry)] = found
        changed = True
        while changed:
            changed = False
            for pid, (_, ppid, *_) in stats.items():
                if pid not in tree and ppid in tree:
                    tree.add(pid)
                    changed = True
        for pid in tree & stats.keys():
            comm, ppid, cpu, queued, rss = stats[pid]
            seen[pid].append((now, comm, ppid, cpu, queued, rss))
        time.sleep(SAMPLE)
    return seen


def kind(pid: int, root: int, comm: str) -> str:
    if pid == root:
        return "main"
    if "pagefind" in comm:
        return "pagefind"
    if comm.startswith("python"):
        return "workers"
    return "other"


def report(log: Path, seen: dict[int, list[Row]], root: int, width: float) -> None:
    notes = [json.loads(line) for line in log.read_text().splitlines()]
    zero = min(n["start"] for n in notes if n["label"] == "build")
    print("## Phases (main process; s from the build's start)\n")
    for n in sorted(notes, key=lambda n: n["start"]):
        if n["pid"] != root or "run_forked" in n["label"] or "sort ids" in n["label"]:
            continue
        extra = f" shard {n['shard']}" if "shard" in n else ""
        print(
            f"  {n['label']:<28}{extra:<9} {n['start'] - zero:7.2f} → {n['end'] - zero:7.2f}"
            f"  wall {n['end'] - n['start']:6.2f}  cpu {n.get('cpu', 0.0):6.2f}  sys {n.get('sys', 0.0):5.2f}"
        )
    forks = [n for n in notes if "run_forked" in n["label"] and n["pid"] == root]
    print(f"\n  run_forked calls: {len(forks)}; processes: {[n.get('processes') for n in forks]}")
    ids = [n for n in notes if "sort ids" in n["label"]]
    print(f"  sort ids: {len(ids)} calls, {sum(n['cpu'] for n in ids):.2f} CPU-s")
    # CPU per bin by kind
    bins: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[str, float] = defaultdict(float)
    queued: dict[str, float] = defaultdict(float)
    for pid, rows in seen.items():
        last_cpu, last_q = 0.0, 0.0
        for t, comm, _, cpu, q, _ in rows:
            k = kind(pid, root, comm)
            if pid == root and last_cpu == 0.0:
                last_cpu, last_q = cpu, q  # the child's start-up before the first sample
            bins[int((t - zero) // width)][k] += cpu - last_cpu
            totals[k] += cpu - last_cpu
            queued[k] += q - last_q
            last_cpu, last_q = cpu, q
    kinds = ["main", "workers", "pagefind", "other"]
    print(f"\n## CPU-s of the build's processes per {width:g} s (cores busy = sum / {width:g})\n")
    print("    t  " + "".join(f"{k:>9}" for k in kinds) + "    cores")
    for b in sorted(bins):
        row = bins[b]
        print(f"{b * width:6.1f} " + "".join(f"{row[k]:9.2f}" for k in kinds) + f"   {sum(row.values()) / width:5.2f}")
    print("\n  total CPU-s: " + ", ".join(f"{k} {totals[k]:.2f}" for k in kinds) + f"; all {sum(totals.values()):.2f}")
    print("  s queued for a core: " + ", ".join(f"{k} {queued[k]:.2f}" for k in kinds))
    system: dict[str, float] = defaultdict(float)
    for pid in seen:
        if pid in SYSTEM:
            system[kind(pid, root, SYSTEM[pid][0])] += SYSTEM[pid][1]
    print("  of it in the kernel (system CPU-s): " + ", ".join(f"{k} {system[k]:.2f}" for k in kinds))
    runs = sorted((n for n in notes if n["label"] == "PAGEFIND start"), key=lambda n: n["start"])
    ends = sorted((n for n in notes if n["label"] == "PAGEFIND installed"), key=lambda n: n["start"])
    done = max(n["end"] for n in notes if n["label"] == "build done")
    for pid, rows in seen.items():
        if "pagefind" in rows[-1][1]:
            print(
                f"  pagefind pid {pid}: seen {rows[0][0] - zero:.2f} → {rows[-1][0] - zero:.2f}, cpu {rows[-1][3]:.2f},"
                f" peak RSS {max(r[5] for r in rows):.0f} MB"
            )
    memory(seen, root, zero, width)
    if runs:
        print(
            f"\n  first Pagefind start at {runs[0]['start'] - zero:.2f} s; installs at "
            + ", ".join(f"{n['end'] - zero:.2f}" for n in ends)
            + f"; build done {done - zero:.2f} s; tail after the last install {done - ends[-1]['end']:.2f} s"
        )
        cuts = [zero, runs[0]["start"], runs[-1]["start"], ends[-1]["end"], done + 1.0]
        stretches(seen, root, cuts)


def memory(seen: dict[int, list[Row]], root: int, zero: float, width: float) -> None:
    """The RSS summed over the build's processes at each sample (shared pages counted once per process, as the
    benchmark's poller does): its peak, what made it up, and the largest sum in each bin."""
    sums: dict[float, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for pid, rows in seen.items():
        for t, comm, _, _, _, rss in rows:
            sums[t][kind(pid, root, comm)] += rss
    if not sums:
        return
    peak = max(sums, key=lambda t: sum(sums[t].values()))
    parts = ", ".join(f"{k} {v:.0f}" for k, v in sorted(sums[peak].items()))
    print(f"\n  peak RSS summed over processes {sum(sums[peak].values()):.0f} MB at {peak - zero:.2f} s ({parts})")
    bins: dict[int, float] = defaultdict(float)
    for t, row in sums.items():
        b = int((t - zero) // width)
        bins[b] = max(bins[b], sum(row.values()))
    print("  largest summed RSS per bin (MB): " + " ".join(f"{b * width:g}:{v:.0f}" for b, v in sorted(bins.items())))


def stretches(seen: dict[int, list[Row]], root: int, cuts: list[float]) -> None:
    """CPU-s by kind of process in the critical path's stretches: before the first Pagefind run starts, from there to
    the last run's start, from there to its install, and the tail (the samples' CPU growth within each)."""
    names = ["before the first run", "to the last run's start", "to the last install", "tail"]
    cpu: dict[str, dict[str, float]] = {name: defaultdict(float) for name in names}
    for pid, rows in seen.items():
        for (_, _, _, before, *_), (t, comm, _, after, *_) in itertools.pairwise(rows):
            for name, start, end in zip(names, cuts, cuts[1:], strict=False):
                if start <= t < end:
                    cpu[name][kind(pid, root, comm)] += after - before
    print("\n## CPU-s by stretch of the critical path\n")
    for name, start, end in zip(names, cuts, cuts[1:], strict=False):
        row = cpu[name]
        parts = "".join(f"  {k} {row[k]:6.2f}" for k in ("main", "workers", "pagefind", "other"))
        print(f"  {name:<26}{end - start:8.1f} s wall{parts}  all {sum(row.values()):6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--processes", type=int)
    parser.add_argument("--jobs", type=int, help="QA_SEARCH_SHARD_JOBS (default: the settings')")
    parser.add_argument("--bin", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, help="also write the samples (JSON) here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    cache = args.cache or args.output.with_name(args.output.name + ".cache")
    for folder in (args.output, args.output.with_name(args.output.name + ".staging"), cache):
        shutil.rmtree(folder, ignore_errors=True)
    log = args.output.with_name(args.output.name + ".timeline.jsonl")
    log.parent.mkdir(parents=True, exist_ok=True)  # the build makes the output folder, not its parent
    log.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--child", "--log", str(log), "--content", str(args.content)]
    command += ["--output", str(args.output), "--cache", str(cache)]
    command += [] if args.processes is None else ["--processes", str(args.processes)]
    command += [] if args.jobs is None else ["--jobs", str(args.jobs)]
    start, load = time.monotonic(), os.getloadavg()[0]
    process = subprocess.Popen(command, cwd=ROOT)
    seen = sample(process.pid, process)
    wall = time.monotonic() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"# Timeline: wall {wall:.2f} s, CPU-s {usage.ru_utime + usage.ru_stime:.2f} (user {usage.ru_utime:.2f}),")
    print(f"# peak RSS of one process {usage.ru_maxrss / 1024:.0f} MB, load {load:.1f} → {os.getloadavg()[0]:.1f}\n")
    if args.keep:
        args.keep.write_text(json.dumps({str(k): v for k, v in seen.items()}))
    report(log, seen, process.pid, args.bin)


if __name__ == "__main__":
    main()
