"""The MySQL dump reader (importers/mysqldump.py, sqltext.py): values, statements, chunk edges, bad input.

Property tests (hypothesis): any row of values written as mysqldump writes them reads back equal, wherever
the file's chunks end; any damage to a dump gives a DumpError naming the file and line, never a traceback.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from q2a_dump import forum, write_mysqldump

from qasite.importers import ImporterError, mysqldump
from qasite.importers.mysqldump import DumpError, scan
from qasite.importers.sqltext import decode_value

ALL = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def keep_all(table: str, columns: list[str] | None) -> list[str] | None:
    return columns


def read(tmp_path: Path, text: str | bytes, keep=keep_all) -> mysqldump.Dump:
    path = tmp_path / "dump.sql"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return scan([path], keep)


@pytest.mark.parametrize(
    ("token", "value"),
    [
        (r"'a\0b'", "a\0b"),
        (r"'it\'s'", "it's"),
        ("'it''s'", "it's"),
        (r"'say \"hi\"'", 'say "hi"'),
        ('"say ""hi"""', 'say "hi"'),
        (r"'\b\n\r\t\Z'", "\b\n\r\t\x1a"),
        (r"'C:\\dir'", "C:\\dir"),
        (r"'50\% \_x'", "50\\% \\_x"),  # MySQL keeps the backslash of \% and \_
        (r"'\q'", "q"),
        ("_utf8mb4'caf\u00e9'", "caf\u00e9"),
        (r"_binary '\0\'x'", b"\0'x"),
        ("0x00FF10", b"\x00\xff\x10"),
        ("0xABC", b"\x0a\xbc"),
        ("X'4142'", b"AB"),
        ("_binary 0x41", b"A"),
        ("b'101'", 5),
        ("NULL", None),
        ("null", None),
        ("-12", -12),
        ("3.5e2", 350.0),
        ("TRUE", 1),
    ],
)
def test_values(token: str, value: object) -> None:
    assert decode_value(token) == value


def test_latin1_bytes_are_read_as_windows_1252(tmp_path: Path) -> None:
    dump = read(tmp_path, b"CREATE TABLE t (a text);\nINSERT INTO t VALUES ('Caf\xe9 \x93quoted\x94');\n")
    assert dump.rows["t"] == [("Caf\u00e9 \u201cquoted\u201d",)]


def test_statements_dumps_hold(tmp_path: Path) -> None:
    text = """-- a comment with 'a quote
# another; with a semicolon
/*!40101 SET @x='a;b' */;
/* multi
   line; comment */
SET NAMES utf8mb4;
DROP TABLE IF EXISTS `t`;
CREATE TABLE IF NOT EXISTS `t` (
  `id` int NOT NULL COMMENT 'the id, (really)',
  `txt` varchar(20) DEFAULT ';',
  PRIMARY KEY (`id`),
  KEY `txt` (`txt`(10))
) ENGINE=InnoDB COMMENT='a table; it is';
LOCK TABLES `t` WRITE;
INSERT INTO `t` VALUES (1,'one'),(2,'two;\\'');
INSERT IGNORE INTO forum.`t` (`txt`, `id`) VALUES
('three', 3),
('four', 4) ON DUPLICATE KEY UPDATE txt=VALUES(txt);
REPLACE INTO t VALUE (5, NULL);
DELIMITER ;;
/*!50003 CREATE*/ /*!50003 TRIGGER x BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; END */;;
DELIMITER ;
INSERT INTO `other` (`a`) VALUES ('not kept');
UNLOCK TABLES;
"""
    dump = read(tmp_path, text, keep=lambda table, columns: ["id", "txt"] if table == "t" else None)
    assert dump.columns == {"t": ["id", "txt"], "other": ["a"]}
    assert dump.rows == {"t": [(1, "one"), (2, "two;'"), (3, "three"), (4, "four"), (5, None)]}


def test_ansi_quoted_names_and_zip(tmp_path: Path) -> None:
    text = 'CREATE TABLE "t" ("a" int, "b""c" text);\nINSERT INTO "t" VALUES (1,\'x\');\n'
    assert read(tmp_path, text).columns == {"t": ["a", 'b"c']}
    with pytest.raises(ImporterError) as caught:
        read(tmp_path, b"PK\x03\x04zipped")
    assert (
        str(caught.value)
        == f"{tmp_path / 'dump.sql'}: a .zip file: unpack it first (or export the dump as .sql or .sql.gz)"
    )


def test_utf16_without_bom_and_gzip(tmp_path: Path) -> None:
    text = "CREATE TABLE t (a text);\nINSERT INTO t VALUES ('\u00e9t\u00e9');\n"
    assert read(tmp_path, text.encode("utf-16-le")).rows["t"] == [("\u00e9t\u00e9",)]
    assert read(tmp_path, gzip.compress(text.encode("utf-8-sig"))).rows["t"] == [("\u00e9t\u00e9",)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("INSERT INTO t VALUES (1,'a", "dump.sql:1: unterminated string in INSERT INTO t (is the file complete?)"),
        ("INSERT INTO t VALUES (1,2", "dump.sql:1: INSERT INTO t ends before its last row (is the file complete?)"),
        ("INSERT INTO t VALUES (1,\n2),", "dump.sql:2: INSERT INTO t ends before its last row (is the file complete?)"),
        (
            "\nINSERT INTO t VALUES (1,foo);",
            "dump.sql:2: expected a value ('text', a number, NULL or 0x...) in INSERT INTO t, found 'foo);'",
        ),
        ("INSERT INTO t VALUES (1,2),x;", "dump.sql:1: expected '(' to start a row in INSERT INTO t, found 'x;'"),
        ("INSERT INTO t VALUES (1 2);", "dump.sql:1: expected ',' or ')' in INSERT INTO t, found '2);'"),
        ("INSERT INTO t VALUES (1,2,3);", "dump.sql:1: a row of 3 values in INSERT INTO t (2 columns)"),
        ("/* never closed", "dump.sql:1: unterminated /* comment (is the file complete?)"),
        ("SET x = 'never closed;", "dump.sql:1: unterminated string (is the file complete?)"),
    ],
)
def test_bad_input_messages(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DumpError) as caught:
        read(tmp_path, "CREATE TABLE t (a int, b int); " + text, keep=lambda t, c: ["a", "b"])
    assert str(caught.value) == str(tmp_path / message)


def test_bad_gzip_and_bad_utf16(tmp_path: Path) -> None:
    with pytest.raises(DumpError, match=r"dump.sql: not a readable gzip file \("):
        read(tmp_path, b"\x1f\x8b" + b"garbage" * 10)
    with pytest.raises(DumpError) as caught:
        read(tmp_path, b"\xfe\xff\x00A\x00")
    assert (
        str(caught.value)
        == f"{tmp_path / 'dump.sql'}: not readable as UTF-16 text (truncated data); save the dump as UTF-8"
    )


values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.binary(max_size=20),
)


@ALL
@given(
    rows=st.lists(st.lists(values, min_size=3, max_size=3), min_size=1, max_size=8),
    chunk=st.integers(min_value=1, max_value=64),
    hex_blob=st.booleans(),
)
def test_rows_read_back_equal_wherever_chunks_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list, chunk: int, hex_blob: bool
) -> None:
    monkeypatch.setattr(mysqldump, "CHUNK", chunk)
    monkeypatch.setattr(mysqldump, "LOOKAHEAD", chunk)
    text = b"CREATE TABLE `t` (`a` blob, `b` text, `c` int);\nINSERT INTO `t` VALUES " + b",".join(
        b"(" + b",".join(literal(v, hex_blob) for v in row) + b")" for row in rows
    )
    dump = read(tmp_path, text + b";\n")
    assert dump.rows["t"] == [tuple(row) for row in rows]


def literal(value: object, hex_blob: bool) -> bytes:
    """``value`` as mysqldump writes it (bytes as 0x... or as _binary '...', raw with a few bytes escaped)."""
    if value is None:
        return b"NULL"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, bytes) and hex_blob and value:
        return b"0x" + value.hex().encode()
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    for raw, escaped in (
        (b"\\", b"\\\\"),
        (b"\0", b"\\0"),
        (b"'", b"\\'"),
        (b'"', b'\\"'),
        (b"\n", b"\\n"),
        (b"\r", b"\\r"),
        (b"\x1a", b"\\Z"),
    ):
        data = data.replace(raw, escaped)
    return (b"_binary '" if isinstance(value, bytes) else b"'") + data + b"'"


@ALL
@given(data=st.data())
def test_damaged_dumps_fail_with_a_message_never_a_traceback(tmp_path: Path, data: st.DataObject) -> None:
    original = write_mysqldump(tmp_path / "base.sql", forum(), rows_per_insert=3)
    cut = data.draw(st.integers(min_value=0, max_value=len(original)))
    junk = data.draw(st.binary(max_size=6))
    damaged = original[:cut] + junk + original[cut + data.draw(st.integers(0, 8)) :]
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    try:
        read(tmp_path, damaged)
    except ImporterError as err:  # DumpError, or the zip check (junk that starts the file with PK\3\4)
        assert str(err).startswith(str(tmp_path / "dump.sql"))
