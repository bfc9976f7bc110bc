"""Shared fixtures: a fresh copy of the small fixture site for each test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from qasite.build import build, load_settings, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/site, its theme pointing at the repo theme."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", target)
    conf = target / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('THEME = "../../../theme"', f'THEME = "{ROOT / "theme"}"'))
    return target


@pytest.fixture
def run_command(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> Callable[[str], tuple[int, str]]:
    """Run `check` or `build` on the fixture copy as the CLI does; return (exit code, stderr)."""

    def run(command: str) -> tuple[int, str]:
        code = run_cli(command, site_dir / "pelicanconf.py")
        return code, capsys.readouterr().err

    return run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once per session (read-only for tests)."""
    target = tmp_path_factory.mktemp("built") / "site"
    shutil.copytree(FIXTURES / "site", target)
    conf = target / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('THEME = "../../../theme"', f'THEME = "{ROOT / "theme"}"'))
    return build(settings=load_settings(conf))


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (content/ with pelicanconf.py) built once per session."""
    output = tmp_path_factory.mktemp("demo") / "output"
    return build(settings=load_settings(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output)}))
