"""qasite: a Pelican plugin that turns a folder of questions and answers into a Q&A site.

``register()`` only connects signals. The code is in six subpackages, each module one job
(their docstrings list them; docs/maintaining.md has the code map):

- ``config``: QA_* settings, problems, the URL map;
- ``content``: read content/ safely, validate, assemble the site model;
- ``render``: pages, listings, feeds, sitemap, JSON-LD, headers, the search index;
- ``build``: the check/build command, atomic output folder, child processes;
- ``tools``: scaffolding, contribute links, reviewers, generated docs, preview servers;
- ``importers``: Stack Exchange, CSV and Question2Answer.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from .build.lazy_pelican import defer

defer()  # before any import of Pelican's: ``check`` never runs its package's __init__ (build/lazy_pelican.py)
# Pelican's log first, as its package has it: its logger class (FatalLogger, --strict) is every logger's.
import pelican.log  # noqa: E402, F401

from .build import memory  # noqa: E402
from .config.problems import SettingsError  # noqa: E402
from .config.settings import check_settings, with_defaults  # noqa: E402

if TYPE_CHECKING:  # the generator is imported when Pelican asks for it: ``check`` never renders
    from .render.generator import QAGenerator


def initialize(pelican: Any) -> None:
    """Fill QA_* defaults, check settings, turn on autoescaping and register the Jinja filters."""
    from .build.cache import HANDED
    from .render.bytecode import TEMPLATES, restore
    from .render.filters import FILTERS

    settings = with_defaults(pelican.settings)
    errors = check_settings(settings)
    if errors:
        raise SettingsError("; ".join(errors))
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    # Content is untrusted: every template variable is escaped unless marked safe.
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}
    # One build per environment: no stat of every included template on every page (Jinja's auto_reload).
    settings["JINJA_ENVIRONMENT"].setdefault("auto_reload", False)
    # Templates compiled once per process, not once per build (the live preview builds many times); a new process
    # starts from those the last build compiled, kept in the build cache (the generator keeps them there).
    settings["JINJA_ENVIRONMENT"].setdefault("bytecode_cache", TEMPLATES)
    restore(settings.get(HANDED))
    # SITEURL as a global lets templates import macros without context: Jinja then caches the module.
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "SITEURL": settings["SITEURL"]}


def thaw(pelican: Any) -> None:
    """Let the garbage collector have the build's objects again (the generator froze them after loading), unless
    the process ends with this build (``python -m qasite``): a collection would only walk them (build/memory.py)."""
    if not memory.ONE_BUILD:
        gc.unfreeze()


def get_generators(pelican: Any) -> type[QAGenerator]:
    """Hand Pelican our generator."""
    from .render.generator import QAGenerator

    return QAGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    from pelican import signals

    signals.initialized.connect(initialize)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(thaw)
