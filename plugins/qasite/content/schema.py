"""Front matter schema: the fields editors may write, their types and help.

One declarative table per kind of file. ``check()`` turns raw YAML values
into typed values and reports every problem with the fix. The same tables
generate the front-matter reference in the docs, so they cannot drift.
Each field's converter is in ``values``; the rule for names is in ``slugs``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config.problems import Problem
from .frontmatter import Located
from .slugs import SLUG_RE, check_name
from .values import (
    FieldError,
    check_characters,
    to_bool,
    to_count,
    to_datetime,
    to_handle,
    to_int,
    to_status,
    to_tag_list,
    to_tags,
    to_text,
    to_title,
    to_url,
)

# SLUG_RE, check_name, check_characters and FieldError are re-exported: the loader and the URL map
# read them as ``schema.<name>`` (the rules live in ``slugs`` and ``values``).
__all__ = [
    "ANSWER",
    "CATEGORY",
    "PAGE",
    "PERSON",
    "PRIVACY_ALLOW",
    "QUESTION",
    "SAFE_MESSAGING",
    "SLUG_RE",
    "TAG",
    "Field",
    "FieldError",
    "check",
    "check_characters",
    "check_name",
]


@dataclass(frozen=True)
class Field:
    """One front-matter field: name, converter, whether required, and help."""

    name: str
    convert: Callable[[Any], Any]
    required: bool = False
    default: Any = None
    help: str = ""
    example: str = ""


def imported(source_example: str) -> tuple[Field, Field]:
    """The fields of imported questions and answers: where the post came from, and its licence."""
    return (
        Field("source", to_url, help="Address of the original post, for imported content.", example=source_example),
        Field(
            "license",
            to_text,
            help="License of imported content, shown with the attribution.",
            example='"CC BY-SA 4.0"',
        ),
    )


QUESTION = (
    Field(
        "title",
        to_title,
        True,
        help="The question, as a reader would ask it.",
        example='"Is it ethical for my therapist to follow me on social media?"',
    ),
    Field("date", to_datetime, True, help="When it was asked.", example="2023-06-28"),
    Field("category", to_text, True, help="A category from content/categories.yml.", example="Psychotherapists"),
    Field("tags", to_tags, True, help="1 to 5 tags; lowercased and hyphenated.", example="[therapy, boundaries]"),
    Field("votes", to_int, False, 0, "Vote score from the forum; may be negative.", "12"),
    Field("author", to_handle, True, help="Handle from content/people.yml, or anonymous.", example="jordan-lee"),
    Field("edited", to_datetime, help="When it was last edited.", example="2023-06-29"),
    Field("edited_by", to_handle, help="Who edited it (a handle).", example="jordan-lee"),
    Field("views", to_count, help="View count from the forum.", example="1840"),
    Field("status", to_status, False, "published", "published, or draft to leave it out of the site.", "draft"),
    *imported("https://conlang.meta.stackexchange.com/q/1"),
)

ANSWER = (
    Field("author", to_handle, True, help="Handle from content/people.yml, or anonymous.", example="sam-rivera"),
    Field("date", to_datetime, True, help="When it was answered.", example="2023-07-03"),
    Field("votes", to_int, False, 0, "Vote score from the forum; may be negative.", "9"),
    Field("accepted", to_bool, False, False, "true on the asker's accepted answer (one per question).", "true"),
    Field("edited", to_datetime, help="When it was last edited.", example="2023-07-04"),
    Field("edited_by", to_handle, help="Who edited it (a handle).", example="sam-rivera"),
    *imported("https://conlang.meta.stackexchange.com/a/2"),
)

PERSON = (
    Field("name", to_text, True, help="Name shown on the site.", example="Sam Rivera"),
    Field("credentials", to_text, help="Professional credentials, shown beside the name.", example='"LCSW"'),
    Field("bio", to_text, help="One or two sentences about them.", example='"Counsellor in Leeds."'),
    Field("url", to_url, help="Their own website.", example="https://example.org/sam"),
    Field("points", to_count, help="Points imported from the forum; computed when absent.", example="7200"),
)

CATEGORY = (
    Field("description", to_text, True, help="What belongs in the category.", example='"Questions about..."'),
    Field("order", to_int, True, help="Position in category lists (1 first).", example="1"),
)


TAG = (
    Field(
        "synonyms",
        to_tag_list,
        help="Other spellings; rewritten to this tag, their URLs redirect.",
        example="[panic-attack]",
    ),
    Field("description", to_text, help="Shown on the tag's page.", example='"Sudden waves of fear."'),
)

PAGE = (
    Field("title", to_title, True, help="Page title.", example="About"),
    Field("description", to_text, help="One sentence for search engines.", example='"What this site is."'),
)

# content/privacy-allow.yml: each key the exact text the privacy lint may leave in place.
PRIVACY_ALLOW = (
    Field(
        "reason",
        to_text,
        True,
        help="Why the text may stay: whose it is and that it is public.",
        example='"The charity\'s public contact address"',
    ),
)

# content/safe-messaging.yml: each key a phrase to avoid.
SAFE_MESSAGING = (
    Field(
        "instead",
        to_text,
        True,
        help="The wording to use instead, shown in the warning.",
        example='"died by suicide"',
    ),
    Field("why", to_text, help="A short reason, shown in the warning.", example='"it links suicide with crime"'),
)


def check(
    meta: Located, fields: tuple[Field, ...], rel: str, prefix: tuple[str, ...] = ()
) -> tuple[dict[str, Any], list[Problem]]:
    """Convert the mapping at ``prefix`` by ``fields``; report every problem."""
    data = meta.data
    for part in prefix:
        data = data[part]
    values: dict[str, Any] = {}
    problems = _unknown_keys(meta, data, fields, rel, prefix)
    for spec in fields:
        values[spec.name], problem = _check_field(meta, data, spec, rel, prefix)
        problems += problem
    return values, problems


def _check_field(
    meta: Located, data: dict[str, Any], spec: Field, rel: str, prefix: tuple[str, ...]
) -> tuple[Any, list[Problem]]:
    label = ".".join((*prefix, spec.name))
    if spec.name not in data or data[spec.name] is None:
        if not spec.required:
            return spec.default, []
        line = meta.line(*prefix)
        fix = f"add '{spec.name}: {spec.example}'" + (" under it" if prefix else " to the front matter")
        return None, [Problem(rel, line, label, "required field is missing", fix)]
    try:
        return spec.convert(data[spec.name]), []
    except FieldError as err:
        return None, [Problem(rel, meta.line(*prefix, spec.name), label, err.message, err.fix)]


def _unknown_keys(
    meta: Located, data: dict[str, Any], fields: tuple[Field, ...], rel: str, prefix: tuple[str, ...]
) -> list[Problem]:
    names = [spec.name for spec in fields]
    problems = []
    for key in data:
        if key in names:
            continue
        close = difflib.get_close_matches(key, names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        fix = f"{hint}allowed fields: {', '.join(names)}"
        line = meta.line(*prefix, key)
        problems.append(Problem(rel, line, ".".join((*prefix, key)), "unknown field", fix))
    return problems
