"""qasite: a Pelican plugin that turns a folder of questions and answers into a Q&A site.

``register()`` only connects signals; each module does one job:
frontmatter (read files), schema (fields), loader (validate and assemble),
answers (order, accepted rule), markdown (safe HTML), points, listings,
generator (write pages), settings (QA_* defaults and checks), build (atomic builds).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .filters import FILTERS
from .generator import QAGenerator
from .settings import check_settings, with_defaults


class SettingsError(Exception):
    """A bad QA_* or required Pelican setting."""


def initialize(pelican: Any) -> None:
    """Fill QA_* defaults, check settings, and register the theme's Jinja filters."""
    settings = with_defaults(pelican.settings)
    errors = check_settings(settings)
    if errors:
        raise SettingsError("; ".join(errors))
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}


def get_generators(pelican: Any) -> type[QAGenerator]:
    """Hand Pelican our generator."""
    return QAGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(initialize)
    signals.get_generators.connect(get_generators)
