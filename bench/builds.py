"""Timed builds: plain Pelican (baseline venv), our site with and without search, Pagefind alone, Hugo + Pagefind.

Every build runs in a fresh process and is timed from outside (wall clock,
interpreter start-up and imports included), into an output folder emptied
beforehand, so the baseline and our builds pay the same fixed costs. Ours is
cold: its build cache (``<output>.cache``) is emptied too, and the next timed
command waits until the folders our build deletes in the background are gone
(they would load the disk during it). The peak
memory of each run's whole process tree (summed RSS and PSS, bench/memory.py)
is recorded beside its time.

Run as a script it builds our site once (what the timed subprocess does):

    python bench/builds.py --content DIR --output DIR [--cache DIR] [--no-search] [--processes N]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import memory

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PLAIN_VENV = WORK / "venv-plain"
PLAIN_REQUIREMENTS = ["pelican==4.12.0", "markdown"]
PER_PAGE = 30  # our QA_PER_PAGE; plain Pelican and Hugo paginate their listings the same way
HUGO_SITE = ROOT / "bench" / "hugo"  # the Hugo peer's configuration and layouts
HUGO = shutil.which("hugo") or "hugo"

# Minimal plain Pelican settings: default theme, no feeds, listings paginated like ours.
PLAIN_CONF = f'''"""Plain Pelican baseline for the benchmark (written by bench/builds.py)."""
SITENAME = "Benchmark baseline"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = {PER_PAGE}
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
'''


@dataclass
class Timing:
    """Wall-clock seconds of each run; ``best`` is the figure reported. ``rss`` and ``pss``: each finished run's
    peak memory (bytes, summed over its process tree).

    A run stopped at the time limit ends the series: ``limit`` is then set and
    ``best`` is the limit, a lower bound of the real time.
    """

    runs: list[float]
    limit: float | None = None
    rss: list[int] = field(default_factory=list)
    pss: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    system: list[float] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether every run finished."""
        return self.limit is None

    @property
    def best(self) -> float:
        """The fastest run (least disturbed by the rest of the machine), or the limit when one was stopped."""
        return self.limit if self.limit is not None else min(self.runs)


class BuildCommandError(RuntimeError):
    """A timed command exited with an error."""


class BuildTimeoutError(RuntimeError):
    """A timed command was stopped at the time limit."""


@dataclass
class Run:
    """One finished run: wall-clock seconds, peak memory (bytes) and CPU-s (user + system) of its process tree."""

    seconds: float
    rss: int
    pss: int
    cpu: float = 0.0
    system: float = 0.0  # of ``cpu``, the kernel's (page faults, file writes)


POLL = {"memory": True}  # off inside ``unpolled``: reading smaps_rollup every 0.2 s slows a build measurably


@contextlib.contextmanager
def unpolled() -> Iterator[None]:
    """Time the commands run inside without the memory poller (their Runs' peaks are 0): bench/pairs.py."""
    POLL["memory"] = False
    try:
        yield
    finally:
        POLL["memory"] = True


def _children_cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def _timed(command: list[str], cwd: Path, timeout: float | None) -> Run:
    cpu_before = _children_cpu()
    start = time.perf_counter()
    # Its own process group, so that a stopped build's Pagefind child is stopped with it.
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    peak = memory.PeakMemory(process.pid) if POLL["memory"] else None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        if peak is not None:
            peak.stop()
        raise BuildTimeoutError(f"{' '.join(command)} stopped after {timeout:.0f} s") from None
    elapsed = time.perf_counter() - start
    rss, pss = peak.stop() if peak is not None else (0, 0)
    if process.returncode != 0:
        raise BuildCommandError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    user, system = (after - before for after, before in zip(_children_cpu(), cpu_before, strict=True))
    return Run(elapsed, rss, pss, user + system, system)


SETTLE_LIMIT = 300.0  # s: the longest wait for a build's background deletions before the next timed command


def cache_of(output: Path) -> Path:
    """The build cache our timed builds of ``output`` use (emptied before each: a cold build)."""
    return output.with_name(output.name + ".cache")


TRASH = ".bench-trash"  # beside an emptied folder: what earlier timed commands wrote, deleted by ``empty_trash``
_TRASHES: set[Path] = set()


def _clean(output: Path) -> None:
    """Empty ``output`` (and our build's staging and cache folders) for a timed command: renamed aside into the
    ``TRASH`` folder beside it, not deleted. Deleting a built site's ~35,000 files just before a build made that build
    pay 11–22 more kernel CPU-s on this machine's disk (ext4 with online ``discard``; our cold build at 10,000: 8.5–8.9
    kernel CPU-s with nothing deleted before it, 19.8–30.9 after a deletion, even 30 s after it; session 23): a cost of
    the set-up, not of the build timed, and of whichever side came after the deletion. ``empty_trash`` deletes them
    once no command is timed."""
    for folder in (output, output.with_name(output.name + ".staging"), cache_of(output)):
        if folder.exists():
            trash = folder.parent / TRASH
            trash.mkdir(exist_ok=True)
            folder.rename(trash / f"{folder.name}-{time.time_ns()}")
            _TRASHES.add(trash)


def empty_trash() -> None:
    """Delete what ``_clean`` set aside (after the timed commands: a deletion slows the builds after it)."""
    for trash in sorted(_TRASHES):
        shutil.rmtree(trash, ignore_errors=True)
    _TRASHES.clear()


def _settled(output: Path) -> None:
    """Wait until our build's cache writer is done (``_written_behind``) and the folders it renamed aside to delete in
    the background (``<output>.old-*``) are gone, then until the disk has written what the commands before left dirty
    (``_synced``)."""
    _written_behind(output)
    deadline = time.monotonic() + SETTLE_LIMIT
    while any(output.parent.glob(output.name + ".old-*")) and time.monotonic() < deadline:
        time.sleep(0.5)
    _synced()


def _written_behind(output: Path) -> None:
    """Wait for the process that writes our build's cache after the command returned (``cache.write_behind``: the
    snapshot, and the site graph only the next build reads, ``memory.graph_behind``), which holds the output's build
    lock until done: the next timed command (the peer's, in a pair) must not share the machine with it. Its time is
    not the command's (an editor's ``invoke build`` returns before it), nor counted in the command's CPU-s."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.build.outputdir import LOCK, sibling

    lock = sibling(output, LOCK)
    if not lock.exists():
        return
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    finally:
        os.close(fd)


def _synced() -> None:
    """Flush the page cache's dirty pages (``sync``) before a timed command, so that it does not pay for the
    writeback of the command before it (a build writes ~35,000 files at 10,000 questions; in session 20 our build
    took 28–43 s in the benchmark after the peer's and 20.4 s after a ``sync``)."""
    os.sync()


def _repeat(command: list[str], cwd: Path, output: Path, runs: int, timeout: float | None) -> Timing:
    timing = Timing([])
    for _ in range(runs):
        _written_behind(output)  # the last run's cache writer done before its cache is set aside
        _clean(output)
        _settled(output)
        try:
            _add(timing, _timed(command, cwd, timeout))
        except BuildTimeoutError:
            _clean(output)
            timing.limit = timeout
            break
    return timing


def _add(timing: Timing, run: Run) -> None:
    timing.runs.append(run.seconds)
    timing.rss.append(run.rss)
    timing.pss.append(run.pss)
    timing.cpu.append(run.cpu)
    timing.system.append(run.system)


# -- plain Pelican -------------------------------------------------------------


def ensure_plain_venv() -> dict[str, str]:
    """Create the baseline venv on first use; return its package versions."""
    python = PLAIN_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run(["python3", "-m", "venv", str(PLAIN_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PLAIN_REQUIREMENTS], check=True)
    code = "import sys, pelican, markdown; print(sys.version.split()[0], pelican.__version__, markdown.__version__)"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"python": out[0], "pelican": out[1], "markdown": out[2]}


def plain_build(site: Path, runs: int, timeout: float | None = None) -> Timing:
    """Build ``site/content`` with plain Pelican ``runs`` times into ``site/output``."""
    (site / "pelicanconf.py").write_text(PLAIN_CONF, encoding="utf-8")
    command = [str(PLAIN_VENV / "bin" / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py"]
    return _repeat(command, site, site / "output", runs, timeout)


# -- our site -------------------------------------------------------------------


def ours_build(content: Path, output: Path, *, search: bool, runs: int, timeout: float | None = None) -> Timing:
    """Build our site from ``content`` into ``output`` ``runs`` times, with or without the search index."""
    command = [sys.executable, str(Path(__file__)), "--content", str(content), "--output", str(output)]
    command += ["--cache", str(cache_of(output))] + ([] if search else ["--no-search"])
    timing = _repeat(command, ROOT, output, runs, timeout)
    _settled(output)  # the next timed command (another build, the peer's) starts on a settled disk
    return timing


def pagefind_index(site: Path, runs: int, timeout: float | None = None) -> Timing:
    """Time the search index alone: the exact command our build runs, over an already built ``site``."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.config.urls import Urls
    from qasite.render.search_index import pagefind_command

    return _repeat(pagefind_command(site, Urls().glob("question")), ROOT, site / "pagefind", runs, timeout)


# -- Hugo + Pagefind -------------------------------------------------------------


def hugo_version() -> str:
    """The Hugo version measured ('' when Hugo is not installed)."""
    if not shutil.which(HUGO):
        return ""
    return subprocess.run([HUGO, "version"], capture_output=True, text=True, check=True).stdout.split()[1]


def hugo_pagefind(site: Path, runs: int, timeout: float | None = None, public: Path | None = None) -> dict[str, Timing]:
    """Build ``site/content`` with Hugo into ``site/public`` (or ``public``), then index its question pages with
    Pagefind.

    The configuration and layouts of bench/hugo/ are copied into ``site`` first. Pagefind is the same
    program our build runs (``pagefind_program``: the wheel's binary), over ``questions/*/index.html``.
    Returns the Timing of ``hugo``, of ``pagefind`` and of the two in sequence (``total``: per run the sum
    of the times, the larger of the two peaks, as they do not overlap).
    """
    shutil.copytree(HUGO_SITE, site, dirs_exist_ok=True)
    public = public or site / "public"
    hugo = [HUGO, "--quiet", "--source", str(site), "--destination", str(public)]
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.render.search_index import pagefind_program

    index = [*pagefind_program(), "--site", str(public), "--glob", "questions/*/index.html"]
    result = {"hugo": Timing([]), "pagefind": Timing([]), "total": Timing([])}
    for _ in range(runs):
        _clean(public)
        _synced()
        try:
            first = _timed(hugo, site, timeout)
            _add(result["hugo"], first)
            second = _timed(index, site, max(timeout - first.seconds, 1.0) if timeout else None)
        except BuildTimeoutError:
            for timing in result.values():
                timing.limit = timeout
            break
        _add(result["pagefind"], second)
        seconds, cpu = first.seconds + second.seconds, first.cpu + second.cpu
        both = Run(seconds, max(first.rss, second.rss), max(first.pss, second.pss), cpu, first.system + second.system)
        _add(result["total"], both)
    return result


def build_once(content: Path, output: Path, *, search: bool, extra: dict[str, Any] | None = None) -> Path:
    """Build our site as ``invoke build`` does, with PATH, OUTPUT_PATH and QA_SEARCH (and ``extra``) overridden."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.build.pipeline import build, load_settings

    overrides = {"PATH": str(content.resolve()), "OUTPUT_PATH": str(output.resolve()), "QA_SEARCH": search}
    return build(settings=load_settings(ROOT / "pelicanconf.py", overrides | (extra or {})))


def main() -> None:
    """CLI: build our site once (the command ``ours_build`` times)."""
    parser = argparse.ArgumentParser(description="Build our site once for the benchmark.")
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="QA_CACHE_PATH (default: the settings')")
    parser.add_argument("--no-search", action="store_true", help="QA_SEARCH = False")
    parser.add_argument("--processes", type=int, help="QA_RENDER_PROCESSES (default: the settings', 0 = one per CPU)")
    args = parser.parse_args()
    extra: dict[str, Any] = {} if args.processes is None else {"QA_RENDER_PROCESSES": args.processes}
    extra |= {} if args.cache is None else {"QA_CACHE_PATH": str(args.cache)}
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.__main__ import exit_fast
    from qasite.build import memory

    memory.ONE_BUILD = True  # as ``python -m qasite build`` (``invoke build``): one build, then the process ends
    build_once(args.content, args.output, search=not args.no_search, extra=extra)
    exit_fast(0)  # without the interpreter's teardown of the loaded site, as ``python -m qasite`` ends


if __name__ == "__main__":
    main()
