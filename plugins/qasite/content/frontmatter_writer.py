"""Write front matter: the one writer for `invoke new-question/new-answer`, the importers and contribute links.

Keys come in the order of the schema table (``schema.QUESTION``, ``schema.ANSWER``...), ``None`` values
are left out, and every value is written so that our own reader (``frontmatter.load_yaml``) gives it back
exactly: plain when that is safe, else double-quoted with escapes. Titles are always quoted, so an editor
can add a colon or a '#' to one without breaking the file. Same fields, same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

import yaml

from .frontmatter import DELIMITER, Loader
from .schema import Field

ALWAYS_QUOTED = frozenset({"title"})
# Plain (unquoted) text starts with a letter or digit and uses only these characters.
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/:&'+-]*")
# Characters a YAML reader refuses, or reads as a line break, inside quotes: written as \u escapes
# (json.dumps already escapes the C0 controls, the quote and the backslash).
RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def scalar(value: Any, *, in_list: bool = False) -> str:
    """A YAML scalar that reads back as exactly ``value`` (quoted only when needed)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value)
    text = str(value)
    plain = PLAIN.fullmatch(text) and not text.endswith(" ") and not (in_list and ":" in text)
    return text if plain and _reads_as(text) == text else quoted(text)


def quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line."""
    return RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _reads_as(text: str) -> Any:
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError:
        return None


def format_date(value: dt.date | dt.datetime) -> str:
    """2018-02-06T20:19:50Z (UTC), 2018-02-06T20:19:50 (naive) or 2018-02-06 (a date, or naive midnight)."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    if value.time() == dt.time():
        return value.date().isoformat()
    return value.replace(microsecond=0).isoformat()


def front_matter(fields: Mapping[str, Any], table: tuple[Field, ...]) -> str:
    """The front-matter block (delimiters included) for ``fields``, in the order of the schema ``table``."""
    order = [spec.name for spec in table]
    unknown = sorted(set(fields) - set(order))
    if unknown:
        raise ValueError(f"not fields of this kind of file: {', '.join(unknown)} (allowed: {', '.join(order)})")
    lines = [DELIMITER]
    for key in (name for name in order if fields.get(name) is not None):
        lines.append(f"{key}: {_value(key, fields[key])}")
    return "\n".join([*lines, DELIMITER, ""])


def _value(key: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(scalar(item, in_list=True) for item in value)}]"
    return quoted(str(value)) if key in ALWAYS_QUOTED else scalar(value)


def render_file(fields: Mapping[str, Any], table: tuple[Field, ...], body: str) -> str:
    """A content file: the front matter, a blank line, the body (ending in one newline)."""
    return front_matter(fields, table) + "\n" + body.strip("\n") + "\n"
