"""Each command loads the content once: every content file read once, every Markdown body rendered once,
one TF-IDF vector set (shared by related questions and duplicate detection), counted by content.stats
around a real `check`, `build` and strict build of the fixture site. The strict build gets 450 more
answers and QA_RENDER_PROCESSES=2, so its Markdown is rendered in two processes and counted as the
results come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from qasite.build.parallel import process_count
from qasite.build.pipeline import run_cli
from qasite.content import stats
from qasite.content.loader import load_site

EXTRA_ANSWERS = 450
QUESTION = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"


def _add_answers(site: Path) -> None:
    for n in range(EXTRA_ANSWERS):
        text = f"---\nauthor: sam-rivera\ndate: 2023-08-01\n---\n\nAnswer number {n}, with *emphasis*.\n"
        (site / QUESTION / "answers" / f"2023-08-01-extra-{n}.md").write_text(text, encoding="utf-8")


def _content_files(site: Path, *suffixes: str) -> set[str]:
    """The fixture's content files, as the loader names them (relative to the site folder)."""
    content = site / "content"
    return {p.relative_to(site).as_posix() for p in content.rglob("*") if p.is_file() and p.suffix in suffixes}


@pytest.mark.parametrize(
    ("command", "strict", "processes"), [("check", False, 1), ("build", False, 1), ("build", True, 2)]
)
def test_a_command_reads_and_renders_each_file_once(
    site_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, strict: bool, processes: int
) -> None:
    if processes > 1:
        _add_answers(site_dir)
        assert process_count(processes, EXTRA_ANSWERS) == processes  # the bodies really go to a worker
    overrides = {"OUTPUT_PATH": str(tmp_path / "output"), "QA_RENDER_PROCESSES": processes}
    before = stats.TOTAL.copy()
    code = run_cli(command, site_dir / "pelicanconf.py", overrides, strict=strict)
    done = stats.TOTAL - before
    assert code == 0, capsys.readouterr().err
    if command == "build":
        assert (tmp_path / "output" / "index.html").is_file()
    assert set(done.files_read) == _content_files(site_dir, ".md", ".yml")
    assert set(done.files_read.values()) == {1}
    assert set(done.renders) == _content_files(site_dir, ".md")
    assert set(done.renders.values()) == {1}
    assert done.vector_sets == 1


def test_the_loaded_site_reports_its_own_counts(site_dir: Path) -> None:
    site, _ = load_site(site_dir / "content")
    assert sum(site.stats.files_read.values()) == len(_content_files(site_dir, ".md", ".yml"))
    assert sum(site.stats.renders.values()) == len(_content_files(site_dir, ".md"))
    assert site.stats.vector_sets == 0  # built when first needed
    assert site.vectors is site.vectors
    assert site.stats.vector_sets == 1
