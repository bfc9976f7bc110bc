"""The search index: one Pagefind run over rendered question pages.

Runs the Pagefind binary shipped in the ``pagefind[bin]`` wheel (directly: ``pagefind_program``) once over a
folder (each call of Pagefind's Python API costs ~100 ms, so one call
per page would dominate the build). Only question pages are read
(``--glob``, from QA_QUESTION_URL: ``Urls.glob("question")``). A site's
questions are indexed in shards, one such run each (search_shards), started
as soon as the question pages are written, so indexing runs on
the second core while listings, tags and feeds render; meanwhile a long build shows
``indexing 10,000 pages`` and its time (build.progress).
Pagefind dies with the build (see lifeline); a full disk or a read-only folder
it meets is raised as that OSError, reported like the build's own.
"""

from __future__ import annotations

import errno
import functools
import importlib.util
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

# Word-index chunk size, in word locations (Pagefind's default: 20,000). A search loads, per shard, the chunk
# holding each query word; a smaller chunk holds fewer other words: 'anxiety sleep' at 10,000 questions in two
# shards loads 116 KB of chunks at 20,000, 52 KB at 2,500, for 4 KB more of per-page metadata a shard (the chunk
# list). Read by Pagefind 1.5 from this environment variable (its "unstable" settings: re-check on upgrade).
INDEX_CHUNK_SIZE = 2500
CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


@functools.cache
def pagefind_program() -> tuple[str, ...]:
    """How Pagefind is run: the binary of the ``pagefind[bin]`` wheel itself, which ``python -m pagefind`` would
    find and exec after importing asyncio (0.07 CPU-s and 0.2-0.3 s before each run, twice on a cold build's critical
    path). ``python -m pagefind`` where it would pick another binary (``PAGEFIND_BINARY_PATH``, the extended wheel)
    or none is found."""
    if os.environ.get("PAGEFIND_BINARY_PATH") is None and importlib.util.find_spec("pagefind_bin_extended") is None:
        try:
            from pagefind_bin import get_executable  # type: ignore[import-untyped]

            return (str(get_executable().absolute()),)
        except (ImportError, OSError):
            pass
    return (sys.executable, "-m", "pagefind")


def pagefind_command(site: Path, glob: str, bundle: Path | None = None) -> list[str]:
    """The command that indexes the pages of ``site`` matching ``glob`` into ``bundle`` (else ``site/pagefind/``)."""
    command = [*pagefind_program(), "--site", str(site), "--glob", glob]
    if bundle is not None:
        return [*command, "--output-path", str(bundle.absolute())]
    return [*command, "--output-subdir", Urls.pagefind.rstrip("/")]


class Indexing(subprocess.Popen[str]):
    """Pagefind running, the bundle it writes, and the progress phase that shows it (``indexing 10,000 pages``)."""

    phase: progress.Phase | None
    bundle: Path


def run_pagefind(site: Path, glob: str, bundle: Path | None = None) -> Indexing:
    """Start Pagefind over ``site`` (see ``pagefind_command``) in the background, with no progress line."""
    process = Indexing(
        pagefind_command(site, glob, bundle),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, CHUNK_SIZE_VARIABLE: str(INDEX_CHUNK_SIZE)},
        preexec_fn=child_setup(),  # only a prctl call, looked up before the fork: safe with threads
    )
    process.phase = None
    process.bundle = bundle if bundle is not None else site / Urls.pagefind
    return process


def start_index(site: Path, glob: str, pages: int = 0) -> Indexing:
    """Start indexing ``site`` (``pages`` of it, for the progress line) in the background; see ``finish_index``."""
    process = run_pagefind(site, glob)
    process.phase = progress.begin("indexing", unit="pages", count=pages)
    return process


def finish_index(process: Indexing) -> str:
    """Wait for Pagefind; return its report, or raise BuildError with its message (OSError for a write fault)."""
    while True:
        try:
            stdout, stderr = process.communicate(timeout=progress.REFRESH)
            break
        except subprocess.TimeoutExpired:  # still indexing: no output is lost by asking again
            if process.phase is not None:
                process.phase.tick()
    if process.phase is not None:
        progress.end(process.phase)
    return check_index(process.returncode, stdout, stderr, process.bundle)


def check_index(returncode: int, stdout: str, stderr: str, bundle: Path) -> str:
    """Pagefind's report of a finished run into ``bundle``, or BuildError with its message (OSError: write fault)."""
    if returncode != 0:
        message = (stderr or stdout).strip() or f"exit code {returncode}"
        _raise_write_fault(message)
        raise BuildError(f"search index: Pagefind failed: {message}")
    _check_written(bundle)
    logger.info("Pagefind: %s", stdout.strip().splitlines()[-1] if stdout.strip() else "done")
    return stdout


def _raise_write_fault(message: str) -> None:
    """Pagefind's report of a full disk or a read-only folder ("os error 28", "Os { code: 30") as that OSError."""
    for found in re.finditer(r"os error (\d+)|Os \{ code: (\d+)", message):
        code = int(found[1] or found[2])
        if code in WRITE_FAULTS:
            raise OSError(code, os.strerror(code))


def _check_written(bundle: Path) -> None:
    """Pagefind 1.5 reports success on a full disk and leaves empty files: treat them as the full disk they are.

    Thousands of files a shard: walked with ``os.scandir`` (no Path object, no second stat), the first empty one
    by name reported."""
    empty = []
    folders = [str(bundle)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_size == 0:
                    empty.append(entry.path)
    if empty:
        path = min(empty, key=lambda name: Path(name).parts)  # the one ``sorted(bundle.rglob("*"))`` met first
        raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (Pagefind wrote an empty file)", path)
