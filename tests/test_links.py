"""Every internal link and #anchor resolves, crawled over a loopback server (tests/crawl.py):
the demo site, and a site with the whole Stack Exchange sample imported."""

from __future__ import annotations

from pathlib import Path

from crawl import crawl

from conftest import FIXTURES, serving
from qasite.build.pipeline import build, load_settings
from qasite.config.urls import DEV_SITEURL, Urls
from qasite.importers import run_import

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/missing.css"><script src="gone.js"></script>
<meta http-equiv="refresh" content="5; URL='/nowhere/'">
</head><body id="top">
<a href="/ok/">fine</a> <a href="/ok/#here">anchor</a> <a href="/ok/#named">a name</a>
<a href="/ok/#caf%C3%A9">encoded</a> <a href="/ok/#there">missing anchor</a> <a href="#">empty fragment</a>
<a href="/ok/#top">top</a> <a href="#top">own top</a> <a href="/style.css#x">fragment on a file</a>
<a href="/no/">missing page</a> <a href="https://example.org/x">other site</a>
<a href="http://site.test/no-alias/">alias</a> <a href="http://site.test/ok/">alias ok</a>
<img src="/ok/pic.png" srcset="/ok/pic.png 1x, /big.png 2x"> <form action="/find/"></form>
<script type="application/json" id="qa-config">{"pagefind": "/pf.js", "pagefindHighlight": null}</script>
</body></html>"""
OK = '<!doctype html><meta charset="utf-8"><p id="here">x</p><a name="named"></a><p id="café"></p><a href="../">up</a>'


def test_crawler_reports_every_kind_of_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "index.html").write_text(OK, encoding="utf-8")
    (tmp_path / "ok" / "pic.png").write_bytes(b"\x89PNG")
    (tmp_path / "style.css").write_text("p {}")
    with serving(tmp_path) as base:
        result = crawl(base, aliases=["http://site.test"], start=["/"])
    assert sorted(result.broken) == sorted(
        [
            "/ -> /missing.css: HTTP 404",
            "/ -> gone.js: HTTP 404",
            "/ -> /nowhere/: HTTP 404",
            "/ -> /ok/#there: no element with id 'there' on the page",
            "/ -> #: no element with id '' on the page",
            "/ -> /ok/#top: no element with id 'top' on the page",
            "/ -> /style.css#x: a #fragment on a text/css file",
            "/ -> /no/: HTTP 404",
            "/ -> http://site.test/no-alias/: HTTP 404",
            "/ -> /big.png: HTTP 404",
            "/ -> /find/: HTTP 404",
            "/ -> /pf.js: HTTP 404",
        ]
    )
    assert result.html_pages() == [f"{base}/", f"{base}/ok/"]


def test_demo_site_links_and_anchors_resolve(demo_output: Path) -> None:
    with serving(demo_output) as base:
        result = crawl(base, aliases=[DEV_SITEURL])
    assert result.broken == []
    reached = {url.removeprefix(base + "/") for url in result.html_pages()}
    built = {p.relative_to(demo_output).as_posix().removesuffix("index.html") for p in demo_output.rglob("*.html")}
    # Every page is reachable by a link (or is the 404 page, crawled too), except the editors' review list,
    # which nothing links to on purpose.
    assert built - {Urls.review_due} == reached


def test_stackexchange_sample_site_links_and_anchors_resolve(site_dir: Path) -> None:
    """The whole conlang.meta sample (tests/fixtures/importers/stackexchange) imported and built."""
    report = run_import(
        "stackexchange",
        FIXTURES / "importers" / "stackexchange",
        site_dir / "content",
        category="Meta",
        site_url="https://conlang.meta.stackexchange.com",
    )
    assert (report.questions, report.answers) == (54, 115)
    output = build(settings=load_settings(site_dir / "pelicanconf.py"))
    with serving(output) as base:
        result = crawl(base, aliases=[DEV_SITEURL])
    assert result.broken == []
    questions = [url for url in result.html_pages() if url.startswith(f"{base}/questions/")]
    assert len(questions) == 54 + 3


def test_site_under_a_path_links_resolve(site_dir: Path, tmp_path: Path) -> None:
    """A site published under a path (GitHub Pages project sites: https://org.github.io/faq/): the
    content's own site-absolute links ('/about/') follow it."""
    output = tmp_path / "host" / "faq"
    settings = load_settings(
        site_dir / "pelicanconf.py", {"SITEURL": "https://faq.example.net/faq", "OUTPUT_PATH": str(output)}
    )
    build(settings=settings)
    start = ("/faq/", "/faq/sitemap.xml", "/faq/404.html", "/faq/no/such/page/")
    with serving(output.parent) as base:
        result = crawl(base, aliases=["https://faq.example.net"], start=start)
    assert result.broken == []
    assert f"{base}/faq/about/" in result.html_pages()
