"""The build's idea of today, in one place: ``today(settings)``, and the checks of the dated settings.

Everything that ages (a helpline's ``verified_on``, verifications, reviews) asks ``today()``, never
the system clock, so tests set ``QA_TODAY`` (a date, or an ISO string like '2026-11-01') and never
depend on the real date. ``QA_TODAY`` is None (or '') on real sites: today in the site's ``TIMEZONE``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any

from ..content.values import COUNTRY_CODES


def today(settings: Mapping[str, Any]) -> dt.date:
    """``QA_TODAY`` when set, else today's date in the site's time zone (UTC by default)."""
    fixed = settings.get("QA_TODAY")
    if isinstance(fixed, dt.datetime):
        return fixed.date()
    if isinstance(fixed, dt.date):
        return fixed
    if isinstance(fixed, str) and fixed:
        return dt.date.fromisoformat(fixed)
    return dt.datetime.now(zoneinfo.ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def check_dated_settings(settings: Mapping[str, Any]) -> list[str]:
    """Messages for a QA_TODAY string that is not an ISO date, and a QA_DEFAULT_COUNTRY that is no country."""
    errors = []
    when = settings.get("QA_TODAY")
    if isinstance(when, str) and when:
        try:
            dt.date.fromisoformat(when)
        except ValueError:
            errors.append(f"setting QA_TODAY must be None or an ISO date like '2026-11-01', got {when!r}")
    country = settings.get("QA_DEFAULT_COUNTRY")
    if isinstance(country, str) and country and country not in COUNTRY_CODES:
        errors.append(
            f"setting QA_DEFAULT_COUNTRY must be '' or a two-letter ISO 3166-1 country code like 'GB', got {country!r}"
        )
    return errors
