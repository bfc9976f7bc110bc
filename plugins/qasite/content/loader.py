"""Load and validate all content before anything is rendered: the orchestrator.

``load_site()`` reads every file under the content folder once (``read``), builds the model
(``data``, ``posts``) and checks it against the schema and the cross-file rules (``rules``),
renders each Markdown body once (``bodies``; ``render=False`` for ``check``: parsed only, no HTML),
groups the ``Site`` (``site``) and runs the site-wide checks (``lint``). It returns the site (with its
``stats``: files read, bodies rendered or parsed) and every problem found. Nothing is skipped silently:
an unexpected file is a problem too.

A command loads once: ``build.pipeline`` hands the site it loaded for ``check`` to the
generator through the ``LOADED`` settings key (see ``Loaded``). The live preview keeps its load in
memory (``keep``): the next one reads and checks only the question folders and pages that changed
(``reload``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build import progress
from ..build.cache import Cache
from ..config.problems import Problem
from ..config.settings import DEFAULTS
from ..config.urls import Urls
from . import prepare_early, reload
from .bodies import Bodies
from .confine import Tree
from .data import load_categories, load_people, load_tags
from .helplines import load_helplines
from .lint import broken_links, similar_tags, text_warnings
from .people import PEOPLE_FILE
from .posts import Posts
from .read import Reader
from .site import Site
from .trust import Policy, check_trust
from .trust import policy as policy_of

logger = logging.getLogger(__name__)

# Settings key under which build.pipeline hands a loaded site to the generator (not a QA_* setting: never set by hand).
LOADED = "QASITE_LOADED"


@dataclass(kw_only=True)
class Loaded:
    """A site loaded for one command, and the problems found, for the generator to render without loading again."""

    content: Path
    site: Site
    problems: list[Problem] = field(default_factory=list)


def load_site(
    content: Path,
    *,
    timezone: str = "UTC",
    urls: Urls | None = None,
    processes: int = 0,
    policy: Policy | None = None,
    phone_region: str = DEFAULTS["QA_PHONE_REGION"],
    render: bool = True,
    cache: Cache | None = None,
    on_disk: Mapping[str, bytes] | None = None,
    keep: bool = False,
    touched: Iterable[str] | None = None,
    on_scan: Callable[[Tree | None, Tree], object] | None = None,
) -> tuple[Site, list[Problem]]:
    """Read and validate everything under ``content``; return the site and all problems.

    ``processes``: Markdown rendering processes (0: one per CPU on large sites). ``policy``: today and the
    verification and review periods (``trust.policy(settings)``; default: the real date and a year each).
    ``phone_region``: the country whose numbers the privacy lint finds without a + country code.
    ``render=False`` (``check``): bodies are parsed, not rendered: the same problems, but no HTML to build with;
    the Markdown files are read and parsed ahead, in workers (``prepare``), their results kept in ``cache``.
    ``render=True`` with a ``cache`` (an incremental build): each Markdown file's front matter and field check are
    kept in the cache the same way, and each rendered body by a digest of its text (``bodies.rendered_cached``).
    ``on_disk``: each file's digest as the caller just hashed it (``check``: ``prepare_files``).
    ``keep`` (the live preview, with ``render``): what this load found is kept in memory, and the next such load
    of the same folder with the same settings reads and checks only what changed (``reload``); ``touched``: every
    path under ``content`` changed since that load, as the preview's watcher reported them (``rescan``).
    ``on_scan``: called with the last scan (``keep``: the kept load's, else None) and the new one, before the load
    compares them (``build/resume.Walk``: an incremental build's summary of every file, from the same walk).
    """
    urls = urls or Urls()
    policy = policy or Policy(today=dt.date.today())
    memo = reload.take((str(content), timezone, urls, policy, phone_region)) if keep and render else None
    site = Site()
    before = (memo.tree or Tree(content)) if memo is not None else None  # kept: compared with the last scan
    touched = touched if memo is not None and memo.tree is not None else None
    early = processes if not render and memo is None and prepare_early.cold(cache, content) else None  # a cold check
    reader = Reader(content, timezone=timezone, stats=site.stats, before=before, touched=touched, early=early)
    if on_scan is not None:
        on_scan(before, reader.tree)
    if content in reader.tree.refused:
        return site, reader.problems
    if memo is not None and not memo.compare(reader, urls):
        memo = reload.Memo(key=memo.key)  # a full load (the last one's objects let go first)
    bodies = Bodies(site.stats)
    again = memo is not None and memo.reloading
    with progress.phase("reading", total=len(reader.tree.files), unit="files") as reading:
        reader.on_read = reading.advance
        if not again:  # in workers on large sites; a build without a cache keeps nothing of it
            reader.read_ahead(processes=processes, cache=cache, parse=not render, on_disk=on_disk)
        if memo is not None:
            tag_fields = memo.load_data(reader, site, urls)
        else:
            load_people(reader, site, urls)
            load_categories(reader, site, urls)
            load_helplines(reader, site)
            tag_fields = load_tags(reader, site)
        posts = Posts(reader=reader, site=site, urls=urls, bodies=bodies, tag_fields=tag_fields, memo=memo)
        posts.load_pages()
        posts.load_questions()
    numbers = {s.number for country in site.helplines.values() for s in country.services if s.number}
    exempt = {"exempt_numbers": numbers, "exempt_regions": list(site.helplines)}  # helplines are not personal
    lint_cache = cache if not render else None  # check: each file's text warnings kept by its bytes
    warnings = text_warnings(reader, bodies, phone_region=phone_region, cache=lint_cache, **exempt)
    phase = "rendering" if render else "parsing"
    with progress.phase(phase, total=len(bodies.pending), unit="Markdown texts") as rendering:
        kept = cache if render and not again else None  # a reload renders its few bodies here: cache left as is
        bodies.render(processes, rendering.advance, html=render, cache=kept, key=str(content))
    if memo is not None:
        memo.rendered(bodies, warnings)
        reload.keep(memo, reader.tree)
    site.finish()
    problems = reader.problems + bodies.problems + warnings
    problems += check_trust(site, policy, reader.rel(content / PEOPLE_FILE))
    problems += broken_links(site, bodies.link_sources, urls) + similar_tags(site)
    return site, sorted(problems)


def load_from_settings(
    content: Path,
    settings: Mapping[str, Any],
    urls: Urls,
    *,
    render: bool = True,
    cached: bool = False,
    on_disk: Mapping[str, bytes] | None = None,
    keep: bool = False,
    touched: Iterable[str] | None = None,
    on_scan: Callable[[Tree | None, Tree], object] | None = None,
) -> tuple[Site, list[Problem]]:
    """``load_site`` with a command's settings: time zone, render processes, today and periods, phone region;
    ``check`` (``render=False``) keeps its per-file work in the build cache (``QA_CACHE_PATH``), and so does a
    build with ``cached`` (an incremental one: ``build.incremental``); ``keep``: see ``load_site``."""
    return load_site(
        content,
        timezone=settings["TIMEZONE"],
        urls=urls,
        processes=settings["QA_RENDER_PROCESSES"],
        policy=policy_of(settings),
        phone_region=settings["QA_PHONE_REGION"],
        render=render,
        cache=Cache.for_settings(settings) if cached or not render else None,
        on_disk=on_disk,
        keep=keep,
        touched=touched,
        on_scan=on_scan,
    )
