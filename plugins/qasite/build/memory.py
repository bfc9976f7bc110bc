"""What this process's last build keeps in memory for its next build in the same process (the live preview):
the snapshot it saved and the site it was built from (the preview's search catch-up, tools/catchup.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.loader import Loaded
from .cache import Cache, behind

if TYPE_CHECKING:  # incremental imports this module
    from .incremental import Snapshot

ONE_BUILD = False  # the process ends after its one build (``python -m qasite``): its objects need never be thawed
SNAPSHOTS: dict[tuple[Path, str], Snapshot] = {}  # the last snapshot saved by this process, by (cache, output)
SITES: dict[tuple[Path, str], Loaded] = {}  # the site that snapshot was built from


def graph_behind() -> bool:
    """Whether a full build's site graph, which only the next build reads, is left to its cache writer (made after
    the command returned): in a process that ends with its one build (``python -m qasite``) and writes apart."""
    return ONE_BUILD and behind()


def keep(key: tuple[Path, str], snapshot: Snapshot, loaded: Any) -> None:
    """Remember ``snapshot`` (and ``loaded``, if a site) as this process's last build of ``key``; only that one."""
    SNAPSHOTS.clear()  # the next build in this process (livereload) skips reading it
    SNAPSHOTS[key] = snapshot
    SITES.clear()
    if isinstance(loaded, Loaded):
        SITES[key] = loaded


def remembered(settings: Mapping[str, Any]) -> tuple[Snapshot, Loaded | None, Cache] | None:
    """This process's last snapshot of ``settings``' output, the site it was built from (if kept) and its cache."""
    cache = Cache.for_settings({k: v for k, v in settings.items() if not k.startswith("QASITE_")})
    key = (cache.folder, str(Path(settings["OUTPUT_PATH"]).resolve()))
    return (SNAPSHOTS[key], SITES.get(key), cache) if key in SNAPSHOTS else None


def forget_site() -> None:
    """Let go of the last build's site (the next build loads its own)."""
    SITES.clear()


def search_pending(settings: Mapping[str, Any]) -> bool:
    """Whether this process's last build of ``settings``' output left the search index behind (DEFER_SEARCH)."""
    found = remembered(settings)
    return found is not None and not found[0].search_current


@contextmanager
def lasting() -> Iterator[None]:
    """Make objects that live on (``incremental.plan``'s snapshot, load and graph; a full build's site graph:
    ~244,000 sets and tuples holding ~1.2 M edges at 10,000 questions) with no collection walking them while they
    are made, nor after (frozen; the generator thaws them for a next build). Nothing changes where collection is off
    already."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
