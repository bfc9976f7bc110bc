"""The Question2Answer tables an import reads, the columns it keeps of each, and finding their prefix.

Only what the forum published is kept: no e-mail (``users.email``, ``posts.notify``), IP, cookie id or
password column is ever named here, so none is read into memory.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .common import ImporterError
from .mysqldump import Dump
from .sqltext import Value, repair_bytes

Row = dict[str, Value]

POSTS = (
    "postid",
    "type",
    "parentid",
    "categoryid",
    "selchildid",
    "userid",
    "lastuserid",
    "netvotes",
    "views",
    "format",
    "created",
    "updated",
    "updatetype",
    "title",
    "content",
    "tags",
    "name",
)
# table name suffix: (columns kept, columns a Q2A table of that name has); longest suffixes first
TABLES: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "userpoints": (("userid", "points"), {"userid", "points"}),
    "categories": (("categoryid", "parentid", "title", "tags", "content", "position"), {"categoryid", "title"}),
    "options": (("title", "content"), {"title", "content"}),
    "users": (("userid", "handle"), {"userid", "handle"}),
    "posts": (POSTS, {"postid", "type", "created"}),
}
TYPES = {
    "A_HIDDEN": "hidden answer",
    "A_QUEUED": "answer awaiting approval",
    "C": "comment",
    "C_HIDDEN": "hidden comment",
    "C_QUEUED": "comment awaiting approval",
    "NOTE": "note",
    "Q_HIDDEN": "hidden question",
    "Q_QUEUED": "question awaiting approval",
}


SEPARATORS = re.compile(r"[\s!\"'()*+,./:;<=>?\[\\\]^`{|}~-]+")  # Q2A's word separators, hyphens too


def question_slug(title: str, limit: int = 50) -> str:
    """The title part of a question's address as Q2A makes it with its default options: words lowercased,
    accents kept, and past ``limit`` letters only the longest words (``is-this-a-panic-attack``)."""
    words = [word for word in SEPARATORS.split(re.sub(r"(\S)'(\S)", r"\1\2", title.lower())) if word]
    if sum(map(len, words)) > limit:
        kept, left = set(), limit
        for index in sorted(range(len(words)), key=lambda i: -len(words[i])):
            if left > 0:
                left -= len(words[index])
                kept.add(index)
        words = [word for index, word in enumerate(words) if index in kept]
    return quote("-".join(words), safe="-")


def q2a_prefix(dump: Dump, path: Path) -> str:
    """The table prefix of the one Q2A install in the dump (``qa_``); ImporterError when there is none or several."""
    _, required = TABLES["posts"]
    found = sorted(
        table
        for table, columns in dump.columns.items()
        if table.endswith("posts") and (table in dump.rows or (columns is not None and required <= set(columns)))
    )
    if not found:
        tables = ", ".join(sorted(dump.columns)[:12]) or "none"
        raise ImporterError(
            f"{path}: not a Question2Answer dump: no posts table (like qa_posts) with postid, type and created "
            f"columns (tables found: {tables})"
        )
    if len(found) > 1:  # a plugin's table like qa_blogposts: the forum's posts table has an options table beside it
        found = [table for table in found if table.removesuffix("posts") + "options" in dump.columns] or found
    if len(found) > 1:
        raise ImporterError(
            f"{path}: the dump holds several Question2Answer forums ({', '.join(found)}): "
            "export the tables of one of them"
        )
    return found[0].removesuffix("posts")


def rows(dump: Dump, prefix: str, name: str) -> list[Row]:
    """The kept columns of every row of ``<prefix><name>`` (handed over: the dump lets go of them)."""
    kept, _ = TABLES[name]
    return [dict(zip(kept, map(_text, values), strict=True)) for values in dump.rows.pop(prefix + name, [])]


def _text(value: Value) -> Value:
    """Text written as binary (``_binary '...'``, ``0x...``: a column with a binary collation) as text."""
    return repair_bytes(value.decode("utf-8", "surrogateescape")) if isinstance(value, bytes) else value


def post_types_note(counts: Counter[str]) -> str:
    """'not imported: 3 comments (C), 1 hidden question (Q_HIDDEN)' ('' when nothing was left out)."""
    parts = []
    for kind, count in sorted(counts.items()):
        label = TYPES.get(kind, kind)
        plural = label.replace("answer", "answers").replace("question", "questions").replace("comment", "comments")
        parts.append(f"{count} {label if count == 1 else plural.replace('note', 'notes')} ({kind})")
    return "not imported: " + ", ".join(parts) if parts else ""


def numbered(posts: list[Row], table: str, skip: Callable[[str, str], None]) -> list[Row]:
    """The posts whose postid is a number (Question2Answer numbers every post, and their addresses are made of
    it); each other one is ``skip``-ped with the reason."""
    number = [isinstance(row["postid"], int) and not isinstance(row["postid"], bool) for row in posts]
    for row in (row for row, ok in zip(posts, number, strict=True) if not ok):
        skip(f"{table}: post {row['postid']!r}", "its postid is not a number: left out")
    return [row for row, ok in zip(posts, number, strict=True) if ok]
