"""Generate the front-matter reference tables in the docs from the schema.

Docs mark each table with ``<!-- fields:question -->`` ... ``<!-- /fields -->``;
``update_doc()`` rewrites what is between the markers, and a test fails when
a doc is out of date, so the reference cannot drift from the validator.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import schema

TABLES: dict[str, tuple[schema.Field, ...]] = {
    "question": schema.QUESTION,
    "answer": schema.ANSWER,
    "person": schema.PERSON,
    "category": schema.CATEGORY,
    "tag": schema.TAG,
    "page": schema.PAGE,
}
MARKER = re.compile(r"(<!-- fields:(\w+) -->\n).*?(<!-- /fields -->)", re.S)


def field_table(fields: tuple[schema.Field, ...]) -> str:
    """A Markdown table: field, required, example, meaning."""
    rows = ["| Field | Required | Example | Meaning |", "|---|---|---|---|"]
    for spec in fields:
        default = str(spec.default).lower() if isinstance(spec.default, bool) else spec.default
        required = "yes" if spec.required else f"no (default: {default})" if default is not None else "no"
        rows.append(f"| `{spec.name}` | {required} | `{spec.example}` | {spec.help} |")
    return "\n".join(rows) + "\n"


def update_doc(text: str) -> str:
    """Return ``text`` with every marked table regenerated."""
    return MARKER.sub(lambda m: m.group(1) + field_table(TABLES[m.group(2)]) + m.group(3), text)


def update_file(path: Path) -> bool:
    """Regenerate the tables in ``path``; return True if it changed."""
    old = path.read_text(encoding="utf-8")
    new = update_doc(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
