"""Where each imported post goes, and the text written there.

Folder names come from the title (``slugs.title_slug``, as for `invoke new-question`), file names of
answers from date and author; a clash gets the source id as suffix. An imported question keeps its
folder on later runs: it is found again by its ``source`` address, so a title change at the source
renames nothing. Texts are written by the shared front-matter writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.frontmatter import split
from ..content.frontmatter_writer import render_file
from ..content.schema import ANSWER, QUESTION
from ..content.slugs import check_name, slugify, title_slug
from .common import Batch, ImportedAnswer, ImportedQuestion


def question_text(question: ImportedQuestion) -> str:
    """index.md for ``question``, fields in the documented order."""
    fields = {
        "title": question.title,
        "date": question.date,
        "category": question.category,
        "tags": question.tags,
        "votes": question.votes,
        "author": question.author,
        "edited": question.edited,
        "edited_by": question.edited_by,
        "views": question.views,
        "sensitive": True if question.sensitive else None,
        "source": question.source,
        "license": question.license,
        "reviewed_by": question.reviewed_by,
        "last_reviewed": question.last_reviewed,
    }
    return render_file(fields, QUESTION, question.body)


def answer_text(answer: ImportedAnswer) -> str:
    """answers/<id>.md for ``answer``, fields in the documented order."""
    fields = {
        "author": answer.author,
        "date": answer.date,
        "votes": answer.votes,
        "accepted": True if answer.accepted else None,
        "edited": answer.edited,
        "edited_by": answer.edited_by,
        "source": answer.source,
        "license": answer.license,
        "reviewed_by": answer.reviewed_by,
        "last_reviewed": answer.last_reviewed,
    }
    return render_file(fields, ANSWER, answer.body)


def _source_of(path: Path) -> str | None:
    """The ``source:`` of an existing content file (None when absent or unreadable)."""
    try:
        source, _ = split(path.read_text(encoding="utf-8-sig"), path.name)
    except (OSError, UnicodeDecodeError):
        return None
    value = source.meta.data.get("source") if source else None
    return str(value) if value else None


def _sources(paths: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in paths:
        source = _source_of(path)
        if source and source not in found:
            found[source] = path
    return found


def _pick(candidates: list[str], source: str | None, taken: set[str], existing: dict[str, Path]) -> str | None:
    """The first candidate not planned for another post and not holding another post's file."""
    for name in candidates:
        if name in taken or check_name(name):  # a name kept from the source (jsonl) must be a valid one
            continue
        path = existing.get(name)
        if path is None or _source_of(path) == source:
            return name
    return None


@dataclass
class Plan:
    """Every file to write (path -> text), the posts they hold, and posts left without a name."""

    files: dict[Path, str] = field(default_factory=dict)
    posts: list[ImportedQuestion | ImportedAnswer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def plan(batch: Batch, content: Path) -> Plan:
    """Decide the file of every question and answer in ``batch``."""
    questions_dir = content / "questions"
    folders = sorted(p for p in questions_dir.iterdir() if p.is_dir()) if questions_dir.is_dir() else []
    by_source = _sources([p / "index.md" for p in folders if (p / "index.md").is_file()])
    on_disk = {p.name: p / "index.md" for p in folders}
    result = Plan()
    taken: set[str] = set()
    for question in batch.questions:
        slug = _question_slug(question, by_source, taken, on_disk)
        if slug is None:
            result.problems.append(f"{question.where}: no free folder name for {question.title!r} (skipped)")
            continue
        taken.add(slug)
        folder = questions_dir / slug
        result.files[folder / "index.md"] = question_text(question)
        result.posts.append(question)
        _plan_answers(question, folder / "answers", result)
    return result


def _question_slug(
    question: ImportedQuestion, by_source: dict[str, Path], taken: set[str], on_disk: dict[str, Path]
) -> str | None:
    known = by_source.get(question.source) if question.source else None
    if known is not None and known.parent.name not in taken:
        return known.parent.name
    base = title_slug(question.title)
    suffix = slugify(question.key, 20) or "1"
    kept = [question.slug] if question.slug else []
    return _pick([*kept, base, f"{base}-{suffix}", *_numbered(base)], question.source, taken, on_disk)


def _plan_answers(question: ImportedQuestion, folder: Path, result: Plan) -> None:
    existing = sorted(folder.glob("*.md")) if folder.is_dir() else []
    by_source = _sources(existing)
    on_disk = {p.stem: p for p in existing}
    taken: set[str] = set()
    for answer in question.answers:
        known = by_source.get(answer.source) if answer.source else None
        if known is not None and known.stem not in taken:
            name: str | None = known.stem
        else:
            base = f"{answer.date.date().isoformat()}-{answer.author}"
            kept = [answer.name] if answer.name else []
            suffix = slugify(answer.key, 20) or "1"
            name = _pick([*kept, base, f"{base}-{suffix}", *_numbered(base)], answer.source, taken, on_disk)
        if name is None:
            result.problems.append(f"{answer.where}: no free file name in {folder} (skipped)")
            continue
        taken.add(name)
        result.files[folder / f"{name}.md"] = answer_text(answer)
        result.posts.append(answer)


def _numbered(base: str) -> list[str]:
    """More names when the title and the source id both clash (same title, ids alike when cut): never a lost post."""
    return [f"{base}-{n}" for n in range(2, 1000)]
