"""The search index: Pagefind over the rendered question pages, in one call.

Runs the Pagefind binary shipped in the ``pagefind[bin]`` wheel once over the
output folder (each call of Pagefind's Python API costs ~100 ms, so one call
per page would dominate the build). Only question pages are read
(``--glob``, from QA_QUESTION_URL: ``Urls.glob("question")``), and the
generator starts Pagefind as soon as they are written, so indexing runs on
the second core while listings, tags and feeds render.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from .problems import BuildError
from .urls import Urls

logger = logging.getLogger(__name__)


def pagefind_command(site: Path, glob: str) -> list[str]:
    """The command that indexes the pages of ``site`` matching ``glob`` into ``site/pagefind/``."""
    output = Urls.pagefind.rstrip("/")
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob, "--output-subdir", output]


def start_index(site: Path, glob: str) -> subprocess.Popen[str]:
    """Start indexing ``site`` in the background; pass the process to ``finish_index``."""
    return subprocess.Popen(pagefind_command(site, glob), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_index(process: subprocess.Popen[str]) -> str:
    """Wait for Pagefind; return its report, or raise BuildError with its message."""
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        message = (stderr or stdout).strip() or f"exit code {process.returncode}"
        raise BuildError(f"search index: Pagefind failed: {message}")
    logger.info("Pagefind: %s", stdout.strip().splitlines()[-1] if stdout.strip() else "done")
    return stdout
