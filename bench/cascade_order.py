"""Prove a reorganisation of the theme's CSS kept the cascade: no two rules that compete changed order.

    python bench/cascade_order.py OLD_OUTPUT NEW_OUTPUT

OLD_OUTPUT and NEW_OUTPUT are two builds of the same content (e.g. the demo site from
``bench/same_output.py``'s baseline and from the changed code). Every page of OLD_OUTPUT is opened in
Chromium with its own stylesheets, then the search page with results, all tags shown, and with no
result; in each, ``cascade_order.js`` compares the old cascade with the CSS NEW_OUTPUT's home page
links. Where screenshots (``bench/screens.py``) show eight pages in their resting state, this covers
every page, hover, focus and :target states, every width and print. Exit 1 if any pair changed order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup
from playwright.sync_api import Page

from screens import chromium, serving

CHECK = (Path(__file__).parent / "cascade_order.js").read_text(encoding="utf-8")
SEARCH = "/search/#q=anxiety"
NO_RESULT = "/search/#q=zzqqxxnothing"


def linked_css(output: Path) -> str:
    """The text of the stylesheets the home page of ``output`` links, in order."""
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "lxml")
    return "\n".join(
        (output / link["href"].lstrip("/")).read_text(encoding="utf-8")
        for link in soup.find_all("link", rel="stylesheet")
    )


def pages(output: Path) -> list[str]:
    """The path of every HTML page of ``output`` but Pagefind's."""
    found = (p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    return ["/" + p.removesuffix("index.html") for p in sorted(found) if not p.startswith("pagefind/")]


def states(tab: Page, base: str, paths: list[str]) -> Iterator[str]:
    """Open each state to check in turn; yield its name once it is ready."""
    for path in paths:
        tab.goto(base + path, wait_until="networkidle")
        yield path
    tab.goto(base + SEARCH, wait_until="networkidle")
    tab.wait_for_selector("[data-search-results] > li")
    tab.wait_for_load_state("networkidle")
    yield SEARCH
    toggle = tab.locator(".search-facet__toggle")
    if toggle.count():
        toggle.first.click()
        yield SEARCH + " (all tags)"
    tab.goto(base + NO_RESULT, wait_until="networkidle")
    tab.wait_for_selector("[data-search-empty]:not([hidden])")
    yield NO_RESULT


def main() -> None:
    """CLI: check every page; print each swapped pair once."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    new_css = linked_css(args.new)
    problems: dict[str, str] = {}
    pairs = 0
    with serving(args.old) as base, chromium() as browser:
        tab = browser.new_page()
        for state in states(tab, base, pages(args.old)):
            result = tab.evaluate(CHECK, new_css)
            pairs += result["pairs"]
            for problem in result["problems"]:
                problems.setdefault(problem, state)
    for problem, state in problems.items():
        print(f"{state}: {problem}")
    checked = f"{pairs} competing pairs checked"
    print(f"{len(problems)} pairs swapped ({checked})" if problems else f"cascade order kept ({checked})")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
