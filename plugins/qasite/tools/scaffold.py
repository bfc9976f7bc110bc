"""Create new question and answer files with valid front matter (for `invoke new-question/new-answer`).

Never overwrites: an existing question is an error; a second answer by the
same person on the same day gets a ``-2`` suffix.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..config.problems import BuildError
from ..content.frontmatter import load_yaml
from ..content.frontmatter_writer import render_file
from ..content.model import ANONYMOUS
from ..content.people import read_people
from ..content.schema import ANSWER, QUESTION
from ..content.slugs import title_slug
from ..content.values import FieldError, to_tags, to_title


def _yaml_keys(path: Path) -> list[str]:
    located, _ = load_yaml(path.read_text(encoding="utf-8"), path.name) if path.is_file() else (None, [])
    return list(located.data) if located else []


def _handles(content: Path) -> list[str]:
    people, _ = read_people(content)
    return [handle for handle in people if handle != ANONYMOUS]


def _shown(path: Path, content: Path) -> str:
    return path.relative_to(content.parent).as_posix()


def _check_choice(value: str, choices: list[str], what: str, where: str) -> None:
    if value not in choices:
        raise BuildError(f"{what} '{value}' is not in {where} (use one of: {', '.join(choices) or 'none defined'})")


def new_question(
    content: Path, *, title: str, category: str, tags: str, author: str = "anonymous", today: dt.date | None = None
) -> Path:
    """Write content/questions/<slug>/index.md; raise BuildError if it exists or an input is invalid."""
    _check_choice(category, _yaml_keys(content / "categories.yml"), "category", "content/categories.yml")
    if author != "anonymous":
        _check_choice(author, _handles(content), "author", "content/people.yml")
    try:
        to_title(title)
    except FieldError as err:
        raise BuildError(f"title: {err.message} ({err.fix})") from err
    try:
        tag_list = to_tags(tags)
    except FieldError as err:
        raise BuildError(f"tags: {err.message} ({err.fix})") from err
    path = content / "questions" / title_slug(title) / "index.md"
    if path.exists():
        raise BuildError(f"{_shown(path, content)} already exists: choose another title, or edit that question")
    fields = {
        "title": title,
        "date": today or dt.date.today(),
        "category": category,
        "tags": tag_list,
        "votes": 0,
        "author": author,
    }
    path.parent.mkdir(parents=True)
    path.write_text(
        render_file(fields, QUESTION, "Write the question here: what happened, and what you would like to know.")
    )
    return path


def new_answer(content: Path, *, question: str, author: str = "anonymous", today: dt.date | None = None) -> Path:
    """Write content/questions/<question>/answers/<date>-<author>.md (with -2, -3... if taken)."""
    folder = content / "questions" / question
    if not (folder / "index.md").is_file():
        shown = _shown(folder / "index.md", content)
        raise BuildError(f"no question '{question}': {shown} does not exist (give the question's folder name)")
    if author != "anonymous":
        _check_choice(author, _handles(content), "author", "content/people.yml")
    date = (today or dt.date.today()).isoformat()
    stem, number = f"{date}-{author}", 1
    path = folder / "answers" / f"{stem}.md"
    while path.exists():
        number += 1
        path = folder / "answers" / f"{stem}-{number}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = {"author": author, "date": today or dt.date.today(), "votes": 0}
    path.write_text(render_file(fields, ANSWER, "Write the answer here."))
    return path
