"""Incremental builds: rewrite only the outputs a change feeds, from the last build's snapshot in the cache.

After every build the pipeline saves a ``Snapshot`` in the build cache (``build/cache.py``, keyed by the
code and the settings): the output folder it produced (each file's size and mtime), the date it counted from,
a digest of the theme, each content file's summary (``build/changes.py``) and the site graph
(``content/graph.py``). The next build of the same output folder, if the snapshot still describes it,
finds what changed (files, and within them front-matter keys, the text, YAML entries and their keys),
asks the old and new graphs which outputs that feeds (``affected``: also every output whose list of
questions moved), and hands the generator a ``Partial``: only those outputs are rendered. The rest are
hard links to the published files in the staging folder (``writer.link_farm``), so the swap stays atomic and
a killed build still leaves the last good site. Anything the snapshot cannot vouch for (no snapshot,
another code version or settings, an output folder changed since, another day, a changed theme,
content with errors) gives a full build, which saves a new snapshot.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.clock import today
from ..config.settings import check_settings, urls_from
from ..config.urls import Urls, save_as
from ..content import related_update, scan_ahead
from ..content.graph import SiteGraph, site_graph
from ..content.graph_update import follow, snapshot_form
from ..content.loader import LOADED, Loaded, load_from_settings
from ..content.related_shards import ShardRelated
from ..render import search_shards
from ..render.headers import HEADERS_FILE
from ..render.index_text import changed_index_text
from . import in_place, memory, related_keep, resume, scan_behind
from .cache import HANDED, Cache, deferred, write_behind
from .changes import RESCAN_LIMIT, TOUCHED, FileState, changes, keeps_related, pack_related, scan, unpack_related
from .spare import Spare
from .writer import link_farm

logger = logging.getLogger(__name__)

NAMESPACE = "incremental"
PARTIAL = "QASITE_PARTIAL"  # settings key: the Partial the generator writes (absent: everything)
RELATED = "QASITE_RELATED"  # settings key: the related questions computed for the graph, for the generator
DEFER_SEARCH = "QASITE_DEFER_SEARCH"  # settings key (livereload): keep the old search index, re-index later
UNFED = (Urls.robots, HEADERS_FILE)  # outputs of the settings alone (always written: cheap)


@dataclass(frozen=True)
class Partial:
    """The outputs a partial build writes; the others are already right in the staging folder."""

    outputs: frozenset[str]
    reindex: bool  # a question page changed, came or went: index the search again
    shards: frozenset[int] | None = None  # the search shards to re-index (None: every shard)
    published: Path | None = None  # the output folder (with ``checked``)
    checked: Mapping[str, int] = dataclasses.field(default_factory=dict)  # pages of ``shards`` -> shard (see below)
    required: frozenset[int] = frozenset()  # shards re-indexed whatever their pages (edits the index missed)
    recheck: frozenset[str] = frozenset()  # DEFER_SEARCH: questions left unindexed only if read anew (deferred_search)

    def index_shards(self, staging: Path) -> frozenset[int] | None:
        """The shards to re-index once the question pages are written to ``staging``: ``shards`` but those whose
        ``checked`` pages Pagefind reads the same as the published ones (only their related block changed).

        None: every shard. An empty set: none (the published shard list and sort table are linked in, unchanged).
        """
        if self.shards is None or self.published is None:
            return self.shards
        changed = changed_index_text(staging, self.published, self.checked)
        shards = self.required | {self.checked[name] for name in changed}
        if not shards:
            link_farm(self.published, staging, frozenset({Urls.search_sorts, Urls.search_shards}))
        return frozenset(shards)


@dataclass(kw_only=True)
class Snapshot:
    """What the last build of an output folder was made from."""

    output: dict[str, tuple[int, int]]  # the output folder it left: each file's size and mtime (s), ``manifest``
    content: str  # the content folder's real path
    today: str
    theme: str
    files: dict[str, FileState]
    graph: SiteGraph | None  # None until ``complete`` (a full build's)
    related: dict[str, list[tuple[str, tuple[str, ...], float]]]  # pack_related
    search_current: bool = True  # False: a build left the search index of an earlier state (DEFER_SEARCH)
    unindexed: frozenset[str] | None = frozenset()  # if not search_current: the questions changed since (None: any)
    spare: Spare | None = None  # the site the build's swap replaced, kept for the next one's staging (build/spare)


@dataclass(kw_only=True)
class Plan:
    """One build: the settings to hand Pelican, and what to save afterwards."""

    settings: dict[str, Any]
    partial: Partial | None = None  # None: a full build
    link: frozenset[str] = frozenset()  # published files to link into the staging folder
    snapshot: Snapshot | None = None  # to save after the swap (its ``output`` filled in then)
    cache: Cache | None = None
    published: Mapping[str, tuple[int, int]] = dataclasses.field(default_factory=dict)  # the output's manifest
    graph: Callable[[], SiteGraph] | None = None  # a full build: makes the snapshot's graph (``complete``)
    spare: Spare | None = None  # the last build's spare staging folder (build/spare.py)

    def linked(self, missing: set[str]) -> dict[str, tuple[int, int]]:
        """The files ``link_farm`` linked (all of ``link`` but ``missing``) that are still those links once the
        build is done, with their size and mtime: not the search index (a re-indexed shard's bundle replaces them)."""
        search = (Urls.pagefind, Urls.search_sorts, Urls.search_shards)
        return {n: self.published[n] for n in self.link - missing if n in self.published and not n.startswith(search)}


def complete(plan: Plan, *, graph: bool | None = None) -> None:
    """A full build's snapshot graph and a cold build's files (scan_behind), made while it waits for Pagefind; the
    graph left to the cache writer where that runs after the command (``graph`` None: ``memory.graph_behind``)."""
    if plan.graph is not None and plan.snapshot is not None:
        plan.snapshot.files = scan_behind.settle(plan.snapshot.files, plan.settings)  # here: the child is this one's
        if memory.graph_behind() if graph is None else not graph:  # made by the cache writer (``save``)
            return
        if isinstance(related := plan.settings.get(RELATED), ShardRelated):  # a cold build's: all made by now
            lists = related.lists()
            plan.snapshot.related, plan.graph = pack_related(lists), functools.partial(plan.graph, related=lists)
        with memory.lasting():  # the graph's sets, uncollected
            plan.snapshot.graph = plan.graph()
    plan.graph = None


def theme_digest(theme: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in theme.rglob("*") if p.is_file()):
        digest.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def plan(settings: dict[str, Any], output: Path, loaded: Loaded | None) -> Plan:
    """Load the content (unless ``loaded``), build its graph, and decide between a full and a partial build."""
    content = Path(settings["PATH"])  # listed by a child while the snapshot is read
    with memory.lasting():  # the snapshot, the load and the graph are millions of objects that live on
        scan_ahead.start(content, loaded is None and not settings.get(DEFER_SEARCH) and TOUCHED not in settings)
        try:
            return _plan(settings, output, loaded)
        finally:
            scan_ahead.drop(content)  # unless the load's scan took it


def _plan(settings: dict[str, Any], output: Path, loaded: Loaded | None) -> Plan:
    if check_settings(settings):
        return Plan(settings=settings)  # Pelican's initialisation reports them
    cache = Cache.for_settings({k: v for k, v in settings.items() if not k.startswith("QASITE_")})  # hand-overs
    key = str(output.resolve())
    content = Path(settings["PATH"])
    kept = previous = memory.SNAPSHOTS.get((cache.folder, key))  # this process's last build (livereload)
    read = functools.partial(cache.get, namespace=NAMESPACE, key=key)  # the snapshot in the cache
    published, stored = in_place.published(settings, output, previous, read)  # the preview: its manifest, in memory
    previous = stored if isinstance(stored, Snapshot) else previous
    same = previous is not None and previous is kept and previous.content == str(content.resolve())
    touched = settings.get(TOUCHED) if same else None  # the preview's watcher's paths since its last build
    preview = bool(settings.get(DEFER_SEARCH))
    one_walk = previous is not None and loaded is None and touched is None and not preview  # not the preview's rescan
    walk = resume.Walk(content, previous.files) if one_walk and previous is not None else None
    summarise = scan_behind.start if previous is None and loaded is None and not preview else scan  # beside a cold load
    files = summarise(content, previous.files if previous else {}, touched) if walk is None else {}  # else: the load's
    if loaded is None:
        # With a snapshot (an incremental build, likely), each file's front matter comes from the cache if unchanged
        resume.prepare(cache, content, snapshot=previous is not None, preview=preview)
        keep = {"cached": previous is not None, "keep": previous is not None or preview, "on_scan": walk}
        # content/reload: only what changed is loaded again; a cold build keeps nothing (its memory: build/resume.py)
        keep["touched"] = touched if touched is not None and len(touched) <= RESCAN_LIMIT else None  # content/rescan
        site, problems = load_from_settings(content, settings, urls_from(settings), **keep)
        loaded = Loaded(content=content, site=site, problems=problems)
    files = walk.files if walk is not None else files  # one walk of content/ (resume.Walk)
    found = changes(previous.files, files) if previous else None
    handed = {**settings, LOADED: loaded, HANDED: cache}
    if any(p.is_error for p in loaded.problems):
        write_behind(background=False)  # the load's cache entries, now: no build follows
        return Plan(settings=handed)  # the generator reports them; nothing is written
    site, urls = loaded.site, urls_from(settings)
    slugs = {q.slug for q in site.questions}
    args = {"limit": settings["QA_RELATED_COUNT"], "processes": settings["QA_RENDER_PROCESSES"]}
    if settings.get(DEFER_SEARCH):  # the preview: its last vectors and lists updated (content/related_update)
        site.vectors, related, packed = related_update.related(site.questions, **args, defer=True)  # scores: Preview
    elif previous and found is not None and keeps_related(found) and previous.related.keys() == slugs:
        related, packed = unpack_related(previous.related, site), previous.related  # packed: the same lists
    elif previous:  # the state the last computation left, updated (build/related_keep)
        site.vectors, related, packed = related_keep.related(cache, content, site.questions, **args)
    else:  # a cold build: each shard's lists just before its pages; the graph's and the snapshot's in ``complete``
        related, packed = ShardRelated(lambda: site.vectors, limit=args["limit"]), {}
    make_graph = functools.partial(
        site_graph, site, urls, per_page=settings["QA_PER_PAGE"], related=related, content=content.name
    )
    snapshot = Snapshot(
        output={},
        content=str(content.resolve()),
        today=today(settings).isoformat(),
        theme=theme_digest(Path(settings["THEME"])),
        files=files,
        graph=None,
        related=packed,
    )
    handed[RELATED] = related
    why = _full_because(previous, snapshot, output, published)
    if why or previous is None or found is None:
        logger.info("full build: %s", why)
        full = Plan(settings=handed, snapshot=snapshot, cache=cache, graph=make_graph)  # graph built later
        return dataclasses.replace(full, published=published or {})  # the files the swap replaces (build/spare)
    moved = related_keep.relisted_for(packed, previous.related, preview=preview)  # lists its graph lacks: replanned
    graph, outputs, dropped = follow(previous.graph, found, *make_graph.args, relisted=moved, **make_graph.keywords)
    snapshot.graph = graph
    names = outputs | dropped
    pending: set[str] | None = _changed_questions(names, slugs | previous.related.keys(), urls)
    if not previous.search_current:
        pending = None if pending is None or previous.unindexed is None else pending | previous.unindexed
    reindex = (pending != set() or not previous.search_current) and settings["QA_SEARCH"]
    recheck: frozenset[str] = frozenset()
    if reindex and settings.get(DEFER_SEARCH):  # livereload: the index follows in the background
        reindex, snapshot.search_current = False, False
        snapshot.unindexed = None if pending is None else frozenset(pending)
        recheck = frozenset() if pending is None else frozenset(pending - (previous.unindexed or set()))
    link = (previous.graph.selections.keys() & graph.selections.keys()) - outputs
    if not reindex or site.questions:  # re-indexing: the shards left alone are linked, the others replaced
        link |= {name for name in published or () if name.startswith(Urls.pagefind)}  # the manifest: no walk
    if not reindex:
        link |= {Urls.search_sorts, Urls.search_shards}
    written = outputs | set(UNFED) | ({Urls.search_sorts, Urls.search_shards} if reindex else set())
    shards = _shards(pending, slugs, output, settings) if reindex else None
    partial = Partial(outputs=frozenset(written), reindex=reindex, shards=shards, recheck=recheck)
    if shards is not None and pending is not None:  # each of this build's pages: re-indexed if Pagefind reads it anew
        count = search_shards.bundles_on_disk(output)
        missed = (previous.unindexed or frozenset()) if not previous.search_current else frozenset()
        required = frozenset(search_shards.shard_of(slug, count) for slug in pending & missed)
        checked = {save_as(urls.url("question", s)): search_shards.shard_of(s, count) for s in pending - missed}
        partial = dataclasses.replace(partial, published=output, checked=checked, required=required)
    logger.info("incremental build: %d outputs to write, search %s", len(outputs), "re-indexed" if reindex else "kept")
    work = Plan(settings=handed, partial=partial, link=frozenset(link), snapshot=snapshot, cache=cache)
    return dataclasses.replace(work, published=published or {}, spare=previous.spare)


def _full_because(previous: Snapshot | None, snapshot: Snapshot, output: Path, published: Any) -> str:
    """Why the last build's snapshot cannot serve this build ('' if it can)."""
    if previous is None:
        return "no snapshot of the last build for this code and these settings"
    if previous.output != published:
        return f"{output} is not the folder the last build left"
    if previous.content != snapshot.content:
        return "another content folder"
    if previous.today != snapshot.today:
        return "another day (dated pages)"
    if previous.theme != snapshot.theme:
        return "the theme changed"
    return ""


def _changed_questions(names: set[str], slugs: set[str], urls: Urls) -> set[str]:
    """The questions (of ``slugs``, before or after) whose pages are among the outputs ``names``."""
    found = (urls.slug_of("question", name) for name in names)  # from the few names, not every slug's page
    return {slug for slug in found if slug is not None and slug in slugs}


def _shards(
    pending: set[str] | None, slugs: set[str], output: Path, settings: Mapping[str, Any]
) -> frozenset[int] | None:
    """The search shards holding the questions ``pending`` (None: every shard), if the published index has as many
    shards as this build needs; else None."""
    count = search_shards.shard_count(sorted(slugs), settings["QA_SEARCH_SHARD_SIZE"])
    if pending is None or search_shards.bundles_on_disk(output) != count:
        return None
    return frozenset(search_shards.shard_of(slug, count) for slug in pending)


def save(plan: Plan, output: Path, files: dict[str, tuple[int, int]]) -> None:
    """Record what the build just swapped in (``files``: its ``manifest``), for the next build of ``output``. The
    snapshot and the load caches are written after the build, by a process of their own that holds the build lock
    meanwhile (``build/cache.write_behind``; the graph made there too, ``memory.graph_behind``): the command returns
    without waiting for them."""
    snapshot, stored = plan.snapshot, plan.cache
    if snapshot is None or stored is None:
        write_behind()
        return
    complete(plan)
    snapshot.output = files
    key = str(output.resolve())

    def put() -> None:
        complete(plan, graph=True)  # the graph, if left to this writer (``memory.graph_behind``)
        saved = dataclasses.replace(snapshot, graph=snapshot_form(snapshot.graph))  # plain tuples: read back in C
        stored.put(namespace=NAMESPACE, key=key, value=saved)
        resume.persist(stored, Path(plan.settings["PATH"]))  # the kept load, for the next build in a new process
        related_keep.persist(stored, Path(plan.settings["PATH"]), snapshot.related)  # if this build made the lists

    write_behind(put, later=stored._path(NAMESPACE, key))  # the preview: put when asked for or when it stops
    memory.keep((stored.folder, key), snapshot, plan.settings.get(LOADED))


def abandon() -> None:
    """A build failed: drop the cache entries it deferred (the cache is never needed; its old entries stay)."""
    deferred()
    write_behind(background=False)
