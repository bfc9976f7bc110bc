"""The hostile corpus (tests/fixtures/hostile) built once, every output file read as its reader reads it
(and the same checks over the fixture and demo sites).

Pages as a browser parses them, feeds as a feed reader does (each type="html" text parsed again as
HTML), JSON-LD as strict JSON, Pagefind's index as search.js receives it. A file of a kind not
listed in OUTPUT_KINDS fails the test, so a new kind of output gets a checker before it ships.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from playwright.sync_api import Browser, expect

from conftest import FIXTURES, ROOT, copy_site, serving
from html_safety import html_problems, naive_markdown, same_site, strict_json
from pagefind_files import cbor_document, excerpt_html, pagefind_data, strings
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import DEFAULTS
from qasite.config.urls import DEV_SITEURL
from qasite.render.assets import stylesheet
from qasite.render.headers import headers_file, security_headers
from qasite.render.pagefind_values import pagefind_filter

# -- one checker per kind of output file ------------------------------------------


def check_html(path: Path, output: Path) -> list[str]:
    return html_problems(path.read_text(encoding="utf-8"))


def check_feed(path: Path, output: Path) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    feed = etree.parse(str(path), parser).getroot()
    problems = []
    for element in feed.iter():
        kind = element.get("type")
        if kind == "html":
            problems += html_problems(element.text or "", fragment=element.tag.endswith("summary"))
        elif kind not in (None, "text"):
            problems.append(f"{element.tag} of type {kind}")
        for name in ("href", "src", "uri"):
            if element.get(name) is not None and not same_site(element.get(name)):
                problems.append(f"{element.tag} {name}={element.get(name)!r} is not on the site")
    return problems


def check_sitemap(path: Path, output: Path) -> list[str]:
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "schemas/sitemap.xsd")))
    doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    problems = [] if schema.validate(doc) else [str(schema.error_log)]
    locs = doc.getroot().iterfind(".//{*}loc")
    return problems + [f"sitemap loc {loc.text!r}" for loc in locs if not same_site(loc.text or "")]


def check_robots(path: Path, output: Path) -> list[str]:
    expected = f"User-agent: *\nAllow: /\n\nSitemap: {DEV_SITEURL}/sitemap.xml\n"
    return [] if path.read_text(encoding="utf-8") == expected else [f"robots.txt: {path.read_text()!r}"]


def check_headers_file(path: Path, output: Path) -> list[str]:
    """_headers carries only the site's fixed security headers: no content reaches it."""
    expected = headers_file(security_headers(DEFAULTS["QA_CSP"]), immutable=["/theme/css/site.*"])
    return [] if path.read_text(encoding="utf-8") == expected else [f"_headers: {path.read_text()!r}"]


def check_markdown(path: Path, output: Path) -> list[str]:
    """llms.txt and the question pages' Markdown alternates: nothing live, even rendered with raw HTML on."""
    return html_problems(naive_markdown(path.read_text(encoding="utf-8")))


def check_theme_file(path: Path, output: Path) -> list[str]:
    source = ROOT / "theme/static" / path.relative_to(output / "theme")
    return [] if source.read_bytes() == path.read_bytes() else ["differs from the theme's own file"]


def check_stylesheet(path: Path, output: Path) -> list[str]:
    """The bundled stylesheet: the theme's, whatever the content."""
    return [] if path.read_text(encoding="utf-8") == stylesheet(ROOT / "theme", "theme").text else ["not the theme's"]


def check_pagefind_asset(path: Path, output: Path) -> list[str]:
    """Pagefind's own JavaScript, CSS and WebAssembly: the same bytes whatever the content."""
    text = path.read_bytes()
    return [f"holds {s!r}" for s in (b"alert(", b"onerror", b"Mallory") if s in text]


def check_pagefind_entry(path: Path, output: Path) -> list[str]:
    entry = strict_json(path.read_text(encoding="utf-8"))
    hashes = {lang["hash"] for lang in entry["languages"].values()}
    return [] if all((path.parent / f"pagefind.{h}.pf_meta").is_file() for h in hashes) else ["meta file missing"]


def check_pagefind_cbor(path: Path, output: Path) -> list[str]:
    """pf_meta, pf_index, pf_filter: CBOR read by Pagefind's WebAssembly, never inserted into the page
    as markup; filter values reach it as text (search.js builds facets with text nodes)."""
    cbor_document(path)
    return []


def check_fragment(path: Path, output: Path) -> list[str]:
    fragment = strict_json(pagefind_data(path).decode("utf-8"))
    url = fragment["url"]
    problems = [] if same_site(url) and url.startswith("/") else [f"result URL {url!r}"]
    soup = BeautifulSoup(excerpt_html(fragment["content"]), "lxml")
    if {e.name for e in soup.find_all(True)} - {"html", "body", "p", "mark"}:
        problems.append(f"excerpt holds markup: {fragment['content'][:120]!r}")
    for anchor in fragment["anchors"]:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", anchor["id"]):
            problems.append(f"anchor id {anchor['id']!r} (sub-result URLs are built from it)")
    # Meta and filter values are text: search.js inserts them with text nodes and setAttribute only.
    values = [*fragment["meta"].values(), *(v for vs in fragment["filters"].values() for v in vs)]
    return problems + [f"non-text value {v!r}" for v in values if not isinstance(v, str)]


def check_sort_table(path: Path, output: Path) -> list[str]:
    """search/sorts.json: strict ASCII JSON of four equal columns, ids naming Pagefind's fragments, whole numbers
    (search-sorts.js only compares them); so a hostile title or slug cannot reach it."""
    text = path.read_text(encoding="utf-8")
    table = strict_json(text)
    problems = [] if text.isascii() and set(table) == {"ids", "votes", "answers", "date"} else [f"keys {list(table)}"]
    if len({len(column) for column in table.values()}) != 1:
        problems.append("columns of different lengths")
    ids = {p.name.removesuffix(".pf_fragment") for p in (output / "pagefind").glob("**/fragment/*.pf_fragment")}
    problems += [f"id {i!r}" for i in table["ids"] if i not in ids]
    numbers = [v for key in ("votes", "answers", "date") for v in table[key]]
    return problems + [f"not a whole number: {v!r}" for v in numbers if type(v) is not int]


def check_shard_count(path: Path, output: Path) -> list[str]:
    """search/shards.json: the number of shards, each a bundle in pagefind/ (the first) or pagefind/<k>/, and the
    addresses of the others (search-index.js merges them): the build's own, whatever the content."""
    text = path.read_text(encoding="utf-8")
    count = strict_json(text)["shards"]
    merge = [f"/pagefind/{k}/" for k in range(1, count)] if type(count) is int else []
    if text != json.dumps({"shards": count, "merge": merge}, separators=(",", ":")) or count < 1:
        return [f"not a shard list: {text!r}"]
    bundles = [output / "pagefind" / (f"{k}/" if k else "") / "pagefind-entry.json" for k in range(count)]
    return [f"{b} missing" for b in bundles if not b.is_file()]


BUNDLE = r"pagefind/([0-9]+/)?"  # a search shard's Pagefind bundle (the first in pagefind/ itself)
OUTPUT_KINDS: list[tuple[str, Callable[[Path, Path], list[str]]]] = [
    (r"(.+/)?index\.html|404\.html", check_html),
    (r"feeds/(all|categories/[a-z0-9-]+|tags/[a-z0-9-]+)\.atom\.xml", check_feed),
    (r"sitemap\.xml", check_sitemap),
    (r"robots\.txt", check_robots),
    (r"_headers", check_headers_file),
    (r"theme/(js/[a-z-]+\.js|favicon\.svg)", check_theme_file),
    (r"theme/css/site\.[0-9a-f]{10}\.css", check_stylesheet),
    (rf"{BUNDLE}pagefind(-[a-z-]+)?\.(js|css)|{BUNDLE}wasm\.[a-z-]+\.pagefind", check_pagefind_asset),
    (rf"{BUNDLE}pagefind-entry\.json", check_pagefind_entry),
    (rf"{BUNDLE}pagefind\.[a-z_0-9-]+\.pf_meta", check_pagefind_cbor),
    (rf"{BUNDLE}(index|filter)/[a-z_0-9-]+\.pf_(index|filter)", check_pagefind_cbor),
    (rf"{BUNDLE}fragment/[a-z_0-9-]+\.pf_fragment", check_fragment),
    (r"search/sorts\.json", check_sort_table),
    (r"llms\.txt|questions/[a-z0-9-]+/index\.md", check_markdown),
    (r"search/shards\.json", check_shard_count),
]  # fmt: skip


def output_files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def hostile_sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus with one question a search shard (two shards: three questions, one shard would be empty)."""
    conf = copy_site(tmp_path_factory.mktemp("hostile-sharded") / "site", "hostile")
    return build(settings=load_settings(conf, {"QA_SEARCH": True, "QA_SEARCH_SHARD_SIZE": 1}))


@pytest.mark.parametrize("site", ["hostile_output", "hostile_sharded", "built_site", "demo_output"])
def test_every_output_file_is_of_a_known_kind_and_has_nothing_live(site: str, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site)
    problems = {}
    for name in output_files(output):
        checker = next((check for pattern, check in OUTPUT_KINDS if re.fullmatch(pattern, name)), None)
        found = checker(output / name, output) if checker else ["no checker for this kind of file"]
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())


# -- hostile text is shown as text, not dropped --------------------------------------

TITLE = "</script><script>alert(1)</script> <!-- ]]> \"quoted\" 'single' <img src=x onerror=alert(2)>?"
CATEGORY = '<script>alert("category")</script> & "Q\'s" ]]> <!--'
NAME = "Mallory \"><img src=x onerror=alert('name')> </script><script>alert(1)</script>"


def soup(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "lxml")


def test_hostile_strings_are_shown_as_text(hostile_output: Path) -> None:
    question = soup(hostile_output, "questions/script-in-the-title/index.html")
    assert question.h1.get_text() == TITLE
    assert question.title.get_text() == f'{TITLE} · Hostile <Q&A> "site"'
    assert question.find("meta", property="og:title")["content"] == question.title.get_text()
    assert '<script>alert("body script")</script>' in question.select_one(".qa-question__body").get_text()
    assert question.select_one(".qa-category").get_text() == f"Category: {CATEGORY}"
    user = soup(hostile_output, "users/mallory/index.html")
    assert user.h1.get_text() == NAME
    assert user.select_one(".profile__credentials").get_text() == "<svg onload=alert('credentials')> ]]> <!-- '\""
    assert user.select_one(".profile__bio").get_text() == "<!-- --> '\"><script>alert('bio')</script> ]]>"
    assert (
        user.select_one(".profile__website")["href"] == "https://example.org/?q=\"><script>alert('url')</script>&x='y'"
    )
    page = soup(hostile_output, "hostile/index.html")
    assert page.h1.get_text() == "</title><script>alert('page title')</script> \" ' ]]> <!--"
    category = soup(hostile_output, "categories/script-alert-category-script-and-q-s/index.html")
    assert category.select_one(".qa-listing__description").get_text().startswith("</p><img src=x onerror=")


def test_markdown_outputs_keep_hostile_text_as_text(hostile_output: Path) -> None:
    """The Markdown alternate and llms.txt show the hostile title as text, rendered by a careless reader too."""
    page = BeautifulSoup(
        naive_markdown((hostile_output / "questions/script-in-the-title/index.md").read_text()), "lxml"
    )
    assert page.h1.get_text() == TITLE
    llms = BeautifulSoup(naive_markdown((hostile_output / "llms.txt").read_text()), "lxml")
    link = llms.find("a", href="/questions/script-in-the-title/index.md")
    assert link is not None and link.get_text() == TITLE
    question = soup(hostile_output, "questions/script-in-the-title/index.html")
    alternate = question.find("link", rel="alternate", type="text/markdown")
    assert alternate["href"] == "/questions/script-in-the-title/index.md"


def test_feed_text_reaches_the_reader_as_text(hostile_output: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = etree.parse(str(hostile_output / "feeds/all.atom.xml")).getroot()
    entry = next(e for e in feed.iterfind("a:entry", ns) if e.findtext("a:title", namespaces=ns) == TITLE)
    assert entry.findtext("a:author/a:name", namespaces=ns) == NAME
    summary = BeautifulSoup(entry.findtext("a:summary", namespaces=ns), "lxml").get_text()
    assert summary.startswith('<script>alert("body script")</script> </script><script>alert("closing script")')
    category = etree.parse(str(hostile_output / "feeds/categories/script-alert-category-script-and-q-s.atom.xml"))
    assert category.findtext("a:title", namespaces=ns) == f'Hostile <Q&A> "site": {CATEGORY}'


def test_jsonld_keeps_the_text(hostile_output: Path) -> None:
    page = soup(hostile_output, "questions/a-plain-question/index.html")
    data = [strict_json(s.string) for s in page.find_all("script", type="application/ld+json")]
    qa = next(d for d in data if d["@type"] == "QAPage")
    assert qa["mainEntity"]["suggestedAnswer"][0]["author"]["name"] == NAME
    crumbs = next(d for d in data if d["@type"] == "BreadcrumbList")
    assert crumbs["itemListElement"][1]["name"] == CATEGORY


def test_redirect_pages_stay_on_the_site(hostile_output: Path) -> None:
    for synonym in ("xss", "script-injection"):
        refresh = soup(hostile_output, f"tags/{synonym}/index.html").find("meta", attrs={"http-equiv": "refresh"})
        assert refresh["content"] == "0; url=/tags/safety/"


@pytest.mark.parametrize("site", ["hostile_output", "hostile_sharded"])
def test_search_index_keeps_hostile_text_as_text(site: str, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site)
    index = output / "pagefind"
    fragments = [strict_json(pagefind_data(p).decode()) for p in index.glob("**/fragment/*.pf_fragment")]
    assert len(fragments) == 3  # every question, in one shard or in two
    titled = next(f for f in fragments if f["url"] == "/questions/script-in-the-title/")
    assert titled["meta"]["title"] == TITLE
    assert titled["meta"]["category"] == CATEGORY
    indexed = CATEGORY.replace('"', "%22")  # the filter value's form (render/pagefind_values.py)
    assert titled["filters"]["category"][0] == indexed == pagefind_filter(CATEGORY)
    assert '<script>alert("body script")</script>' in titled["content"]
    filters = [s for p in index.glob("**/filter/*.pf_filter") for s in strings(cbor_document(p))]
    assert indexed in filters
    shards = json.loads((output / "search/shards.json").read_text())["shards"]
    assert shards == (1 if site == "hostile_output" else 2)


def test_search_ui_inserts_text_only() -> None:
    """search.js and highlight.js build results with text nodes and setAttribute; nothing parses HTML into
    the page (Pagefind's excerpt goes through an inert DOMParser and only its text and <mark> are kept)."""
    for script in (ROOT / "theme/static/js").glob("*.js"):
        source = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in source, f"{script.name} uses {sink}"


def test_qa_config_block_keeps_any_value_as_data() -> None:
    """partials/config.html writes the scripts' values through tojson: a value holding '</script>' or '<!--'
    can neither close the element nor start markup, and reads back as it was. (Its values come from settings,
    not content; the check stands for any value added later.)"""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme/templates"), autoescape=True)
    config = {"askUrl": "https://x.test/?a=</script><script>alert(1)</script><!--", "askTitlePlaceholder": TITLE}
    markup = env.get_template("partials/config.html").render(qa_config=config)
    assert html_problems(markup) == []
    scripts = BeautifulSoup(markup, "lxml").find_all("script")
    assert len(scripts) == 1 and strict_json(scripts[0].string) == config


# -- in the browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_no_payload_runs_in_chromium(browser: Browser, hostile_output: Path) -> None:
    """Every page of the hostile site, a question opened from search with ?highlight=, and a search whose
    results hold the payloads: no dialog opens (every payload calls alert), no request leaves the site."""
    dialogs: list[str] = []
    foreign: list[str] = []
    with serving(hostile_output) as base:
        context = browser.new_context()
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: None if request.url.startswith(base) else foreign.append(request.url))
        for name in output_files(hostile_output):
            if name.endswith("index.html") and b'http-equiv="refresh"' not in (hostile_output / name).read_bytes():
                page.goto(f"{base}/{name.removesuffix('index.html')}", wait_until="load")
        terms = "highlight=script&highlight=alert&highlight=%3Cimg%20src%3Dx%20onerror%3Dalert(9)%3E"
        page.goto(f"{base}/questions/script-in-the-title/?{terms}", wait_until="load")
        expect(page.locator("mark.search-highlight").first).to_be_visible()
        page.goto(f"{base}/search/")
        expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"^(?!Loading)\S"))
        page.get_by_label("Search questions and answers").fill("alert script")
        expect(page.locator("[data-search-results] > li")).to_have_count(3)
        expect(page.locator("[data-search-results]")).to_contain_text("<script>alert(1)</script>")
        context.close()
    assert dialogs == []
    assert foreign == []


def test_content_note_stays_text(hostile_output: Path) -> None:
    note = "</summary><script>alert('note')</script> ]]> <!-- \"a\":b, c"
    page = soup(hostile_output, "questions/a-plain-question/index.html")
    assert page.select_one("details.qa-note > summary .qa-note__text").get_text() == f"Content note: {note}"
    assert page.select("summary script, summary img") == []
    fragments = [strict_json(pagefind_data(p).decode()) for p in (hostile_output / "pagefind/fragment").iterdir()]
    plain = next(f for f in fragments if f["url"] == "/questions/a-plain-question/")
    assert plain["meta"]["content_note"] == note
