"""The help page and the crisis notice: which countries come first, which services the notice shows.

``help_page()`` orders helplines.yml for the page (the default country, QA_DEFAULT_COUNTRY, first,
then the others by name) and picks the notice's services (``helplines.crisis_services``); the
generator puts it in every page's context as ``qa_help``. ``help_warnings()`` is what check and
build report about helplines.yml given the settings: services not checked for too long, a default
country with no services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.clock import today
from ..config.problems import Problem
from ..content.helplines import HELPLINES_FILE, crisis_services, missing_default, stale
from ..content.model import Country, Helpline
from ..content.site import Site


@dataclass(kw_only=True)
class HelpPage:
    """The help page's countries in order, and the services of the notice on sensitive pages."""

    countries: list[Country] = field(default_factory=list)
    default: Country | None = None
    notice: list[Helpline] = field(default_factory=list)


def help_page(site: Site, default_country: str) -> HelpPage:
    """The countries of helplines.yml, ``default_country`` first, then by name; the notice's services."""
    default = site.helplines.get(default_country)
    others = sorted((c for c in site.helplines.values() if c is not default), key=lambda c: (c.name.casefold(), c.code))
    return HelpPage(
        countries=[default, *others] if default else others, default=default, notice=crisis_services(default)
    )


def help_warnings(site: Site, settings: dict[str, Any]) -> list[Problem]:
    """Stale ``verified_on`` dates (QA_HELPLINE_MAX_AGE_DAYS, counted from ``clock.today``) and a missing default."""
    rel = f"{Path(settings['PATH']).name}/{HELPLINES_FILE}"
    problems = stale(site, today=today(settings), max_age_days=settings["QA_HELPLINE_MAX_AGE_DAYS"])
    return problems + missing_default(site, settings["QA_DEFAULT_COUNTRY"], rel)
