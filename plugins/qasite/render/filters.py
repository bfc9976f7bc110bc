"""Jinja filters the theme uses: dates, counts, points, signed vote counts and values for Pagefind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..content.points import format_points
from .pagefind_values import pagefind_filter


def license_url(name: str) -> str | None:
    """``importers.licenses.license_url``, imported on first use: the importers package (bs4, ftfy...) is not
    loaded by every command (``check`` never renders a page)."""
    from ..importers.licenses import license_url as url

    return url(name)


def isodate(value: dt.datetime) -> str:
    """ISO 8601 for ``<time datetime>`` and structured data."""
    return value.isoformat()


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def humandate(value: dt.datetime) -> str:
    """'Jun 28, 2023', in English whatever the locale (Pelican sets the user's, where ``%b`` would give 'Okt' or
    'déc.'), so builds are reproducible; and without ``strftime``, ~8x slower, on 4 dates a question page."""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def thousands(value: int) -> str:
    """12345 -> '12,345'."""
    return f"{value:,}"


def plural(count: int, word: str) -> str:
    """The noun for ``count`` of them: (1, 'vote') -> 'vote', (3, 'vote') -> 'votes', (-1, 'vote') -> 'vote'."""
    return word if abs(count) == 1 else f"{word}s"


def points(value: int | None) -> str:
    """6549 -> '6.5k'; None -> ''."""
    return "" if value is None else format_points(value)


def points_text(value: int) -> str:
    """6549 -> '6.5k points', 1 -> '1 point': all a page shows of a member's points (the site graph compares it)."""
    return f"{points(value)} {plural(value, 'point')}"


def signed(value: int) -> str:
    """12 -> '+12', 0 -> '0', -3 -> '-3'."""
    return f"+{value}" if value > 0 else str(value)


def host(url: str) -> str:
    """'https://conlang.meta.stackexchange.com/q/1' -> 'conlang.meta.stackexchange.com'."""
    return urlsplit(url).netloc


FILTERS: dict[str, Callable[..., Any]] = {
    "license_url": license_url,
    "host": host,
    "isodate": isodate,
    "humandate": humandate,
    "plural": plural,
    "points": points,
    "points_text": points_text,
    "thousands": thousands,
    "signed": signed,
    "pagefind_filter": pagefind_filter,
}
