"""Write an imported ``Batch`` into a content folder, safely and repeatably.

- Output is deterministic: same input, same bytes (fields in the documented
  order, questions and answers sorted, people and categories sorted).
- A file that already holds exactly what the import would write is left
  alone, so a second run writes nothing.
- A file that differs but still holds what the last import wrote (``state``)
  is refreshed with the newer source; one an editor changed is kept unless
  ``force``, and reported with the reason. Likewise a member's imported points.
- Where each post goes is decided by ``plan`` (stable folder and file names).
- people.yml and categories.yml are appended to, never rewritten: existing
  entries (and comments) stay exactly as they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..build import progress
from ..content.frontmatter import Loader
from ..content.frontmatter_writer import scalar
from ..content.model import ANONYMOUS, Person
from ..content.people import read_people
from ..content.rules import category_clash
from ..content.slugs import category_slug
from .common import Batch, ImportedQuestion, ImporterError
from .plan import plan
from .state import State, refresh_points

logger = logging.getLogger(__name__)


@dataclass
class Report:
    """What an import did, for the person running it."""

    source: str
    questions: int = 0
    answers: int = 0
    people: int = 0
    written: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    people_added: list[str] = field(default_factory=list)
    people_refreshed: list[str] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    repeated: int = 0

    def lines(self) -> list[str]:
        """The report as printed by `invoke import`: details first, the summary last."""
        lines = [f"skipped: {line}" for line in self.skipped]
        lines += [f"not overwritten: {line}" for line in self.kept]
        lines += [f"note: {line}" for line in self.notes]
        lines.append(self.summary())
        return lines

    def summary(self) -> str:
        """The one summary line: what was imported, what happened to the files, what was kept and skipped."""
        points = (
            f"; points of {_count(len(self.people_refreshed), 'member')} refreshed" if self.people_refreshed else ""
        )
        repeated = f", {_count(self.repeated, 'repeated row')} dropped" if self.repeated else ""
        return (
            f"Imported {_count(self.questions, 'question')}, {_count(self.answers, 'answer')}, "
            f"{_count(self.people, 'person', 'people')} from {self.source}: "
            f"{_count(len(self.written), 'file')} written ({len(self.refreshed):,} refreshed), "
            f"{len(self.unchanged):,} unchanged; {len(self.kept):,} kept (edited here); "
            f"{len(self.skipped):,} skipped{repeated}; {_count(len(self.people_added), 'person', 'people')} and "
            f"{_count(len(self.categories_added), 'category', 'categories')} added{points}."
        )


def _count(number: int, one: str, many: str = "") -> str:
    """``1 question``, ``1,944 answers``."""
    return f"{number:,} {one if number == 1 else many or one + 's'}"


@dataclass
class Existing:
    """What the content folder already holds that the import must respect."""

    content: Path
    people: dict[str, Person]
    categories: dict[str, Any]

    @classmethod
    def read(cls, content: Path) -> Existing:
        """Read people.yml (by the content layer's reader) and categories.yml; missing files are empty."""
        people, problems = read_people(content)
        errors = [problem for problem in problems if problem.is_error]
        if errors:
            raise ImporterError(f"{errors[0]}; fix it first (invoke check)")
        return cls(content, people, _read_yaml(content / "categories.yml"))


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=Loader)  # read as the site reads it
    except yaml.YAMLError as err:
        raise ImporterError(f"{path}: not valid YAML, fix it first (invoke check): {err}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImporterError(f"{path}: must be a YAML mapping, fix it first (invoke check)")
    return data


# -- writing -------------------------------------------------------------------


def write_batch(batch: Batch, existing: Existing, *, force: bool = False) -> Report:
    """Write ``batch`` into ``existing.content``; return what was done."""
    content = existing.content
    state = State.read(content)
    planned = plan(batch, content)
    report = Report(batch.source, skipped=[*batch.skipped, *planned.problems], notes=list(batch.notes))
    report.repeated = batch.repeated
    report.questions = sum(1 for post in planned.posts if isinstance(post, ImportedQuestion))
    report.answers = len(planned.posts) - report.questions
    used = {h for post in planned.posts for h in (post.author, post.edited_by, post.reviewed_by) if h} - {ANONYMOUS}
    report.people = len(used)
    people = batch.people.new_entries(used)
    categories = _new_categories(
        batch, existing, {p.category for p in planned.posts if isinstance(p, ImportedQuestion)}
    )
    merged = {
        name: _merged_yaml(content / name, entries)
        for name, entries in (("people.yml", people), ("categories.yml", categories))
    }
    with progress.phase("writing", total=len(planned.files), unit="files") as writing:
        for path, text in sorted(planned.files.items()):
            _write(path, text, content, force, report, state)
            writing.advance()
    (content / "questions").mkdir(parents=True, exist_ok=True)
    merged["people.yml"] = _refreshed_points(batch, existing, state, used, merged["people.yml"], report)
    for name, text in merged.items():
        if text is not None:
            (content / name).write_text(text, encoding="utf-8")
    state.people.update({handle: entry for handle, entry in people.items()})
    report.people_added, report.categories_added = list(people), list(categories)
    state.save()
    return report


def _write(path: Path, text: str, content: Path, force: bool, report: Report, state: State) -> None:
    rel = path.relative_to(content.parent).as_posix()
    key = path.relative_to(content).as_posix()
    data = text.encode("utf-8")
    if path.is_file():
        old = path.read_bytes()
        if old == data:
            report.unchanged.append(rel)
            state.record(key, data)
            return
        if state.untouched(key, old):
            report.refreshed.append(rel)
        elif not force:
            why = "edited here since the last import" if key in state.files else "not written by an import (edited?)"
            report.kept.append(f"{rel}: {why}; use --force to overwrite it")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    state.record(key, data)
    report.written.append(rel)
    logger.debug("wrote %s", rel)


def _refreshed_points(
    batch: Batch, existing: Existing, state: State, used: set[str], text: str | None, report: Report
) -> str | None:
    """people.yml with the newer imported points of members an import added and nobody edited since."""
    path = existing.content / "people.yml"
    for handle in sorted(used & set(existing.people) & set(state.people)):
        key = batch.people.by_handle.get(handle)
        person = batch.people.by_key[key] if key is not None else None
        recorded, member = state.people[handle], existing.people[handle]
        if person is None or person.points is None or person.points == member.imported_points:
            continue
        if member.imported_points != recorded.get("points"):
            report.notes.append(f"people.yml: {handle}: points edited here: kept (the source says {person.points})")
            continue
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
        changed = refresh_points(text, handle, person.points)
        if changed is None:
            report.notes.append(f"people.yml: {handle}: entry not in block style: points not refreshed")
            continue
        text = changed
        state.people[handle] = {**recorded, "points": person.points}
        report.people_refreshed.append(handle)
    return text


def _new_categories(batch: Batch, existing: Existing, used: set[str]) -> dict[str, dict[str, Any]]:
    orders = [v.get("order") for v in existing.categories.values() if isinstance(v, dict)]
    start = max([o for o in orders if isinstance(o, int) and not isinstance(o, bool)], default=0) + 1
    names = sorted(used - set(existing.categories), key=lambda name: (batch.category_order.get(name, (1 << 30,)), name))
    slugs = {category_slug(str(name)): str(name) for name in existing.categories}
    for name in names:
        slug = category_slug(name)
        if category_clash(slug, slugs):
            clash = f" (its address would clash with {slugs[slug]!r})" if slug else ""
            raise ImporterError(
                f"cannot create category {name!r}{clash}: use another name or map it to an existing one"
            )
        slugs[slug] = name
    return {
        name: {
            "description": batch.categories.get(name) or f"Questions imported from {batch.source}.",
            "order": n,
            **batch.category_fields.get(name, {}),
        }
        for n, name in enumerate(names, start)
    }


def _merged_yaml(path: Path, entries: dict[str, dict[str, Any]]) -> str | None:
    """The file with ``entries`` appended (existing text untouched); None when nothing changes."""
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    if not entries:
        return None if path.exists() else "{}\n"
    if old.strip() in ("{}", ""):
        old = ""
    elif not old.endswith("\n"):
        old += "\n"
    lines = []
    for key, values in entries.items():
        lines.append(f"{scalar(key)}:")
        lines += [f"  {name}: {scalar(value)}" for name, value in values.items()]
    text = old + "\n".join(lines) + "\n"
    try:
        merged = yaml.load(text, Loader=Loader)  # as the site reads it: '2021-02-30' stays text
    except yaml.YAMLError:
        merged = None
    if not isinstance(merged, dict) or not all(key in merged for key in entries):
        raise ImporterError(f"{path}: cannot add entries to it safely; write it in block style (one key per line)")
    return text
