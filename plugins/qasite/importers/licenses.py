"""License names as imported (``CC BY-SA 4.0``), the pages that explain them, and Stack Exchange's by date."""

from __future__ import annotations

import datetime as dt
import re

CC_KINDS = {"BY", "BY-SA", "BY-ND", "BY-NC", "BY-NC-SA", "BY-NC-ND"}


def license_url(name: str) -> str | None:
    """The Creative Commons deed for a license name like 'CC BY-SA 3.0'; None for other licenses."""
    match = re.fullmatch(r"CC\s+(BY(?:-(?:NC|SA|ND))*)\s+(\d\.\d)", " ".join(name.split()), re.I)
    if not match or match.group(1).upper() not in CC_KINDS:
        return None
    return f"https://creativecommons.org/licenses/{match.group(1).lower()}/{match.group(2)}/"


# When Stack Exchange moved its user content to a newer CC BY-SA version (a post keeps the version of its date).
STACK_EXCHANGE_LICENSES = ((dt.date(2011, 4, 8), "CC BY-SA 2.5"), (dt.date(2018, 5, 2), "CC BY-SA 3.0"))
STACK_EXCHANGE_LATEST = "CC BY-SA 4.0"


def stack_exchange_license(posted: dt.datetime) -> str:
    """The license Stack Exchange applied to a post made at ``posted`` (for dumps without ContentLicense)."""
    day = posted.date()
    return next((name for until, name in STACK_EXCHANGE_LICENSES if day < until), STACK_EXCHANGE_LATEST)
