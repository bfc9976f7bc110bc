"""Question2Answer question pages saved as HTML to a ``Batch``.

Reads the markup Q2A themes share (1.7/1.8, SnowFlat and Classic): the
question in ``.qa-q-view`` (votes in ``.qa-netvote-count-data``, meta in
``.qa-q-view-meta`` with ``<time datetime>``, category in
``.qa-q-view-where-data``, author in ``.qa-user-link`` with points in
``.qa-q-view-who-points-data``, body in ``.qa-q-view-content``, tags in
``.qa-tag-link``), and each answer in ``.qa-a-list-item`` (accepted:
``.qa-a-list-item-selected`` or ``.qa-a-selected``). Comments are not
imported. Posts by guests (no member link) are imported as ``anonymous``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import Comment, Tag

from ..content.model import ANONYMOUS
from .common import Batch, ImportedAnswer, ImportedQuestion, ImporterError
from .html_to_markdown import element_to_markdown
from .options import Options, pick_category
from .parsing import parse_date, parse_int, parse_points, to_utc
from .people import People, person_slug

logger = logging.getLogger(__name__)

EDIT_WORDS = ("edit", "retag", "recategor")


@dataclass
class _Action:
    """One 'asked/answered/edited <when> by <who>' group of a post's meta line."""

    what: str
    when: Tag | None = None
    who: Tag | None = None


def read_pages(path: Path, options: Options, people: People) -> Batch:
    """Read a saved question page (or every .html/.htm page in a folder) into a Batch."""
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".html", ".htm")) if path.is_dir() else [path]
    if not files:
        raise ImporterError(f"{path}: no .html pages here")
    batch = Batch(path.name, people)
    for file in files:
        question = _Page(file, options, batch).question()
        if question is not None:
            batch.questions.append(question)
    hosts = sorted({urlsplit(q.source).netloc for q in batch.questions if q.source})
    batch.source = ", ".join(hosts) or batch.source
    batch.finish()
    return batch


class _Page:
    """One saved page: its address (for links and sources) and its posts."""

    def __init__(self, file: Path, options: Options, batch: Batch) -> None:
        self.file = file
        self.options = options
        self.batch = batch
        self.soup = BeautifulSoup(file.read_bytes(), "lxml")
        self.url = self._page_url()

    def _page_url(self) -> str:
        link = self.soup.find("link", rel="canonical")
        if isinstance(link, Tag) and link.get("href"):
            return str(link["href"])
        saved = self.soup.find(string=lambda s: isinstance(s, Comment) and "saved from url=" in s)
        match = re.search(r"saved from url=\(\d+\)(\S+)", str(saved or ""))
        if match:
            return match.group(1)
        return self.options.site_url + "/" if self.options.site_url else ""

    def question(self) -> ImportedQuestion | None:
        """The page's question with its answers (None, reported, when there is none)."""
        view = self.soup.select_one(".qa-q-view")
        if view is None:
            self.batch.skip(self.file.name, "no Question2Answer question on this page")
            return None
        key = str(view.get("id", "")).removeprefix("q") or self.file.stem
        where = f"{self.file.name}: question {key}"
        post = self._post(view, "q-view", where)
        if post is None:
            return None
        raw_tags = [a.get_text(" ", strip=True) for a in view.select(".qa-tag-link")]
        tags, extra = self.batch.tags.convert(raw_tags)
        if extra:
            self.batch.note(where, f"more than 5 tags: left out {', '.join(extra)}")
        own = _text(view.select_one(".qa-q-view-where-data"))
        category = pick_category(tags, own, self.options) or ""
        question = ImportedQuestion(
            key=key,
            title=self._title(),
            category=category,
            tags=self.batch.tags_or_default(tags, self.options.default_tags, category, self.batch.source),
            views=_number(view.select_one(".qa-view-count-data")),
            source=self.url or None,
            **post,
        )
        question.answers = [a for a in map(self._answer, self.soup.select(".qa-a-list-item")) if a is not None]
        return question

    def _answer(self, item: Tag) -> ImportedAnswer | None:
        key = str(item.get("id", "")).removeprefix("a")
        where = f"{self.file.name}: answer {key}"
        post = self._post(item, "a-item", where)
        if post is None:
            return None
        classes = item.get("class") or []
        accepted = "qa-a-list-item-selected" in classes or item.select_one(".qa-a-selected") is not None
        source = f"{self.url.split('?')[0].split('#')[0]}?show={key}#a{key}" if self.url and key else None
        return ImportedAnswer(key=key or where, accepted=accepted, source=source, **post)

    def _title(self) -> str:
        heading = self.soup.select_one(".qa-main-heading h1") or self.soup.find("h1")
        if heading is not None:
            return " ".join(heading.get_text(" ").split())
        title = _text(self.soup.find("title"))
        return title.rsplit(" - ", 1)[0]

    def _post(self, node: Tag, prefix: str, where: str) -> dict[str, Any] | None:
        """Fields questions and answers share; None (reported) when the post has no date."""
        actions = _actions(node.select_one(f".qa-{prefix}-meta"), prefix)
        created = actions[0] if actions else None
        date = self._date(created.when if created else None)
        if date is None:
            self.batch.skip(where, "no date found (the page must show <time datetime=...> in the post's meta line)")
            return None
        edit = next((a for a in actions[1:] if a.what.startswith(EDIT_WORDS)), None)
        content = node.select_one(f".qa-{prefix}-content")
        body = content.select_one("[itemprop=text]") or content if content is not None else None
        notes: list[str] = []  # what the conversion could not keep as it was: reported, never dropped silently
        text = element_to_markdown(body, self.url, notes=notes) if body is not None else ""
        for note in notes:
            self.batch.note(where, note)
        return {
            "where": where,
            "author": self._person(created.who if created else None, prefix, where),
            "date": date,
            "body": text,
            "votes": _votes(node),
            "edited": self._date(edit.when) if edit else None,
            "edited_by": self._person(edit.who, prefix, where) if edit and edit.who else None,
            "license": self.options.license or None,
        }

    def _date(self, when: Tag | None) -> dt.datetime | None:
        stamp = when.find("time") if when is not None else None
        value = str(stamp.get("datetime") or stamp.get("title") or "") if isinstance(stamp, Tag) else ""
        try:
            return to_utc(parse_date(value)) if value else None
        except ValueError:
            return None

    def _person(self, who: Tag | None, prefix: str, where: str) -> str:
        link = who.select_one(".qa-user-link") if who is not None else None
        if link is None:
            guest = _text(who.select_one(f".qa-{prefix}-who-data")) if who is not None else ""
            if guest and guest.lower() != ANONYMOUS:
                self.batch.note(where, f"{guest!r} has no member link (a guest): imported as anonymous")
            return ANONYMOUS
        href = urljoin(self.url, str(link.get("href", ""))) if link.get("href") else ""
        username = unquote(urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]) if href else ""
        name = " ".join(link.get_text(" ").split()) or username
        points = _points(who.select_one(f".qa-{prefix}-who-points-data")) if who is not None else None
        candidates = [person_slug(username), person_slug(name)]
        candidates = [c for c in candidates if c] or ["member"]
        candidates += [f"{c}-{n}" for c in candidates[:1] for n in range(2, 10)]
        return self.batch.people.add(
            f"user:{username or name}", name, candidates, points=points, url=href if href.startswith("http") else None
        )


def _actions(meta: Tag | None, prefix: str) -> list[_Action]:
    """Split a meta line into its actions: [asked ..., edited ...]."""
    actions: list[_Action] = []
    if meta is None:
        return actions
    for part in meta.find_all(class_=re.compile(rf"^qa-{prefix}-(what|when|who)$")):
        kind = next(c for c in part.get("class", []) if c.startswith(f"qa-{prefix}-")).rsplit("-", 1)[1]
        if kind == "what":
            actions.append(_Action(" ".join(part.get_text(" ").lower().split())))
        elif actions and getattr(actions[-1], kind) is None:
            setattr(actions[-1], kind, part)
        elif not actions:
            actions.append(_Action("", **{kind: part}))
    return actions


def _votes(node: Tag) -> int:
    net = node.select_one(".qa-netvote-count-data")
    if net is not None:
        return _number(net) or 0
    up, down = node.select_one(".qa-upvote-count-data"), node.select_one(".qa-downvote-count-data")
    return (_number(up) or 0) - (_number(down) or 0)


def _number(node: Tag | None) -> int | None:
    text = _text(node)
    if not text:
        return None
    try:
        return parse_int(text)
    except ValueError:
        try:
            return parse_points(text)
        except ValueError:
            return None


def _points(node: Tag | None) -> int | None:
    try:
        return parse_points(_text(node)) if node is not None else None
    except ValueError:
        return None


def _text(node: Any) -> str:
    return " ".join(node.get_text(" ").split()) if isinstance(node, Tag) else ""
