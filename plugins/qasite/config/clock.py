"""The date the content checks count from, in one place: ``today(settings)``.

Every dated check (a helpline's ``verified_on``, and any later review or verification expiry)
calls ``today()`` instead of the system clock, so tests set ``QA_TODAY`` ('2026-11-01') and never
depend on the real date. ``QA_TODAY`` is '' on real sites: today in the site's ``TIMEZONE``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from ..content.values import COUNTRY_CODES


def today(settings: dict[str, Any]) -> dt.date:
    """``QA_TODAY`` when set, else today's date in the site's time zone."""
    if settings.get("QA_TODAY"):
        return dt.date.fromisoformat(settings["QA_TODAY"])
    return dt.datetime.now(zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def check_dated_settings(settings: dict[str, Any]) -> list[str]:
    """Messages for a bad QA_TODAY, QA_HELPLINE_MAX_AGE_DAYS or QA_DEFAULT_COUNTRY."""
    errors = []
    when = settings.get("QA_TODAY")
    if isinstance(when, str) and when:
        try:
            dt.date.fromisoformat(when)
        except ValueError:
            errors.append(f"setting QA_TODAY must be '' or an ISO date like '2026-11-01', got {when!r}")
    age = settings.get("QA_HELPLINE_MAX_AGE_DAYS")
    if isinstance(age, int) and age < 1:
        errors.append("setting QA_HELPLINE_MAX_AGE_DAYS must be 1 or more")
    country = settings.get("QA_DEFAULT_COUNTRY")
    if isinstance(country, str) and country and country not in COUNTRY_CODES:
        errors.append(
            f"setting QA_DEFAULT_COUNTRY must be '' or a two-letter ISO 3166-1 country code like 'GB', got {country!r}"
        )
    return errors
