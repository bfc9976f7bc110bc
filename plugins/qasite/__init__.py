"""qasite: a Pelican plugin that turns a folder of questions and answers into a Q&A site.

``register()`` only connects signals; each module does one job:
frontmatter (read files), schema (fields), loader (validate and assemble),
answers (order, accepted rule), markdown (safe HTML), points, listings,
generator (write pages), related, feeds, seo, structured_data,
contribute, search_index (Pagefind), settings (QA_* defaults and checks), build (atomic builds),
outputdir (lock, crash recovery, swap, write faults), lifeline (children die with the build).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .filters import FILTERS
from .generator import QAGenerator
from .problems import SettingsError
from .settings import check_settings, with_defaults


def initialize(pelican: Any) -> None:
    """Fill QA_* defaults, check settings, turn on autoescaping and register the Jinja filters."""
    settings = with_defaults(pelican.settings)
    errors = check_settings(settings)
    if errors:
        raise SettingsError("; ".join(errors))
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    # Content is untrusted: every template variable is escaped unless marked safe.
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}), "autoescape": True}
    # SITEURL as a global lets templates import macros without context: Jinja then caches the module.
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "SITEURL": settings["SITEURL"]}


def get_generators(pelican: Any) -> type[QAGenerator]:
    """Hand Pelican our generator."""
    return QAGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(initialize)
    signals.get_generators.connect(get_generators)
