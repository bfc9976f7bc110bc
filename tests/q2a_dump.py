"""Question2Answer database dumps for the tests, written as mysqldump and phpMyAdmin write them.

The tables follow Q2A 1.8's schema (qa-include/db/install.php: posts, users, userpoints, categories,
options, cookies, blobs; IPs are VARBINARY(16) INET6_ATON values). ``forum()`` is a small made-up forum
with every case the importer handles (HTML and plain-text posts, an accepted answer, hidden, queued and
unknown posts, comments, notes, guests, a sub-category, double-encoded UTF-8, private columns);
``big_forum(n)`` is ``n`` generated questions for timing. ``write_mysqldump`` writes one file (extended
INSERTs without column lists, ``/*!40101 ... */`` lines, binary columns as ``_binary '...'`` or, with
``hex_blob``, ``0x...``); ``write_phpmyadmin`` writes one file per table (column lists, a row per line,
binary as ``0x...``), gzip'd. Run ``python tests/q2a_dump.py OUT.sql [QUESTIONS]`` for a large dump.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

Value = str | bytes | int | None
USER = "int unsigned"
IP = "varbinary(16)"
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "blobs": [
        ("blobid", "bigint unsigned NOT NULL"),
        ("format", "varchar(20) CHARACTER SET ascii NOT NULL"),
        ("content", "mediumblob"),
        ("filename", "varchar(255)"),
        ("userid", USER),
        ("cookieid", "bigint unsigned"),
        ("createip", IP),
        ("created", "datetime"),
    ],
    "categories": [
        ("categoryid", "int unsigned NOT NULL AUTO_INCREMENT"),
        ("parentid", "int unsigned"),
        ("title", "varchar(80) NOT NULL"),
        ("tags", "varchar(200) NOT NULL"),
        ("content", "varchar(800) NOT NULL DEFAULT ''"),
        ("qcount", "int unsigned NOT NULL DEFAULT '0'"),
        ("position", "smallint unsigned NOT NULL"),
        ("backpath", "varchar(804) NOT NULL DEFAULT ''"),
    ],
    "cookies": [
        ("cookieid", "bigint unsigned NOT NULL"),
        ("created", "datetime NOT NULL"),
        ("createip", f"{IP} NOT NULL"),
        ("written", "datetime"),
        ("writeip", IP),
    ],
    "options": [("title", "varchar(40) NOT NULL"), ("content", "varchar(12000) NOT NULL")],
    "posts": [
        ("postid", "int unsigned NOT NULL AUTO_INCREMENT"),
        ("type", "enum('Q','A','C','Q_HIDDEN','A_HIDDEN','C_HIDDEN','Q_QUEUED','A_QUEUED','C_QUEUED','NOTE') NOT NULL"),
        ("parentid", "int unsigned"),
        ("categoryid", "int unsigned"),
        ("catidpath1", "int unsigned"),
        ("catidpath2", "int unsigned"),
        ("catidpath3", "int unsigned"),
        ("acount", "smallint unsigned NOT NULL DEFAULT '0'"),
        ("amaxvote", "smallint unsigned NOT NULL DEFAULT '0'"),
        ("selchildid", "int unsigned"),
        ("closedbyid", "int unsigned"),
        ("userid", USER),
        ("cookieid", "bigint unsigned"),
        ("createip", IP),
        ("lastuserid", USER),
        ("lastip", IP),
        ("upvotes", "smallint unsigned NOT NULL DEFAULT '0'"),
        ("downvotes", "smallint unsigned NOT NULL DEFAULT '0'"),
        ("netvotes", "smallint NOT NULL DEFAULT '0'"),
        ("lastviewip", IP),
        ("views", "int unsigned NOT NULL DEFAULT '0'"),
        ("hotness", "float"),
        ("flagcount", "tinyint unsigned NOT NULL DEFAULT '0'"),
        ("format", "varchar(20) CHARACTER SET ascii NOT NULL DEFAULT ''"),
        ("created", "datetime NOT NULL"),
        ("updated", "datetime"),
        ("updatetype", "char(1) CHARACTER SET ascii"),
        ("title", "varchar(800)"),
        ("content", "varchar(12000)"),
        ("tags", "varchar(800)"),
        ("name", "varchar(40)"),
        ("notify", "varchar(80)"),
    ],
    "userpoints": [
        ("userid", f"{USER} NOT NULL"),
        ("points", "int NOT NULL DEFAULT '0'"),
        ("qposts", "mediumint NOT NULL DEFAULT '0'"),
        ("aposts", "mediumint NOT NULL DEFAULT '0'"),
        ("bonus", "int NOT NULL DEFAULT '0'"),
    ],
    "users": [
        ("userid", f"{USER} NOT NULL AUTO_INCREMENT"),
        ("created", "datetime NOT NULL"),
        ("createip", f"{IP} NOT NULL"),
        ("email", "varchar(80) NOT NULL"),
        ("handle", "varchar(20) NOT NULL"),
        ("avatarblobid", "bigint unsigned"),
        ("passsalt", "binary(16)"),
        ("passcheck", "binary(20)"),
        ("passhash", "varchar(255) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL"),
        ("level", "tinyint unsigned NOT NULL"),
        ("loggedin", "datetime NOT NULL"),
        ("loginip", f"{IP} NOT NULL"),
        ("written", "datetime"),
        ("writeip", IP),
        ("emailcode", "char(8) CHARACTER SET ascii NOT NULL DEFAULT ''"),
        ("sessioncode", "char(8) CHARACTER SET ascii NOT NULL DEFAULT ''"),
        ("flags", "smallint unsigned NOT NULL DEFAULT '0'"),
    ],
}
BINARY = {
    (table, name) for table, columns in SCHEMA.items() for name, kind in columns if "binary" in kind or "blob" in kind
}

EMAILS = [
    "jordan@example.com",
    "ana.mueller@example.net",
    "sam@example.org",
    "renee@example.com",
    "gone@example.com",
    "guest-notify@example.org",
]
IPS = ["192.0.2.15", "198.51.100.7", "203.0.113.99", "192.0.2.201"]
COOKIES = [8473629105738291, 5550123400098765]
SECRETS = ["$2y$10$abcdefghijklmnopqrstuv", "smtp-secret-Pa55"]


def ip(text: str) -> bytes:
    """INET6_ATON of an IPv4 address: 4 bytes."""
    return bytes(int(part) for part in text.split("."))


def mojibake(text: str) -> str:
    """``text`` as it reads after a UTF-8 → latin1 → UTF-8 round trip: 'é' -> 'Ã©'."""
    return text.encode("utf-8").decode("cp1252")


def _post(postid: int, kind: str, **values: Value) -> dict[str, Value]:
    row: dict[str, Value] = {name: None for name, _ in SCHEMA["posts"]}
    row.update(
        postid=postid,
        type=kind,
        format="",
        created="2019-03-04 10:22:01",
        upvotes=0,
        downvotes=0,
        netvotes=0,
        views=0,
        acount=0,
        amaxvote=0,
        flagcount=0,
        hotness=1.5,
        createip=ip(IPS[postid % 3]),
    )
    row.update(values)
    return row


def forum() -> dict[str, list[dict[str, Value]]]:
    """The made-up forum: rows of each table (without prefix), by column name."""
    cat = SCHEMA["categories"]
    categories = [
        dict(zip([n for n, _ in cat], row, strict=True))
        for row in [
            (1, None, "Anxiety & stress", "anxiety", "Worry, panic and stress.", 1, 1, "anxiety"),
            (2, None, "Sleep", "sleep", "Sleep problems,\nnightmares and rest.", 2, 2, "sleep"),
            (3, 2, "Insomnia", "insomnia", "", 1, 1, "insomnia/sleep"),
            (4, None, "Unused", "unused", "", 0, 3, "unused"),
        ]
    ]
    users = [
        {
            "userid": n,
            "created": "2018-01-02 03:04:05",
            "createip": ip(IPS[n % 4]),
            "email": EMAILS[n - 1],
            "handle": handle,
            "avatarblobid": None,
            "passsalt": b"\x00'\\\n\r\x1asalt-bytes!",
            "passcheck": None,
            "passhash": SECRETS[0],
            "level": 0,
            "loggedin": "2020-01-01 00:00:00",
            "loginip": ip(IPS[(n + 1) % 4]),
            "written": None,
            "writeip": None,
            "emailcode": "ab12cd34",
            "sessioncode": "zz99yy88",
            "flags": 0,
        }
        for n, handle in [(1, "jordan_lee"), (2, "AnaMüller"), (3, "sam"), (4, mojibake("Renée")), (5, "nopoints")]
    ]
    points = [
        {"userid": n, "points": p, "qposts": 1, "aposts": 1, "bonus": 0}
        for n, p in [(1, 1250), (2, 7300), (3, 40), (4, 12)]
    ]
    html_q = (
        '<p>Since the move my heart <strong>races</strong> at night. Is it "panic", or just stress?</p>\n'
        '<p>I read <a href="/45/other-question">this question</a> and C:\\Users\\me\\notes.txt didn\'t help.</p>'
        "<ul><li>racing heart</li><li>5 * 3 = 15 thoughts</li></ul>"
    )
    posts = [
        _post(
            1,
            "Q",
            categoryid=1,
            catidpath1=1,
            acount=2,
            selchildid=2,
            userid=1,
            lastuserid=2,
            netvotes=5,
            views=120,
            format="html",
            updated="2019-03-05 08:00:00",
            updatetype="E",
            title="Is this a panic attack?",
            content=html_q,
            tags="anxiety,panic-attacks",
            notify=EMAILS[0],
            cookieid=COOKIES[0],
            lastip=ip(IPS[3]),
        ),
        _post(
            2,
            "A",
            parentid=1,
            categoryid=1,
            userid=2,
            netvotes=3,
            format="html",
            created="2019-03-04 12:00:00",
            content="<p>It may well be. Try <em>slow breathing</em>:</p><ol><li>in for 4</li><li>out for 6</li></ol>",
        ),
        _post(
            3,
            "A",
            parentid=1,
            categoryid=1,
            name="Worried guest",
            cookieid=COOKIES[1],
            netvotes=-1,
            created="2019-03-04 13:30:00",
            notify=EMAILS[5],
            content="Same here.\nIt gets *really* bad at 3am.\n\n1. breathe\n# not a heading\tTab\x1a.",
        ),
        _post(4, "C", parentid=2, userid=3, created="2019-03-04 14:00:00", content="Thanks!", notify=EMAILS[2]),
        _post(
            5,
            "Q",
            categoryid=3,
            catidpath1=2,
            catidpath2=3,
            userid=3,
            views=40,
            created="2020-06-01 22:10:00",
            updated="2020-06-02 07:00:00",
            updatetype="S",
            lastuserid=3,
            title="Waking at 4am every night",
            content="I fall asleep fine but wake at 4am.\nAny tips?",
            tags="",
        ),
        _post(6, "A_HIDDEN", parentid=5, userid=1, created="2020-06-02 09:00:00", content="spam"),
        _post(
            7,
            "Q_QUEUED",
            categoryid=1,
            userid=3,
            title="Queued question",
            content="Waiting for a moderator.",
            tags="anxiety",
            created="2021-01-01 10:00:00",
        ),
        _post(8, "A", parentid=7, userid=1, created="2021-01-01 11:00:00", content="An answer to a queued question"),
        _post(
            9,
            "Q",
            categoryid=2,
            catidpath1=2,
            views=9,
            format="html",
            created="2021-02-03 04:05:06",
            title=mojibake("Café au lait keeps me awake?"),
            content=mojibake("<p>Even one café crème gives me déjà vu at 2am.</p>"),
            tags="caffeine,sleep",
        ),
        _post(10, "C_QUEUED", parentid=9, userid=4, created="2021-02-03 05:00:00", content="queued comment"),
        _post(11, "NOTE", parentid=9, userid=2, created="2021-02-03 06:00:00", content="moderator note"),
        _post(
            12,
            "A",
            parentid=9,
            userid=4,
            netvotes=2,
            format="html",
            created="2021-02-04 08:00:00",
            content="<p>Try decaf after noon, " + mojibake("Renée") + " here.</p>",
        ),
        _post(
            13,
            "A",
            parentid=5,
            userid=5,
            created="2020-06-03 10:00:00",
            updated="2020-06-04 10:00:00",
            updatetype="E",
            lastuserid=2,
            content="Keep the room dark and cool.\nIt helped me.",
        ),
        _post(
            15,
            "A",
            parentid=9,
            userid=3,
            format="html",
            created="2021-02-05 09:00:00",
            content='<p>Hostile<script>alert(1)</script> <a href="javascript:alert(2)">link</a>'
            '<img src="x" onerror="alert(3)"></p>',
        ),
        _post(14, "POLL", userid=1, title="Odd", content="A plugin's post type", created="2021-03-01 00:00:00"),
    ]
    options = [
        {"title": "site_url", "content": "https://forum.example.org/"},
        {"title": "site_title", "content": "Calm Minds"},
        {"title": "smtp_password", "content": SECRETS[1]},
    ]
    cookies = [
        {
            "cookieid": c,
            "created": "2019-03-04 10:00:00",
            "createip": ip(IPS[0]),
            "written": None,
            "writeip": ip(IPS[1]),
        }
        for c in COOKIES
    ]
    blobs = [
        {
            "blobid": 123,
            "format": "png",
            "content": b"\x89PNG\r\n\x1a\n\x00'\"\\;)(",
            "filename": "x.png",
            "userid": 1,
            "cookieid": None,
            "createip": ip(IPS[2]),
            "created": "2019-03-04 10:00:00",
        }
    ]
    return {
        "blobs": blobs,
        "categories": categories,
        "cookies": cookies,
        "options": options,
        "posts": posts,
        "userpoints": points,
        "users": users,
    }


def big_forum(questions: int) -> dict[str, list[dict[str, Value]]]:
    """``questions`` generated questions with two answers each (for timing the importer)."""
    tables = forum()
    body = "<p>" + "I have been worrying about sleep and work, and it keeps me up. " * 12 + "</p>"
    posts = []
    for n in range(questions):
        q = 100 + 3 * n
        posts.append(
            _post(
                q,
                "Q",
                categoryid=1 + n % 3,
                userid=1 + n % 5,
                netvotes=n % 7,
                views=n,
                format="html",
                title=f"Question number {n} about sleep and worry",
                content=body,
                tags="sleep,worry",
                selchildid=q + 1,
            )
        )
        posts += [
            _post(
                q + a,
                "A",
                parentid=q,
                userid=1 + (n + a) % 5,
                format="html",
                content=body,
                created="2019-03-05 10:22:01",
            )
            for a in (1, 2)
        ]
    tables["posts"] = posts
    return tables


def _literal(value: Value, column: tuple[str, str], hex_blob: bool) -> bytes:
    if value is None:
        return b"NULL"
    if isinstance(value, int | float):
        return str(value).encode()
    data = value if isinstance(value, bytes) else value.encode("utf-8")
    if column in BINARY and hex_blob:
        return b"0x" + data.hex().upper().encode() if data else b"''"
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
    return (b"_binary '" if column in BINARY else b"'") + data + b"'"


def _row(row: dict[str, Value], table: str, hex_blob: bool) -> bytes:
    return b"(" + b",".join(_literal(row[name], (table, name), hex_blob) for name, _ in SCHEMA[table]) + b")"


def _create(table: str, name: str, key: str) -> str:
    lines = [f"  `{column}` {kind}" for column, kind in SCHEMA[table]] + [f"  PRIMARY KEY (`{key}`)"]
    return f"CREATE TABLE `{name}` (\n" + ",\n".join(lines) + "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"


def write_mysqldump(
    path: Path,
    tables: dict[str, list[dict[str, Value]]],
    *,
    prefix: str = "qa_",
    hex_blob: bool = False,
    rows_per_insert: int = 1000,
) -> bytes:
    """One dump file as ``mysqldump --databases forum`` writes it; returns (and writes) its bytes."""
    out = [
        b"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: forum\n",
        b"-- ------------------------------------------------------\n-- Server version\t8.0.36\n\n",
        b"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!50503 SET NAMES utf8mb4 */;\n",
        b"/*!40103 SET TIME_ZONE='+00:00' */;\n/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n",
        b"/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n\n",
    ]
    for table, rows in sorted(tables.items()):
        name = prefix + table
        out.append(f"--\n-- Table structure for table `{name}`\n--\n\nDROP TABLE IF EXISTS `{name}`;\n".encode())
        out.append(b"/*!40101 SET @saved_cs_client     = @@character_set_client */;\n")
        out.append(_create(table, name, SCHEMA[table][0][0]).encode())
        out.append(f"\n--\n-- Dumping data for table `{name}`\n--\n\nLOCK TABLES `{name}` WRITE;\n".encode())
        out.append(f"/*!40000 ALTER TABLE `{name}` DISABLE KEYS */;\n".encode())
        for start in range(0, len(rows), rows_per_insert):
            chunk = rows[start : start + rows_per_insert]
            out.append(
                f"INSERT INTO `{name}` VALUES ".encode() + b",".join(_row(r, table, hex_blob) for r in chunk) + b";\n"
            )
        out.append(f"/*!40000 ALTER TABLE `{name}` ENABLE KEYS */;\nUNLOCK TABLES;\n\n".encode())
    out.append(b"/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n\n-- Dump completed on 2026-11-26 10:00:00\n")
    data = b"".join(out)
    path.write_bytes(data)
    return data


def write_phpmyadmin(folder: Path, tables: dict[str, list[dict[str, Value]]], *, prefix: str = "forum_") -> None:
    """One gzip'd file per table as phpMyAdmin's export (separate files) writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in sorted(tables.items()):
        name = prefix + table
        columns = ", ".join(f"`{column}`" for column, _ in SCHEMA[table])
        text = (
            "-- phpMyAdmin SQL Dump\n-- version 5.2.1\n-- https://www.phpmyadmin.net/\n--\n-- Host: localhost\n"
            '-- Server version: 10.11.6-MariaDB\n\nSET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";\nSTART TRANSACTION;\n'
            'SET time_zone = "+00:00";\n\n/*!40101 SET NAMES utf8mb4 */;\n\n--\n-- Database: `forum`\n--\n\n'
            f"-- --------------------------------------------------------\n\n--\n-- Table structure for table "
            f"`{name}`\n--\n\n{_create(table, name, SCHEMA[table][0][0])}\n--\n-- Dumping data for table `{name}`\n"
            f"--\n\n"
        ).encode()
        if rows:
            text += f"INSERT INTO `{name}` ({columns}) VALUES\n".encode()
            text += b",\n".join(_row(r, table, hex_blob=True) for r in rows) + b";\n"
        text += b"COMMIT;\n"
        (folder / f"{name}.sql.gz").write_bytes(gzip.compress(text, mtime=0))


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    write_mysqldump(target, big_forum(count))
    print(f"{target}: {target.stat().st_size:,} bytes, {count:,} questions")
