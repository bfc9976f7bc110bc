"""Search as a reader gets it: index size on disk and over the wire, and the first query in Chromium.

``index_size`` sums ``<site>/pagefind/`` raw and as the static host sends it.
``first_query`` serves the built site with ``gzserver`` on loopback, opens a
blank page of the site in a fresh Chromium context (empty cache) per run and
runs the first search there; the bytes are those the server sent for
``/pagefind/`` (response bodies: gzip size for text, the file as it is for
Pagefind's pre-compressed chunks), so requests from Pagefind's web worker are
counted too, and the blank page and its favicon request are not.
"""

from __future__ import annotations

import re
import statistics
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from chromium import CHROMIUM_ARGS, chromium_path
from gzserver import BLANK_PATH, Sent, gzip_size, is_precompressed, make_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

QUERY = "anxiety sleep"
RESULTS = 5
# What the reader's page runs (as theme/static/js/search-index.js does): load Pagefind and the shard count at
# once, merge the other shards, wait until every shard is ready (an empty search: Pagefind's init() only starts
# loading its WebAssembly and metadata in its worker, which a reader's page has finished long before a query is
# typed and submitted), search, fetch the first results' data. Times in ms.
SEARCH_JS = """async ([query, count, shardsFile]) => {
  const t0 = performance.now();
  const [pf, list] = await Promise.all([
    import('/pagefind/pagefind.js'),
    fetch(shardsFile).then(r => r.ok ? r.json() : {shards: 1, merge: []}),
  ]);
  await pf.init?.();
  await Promise.all((list.merge || []).map(bundle => pf.mergeIndex(bundle)));
  await pf.search("");
  const shards = list.shards;
  const t1 = performance.now();
  const r = await pf.search(query);
  const data = await Promise.all(r.results.slice(0, count).map(x => x.data()));
  const t2 = performance.now();
  return {total: t2 - t0, search: t2 - t1, found: r.results.length, urls: data.map(d => d.url), shards};
}"""


class SearchRun(TypedDict):
    """What SEARCH_JS returns."""

    total: float
    search: float
    found: int
    urls: list[str]


@dataclass
class IndexSize:
    """``pagefind/`` as stored and as sent (gzip for text files, pre-compressed files as they are)."""

    files: int
    bytes: int
    gzip_bytes: int


@dataclass
class FirstQuery:
    """The first query on a fresh page: bytes by kind (from the first run) and times (one per run, ms)."""

    query: str
    browser: str
    found: int
    requests: int
    bytes_total: int
    bytes_by_kind: dict[str, int]
    files_by_kind: dict[str, int]
    total_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)

    @property
    def total_ms_median(self) -> float:
        """Median over runs of import + init + search + results' data."""
        return statistics.median(self.total_ms)

    @property
    def search_ms_median(self) -> float:
        """Median over runs of search + results' data (Pagefind already loaded)."""
        return statistics.median(self.search_ms)


def index_size(site: Path) -> IndexSize:
    """Size of ``site/pagefind`` on disk and gzip-compressed as served."""
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    sent = sum(p.stat().st_size if is_precompressed(p.name) else gzip_size(p.read_bytes()) for p in files)
    return IndexSize(len(files), raw, sent)


def kind_of(path: str) -> str:
    """Which part of Pagefind a request fetched: js, wasm, index, filters, fragments, meta (or other)."""
    name = path.rsplit("/", 1)[-1]
    folder = re.sub(r"^/pagefind/([0-9]+/)?", "", path).split("/", 1)[0]  # a shard's bundle: /pagefind/<k>/
    if folder == "index":
        return "index"
    if folder == "filter":
        return "filters"
    if folder == "fragment":
        return "fragments"
    if name.endswith(".pagefind"):
        return "wasm"
    if name.endswith(".pf_meta") or name == "pagefind-entry.json" or path == shards_file():
        return "meta"
    return "js" if name.endswith(".js") else "other"


@contextmanager
def serving(site: Path) -> Iterator[tuple[str, list[Sent]]]:
    """Serve ``site`` on a loopback port; yield its base URL and the server's response log."""
    server, handler = make_server(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler.log
    finally:
        server.shutdown()
        server.server_close()


def shards_file() -> str:
    """The shard count file's path on the site (``Urls.search_shards``)."""
    from qasite.config.urls import Urls

    return f"/{Urls.search_shards}"


def _one_run(browser: Browser, base: str, log: list[Sent]) -> tuple[SearchRun, list[Sent]]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + BLANK_PATH)
        start = len(log)
        result = page.evaluate(SEARCH_JS, [QUERY, RESULTS, shards_file()])
        sent = [s for s in log[start:] if s.path.startswith("/pagefind/") or s.path == shards_file()]
        return result, sent
    finally:
        context.close()


def first_query(site: Path, runs: int = 5) -> FirstQuery:
    """Run the first search ``runs`` times on fresh pages (after one warm-up run that is not counted)."""
    from playwright.sync_api import sync_playwright

    with serving(site) as (base, log), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            version = f"Chromium {browser.version}"
            _one_run(browser, base, log)  # warm-up: the server compresses each file once, then caches it
            measured = [_one_run(browser, base, log) for _ in range(runs)]
        finally:
            browser.close()
    result, sent = measured[0]
    by_kind: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for s in sent:
        by_kind[kind_of(s.path)] += s.body_bytes
        files[kind_of(s.path)] += 1
    return FirstQuery(
        QUERY,
        version,
        result["found"],
        len(sent),
        sum(by_kind.values()),
        dict(by_kind),
        dict(files),
        [r["total"] for r, _ in measured],
        [r["search"] for r, _ in measured],
    )
