"""A Question2Answer database dump (``mysqldump`` or phpMyAdmin; see ``mysqldump``) to a ``Batch``.

Reads ``<prefix>posts`` (the prefix, ``qa_`` by default, is found from the tables present),
``categories``, ``users``, ``userpoints`` and ``options`` (for ``site_url``). Questions are type ``Q``,
answers ``A``; hidden and queued posts, comments and notes are counted in a note. Only the columns
published on the forum are kept from the dump: e-mail addresses, IPs, cookie ids and password fields are
never read into memory. Text double-encoded through a latin1 connection is repaired (ftfy).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import ftfy

from ..build.progress import Phase, phase
from ..content.model import ANONYMOUS
from ..content.values import MAX_TEXT_LENGTH
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .html_to_markdown import html_to_markdown
from .mysqldump import Dump, scan
from .options import Options, pick_category
from .parsing import split_tags
from .people import People, person_slug
from .q2a_tables import TABLES, TYPES, Row, numbered, post_types_note, q2a_prefix, question_slug, rows
from .sqltext import Value

logger = logging.getLogger(__name__)

EDITS = {"E", "T", "A", None}  # Q2A updatetype: content edited, retagged, recategorized (None: before 1.5)
SUFFIXES = (".sql", ".sql.gz", ".gz")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never shown: NUL, Ctrl-Z (MySQL's \\Z), ...


def read_database(path: Path, options: Options, people: People) -> Batch:
    """Read a dump file (or a folder of per-table dump files) of a Q2A database into a Batch."""
    files = _files(path)
    if not any(file.stat().st_size for file in files):
        raise ImporterError(
            f"{path}: empty: make the dump again (mysqldump or phpMyAdmin's Export: see docs/importing.md)"
        )
    total = sum(file.stat().st_size for file in files) >> 20
    with phase("reading", total=total, unit="MB") as progress:
        dump = scan(files, _keep, progress)
    prefix = q2a_prefix(dump, path)
    forum = _Forum(dump, prefix, options, people)
    posts = numbered(rows(dump, prefix, "posts"), forum.table, forum.batch.skip)  # each address is made of a postid
    unique = list({row["postid"]: row for row in posts}.values())  # two dumps of one forum: each post once
    forum.counts["duplicate"], posts = len(posts) - len(unique), unique
    with phase("converting", total=len(posts), unit="posts") as progress:
        forum.read_posts(posts, progress)
    forum.batch.finish()
    return forum.batch


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(SUFFIXES))
    if not files:
        raise ImporterError(f"{path}: no .sql or .sql.gz files here (give a dump file or a folder of them)")
    return files


def _keep(table: str, columns: list[str] | None) -> tuple[str, ...] | None:
    """The columns read from a Q2A table (None: not a Q2A table we need)."""
    for suffix, (wanted, required) in TABLES.items():
        if table.endswith(suffix) and (columns is None or required <= set(columns)):
            return wanted
    return None


class _Forum:
    """The forum's categories, members and address; turns its posts into questions and answers."""

    def __init__(self, dump: Dump, prefix: str, options: Options, people: People) -> None:
        self.table = f"{prefix}posts"
        self.options, self.people = options, people
        settings = {row["title"]: row["content"] for row in rows(dump, prefix, "options")}
        self.site = (options.site_url or str(settings.get("site_url") or "")).rstrip("/")
        if not self.site.startswith(("https://", "http://")):
            raise ImporterError(
                f"the dump does not say the forum's address ({prefix}options has no site_url): give it with "
                "--site-url, like --site-url https://forum.example.org (needed for each post's source link)"
            )
        self.batch = Batch(self.site.split("://", 1)[1], people)
        self.counts: Counter[str] = Counter()
        self.name = " ".join(self.fix(settings.get("site_title")).split())[:60] or self.batch.source
        self.handles = {row["userid"]: " ".join(self.fix(row["handle"]).split()) for row in rows(dump, prefix, "users")}
        self.points = {row["userid"]: row["points"] for row in rows(dump, prefix, "userpoints")}
        self.categories = {row["categoryid"]: row for row in rows(dump, prefix, "categories")}
        self.named: dict[Value, tuple[str, str, bool]] = {}
        self.titles = Counter(row["title"] for row in self.categories.values())

    def fix(self, text: object) -> str:
        """``text`` without control characters, double-encoded UTF-8 ('CafÃ©') repaired ('Café'; counted)."""
        text = CONTROLS.sub("", "" if text is None else str(text))
        if text.isascii():
            return text
        fixed = ftfy.fix_encoding(text)
        self.counts["repaired"] += fixed != text
        return fixed

    # -- categories and people ----------------------------------------------------------------------

    def category(self, category_id: Value) -> tuple[str, str]:
        """(name, slug) of a post's category: its top category unless ``subcategories: own``."""
        if category_id not in self.named:
            self.named[category_id] = self._category(category_id)
        name, slug, moved = self.named[category_id]
        self.counts["subcategory"] += moved
        return name, slug

    def _category(self, category_id: Value) -> tuple[str, str, bool]:
        row, path = self.categories.get(category_id), []
        while row is not None and row not in path:
            path.insert(0, row)
            parent = row["parentid"]
            row = self.categories.get(parent) if parent is not None else None
        if not path:
            return "", "", False
        own = self.options.subcategories == "own"
        chosen = path[-1] if own else path[0]
        name = " ".join(self.fix(chosen["title"]).split())
        if own and len(path) > 1 and self.titles[chosen["title"]] > 1:  # "Other" under two categories
            name = f"{' '.join(self.fix(path[0]['title']).split())} / {name}"
        if name not in self.batch.categories:
            about = " ".join(self.fix(chosen["content"]).split())
            self.batch.categories[name] = about[: MAX_TEXT_LENGTH - 1] + "…" if len(about) > MAX_TEXT_LENGTH else about
            self.batch.category_order[name] = tuple(_int(r["position"]) or 0 for r in (path if own else path[:1]))
        return name, str(chosen["tags"] or ""), len(path) > 1 and not own

    def person(self, user_id: Value, guest: Value = None) -> str:
        """The handle of a member (registered on first use), or anonymous for a guest."""
        if user_id is None:
            self.counts["guest" if guest else "anonymous"] += 1
            return ANONYMOUS
        handle = self.handles.get(user_id) or None
        if handle is None or "@" in handle:
            self.counts["unknown user"] += 1
            return self.people.add(f"user:{user_id}", f"user {user_id}", [f"user-{user_id}"])
        slug = person_slug(handle)
        return self.people.add(
            f"user:{user_id}",
            handle,
            [slug, f"{slug}-{user_id}" if slug else "", f"user-{user_id}"],
            points=_count(self.points.get(user_id)),
            url=f"{self.site}/user/{quote(handle)}",
        )

    # -- posts ----------------------------------------------------------------------------------------

    def read_posts(self, posts: list[Row], progress: Phase) -> None:
        """Questions first, then their answers; everything else counted or skipped with the reason."""
        questions: dict[Value, tuple[ImportedQuestion, Value]] = {}
        left: dict[Value, str] = {}  # questions not imported: why
        others: Counter[str] = Counter()
        for row in posts:
            kind = str(row["type"])
            if kind == "Q":
                question = self.question(row)
                if question is not None:
                    questions[row["postid"]] = (question, row["selchildid"])
                else:
                    left[row["postid"]] = "skipped"
            elif kind in TYPES:
                others[kind] += 1
                left[row["postid"]] = kind
            elif kind != "A":
                self.batch.skip(
                    f"{self.table}: post {row['postid']}",
                    f"unknown post type {kind!r} (Question2Answer has Q, A, C and NOTE, and _HIDDEN and _QUEUED)",
                )
            progress.advance(0 if kind == "A" else 1)  # answers count when they are read, below
        for row in posts:
            if str(row["type"]) == "A":
                self.answer(row, questions, left)
                progress.advance()
        self.batch.questions = [question for question, _ in questions.values()]
        self._notes(others)

    def _fields(self, row: Row, where: str, url: str) -> dict[str, object] | None:
        date = _date(row["created"])
        if date is None:
            self.batch.skip(where, f"created {row['created']!r} is not a date")
            return None
        kind = row["updatetype"]
        edited = _date(row["updated"]) if kind in EDITS else None
        return {
            "key": str(row["postid"]),
            "where": where,
            "author": self.person(row["userid"], row["name"]),
            "date": date,
            "body": self.body(row, url, where),
            "votes": _int(row["netvotes"]) or 0,
            "edited": edited,
            "edited_by": self.person(row["lastuserid"]) if edited and row["lastuserid"] is not None else None,
            "license": self.options.license or None,
        }

    def question(self, row: Row) -> ImportedQuestion | None:
        where = f"{self.table}: post {row['postid']}"
        title = " ".join(self.fix(str(row["title"] or "")).split())
        slug = question_slug(title)
        url = f"{self.site}/{row['postid']}" + (f"/{slug}" if slug else "")
        fields = self._fields(row, where, url)
        if fields is None:
            return None
        own, category_tag = self.category(row["categoryid"])
        tags, extra = self.batch.tags.convert(split_tags(self.fix(str(row["tags"] or ""))))
        if extra:
            self.batch.note(where, f"more than 5 tags: left out {', '.join(extra)}")
        category = pick_category(tags, own, self.options)
        if not category:  # a forum without categories: one named after the forum
            category = self.name
            self.counts["uncategorised"] += 1
        tags = self.batch.tags_or_default(tags, self.options.default_tags, category_tag or category, self.table)
        return ImportedQuestion(
            title=title,
            category=category,
            tags=tags,
            views=_count(row["views"]),
            source=url,
            **fields,  # type: ignore[arg-type]
        )

    def answer(self, row: Row, questions: dict[Value, tuple[ImportedQuestion, Value]], left: dict[Value, str]) -> None:
        where = f"{self.table}: post {row['postid']}"
        parent = questions.get(row["parentid"])
        if parent is None:
            why = f"not imported ({left[row['parentid']]})" if row["parentid"] in left else "not in the dump"
            self.batch.skip(where, f"answer to question {row['parentid']}, which is {why}")
            return
        question, selected = parent
        key = row["postid"]
        fields = self._fields(row, where, f"{question.source}?show={key}#a{key}")
        if fields is not None:
            answer = ImportedAnswer(source=f"{question.source}?show={key}#a{key}", **fields)  # type: ignore[arg-type]
            answer.accepted = selected == key
            question.answers.append(answer)

    def body(self, row: Row, url: str, where: str) -> str:
        """The post's text as Markdown: HTML converted, plain text kept as it read (line breaks too)."""
        text, kind = self.fix(str(row["content"] or "")), str(row["format"] or "")
        if kind == "markdown":
            return text.strip()
        if kind != "html":
            if kind:
                self.counts[f"format {kind!r}"] += 1
            paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
            text = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
        notes: list[str] = []  # what the conversion could not keep as it was: reported, never dropped silently
        markdown = html_to_markdown(text, base_url=url, notes=notes)
        for note in notes:
            self.batch.note(where, note)
        return markdown

    def _notes(self, others: Counter[str]) -> None:
        note = post_types_note(others)
        if note:
            self.batch.note(self.table, note)
        messages = {
            "guest": "{n} post(s) by guests (a name, no member account) imported as anonymous",
            "duplicate": "{n} post row(s) read twice (the same postid): the last one kept",
            "unknown user": "{n} post(s) by members missing from the users table imported as user-<id>",
            "subcategory": "{n} question(s) in a sub-category filed under its top category "
            "(subcategories: own in the mapping file keeps them)",
            "uncategorised": "{n} question(s) without a category filed under {name!r}, the forum's name "
            "(--category NAME chooses another)",
            "repaired": "{n} text(s) double-encoded (UTF-8 read as latin1: 'CafÃ©') repaired",
        }
        for kind, message in messages.items():
            if self.counts[kind]:
                self.batch.note(self.table, message.format(n=self.counts[kind], name=self.name))
        for kind in sorted(k for k in self.counts if k.startswith("format")):
            self.batch.note(self.table, f"{self.counts[kind]} post(s) in {kind} imported as plain text")


def _date(value: Value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _int(value: Value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count(value: Value) -> int | None:
    """Points and views: a number of zero or more (Q2A points go below zero: those are left out)."""
    number = _int(value)
    return number if number is not None and number >= 0 else None
