"""The dates pages show ('Jun 28, 2023') are English whatever the locale, so builds are reproducible.

Pelican sets the user's locale (its LOCALE setting defaults to ''), where ``strftime``'s ``%b`` gives the month in
that language ('Okt', 'déc.'): ``humandate`` must never go through it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from qasite.render.filters import humandate

ENGLISH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class LocaleBound(dt.datetime):
    """A date that refuses the locale's formatting (``%b``, ``strftime``), as another language would spell it."""

    def __format__(self, spec: str) -> str:
        raise AssertionError(f"formatted with {spec!r}: the locale's month names")

    def strftime(self, spec: str) -> str:
        raise AssertionError(f"strftime({spec!r}): the locale's month names")


@pytest.mark.parametrize("month", range(1, 13))
def test_each_month_is_its_english_abbreviation(month: int) -> None:
    shown = humandate(dt.datetime(2023, month, 7, 12, tzinfo=dt.UTC))
    assert shown == f"{ENGLISH[month - 1]} 7, 2023"


def test_the_day_has_no_leading_zero_and_the_year_four_digits() -> None:
    assert humandate(dt.datetime(2009, 12, 31, 23, 59)) == "Dec 31, 2009"
    assert humandate(dt.datetime(2024, 2, 1)) == "Feb 1, 2024"


def test_no_locale_formatting_is_used() -> None:
    assert humandate(LocaleBound(2023, 6, 28, 8, 30)) == "Jun 28, 2023"
