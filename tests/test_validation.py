"""Every validation failure, one fixture each, checked against the exact message editors see."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES
from qasite.build.pipeline import run_cli

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


WARNING_CASES = sorted(p.name for p in (FIXTURES / "warnings").iterdir())


def overlay(case: str, site: Path, kind: str = "invalid") -> None:
    """Copy the case's files over the valid fixture site."""
    shutil.copytree(FIXTURES / kind / case, site, dirs_exist_ok=True)
    (site / "expected.txt").unlink()


def expected(case: str, kind: str = "invalid") -> str:
    lines = (FIXTURES / kind / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    word = "problem" if kind == "invalid" else "warning"
    return "\n".join([*lines, f"{len(lines)} {word}{'s' if len(lines) != 1 else ''} found."]) + "\n"


def test_fixture_site_is_valid(run_command) -> None:
    assert run_command("check") == (0, "")


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exact_message(case: str, site_dir: Path, run_command) -> None:
    overlay(case, site_dir)
    assert run_command("check") == (1, expected(case))


@pytest.mark.parametrize("case", ["unknown-category", "two-accepted", "bad-utf8"])
def test_failed_build_exits_1_and_publishes_nothing(case: str, site_dir: Path, run_command) -> None:
    overlay(case, site_dir)
    assert run_command("build") == (1, expected(case))
    assert not (site_dir / "output").exists()
    assert not (site_dir / "output.staging").exists()


def test_failed_build_keeps_last_good_site(site_dir: Path, run_command) -> None:
    assert run_command("build")[0] == 0
    before = {p: p.read_bytes() for p in (site_dir / "output").rglob("*") if p.is_file()}
    overlay("bad-yaml", site_dir)
    assert run_command("build")[0] == 1
    after = {p: p.read_bytes() for p in (site_dir / "output").rglob("*") if p.is_file()}
    assert after == before


def test_all_problems_reported_at_once(site_dir: Path, run_command) -> None:
    cases = ["unknown-author", "bad-utf8", "answer-before-question", "person-bad-points", "unexpected-file"]
    report_lines = []
    for case in cases:
        shutil.copytree(FIXTURES / "invalid" / case / "content", site_dir / "content", dirs_exist_ok=True)
        report_lines += (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    code, err = run_command("check")
    assert code == 1
    # unknown-author and bad-utf8 both write new-question/index.md: the later copy wins.
    report_lines.remove(expected("unknown-author").splitlines()[0])
    assert err.splitlines() == [*sorted(report_lines), f"{len(report_lines)} problems found."]


@pytest.mark.parametrize("case", WARNING_CASES)
def test_check_warns_but_passes(case: str, site_dir: Path, run_command) -> None:
    overlay(case, site_dir, "warnings")
    assert run_command("check") == (0, expected(case, "warnings"))


@pytest.mark.parametrize("case", WARNING_CASES)
def test_strict_build_fails_on_warnings(case: str, site_dir: Path, capsys) -> None:
    overlay(case, site_dir, "warnings")
    assert run_cli("build", site_dir / "pelicanconf.py", strict=True) == 1
    assert capsys.readouterr().err == expected(case, "warnings")
    assert not (site_dir / "output").exists()


def test_tag_synonyms_are_rewritten_and_redirect(site_dir: Path, run_command) -> None:
    (site_dir / "content" / "tags.yml").write_text("therapy:\n  synonyms: [psychotherapy, counselling]\n")
    index = site_dir / "content/questions/is-group-therapy-worth-it/index.md"
    index.write_text(index.read_text().replace("tags: [therapy]", "tags: [Psychotherapy, therapy]"))
    assert run_command("build") == (0, "")
    output = site_dir / "output"
    page = BeautifulSoup((output / "questions/is-group-therapy-worth-it/index.html").read_text(), "lxml")
    assert [a.get_text(strip=True) for a in page.select(".qa-question a[href^='/tags/']")] == ["therapy"]
    redirect = BeautifulSoup((output / "tags/psychotherapy/index.html").read_text(), "lxml")
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/tags/therapy/"
    assert redirect.find("link", rel="canonical")["href"].endswith("/tags/therapy/")
