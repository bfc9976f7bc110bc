"""One source per theme fragment: icons are files, search results come from the listing row's macros,
the scripts read the site's values from the qa-config block, templates spell no fixed address."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from conftest import ROOT
from qasite.config.urls import Urls
from qasite.render.client_config import HIGHLIGHT_PARAM, client_config
from qasite.render.filters import plural, signed, thousands
from qasite.tools.contribute import TITLE_PLACEHOLDER

TEMPLATES = ROOT / "theme/templates"
SCRIPTS = ROOT / "theme/static/js"
ICONS = TEMPLATES / "icons"


def scripts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in SCRIPTS.glob("*.js")}


def templates() -> dict[str, str]:
    return {
        path.relative_to(TEMPLATES).as_posix(): path.read_text(encoding="utf-8") for path in TEMPLATES.rglob("*.html")
    }


def test_scripts_build_no_row_markup_and_no_icon() -> None:
    """search.js fills the page's row templates: no SVG, no row or count classes, no signed() of its own."""
    for name, source in scripts().items():
        assert "<svg" not in source and "createElementNS" not in source, name
        assert not re.search(r"[\"'`](qa-row|qa-count|qa-votes)", source), f"{name} writes listing-row classes"
        assert not re.search(r"function signed\b", source), name


def test_scripts_take_shared_constants_from_the_config_block() -> None:
    """The ask title placeholder, the highlight parameter and the breakpoints are written in Python only."""
    constants = [TITLE_PLACEHOLDER, f'"{HIGHLIGHT_PARAM}"', "/pagefind/"]
    for name, source in scripts().items():
        found = [constant for constant in constants if constant in source]
        found += re.findall(r"\d+(?:\.\d+)?(?:rem|em|px)\b", source)  # widths: tokens.css names them
        assert found == [], f"{name} repeats {found}"
    for name, source in templates().items():
        assert "data-pagefind=" not in source and "data-ask-url" not in source, name


def test_icons_are_files_included_by_name() -> None:
    """Every inline SVG comes from icons/<name>.svg through the icon() macro, and every icon file is used."""
    outside = [name for name, source in templates().items() if "<svg" in source and name != "partials/icon.html"]
    assert outside == []
    used = {m for source in templates().values() for m in re.findall(r'icon\("([a-z-]+)"', source)}
    files = {path.stem for path in ICONS.glob("*.svg")}
    assert used == files
    for path in ICONS.glob("*.svg"):
        assert re.fullmatch(r'<svg viewBox="[0-9 ]+">.*</svg>\n?', path.read_text(encoding="utf-8"), re.S), path.name


def test_templates_spell_no_fixed_address() -> None:
    """Fixed addresses come from the URL map (qa_urls), counts through one filter."""
    literal = re.compile(r'SITEURL \}\}/(search|tags|categories|pagefind|contribute|theme/(?!css/))|SITEURL \}\}/"')
    for name, source in templates().items():
        assert not literal.search(source), f"{name}: {literal.search(source)}"
        assert '"{:,}".format' not in source, name


def skeleton(element: Tag) -> tuple[str, tuple[str, ...], list[object]]:
    """What CSS sees of an element: its name, classes and child elements; text and text slots
    (<span data-slot> without a class, which search.js replaces with text) left out."""
    children = [
        skeleton(child)
        for child in element.children
        if isinstance(child, Tag)
        and not (child.name == "span" and child.has_attr("data-slot") and "class" not in child.attrs)
    ]
    return element.name, tuple(element.get("class") or ()), children


def listing_rows(output: Path) -> list[Tag]:
    pages = [output / "index.html", output / "unanswered/index.html", output / "newest/index.html"]
    return [row for page in pages for row in BeautifulSoup(page.read_text(), "lxml").select("ol.qa-list > li.qa-row")]


def state_of(row: Tag) -> str:
    classes = row.select_one(".qa-count").get("class")
    return (
        "accepted" if "qa-count--accepted" in classes else "unanswered" if "qa-count--none" in classes else "answered"
    )


def test_search_row_templates_have_the_listing_rows_markup(demo_output: Path) -> None:
    """The search page holds a <template> per answer state whose stats column and title are the listing row's,
    element for element (the listing's views line aside): both come from the row() macro."""
    search = BeautifulSoup((demo_output / "search/index.html").read_text(), "lxml")
    row_templates = {t["data-search-row"]: t.select_one("li") for t in search.select("template[data-search-row]")}
    assert sorted(row_templates) == ["accepted", "answered", "unanswered"]
    examples = {state_of(row): row for row in listing_rows(demo_output)}
    assert sorted(examples) == sorted(row_templates)
    for state, template_row in row_templates.items():
        listing_row = examples[state]
        for views in listing_row.select(".qa-row__views"):
            views.decompose()
        assert template_row.get("class") == ["qa-row", "search-result"]
        for part in (".qa-row__stats", ".qa-row__title"):
            assert skeleton(template_row.select_one(part)) == skeleton(listing_row.select_one(part)), (state, part)
        assert template_row.select("[data-slot]") and not listing_row.select("[data-slot]")


def test_count_filters() -> None:
    """The filters every count in the theme goes through (votes, answers, views, questions, points)."""
    assert [thousands(n) for n in (0, 999, 12345, 1234567)] == ["0", "999", "12,345", "1,234,567"]
    assert [plural(n, "vote") for n in (-2, -1, 0, 1, 2)] == ["votes", "vote", "votes", "vote", "votes"]
    assert [signed(n) for n in (-3, 0, 12)] == ["-3", "0", "+12"]


def test_client_config_without_search_names_no_pagefind_module() -> None:
    with_search = client_config(
        siteurl="https://x.test/faq", urls=Urls(), ask_url="/contribute/", search=True, breakpoints={}
    )
    assert with_search["pagefind"] == "https://x.test/faq/pagefind/pagefind.js"
    assert with_search["pagefindHighlight"] == "https://x.test/faq/pagefind/pagefind-highlight.js"
    assert with_search["searchSorts"] == "https://x.test/faq/search/sorts.json"
    without = client_config(siteurl="", urls=Urls(), ask_url="/contribute/", search=False, breakpoints={})
    assert (without["pagefind"], without["pagefindHighlight"], without["searchSorts"]) == (None, None, None)
    assert without["askTitlePlaceholder"] == TITLE_PLACEHOLDER and without["highlightParam"] == HIGHLIGHT_PARAM
