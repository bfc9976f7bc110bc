"""Rows of a MySQL dump file read without a MySQL server: ``scan(files, keep)``.

Reads what ``mysqldump`` and phpMyAdmin write: ``CREATE TABLE`` (for the column order), ``INSERT`` /
``REPLACE`` with one or many rows, with or without a column list; comments (``--``, ``#``, ``/* */``,
``/*!40101 ... */``), ``DELIMITER`` and every other statement are skipped. Values: see ``sqltext``.
Files are UTF-8 (UTF-16 with a BOM, or a latin1 dump), plain or gzip'd, read in chunks: a 1 GB dump is
never held in memory, only the rows ``keep`` asks for, and of those only the columns it names. A broken
file raises ``DumpError`` naming the file and line: ``dump.sql:1234: unterminated string in INSERT
INTO qa_posts (is the file complete?)``.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..build.progress import Phase
from .common import ImporterError
from .dumpfiles import open_dump
from .sqltext import IDENT, STRING, TABLE, Value, create_columns, decode_value, name, split

CHUNK = 1 << 20  # characters read at a time
LOOKAHEAD = 1 << 16  # characters a value other than a text may need
HEADER = 1 << 20  # characters an INSERT header (with its column list) may need
Keep = Callable[[str, "list[str] | None"], "Sequence[str] | None"]

SPACE = re.compile(r"(?:\s+|--(?=\s|$)[^\n]*|#[^\n]*)+")
INSERT = re.compile(
    rf"(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*(?:INTO\s+)?(?P<table>{TABLE})"
    rf"\s*(?:\((?P<columns>\s*{IDENT}(?:\s*,\s*{IDENT})*\s*)\)\s*)?VALUES?(?![\w$])",
    re.I,
)
STATEMENT = re.compile(r"(INSERT|REPLACE|CREATE\s+(?:TEMPORARY\s+)?TABLE|DELIMITER)(?![\w$])", re.I)
OTHER = r"0x[0-9a-f]*|[xb]'[0-9a-f]*'|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|NULL|TRUE|FALSE|_[a-z0-9]+\s*0x[0-9a-f]*"
VALUE = re.compile(rf"\s*(?:(?P<string>{STRING})|(?P<other>{OTHER}))", re.I | re.S)
ROW = re.compile(rf"\s*\(\s*((?:(?:{STRING}|{OTHER})\s*,\s*)*(?:{STRING}|{OTHER}))\s*\)", re.I | re.S)
TOKEN = re.compile(rf"{STRING}|{OTHER}", re.I | re.S)
PUNCT = re.compile(r"\s*([(),;])")
OPEN_STRING = re.compile(r"\s*(?:_\w+\s*)?['\"]")


class DumpError(ImporterError):
    """The dump cannot be read: the message names the file, the line and what to do."""


@dataclass
class Dump:
    """What ``scan`` found: every table's columns (None when unknown) and the rows ``keep`` asked for."""

    columns: dict[str, list[str] | None] = field(default_factory=dict)
    rows: dict[str, list[tuple[Value, ...]]] = field(default_factory=dict)


def scan(files: Sequence[Path], keep: Keep, progress: Phase | None = None) -> Dump:
    """Read ``files`` in order; ``keep(table, columns)`` names the columns to keep of a table's rows (or None).

    ``keep`` is called with ``columns=None`` for an INSERT whose columns are unknown (no column list, no
    CREATE TABLE before it): if it names columns, the dump cannot be read and ``DumpError`` says why.
    """
    dump = Dump()
    for path in files:
        try:
            with open_dump(path, progress) as stream:
                _Reader(path, stream, dump, keep).read()
        except EOFError as err:
            raise DumpError(f"{path}: the compressed file ends early (is the file complete?)") from err
        except (gzip.BadGzipFile, zlib.error) as err:
            raise DumpError(f"{path}: not a readable gzip file ({err})") from err
        except UnicodeError as err:  # UTF-16 with an odd number of bytes, or not UTF-16 after all
            raise DumpError(f"{path}: not readable as UTF-16 text ({err.reason}); save the dump as UTF-8") from err
        except OSError as err:
            raise DumpError(f"{path}: cannot read it ({err.strerror or err})") from err
    return dump


class _Reader:
    """One file: a buffer of text, a position in it, and the line the buffer starts on."""

    def __init__(self, path: Path, stream: IO[str], dump: Dump, keep: Keep) -> None:
        self.path, self.stream, self.dump, self.keep = path, stream, dump, keep
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False
        self.delimiter = ";"

    # -- the buffer ---------------------------------------------------------------------------------

    def _more(self) -> bool:
        """Read the next chunk (dropping what was consumed); False at the end of the file."""
        if self.eof:
            return False
        chunk = self.stream.read(max(CHUNK, len(self.buf) - self.pos))  # doubles while a value is long
        self.line += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos :] + chunk, 0
        self.eof = not chunk
        return bool(chunk)

    def _match(self, pattern: re.Pattern[str], limit: float = LOOKAHEAD) -> re.Match[str] | None:
        """``pattern`` at the position, read on while the text so far ends inside it (up to ``limit`` chars)."""
        while True:
            match = pattern.match(self.buf, self.pos)
            if self.eof or (match is not None and match.end() < len(self.buf)):
                return match
            if match is None and len(self.buf) - self.pos >= limit:
                return None
            self._more()

    def _fill(self, size: int) -> None:
        while len(self.buf) - self.pos < size and self._more():
            pass

    def _at(self, pos: int | None = None) -> str:
        """``file:line`` of ``pos`` (the current position by default)."""
        return f"{self.path}:{self.line + self.buf.count(chr(10), 0, self.pos if pos is None else pos)}"

    def _skip_space(self) -> None:
        while True:
            self._fill(2)
            match = SPACE.match(self.buf, self.pos)
            if match is None:
                return
            self.pos = match.end()
            if self.pos < len(self.buf) or not self._more():
                return

    # -- statements -----------------------------------------------------------------------------------

    def read(self) -> None:
        """Every statement of the file, in order."""
        while True:
            self._skip_space()
            self._fill(256)  # a statement's first word, a DELIMITER line
            if self.pos >= len(self.buf):
                return
            if self.buf.startswith("/*", self.pos):
                self._comment()
                continue
            if self.buf.startswith(self.delimiter, self.pos):
                self.pos += len(self.delimiter)
                continue
            match = STATEMENT.match(self.buf, self.pos)
            word = match.group(1).split()[0].upper() if match else ""
            if word in ("INSERT", "REPLACE"):
                self._insert()
            elif word == "CREATE":
                self._create()
            elif word == "DELIMITER":
                end = self.buf.find("\n", self.pos)
                end = len(self.buf) if end < 0 else end
                self.delimiter = self.buf[match.end() if match else self.pos : end].strip() or ";"
                self.pos = end
            else:
                self._skip_statement()

    def _comment(self) -> None:
        start = self.pos
        while (end := self.buf.find("*/", self.pos + 2)) < 0:
            if not self._more():
                raise DumpError(f"{self._at(start)}: unterminated /* comment (is the file complete?)")
            start = 0
        self.pos = end + 2

    def _skip_statement(self, capture: list[str] | None = None) -> None:
        """Up to and past the next delimiter outside quotes (keeping the text in ``capture``)."""
        pattern = _skipper(self.delimiter)
        while True:
            match = pattern.match(self.buf, self.pos)
            plain = match is not None and match.group()[:1] not in ("'", '"', "`", self.delimiter[0])
            if match is None or (match.end() == len(self.buf) and not plain and not self.eof):
                if self._more():
                    continue
                if match is None:
                    if self.pos >= len(self.buf):
                        return
                    raise DumpError(f"{self._at()}: unterminated string (is the file complete?)")
            if capture is not None:
                capture.append(match.group())
            self.pos = match.end()
            if match.group() == self.delimiter:
                return

    def _create(self) -> None:
        text: list[str] = []
        self._skip_statement(text)
        statement = "".join(text)
        table = create_columns(statement)
        if table is not None:
            self.dump.columns[table[0]] = table[1]

    def _insert(self) -> None:
        header = self._match(INSERT, limit=HEADER)
        if header is None:
            self._skip_statement()
            return
        table = name(header.group("table"))
        listed = header.group("columns")
        columns = [name(c) for c in split(listed)] if listed else self.dump.columns.get(table)
        self.dump.columns.setdefault(table, columns)
        kept = self.keep(table, columns)
        if kept is None:
            self._skip_statement()
            return
        if columns is None:
            raise DumpError(
                f"{self._at()}: INSERT INTO {table} has no column names and no CREATE TABLE {table} came before it "
                "(export the table's structure too, or with column names)"
            )
        self.pos = header.end()
        index = {name: n for n, name in enumerate(columns)}
        picks = [index.get(name) for name in kept]
        rows = self.dump.rows.setdefault(table, [])
        while True:
            values = self._row(table)
            if len(values) != len(columns):
                raise DumpError(
                    f"{self._at()}: a row of {len(values)} values in INSERT INTO {table} ({len(columns)} columns)"
                )
            rows.append(tuple(None if n is None else decode_value(values[n]) for n in picks))
            mark = self._punct(table, ",;")
            if mark is None:
                self._skip_statement()  # ON DUPLICATE KEY UPDATE ...
            if mark != ",":
                return

    def _punct(self, table: str, allowed: str) -> str | None:
        """The next of ``allowed`` punctuation, or None when something else follows (ON DUPLICATE KEY ...)."""
        match = self._match(PUNCT)
        if match is None or match.group(1) not in allowed:
            if self.eof and not self.buf[self.pos : self.pos + LOOKAHEAD].strip():
                raise DumpError(f"{self._at()}: INSERT INTO {table} ends before its last row (is the file complete?)")
            return None
        self.pos = match.end()
        return match.group(1)

    def _row(self, table: str) -> list[str]:
        """The value tokens of the next row: all at once when the row is in the buffer (fast), else one by one."""
        whole = ROW.match(self.buf, self.pos)
        if whole is not None and whole.end() < len(self.buf):
            self.pos = whole.end()
            return TOKEN.findall(whole.group(1))
        if self._punct(table, "(") is None:
            raise DumpError(f"{self._at()}: expected '(' to start a row in INSERT INTO {table}, found {self._peek()}")
        values: list[str] = []
        while True:
            values.append(self._value(table))
            mark = self._punct(table, ",)")
            if mark == ")":
                return values
            if mark is None:
                raise DumpError(f"{self._at()}: expected ',' or ')' in INSERT INTO {table}, found {self._peek()}")

    def _value(self, table: str) -> str:
        match = self._match(VALUE)
        if match is None and not self.eof and OPEN_STRING.match(self.buf, self.pos):
            match = self._match(VALUE, limit=float("inf"))  # a long text or blob
        if match is None:
            rest = self.buf[self.pos :].lstrip()
            if rest[:1] in ("'", '"') or re.match(r"_\w+\s*'", rest):
                where = self._at(len(self.buf) - len(rest))
                raise DumpError(f"{where}: unterminated string in INSERT INTO {table} (is the file complete?)")
            if self.eof and not re.search(r"[,);]", rest):  # cut in the middle of a value
                raise DumpError(f"{self._at()}: INSERT INTO {table} ends before its last row (is the file complete?)")
            raise DumpError(
                f"{self._at()}: expected a value ('text', a number, NULL or 0x...) in INSERT INTO {table}, "
                f"found {self._peek()}"
            )
        self.pos = match.end()
        return match.group("string") or match.group("other")

    def _peek(self) -> str:
        rest = self.buf[self.pos : self.pos + 40].strip()
        return repr(rest[:20]) if rest else "the end of the file"


SKIPPERS: dict[str, re.Pattern[str]] = {}


def _skipper(delimiter: str) -> re.Pattern[str]:
    """Pieces of a statement: runs of plain text, quoted strings and names, the delimiter."""
    if delimiter not in SKIPPERS:
        first = re.escape(delimiter[0])
        SKIPPERS[delimiter] = re.compile(
            rf"[^'\"`{first}]+|{STRING}|`[^`]*(?:``[^`]*)*`|{re.escape(delimiter)}|{first}", re.S
        )
    return SKIPPERS[delimiter]
