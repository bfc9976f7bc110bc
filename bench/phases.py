"""Where a preview edit's time goes: wall and CPU time of each phase of ``Preview.rebuild()``, per edit.

``trace()`` wraps the functions a preview build calls (the load, the related update, the graph update, Pelican's
run, the install, the snapshot, the search catch-up's start...) where their callers look them up, and records
each call's start (from ``mark()``: the edit saved), wall time, CPU time of this process (``process_time``: every
thread) and the main thread's time waiting for a core (``/proc/thread-self/schedstat``: the machine's other work);
the rest of the wall time is time blocked (disk, locks, children). ``report()`` gives the calls since the last
``mark()``, one line each. A benchmark aid (bench/incremental.py ``--trace``): it changes no result.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import time
from collections.abc import Callable
from typing import Any

# (module, attribute, label): each wrapped where its caller finds it
PHASES = [
    ("qasite.tools.livereload", "load_settings", "settings"),
    ("qasite.tools.livereload", "run_cli", "run_cli"),
    ("qasite.tools.livereload", "Catchup", "catchup start (fork)"),
    ("qasite.build.pipeline", "load_settings", "settings"),
    ("qasite.build.incremental", "plan", "plan"),
    ("qasite.build.incremental", "Cache.for_settings", "  cache fingerprint"),
    ("qasite.build.in_place", "published", "  published"),
    ("qasite.build.incremental", "scan", "  changes.scan"),
    ("qasite.build.incremental", "changes", "  changes"),
    ("qasite.build.resume", "prepare", "  resume.prepare"),
    ("qasite.build.incremental", "load_from_settings", "  load"),
    ("qasite.content.related_update", "related", "  related"),
    ("qasite.build.incremental", "follow", "  graph update"),
    ("qasite.content.graph_update", "plan_units", "    units planned"),
    ("qasite.build.incremental", "theme_digest", "  theme digest"),
    ("qasite.build.incremental", "_changed_questions", "  changed questions"),
    ("qasite.build.pipeline", "_run_without_summary", "pelican"),
    ("qasite.render.generator", "QAGenerator.generate_context", "  generate_context"),
    ("qasite.render.generator", "QAGenerator._enrich", "    enrich"),
    ("qasite.render.rows", "memo_filter", "    rows key"),
    ("qasite.render.assets", "stylesheet", "    stylesheet"),
    ("qasite.render.generator", "QAGenerator.generate_output", "  generate_output"),
    ("qasite.build.deferred_search", "narrow", "search narrow"),
    ("qasite.build.in_place", "finish", "install"),
    ("qasite.build.incremental", "save", "snapshot"),
]


class Trace:
    """The calls recorded since ``mark``: (label, start from the mark, wall, CPU, queued)."""

    def __init__(self) -> None:
        self.zero = time.perf_counter()
        self.calls: list[tuple[str, float, float, float, float]] = []

    def mark(self) -> None:
        self.zero, self.calls = time.perf_counter(), []

    def wrap(self, function: Callable[..., Any], label: str) -> Callable[..., Any]:
        if isinstance(function, type):  # a class (Catchup): time its construction
            return self._wrap_class(function, label)

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            wall, cpu, queued = time.perf_counter(), time.process_time(), waited()
            try:
                return function(*args, **kwargs)
            finally:
                now = time.perf_counter()
                self.calls.append((label, wall - self.zero, now - wall, time.process_time() - cpu, waited() - queued))

        return timed

    def _wrap_class(self, cls: type, label: str) -> Callable[..., Any]:
        return self.wrap(lambda *args, **kwargs: cls(*args, **kwargs), label)

    def report(self) -> str:
        return "\n".join(
            f"    {label:<24} at {start:6.3f} s  wall {wall:6.3f}  cpu {cpu:6.3f}  queued {queued:6.3f}"
            f"  blocked {max(0.0, wall - cpu - queued):6.3f}"
            for label, start, wall, cpu, queued in sorted(self.calls, key=lambda c: c[1])
        )


def waited() -> float:
    """Seconds this thread has waited for a core since it started (0 where the kernel does not say)."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as stats:
            return int(stats.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def trace() -> Trace:
    """Wrap every phase of ``PHASES`` that exists; the trace recording them."""
    recorder = Trace()
    for module_name, name, label in PHASES:
        owner: Any = importlib.import_module(module_name)
        *path, name = name.split(".")  # "Class.method": wrapped on the class
        for part in path:
            owner = getattr(owner, part)
        found = inspect.getattr_static(owner, name, None)
        if isinstance(found, classmethod):
            setattr(owner, name, classmethod(recorder.wrap(found.__func__, label)))
        elif found is not None:
            setattr(owner, name, recorder.wrap(getattr(owner, name) if not path else found, label))
    return recorder
