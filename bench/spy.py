"""Where the wall time of our build goes: py-spy over one real build of a generated site, search included.

    .venv/bin/pip install py-spy          # once; a benchmark tool, not in requirements
    python bench/spy.py [--size 10000] [--top 10] [--no-search] [--processes 1]

Unlike profile_build.py (cProfile), this samples the build as the benchmark
runs it, Pagefind included, from outside (``py-spy record --idle --threads
--subprocesses``, 100 samples a second, idle time included so that shares are
of wall time). The render runs in one process by default (``--processes 1``,
QA_RENDER_PROCESSES): with workers, the tables show their share of the work
only as the main thread waiting (py-spy may sample forked workers too, but
only the build's own main thread, the first process of each sample, is
tabled). Pagefind itself is a native program: the main thread waiting for it
shows as ``ShardIndexer.finish``. The raw samples are kept in bench/.work/spy-<size>.txt.

It prints the build's main thread's functions by inclusive time (the phases;
frames on the stack more than 95% of the time, the benchmark's wrapper and the
import machinery left out, the imports shown as one row) and by own time (the
leaves), each as a share of the main thread's samples, that is of wall time.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import generate

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RATE = 100
FRAME_LINE = re.compile(r":\d+\)$")
IMPORT = "<frozen importlib"


def record(size: int, search: bool, processes: int) -> Path:
    """Run one build under py-spy; return the raw samples' file."""
    dest = WORK / "sites" / str(size)
    generate.ensure_generated(size, dest)
    output = WORK / "out" / f"spy-{size}"
    for folder in (output, output.with_name(output.name + ".staging")):
        shutil.rmtree(folder, ignore_errors=True)
    raw = WORK / f"spy-{size}.txt"
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    build = [sys.executable, str(ROOT / "bench" / "builds.py"), "--content", str(dest / "ours" / "content")]
    build += ["--output", str(output), "--processes", str(processes)] + ([] if search else ["--no-search"])
    command = [py_spy, "record", "--idle", "--threads", "--subprocesses", "--format", "raw", "-r", str(RATE)]
    command += ["-o", str(raw)]
    start = time.perf_counter()
    subprocess.run([*command, "--", *build], check=True, cwd=ROOT)
    print(f"Build under py-spy: {time.perf_counter() - start:.1f} s wall clock.")
    return raw


def parse(raw: Path) -> list[tuple[bool, list[str], int]]:
    """(whether on the build's main thread, frames from the outermost without line numbers, samples) per line.

    A line reads ``process <pid>:"<command>";[process <child>:"<command>";]thread (<tid>)[: name];frames count``.
    """
    stacks = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        parts = stack.split(";")
        processes = [part for part in parts if part.startswith("process ")]
        pid = processes[0].split(":", 1)[0].removeprefix("process ")  # the build: every line starts with it
        rest = parts[len(processes) :]
        tid = rest[0].removeprefix("thread (").split(")", 1)[0] if rest and rest[0].startswith("thread (") else ""
        frames = [FRAME_LINE.sub(")", f) for f in rest[1:]]
        stacks.append((len(processes) == 1 and tid == pid, frames, int(count)))  # not a child's (workers, Pagefind)
    return stacks


def _phase(frame: str) -> bool:
    """Whether an inclusive row is worth showing: not the benchmark's wrapper, not the import machinery."""
    return "(builds.py)" not in frame and IMPORT not in frame and "runpy" not in frame


def tables(stacks: list[tuple[bool, list[str], int]], top: int) -> str:
    """The two Markdown tables (see the module's docstring)."""
    main = [(frames, count) for on_main, frames, count in stacks if on_main]
    total = sum(count for _, count in main) or 1
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, count in main:
        if frames:
            own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    imports = sum(count for frames, count in main if any(IMPORT in f for f in frames))
    phases = [(f, n) for f, n in inclusive.most_common() if n <= 0.95 * total and _phase(f)][:top]
    lines = [
        f"{total:,} samples of the build's main thread (at most {RATE}/s: fewer when py-spy falls behind on a busy"
        " machine); shares are of those samples, i.e. of wall time.",
        "",
        "| main thread, inclusive | % of wall time |",
        "|---|---:|",
        f"| imports (any `{IMPORT}` frame) | {100 * imports / total:.1f}% |",
        *[f"| `{frame}` | {100 * n / total:.1f}% |" for frame, n in phases],
        "",
        "| main thread, own time | % of wall time |",
        "|---|---:|",
        *[f"| `{frame}` | {100 * n / total:.1f}% |" for frame, n in own.most_common(top)],
    ]
    return "\n".join(lines)


def main() -> None:
    """CLI: record one build and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--no-search", action="store_true", help="QA_SEARCH = False")
    parser.add_argument("--processes", type=int, default=1, help="QA_RENDER_PROCESSES (default 1: see above)")
    parser.add_argument("--raw", type=Path, help="analyse this raw file instead of recording a build")
    args = parser.parse_args()
    raw = args.raw or record(args.size, search=not args.no_search, processes=args.processes)
    print(tables(parse(raw), args.top))


if __name__ == "__main__":
    main()
