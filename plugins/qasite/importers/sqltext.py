"""Pieces of MySQL statements: values as Python values (``decode_value("'it\\'s'")`` -> ``"it's"``), names.

``'text'`` and ``"text"`` with MySQL's escapes (``\\0 \\' \\" \\b \\n \\r \\t \\Z \\\\``, ``\\%`` and ``\\_``
keep their backslash, ``''`` doubling) -> str; ``_binary '...'``, ``0x...``, ``X'...'`` -> bytes; ``b'101'``
-> int; numbers -> int or float; ``NULL`` -> None. Text that is not UTF-8 (a dump written through a latin1
connection) is read as Windows-1252, as MySQL's latin1 is.
"""

from __future__ import annotations

import re

Value = str | bytes | int | float | None
IDENT = r"(?:`(?:[^`]|``)+`|\"(?:[^\"]|\"\")+\"|[\w$]+)"  # a name: `qa_posts`, "qa_posts" (ANSI) or qa_posts
TABLE = rf"{IDENT}(?:\s*\.\s*{IDENT})?"  # `forum`.`qa_posts`
CREATE_NAME = re.compile(rf"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<table>{TABLE})\s*\(", re.I)
NOT_COLUMNS = {"PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT", "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK", "PERIOD"}

STRING = (
    r"(?:_[a-z0-9]+\s*)?(?:'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'"
    r'|"[^"\\]*(?:(?:\\.|"")[^"\\]*)*")'
)
ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "%": "\\%", "_": "\\_"}
UNESCAPE = {"'": re.compile(r"\\(.)|''", re.S), '"': re.compile(r'\\(.)|""', re.S)}
INTRODUCER = re.compile(r"_([a-z0-9]+)\s*", re.I)
SURROGATE = re.compile("[\udc80-\udcff]")


def decode_value(token: str) -> Value:
    """The Python value of one value token as the dump reader matched it."""
    first = token[:1]
    if first == "'":  # most values: a text as mysqldump writes it
        return repair_bytes(unescape(token[1:-1]))
    if first.isdigit() or first == "-":
        try:
            return int(token)
        except ValueError:
            pass
    introducer = INTRODUCER.match(token)
    charset = introducer.group(1).lower() if introducer else ""
    literal = token[introducer.end() :] if introducer else token
    first = literal[:1]
    if first in ("'", '"'):
        text = unescape(literal[1:-1], first)
        return text.encode("utf-8", "surrogateescape") if charset == "binary" else repair_bytes(text)
    upper = literal.upper()
    if upper.startswith("0X"):
        digits = literal[2:]
        return bytes.fromhex(digits.rjust(len(digits) + len(digits) % 2, "0"))
    if upper.startswith("X'"):
        return bytes.fromhex(literal[2:-1])
    if upper.startswith("B'"):
        return int(literal[2:-1] or "0", 2)
    if upper == "NULL":
        return None
    if upper in ("TRUE", "FALSE"):
        return int(upper == "TRUE")
    try:
        return int(literal)
    except ValueError:
        return float(literal)


def unescape(body: str, quote: str = "'") -> str:
    """The text of a quoted string's ``body`` (between the quotes)."""
    if "\\" not in body and quote * 2 not in body:
        return body
    return UNESCAPE[quote].sub(lambda m: quote if m.group(1) is None else ESCAPES.get(m.group(1), m.group(1)), body)


def repair_bytes(text: str) -> str:
    """Text with bytes that were not UTF-8 (kept as surrogates when the file was read) read as Windows-1252."""
    if text.isascii() or not SURROGATE.search(text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def name(identifier: str) -> str:
    """`db`.`qa_posts` -> qa_posts."""
    last = re.findall(IDENT, identifier)[-1]
    quote = last[0]
    return last[1:-1].replace(quote * 2, quote) if quote in '`"' else last


def split(text: str) -> list[str]:
    """Top-level comma-separated parts (parentheses and quotes respected)."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(rf"{STRING}|`[^`]*`|[(),]", text, re.S):
        mark = match.group()
        if mark == "(":
            depth += 1
        elif mark == ")":
            depth -= 1
        elif mark == "," and depth == 0:
            parts.append(text[start : match.start()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def create_columns(statement: str) -> tuple[str, list[str]] | None:
    """(table, its column names in order) of a CREATE TABLE statement; None when it is not one."""
    match = CREATE_NAME.match(statement)
    if match is None:
        return None
    names = []
    for part in split(statement[match.end() :].rsplit(")", 1)[0]):
        word = re.match(IDENT, part)
        if word and word.group().upper() not in NOT_COLUMNS:
            names.append(name(word.group()))
    return name(match.group("table")), names
