"""The benchmark's chart: build time and peak memory against N for ours, plain Pelican and Hugo + Pagefind (SVG).

    python bench/chart.py bench/results/latest.json   # writes bench/results/latest.svg

``draw(json_path)`` runs this file in the benchmark's tool venv
(bench/.work/venv-tools, matplotlib pinned below, created on first use), so
matplotlib is not a dependency of the site. Only generated sites (a number of
questions) are plotted; the demo site is left out. The SVG is the same bytes
for the same figures (no date, fixed element ids).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOOLS_VENV = ROOT / "bench" / ".work" / "venv-tools"
TOOLS_REQUIREMENTS = ["matplotlib==3.10.8"]
SERIES = {  # key in a site's results: label, colour, marker
    "ours_search": ("ours, with search", "#1b6e3a", "o"),
    "plain": ("plain Pelican (no search)", "#6b6b6b", "s"),
    "hugo_total": ("Hugo + Pagefind", "#c0392b", "^"),
}
GB = 1024**3


def ensure_tools_venv() -> Path:
    """The tool venv's Python, created with matplotlib on first use."""
    python = TOOLS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *TOOLS_REQUIREMENTS], check=True)
    return python


def draw(results: Path) -> Path:
    """Write the chart of ``results`` (latest.json) beside it as .svg, in the tool venv; return its path."""
    subprocess.run([str(ensure_tools_venv()), str(Path(__file__)), str(results)], check=True)
    return results.with_suffix(".svg")


def points(sites: list[dict[str, Any]], key: str, figure: str) -> tuple[list[int], list[float]]:
    """(N, value) of ``key``'s ``figure`` (seconds: 'best', bytes: 'peak_rss') for the sites that finished it."""
    xs, ys = [], []
    for site in sites:
        timing = site.get(key) or {}
        if site["label"].isdigit() and timing.get("complete") and timing.get(figure):
            xs.append(site["questions"])
            ys.append(timing[figure] / (GB if figure != "best" else 1))
    return xs, ys


def plot(results: Path) -> Path:
    """Draw the chart with matplotlib (run inside the tool venv)."""
    import matplotlib

    matplotlib.use("svg")
    matplotlib.rcParams["svg.hashsalt"] = "qasite-bench"  # fixed ids: same figures, same bytes
    import matplotlib.pyplot as plt

    data = json.loads(results.read_text(encoding="utf-8"))
    sites = data["sites"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key, (label, colour, marker) in SERIES.items():
        left.plot(*points(sites, key, "best"), label=label, color=colour, marker=marker)
        right.plot(*points(sites, key, "peak_rss"), label=label, color=colour, marker=marker)
    for axis, title, unit in ((left, "Build time", "seconds"), (right, "Peak memory (RSS, all processes)", "GB")):
        axis.set_title(title)
        axis.set_xlabel("questions")
        axis.set_ylabel(unit)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.grid(True, which="both", alpha=0.3)
    left.legend()
    env = data["environment"]
    load = env.get("load_average") or {}
    title = f"invoke bench, {data['started']}, {env['cpus']} CPUs"
    title += f", load average {load['start']:.1f} at start, {load['end']:.1f} at end" if load else ""
    for extra in data.get("extra_runs", []):  # sites measured in another run and added to these results
        title += f"; {', '.join(extra['sizes'])} questions: a separate run, {extra['started']}"
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    out = results.with_suffix(".svg")
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out


if __name__ == "__main__":
    print(plot(Path(sys.argv[1])))
