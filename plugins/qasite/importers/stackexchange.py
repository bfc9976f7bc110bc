"""Stack Exchange data dump (Posts.xml + Users.xml) to a ``Batch``.

Questions are PostTypeId 1, answers PostTypeId 2 (with ParentId); other
post types (tag wikis, ...) are counted in a note. Bodies are HTML; titles
and names are text. Each post keeps its license (``ContentLicense``, else the
dump's LICENSE file) and its address on the site (``/q/<id>``, ``/a/<id>``),
which the site shows as the attribution CC BY-SA asks for; authors link to
their profile (``/users/<id>``) through people.yml ``url``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..content.model import ANONYMOUS
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .html_to_markdown import html_to_markdown
from .options import Options, pick_category
from .parsing import parse_date, split_tags, to_utc
from .people import People, person_slug

logger = logging.getLogger(__name__)

QUESTION, ANSWER = "1", "2"
POST_TYPES = {"3": "orphaned tag wiki", "4": "tag wiki excerpt", "5": "tag wiki", "6": "moderator nomination"}
HOST_RE = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+\.(com|net|org|io|co|info)")


@dataclass
class _User:
    id: str
    name: str
    reputation: int | None


class _Dump:
    """Users, handle choices, site address and default license of one dump."""

    def __init__(self, folder: Path, options: Options, people: People) -> None:
        self.folder = folder
        self.site = options.site_url or _infer_site(folder)
        self.license = options.license or _dump_license(folder)
        self.people = people
        self.users = _read_users(folder / "Users.xml")
        counts = Counter(person_slug(user.name) for user in self.users.values())
        self.shared = {slug for slug, n in counts.items() if n > 1 or not slug}
        self.reserved = set(counts)

    def user(self, user_id: str | None, display_name: str | None) -> str:
        """The handle of a post's owner or editor (registered on first use)."""
        if user_id and user_id in self.users:
            user = self.users[user_id]
            slug = person_slug(user.name)
            first = [] if slug in self.shared else [slug]
            return self.people.add(
                f"user:{user_id}",
                user.name,
                [*first, f"{slug}-{user_id}" if slug else "", f"user-{user_id}"],
                points=user.reputation,
                url=f"{self.site}/users/{user_id}",
            )
        name = (display_name or "").strip() or (f"user{user_id}" if user_id else "")
        return self._gone(name)

    def _gone(self, name: str) -> str:
        """A deleted or unregistered user: only the name shown on the post is left."""
        if not name:
            return ANONYMOUS
        number = re.fullmatch(r"user(\d+)", name)
        slug = person_slug(name) or "guest"
        candidates = [f"user-{number.group(1)}"] if number else [s for s in (slug,) if s not in self.reserved]
        return self.people.add(f"name:{name}", name, [*candidates, *(f"{slug}-guest-{n}" for n in range(1, 10))])


def read_dump(path: Path, options: Options, people: People) -> Batch:
    """Read a dump folder (or its Posts.xml) into a Batch."""
    folder = path.parent if path.is_file() else path
    if not (folder / "Posts.xml").is_file():
        raise ImporterError(f"{folder}: no Posts.xml here (give the folder of an unpacked Stack Exchange dump)")
    if not options.category and not options.categories:
        raise ImporterError(
            "Stack Exchange posts have no category: give --category NAME "
            "(or map tags to categories under 'categories:' in --mapping FILE)"
        )
    dump = _Dump(folder, options, people)
    batch = Batch(dump.site.split("://", 1)[1], people)
    questions: dict[str, ImportedQuestion] = {}
    accepted: dict[str, str] = {}
    answers: list[tuple[dict[str, str], ImportedAnswer]] = []
    others: Counter[str] = Counter()
    for row in _rows(folder / "Posts.xml"):
        kind = row.get("PostTypeId", "")
        if kind == QUESTION:
            question = _question(row, dump, batch, options)
            if question is not None:
                questions[row["Id"]] = question
                accepted[row["Id"]] = row.get("AcceptedAnswerId", "")
        elif kind == ANSWER:
            answer = _answer(row, dump, batch)
            if answer is not None:
                answers.append((row, answer))
        else:
            others[POST_TYPES.get(kind, f"PostTypeId {kind}")] += 1
    _attach(answers, questions, accepted, batch)
    batch.questions = list(questions.values())
    if others:
        batch.note("Posts.xml", "not imported: " + ", ".join(f"{n} {kind}" for kind, n in sorted(others.items())))
    batch.finish()
    return batch


def _attach(
    answers: list[tuple[dict[str, str], ImportedAnswer]],
    questions: dict[str, ImportedQuestion],
    accepted: dict[str, str],
    batch: Batch,
) -> None:
    """Put each answer under its question; mark the accepted one."""
    for row, answer in answers:
        parent_id = row.get("ParentId", "")
        parent = questions.get(parent_id)
        if parent is None:
            batch.skip(answer.where, f"answer to unknown question {parent_id or '?'}")
            continue
        answer.accepted = accepted.get(parent_id) == row["Id"]
        parent.answers.append(answer)


def _post_fields(row: dict[str, str], dump: _Dump, batch: Batch) -> dict[str, Any] | None:
    """What questions and answers share; None (with the reason reported) when unusable."""
    where = f"Posts.xml: post {row.get('Id', '?')}"
    try:
        date = to_utc(parse_date(row["CreationDate"] + "Z"))
        edited = to_utc(parse_date(row["LastEditDate"] + "Z")) if row.get("LastEditDate") else None
    except (KeyError, ValueError):
        batch.skip(where, f"CreationDate {row.get('CreationDate')!r} is not a date")
        return None
    editor = None
    if edited and (row.get("LastEditorUserId") or row.get("LastEditorDisplayName")):
        editor = dump.user(row.get("LastEditorUserId"), row.get("LastEditorDisplayName"))
    return {
        "key": row["Id"],
        "where": where,
        "author": dump.user(row.get("OwnerUserId"), row.get("OwnerDisplayName")),
        "date": date,
        "body": html_to_markdown(row.get("Body", ""), base_url=dump.site + "/"),
        "votes": int(row.get("Score") or 0),
        "edited": edited,
        "edited_by": editor,
        "license": row.get("ContentLicense") or dump.license or None,
    }


def _question(row: dict[str, str], dump: _Dump, batch: Batch, options: Options) -> ImportedQuestion | None:
    fields = _post_fields(row, dump, batch)
    if fields is None:
        return None
    tags, extra = batch.tags.convert(split_tags(row.get("Tags", "")))
    if extra:
        batch.note(fields["where"], f"more than 5 tags: left out {', '.join(extra)}")
    question = ImportedQuestion(
        title=" ".join(row.get("Title", "").split()),
        category=pick_category(tags, None, options) or "",
        tags=tags,
        views=int(row["ViewCount"]) if row.get("ViewCount", "").isdigit() else None,
        source=f"{dump.site}/q/{row['Id']}",
        **fields,
    )
    return question


def _answer(row: dict[str, str], dump: _Dump, batch: Batch) -> ImportedAnswer | None:
    fields = _post_fields(row, dump, batch)
    if fields is None:
        return None
    return ImportedAnswer(source=f"{dump.site}/a/{row['Id']}", **fields)


# -- files -----------------------------------------------------------------------


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """Every <row> of a dump file as a dict, streaming (dumps can be large)."""
    try:
        for _, element in etree.iterparse(str(path), tag="row", huge_tree=True):
            yield dict(element.attrib)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as err:
        raise ImporterError(f"{path}: not a readable XML file: {err}") from err


def _read_users(path: Path) -> dict[str, _User]:
    if not path.is_file():
        logger.warning("%s is missing: authors keep only the names on their posts", path)
        return {}
    users = {}
    for row in _rows(path):
        reputation = row.get("Reputation", "")
        name = " ".join(row.get("DisplayName", "").split()) or f"user{row['Id']}"
        users[row["Id"]] = _User(row["Id"], name, int(reputation) if reputation.lstrip("-").isdigit() else None)
    return users


def _infer_site(folder: Path) -> str:
    """https://<folder name> when the dump folder is named after its site (conlang.meta.stackexchange.com)."""
    name = folder.resolve().name.lower()
    if HOST_RE.fullmatch(name):
        return f"https://{name}"
    raise ImporterError(
        f"{folder}: the dump does not name its site: give its address with --site-url, "
        "like --site-url https://conlang.meta.stackexchange.com (needed for each post's source link)"
    )


def _dump_license(folder: Path) -> str:
    """'CC BY-SA 3.0' from the dump's LICENSE file ('' when there is none)."""
    for name in ("LICENSE", "LICENSE.txt", "license.txt"):
        path = folder / name
        if path.is_file():
            match = re.search(r"ShareAlike\s+(\d\.\d)", path.read_text(encoding="utf-8", errors="replace"))
            if match:
                return f"CC BY-SA {match.group(1)}"
    return ""
