"""Generate the reference parts of the docs: front-matter tables and server header snippets.

Docs mark each table with ``<!-- fields:question -->`` ... ``<!-- /fields -->``
(from the schema), each open-data table with ``<!-- records:question -->`` ...
``<!-- /records -->`` (from ``open_data.RECORDS``), and each web-server snippet with ``<!-- headers:nginx -->`` ...
``<!-- /headers -->`` (from headers.py, with the default QA_CSP); ``update_doc()``
rewrites what is between the markers, and a test fails when a doc is out of
date, so the reference cannot drift from the validator or from ``_headers``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG

from ..config.settings import DEFAULTS
from ..content import schema
from ..render import assets, headers
from .open_data import RECORDS, column_table

TABLES: dict[str, tuple[schema.Field, ...]] = {
    "question": schema.QUESTION,
    "answer": schema.ANSWER,
    "person": schema.PERSON,
    "verified": schema.VERIFIED,
    "category": schema.CATEGORY,
    "tag": schema.TAG,
    "country": schema.COUNTRY,
    "helpline": schema.HELPLINE,
    "page": schema.PAGE,
    "privacy_allow": schema.PRIVACY_ALLOW,
    "safe_messaging": schema.SAFE_MESSAGING,
}
MARKER = re.compile(r"(<!-- fields:(\w+) -->\n).*?(<!-- /fields -->)", re.S)
CACHED = [assets.cache_pattern(DEFAULT_CONFIG["THEME_STATIC_DIR"])]
SNIPPETS = {
    "netlify": ("text", lambda security: headers.headers_file(security, immutable=CACHED)),
    "nginx": ("nginx", headers.nginx_snippet),
    "apache": ("apache", headers.apache_snippet),
}
HEADERS_MARKER = re.compile(r"(<!-- headers:(\w+) -->\n).*?(<!-- /headers -->)", re.S)
RECORDS_MARKER = re.compile(r"(<!-- records:(\w+) -->\n).*?(<!-- /records -->)", re.S)


def field_table(fields: tuple[schema.Field, ...]) -> str:
    """A Markdown table: field, required, example, meaning."""
    rows = ["| Field | Required | Example | Meaning |", "|---|---|---|---|"]
    for spec in fields:
        default = str(spec.default).lower() if isinstance(spec.default, bool) else spec.default
        required = "yes" if spec.required else f"no (default: {default})" if default is not None else "no"
        rows.append(f"| `{spec.name}` | {required} | `{spec.example}` | {spec.help} |")
    return "\n".join(rows) + "\n"


def header_snippet(kind: str) -> str:
    """A fenced code block of the default security headers for ``kind`` (netlify, nginx or apache)."""
    language, render = SNIPPETS[kind]
    return f"```{language}\n{render(headers.security_headers(DEFAULTS['QA_CSP']))}```\n"


def update_doc(text: str) -> str:
    """Return ``text`` with every marked table and header snippet regenerated."""
    text = MARKER.sub(lambda m: m.group(1) + field_table(TABLES[m.group(2)]) + m.group(3), text)
    text = RECORDS_MARKER.sub(lambda m: m.group(1) + column_table(RECORDS[m.group(2)]) + m.group(3), text)
    return HEADERS_MARKER.sub(lambda m: m.group(1) + header_snippet(m.group(2)) + m.group(3), text)


def update_file(path: Path) -> bool:
    """Regenerate the tables in ``path``; return True if it changed."""
    old = path.read_text(encoding="utf-8")
    new = update_doc(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
