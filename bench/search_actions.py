"""Every interaction of the search page, as a reader makes it, timed with the bytes it fetches (session 19).

``search_page.py`` times the first query (submitted, typed, opened with ``#q=``) and a facet ticked on the idle
page. This times the rest, each in a fresh Chromium context on the loopback server (bench/gzserver.py): a query
(also a query with no result, one letter, a very common word and a long one), then each sort (the first fetches
the sort table), the next results ("Show more results"), a facet ticked with a query and unticked, the back
button, the box cleared (with a facet kept, and with none: back to idle), and ``/search/#q=…&sort=…&category=…``
opened directly.

Times are the page's own: from the action (done in the page: a value set and ``change``, ``click()``,
``requestSubmit()``, ``history.back()``) to the first change of the status (search.js sets it last, once the
rows are in the list; "more results": the list's change), and to the frame after it (painted). Opened directly:
from the navigation's start to the status naming the results. Bytes and requests: every response the server
sent from the action until it was quiet for QUIET s (the filters' chunks filled in after the results and the
results' fragments included). Each row also says what the page showed (the status, the rows, the address), to
read whether it is right. ``THROTTLE=4`` slows Chromium's CPU as DevTools' "4x" (a mid-range phone).

    python bench/search_actions.py SITE [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from chromium import CHROMIUM_ARGS, chromium_path
from gzserver import Sent
from transfer import QUERY, serving

IDLE = "Type a few words"  # the start of search.js's IDLE_MESSAGE
LONG = "how can I stop feeling anxious at night when I cannot sleep and my heart is racing after work"
QUIET = 0.6  # s without a response: the action's fetches are over
VIEWPORT = {"width": 1280, "height": 900}  # wide: the filter panel opens at the first search
THROTTLE = float(os.environ.get("THROTTLE", "1"))
STATUS, LIST = "[data-search-status]", "[data-search-results]"

# Run ``action`` (JS) and wait for ``target`` to change: ms to the change, and to the frame after it.
ACT_JS = """async ([action, target]) => {
  const element = document.querySelector(target);
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const changed = new Promise((resolve) => new MutationObserver((_, observer) => {
    observer.disconnect(); resolve(performance.now());
  }).observe(element, {childList: true, characterData: true, subtree: true}));
  const t0 = performance.now();
  (new Function(action))();
  const t1 = await Promise.race([changed, new Promise((resolve) => setTimeout(() => resolve(NaN), 20000))]);
  await frame();
  return [t1 - t0, performance.now() - t0];
}"""
# What the page shows: the status, how many rows, the first rows' votes and answers, the address.
SHOWN_JS = """() => {
  const rows = [...document.querySelectorAll('[data-search-results] > li')];
  const text = (row, selector) => row.querySelector(selector)?.textContent.trim() ?? '';
  return {status: document.querySelector('[data-search-status]').textContent, rows: rows.length,
    votes: rows.slice(0, 10).map((row) => text(row, '.qa-votes__count')),
    answers: rows.slice(0, 10).map((row) => text(row, '.qa-count__number')),
    asked: rows.slice(0, 10).map((row) => text(row, '.qa-row__asker')), hash: location.hash};
}"""
# Opened with a query: the time (from the navigation's start) the status names the results.
OPENED_JS = """new MutationObserver((_, observer) => {
  const status = document.querySelector('[data-search-status]');
  if (!status || !/ for “| match/.test(status.textContent)) return;
  observer.disconnect();
  window.qaShownAt = performance.now();
}).observe(document, {childList: true, characterData: true, subtree: true});"""

SUBMIT = "const box = document.querySelector('[data-search-input]'); box.value = %s; box.form.requestSubmit();"
SORT = (
    "const box = document.querySelector('[data-search-sort]'); box.value = %s; box.dispatchEvent(new Event('change'));"
)
TICK = "document.querySelector('[data-search-facets] input[data-facet=\"category\"]').click();"
UNTICK = "document.querySelector('[data-search-facets] input[data-facet=\"category\"]:checked').click();"
MORE = "document.querySelector('[data-search-more]').click();"
BACK = "history.back();"

Result = tuple[list[float], int, int, dict[str, Any]]  # times (shown, painted), bytes, requests, what is shown


def _settled(log: list[Sent], start: int) -> tuple[int, int]:
    """Once the server was quiet for QUIET s: bytes and requests it sent since ``start``."""
    count = -1
    while count != len(log):
        count = len(log)
        time.sleep(QUIET)
    return sum(s.body_bytes for s in log[start:]), len(log) - start


def _new_page(browser: Any) -> Any:
    """A page in a fresh context (empty cache), CPU throttled when THROTTLE > 1."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    if THROTTLE > 1:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    return page


def _act(page: Any, log: list[Sent], action: str, target: str = STATUS) -> Result:
    """Do ``action`` and time it; the bytes it fetched; what the page shows then."""
    start = len(log)
    times = page.evaluate(ACT_JS, [action, target])
    return times, *_settled(log, start), page.evaluate(SHOWN_JS)


def _searched(browser: Any, base: str, log: list[Sent], query: str = QUERY) -> tuple[Any, Result]:
    """A fresh search page, ``query`` submitted once it is ready; the page with the facets' counts shown."""
    page = _new_page(browser)
    page.goto(base + "/search/")
    page.locator(STATUS, has_text=IDLE).wait_for()
    result = _act(page, log, SUBMIT % json.dumps(query))
    if result[3]["rows"]:
        page.locator("[data-search-facets] fieldset").first.wait_for()
    return page, result


def _queries(browser: Any, base: str, log: list[Sent]) -> dict[str, Result]:
    """Queries submitted on a fresh page."""
    out = {}
    for name, query in [
        (f"query “{QUERY}”", QUERY),
        ("no result", "zzqxyvw"),
        ("one letter “a”", "a"),
        ("common word “the”", "the"),
        (f"long query ({len(LONG.split())} words)", LONG),
    ]:
        page, out[name] = _searched(browser, base, log, query)
        page.context.close()
    return out


def _sorts(browser: Any, base: str, log: list[Sent]) -> dict[str, Result]:
    """Each sort first on a page (the sort table fetched), then one after another, and the next results."""
    out = {}
    for sort in ("votes", "newest", "answers"):
        page, _ = _searched(browser, base, log)
        out[f"sort {sort} (the page's first sort)"] = _act(page, log, SORT % json.dumps(sort))
        page.context.close()
    page, _ = _searched(browser, base, log)
    _act(page, log, SORT % '"votes"')
    out["sort answers (after votes)"] = _act(page, log, SORT % '"answers"')
    out["sort relevance (after answers)"] = _act(page, log, SORT % '""')
    out["more results"] = _act(page, log, MORE, LIST)
    out["more results, again"] = _act(page, log, MORE, LIST)
    page.context.close()
    return out


def _filters(browser: Any, base: str, log: list[Sent]) -> dict[str, Result]:
    """A facet ticked and unticked with a query, back, the box cleared with the facet kept, then idle."""
    out = {}
    page, _ = _searched(browser, base, log)
    out["facet ticked with a query"] = _act(page, log, TICK)
    page.locator("[data-search-facets] fieldset").first.wait_for()
    out["facet unticked"] = _act(page, log, UNTICK)
    out["back (the facet ticked again)"] = _act(page, log, BACK)
    out["sort votes with the facet"] = _act(page, log, SORT % '"votes"')
    out["box cleared, the facet kept"] = _act(page, log, SUBMIT % '""')
    out["last facet unticked (idle)"] = _act(page, log, UNTICK)
    page.context.close()
    page, _ = _searched(browser, base, log)
    out["box cleared (idle)"] = _act(page, log, SUBMIT % '""')
    page.context.close()
    return out


def _opened(browser: Any, base: str, log: list[Sent]) -> dict[str, Result]:
    """``/search/#q=…&sort=votes&category=…`` opened in a fresh context (the query's first category): ms from the
    navigation's start."""
    page, _ = _searched(browser, base, log)
    category = page.evaluate("document.querySelector('[data-search-facets] input[data-facet=\"category\"]').value")
    page.context.close()
    page = _new_page(browser)
    page.add_init_script(OPENED_JS)
    start = len(log)
    page.goto(base + "/search/#" + urlencode({"q": QUERY, "sort": "votes", "category": category}))
    page.wait_for_function("() => window.qaShownAt")
    shown = page.evaluate("window.qaShownAt")
    result = ([shown, shown], *_settled(log, start), page.evaluate(SHOWN_JS))
    page.context.close()
    return {"opened: /search/#q=…&sort=votes&category=…": result}


def actions(browser: Any, base: str, log: list[Sent]) -> dict[str, Result]:
    """Every interaction once."""
    return (
        _queries(browser, base, log)
        | _sorts(browser, base, log)
        | _filters(browser, base, log)
        | _opened(browser, base, log)
    )


def main() -> None:
    """Every interaction RUNS times after a warm-up pass; a table of medians and what the page showed."""
    from playwright.sync_api import sync_playwright

    site, runs = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    measured: dict[str, list[Result]] = {}
    with serving(site) as (base, log), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        actions(browser, base, log)  # warm-up: the server compresses each file once, then caches it
        for _ in range(runs):
            for name, result in actions(browser, base, log).items():
                measured.setdefault(name, []).append(result)
        browser.close()
    print("| interaction | shown ms | painted ms | KB | requests | the page shows |\n|---|--:|--:|--:|--:|---|")
    for name, results in measured.items():
        shown, painted = (statistics.median(r[0][i] for r in results) for i in (0, 1))
        _, sent, requests, page = results[-1]
        print(
            f"| {name} | {shown:.0f} | {painted:.0f} | {sent / 1024:,.1f} | {requests} | {page['status'][:70]} "
            f"({page['rows']} rows; votes {' '.join(page['votes'][:5])}; answers {' '.join(page['answers'][:5])}) |"
        )


if __name__ == "__main__":
    main()
