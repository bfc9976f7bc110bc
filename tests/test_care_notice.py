"""The footer's care notice (QA_MEDICAL_NOTICE): on every page, question pages included, as plain
text; "" or None turns it off; anything else but text is a settings error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import copy_site
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import DEFAULTS, REQUIRED_PELICAN, check_settings

DEFAULT = "Not a substitute for professional care. In a crisis, call or text your local emergency number."
QUESTIONS = ["questions/is-group-therapy-worth-it/index.html", "questions/how-do-i-stop-worrying-at-night/index.html"]


def notices(tmp_path: Path, overrides: dict[str, Any]) -> dict[str, list[BeautifulSoup]]:
    """Each HTML page of the fixture site built with ``overrides``: its footer notices."""
    output = build(settings=load_settings(copy_site(tmp_path / "site"), {"QA_SEARCH": False, **overrides}))
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    found = {}
    for page in pages:
        soup = BeautifulSoup(page.read_bytes(), "lxml")
        found[page.relative_to(output).as_posix()] = soup.select("footer.site-footer .site-footer__notice")
    return found


def test_the_default_notice_is_on_every_page(tmp_path: Path) -> None:
    assert DEFAULTS["QA_MEDICAL_NOTICE"] == DEFAULT
    found = notices(tmp_path, {})
    assert {url: [n.get_text() for n in ns] for url, ns in found.items()} == {url: [DEFAULT] for url in found}
    assert set(QUESTIONS) <= set(found)


def test_the_notice_is_plain_text(tmp_path: Path) -> None:
    text = 'See <a href="https://example.org">a doctor</a> & <script>x</script>'
    found = notices(tmp_path, {"QA_MEDICAL_NOTICE": text})
    for url in QUESTIONS:
        [notice] = found[url]
        assert notice.get_text() == text
        assert notice.find_all(True) == []  # no element: the markup is text


@pytest.mark.parametrize("off", ["", None])
def test_an_empty_notice_is_off(tmp_path: Path, off: str | None) -> None:
    found = notices(tmp_path, {"QA_MEDICAL_NOTICE": off})
    assert {url: ns for url, ns in found.items() if ns} == {}


def test_a_notice_that_is_not_text_is_named() -> None:
    bad = {**REQUIRED_PELICAN, "QA_MEDICAL_NOTICE": ["no"]}
    assert check_settings(bad) == ["setting QA_MEDICAL_NOTICE must be a str, got ['no']"]
    assert check_settings({**REQUIRED_PELICAN, "QA_MEDICAL_NOTICE": None}) == []
