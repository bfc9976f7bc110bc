"""Every validation failure, one fixture each, checked against the exact message editors see."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir())


def overlay(case: str, site: Path) -> None:
    """Copy the case's files over the valid fixture site."""
    shutil.copytree(FIXTURES / "invalid" / case, site, dirs_exist_ok=True)
    (site / "expected.txt").unlink()


def expected(case: str) -> str:
    lines = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join([*lines, f"{len(lines)} problem{'s' if len(lines) != 1 else ''} found."]) + "\n"


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
