"""Each command loads the content once: every content file read once, every Markdown body rendered once
(``check`` only parses each body once: it renders no HTML), one TF-IDF vector set (shared by related
questions and duplicate detection), counted by content.stats around a real `check`, `build` and strict
build of the fixture site. The strict build and a second check get 450 more answers and
QA_RENDER_PROCESSES=2, so their Markdown is rendered (the check's only parsed) in two processes and
counted as the results come back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qasite.content.loader import load_site

ROOT = Path(__file__).resolve().parent.parent
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


# The command runs in a fresh interpreter: a test session's server threads would make the build
# refuse to fork (build/parallel.py), and the point of the strict case is counting across workers.
RUN = """
import json, sys
from qasite.build.parallel import process_count
from qasite.build.pipeline import run_cli
from qasite.content import stats
command, settings, output, processes, strict, items = sys.argv[1:]
forks = process_count(int(processes), int(items))
overrides = {"OUTPUT_PATH": output, "QA_RENDER_PROCESSES": int(processes)}
code = run_cli(command, settings, overrides, strict=strict == "1")
done = stats.TOTAL
print(json.dumps({"code": code, "forks": forks, "read": done.files_read, "renders": done.renders,
                  "parses": done.parses, "vectors": done.vector_sets}))
"""


def _counted(site: Path, output: Path, command: str, *, strict: bool, processes: int) -> dict:
    args = [command, str(site / "pelicanconf.py"), str(output), str(processes), "1" if strict else "0"]
    args.append(str(EXTRA_ANSWERS))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("command", "strict", "processes"),
    [("check", False, 1), ("check", False, 2), ("build", False, 1), ("build", True, 2)],
)
def test_a_command_reads_and_renders_each_file_once(
    site_dir: Path, tmp_path: Path, command: str, strict: bool, processes: int
) -> None:
    if processes > 1:
        _add_answers(site_dir)
    done = _counted(site_dir, tmp_path / "output", command, strict=strict, processes=processes)
    assert done["code"] == 0
    assert done["forks"] == processes  # with 2, the bodies really go to a worker and are counted back
    if command == "build":
        assert (tmp_path / "output" / "index.html").is_file()
    assert set(done["read"]) == _content_files(site_dir, ".md", ".yml")
    assert set(done["read"].values()) == {1}
    markdown = _content_files(site_dir, ".md")
    # check parses each body once and renders none; a build (strict or not) renders each once and only parses none
    done_once, not_done = ("parses", "renders") if command == "check" else ("renders", "parses")
    assert set(done[done_once]) == markdown
    assert set(done[done_once].values()) == {1}
    assert done[not_done] == {}
    assert done["vectors"] == 1


def test_the_loaded_site_reports_its_own_counts(site_dir: Path) -> None:
    site, _ = load_site(site_dir / "content")
    assert sum(site.stats.files_read.values()) == len(_content_files(site_dir, ".md", ".yml"))
    assert sum(site.stats.renders.values()) == len(_content_files(site_dir, ".md"))
    assert not site.stats.parses
    assert site.stats.vector_sets == 0  # built when first needed
    assert site.vectors is site.vectors
    assert site.stats.vector_sets == 1


def test_a_load_without_rendering_parses_each_body_and_gives_no_html(site_dir: Path) -> None:
    site, _ = load_site(site_dir / "content", render=False)
    assert sum(site.stats.parses.values()) == len(_content_files(site_dir, ".md"))
    assert not site.stats.renders
    assert all(q.body_text and not q.body_html for q in site.questions)
    # an answer's plain text feeds no check: it is parsed only when it may hold a link or nest deeply (prepare)
    assert all(not a.body_html for q in site.questions for a in q.answers)
