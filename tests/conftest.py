"""Shared fixtures: a fresh copy of the small fixture site for each test."""

from __future__ import annotations

import os

# What a command prints must not depend on how busy the machine is: no progress display in the tests
# (tests/test_progress.py turns it on where it is the subject). Set before qasite is imported.
os.environ["QASITE_PROGRESS"] = "off"

import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from qasite.build import outputdir
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.tools.serve import make_server

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
sys.path.append(str(ROOT / "bench"))  # the browser the benchmarks drive, with the same flags

from chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402


def copy_site(target: Path, fixture: str = "site") -> Path:
    """Copy tests/fixtures/<fixture> to ``target``, its theme pointing at the repo theme; return its pelicanconf.py."""
    shutil.copytree(FIXTURES / fixture, target)
    conf = target / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('THEME = "../../../theme"', f'THEME = "{ROOT / "theme"}"'))
    with conf.open("a") as settings:  # check's cache beside the copy, not in the folder the tests run in
        settings.write(f"QA_CACHE_PATH = {str(target.parent / 'qasite-cache')!r}\n")
    return conf


REPO_PARTS = [
    "content",
    "theme",
    "plugins",
    "docs",
    ".github",
    "bench",
    "tasks.py",
    "pelicanconf.py",
    "publishconf.py",
    "CONTRIBUTING.md",
    "pyproject.toml",
]
REPO_TODAY = "2026-11-26"  # the date the copied repository's checks count from (QA_TODAY)
REPO_IGNORED = shutil.ignore_patterns("__pycache__", ".work", "results", "node_modules")


def gone_but_old(folder: Path, output: str = "output") -> list[str]:
    """The names in ``folder`` once its ``<output>.old-*`` folders (deleted in the background) have gone."""
    for _ in range(600):
        names = sorted(p.name for p in folder.iterdir())
        if not any(name.startswith(output + outputdir.OLD) for name in names):
            break
        time.sleep(0.1)
    return names


def copy_repo(target: Path) -> Path:
    """Copy what the invoke tasks need (site, tasks, plugin, theme, docs; no .venv) to ``target``; return it."""
    target.mkdir(parents=True)
    for name in REPO_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=REPO_IGNORED)
        else:
            shutil.copy2(source, target / name)
    with (target / "pelicanconf.py").open("a") as conf:  # dated checks (helplines.yml) never use the real date
        conf.write(f"QA_TODAY = {REPO_TODAY!r}\n")
    return target


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/site, its theme pointing at the repo theme."""
    target = tmp_path / "site"
    copy_site(target)
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
    conf = copy_site(tmp_path_factory.mktemp("built") / "site")
    return build(settings=load_settings(conf))


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site (content/ with pelicanconf.py) built once per session."""
    output = tmp_path_factory.mktemp("demo") / "output"
    cache = output.parent / "qasite-cache"  # never the repository's .cache/qasite
    return build(
        settings=load_settings(ROOT / "pelicanconf.py", {"OUTPUT_PATH": str(output), "QA_CACHE_PATH": str(cache)})
    )


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port; yield its base URL."""
    server = make_server(folder, host="127.0.0.1", port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built fixture site, served on loopback."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    executable = find_chromium()
    assert executable, "Chromium is needed for browser tests: apt-get install chromium (make test does this)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def hostile_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus (tests/fixtures/hostile) built once per session, search on (read-only for tests)."""
    conf = copy_site(tmp_path_factory.mktemp("hostile") / "site", "hostile")
    return build(settings=load_settings(conf, {"QA_SEARCH": True}))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab; the test fails if any script on it threw."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []
