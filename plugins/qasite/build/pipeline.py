"""Atomic builds and content checks, for tasks.py, make and CI.

The site is built into a staging folder next to the output folder and swapped
in only when the whole build succeeded, so a broken file never publishes a
partial site and the last good site stays served. Nothing outside the output
folder is ever written or deleted, except the build's own names beside it
(output.lock, output.staging/...: see outputdir).

Each command loads the content once: ``check`` loads it without rendering any HTML
(each Markdown body is parsed only: the same problems, found faster); a strict build
loads it, rendered, to check it, then hands the same ``Loaded`` site to the generator;
a plain build lets the generator load it.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import gc
import logging
import shutil
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pelican as pelican_module  # the package's __init__ runs at a build's first use (build/lazy_pelican.py)
from pelican.log import FatalLogger
from pelican.log import init as init_logging
from pelican.settings import read_settings
from rich.console import Console

from ..config.clock import today
from ..config.problems import BuildError, ContentError, Problem, SettingsError, format_problems
from ..config.settings import check_settings, urls_from, with_defaults
from ..config.urls import Urls, save_as
from ..content import pairs_ahead, prepare, replay, trust
from ..content.lint import possible_duplicates
from ..content.loader import Loaded, load_from_settings
from ..render.help import help_warnings
from . import parallel, progress
from .cache import Cache, deferred
from .outputdir import STAGING, build_lock, copy_faults_raised, recover, sibling, write_fault

logger = logging.getLogger(__name__)


def load_settings(settings_file: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican settings from ``settings_file`` with QA_* defaults filled in.

    Raises SettingsError naming the file and line when the settings file itself cannot be run.
    """
    try:
        settings = read_settings(str(settings_file), override=overrides or {})
    except Exception as err:  # the file is Python: any error in it is the maintainer's to fix, not a bug here
        line = getattr(err, "lineno", None) or _error_line(err, settings_file)
        where = f"{settings_file}:{line}" if line else str(settings_file)
        reason = " ".join(str(err).split()) or type(err).__name__
        raise SettingsError(
            f"{where}: the settings file cannot be read ({type(err).__name__}: {reason}) (fix that line of the file)"
        ) from err
    return with_defaults(settings)


def _error_line(err: BaseException, settings_file: Path) -> int | None:
    """The line of ``settings_file`` where ``err`` was raised, from its traceback."""
    frames = [
        f
        for f in traceback.extract_tb(err.__traceback__)
        if Path(f.filename).resolve() == Path(settings_file).resolve()
    ]
    return frames[-1].lineno if frames else None


def load_content(
    *, settings: dict[str, Any], render: bool = True, on_disk: Mapping[str, bytes] | None = None
) -> Loaded:
    """Validate the settings and load all content once, for ``check`` and then (strict) for the build.

    ``render=False`` (``check``, ``check --reviews``): Markdown parsed only, no HTML: not for the generator.
    ``on_disk``: the files' digests as ``check`` just hashed them (``replay.Walk.files``; see ``prepare_files``).
    """
    errors = check_settings(settings)
    if errors:
        raise SettingsError("; ".join(errors))
    content = Path(settings["PATH"])
    try:
        site, problems = load_from_settings(content, settings, urls_from(settings), render=render, on_disk=on_disk)
    finally:
        parallel.wait_for_background()  # check's per-file results, written by a child meanwhile (content.prepare)
    return Loaded(content=content, site=site, problems=problems)


def content_problems(loaded: Loaded, *, settings: dict[str, Any], cache: Cache | None = None) -> list[Problem]:
    """Every problem the load found, a warning for each possible duplicate, and helplines.yml's warnings.

    ``cache`` (``check``): the duplicate pairs are reused while no question's wording changed.
    """
    threshold, processes = settings["QA_DUPLICATE_THRESHOLD"], settings["QA_RENDER_PROCESSES"]
    key = str(loaded.content.resolve())
    duplicates = possible_duplicates(loaded.site, threshold=threshold, processes=processes, cache=cache, key=key)
    return sorted(loaded.problems + duplicates + help_warnings(loaded.site, settings))


def check_content(*, settings: dict[str, Any]) -> list[Problem]:
    """Validate the settings and all content without rendering any page; also warn about possible duplicates.

    The per-file work and the duplicate pairs are kept in the build cache (``QA_CACHE_PATH``): see content.prepare;
    so is the whole result, replayed while nothing it reads has changed (content.replay).
    """
    errors = check_settings(settings)
    if errors:
        raise SettingsError("; ".join(errors))
    cache, content, day = Cache.for_settings(settings), Path(settings["PATH"]), today(settings)
    kept, on_disk = replay.replayed(cache, content, day)
    if kept is not None:
        return kept
    pairs_ahead.expect(content, settings, cache)  # the duplicate pairs found while the model is built
    gc.disable()  # the load makes millions of objects that live to the end: collecting would only walk them again
    try:
        loaded = load_content(settings=settings, render=False, on_disk=on_disk)
        key = replay.of_check(content, day, loaded.site.stats)  # while the duplicate pairs' child finishes
        problems = content_problems(loaded, settings=settings, cache=cache)
    finally:
        prepare.resume_collector()
    replay.keep(cache, content, key, problems)
    return problems


def _guard_output(output: Path, content: Path) -> None:
    out, src = output.resolve(), content.resolve()
    if out == src or out in src.parents or src in out.parents:
        raise BuildError(
            f"output folder {output} overlaps the content folder {content}: "
            "set OUTPUT_PATH to a separate folder such as 'output'"
        )
    home = save_as(Urls.home)
    if output.exists() and any(output.iterdir()) and not (output / home).exists():
        raise BuildError(
            f"{output} is not empty and does not look like a built site (no {home}): "
            "refusing to replace it; choose another OUTPUT_PATH or empty it yourself"
        )


def build(*, settings: dict[str, Any], loaded: Loaded | None = None) -> Path:
    """Build the site into a staging folder and swap it in; return the output folder.

    ``loaded``: the content already loaded for this command (strict builds check first): the generator
    renders it instead of loading again (handed over in the settings, under ``loader.LOADED``).

    One build at a time per output folder (a second one waits), and a build
    killed at any point leaves the last complete site in place (outputdir).
    Raises ContentError (every content problem) or BuildError (also for a full
    disk or a read-only folder); the old output is untouched when the build fails.
    """
    output = Path(settings["OUTPUT_PATH"])
    _guard_output(output, Path(settings["PATH"]))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with build_lock(output):
            recover(output)
            _build_and_swap(settings, output, loaded)
    except OSError as err:
        fault = write_fault(err, output)
        if fault is None:
            raise
        raise fault from None
    return output


def _build_and_swap(settings: dict[str, Any], output: Path, loaded: Loaded | None) -> None:
    from ..render.search_shards import MEANWHILE, removed  # a build's alone: ``check`` does not import them (~0.1 s)
    from . import deferred_search, in_place, incremental

    staging = sibling(output, STAGING)
    try:
        deferred()  # this build's cache entries are written after it (``incremental.save``; or ``abandon``)
        work = incremental.plan(settings, output, loaded)  # a full build, or only what the changes feed
        # A full build's site graph, needed only by the next build: made while the build waits for Pagefind.
        settings = {**work.settings, MEANWHILE: functools.partial(incremental.complete, work)}
        missing: set[str] = set()
        if work.partial is not None:
            missing = in_place.start(work, output, staging)  # links to the outputs kept (the preview: none)
            partial = dataclasses.replace(work.partial, outputs=work.partial.outputs | missing)
            settings = {**settings, incremental.PARTIAL: partial}
        with copy_faults_raised():
            _run_without_summary({**_own(settings), "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False})
        deferred_search.narrow(work, staging, output)  # a preview build: the questions its search catch-up needs
        files = in_place.finish(work, staging, output, missing)  # swapped in (the preview: moved file by file)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        incremental.abandon()  # the cache entries the failed build deferred
        raise
    incremental.save(work, output, files)
    removed()  # the search shards' folders, deleted meanwhile (render/shard_indexer.py): none left beside the output


def _own(settings: dict[str, Any]) -> dict[str, Any]:
    """A copy for Pelican, which changes some settings in place (it adds to MARKDOWN): the caller's stay as they
    were, and so does their fingerprint (build/cache.py), for the next build of the same settings (livereload)."""
    mutable = (dict, list)
    return {
        k: copy.deepcopy(v) if isinstance(v, mutable) and not k.startswith("QASITE_") else v
        for k, v in settings.items()
    }


def _run_without_summary(settings: dict[str, Any]) -> None:
    """``Pelican(settings).run()`` without its last line, "Done: Processed 0 articles, ...": it counts generators we
    don't use.

    Pelican 4.12 prints that line, and nothing else, through the ``console`` of its own module (its warnings go
    through logging, to ``pelican.log.console``, and still show); that name is pointed at a silent console meanwhile.
    """
    pelican = pelican_module.Pelican(settings)
    loud = pelican_module.console
    pelican_module.console = Console(quiet=True)
    try:
        pelican.run()
    finally:
        pelican_module.console = loud


def run_cli(
    command: str,
    settings_file: Path,
    overrides: dict[str, Any] | None = None,
    *,
    strict: bool = False,
    verbose: bool = False,
    reviews: bool = False,
) -> int:
    """Run ``build`` or ``check``; print problems as editors read them; return the exit code.

    ``strict`` (for publishing) turns every warning, ours or Pelican's, into a failure. ``reviews`` (``check``
    only): list the reviewed posts overdue or due for review instead (errors in the content still fail).
    """
    init_logging(level=logging.INFO if verbose else logging.WARNING, fatal="warnings" if strict else "")
    if not strict:  # Pelican keeps a strict run's fatal level for the process: this run is not strict
        FatalLogger.fatal_lvl = logging.CRITICAL + 1
    try:
        settings = load_settings(settings_file, overrides)
        work = _reviews if command == "check" and reviews else _check if command == "check" else _build
        with progress.shown(sys.stderr):  # over before anything is printed: problems never mix with it
            code, out, err = work(settings, strict)
        for text, stream in ((err, sys.stderr), (out, sys.stdout)):
            if text:
                print(text, file=stream)
        return code
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


def _check(settings: dict[str, Any], strict: bool) -> tuple[int, str, str]:
    """Check the content: (exit code, what to print on stdout, on stderr)."""
    problems = check_content(settings=settings)
    if problems:
        return 1 if strict or any(p.is_error for p in problems) else 0, "", format_problems(problems)
    return 0, "Content OK: no problems found.", ""


def _reviews(settings: dict[str, Any], strict: bool) -> tuple[int, str, str]:
    """The reviews overdue or due soon: (exit code, what to print on stdout, on stderr)."""
    loaded = load_content(settings=settings, render=False)
    errors = [p for p in loaded.problems if p.is_error]
    if errors:
        raise ContentError(errors)
    return 0, trust.review_report(loaded.site, today(settings)), ""


def _build(settings: dict[str, Any], strict: bool) -> tuple[int, str, str]:
    """Build the site: (exit code, what to print on stdout, on stderr)."""
    loaded = None
    if strict:
        loaded = load_content(settings=settings)
        warnings = [p for p in content_problems(loaded, settings=settings) if not p.is_error]
        if warnings:
            raise ContentError(warnings)
    return 0, f"Built {build(settings=settings, loaded=loaded)}/", ""
