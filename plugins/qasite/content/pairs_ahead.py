"""``check``'s possible-duplicate pairs computed ahead: in a forked child, while the model is built.

The pairs depend only on the published questions' wording in slug order (``duplicate_pairs.wording_digest``), and
``check`` knows that wording as soon as ``prepare`` has read the Markdown files: each question file's title, status
and date (its field check) and plain text (its parse). So ``check`` arms this (``expect``: the threshold, the
processes, the cache); ``prepare.prepare_files`` calls ``start`` once the files are prepared (``read.Reader.read_ahead``
hands it over as ``then``), before the cache's writer forks, which forks a child that takes every question file
without problems whose status is published, as the model would take it (``wordings``: made once, before the fork,
and kept in this process for ``take``), builds the vectors and finds the pairs
(``duplicate_pairs.pair_indexes``) while this process builds the model, runs the rules and the lints.
``duplicate_pairs.cached_pairs`` then ``take``s the child's pairs only when
the questions the model really kept are the ones the child compared (the same slugs, dates, paths, titles and
texts, in order: what ``wording_digest`` reads, so the same pairs); otherwise (a question the model dropped: an
unknown category or author...) the child is stopped and the pairs are found as before. When the cache holds the
pairs for that wording (a check after an answer edit), the child finds them there and stops, and the check
``drop``s it. Nothing is forked when no question's file was read anew (all from the cache: after an answer edit the
pairs are most likely cached), or when forking is unsafe (other threads): the pairs are then found as before.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..build.parallel import Forked, forked
from . import prepare
from .model import Question
from .related import build_vectors

if TYPE_CHECKING:
    from ..build.cache import Cache
    from .prepare import Prepared

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Wording:
    """What the pairs read of a question (``wording_digest``, ``build_vectors``), taken from its prepared file."""

    slug: str
    date: dt.datetime | None
    source_path: str
    title: str
    body_text: str


@dataclass(kw_only=True)
class _Armed:
    key: str
    threshold: float
    processes: int
    cache: Cache | None
    questions: list[Wording] = field(default_factory=list)
    child: Forked[tuple[str, list[tuple[int, int, float]] | None]] | None = None


_ARMED: _Armed | None = None


def expect(content: Path, settings: Mapping[str, Any], cache: Cache | None) -> None:
    """Arm ``start`` for a check of ``content`` with ``settings`` (a child of an earlier check is stopped)."""
    global _ARMED
    drop()
    threshold, processes = settings["QA_DUPLICATE_THRESHOLD"], settings["QA_RENDER_PROCESSES"]
    _ARMED = _Armed(key=str(content.resolve()), threshold=threshold, processes=processes, cache=cache)


def wordings(
    files: Sequence[tuple[Path, str, str]],
    prepared: Mapping[Path, Prepared],
    aware: Callable[[dt.datetime | None], dt.datetime | None],
) -> list[Wording]:
    """The questions the model will publish, as far as their own files tell, in slug order."""
    found = []
    for path, rel, kind in files:
        if kind != "question":  # rel: content/questions/<slug>/index.md (``prepare.kind_of_rel``)
            continue
        result = prepared.get(path)
        source = result.source if result is not None else None
        if result is None or result.problems or source is None or source.parsed is None:
            continue
        values, problems = source.checked or ({}, [True])
        if problems or values["status"] != "published":
            continue
        date = aware(values["date"])
        title, text = values["title"], source.parsed.text
        found.append(Wording(slug=rel.split("/")[2], date=date, source_path=rel, title=title, body_text=text))
    return sorted(found, key=lambda w: w.slug)


def start(
    content: Path,
    files: Sequence[tuple[Path, str, str]],
    prepared: Mapping[Path, Prepared],
    *,
    aware: Callable[[dt.datetime | None], dt.datetime | None],
) -> None:
    """When a check of ``content`` is armed: fork the child that finds the pairs of the questions of ``files``
    (``wordings``). Called before any other child shares this process's memory (``prepare_files``' ``then``,
    before the cache's writer): the wordings are made here once, for the child and for ``take``, without a
    copy-on-write fault on the prepared files' pages (made after a fork, in each process, they cost ~3 times as
    much: ~27,000 faults each at 10,000 questions)."""
    armed = _ARMED
    if armed is None or armed.key != str(content.resolve()) or armed.child is not None:
        return
    if not any(kind == "question" and rel in prepare.ANEW for _, rel, kind in files):
        return  # no question's own file changed since the cache's results (an answer edit): likely cached pairs
    questions = wordings(files, prepared, aware)
    armed.child = forked(lambda: _pairs(armed, questions))
    if armed.child is not None:
        armed.questions = questions


def take(key: str, questions: Sequence[Question]) -> tuple[str, list[tuple[int, int, float]]] | None:
    """The ``wording_digest`` of ``questions`` and their pairs (i, j, score), from the child when it compared them
    (the same slugs, dates, paths, titles and texts, in order); None (and the child stopped) when it compared
    others, found them in the cache, failed, or none was forked for ``key``."""
    global _ARMED
    armed, _ARMED = _ARMED, None
    if armed is None or armed.child is None:
        return None
    if armed.key != key or len(armed.questions) != len(questions) or not all(map(_same, armed.questions, questions)):
        armed.child.cancel()
        return None
    found = armed.child.result()
    return None if found is None or found[1] is None else (found[0], found[1])


def drop() -> None:
    """Stop the child, if any: its pairs are not needed (the cache holds them)."""
    global _ARMED
    if _ARMED is not None and _ARMED.child is not None:
        _ARMED.child.cancel()
    _ARMED = None


def _same(wording: Wording, question: Question) -> bool:
    return (wording.slug, wording.date, wording.source_path, wording.title, wording.body_text) == (
        question.slug,
        question.date,
        question.source_path,
        question.title,
        question.body_text,
    )


def _pairs(armed: _Armed, found: list[Wording]) -> tuple[str, list[tuple[int, int, float]] | None]:
    """In the child: the ``wording_digest`` of the questions ``found`` (``wordings``) and their pairs (None when the
    cache holds them)."""
    from .duplicate_pairs import PAIRS, pair_indexes, wording_digest

    questions = cast(Sequence[Question], found)
    digest = wording_digest(questions, armed.threshold)
    if armed.cache is not None:
        stored = armed.cache.get(namespace=PAIRS, key=armed.key)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == digest:
            return digest, None
    return digest, pair_indexes(build_vectors(questions), threshold=armed.threshold, processes=armed.processes)
