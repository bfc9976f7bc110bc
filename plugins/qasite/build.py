"""Atomic builds and content checks, for tasks.py, make and CI.

The site is built into a staging folder next to the output folder and swapped
in only when the whole build succeeded, so a broken file never publishes a
partial site and the last good site stays served. Nothing outside the output
folder is ever written or deleted.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .loader import load_site
from .model import Question
from .problems import BuildError, ContentError, Problem, format_problems, warning
from .related import similar_pairs
from .settings import urls_from, with_defaults

logger = logging.getLogger(__name__)


def load_settings(settings_file: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican settings from ``settings_file`` with QA_* defaults filled in."""
    return with_defaults(read_settings(str(settings_file), override=overrides or {}))


def check_content(*, settings: dict[str, Any]) -> list[Problem]:
    """Validate all content without rendering any page; also warn about possible duplicate questions."""
    site, problems = load_site(
        Path(settings["PATH"]),
        timezone=settings["TIMEZONE"],
        urls=urls_from(settings),
        processes=settings["QA_RENDER_PROCESSES"],
    )
    return sorted(problems + duplicate_warnings(site.questions, threshold=settings["QA_DUPLICATE_THRESHOLD"]))


def duplicate_warnings(questions: list[Question], *, threshold: float) -> list[Problem]:
    """A warning on the newer question of each pair worded alike."""
    return [
        warning(
            newer.source_path,
            1,
            None,
            f"possible duplicate of {older.source_path} (similarity {score:.2f})",
            "if it asks the same thing, move its answers to the older question and remove this one",
        )
        for newer, older, score in similar_pairs(questions, threshold=threshold)
    ]


def _guard_output(output: Path, content: Path) -> None:
    out, src = output.resolve(), content.resolve()
    if out == src or out in src.parents or src in out.parents:
        raise BuildError(
            f"output folder {output} overlaps the content folder {content}: "
            "set OUTPUT_PATH to a separate folder such as 'output'"
        )
    if output.exists() and any(output.iterdir()) and not (output / "index.html").exists():
        raise BuildError(
            f"{output} is not empty and does not look like a built site (no index.html): "
            "refusing to replace it; choose another OUTPUT_PATH or empty it yourself"
        )


def build(*, settings: dict[str, Any]) -> Path:
    """Build the site into a staging folder and swap it in; return the output folder.

    Raises ContentError (every content problem) or BuildError; the old output
    is untouched when the build fails.
    """
    output = Path(settings["OUTPUT_PATH"])
    _guard_output(output, Path(settings["PATH"]))
    staging = output.with_name(output.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        Pelican({**settings, "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False}).run()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, output)
    return output


def _swap(staging: Path, output: Path) -> None:
    """Put ``staging`` in place of ``output``; the old site is deleted in the background."""
    old = output.with_name(f"{output.name}.old-{os.getpid()}-{time.monotonic_ns()}")
    if output.exists():
        output.rename(old)
    staging.rename(output)
    if old.exists():
        # Deleting thousands of folders takes seconds on some file systems: not the build's job to wait.
        subprocess.Popen(
            ["rm", "-rf", "--", str(old)], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )


def run_cli(
    command: str,
    settings_file: Path,
    overrides: dict[str, Any] | None = None,
    *,
    strict: bool = False,
    verbose: bool = False,
) -> int:
    """Run ``build`` or ``check``; print problems as editors read them; return the exit code.

    ``strict`` (for publishing) turns every warning, ours or Pelican's, into a failure.
    """
    init_logging(level=logging.INFO if verbose else logging.WARNING, fatal="warnings" if strict else "")
    try:
        settings = load_settings(settings_file, overrides)
        return _check(settings, strict) if command == "check" else _build(settings, strict)
    except ContentError as err:
        print(format_problems(err.problems), file=sys.stderr)
        return 1
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug in qasite, not in the content: one line, the traceback only with --verbose
        if verbose:
            traceback.print_exc()
        print(internal_error(err, command), file=sys.stderr)
        return 1


def internal_error(err: Exception, command: str) -> str:
    """The one line an editor sees when qasite itself fails."""
    reason = " ".join(str(err).split()) or "no details"
    return (
        f"internal error: {type(err).__name__}: {reason} (this is a bug in qasite, not in your content: "
        f"please report it with the output of 'python -m qasite {command} --verbose')"
    )


def _check(settings: dict[str, Any], strict: bool) -> int:
    problems = check_content(settings=settings)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1 if strict or any(p.is_error for p in problems) else 0
    print("Content OK: no problems found.")
    return 0


def _build(settings: dict[str, Any], strict: bool) -> int:
    if strict:
        warnings = [p for p in check_content(settings=settings) if not p.is_error]
        if warnings:
            raise ContentError(warnings)
    print(f"Built {build(settings=settings)}/")
    return 0
