"""The search index: Pagefind over the rendered question pages, in one call.

Runs the Pagefind binary shipped in the ``pagefind[bin]`` wheel once over the
output folder (each call of Pagefind's Python API costs ~100 ms, so one call
per page would dominate the build). Only question pages are read
(``--glob``, from QA_QUESTION_URL: ``Urls.glob("question")``), and the
generator starts Pagefind as soon as they are written, so indexing runs on
the second core while listings, tags and feeds render; meanwhile a long build shows
``indexing 10,000 pages`` and its time (build.progress).
Pagefind dies with the build (see lifeline); a full disk or a read-only folder
it meets is raised as that OSError, reported like the build's own.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from ..build import progress
from ..build.lifeline import child_setup
from ..build.outputdir import WRITE_FAULTS
from ..config.problems import BuildError
from ..config.urls import Urls

logger = logging.getLogger(__name__)


def pagefind_command(site: Path, glob: str) -> list[str]:
    """The command that indexes the pages of ``site`` matching ``glob`` into ``site/pagefind/``."""
    output = Urls.pagefind.rstrip("/")
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob, "--output-subdir", output]


class Indexing(subprocess.Popen[str]):
    """Pagefind running, and the progress phase that shows it (``indexing 10,000 pages``, its time)."""

    phase: progress.Phase


def start_index(site: Path, glob: str, pages: int = 0) -> Indexing:
    """Start indexing ``site`` (``pages`` of it, for the progress line) in the background; see ``finish_index``."""
    process = Indexing(
        pagefind_command(site, glob),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=child_setup(),  # only a prctl call, looked up before the fork: safe with threads
    )
    process.phase = progress.begin("indexing", unit="pages", count=pages)
    return process


def finish_index(process: Indexing) -> str:
    """Wait for Pagefind; return its report, or raise BuildError with its message (OSError for a write fault)."""
    while True:
        try:
            stdout, stderr = process.communicate(timeout=progress.REFRESH)
            break
        except subprocess.TimeoutExpired:  # still indexing: no output is lost by asking again
            process.phase.tick()
    progress.end(process.phase)
    if process.returncode != 0:
        message = (stderr or stdout).strip() or f"exit code {process.returncode}"
        _raise_write_fault(message)
        raise BuildError(f"search index: Pagefind failed: {message}")
    _check_written(Path(process.args[process.args.index("--site") + 1]))
    logger.info("Pagefind: %s", stdout.strip().splitlines()[-1] if stdout.strip() else "done")
    return stdout


def _raise_write_fault(message: str) -> None:
    """Pagefind's report of a full disk or a read-only folder ("os error 28", "Os { code: 30") as that OSError."""
    for found in re.finditer(r"os error (\d+)|Os \{ code: (\d+)", message):
        code = int(found[1] or found[2])
        if code in WRITE_FAULTS:
            raise OSError(code, os.strerror(code))


def _check_written(site: Path) -> None:
    """Pagefind 1.5 reports success on a full disk and leaves empty files: treat them as the full disk they are."""
    for path in sorted((site / Urls.pagefind).rglob("*")):
        if path.is_file() and path.stat().st_size == 0:
            raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (Pagefind wrote an empty file)", str(path))
