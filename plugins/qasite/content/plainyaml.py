"""The front matter most files have, read without PyYAML: one ``key: value`` a line, plain values only.

``frontmatter.load_yaml`` tries this first and falls back to PyYAML for anything else. It accepts a strict
subset of YAML whose meaning is certain, and gives exactly what PyYAML (with ``frontmatter.Loader``) gives for it:
the same keys in the same order, the same Python values and types, the same line of every key. Anything outside
the subset (a comment, an indented or nested value, a tab, a quote or backslash inside a quoted value, a word YAML
reads as a boolean or null, a number that is not a plain whole number, a date with a time...) returns None, and
PyYAML reads the text as before, problems included. ``tests/test_check_shortcuts.py`` compares the two.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.+))?")
DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
SINGLE_QUOTED = re.compile(r"'([^']*)'")
WHOLE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# A plain word or phrase: a letter, then letters, digits, spaces and harmless punctuation (no YAML indicator).
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'()/?+=-]*")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
# Words YAML 1.1 reads as booleans or null, in any case (PyYAML's resolver knows some of these spellings).
SPECIAL_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"})
# Characters the subset leaves to PyYAML: tabs, controls, YAML's other line breaks, the BOM, noncharacters.
UNSURE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
BOOLEANS = {"true": True, "false": False}


def parse(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """(data, the 0-based line of each key) for a mapping in the subset; None for anything else."""
    if UNSURE.search(text):
        return None
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n")):
        if not line:
            continue
        match = KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key, raw = match.groups()
        if key in data or key.lower() in SPECIAL_WORDS:
            return None
        value = _value(raw)
        if value is _UNSURE:
            return None
        key = sys.intern(key)  # the same names in every file (``key_path``)
        data[key] = value
        lines[key] = number
    return (data, lines) if data else None


_UNSURE = object()
_KEY_PATHS: dict[str, tuple[str]] = {}  # one (key,) per key name: every file's front matter shares them
MAX_KEY_PATHS = 256


def key_path(key: str) -> tuple[str]:
    """``(key,)``, the same object for every file (``check``'s workers pickle ~28,600 front matters: the pickle's
    memo then writes each once a part, and the process reading them makes each once)."""
    path = _KEY_PATHS.get(key)
    if path is None:
        path = (sys.intern(key),)
        if len(_KEY_PATHS) < MAX_KEY_PATHS:  # a file of odd keys adds none past this
            _KEY_PATHS[key] = path
    return path


def _value(raw: str | None) -> Any:
    """The value PyYAML gives ``raw`` (None for an empty value), or _UNSURE."""
    if raw is None:
        return None
    if raw[-1] == " ":
        return _UNSURE
    first = raw[0]  # each form below starts with its own kind of character: only that one's pattern is tried
    if first == '"' or first == "'":
        quoted = (DOUBLE_QUOTED if first == '"' else SINGLE_QUOTED).fullmatch(raw)
        return _UNSURE if quoted is None else quoted.group(1)
    if raw in BOOLEANS:
        return BOOLEANS[raw]
    if "0" <= first <= "9" or first == "-":
        if WHOLE_NUMBER.fullmatch(raw):
            return int(raw)
        if date := DATE.fullmatch(raw):
            year, month, day = date.groups()
            try:
                return dt.date(int(year), int(month), int(day))
            except ValueError:  # not a real date: frontmatter.Loader keeps the text for the field's check
                return raw
    elif first == "[":
        return _words(raw[1:-1]) if raw.endswith("]") else _UNSURE
    if PLAIN.fullmatch(raw) and raw.lower() not in SPECIAL_WORDS:
        return raw
    return _UNSURE


def _words(inner: str) -> Any:
    """A flow list of plain words (``[anxiety, sleep]``), or _UNSURE."""
    if not inner:
        return []
    words = inner.split(", ")
    if all(WORD.fullmatch(word) and word.lower() not in SPECIAL_WORDS for word in words):
        return words
    return _UNSURE
