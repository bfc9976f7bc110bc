"""Where the wall time of our build goes, every process included: py-spy over one build of a generated site.

    .venv/bin/pip install py-spy          # once; a benchmark tool, not in requirements
    python bench/spy.py [--size 10000] [--top 10] [--no-search]

Unlike profile_build.py (cProfile, one process), this samples the real build
as the benchmark times it: forked render workers and Markdown workers included
(``py-spy record --subprocesses --idle``, 100 samples a second, idle time
included so that percentages are of wall time). Pagefind is a native program
that py-spy cannot see; the main process waiting for it shows as
``finish_index``. The raw samples are kept in bench/.work/spy-<size>.txt.

It prints two tables: the main process's functions by inclusive time (the
phases: share of the build's wall time spent in the function or what it calls;
frames on the stack for more than 95% of the time, the entry points, the
benchmark's wrapper and the import machinery are left out, the imports shown as
one row), and every process's functions by own time (the leaves), as a share of the
build's wall time, which can add up to more than 100% when workers run at once.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import generate

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RATE = 100
FRAME_LINE = re.compile(r":\d+\)$")
IMPORT = "<frozen importlib"


def record(size: int, search: bool) -> Path:
    """Run one build under py-spy; return the raw samples' file."""
    dest = WORK / "sites" / str(size)
    generate.ensure_generated(size, dest)
    output = WORK / "out" / f"spy-{size}"
    for folder in (output, output.with_name(output.name + ".staging")):
        shutil.rmtree(folder, ignore_errors=True)
    raw = WORK / f"spy-{size}.txt"
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    build = [sys.executable, str(ROOT / "bench" / "builds.py"), "--content", str(dest / "ours" / "content")]
    build += ["--output", str(output)] + ([] if search else ["--no-search"])
    command = [py_spy, "record", "--idle", "--subprocesses", "--format", "raw", "-r", str(RATE), "-o", str(raw)]
    subprocess.run([*command, "--", *build], check=True, cwd=ROOT)
    return raw


def parse(raw: Path) -> list[tuple[str, list[str], int]]:
    """(process, frames from the outermost, samples) of every line; frames without their line numbers."""
    stacks = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        process, *frames = stack.split(";")
        stacks.append((process.split(":", 1)[0], [FRAME_LINE.sub(")", f) for f in frames], int(count)))
    return stacks


def _phase(frame: str) -> bool:
    """Whether an inclusive row is worth showing: not the benchmark's wrapper, not the import machinery."""
    return "(builds.py)" not in frame and IMPORT not in frame and "runpy" not in frame


def tables(stacks: list[tuple[str, list[str], int]], top: int) -> str:
    """The two Markdown tables (see the module's docstring)."""
    main = stacks[0][0] if stacks else ""
    main_total = sum(count for process, _, count in stacks if process == main)
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for process, frames, count in stacks:
        if frames:
            own[frames[-1]] += count
        if process == main:
            for frame in set(frames):
                inclusive[frame] += count
    imports = sum(count for process, frames, count in stacks if process == main and any(IMPORT in f for f in frames))
    phases = [(f, n) for f, n in inclusive.most_common() if n <= 0.95 * main_total and _phase(f)][:top]
    processes = len({process for process, _, _ in stacks})
    lines = [
        f"Wall time {main_total / RATE:.1f} s (main process samples at {RATE}/s); {processes} Python processes.",
        "",
        "| main process, inclusive | % of wall time |",
        "|---|---:|",
        f"| imports (any `{IMPORT}` frame) | {100 * imports / main_total:.1f}% |",
        *[f"| `{frame}` | {100 * n / main_total:.1f}% |" for frame, n in phases],
        "",
        "| all processes, own time | % of wall time |",
        "|---|---:|",
        *[f"| `{frame}` | {100 * n / main_total:.1f}% |" for frame, n in own.most_common(top)],
    ]
    return "\n".join(lines)


def main() -> None:
    """CLI: record one build and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--no-search", action="store_true", help="QA_SEARCH = False")
    parser.add_argument("--raw", type=Path, help="analyse this raw file instead of recording a build")
    args = parser.parse_args()
    raw = args.raw or record(args.size, search=not args.no_search)
    print(tables(parse(raw), args.top))


if __name__ == "__main__":
    main()
