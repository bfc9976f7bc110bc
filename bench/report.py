"""The Markdown summary of a benchmark run (bench/results/latest.md): one column per site size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

KINDS = ("js", "wasm", "meta", "index", "filters", "fragments", "other")
Row = tuple[str, Callable[[dict[str, Any]], str]]


def _s(timing: dict[str, Any]) -> str:
    if timing.get("not_run"):
        return f"> {timing['best']:g} s (not run)" if timing["best"] else "not run"
    return f"{timing['best']:.2f} s" if timing["complete"] else f"> {timing['best']:g} s (stopped)"


def _r(site: dict[str, Any], name: str, bold: bool = False) -> str:
    ratios = site["ratios"]
    if ratios[name] is None:
        return "n/a"
    text = ("> " if name in ratios["lower_bound"] else "") + f"{ratios[name]:.2f}×"
    return f"**{text}**" if bold else text


def _pairs(site: dict[str, Any]) -> str:
    """The alternated pairs' median ratio, then each pair: ours / Hugo + Pagefind in seconds (the peer first: *)."""
    paired = site.get("pairs")
    if not paired or paired["median_ratio"] is None:
        return "not run"
    each = [
        f"{row['ours']:.2f} / {row['peer']:.2f}{'*' if row['peer_first'] else ''}" if row["complete"] else "stopped"
        for row in paired["pairs"]
    ]
    return f"**{paired['median_ratio']:.2f}×** ({', '.join(each)} s)"


def _pairs_cpu(site: dict[str, Any]) -> str:
    """Each pair's CPU-s of the two process trees, ours / Hugo + Pagefind, and of it the kernel's (system) in ( )."""
    paired = site.get("pairs")
    rows = [row for row in (paired or {}).get("pairs", []) if "ours_cpu" in row and "peer_cpu" in row]
    if not rows:
        return "not measured"
    each = [
        f"{row['ours_cpu']:.1f} ({row['ours_system']:.1f}) / {row['peer_cpu']:.1f} ({row['peer_system']:.1f})"
        for row in rows
    ]
    return ", ".join(each)


def _pages(site: dict[str, Any]) -> str:
    ours = site["ours_search"]["pages"] or site["ours_no_search"]["pages"]
    counts = (site["plain"]["pages"], ours, site["hugo"].get("pages"))
    return " / ".join(f"{count:,}" if count else "n/a" for count in counts)


def _gb(count: int | None) -> str:
    return "n/a" if not count else f"{count / 1024**3:.2f} GB"


def _memory(key: str) -> Callable[[dict[str, Any]], str]:
    """Peak memory of ``key``'s build: summed RSS / summed PSS."""
    return lambda site: f"{_gb(site[key].get('peak_rss'))} / {_gb(site[key].get('peak_pss'))}"


def _measured(part: str, cell: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], str]:
    """``cell`` for sites whose ``part`` was measured, 'n/a' for the others."""
    return lambda site: cell(site) if site.get(part) else "n/a"


def _kb(count: int) -> str:
    return f"{count / 1024:,.1f} KB"


def _yes(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "**not met**")


def _kinds(site: dict[str, Any]) -> str:
    fq = site["first_query"]
    parts = [f"{k} {_kb(fq['bytes_by_kind'][k])} ({fq['files_by_kind'][k]})" for k in KINDS if k in fq["bytes_by_kind"]]
    return "<br>".join(parts)


def _floor(site: dict[str, Any]) -> str:
    """What any first search loads whatever its words: Pagefind's script, WebAssembly and per-page metadata."""
    sent = site["first_query"]["bytes_by_kind"]
    return _kb(sum(sent.get(kind, 0) for kind in ("js", "wasm", "meta")))


def _page_bytes(site: dict[str, Any]) -> str:
    """The search page's bytes while it opens (Pagefind and every filter) and for the query."""
    page = site["search_page"]
    return f"{_kb(page['opening_bytes'])} / {_kb(page['query_bytes'])}"


def _submit_times(site: dict[str, Any]) -> str:
    """The search page's submit to results shown / painted / facets (medians; the first alone before session 15)."""
    page = site["search_page"]
    if "submit_painted_ms_median" not in page:
        return f"{page['submit_ms_median']:.0f} ms"
    times = (page[f"submit{part}_ms_median"] for part in ("", "_painted", "_facets"))
    return " / ".join(f"{ms:.0f}" for ms in times) + " ms"


def _typed_times(site: dict[str, Any]) -> str:
    """The query typed key by key, then Enter: to results shown / painted / facets (medians; since session 16)."""
    page = site["search_page"]
    if "typed_ms_medians" not in page:
        return "n/a"
    return " / ".join(f"{ms:.0f}" for ms in page["typed_ms_medians"]) + f" ms ({_kb(page['typed_query_bytes'])})"


def _filtered(site: dict[str, Any]) -> str:
    """A category ticked with no query on the idle page: to results shown / painted (medians; since session 19)."""
    page = site["search_page"]
    if "filter_ms_medians" not in page:
        return "n/a"
    times = " / ".join(f"{ms:.0f}" for ms in page["filter_ms_medians"])
    return f"{times} ms ({_kb(page['filter_bytes'])}, {page['filter_index_requests']} index chunks)"


def _opened(site: dict[str, Any]) -> str:
    """``/search/#q=…`` opened fresh (the header box's submit): until the results are shown / in all."""
    page = site["search_page"]
    if "opened_total_bytes" not in page:
        return "n/a"
    shown = f"{_kb(page['opened_shown_bytes'])} ({page['opened_shown_requests']})"
    return f"{shown} / {_kb(page['opened_total_bytes'])} ({page['opened_total_requests']})"


def _check(site: dict[str, Any]) -> str:
    timed = site.get("check")
    if not timed:
        return "n/a"
    parts = (timed["cold"], timed["cached"], timed["cached_one_answer_changed"])
    return " / ".join(f"{part['median']:.2f} s" for part in parts)


ROWS: list[Row] = [
    ("questions / answers", lambda s: f"{s['questions']:,} / {s['answers']:,}"),
    ("HTML pages written: plain / ours / Hugo", _pages),
    ("plain Pelican build (baseline)", lambda s: _s(s["plain"])),
    ("Hugo build", lambda s: _s(s["hugo"])),
    ("Pagefind over Hugo's question pages", lambda s: _s(s["hugo_pagefind"])),
    ("Hugo + Pagefind (total)", lambda s: _s(s["hugo_total"])),
    ("ours, QA_SEARCH = False", lambda s: _s(s["ours_no_search"])),
    ("ours, with search (total)", lambda s: _s(s["ours_search"])),
    ("Pagefind index alone", lambda s: _s(s["pagefind"])),
    ("**ours with search / plain**", lambda s: _r(s, "search_vs_plain", bold=True)),
    ("**ours with search / Hugo + Pagefind**", lambda s: _r(s, "search_vs_hugo", bold=True)),
    ("**… alternated pairs: median** (each pair ours / Hugo + Pagefind; * the peer first)", _pairs),
    ("… the pairs' CPU-s, ours / Hugo + Pagefind (of it in the kernel)", _pairs_cpu),
    ("Hugo + Pagefind / plain", lambda s: _r(s, "hugo_vs_plain")),
    ("ours without search / plain", lambda s: _r(s, "no_search_vs_plain")),
    ("Pagefind alone / plain", lambda s: _r(s, "pagefind_vs_plain")),
    ("goal: with search ≤ plain", lambda s: _yes(s["targets"]["build_goal"])),
    (
        "target: with search ≤ 1.0× Hugo + Pagefind, the pairs' median (set for 10,000)",
        lambda s: _yes(s["targets"]["build_vs_hugo"]),
    ),
    ("peak memory, RSS / PSS summed: plain Pelican", _memory("plain")),
    ("… Hugo + Pagefind (the larger of the two)", _memory("hugo_total")),
    ("… ours, QA_SEARCH = False", _memory("ours_no_search")),
    ("… **ours, with search**", _memory("ours_search")),
    ("target: ours with search ≤ 2 GB RSS (set for 10,000)", lambda s: _yes(s["targets"]["memory_under_2gb"])),
    ("`invoke check`: cold / cached / cached, one answer changed (median of 3)", lambda s: _check(s)),
    ("target: check ≤ 5 s cold (set for 10,000)", lambda s: _yes(s["targets"].get("check_cold"))),
    ("target: check ≤ 2 s cached (set for 10,000)", lambda s: _yes(s["targets"].get("check_cached"))),
    ("index files", _measured("index", lambda s: f"{s['index']['files']:,}")),
    (
        "index size: raw / gzip",
        _measured("index", lambda s: f"{_kb(s['index']['bytes'])} / {_kb(s['index']['gzip_bytes'])}"),
    ),
    ("first query: requests", _measured("first_query", lambda s: str(s["first_query"]["requests"]))),
    ("first query: bytes (gzip, as sent)", _measured("first_query", lambda s: _kb(s["first_query"]["bytes_total"]))),
    ("… by kind (files)", _measured("first_query", _kinds)),
    ("… Pagefind's floor: js + wasm + meta", _measured("first_query", _floor)),
    (
        "first query: load + search + 5 results (median)",
        _measured("first_query", lambda s: f"{s['first_query']['total_ms_median']:.0f} ms"),
    ),
    (
        "… search + 5 results only (median)",
        _measured("first_query", lambda s: f"{s['first_query']['search_ms_median']:.0f} ms"),
    ),
    (
        "search page, as a reader uses it: bytes while it opens / for the query",
        _measured("search_page", _page_bytes),
    ),
    (
        "… submit → 10 results shown / painted / facets' counts (median; until session 14 one time for all)",
        _measured("search_page", _submit_times),
    ),
    (
        "… the query typed (keys 100 ms apart), Enter → results shown / painted / facets' counts (median; bytes)",
        _measured("search_page", _typed_times),
    ),
    (
        "… a category ticked, no query (filter panel opened idle) → results shown / painted (median; bytes)",
        _measured("search_page", _filtered),
    ),
    (
        "search page opened with the query (header box): bytes (requests) to results shown / with facets",
        _measured("search_page", _opened),
    ),
    ("target: first query ≤ 250 KB (set for 10,000)", lambda s: _yes(s["targets"]["bytes_under_250kb"])),
    ("target: search + results ≤ 300 ms, Pagefind loaded (loopback)", lambda s: _yes(s["targets"]["time_under_300ms"])),
]


def table(sites: list[dict[str, Any]]) -> str:
    """The results as one Markdown table, a column per site."""
    lines = [
        "| | " + " | ".join(s["label"] for s in sites) + " |",
        "|---|" + "---:|" * len(sites),
    ]
    lines += [f"| {name} | " + " | ".join(cell(s) for s in sites) + " |" for name, cell in ROWS]
    return "\n".join(lines)


LIGHTHOUSE_CATEGORIES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best Practices",
    "seo": "SEO",
}
METRICS = {
    "first-contentful-paint": ("FCP", "ms"),
    "largest-contentful-paint": ("LCP", "ms"),
    "total-blocking-time": ("TBT", "ms"),
    "cumulative-layout-shift": ("CLS", ""),
}


def _score(page: dict[str, Any], category: str) -> str:
    score = str(page["median"][category])
    if category == "performance" and len(page["runs"]) > 1:
        score += " (" + ", ".join(str(run[category]) for run in page["runs"]) + ")"
    return score if page["met"][category] else f"**{score}**"


def _metrics(page: dict[str, Any]) -> str:
    values = page["metrics"]
    return ", ".join(
        f"{name} {values[key]:.0f} {unit}".rstrip() if unit else f"{name} {values[key]:.3f}"
        for key, (name, unit) in METRICS.items()
        if key in values
    )


def lighthouse(data: dict[str, Any] | None) -> list[str]:
    """The Lighthouse section: a row per page, median scores (Performance's runs in brackets), what did not pass."""
    if not data:
        return ["## Lighthouse", "", "Not run (`--lighthouse-runs 0`).", ""]
    categories = list(LIGHTHOUSE_CATEGORIES)
    lines = [
        "## Lighthouse",
        "",
        f"Lighthouse {data['version']}, {data['preset']} preset, on the demo site built for and served on loopback"
        f" (gzip); median of {data['runs']} run(s) per page, each run's Performance in brackets; bold: target not met.",
        "",
        "| page | " + " | ".join(LIGHTHOUSE_CATEGORIES.values()) + " | metrics (median run) |",
        "|---|" + "---:|" * len(categories) + "---|",
    ]
    for page in data["pages"]:
        scores = " | ".join(_score(page, c) for c in categories)
        lines.append(f"| {page['page']} `{page['path']}` | {scores} | {_metrics(page)} |")
    targets = " | ".join(("≥ " if data["targets"][c] < 100 else "") + str(data["targets"][c]) for c in categories)
    lines += [f"| target | {targets} | |", ""]
    for page in data["pages"]:
        if page["failed"]:
            failed = "; ".join(f"`{audit}` {title}" for audit, title in page["failed"].items())
            lines.append(f"- {page['page']}: scored audits below full marks (median run): {failed}")
    return [*lines, ""]


def _load(env: dict[str, Any]) -> str:
    load = env.get("load_average")
    return f"{load['start']:.1f} / {load['end']:.1f}" if load else "n/a"


def markdown(results: dict[str, Any]) -> str:
    """The whole summary: context, the table, and how the figures were taken."""
    env = results["environment"]
    plain, ours = env["plain_versions"], env["our_versions"]
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"Run {results['started']} on {env['cpus']} CPUs ({env['platform']}), {results['duration_s']:.0f} s;"
            f" {env.get('browser') or 'no browser run'}; build time limit: {env.get('timeout_s') or 'none'} s;"
            f" load average at start / end: {_load(env)}.",
            f"Plain Pelican {plain['pelican']} + Markdown {plain['markdown']} (bench/.work/venv-plain);"
            f" ours: Pelican {ours['pelican']}, markdown-it-py {ours['markdown-it-py']}, Pagefind {ours['pagefind']};"
            f" Hugo {env.get('hugo') or 'not installed'}."
            + (
                f" Chart of build time and peak memory against N: [{results['chart']}]({results['chart']})."
                if results.get("chart")
                else ""
            ),
            "",
            table(results["sites"]),
            "",
            *[f"- {note}" for note in results["notes"]],
            "",
            *lighthouse(results.get("lighthouse")),
        ]
    )
