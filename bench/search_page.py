"""The first search as a reader makes it on the search page (theme/templates/search.html, search.js).

``transfer.first_query`` times Pagefind's API alone (5 results' data, no filters loaded). A reader's search page
shows 10 results (PAGE_SIZE) as rows and facets with counts. Here the page is opened in a fresh Chromium context
(empty cache) on the same loopback server, and once it says it is ready (the idle message: Pagefind loaded; since
session 15 no filter chunk, which load when the reader opens the filter panel or after a query's first results)
the query is put in the box and submitted, as Enter does. Three times from the submit: until the status
announces the results (search.js sets it once the rows are on the page), until they are painted (the next frame
after that: requestAnimationFrame, then a task), and until the facets show the query's counts (filled in after
the results). Bytes are those the server sent for ``/pagefind/`` and the shard list: while the page opens, and
for the query until its results are announced and in all (the filters' chunks after them).

A reader types, though: ``typed`` puts the query in the box key by key (KEY_DELAY apart, faster than the page's
200 ms typing pause, so the page does not search on its own), then presses Enter, and takes the same three times
from the Enter key (search-warm.js searches the whole words typed before it, to warm Pagefind). A run where the
page searched before Enter anyway (a key held up past the pause by the load) is run again, up to 3 times, then
left out (NaN).

The header box's submit opens ``/search/#q=…`` instead: the page searches as it opens. That path is measured too
(once, fresh context): bytes and requests sent until the status announces the results (the results are shown
before the filters' chunks load), and in all once the facets show their counts.

A reader may also tick a facet without a query: ``filtered`` opens the filter panel of the idle page (its counts
shown), ticks the first category (the one with the most questions) and times from the click to the status
announcing the results and to their paint, with the bytes and index chunks sent for that search (session 19: with
Pagefind 1.5.2's ``search(null)`` every index chunk, 12 MB at 10,000 questions; search-index.js's FILTERS_ONLY).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from chromium import CHROMIUM_ARGS, chromium_path
from gzserver import Sent
from transfer import QUERY, serving, shards_file

IDLE = "Type a few words"  # the start of search.js's IDLE_MESSAGE: the page is ready to search
# The page's parts, a frame's wait, and two promises: ``shown`` (the status names the results; calls
# window.qaShown) and ``counted`` (the facets show counts), each resolving to its performance.now().
WATCH_JS = """  const status = document.querySelector('[data-search-status]');
  const input = document.querySelector('[data-search-input]');
  const facets = document.querySelector('[data-search-facets]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const shown = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (status.textContent.includes(' for “')) { observer.disconnect(); resolve(performance.now()); window.qaShown(); }
  }).observe(status, {childList: true, characterData: true, subtree: true}));
  const counted = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (facets.querySelector('fieldset')) { observer.disconnect(); resolve(performance.now()); }
  }).observe(facets, {childList: true}));
"""

# Put the query in the box and submit the form (what Enter does); ms until the status names the results, until
# they are painted (the frame after), and until the facets show counts (NaN if not within 10 s).
SUBMIT_JS = (
    """async (query) => {
"""
    + WATCH_JS
    + """  input.value = query;
  const t0 = performance.now();
  input.form.requestSubmit();
  const t1 = await shown;
  await frame();
  const t2 = performance.now();
  const t3 = await Promise.race([counted, new Promise((resolve) => setTimeout(() => resolve(NaN), 10000))]);
  return [t1 - t0, t2 - t0, t3 - t0];
}"""
)

KEY_DELAY = 100  # ms between keys when the query is typed
# Before typing: the same three times, from the Enter key's keydown; ``early`` if the results came before it.
TYPED_JS = (
    """() => {
"""
    + WATCH_JS
    + """  let t0 = NaN;
  input.addEventListener('keydown', (event) => { if (event.key === 'Enter') t0 = performance.now(); });
  window.qaTyped = (async () => {
    const t1 = await shown;
    await frame();
    const t2 = performance.now();
    const t3 = await Promise.race([counted, new Promise((resolve) => setTimeout(() => resolve(NaN), 10000))]);
    return Number.isNaN(t0) ? [NaN, NaN, NaN] : [t1 - t0, t2 - t0, t3 - t0];
  })();
}"""
)

# On the idle page with the filter panel open: tick the first category with no query; ms until the status says how
# many questions match, and until they are painted.
FILTER_JS = """async () => {
  const status = document.querySelector('[data-search-status]');
  const box = document.querySelector('[data-search-facets] input[data-facet="category"]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const shown = new Promise((resolve) => new MutationObserver((_, observer) => {
    if (!/ match(es)? the chosen filters/.test(status.textContent)) return;
    observer.disconnect();
    resolve(performance.now());
  }).observe(status, {childList: true, characterData: true, subtree: true}));
  const t0 = performance.now();
  box.click();
  const t1 = await shown;
  await frame();
  return [t1 - t0, performance.now() - t0];
}"""

# Call qaShown() once the status announces the results (the page searching as it opens).
SHOWN_JS = """new MutationObserver((_, observer) => {
  const status = document.querySelector('[data-search-status]');
  if (status && status.textContent.includes(' for “')) { observer.disconnect(); window.qaShown(); }
}).observe(document, {childList: true, characterData: true, subtree: true});"""


@dataclass
class SearchPage:
    """The search page's first query: bytes while it opens and for the query (first run), times (one per run, ms)."""

    query: str
    opening_bytes: int
    query_bytes: int
    query_requests: int
    submit_ms: list[float] = field(default_factory=list)
    submit_painted_ms: list[float] = field(default_factory=list)
    submit_facets_ms: list[float] = field(default_factory=list)
    opened_shown_bytes: int = 0
    opened_shown_requests: int = 0
    opened_total_bytes: int = 0
    opened_total_requests: int = 0
    query_total_bytes: int = 0
    typed_ms: list[float] = field(default_factory=list)
    typed_painted_ms: list[float] = field(default_factory=list)
    typed_facets_ms: list[float] = field(default_factory=list)
    typed_query_bytes: int = 0
    filter_ms: list[float] = field(default_factory=list)
    filter_painted_ms: list[float] = field(default_factory=list)
    filter_bytes: int = 0
    filter_index_requests: int = 0

    @property
    def submit_ms_median(self) -> float:
        """Median over runs of submit to results shown."""
        return statistics.median(self.submit_ms)

    @property
    def submit_painted_ms_median(self) -> float:
        """Median over runs of submit to results painted."""
        return statistics.median(self.submit_painted_ms)

    @property
    def submit_facets_ms_median(self) -> float:
        """Median over runs of submit to the facets' counts shown."""
        return statistics.median(self.submit_facets_ms)

    @property
    def typed_ms_medians(self) -> list[float]:
        """Medians over runs of Enter (the query typed) to results shown, painted, and the facets' counts."""
        return [_median(times) for times in (self.typed_ms, self.typed_painted_ms, self.typed_facets_ms)]

    @property
    def filter_ms_medians(self) -> list[float]:
        """Medians over runs of a category ticked with no query to results shown, and painted."""
        return [_median(times) for times in (self.filter_ms, self.filter_painted_ms)]


def _median(times: list[float]) -> float:
    """Median of the runs that measured something (NaN: the page searched before Enter)."""
    kept = [t for t in times if t == t]
    return statistics.median(kept) if kept else float("nan")


def _search_bytes(sent: list[Sent]) -> tuple[int, int]:
    """Bytes and requests of Pagefind's files and the shard list among ``sent``."""
    mine = [s for s in sent if s.path.startswith("/pagefind/") or s.path == shards_file()]
    return sum(s.body_bytes for s in mine), len(mine)


def _one_run(
    browser: object, base: str, log: list[Sent], typed: bool = False
) -> tuple[list[float], int, int, int, int]:
    """Times (to results, painted, facets), bytes while opening, the query's bytes and requests to its results
    (cut in the browser's order of events, as ``_opened_with_query`` does) and in all; ``typed``: key by key."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        requested: list[str] = []
        cut: list[int] = []
        page.on("request", lambda request: requested.append(urlsplit(request.url).path))
        page.expose_binding("qaShown", lambda _source: cut.append(len(requested)))
        start = len(log)
        page.goto(base + "/search/")
        page.locator("[data-search-status]", has_text=IDLE).wait_for()
        ready, asked = len(log), len(requested)
        if typed:
            page.evaluate(TYPED_JS)
            page.locator("[data-search-input]").press_sequentially(QUERY, delay=KEY_DELAY)
            page.keyboard.press("Enter")
            times = page.evaluate("window.qaTyped")
        else:
            times = page.evaluate(SUBMIT_JS, QUERY)
        sent = log[ready:]
        before = set(requested[asked : cut[0]])
        query_bytes, query_requests = _search_bytes([s for s in sent if s.path in before])
        return times, _search_bytes(log[start:ready])[0], query_bytes, query_requests, _search_bytes(sent)[0]
    finally:
        context.close()


def _typed_run(browser: object, base: str, log: list[Sent]) -> tuple[list[float], int, int, int, int]:
    """A typed run, tried again (up to 3 times) while the page searched before Enter (times NaN)."""
    for _ in range(3):
        run = _one_run(browser, base, log, typed=True)
        if run[0][0] == run[0][0]:
            break
    return run


def _filtered(browser: object, base: str, log: list[Sent]) -> tuple[list[float], int, int]:
    """The idle page's filter panel opened, then its first category ticked: times (shown, painted), and the bytes
    and index chunks the server sent for that search."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(base + "/search/")
        page.locator("[data-search-status]", has_text=IDLE).wait_for()
        page.locator("[data-search-filters] > summary").click()
        page.locator("[data-search-facets] input[data-facet='category']").first.wait_for()
        start = len(log)
        times = page.evaluate(FILTER_JS)
        sent = log[start:]
        return times, _search_bytes(sent)[0], sum(1 for s in sent if s.path.endswith(".pf_index"))
    finally:
        context.close()


def _opened_with_query(browser: object, base: str, log: list[Sent]) -> tuple[int, int, int, int]:
    """``/search/#q=QUERY`` opened fresh: bytes and requests until the results are announced, and in all.

    The cut is in the browser's own order of events: the requests made before the status announced the results
    (a binding the page calls then); their bytes are the server's for those paths."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        requested: list[str] = []
        cut: list[int] = []
        page.on("request", lambda request: requested.append(urlsplit(request.url).path))
        page.expose_binding("qaShown", lambda _source: cut.append(len(requested)))
        page.add_init_script(SHOWN_JS)
        start = len(log)
        page.goto(base + "/search/#" + urlencode({"q": QUERY}))
        page.locator("[data-search-facets] fieldset").first.wait_for()  # every filter loaded, counts shown
        sent = log[start:]
        before = set(requested[: cut[0]])
        return *_search_bytes([s for s in sent if s.path in before]), *_search_bytes(sent)
    finally:
        context.close()


def search_page(site: Path, runs: int = 5) -> SearchPage:
    """Open the search page and submit the query ``runs`` times on fresh pages (after one warm-up run)."""
    from playwright.sync_api import sync_playwright

    with serving(site) as (base, log), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            _one_run(browser, base, log)  # warm-up: the server compresses each file once, then caches it
            measured = [_one_run(browser, base, log) for _ in range(runs)]
            typed = [_typed_run(browser, base, log) for _ in range(runs)]
            opened = _opened_with_query(browser, base, log)
            filtered = [_filtered(browser, base, log) for _ in range(runs)]
        finally:
            browser.close()
    _, opening, query_bytes, query_requests, query_total = measured[0]
    times = [t for t, *_ in measured]
    return SearchPage(
        QUERY,
        opening,
        query_bytes,
        query_requests,
        [t[0] for t in times],
        [t[1] for t in times],
        [t[2] for t in times],
        *opened,
        query_total_bytes=query_total,
        typed_ms=[t[0][0] for t in typed],
        typed_painted_ms=[t[0][1] for t in typed],
        typed_facets_ms=[t[0][2] for t in typed],
        typed_query_bytes=next((run[2] for run in typed if run[0][0] == run[0][0]), 0),
        filter_ms=[times[0] for times, _, _ in filtered],
        filter_painted_ms=[times[1] for times, _, _ in filtered],
        filter_bytes=filtered[0][1],
        filter_index_requests=filtered[0][2],
    )
