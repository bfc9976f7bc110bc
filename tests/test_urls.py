"""Every QA_*_URL setting works: a site built with all five patterns changed puts every page,
link, feed entry, sitemap entry, JSON-LD address, redirect and search result at the new
addresses; bad patterns stop the build with the setting's name and the fix."""

from __future__ import annotations

import ast
import gzip
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from crawl import crawl
from lxml import etree

from conftest import FIXTURES, copy_site, serving
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import check_settings, urls_from
from qasite.config.urls import DEV_SITEURL, INDEX_FILE, KINDS, Urls, absolute, absolute_base, save_as
from qasite.content.loader import Site, load_site

PATTERNS = {
    "QA_QUESTION_URL": "q/{slug}/",
    "QA_CATEGORY_URL": "topics/{slug}/",
    "QA_TAG_URL": "t/{slug}/",
    "QA_USER_URL": "people/{slug}/",
    "QA_PAGE_URL": "info/{slug}/",
}
ATOM = "{http://www.w3.org/2005/Atom}"
SYNONYM, TAG = "psychotherapy", "therapy"


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Site]:
    """The fixture site with every URL pattern changed and a tag synonym, built; and its loaded Site."""
    target = tmp_path_factory.mktemp("urls") / "site"
    conf = copy_site(target)
    content = target / "content"
    (content / "tags.yml").write_text(f"{TAG}:\n  synonyms: [{SYNONYM}]\n")
    for question in (content / "questions").glob("*/index.md"):  # the content's own link follows the pattern
        question.write_text(question.read_text().replace("](/about/)", "](/info/about/)"))
    settings = load_settings(conf, PATTERNS)
    site, problems = load_site(content, urls=urls_from(settings))
    assert [p for p in problems if p.is_error] == []
    return build(settings=settings), site


def test_pages_are_at_the_new_addresses_only(changed: tuple[Path, Site]) -> None:
    output, site = changed
    expected = [q.url for q in site.questions] + [c.url for c in site.categories.values()]
    expected += [t.url for t in site.tags.values()] + [p.url for p in site.pages]
    expected += [p.url for p in site.people.values() if not p.is_anonymous]
    assert {url.split("/")[0] for url in expected} == {"q", "topics", "t", "people", "info"}
    for url in expected:
        assert (output / url / "index.html").is_file(), url
    assert not (output / "questions").exists() and not (output / "users").exists()
    assert not (output / "about").exists()
    assert sorted(p.name for p in (output / "categories").iterdir()) == ["index.html"]
    assert sorted(p.name for p in (output / "tags").iterdir()) == ["index.html"]


def test_every_link_resolves(changed: tuple[Path, Site]) -> None:
    output, site = changed
    redirect = f"/t/{SYNONYM}/"
    with serving(output) as base:
        result = crawl(base, aliases=[DEV_SITEURL], start=("/", "/sitemap.xml", "/404.html", redirect))
    assert result.broken == []
    reached = {url.removeprefix(base) for url in result.html_pages()}
    assert {f"/{q.url}" for q in site.questions} <= reached
    assert f"/t/{TAG}/" in reached  # the redirect's target


def test_feeds_link_to_the_new_addresses(changed: tuple[Path, Site]) -> None:
    output, site = changed
    question_urls = {f"{DEV_SITEURL}/{q.url}" for q in site.questions}
    feeds = {p.relative_to(output).as_posix(): etree.parse(p).getroot() for p in (output / "feeds").rglob("*.xml")}
    category = next(iter(site.categories.values()))
    assert f"feeds/categories/{category.slug}.atom.xml" in feeds
    alternate = feeds[f"feeds/categories/{category.slug}.atom.xml"].find(f"{ATOM}link[@rel='alternate']")
    assert alternate.get("href") == f"{DEV_SITEURL}/topics/{category.slug}/"
    alternate = feeds[f"feeds/tags/{TAG}.atom.xml"].find(f"{ATOM}link[@rel='alternate']")
    assert alternate.get("href") == f"{DEV_SITEURL}/t/{TAG}/"
    for name, feed in feeds.items():  # each feed's own id and self link are its address
        assert feed.find(f"{ATOM}id").text == f"{DEV_SITEURL}/{name}"
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{DEV_SITEURL}/{name}"
    entries = [entry for feed in feeds.values() for entry in feed.iter(f"{ATOM}entry")]
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href") in question_urls
        assert entry.find(f"{ATOM}id").text in question_urls


def test_sitemap_lists_the_new_addresses(changed: tuple[Path, Site]) -> None:
    output, site = changed
    locs = {loc.text for loc in etree.parse(output / "sitemap.xml").getroot().iter("{*}loc")}
    paths = {loc.removeprefix(f"{DEV_SITEURL}/") for loc in locs}
    assert {q.url for q in site.questions} <= paths
    assert {t.url for t in site.tags.values()} | {p.url for p in site.pages} <= paths
    old = [p for p in paths if p.startswith(("questions/", "users/", "about/", "categories/", "tags/"))]
    assert sorted(old) == ["categories/", "tags/"]
    assert all((output / path / "index.html").is_file() for path in paths)


def test_structured_data_uses_the_new_addresses(changed: tuple[Path, Site]) -> None:
    output, site = changed
    question = next(q for q in site.questions if q.answers)
    page = BeautifulSoup((output / question.url / "index.html").read_text(encoding="utf-8"), "lxml")
    data = [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]
    qa = next(d for d in data if d["@type"] == "QAPage")["mainEntity"]
    answers = ([qa["acceptedAnswer"]] if "acceptedAnswer" in qa else []) + qa.get("suggestedAnswer", [])
    assert [a["url"] for a in answers] == [f"{DEV_SITEURL}/q/{question.slug}/#{a.anchor}" for a in question.answers]
    people = [a["author"]["url"] for a in answers if "url" in a["author"]]
    assert people and all(url.startswith(f"{DEV_SITEURL}/people/") for url in people)
    crumbs = next(d for d in data if d["@type"] == "BreadcrumbList")["itemListElement"]
    assert [c["item"] for c in crumbs] == [
        f"{DEV_SITEURL}/",
        f"{DEV_SITEURL}/topics/{question.category.slug}/",
        f"{DEV_SITEURL}/q/{question.slug}/",
    ]
    assert page.find("link", rel="canonical")["href"] == f"{DEV_SITEURL}/q/{question.slug}/"


def test_tag_synonym_redirects_to_the_new_tag_address(changed: tuple[Path, Site]) -> None:
    output, _ = changed
    page = BeautifulSoup((output / "t" / SYNONYM / "index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url=/t/{TAG}/"
    assert page.find("link", rel="canonical")["href"] == f"{DEV_SITEURL}/t/{TAG}/"


def test_search_indexes_every_question_page(changed: tuple[Path, Site]) -> None:
    output, site = changed
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text())
    assert [language["page_count"] for language in entry["languages"].values()] == [len(site.questions)]
    fragments = [gzip.decompress(p.read_bytes()) for p in (output / "pagefind" / "fragment").iterdir()]
    assert all(f.startswith(b"pagefind_dcd") for f in fragments)
    urls = sorted(json.loads(f.removeprefix(b"pagefind_dcd"))["url"] for f in fragments)
    assert urls == sorted(f"/q/{q.slug}/" for q in site.questions)


# -- the rules: each bad pattern is named with its fix ------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"QA_QUESTION_URL": "q/"},
            "setting QA_QUESTION_URL = 'q/': must contain {slug} exactly once (like 'questions/{slug}/')",
        ),
        (
            {"QA_TAG_URL": "t/{slug}/{slug}/"},
            "setting QA_TAG_URL = 't/{slug}/{slug}/': must contain {slug} exactly once (like 'tags/{slug}/')",
        ),
        (
            {"QA_QUESTION_URL": "q/{slug}"},
            "setting QA_QUESTION_URL = 'q/{slug}': must end with '/': each page is saved as <address>index.html "
            "(write 'q/{slug}/')",
        ),
        (
            {"QA_USER_URL": "/people/{slug}/"},
            "setting QA_USER_URL = '/people/{slug}/': must be relative to the site, without a leading '/' "
            "(write 'people/{slug}/')",
        ),
        (
            {"QA_PAGE_URL": "https://example.org/{slug}/"},
            "setting QA_PAGE_URL = 'https://example.org/{slug}/': must be an address on this site, without a scheme "
            "or host (like '{slug}/')",
        ),
        (
            {"QA_PAGE_URL": "//example.org/{slug}/"},
            "setting QA_PAGE_URL = '//example.org/{slug}/': must be an address on this site, without a scheme "
            "or host (like '{slug}/')",
        ),
        (
            {"QA_CATEGORY_URL": "../{slug}/"},
            "setting QA_CATEGORY_URL = '../{slug}/': must not contain '..', empty folders ('//') or folders "
            "starting with '.' (like 'categories/{slug}/')",
        ),
        (
            {"QA_CATEGORY_URL": "a//{slug}/"},
            "setting QA_CATEGORY_URL = 'a//{slug}/': must not contain '..', empty folders ('//') or folders "
            "starting with '.' (like 'categories/{slug}/')",
        ),
        (
            {"QA_QUESTION_URL": "q\\{slug}\\"},
            "setting QA_QUESTION_URL = 'q\\\\{slug}\\\\': must separate folders with '/', not '\\' (write 'q/{slug}/')",
        ),
        (
            {"QA_QUESTION_URL": "Q&A/{slug}/"},
            "setting QA_QUESTION_URL = 'Q&A/{slug}/': may only contain lowercase letters, digits, '-', '_', '.', "
            "'~' and '/' besides {slug} (like 'questions/{slug}/')",
        ),
        (
            {"QA_CATEGORY_URL": "{slug}-{page}/"},
            "setting QA_CATEGORY_URL = '{slug}-{page}/': may only contain lowercase letters, digits, '-', '_', '.', "
            "'~' and '/' besides {slug} (like 'categories/{slug}/')",
        ),
        (
            {"QA_TAG_URL": "q/{slug}/", "QA_QUESTION_URL": "q/{slug}/"},
            "setting QA_TAG_URL = 'q/{slug}/': could give the same addresses as QA_QUESTION_URL = 'q/{slug}/' "
            "(give each kind a folder of its own, like 'tags/{slug}/')",
        ),
        (
            {"QA_USER_URL": "questions/people/{slug}/"},
            "setting QA_USER_URL = 'questions/people/{slug}/': could give the same addresses as "
            "QA_QUESTION_URL = 'questions/{slug}/' (give each kind a folder of its own, like 'users/{slug}/')",
        ),
        (
            {"QA_QUESTION_URL": "p-{slug}/x/", "QA_PAGE_URL": "p-{slug}/"},
            "setting QA_PAGE_URL = 'p-{slug}/': could give the same addresses as QA_QUESTION_URL = 'p-{slug}/x/' "
            "(give each kind a folder of its own, like '{slug}/')",
        ),
        (
            {"QA_USER_URL": "feeds/{slug}/"},
            "setting QA_USER_URL = 'feeds/{slug}/': would put pages inside the site's own feeds/ "
            "(use another folder, like 'users/{slug}/')",
        ),
        (
            {"QA_CATEGORY_URL": "search/{slug}/"},
            "setting QA_CATEGORY_URL = 'search/{slug}/': would put pages inside the site's own search/ "
            "(use another folder, like 'categories/{slug}/')",
        ),
        (
            {"QA_QUESTION_URL": "tags/q/{slug}/", "QA_TAG_URL": "t/{slug}/"},
            "setting QA_QUESTION_URL = 'tags/q/{slug}/': would put pages inside the site's own tags/ "
            "(use another folder, like 'questions/{slug}/')",
        ),
        (
            {"QA_PAGE_URL": "info/{slug}/", "QA_TAG_URL": "n{slug}/"},
            "setting QA_TAG_URL = 'n{slug}/': could take addresses the site uses: newest/ (start with a "
            "folder of its own, like 'tags/{slug}/')",
        ),
    ],
)
def test_bad_pattern_is_named_with_its_fix(overrides: dict[str, str], message: str) -> None:
    settings = load_settings(FIXTURES / "site" / "pelicanconf.py", overrides)
    assert check_settings(settings) == [message]


def test_the_defaults_and_the_documented_example_pass() -> None:
    for overrides in (
        {},
        {"QA_QUESTION_URL": "q/{slug}/"},
        PATTERNS,
        {"QA_QUESTION_URL": "q-{slug}/", "QA_PAGE_URL": "p/{slug}/"},
    ):
        assert check_settings(load_settings(FIXTURES / "site" / "pelicanconf.py", overrides)) == []


def test_bad_patterns_stop_build_and_check_naming_each(site_dir: Path, run_command) -> None:
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nQA_QUESTION_URL = "/q/{slug}/"\nQA_TAG_URL = "{slug}"\n')
    expected = (
        "error: setting QA_QUESTION_URL = '/q/{slug}/': must be relative to the site, without a leading '/' "
        "(write 'q/{slug}/'); setting QA_TAG_URL = '{slug}': must end with '/': each page is saved as "
        "<address>index.html (write '{slug}/')\n"
    )
    for command in ("check", "build"):
        assert run_command(command) == (1, expected)
    assert not (site_dir / "output").exists()


def test_reserved_page_names_follow_the_patterns(site_dir: Path, run_command) -> None:
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nQA_QUESTION_URL = "q/{slug}/"\n')
    (site_dir / "content" / "pages" / "q.md").write_text("---\ntitle: Q\n---\n\nText.\n")
    code, err = run_command("check")
    assert code == 1
    assert err.splitlines()[0] == (
        "content/pages/q.md:1: 'q' cannot be a page's URL slug (rename the file with lowercase letters, digits and "
        "hyphens, not one of: categories, contribute, feeds, help, newest, page, pagefind, q, review-due, search, "
        "tags, theme, unanswered, users, verification)"
    )
    assert Urls(page="info/{slug}/").reserved_slugs("page") == set()


def test_content_links_are_checked_against_the_new_addresses(site_dir: Path, run_command) -> None:
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text() + '\nQA_PAGE_URL = "info/{slug}/"\n')
    question = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/index.md"
    assert run_command("check") == (
        1,
        f"{question}:17: link to /about/ points at a page the site does not have (fix the address, or remove the "
        "link)\n1 problem found.\n",
    )


# -- the URL map itself ------------------------------------------------------------------------------


def test_each_kind_has_its_address_output_file_and_glob() -> None:
    urls = Urls(**{kind: pattern for kind, pattern in zip(KINDS, PATTERNS.values(), strict=True)})
    assert [urls.url(kind, "x") for kind in KINDS] == ["q/x/", "topics/x/", "t/x/", "people/x/", "info/x/"]
    assert [Urls().url(kind, "x") for kind in KINDS] == ["questions/x/", "categories/x/", "tags/x/", "users/x/", "x/"]
    assert urls.glob("question") == "q/*/index.html" and Urls().glob("page") == "*/index.html"
    assert Urls(tag="t/{slug}.html").glob("tag") == "t/*.html"


def test_feeds_live_in_the_fixed_feeds_folder_whatever_the_patterns() -> None:
    urls = Urls(category="topics/{slug}/", tag="t/{slug}/")
    assert urls.feed("category", "anxiety-and-stress") == "feeds/categories/anxiety-and-stress.atom.xml"
    assert urls.feed("tag", "sleep") == "feeds/tags/sleep.atom.xml"
    assert Urls.all_feed.startswith(Urls.feeds)
    with pytest.raises(KeyError):
        urls.feed("question", "x")


@pytest.mark.parametrize(
    ("pattern", "folder", "top"),
    [
        ("questions/{slug}/", "questions/", None),
        ("a/b-{slug}/c/", "a/", None),
        ("{slug}/", "", "tags"),
        ("p-{slug}/", "", None),
        ("{slug}-page/", "", None),
    ],
)
def test_folder_and_top_slug(pattern: str, folder: str, top: str | None) -> None:
    urls = Urls(page=pattern)
    assert urls.folder("page") == folder
    assert urls.top_slug("page", "tags") == top


def test_top_slug_reads_the_slug_out_of_a_top_level_name() -> None:
    assert Urls(page="p-{slug}/").top_slug("page", "p-about") == "about"
    assert Urls(page="{slug}-page/").top_slug("page", "help-page") == "help"
    assert Urls(page="{slug}/").top_slug("page", "sitemap.xml") is None  # not a possible slug


@pytest.mark.parametrize("pattern", ["questions/{slug}/", "q-{slug}.html", "{slug}/", "a/{slug}/b/", "{slug}"])
def test_slug_of_is_the_inverse_of_the_output_file(pattern: str) -> None:
    urls = Urls(question=pattern)
    for slug in ("x", "sleep-and-anxiety", "a1"):
        assert urls.slug_of("question", save_as(urls.url("question", slug))) == slug
    for name in ("index.html", "sitemap.xml", "tags/x/index.html", "questions/index.html", "", "q-.html"):
        found = urls.slug_of("question", name)  # None, or a slug whose page is that very file
        assert found is None or save_as(urls.url("question", found)) == name, name


def test_slug_of_names_no_slug_for_another_file() -> None:
    urls = Urls()
    assert urls.slug_of("question", "questions/x/index.html") == "x"
    for name in ("tags/x/index.html", "questions/index.html", "questions/sleep/index.md", "questions/x/", "index.html"):
        assert urls.slug_of("question", name) is None, name


def test_taken_names_are_the_fixed_addresses_and_the_other_kinds_folders() -> None:
    urls = Urls()
    fixed = {"newest", "unanswered", "search", "contribute", "help", "page", "feeds", "theme", "pagefind"}
    fixed |= {"404.html", "sitemap.xml", "robots.txt", "_headers", "llms.txt", "verification", "review-due"}
    assert urls.taken_names("page") == fixed | {"categories", "tags", "questions", "users"}
    assert urls.taken_names("category") == fixed | {"tags", "questions", "users"}  # categories/ is its own
    assert urls.taken_names("tag") == fixed | {"categories", "questions", "users"}


def test_reserved_slugs_are_the_names_a_top_level_pattern_would_take() -> None:
    expected = {"categories", "contribute", "feeds", "newest", "page", "pagefind", "questions", "search", "tags"}
    expected |= {"help", "theme", "unanswered", "users", "verification", "review-due"}
    assert Urls().reserved_slugs("page") == expected
    assert Urls(page="p-{slug}/").reserved_slugs("page") == set()
    assert Urls(page="{slug}-x/", question="q-x/{slug}/").reserved_slugs("page") == {"q"}
    for kind in ("question", "category", "tag", "user"):
        assert Urls().reserved_slugs(kind) == set()  # each has a folder of its own
    for slug in Urls().reserved_slugs("page"):
        assert Urls().url("page", slug).split("/")[0] in Urls().taken_names("page")


def test_every_fixed_address_is_reserved() -> None:
    """A fixed address added to Urls without a FIXED entry would let a page take its name."""
    addresses = {v for k, v in vars(Urls).items() if isinstance(v, str) and not k.startswith("_") and k not in KINDS}
    tops = {address.split("/")[0] for address in Urls.FIXED}
    assert {address.split("/")[0] for address in addresses if address} <= tops
    assert set(Urls.FIXED_PAGES) <= set(Urls.FIXED) | {Urls.home}
    assert all(page == "" or page.endswith("/") for page in Urls.FIXED_PAGES)


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("questions/x/", "questions/x/index.html"),
        ("", "index.html"),
        (Urls.all_feed, Urls.all_feed),
        ("404.html", "404.html"),
    ],
)
def test_save_as(url: str, file: str) -> None:
    assert save_as(url) == file


def test_absolute_addresses() -> None:
    assert absolute_base("") == DEV_SITEURL
    assert absolute_base("/faq") == DEV_SITEURL  # a path without a host: previews still need a host
    assert absolute_base("https://example.org/faq/") == "https://example.org/faq"
    assert absolute("https://example.org/faq", "questions/x/") == "https://example.org/faq/questions/x/"
    assert absolute("https://example.org", Urls.home) == "https://example.org/"


# -- nothing else spells an address -----------------------------------------------------------------

PLUGIN = Path(__file__).parent.parent / "plugins" / "qasite"
# (module, string): spelled like an address but not one.
NOT_ADDRESSES = {
    ("render/generator.py", "404.html"),  # the theme's template of that name
    ("content/prepare_cache.py", "questions/"),  # the content folder of questions (a results part per question folder)
}


def spelled_addresses(source: str) -> list[str]:
    """String constants (docstrings aside) that spell one of the site's addresses or its index file."""
    tokens = {v for k, v in vars(Urls).items() if isinstance(v, str) and v and not k.startswith("_") and k not in KINDS}
    tokens |= {Urls().folder(kind) for kind in KINDS} - {""}
    tokens |= {INDEX_FILE, ".atom.xml"}
    # A folder counts at the start of a path ('content/questions/' is the content folder), a file anywhere.
    before = {token: r"[\w./-]" if token.endswith("/") else r"[\w.-]" for token in tokens}
    spelled = re.compile("|".join(rf"(?<!{before[token]}){re.escape(token)}" for token in sorted(tokens)))
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(node) is not None
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        if spelled.search(node.value)
    ]


def test_spelled_addresses_are_found() -> None:
    source = (
        'def f():\n    """Docs may say questions/x/."""\n    return "questions/" + f"{x}/index.html", "robots.txt"\n'
    )
    assert sorted(spelled_addresses(source)) == ["/index.html", "questions/", "robots.txt"]
    assert spelled_addresses('x = "content/questions/<slug>/index.md"\ny = "https://se.example/users/1"') == []


def test_no_module_but_the_url_map_spells_an_address() -> None:
    found = []
    for path in sorted(PLUGIN.rglob("*.py")):
        module = path.relative_to(PLUGIN).as_posix()
        if module != "config/urls.py":
            spelled = spelled_addresses(path.read_text(encoding="utf-8"))
            found += [(module, text) for text in spelled if (module, text) not in NOT_ADDRESSES]
    assert found == []
