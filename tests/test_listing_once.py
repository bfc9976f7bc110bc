"""listing.html's parts rendered once per listing (its breadcrumbs and heading: ``qa_once``) equal them rendered afresh.

The heading (title, description, total, tabs) is keyed by the values it shows and by the tabs list, one object per
listing (``listings.paginate``); the breadcrumbs by the crumbs list, one per listing (``listing_pages``). Pages that
share the tabs list and differ in one value the heading shows must still differ: a key that leaves a value out
fails here. The demo site, paginated two questions a page, is built with the cache and without it.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment
from test_once import NAV, both_ways
from test_rows import environment

from conftest import ROOT
from qasite.config.urls import Urls
from qasite.content.model import Category, Person, Question
from qasite.render import listings, rows
from qasite.render.once import uncached

SEED = 20261127
CATEGORY = Category(name="Work", slug="work", description="", order=1, url="categories/work/")
PERSON = Person(handle="sam", name="Sam", url="users/sam/")


def _questions(count: int) -> list[Question]:
    return [
        Question(
            slug=f"q{n}",
            title=f"Question {n}",
            date=dt.datetime(2024, 1, 1 + n % 28, tzinfo=dt.UTC),
            category=CATEGORY,
            tags=[],
            votes=n,
            author=PERSON,
            status="published",
            source_path=f"questions/q{n}/index.md",
            url=f"questions/q{n}/",
        )
        for n in range(count)
    ]


def _page(env: Environment, listing: listings.Listing, crumbs: Any) -> str:
    """listing.html for one page, with what base.html reads besides the listing (a build's context, cut down)."""
    context = {
        "SITENAME": "Site",
        "QA_SITE_DESCRIPTION": "About",
        "DEFAULT_LANG": "en",
        "QA_NAV": NAV,
        "QA_SEARCH": True,
        "pages": [],
        "qa_urls": Urls(),
        "qa_config": {},
        "qa_stylesheet": "theme/site.css",
        "output_file": listing.url + "index.html",
        "listing": listing,
        "breadcrumbs": crumbs,
    }
    return env.get_template("listing.html").render(context)


def _listings(rng: random.Random, questions: list[Question]) -> list[tuple[listings.Listing, Any]]:
    """Pages of listings that share one tabs list and one crumbs list, each listing differing from the last in one
    value its heading or breadcrumbs show (the worst case for a key: the identities equal)."""
    made: list[tuple[listings.Listing, Any]] = []
    title, description, count, crumbs = "Top", "<p>About</p>", 7, [("Home", ""), ("Tags", None)]
    tabs = listings.paginate([], base="", per_page=3, title="", tabs=listings.HOME_TABS)[0].tabs
    for _ in range(40):
        change = rng.choice(["title", "description", "total", "crumbs", "tabs"])
        if change == "title":
            title = f"Title <{rng.randrange(1000)}>"
        elif change == "description":
            description = rng.choice([None, f"<p>Described {rng.randrange(1000)}</p>"])
        elif change == "total":
            count = rng.randrange(1, 10)
        elif change == "crumbs":
            crumbs = [("Home", ""), (f"Crumb {rng.randrange(1000)}", None)]
        else:
            base = rng.choice([url for _, url in listings.HOME_TABS])
            tabs = listings.paginate([], base=base, per_page=3, title="", tabs=listings.HOME_TABS)[0].tabs
        for page in listings.paginate(questions[:count], base="x/", per_page=3, title=title, description_html=None):
            page.description_html, page.tabs = description, tabs  # shared with the listing before, but for the change
            made.append((page, crumbs))
    return made


def test_listing_parts_kept_equal_parts_rendered_afresh() -> None:
    rng = random.Random(SEED)
    cached, fresh = environment(), environment()
    fresh.globals["qa_once"] = uncached
    for env in (cached, fresh):
        env.filters["memo"] = rows.memo_filter(env)
    pages = _listings(rng, _questions(9))
    seen = {_page(fresh, listing, crumbs) for listing, crumbs in pages}
    assert len(seen) > 30, "the pages should differ"
    for number, (listing, crumbs) in enumerate(pages):
        assert _page(cached, listing, crumbs) == _page(fresh, listing, crumbs), number


def test_a_listings_pages_share_their_tabs() -> None:
    pages = listings.paginate(_questions(7), base=Urls.newest, per_page=3, title="Newest", tabs=listings.HOME_TABS)
    assert len(pages) == 3 and all(page.tabs is pages[0].tabs for page in pages)
    assert [tab.current for tab in pages[0].tabs] == [False, True, False]


def test_demo_paginated_byte_identical_without_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    overrides = {"QA_SEARCH": False, "QA_NAV": NAV, "QA_PER_PAGE": 2}  # every listing of two or more pages
    assert both_ways(monkeypatch, ROOT / "pelicanconf.py", tmp_path, overrides) == []
