"""Jinja filters the theme uses: dates, points and signed vote counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .importers.licenses import license_url
from .points import format_points


def isodate(value: dt.datetime) -> str:
    """ISO 8601 for ``<time datetime>`` and structured data."""
    return value.isoformat()


def humandate(value: dt.datetime) -> str:
    """'Jun 28, 2023' (locale-independent, so builds are reproducible)."""
    return f"{value:%b} {value.day}, {value.year}"


def points(value: int | None) -> str:
    """6549 -> '6.5k'; None -> ''."""
    return "" if value is None else format_points(value)


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
    "points": points,
    "signed": signed,
}
