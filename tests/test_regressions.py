"""Regression tests for bugs the property tests (tests/test_properties.py) found, each with the exact message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from qasite.build.pipeline import run_cli


def test_unexpected_error_is_one_line_and_traceback_only_when_verbose(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theme = site_dir.parent / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "question.html").write_text("{% block content %}{{ question.title(1) }}{% endblock %}")
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text().replace(f'THEME = "{ROOT / "theme"}"', f'THEME = "{theme}"'))
    assert run_cli("build", conf, {"QA_SEARCH": False}) == 1
    assert capsys.readouterr().err == (
        "internal error: TypeError: 'str' object is not callable (this is a bug in qasite, not in your content: "
        "please report it with the output of 'python -m qasite build --verbose')\n"
    )
    assert run_cli("build", conf, {"QA_SEARCH": False}, verbose=True) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith(
        "TypeError: 'str' object is not callable\ninternal error: TypeError: 'str' object is not callable"
        " (this is a bug in qasite, not in your content: please report it with the output of "
        "'python -m qasite build --verbose')\n"
    )
    assert not (site_dir / "output").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("X = (\n", "SyntaxError: '(' was never closed (pelicanconf.py, line {line})"),
        ("Y = 1 / 0\n", "ZeroDivisionError: division by zero"),
    ],
    ids=["syntax-error", "exception"],
)
def test_a_broken_settings_file_names_its_line_not_a_qasite_bug(
    site_dir: Path, capsys: pytest.CaptureFixture[str], extra: str, message: str
) -> None:
    conf = site_dir / "pelicanconf.py"
    line = len(conf.read_text().splitlines()) + 1
    conf.write_text(conf.read_text() + extra)
    assert run_cli("build", conf) == 1
    assert capsys.readouterr().err == (
        f"error: {conf}:{line}: the settings file cannot be read ({message.format(line=line)}) "
        "(fix that line of the file)\n"
    )


GROUP = "content/questions/is-group-therapy-worth-it/index.md"


def test_impossible_yaml_dates_are_field_problems(site_dir: Path, run_command) -> None:
    path = site_dir / GROUP
    text = path.read_text().replace("date: 2023-02-01", "date: 2023-02-30\nedited: 2023-03-01T10:00:00+99:00")
    path.write_text(text)
    assert run_command("check") == (
        1,
        f"{GROUP}:3: date: '2023-02-30' is not a date (write an ISO date like 2023-06-28 or 2023-06-28T14:05:00)\n"
        f"{GROUP}:4: edited: '2023-03-01T10:00:00+99:00' is not a date "
        "(write an ISO date like 2023-06-28 or 2023-06-28T14:05:00)\n"
        "2 problems found.\n",
    )


def test_problem_lines_escape_line_breaks_and_controls(site_dir: Path, run_command) -> None:
    """A name with a line break, an escape code or a bidi override stays on its one problem line, visibly."""
    content = site_dir / "content"
    shutil.copytree(content / "questions" / "is-group-therapy-worth-it", content / "questions" / "group\rtherapy")
    people = content / "people.yml"
    people.write_text(people.read_text() + '"ada\\u2029\\x1b[31m\\u202eevil":\n  name: Ada\n')
    assert run_command("check") == (
        1,
        "content/people.yml:12: ada\\u2029\\x1b[31m\\u202eevil: handle 'ada\\u2029\\x1b[31m\\u202eevil' has characters "
        "other than lowercase letters, digits and single hyphens (rename the handle to 'ada-31m-evil')\n"
        "content/questions/group\\rtherapy:1: folder name 'group\\rtherapy' has characters other than lowercase "
        "letters, digits and single hyphens (rename the folder to 'group-therapy')\n"
        "2 problems found.\n",
    )


def test_control_character_in_front_matter_is_a_problem(site_dir: Path, run_command) -> None:
    path = site_dir / GROUP
    path.write_text(path.read_text().replace("category: Psychotherapists", "category: Psycho\x7ftherapists"))
    assert run_command("check") == (
        1,
        f"{GROUP}:4: invalid YAML: character U+007F is not allowed "
        '(delete it (it may be invisible in your editor), or write it as an escape like "\\x1b" in double quotes)\n'
        "1 problem found.\n",
    )


def test_numbers_too_long_and_offsets_with_seconds(site_dir: Path, run_command) -> None:
    """A whole number of more than 100 digits (even hexadecimal) stays text; so does a date (even in a list)
    PyYAML cannot read (a UTC offset with seconds), which the date check then reads itself."""
    path = site_dir / GROUP
    huge = "0x" + "f" * 120
    text = path.read_text().replace("votes: -1", f"votes: -1\nviews: {huge}\nedited: 2023-03-01 10:00:00-05:00:30")
    path.write_text(text.replace("tags: [therapy]", "tags: [therapy, 2023-02-30]"))
    assert run_command("check") == (
        1,
        f"{GROUP}:7: views: '{huge}' is not a whole number (write a number like 12 or -3)\n1 problem found.\n",
    )


def test_tag_description_is_shown_on_the_tag_page(site_dir: Path, run_command) -> None:
    """content/tags.yml documents 'description: Shown on the tag's page.': it was read and dropped."""
    (site_dir / "content" / "tags.yml").write_text('therapy:\n  description: "Talking <b>treatments</b> & more."\n')
    assert run_command("build") == (0, "")
    page = site_dir / "output" / "tags" / "therapy" / "index.html"
    description = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(".qa-listing__description")
    assert description.get_text() == "Talking <b>treatments</b> & more."
    assert description.find("b") is None


def test_explicit_yaml_tags_that_do_not_fit_stay_text(site_dir: Path, run_command) -> None:
    path = site_dir / GROUP
    path.write_text(path.read_text().replace("votes: -1", "votes: !!float x\nviews: !!bool maybe"))
    assert run_command("check") == (
        1,
        f"{GROUP}:6: votes: 'x' is not a whole number (write a number like 12 or -3)\n"
        f"{GROUP}:7: views: 'maybe' is not a whole number (write a number like 12 or -3)\n"
        "2 problems found.\n",
    )
