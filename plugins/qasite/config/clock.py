"""The build's idea of today: the real date, or QA_TODAY when a test (or a preview of the future) sets one.

Everything that ages (verifications, reviews, helplines' checks) asks ``today(settings)``, never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo


def today(settings: Mapping[str, Any]) -> dt.date:
    """QA_TODAY if set, else today's date in the site's TIMEZONE (UTC by default)."""
    fixed = settings.get("QA_TODAY")
    if isinstance(fixed, dt.date):
        return fixed.date() if isinstance(fixed, dt.datetime) else fixed
    return dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()
