"""Progress: the phases of a long build with counts, live on a terminal, one line each elsewhere, nothing when short."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pelican
import pytest

from conftest import FIXTURES, ROOT, copy_site
from qasite.build import progress
from qasite.build.parallel import run_forked
from qasite.build.pipeline import build, check_content, load_settings, run_cli

# The fixture site: 12 content files read, 9 Markdown texts (3 questions, 4 answers, 1 draft, 1 page), 3 published.
PHASE_LINES = [
    r"reading: 12 files in \d+\.\d s",
    r"rendering: 9 Markdown texts in \d+\.\d s",
    r"rendering: 3 question bodies for the search in \d+\.\d s",  # before any page (render/question_pages.py)
    r"relating: 3 questions in \d+\.\d s",
    r"writing: 3 question pages in \d+\.\d s",
    r"indexing: 3 pages in \d+\.\d s",
]


def _build(site_dir: Path) -> Path:
    return build(settings=load_settings(site_dir / "pelicanconf.py"))


def test_terminal_shows_live_bars_with_counts_then_one_line_per_phase(site_dir: Path) -> None:
    stream = io.StringIO()
    with progress.shown(stream, delay=0, refresh=0, terminal=True):
        _build(site_dir)
    shown = stream.getvalue()
    assert "\x1b[" in shown  # drawn in place: cursor and colour codes
    screens = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", part) for part in re.split(r"\r", shown)]
    bars = ("reading .* 12/12 files", "rendering .* 9/9 Markdown texts", "rendering .* 3/3 question bodies")
    for bar in (*bars, "writing .* 3/3 question pages"):
        assert any(re.match(bar, line) for screen in screens for line in screen.splitlines()), bar  # beside indexing
    assert any(re.match(r"indexing .* 3 pages", screen) for screen in screens)
    finished = [line for screen in screens for line in screen.splitlines() if ": " in line]
    assert all(re.fullmatch(p, line) for p, line in zip(PHASE_LINES, finished, strict=True))


def test_off_a_terminal_each_phase_is_one_line(site_dir: Path) -> None:
    stream = io.StringIO()
    with progress.shown(stream, delay=0, terminal=False):
        _build(site_dir)
    lines = stream.getvalue().splitlines()
    assert len(lines) == len(PHASE_LINES)
    assert all(re.fullmatch(p, line) for p, line in zip(PHASE_LINES, lines, strict=True)), lines


def test_check_reads_parses_and_compares(site_dir: Path) -> None:
    stream = io.StringIO()
    with progress.shown(stream, delay=0, terminal=False):
        assert check_content(settings=load_settings(site_dir / "pelicanconf.py")) == []
    parsing = PHASE_LINES[1].replace("rendering", "parsing")  # check parses Markdown, it does not render it
    patterns = [PHASE_LINES[0], parsing, r"comparing: 3 questions in \d+\.\d s"]
    lines = stream.getvalue().splitlines()
    assert all(re.fullmatch(p, line) for p, line in zip(patterns, lines, strict=True)), lines


def test_a_short_build_prints_nothing_more(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("build", site_dir / "pelicanconf.py") == 0
    assert capsys.readouterr() == (f"Built {site_dir / 'output'}/\n", "")


def test_problems_are_listed_after_the_phases_never_among_them(
    site_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0)  # as if the build were long: run_cli shows its phases on stderr
    case = FIXTURES / "invalid" / "unknown-category"
    shutil.copytree(case / "content", site_dir / "content", dirs_exist_ok=True)
    assert run_cli("build", site_dir / "pelicanconf.py") == 1
    err = re.sub(r" in \d+\.\d s$", " in T s", capsys.readouterr().err, flags=re.MULTILINE)
    phases = "reading: 13 files in T s\nrendering: 9 Markdown texts in T s\n"  # then the build stops
    assert err == phases + (case / "expected.txt").read_text(encoding="utf-8") + "1 problem found.\n"


def test_forked_workers_count_nothing_and_print_nothing() -> None:
    stream = io.StringIO()
    threads = threading.active_count()  # the test session's own servers may run threads
    with (
        progress.shown(stream, delay=0, refresh=0, terminal=True),
        progress.phase("writing", total=400, unit="pages") as writing,
    ):
        assert threading.active_count() == threads  # no display thread: the build may still fork

        def work(share: Sequence[int]) -> None:
            for _ in share:
                writing.advance(2)  # this process's share, scaled

        run_forked(range(400), work, processes=2)
    finished = [line for line in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue()).split("\r") if ": " in line]
    assert [re.sub(r"\d+\.\d s", "T s", line) for line in finished] == ["writing: 400 pages in T s\n"]


def test_the_cli_build_has_no_pelican_summary_line(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    command = [sys.executable, "-m", "qasite", "build", "--settings", str(conf)]
    env = {"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(command, cwd=conf.parent, env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"Built {conf.parent / 'output'}/\n", "")
    console = pelican.console
    _build(copy_site(tmp_path / "again").parent)
    assert pelican.console is console  # Pelican's own console again after a build (its warnings never left it)
