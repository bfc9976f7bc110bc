"""Where our build's time goes: cProfile of one build (QA_SEARCH = False) of a generated site.

    python bench/profile_build.py [--size 10000] [--top 10]

Prints the top functions by cumulative and by own time in four groups: our
plugin (plugins/qasite), our theme's templates (as Jinja compiled them),
Pelican and Jinja, and other libraries (markdown-it, PyYAML, the standard
library...). The raw profile is kept in
bench/.work/profile-<size>.pstats for ``python -m pstats`` or snakeviz.
Profiling slows Python down by roughly 2x, evenly enough to rank functions.
Pages are rendered in this one process (QA_RENDER_PROCESSES = 1, when the
plugin has that setting): cProfile does not see forked workers.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
from pathlib import Path
from typing import Any

import builds
import generate

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
GROUPS = {
    "our plugin (plugins/qasite)": ("/plugins/qasite/",),
    "our theme (theme/templates, compiled by Jinja)": ("/theme/templates/",),
    "Pelican and Jinja": ("/pelican/", "/jinja2/", "/markupsafe/"),
}
OTHER = "other libraries and the standard library"
Entry = tuple[str, int, float, float]  # function, calls, own seconds, cumulative seconds


def entries(stats: pstats.Stats) -> list[Entry]:
    """Every profiled function as (``file:line(name)``, calls, own time, cumulative time)."""
    table = stats.stats  # type: ignore[attr-defined]
    rows = []
    for (file, line, name), (_, calls, own, cumulative, _) in table.items():
        rows.append((f"{file}:{line}({name})", calls, own, cumulative))
    return rows


def group_of(function: str) -> str:
    """The group a function belongs to (by its file's path)."""
    for group, markers in GROUPS.items():
        if any(marker in function for marker in markers):
            return group
    return OTHER


def short(function: str) -> str:
    """The function without the leading path to site-packages or the repo."""
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in function:
            return function.split(marker, 1)[1]
    return function


def print_table(title: str, rows: list[Entry], total: float) -> None:
    """One Markdown table of profiled functions."""
    print(f"\n### {title}\n\n| cumulative s | % of build | own s | calls | function |\n|---:|---:|---:|---:|---|")
    for function, calls, own, cumulative in rows:
        print(f"| {cumulative:.2f} | {100 * cumulative / total:.0f}% | {own:.2f} | {calls:,} | `{short(function)}` |")


def print_top(rows: list[Entry], top: int, total: float) -> None:
    """The ``top`` functions of each group by cumulative time, then by own time."""
    rows = [r for r in rows if "/bench/" not in r[0]]  # the benchmark's own wrapper
    for group in [*GROUPS, OTHER]:
        chosen = [r for r in rows if group_of(r[0]) == group]
        print(f"\n## {group}")
        print_table("by cumulative time", sorted(chosen, key=lambda r: -r[3])[:top], total)
        print_table("by own time", sorted(chosen, key=lambda r: -r[2])[:top], total)


def serial_settings() -> dict[str, Any]:
    """Settings that keep all the work in this process, where cProfile sees it."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.config.settings import DEFAULTS

    return {"QA_RENDER_PROCESSES": 1} if "QA_RENDER_PROCESSES" in DEFAULTS else {}


def main() -> None:
    """CLI: profile one build and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    dest = WORK / "sites" / str(args.size)
    generate.ensure_generated(args.size, dest)
    output = WORK / "out" / f"profile-{args.size}"
    shutil.rmtree(output, ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.runcall(builds.build_once, dest / "ours" / "content", output, search=False, extra=serial_settings())
    path = WORK / f"profile-{args.size}.pstats"
    profiler.dump_stats(path)
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"# Profile of our {args.size:,}-question build, QA_SEARCH = False: {total:.1f} s under cProfile")
    print_top(entries(stats), args.top, total)


if __name__ == "__main__":
    main()
