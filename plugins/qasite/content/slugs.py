"""Names that become file names and addresses: the rule they follow, and making one from any text.

One rule (``check_name``: ``SLUG_RE``, at most MAX_NAME_LENGTH characters, no Windows device name) and
one way to make a name (``slugify``: Pelican's own ``pelican.utils.slugify`` with our substitutions, cut
at a word). Scaffolding, importers and the loader all use these, so one title gives one folder everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass

from markupsafe import escape

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)
MAX_NAME_LENGTH = 100
MAX_SLUG_LENGTH = 80  # a question folder made from a title
FALLBACK_SLUG = "question"  # the folder of a title without letters or digits

# Pelican applies these (case-insensitively) after folding the text to ASCII with Unidecode, then lowercases:
# '&' reads 'and'; every run of other characters (apostrophes, quotes, spaces, punctuation) is one hyphen.
SLUG_REGEX_SUBSTITUTIONS = (
    ("&", " and "),
    (r"[^a-z0-9]+", "-"),
    (r"\A-+|-+\Z", ""),
)


def slugify(text: str, max_length: int | None = MAX_SLUG_LENGTH) -> str:
    """'Is it OK to cry at work?' -> 'is-it-ok-to-cry-at-work': ASCII letters, digits, single hyphens.

    'Bác sĩ & Đức' -> 'bac-si-and-duc'; CJK is transliterated, emoji dropped; cut at a word to ``max_length``
    (None: no cut). May be '' (no letters or digits) or a Windows device name: ``unique_slug`` avoids both.
    """
    # Invisible format characters (bidi overrides, zero-width spaces) separate words; Unidecode would drop them.
    text = "".join(" " if unicodedata.category(char) == "Cf" else char for char in text)
    from pelican.utils import slugify as pelican_slugify  # here: a check (no new names) never imports it

    # escape(): Pelican strips HTML tags from the text first; escaped, '<b>' in a title stays words.
    slug = pelican_slugify(escape(text), regex_subs=SLUG_REGEX_SUBSTITUTIONS)
    return slug if max_length is None else shorten(slug, max_length)


def shorten(slug: str, max_length: int) -> str:
    """``slug`` cut to ``max_length`` characters, at a hyphen when it has one there."""
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut[:max_length] else cut[:max_length]).strip("-")


def unique_slug(slug: str, taken: Container[str] = frozenset()) -> str:
    """``slug``, or ``slug-2``, ``slug-3``...: the first that is not taken and not a Windows device name."""
    number = 1
    candidate = slug
    while candidate in taken or WINDOWS_RESERVED.fullmatch(candidate):
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def title_slug(title: str) -> str:
    """The question folder a title gives, the same for `invoke new-question` and every importer."""
    return unique_slug(slugify(title) or FALLBACK_SLUG)


def category_slug(name: str) -> str:
    """'Medication & treatment' -> 'medication-and-treatment' (not cut: ``check_name`` reports a long one)."""
    return slugify(name, max_length=None)


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
    suggestion = slugify(name, MAX_NAME_LENGTH) or "name"
    if suggestion in taken and suggestion != name:
        how = "differs only by case from" if name.lower() == suggestion else "clashes with"
        return BadName("clash", f"{how} '{suggestion}'", unique_slug(suggestion, taken))
    if len(name) > MAX_NAME_LENGTH:
        return BadName("length", f"is {len(name)} characters long, more than {MAX_NAME_LENGTH}", suggestion)
    if WINDOWS_RESERVED.fullmatch(name):
        reason = "is a device name reserved by Windows (con, prn, aux, nul, com1-com9, lpt1-lpt9)"
        return BadName("reserved", reason, unique_slug(suggestion, taken))
    reason = "has characters other than lowercase letters, digits and single hyphens"
    return BadName("chars", reason, unique_slug(suggestion, taken))
