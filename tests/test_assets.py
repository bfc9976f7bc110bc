"""The theme's one stylesheet (render/assets.py): bundled from theme/css/site.css, named by its content hash."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from qasite.config.problems import BuildError
from qasite.render.assets import IMPORT, stylesheet

THEME = ROOT / "theme"
SOURCES = THEME / "css"


def imported_parts() -> list[str]:
    return IMPORT.findall((SOURCES / "site.css").read_text(encoding="utf-8"))


def test_every_page_links_one_stylesheet_named_by_its_hash_holding_every_part(built_site: Path) -> None:
    hrefs = set()
    for page in built_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        links = soup.find_all("link", rel="stylesheet")
        assert len(links) == 1 and not links[0].get("media"), page
        hrefs.add(links[0]["href"])
    [href] = hrefs
    match = re.fullmatch(r"/theme/css/site\.([0-9a-f]{10})\.css", href)
    assert match, href
    text = (built_site / href.lstrip("/")).read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode()).hexdigest()[:10] == match.group(1)
    for part in imported_parts():
        first_line = (SOURCES / part).read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith(f"/* {Path(part).name}: ") and first_line in text, part
    # The sources are not copied: the bundle is the only stylesheet of the theme in the output.
    assert [p.relative_to(built_site).as_posix() for p in (built_site / "theme").rglob("*.css")] == [href[1:]]


def test_site_css_lists_every_source_file_once() -> None:
    sources = {p.relative_to(SOURCES).as_posix() for p in SOURCES.rglob("*.css")} - {"site.css"}
    assert sorted(imported_parts()) == sorted(sources)
    assert imported_parts()[0] == "tokens.css" and imported_parts()[-1] == "print.css"


def test_breakpoints_are_named_once_in_tokens_and_expanded_in_the_bundle() -> None:
    sheet = stylesheet(THEME, "theme")
    assert sheet.breakpoints == {
        "--narrow": "(max-width: 29.99rem)",
        "--below-wide": "(max-width: 39.99rem)",
        "--wide": "(min-width: 40rem)",
        "--wider": "(min-width: 48rem)",
    }
    for part in imported_parts():
        assert not re.search(r"@media[^{]*\d", (SOURCES / part).read_text(encoding="utf-8")), part
    preludes = {p.strip() for p in re.findall(r"@media ([^{]+)\{", sheet.text)}
    assert "@custom-media" not in sheet.text and not any("--" in p for p in preludes)
    assert {p for p in preludes if "width" in p} == set(sheet.breakpoints.values())


def test_same_theme_same_name_changed_theme_new_name(tmp_path: Path) -> None:
    first, again = stylesheet(THEME, "theme"), stylesheet(THEME, "theme")
    assert (first.path, first.text) == (again.path, again.text)
    copy = tmp_path / "theme"
    shutil.copytree(THEME, copy)
    part = copy / "css" / "components" / "qa-row.css"
    part.write_text(part.read_text(encoding="utf-8") + "\n.qa-row { color: red; }\n", encoding="utf-8")
    changed = stylesheet(copy, "assets")
    assert changed.path.startswith("assets/css/site.") and changed.path != first.path.replace("theme/", "assets/")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('@import "../templates/base.html";', "theme stylesheet site.css: no part '../templates/base.html'"),
        ('@import "components/missing.css";', "theme stylesheet site.css: no part 'components/missing.css'"),
        ("@media (--huge) { p { margin: 0; } }", "theme stylesheet: unknown breakpoint --huge"),
    ],
)
def test_a_wrong_part_or_breakpoint_stops_the_build(tmp_path: Path, line: str, message: str) -> None:
    copy = tmp_path / "theme"
    shutil.copytree(THEME, copy)
    entry = copy / "css" / "site.css"
    entry.write_text(entry.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=re.escape(message)):
        stylesheet(copy, "theme")
