"""Lighthouse scores of the demo site: the home page, a question page and the search page with results.

The demo site is built with ``SITEURL`` set to the loopback address it is then
served on (``gzserver``: gzip like a static host), so its canonical links,
og:url, robots.txt and sitemap name the address Lighthouse loads. Lighthouse
(pinned in bench/package.json, installed on first use by ``npm ci --prefix
bench``) runs on Debian's Chromium, headless, with its default mobile preset
(simulated slow 4G and a 4x slower CPU), ``runs`` times per page; a category's
score is the median of the runs (Performance varies from run to run; the others
do not). Audits that did not pass in the median run are listed by id.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import builds
from chromium import CHROMIUM_ARGS, chromium_path
from gzserver import make_server

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work" / "lighthouse"
CLI = BENCH / "node_modules" / ".bin" / "lighthouse"
STAMP = BENCH / "node_modules" / ".installed"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
PAGES = ("home", "question", "search")
QUERY = "anxiety"  # the search page is measured showing this query's results
RUN_TIMEOUT = 180.0  # seconds for one Lighthouse run


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_installed() -> str:
    """Install Lighthouse from bench/package-lock.json when missing or outdated; return its version."""
    lock = BENCH / "package-lock.json"
    if not CLI.exists() or not STAMP.exists() or STAMP.stat().st_mtime < lock.stat().st_mtime:
        log("installing Lighthouse (npm ci --prefix bench)")
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--silent"], check=True)
        STAMP.touch()
    return subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True).stdout.strip()


@contextmanager
def serving_demo() -> Iterator[str]:
    """Serve the demo site, built for the address it is served on; yield that address."""
    site = WORK / "site"
    server, _ = make_server(site)
    base = f"http://127.0.0.1:{server.server_port}"
    log(f"lighthouse: building the demo site for {base}")
    with redirect_stdout(sys.stderr):  # Pelican's summary line: stdout is the benchmark's table
        builds.build_once(ROOT / "content", site, search=True, extra={"SITEURL": base})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def question_path(site: Path) -> str:
    """The largest question page (the most answers and text: the hardest for Performance)."""
    pages = sorted((site / "questions").glob("*/index.html"), key=lambda p: (-p.stat().st_size, p.as_posix()))
    return "/" + pages[0].parent.relative_to(site).as_posix() + "/"


def search_url(base: str) -> str:
    """The search page showing results: the query in the fragment (#q=) if the page reads it, else in ?q=."""
    from playwright.sync_api import TimeoutError as NoResults
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for url in (f"{base}/search/#q={QUERY}", f"{base}/search/?q={QUERY}"):
                page = browser.new_page()
                page.goto(url)
                try:
                    page.locator("[data-search-results] li").first.wait_for(timeout=10_000)
                    return url
                except NoResults:
                    continue
                finally:
                    page.close()
        finally:
            browser.close()
    raise RuntimeError(f"the search page shows no results for {QUERY!r}, by #q= or ?q=")


def run_once(url: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run (mobile preset) on ``url``; the JSON report is kept at ``report``."""
    command = [
        str(CLI),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        "--no-enable-error-reporting",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    subprocess.run(command, env=env, check=True, timeout=RUN_TIMEOUT, capture_output=True)
    return json.loads(report.read_text(encoding="utf-8"))


def failed_audits(result: dict[str, Any]) -> dict[str, str]:
    """Audits that count towards a category and did not pass: id -> title (and display value)."""
    counted = {ref["id"] for cat in result["categories"].values() for ref in cat["auditRefs"] if ref["weight"] > 0}
    failed = {}
    for audit_id, audit in result["audits"].items():
        if audit_id in counted and audit.get("score") is not None and audit["score"] < 1:
            shown = audit.get("displayValue")
            failed[audit_id] = f"{audit['title']} ({shown})" if shown else audit["title"]
    return failed


def measure_page(name: str, url: str, runs: int) -> dict[str, Any]:
    """``runs`` Lighthouse runs on one page: each run's scores, their medians, and what failed in the median run."""
    scores: list[dict[str, int]] = []
    results = []
    for number in range(runs):
        log(f"lighthouse: {name} run {number + 1}/{runs}")
        result = run_once(url, WORK / f"{name}-{number + 1}.json")
        scores.append({c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES})
        results.append(result)
    median = {c: statistics.median_low([s[c] for s in scores]) for c in CATEGORIES}
    median_run = next(i for i, s in enumerate(scores) if s["performance"] == median["performance"])
    metrics = results[median_run]["audits"]
    return {
        "page": name,
        "path": url[url.index("/", len("http://")) :],
        "runs": scores,
        "median": median,
        "met": {c: median[c] >= TARGETS[c] for c in CATEGORIES},
        "failed": failed_audits(results[median_run]),
        "metrics": {key: metrics[key]["numericValue"] for key in METRICS if key in metrics},
        # Lighthouse's own measure of the machine's speed during each run (lower: slower or busier).
        "benchmark_index": [result["environment"]["benchmarkIndex"] for result in results],
    }


def measure(runs: int, only: tuple[str, ...] = PAGES) -> dict[str, Any] | None:
    """Lighthouse on the demo's home, largest question page and search page with results (None if runs is 0)."""
    if runs < 1:
        return None
    version = ensure_installed()
    WORK.mkdir(parents=True, exist_ok=True)
    with serving_demo() as base:
        urls = {"home": lambda: f"{base}/", "question": lambda: base + question_path(WORK / "site")}
        urls["search"] = lambda: search_url(base)
        measured = [measure_page(name, urls[name](), runs) for name in only]
    return {"version": version, "runs": runs, "preset": "default (mobile)", "targets": TARGETS, "pages": measured}


def main() -> None:
    """CLI: Lighthouse alone (``invoke bench`` runs it with the rest), scores as JSON on stdout."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (the median is reported)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ", ".join(PAGES))
    args = parser.parse_args()
    print(json.dumps(measure(args.runs, tuple(p.strip() for p in args.pages.split(","))), indent=2))


if __name__ == "__main__":
    main()
