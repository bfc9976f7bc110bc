"""Faults: builds killed with SIGKILL at each stage, a full disk, a read-only folder, two builds at once.

Every build here is a real one in a subprocess (tests/fault_driver.py), killed or failed by an
audit hook at an exact point; the product has no test hooks.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from qasite.build.pipeline import build, load_settings

DRIVER = Path(__file__).parent / "fault_driver.py"
QUESTION = "content/questions/how-do-i-stop-worrying-at-night/index.md"
NEW_TITLE = "How do I stop worrying at night, really?"


def drive(site: Path, **spec: object) -> subprocess.CompletedProcess[str]:
    """Build ``site`` in a subprocess under the audit hook described by ``spec``.

    Its output goes to files, not pipes: reading a pipe to its end would wait for any
    process of the build left running, and hide it.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        command = [sys.executable, str(DRIVER), json.dumps({"site": str(site), **spec})]
        code = subprocess.run(command, stdout=out, stderr=err, timeout=60).returncode
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(command, code, out.read(), err.read())


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def processes_of(site: Path) -> list[tuple[int, str]]:
    """Live processes whose command line names ``site`` (a build, its workers, Pagefind), but not `rm`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if os.fsencode(site) in b" ".join(args) and os.path.basename(args[0]) != b"rm":
            found.append((int(cmdline.parent.name), b" ".join(args).decode(errors="replace")))
    return found


def assert_nothing_left_running(site: Path) -> None:
    deadline = time.monotonic() + 3
    while (left := processes_of(site)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid, _ in left:  # clean up what a broken build left, then fail
        os.kill(pid, signal.SIGKILL)
    assert left == [], "processes of the killed build still running"


def assert_clean(site: Path) -> None:
    """Only output/ (and the lock) beside the content once old sites are deleted in the background (and the site
    the last swap replaced, kept for the next incremental build: build/spare.py)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        names = sorted(p.name for p in site.iterdir() if p.name.startswith("output") and p.name != "output.spare")
        if names == ["output", "output.lock"]:
            return
        time.sleep(0.05)
    assert names == ["output", "output.lock"]


@pytest.fixture
def built(site_dir: Path) -> Path:
    """The fixture site built once, then a question retitled (so a new site would differ)."""
    build(settings=load_settings(site_dir / "pelicanconf.py"))
    question = site_dir / QUESTION
    question.write_text(question.read_text().replace("How do I stop worrying at night?", NEW_TITLE))
    return site_dir


@pytest.mark.parametrize(
    "spec",
    [
        {"kill": "read", "nth": 3},
        {"kill": "render", "nth": 4},
        {"kill": "render", "nth": 1, "workers": 3, "slow_workers": 10},
        {"kill": "index"},
        {"kill": "exchange"},
    ],
    ids=["reading", "rendering", "rendering-in-workers", "indexing", "swapping"],
)
def test_a_killed_build_leaves_the_previous_site(built: Path, spec: dict[str, object]) -> None:
    before = tree(built / "output")
    killed = drive(built, **spec)
    assert killed.returncode == -signal.SIGKILL
    assert f"KILL {spec['kill']}\n" in killed.stderr
    assert_nothing_left_running(built)
    assert tree(built / "output") == before

    again = drive(built)
    assert (again.returncode, again.stderr) == (0, "")
    assert NEW_TITLE in (built / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text()
    assert_clean(built)


def test_a_build_killed_mid_swap_leaves_the_new_site(built: Path) -> None:
    """With an atomic exchange output/ is never missing: killed once the exchange is done, it is the new site."""
    killed = drive(built, kill="staging-renamed")
    assert (killed.returncode, killed.stderr) == (-signal.SIGKILL, "KILL staging-renamed\n")
    assert NEW_TITLE in (built / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text()
    assert (built / "output/pagefind/pagefind-entry.json").is_file()
    assert (built / "output.staging/index.html").is_file()  # the old site, left for the next build

    assert drive(built).returncode == 0
    assert_clean(built)


def test_a_build_killed_between_two_renames_is_undone_by_the_next(built: Path) -> None:
    """Where folders cannot be exchanged atomically output/ is missing for an instant: the next build restores it."""
    before = tree(built / "output")
    killed = drive(built, kill="staging-renamed", no_exchange=True)
    assert (killed.returncode, killed.stderr) == (-signal.SIGKILL, "KILL staging-renamed\n")
    assert not (built / "output").exists()
    assert tree(built / "output.previous") == before

    question = built / QUESTION
    question.write_text(question.read_text().replace("votes: 3", "votes: many"))
    failed = drive(built, no_exchange=True)  # even a build that fails on its content puts the site back
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"Restored {built / 'output'} from output.previous (a build was stopped while")
    assert tree(built / "output") == before

    question.write_text(question.read_text().replace("votes: many", "votes: 3"))
    assert drive(built, no_exchange=True).returncode == 0
    assert NEW_TITLE in (built / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text()
    assert_clean(built)


FULL = (
    "error: {output}: the disk is full (No space left on device) "
    "(free disk space on the disk that holds {site}, then build again; the previous site is unchanged)\n"
)
READ_ONLY = (
    "error: {output}: cannot write there ({reason}) "
    "(make {site} and output/ writable, or set OUTPUT_PATH to a writable folder; the previous site is unchanged)\n"
)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (["ENOSPC", "render", 5], FULL),
        (["ENOSPC", "worker", 1], FULL),
        (["ENOSPC", "copy", 2], FULL),
        (["EROFS", "any", 1], READ_ONLY.replace("{reason}", "Read-only file system")),
        (["EACCES", "any", 1], READ_ONLY.replace("{reason}", "Permission denied")),
    ],
    ids=["full-disk", "full-disk-in-a-worker", "full-disk-copying-static-files", "read-only", "no-permission"],
)
def test_a_write_fault_is_one_clear_line_and_keeps_the_site(built: Path, fault: list, message: str) -> None:
    before = tree(built / "output")
    failed = drive(built, fault=fault, workers=3 if fault[1] == "worker" else 0)
    assert failed.returncode == 1
    assert failed.stderr == message.format(output=built / "output", site=built)
    assert tree(built / "output") == before
    assert not (built / "output.staging").exists()
    assert_clean(built)


def test_two_builds_at_once_take_turns(built: Path, tmp_path: Path) -> None:
    release, log = tmp_path / "release", tmp_path / "log"
    spec = json.dumps({"site": str(built), "hold": str(release), "log": str(log)})
    errors = [(tmp_path / f"stderr{i}").open("w+") for i in range(2)]
    builds = [subprocess.Popen([sys.executable, str(DRIVER), spec], stderr=err, text=True) for err in errors]
    try:
        deadline = time.monotonic() + 30
        while not _first_line(log) and time.monotonic() < deadline:  # one build holds the lock, in its first page
            time.sleep(0.02)
        first = int(log.read_text().split()[0])
        second = next(i for i, b in enumerate(builds) if b.pid != first)
        waiting = f"Waiting for the other build of {built / 'output'} (pid {first}) to finish...\n"
        while (tmp_path / f"stderr{second}").read_text() != waiting and time.monotonic() < deadline:
            time.sleep(0.02)
        assert (tmp_path / f"stderr{second}").read_text() == waiting
        release.touch()
        assert [b.wait(timeout=60) for b in builds] == [0, 0]
    finally:
        for b in builds:
            b.kill()
        for err in errors:
            err.close()
    events = [line.split() for line in log.read_text().splitlines()]
    assert [(int(pid), what) for pid, what, _ in events] == [
        (first, "start"),
        (first, "end"),
        (builds[second].pid, "start"),
        (builds[second].pid, "end"),
    ]
    assert [float(t) for *_, t in events] == sorted(float(t) for *_, t in events)
    assert NEW_TITLE in (built / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text()
    assert_clean(built)


def _first_line(log: Path) -> bool:
    """Whether the build's log holds a whole first line (the driver creates the file, then writes to it)."""
    return log.exists() and "\n" in log.read_text()
