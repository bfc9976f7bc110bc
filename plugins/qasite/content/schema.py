"""Front matter schema: the fields editors may write, their types and help.

One declarative table per kind of file. ``check()`` turns raw YAML values
into typed values and reports every problem with the fix. The same tables
generate the front-matter reference in the docs, so they cannot drift.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any

from ..config.problems import Problem
from .frontmatter import CONTROL_CHARACTERS, Located, character_label

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)
MAX_NAME_LENGTH = 100
MAX_TITLE_LENGTH = 150
MAX_TEXT_LENGTH = 1000
# Unicode bidi embeddings, overrides and isolates: invisible, they reorder the text shown after them
# (a name could display as something else). Refused in one-line fields; in Markdown bodies they are
# kept, and their effect ends with the paragraph (Unicode bidi rule X8).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
MAX_TAGS = 5


@dataclass(frozen=True)
class BadName:
    """Why a name cannot be used (``kind``: chars, length, reserved or clash) and a valid name to use instead."""

    kind: str
    reason: str
    rename_to: str

    def fix(self, what: str, suffix: str = "") -> str:
        """How to fix it: 'rename <what> to ...' (merge first when it clashes with another name)."""
        rename = f"rename {what} to '{self.rename_to}{suffix}'"
        return f"merge the two, or {rename}" if self.kind == "clash" else rename


def check_name(name: str, taken: Container[str] = frozenset()) -> BadName | None:
    """The one rule for names that become file names and addresses; None when ``name`` may be used.

    Question folders, answer ids, page files, handles, tags and category slugs all follow it: lowercase
    letters and digits in words joined by single hyphens (so no '..', '/', '\\', absolute path or space), at
    most MAX_NAME_LENGTH characters, not a device name Windows reserves (con, nul, com1...). ``taken`` holds
    the valid names of the same kind, so 'Foo' is reported as clashing with an existing 'foo'.
    """
    if SLUG_RE.fullmatch(name) and len(name) <= MAX_NAME_LENGTH and not WINDOWS_RESERVED.fullmatch(name):
        return None
    suggestion = _shorten(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")) or "name"
    if suggestion in taken and suggestion != name:
        how = "differs only by case from" if name.lower() == suggestion else "clashes with"
        return BadName("clash", f"{how} '{suggestion}'", _free(suggestion, taken))
    if len(name) > MAX_NAME_LENGTH:
        return BadName("length", f"is {len(name)} characters long, more than {MAX_NAME_LENGTH}", suggestion)
    if WINDOWS_RESERVED.fullmatch(name):
        reason = "is a device name reserved by Windows (con, prn, aux, nul, com1-com9, lpt1-lpt9)"
        return BadName("reserved", reason, _free(suggestion, taken))
    reason = "has characters other than lowercase letters, digits and single hyphens"
    return BadName("chars", reason, _free(suggestion, taken))


def _shorten(name: str) -> str:
    """``name`` cut to MAX_NAME_LENGTH characters, at a hyphen when it has one."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    cut = name[: MAX_NAME_LENGTH + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_NAME_LENGTH]).strip("-")


def _free(name: str, taken: Container[str]) -> str:
    """``name``, or ``name-2``, ``name-3``... : the first that is valid and not taken."""
    number = 1
    candidate = name
    while candidate in taken or WINDOWS_RESERVED.fullmatch(candidate):
        number += 1
        candidate = f"{name}-{number}"
    return candidate


class FieldError(ValueError):
    """A value that does not fit its field; args are (problem, fix)."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message, fix)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Field:
    """One front-matter field: name, converter, whether required, and help."""

    name: str
    convert: Callable[[Any], Any]
    required: bool = False
    default: Any = None
    help: str = ""
    example: str = ""


def check_characters(text: str) -> str:
    """``text`` unchanged, or FieldError for an invisible control or bidi character."""
    found = CONTROL_CHARACTERS.search(text)
    if found:
        fix = "delete it; look for an escape such as \\x01 or \\0 in double quotes"
        raise FieldError(f"contains the invisible control character {character_label(found.group())}", fix)
    found = BIDI_CONTROLS.search(text)
    if found:
        raise FieldError(
            f"contains the invisible text-direction character {character_label(found.group())}",
            "delete it: it reorders the text shown after it",
        )
    return text


def to_text(value: Any, limit: int = MAX_TEXT_LENGTH) -> str:
    """A non-empty single-line string of at most ``limit`` characters, without invisible control characters."""
    if isinstance(value, (dict, list)) or value is None:
        raise FieldError("must be text", "write it on one line after the colon")
    text = str(value).strip()
    if not text or "\n" in text:
        raise FieldError("must be non-empty text on one line", "write it on one line after the colon")
    if len(text) > limit:
        raise FieldError(f"is {len(text)} characters long", f"shorten it to {limit} characters or fewer")
    return check_characters(text)


def to_title(value: Any) -> str:
    """A title of at most MAX_TITLE_LENGTH characters."""
    return to_text(value, MAX_TITLE_LENGTH)


def to_datetime(value: Any) -> dt.datetime:
    """An ISO date (2023-06-28) or datetime (2023-06-28T14:05:00)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldError(f"{value!r} is not a date", "write an ISO date like 2023-06-28 or 2023-06-28T14:05:00")


def to_int(value: Any) -> int:
    """A whole number, possibly negative."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{value!r} is not a whole number", "write a number like 12 or -3")
    return value


def to_count(value: Any) -> int:
    """A whole number of zero or more."""
    number = to_int(value)
    if number < 0:
        raise FieldError(f"{number} is negative", "write 0 or a positive number")
    return number


def to_bool(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise FieldError(f"{value!r} is not true or false", "write true or false")
    return value


def to_handle(value: Any) -> str:
    """A member handle from people.yml, or ``anonymous``."""
    text = to_text(value)
    if check_name(text):
        raise FieldError(
            f"{text!r} is not a handle", "use the member's handle from content/people.yml, like sam-rivera"
        )
    return text


def normalize_tag(tag: str) -> str:
    """Lowercase a tag and join its words with hyphens: 'Social Media' -> 'social-media'."""
    return re.sub(r"[\s_-]+", "-", tag.strip().lower()).strip("-")


def to_tags(value: Any) -> list[str]:
    """A list of 1 to 5 tags, normalized to lowercase-hyphenated."""
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not value:
        raise FieldError("must be a list of 1 to 5 tags", "write tags: [anxiety, sleep]")
    if len(value) > MAX_TAGS:
        raise FieldError(f"has {len(value)} tags", f"keep the {MAX_TAGS} that describe the question best")
    return _normalize_tags(value)


def _normalize_tags(value: list[Any]) -> list[str]:
    tags: list[str] = []
    for raw in value:
        if not isinstance(raw, (str, int)) or isinstance(raw, bool):
            raise FieldError(f"{raw!r} is not a tag", 'quote it, like tags: ["no"]')
        tag = normalize_tag(str(raw))
        bad = check_name(tag)
        if bad and bad.kind == "chars":
            fix = "use letters, digits and hyphens only, e.g. 'c-sharp' for 'c#'"
            raise FieldError(f"{raw!r} has characters a tag cannot have", fix)
        if bad:
            raise FieldError(f"{raw!r} {bad.reason}", bad.fix("the tag"))
        if tag in tags:
            raise FieldError(f"{raw!r} is listed twice (as {tag!r})", "list each tag once")
        tags.append(tag)
    return tags


def to_status(value: Any) -> str:
    """``published`` (the default) or ``draft`` (not built)."""
    if value not in ("published", "draft"):
        raise FieldError(f"{value!r} is not a status", "write published or draft")
    return value


def to_url(value: Any) -> str:
    """An http(s) URL."""
    text = to_text(value)
    if not re.match(r"https?://[^\s/]+", text):
        raise FieldError(f"{text!r} is not a web address", "write a full address starting with https://")
    return text


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
    Field(
        "source",
        to_url,
        help="Address of the original post, for imported content.",
        example="https://conlang.meta.stackexchange.com/q/1",
    ),
    Field(
        "license", to_text, help="License of imported content, shown with the attribution.", example='"CC BY-SA 4.0"'
    ),
)

ANSWER = (
    Field("author", to_handle, True, help="Handle from content/people.yml, or anonymous.", example="sam-rivera"),
    Field("date", to_datetime, True, help="When it was answered.", example="2023-07-03"),
    Field("votes", to_int, False, 0, "Vote score from the forum; may be negative.", "9"),
    Field("accepted", to_bool, False, False, "true on the asker's accepted answer (one per question).", "true"),
    Field("edited", to_datetime, help="When it was last edited.", example="2023-07-04"),
    Field("edited_by", to_handle, help="Who edited it (a handle).", example="sam-rivera"),
    Field(
        "source",
        to_url,
        help="Address of the original post, for imported content.",
        example="https://conlang.meta.stackexchange.com/a/2",
    ),
    Field(
        "license", to_text, help="License of imported content, shown with the attribution.", example='"CC BY-SA 4.0"'
    ),
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


def to_tag_list(value: Any) -> list[str]:
    """A list of tags (any length), normalized."""
    if not isinstance(value, list):
        raise FieldError("must be a list of tags", "write synonyms: [panic-attack, panic]")
    return _normalize_tags(value)


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
