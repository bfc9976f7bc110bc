"""The search index: Pagefind over the rendered site, in one call.

Runs the Pagefind binary shipped in the ``pagefind[bin]`` wheel once over the
whole output folder (each call of Pagefind's Python API costs ~100 ms, so one
call per page would dominate the build). Only question pages carry
``data-pagefind-body``, so listings and navigation stay out of the index.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from .problems import BuildError

logger = logging.getLogger(__name__)


def pagefind_command(site: Path) -> list[str]:
    """The command that indexes ``site`` into ``site/pagefind/``."""
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind"]


def build_index(site: Path) -> str:
    """Index the rendered ``site``; return Pagefind's report, raise BuildError with its message on failure."""
    result = subprocess.run(pagefind_command(site), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
        raise BuildError(f"search index: Pagefind failed: {message}")
    logger.info("Pagefind: %s", result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "done")
    return result.stdout
