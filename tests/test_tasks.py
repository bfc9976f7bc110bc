"""Every invoke task, run as an editor would: `invoke <task>` in a temporary copy of the repository."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO_TODAY, ROOT, copy_repo

INVOKE = str(ROOT / ".venv" / "bin" / "invoke")
TODAY = REPO_TODAY  # the copy's QA_TODAY: new files are dated by the site's clock, never the test's
QUESTION = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's site, tasks and docs (no .venv: the tasks run with the real one)."""
    return copy_repo(tmp_path / "repo")


def invoke(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INVOKE, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_every_task_is_listed_with_its_docstring(repo: Path) -> None:
    listing = invoke(repo, "--list").stdout
    tasks = dict(re.findall(r"^  (\S+)\s+(\S.*)$", listing, re.M))
    expected = {"build", "check", "docs", "livereload", "new-answer", "new-question", "publish", "reviewers", "serve"}
    assert expected <= set(tasks)
    assert all(tasks.values())


def test_new_question_creates_a_valid_file_and_never_overwrites(repo: Path) -> None:
    args = [
        "new-question",
        "Is it OK to cry at work?",
        "--category",
        "Anxiety",
        "--tags",
        "Work,anxiety",
        "--author",
        "jordan-lee",
    ]
    result = invoke(repo, *args)
    path = repo / "content/questions/is-it-ok-to-cry-at-work/index.md"
    assert result.returncode == 0 and path.is_file()
    assert path.read_text().startswith(
        '---\ntitle: "Is it OK to cry at work?"\ndate: ' + TODAY + "\ncategory: Anxiety\ntags: [work, anxiety]\n"
    )
    path.write_text(path.read_text() + "\nMy own words.\n")
    again = invoke(repo, *args)
    assert again.returncode == 1
    assert again.stderr.strip() == (
        "error: content/questions/is-it-ok-to-cry-at-work/index.md already exists: "
        "choose another title, or edit that question"
    )
    assert path.read_text().endswith("My own words.\n")
    assert invoke(repo, "check").returncode == 0


def test_new_question_rejects_an_unknown_category(repo: Path) -> None:
    result = invoke(repo, "new-question", "Why?", "--category", "Anxeity", "--tags", "a")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: category 'Anxeity' is not in content/categories.yml (use one of: "
        "Psychotherapists, Anxiety, Depression, Relationships, Self-care, "
        "Medication & treatment)"
    )


def test_new_answer_adds_a_file_per_answer(repo: Path) -> None:
    first = invoke(repo, "new-answer", QUESTION, "--author", "sam-rivera")
    second = invoke(repo, "new-answer", QUESTION, "--author", "sam-rivera")
    answers = repo / "content/questions" / QUESTION / "answers"
    assert first.returncode == second.returncode == 0
    assert (answers / f"{TODAY}-sam-rivera.md").is_file() and (answers / f"{TODAY}-sam-rivera-2.md").is_file()
    assert invoke(repo, "check").returncode == 0
    missing = invoke(repo, "new-answer", "no-such-question")
    assert missing.stderr.strip() == (
        "error: no question 'no-such-question': content/questions/no-such-question/"
        "index.md does not exist (give the question's folder name)"
    )


def test_check_reports_problems_with_file_and_line(repo: Path) -> None:
    assert invoke(repo, "check").stdout.strip() == "Content OK: no problems found."
    index = repo / "content/questions" / QUESTION / "index.md"
    index.write_text(index.read_text().replace("votes: 12", "votes: twelve"))
    result = invoke(repo, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"content/questions/{QUESTION}/index.md:6: votes: 'twelve' is not a whole number "
        "(write a number like 12 or -3)",
        "1 problem found.",
    ]


def test_build_and_failed_build_keeps_the_site(repo: Path) -> None:
    assert invoke(repo, "build").returncode == 0
    page = repo / "output/questions" / QUESTION / "index.html"
    before = page.read_bytes()
    assert (repo / "output/pagefind/pagefind.js").is_file()
    index = repo / "content/questions" / QUESTION / "index.md"
    index.write_text(index.read_text().replace("category: Psychotherapists", "category: Nope"))
    assert invoke(repo, "build").returncode == 1
    assert page.read_bytes() == before


def test_publish_uses_siteurl_and_is_strict(repo: Path) -> None:
    env = {"SITEURL": "https://faq.example.org"}
    assert invoke(repo, "publish", env=env).returncode == 0
    html = (repo / "output/questions" / QUESTION / "index.html").read_text()
    assert f'<link rel="canonical" href="https://faq.example.org/questions/{QUESTION}/">' in html
    index = repo / "content/questions" / QUESTION / "index.md"
    index.write_text(index.read_text().replace("tags: [therapy,", "tags: [therapies,"))
    result = invoke(repo, "publish", env=env)
    assert result.returncode == 1 and "warning: tags: 'therapies' looks like the tag 'therapy'" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def background(repo: Path) -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_serve_builds_and_serves_the_site(repo: Path, background: list) -> None:
    port = _free_port()
    background.append(
        subprocess.Popen(
            [INVOKE, "serve", "--port", str(port)],
            cwd=repo,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    html = _get(f"http://127.0.0.1:{port}/questions/{QUESTION}/")
    assert "<title>Is it ethical for my therapist to follow me on social media?" in html


class Lines:
    """A process's output read as it comes (a thread), so a test can wait for a line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(process.stdout.readline, "")))
        self.reader.start()

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(text in line for line in self.lines), "".join(self.lines)

    def __str__(self) -> str:
        return "".join(self.lines)


def _stopped(process: subprocess.Popen[str], lines: Lines, timeout: float = 60) -> None:
    """Wait for ``process`` to end; if it does not, fail with its signal state and every thread's stack."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        status = Path(f"/proc/{process.pid}/status").read_text()
        signals = " ".join(line for line in status.splitlines() if line.startswith(("SigBlk", "SigIgn", "SigCgt")))
        process.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack on its output
        process.wait(timeout=30)
        lines.reader.join(timeout=30)
        pytest.fail(f"not stopped {timeout} s after Ctrl+C ({signals}):\n{lines}")
    lines.reader.join(timeout=30)


def test_livereload_rebuilds_and_keeps_the_last_good_site(repo: Path, background: list) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [INVOKE, "livereload", "--port", str(port)],
        cwd=repo,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    background.append(process)
    lines = Lines(process)
    url = f"http://127.0.0.1:{port}/questions/{QUESTION}/"
    assert '<script src="/__livereload.js" defer></script>' in _get(url)
    index = repo / "content/questions" / QUESTION / "index.md"
    index.write_text(index.read_text().replace("votes: 12", "votes: 13"))
    lines.wait_for("Rebuilt in ")
    assert "+13" in _get(url)
    index.write_text(index.read_text().replace("votes: 13", "votes: thirteen"))
    lines.wait_for("Build failed (see above); still serving the last good site.")
    assert "+13" in _get(url)  # the last good site is still served
    process.send_signal(signal.SIGINT)
    _stopped(process, lines)
    assert f"content/questions/{QUESTION}/index.md:6: votes: 'thirteen' is not a whole number" in str(lines)
    assert process.returncode == 0


def test_docs_are_current(repo: Path) -> None:
    result = invoke(repo, "docs")
    assert result.returncode == 0 and result.stdout == ""


def test_reviewers_for_changed_categories(repo: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    answer = repo / "content/questions" / QUESTION / "answers" / "2023-07-03-sam-rivera.md"
    answer.write_text(answer.read_text() + "\nOne more thought.\n")
    subprocess.run([*git, "commit", "-qam", "edit"], cwd=repo, check=True)
    result = invoke(repo, "reviewers", "--base", "HEAD~1")
    assert result.stdout.strip() == "example-therapist-reviewer"


def test_bench_measures_the_demo_site_against_plain_pelican(repo: Path) -> None:
    # Lighthouse (bench/package.json, installed on first use) is left out: make test does not download it.
    options = ["--sizes", "demo", "--out", "bench/results/demo.json", "--query-runs", "1", "--lighthouse-runs", "0"]
    options += ["--pairs", "2"]
    result = invoke(repo, "bench", *options)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads((repo / "bench/results/demo.json").read_text())
    text = json.dumps(figures)
    for key in ("plain", "ratio", "first"):
        assert key in text, key
    page = figures["sites"][0]["search_page"]
    assert all(ms > 0 for ms in page["typed_ms_medians"]), page["typed_ms_medians"]  # typed, then Enter: timed
    assert page["typed_query_bytes"] == page["query_bytes"]  # warming Pagefind as it is typed fetches nothing more
    assert figures["lighthouse"] is None
    summary = (repo / "bench/results/demo.md").read_text()
    assert summary.count("| **ours with search / plain** |") == 1
    site = figures["sites"][0]
    if site["hugo_total"]["complete"]:  # Hugo installed: the verdict comes from two alternated pairs
        assert [row["peer_first"] for row in site["pairs"]["pairs"]] == [True, False]
        assert site["ratios"]["search_vs_hugo_pairs"] == site["pairs"]["median_ratio"] > 0
    else:  # no Hugo (CI): no pairs, and the table says so
        assert site["pairs"] is None
    assert "| **… alternated pairs: median** (each pair" in summary
    assert "## Lighthouse\n\nNot run (`--lighthouse-runs 0`)." in summary
    assert not (repo / "bench/node_modules").exists()
