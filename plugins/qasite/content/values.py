"""The value of one front-matter field: convert a raw YAML value to its type, or say what is wrong and the fix.

Every converter takes what YAML gave and returns the typed value, or raises ``FieldError(problem, fix)``.
``schema`` names the converter of every field; editors' tools and importers use the same ones.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .frontmatter import CONTROL_CHARACTERS, character_label
from .slugs import check_name

MAX_TITLE_LENGTH = 150
MAX_TEXT_LENGTH = 1000
MAX_NOTE_LENGTH = 80
# Unicode bidi embeddings, overrides and isolates: invisible, they reorder the text shown after them
# (a name could display as something else). Refused in one-line fields; in Markdown bodies they are
# kept, and their effect ends with the paragraph (Unicode bidi rule X8).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
MAX_TAGS = 5


class FieldError(ValueError):
    """A value that does not fit its field; args are (problem, fix)."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message, fix)
        self.message = message
        self.fix = fix


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


def to_note(value: Any) -> str:
    """A content note ("mentions self-harm"): text of at most MAX_NOTE_LENGTH characters."""
    return to_text(value, MAX_NOTE_LENGTH)


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


def to_date(value: Any) -> dt.date:
    """An ISO date (2026-03-02); a time of day is refused (verifications and reviews are by day)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldError(f"{value!r} is not a date", "write an ISO date like 2026-03-02")


def to_mapping(value: Any) -> dict[str, Any]:
    """A mapping of fields (its own fields are checked by their own table)."""
    if not isinstance(value, dict):
        raise FieldError("must be a mapping of fields", "write its fields on the next lines, indented")
    return value


def to_days(value: Any) -> int:
    """A number of days, 1 or more."""
    number = to_int(value)
    if number < 1:
        raise FieldError(f"{number} is not a number of days", "write 1 or more, like 365")
    return number


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


def to_tag_list(value: Any) -> list[str]:
    """A list of tags (any length), normalized."""
    if not isinstance(value, list):
        raise FieldError("must be a list of tags", "write synonyms: [panic-attack, panic]")
    return _normalize_tags(value)


# ISO 3166-1 alpha-2: every assigned country code (from the tz database's iso3166.tab).
COUNTRY_CODES = frozenset(
    (
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT "
        "BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH "
        "ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT "
        "HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS "
        "LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI "
        "NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG "
        "SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG "
        "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
    ).split()
)
HOW = ("phone", "text", "chat", "web")
PHONE_RE = re.compile(r"\+?[0-9][0-9 ().-]*")


def to_country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 country code, like GB."""
    text = str(value)
    if text == "False":  # YAML reads an unquoted NO (Norway) as false
        raise FieldError("NO must be quoted", 'write "NO": (YAML reads a bare NO as false)')
    if text not in COUNTRY_CODES:
        fix = "use the country's two capital letters from ISO 3166-1, like GB for the United Kingdom"
        raise FieldError(f"{text!r} is not an ISO 3166-1 alpha-2 country code", fix)
    return text


def to_how(value: Any) -> str:
    """How a helpline is reached: phone, text, chat or web."""
    if value not in HOW:
        raise FieldError(f"{value!r} is not a way to reach a service", "write phone, text, chat or web")
    return str(value)


def to_phone(value: Any) -> str:
    """A phone number as written ("116 123", "+1 800 273 8255"): digits, spaces, hyphens, dots, brackets."""
    text = to_text(value)
    if not PHONE_RE.fullmatch(text) or sum(ch.isdigit() for ch in text) < 3:
        fix = 'write digits, spaces and hyphens only, like "116 123" or "+44 116 123"; quote it'
        raise FieldError(f"{text!r} is not a phone number", fix)
    return text


def to_https(value: Any) -> str:
    """An https:// address (a reader in crisis is never sent over plain http)."""
    text = to_url(value)
    if not text.startswith("https://"):
        raise FieldError(f"{text!r} is not an https:// address", "link to the service's https:// address")
    return text


def to_text_list(value: Any) -> list[str]:
    """One or more lines of text, as a list ([English, Welsh]) or one text (English)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise FieldError("must be a list", "write it like [English, Welsh]")
    return [to_text(item) for item in items]


def to_entries(value: Any) -> dict[str, Any]:
    """A non-empty mapping of entries under short keys (each entry is checked by its own table)."""
    if not isinstance(value, dict) or not value:
        raise FieldError("must be a mapping of entries", "write each entry under a short key, indented")
    return value
