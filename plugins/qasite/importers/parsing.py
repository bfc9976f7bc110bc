"""Values as forums write them: tags, whole numbers, points ('6.5k') and dates, read into ours."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from ..content.slugs import slugify


def import_tag(raw: str) -> str:
    """A site tag for a source tag: 'c#' -> 'c-sharp', 'c++' -> 'c-plus-plus', '.net' -> 'dot-net'."""
    tag = raw.strip().lower()
    tag = re.sub(r"(?<=[a-z0-9])#", "-sharp-", tag)
    tag = tag.replace("+", "-plus-").replace("&", "-and-")
    tag = re.sub(r"(?:^|(?<=[^a-z0-9]))\.(?=[a-z0-9])", "dot-", tag)
    return slugify(tag, max_length=None)


def split_tags(value: str, *, whitespace: bool = False) -> list[str]:
    """Split '<a><b>', '|a|b|', 'a, b' or 'a; b' into tags (``whitespace``: 'a b' too, when no other separator)."""
    value = value.strip()
    if re.fullmatch(r"(<[^<>]+>)+", value):
        return re.findall(r"<([^<>]+)>", value)
    separators = r"[|,;]" if re.search(r"[|,;]", value) or not whitespace else r"\s+"
    return [" ".join(part.split()) for part in re.split(separators, value) if part.strip()]


def parse_int(value: str) -> int:
    """'+12', '-3', '1,840' -> int; raises ValueError."""
    return int(value.strip().replace(",", "").replace("\u202f", "").replace(" ", "").lstrip("+"))


def parse_points(value: str) -> int:
    """Forum points as shown: '950', '6.5k', '12k', '1.2m', '7,250' -> int; raises ValueError."""
    match = re.fullmatch(r"\(?\s*([0-9][0-9.,]*)\s*([kKmM]?)\s*(?:points?)?\s*\)?", value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a points value")
    number, unit = match.groups()
    try:
        amount = Decimal(number.replace(",", "")) if unit else Decimal(number.replace(",", "").replace(".", ""))
    except InvalidOperation as err:
        raise ValueError(f"{value!r} is not a points value") from err
    return int(amount * {"": 1, "k": 1000, "m": 1_000_000}[unit.lower()])


def parse_date(value: str, date_format: str = "") -> dt.datetime:
    """An ISO date or datetime (or ``date_format``); aware values are kept aware. Raises ValueError."""
    text = value.strip()
    if date_format:
        return dt.datetime.strptime(text, date_format)
    if re.fullmatch(r".*[+-]\d{4}", text):
        text = text[:-2] + ":" + text[-2:]
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_utc(value: dt.datetime) -> dt.datetime:
    """Aware values in UTC without microseconds; naive values without microseconds."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(microsecond=0)
