"""License names as imported (``CC BY-SA 4.0``) and the pages that explain them."""

from __future__ import annotations

import re

CC_KINDS = {"BY", "BY-SA", "BY-ND", "BY-NC", "BY-NC-SA", "BY-NC-ND"}


def license_url(name: str) -> str | None:
    """The Creative Commons deed for a license name like 'CC BY-SA 3.0'; None for other licenses."""
    match = re.fullmatch(r"CC\s+(BY(?:-(?:NC|SA|ND))*)\s+(\d\.\d)", " ".join(name.split()), re.I)
    if not match or match.group(1).upper() not in CC_KINDS:
        return None
    return f"https://creativecommons.org/licenses/{match.group(1).lower()}/{match.group(2)}/"
