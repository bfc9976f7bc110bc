"""Quality gates on the built sites: the Nu HTML checker finds no error, axe-core no WCAG 2.2 AA violation."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import ROOT, serving

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "/",
    "/newest/",
    "/unanswered/",
    "/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/",
    "/questions/what-grounding-techniques-actually-work-during-a-panic-attack/",
    "/questions/why-does-grief-hit-harder-months-after-a-loss/",  # a content note: text and answers folded
    "/tags/",
    "/tags/anxiety/",
    "/categories/",
    "/categories/psychotherapists/",
    "/users/sam-rivera/",
    "/about/",
    "/contribute/",
    "/help/",
    "/questions/what-should-i-expect-in-the-first-few-weeks-on-an-ssri/",  # sensitive: the crisis notice
    "/search/",
    "/verification/",
    "/review-due/",
    "/no-such-page/",
]


def nu_errors(folder: Path) -> list[str]:
    """Every error the Nu HTML checker reports on the HTML files under ``folder``."""
    assert VNU.is_file(), "run `make test` (it installs the checkers with npm ci)"
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java: apt-get install default-jre-headless"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{m.get('url', '').rsplit(str(folder), 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_demo_site_html_is_valid(demo_output: Path) -> None:
    assert nu_errors(demo_output) == []


def test_fixture_site_html_is_valid(built_site: Path) -> None:
    assert nu_errors(built_site) == []


@pytest.fixture(scope="module")
def demo_url(demo_output: Path) -> Iterator[str]:
    with serving(demo_output) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations(browser: Browser, demo_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in PAGES:
        page.goto(demo_url + path, wait_until="networkidle")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.setdefault(path, []).append(f"{violation['id']}: {violation['help']} {targets}")
    context.close()
    assert found == {}
