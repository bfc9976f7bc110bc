"""Regression tests for bugs the property tests (tests/test_properties.py) found, each with the exact message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from qasite.build import run_cli


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
