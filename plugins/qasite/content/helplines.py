"""helplines.yml: the crisis services shown on the help page and on sensitive question pages.

The file is optional. Its keys are ISO 3166-1 alpha-2 country codes; each country has a ``name``
and ``services``, each service under a short key (schema ``COUNTRY`` and ``HELPLINE``). Besides
the field checks: a phone or text service needs a ``number``, a chat or web one an ``address``.

``crisis_services`` is the one rule for the notice above a sensitive question (at most three
services); ``stale`` warns about services nobody has checked for too long.
"""

from __future__ import annotations

import datetime as dt

from ..config.problems import Problem, warning
from . import schema
from .frontmatter import Located
from .model import Country, Helpline
from .read import Reader
from .site import Site
from .values import FieldError, to_country

HELPLINES_FILE = "helplines.yml"
NEEDS = {"phone": "number", "text": "number", "chat": "address", "web": "address"}
EXAMPLES = {"number": '"116 123"', "address": "https://..."}


def load_helplines(reader: Reader, site: Site) -> None:
    """Every country and service from content/helplines.yml (none when the file is absent) into ``site.helplines``."""
    path = reader.content / HELPLINES_FILE
    if not reader.tree.exists(path) and path not in reader.tree.refused:
        return
    located = reader.yaml_file(HELPLINES_FILE)
    rel = reader.rel(path)
    for code, entry in (located.data if located else {}).items():
        line = located.line(code)
        try:
            to_country(code)
        except FieldError as err:
            reader.report(path, line, str(code), err.message, err.fix)
            continue
        if not isinstance(entry, dict):
            reader.report(path, line, code, "must be a mapping of fields", "add 'name:' and 'services:' under it")
            continue
        values, problems = schema.check(located, schema.COUNTRY, rel, (code,))
        reader.problems += problems
        if problems:
            continue
        country = Country(code=code, name=values["name"])
        for key in values["services"]:
            country.services += _service(reader, located, rel, (code, "services", key))
        site.helplines[code] = country


def _service(reader: Reader, located: Located, rel: str, at: tuple[str, str, str]) -> list[Helpline]:
    """The service at ``at`` (country, 'services', key), or nothing (and its problems)."""
    label = ".".join(at)
    entry = located.data[at[0]][at[1]][at[2]]
    if not isinstance(entry, dict):
        reader.problems.append(Problem(rel, located.line(*at), label, "must be a mapping of fields", "add 'name:' ..."))
        return []
    values, problems = schema.check(located, schema.HELPLINE, rel, at)
    needed = NEEDS.get(values["how"] or "")
    if needed and entry.get(needed) is None:  # absent (a bad value has its own problem)
        fix = f"add '{needed}: {EXAMPLES[needed]}' under it"
        message = f"required for a {values['how']} service"
        problems.append(Problem(rel, located.line(*at), f"{label}.{needed}", message, fix))
    reader.problems += problems
    if problems:
        return []
    return [
        Helpline(
            key=at[2],
            country=at[0],
            source_path=rel,
            line=located.line(*at, "verified_on"),
            **values,
        )
    ]


def crisis_services(country: Country | None) -> list[Helpline]:
    """The notice's services, at most three: a phone line, a text service, then a chat or web one.

    Each is the first of its kind in the file, a 24/7 one before any other; a kind the country
    lacks is left out.
    """
    if country is None:
        return []
    chosen = []
    for kinds in (("phone",), ("text",), ("chat", "web")):
        fitting = [s for s in country.services if s.how in kinds]
        fitting.sort(key=lambda s: not s.round_the_clock)  # stable: file order within each group
        chosen += fitting[:1]
    return chosen


def stale(site: Site, *, today: dt.date, max_age_days: int) -> list[Problem]:
    """A warning for each service whose ``verified_on`` is more than ``max_age_days`` before ``today``."""
    problems = []
    for country in site.helplines.values():
        for service in country.services:
            age = (today - service.verified_on).days
            if age > max_age_days:
                problems.append(
                    warning(
                        service.source_path,
                        service.line,
                        f"{country.code}.services.{service.key}.verified_on",
                        f"last checked {service.verified_on.isoformat()}, {age} days ago (more than {max_age_days})",
                        "call or check the service, then set verified_on to the day you did",
                    )
                )
    return problems


def missing_default(site: Site, default_country: str, rel: str) -> list[Problem]:
    """A warning (on ``rel``, helplines.yml) when QA_DEFAULT_COUNTRY names a country it does not list.

    Not when it lists none (no file, or a content folder that could not be read): the help page says so.
    """
    if not default_country or not site.helplines or default_country in site.helplines:
        return []
    fix = f"add '{default_country}:' with its services, or change the setting"
    return [warning(rel, 1, "QA_DEFAULT_COUNTRY", f"'{default_country}' has no services in this file", fix)]
