"""Stack Exchange data dump (Posts.xml + Users.xml) to a ``Batch``.

Questions are PostTypeId 1, answers PostTypeId 2 (with ParentId); other
post types (tag wikis, ...) are counted in a note. Bodies are HTML; titles
and names are text. Each post keeps its license (``ContentLicense``; in older
dumps without it, the one Stack Exchange applied at the post's date) and its
address on the site (``/q/<id>``, ``/a/<id>``), which the site shows as the
attribution CC BY-SA asks for; authors link to their profile (``/users/<id>``)
through people.yml ``url``. Which site it is: ``stackexchange_site``.
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
from .licenses import STACK_EXCHANGE_LICENSES, stack_exchange_license
from .options import Options, pick_category
from .parsing import parse_date, split_tags, to_utc
from .people import People, person_slug
from .stackexchange_site import folder_site, site_category, site_from_posts

logger = logging.getLogger(__name__)

QUESTION, ANSWER = "1", "2"
POST_TYPES = {"3": "orphaned tag wiki", "4": "tag wiki excerpt", "5": "tag wiki", "6": "moderator nomination"}


@dataclass
class _User:
    id: str
    name: str
    reputation: int | None


class _Dump:
    """Users, handle choices, site address and default license of one dump."""

    def __init__(self, folder: Path, options: Options, people: People) -> None:
        self.folder = folder
        self.site = options.site_url or folder_site(folder)
        self.site_links = 0
        if not self.site:
            self.site, self.site_links = site_from_posts(folder, _rows(folder / "Posts.xml"))
        self.license = options.license
        self.category = options.category or site_category(self.site)
        self.dated: dict[int, ImportedQuestion | ImportedAnswer] = {}  # licensed by their date, by id()
        self.categorised: dict[int, ImportedQuestion] = {}  # put in the site's category, by id()
        self.people = people
        self.users = _read_users(folder / "Users.xml")
        counts = Counter(person_slug(user.name) for user in self.users.values())
        self.shared = {slug for slug, n in counts.items() if n > 1 or not slug}
        self.reserved = set(counts)

    def licensed(self, post: ImportedQuestion | ImportedAnswer) -> None:
        """A post without ContentLicense gets the license Stack Exchange applied at its date (reported)."""
        if post.license is None:
            post.license = stack_exchange_license(post.date)
            self.dated[id(post)] = post

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
    _report_defaults(dump, batch)
    return batch


def _report_defaults(dump: _Dump, batch: Batch) -> None:
    """Notes on what the dump did not say: its site, licenses, categories."""
    if dump.site_links:
        batch.notes.append(
            f"Posts.xml: the site is {dump.site} ({dump.site_links} link{'s' if dump.site_links > 1 else ''} "
            "in the posts to its own questions); "
            "give --site-url if that is wrong"
        )
    kept = [post for q in batch.questions for post in (q, *q.answers)]
    dated = Counter(post.license for post in kept if id(post) in dump.dated)
    if dated:
        counts = ", ".join(f"{n} {name}" for name, n in sorted(dated.items()))
        dates = ", ".join(f"{name} before {until.isoformat()}" for until, name in STACK_EXCHANGE_LICENSES)
        batch.notes.append(
            f"Posts.xml: posts without ContentLicense get the license Stack Exchange applied at their date "
            f"({dates}, CC BY-SA 4.0 after): {counts}"
        )
    categorised = sum(id(q) in dump.categorised for q in batch.questions)
    if categorised:
        batch.notes.append(
            f"Posts.xml: {categorised} question(s) put in the category {dump.category!r} "
            "(named after the site; give --category NAME, or map tags under 'categories:' in --mapping FILE)"
        )


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
    notes: list[str] = []
    body = html_to_markdown(row.get("Body", ""), base_url=dump.site + "/", notes=notes)
    for note in notes:
        batch.note(where, note)
    editor = None
    if edited and (row.get("LastEditorUserId") or row.get("LastEditorDisplayName")):
        editor = dump.user(row.get("LastEditorUserId"), row.get("LastEditorDisplayName"))
    return {
        "key": row["Id"],
        "where": where,
        "author": dump.user(row.get("OwnerUserId"), row.get("OwnerDisplayName")),
        "date": date,
        "body": body,
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
    if not question.category:
        question.category = dump.category
        dump.categorised[id(question)] = question
    dump.licensed(question)
    return question


def _answer(row: dict[str, str], dump: _Dump, batch: Batch) -> ImportedAnswer | None:
    fields = _post_fields(row, dump, batch)
    if fields is None:
        return None
    answer = ImportedAnswer(source=f"{dump.site}/a/{row['Id']}", **fields)
    dump.licensed(answer)
    return answer


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
