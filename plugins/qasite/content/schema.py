"""Front matter schema: the fields editors may write, their types and help.

One declarative table per kind of file. ``check()`` turns raw YAML values
into typed values and reports every problem with the fix. The same tables
generate the front-matter reference in the docs, so they cannot drift.
Each field's converter is in ``values``; the rule for names is in ``slugs``; the checker
that applies a table is in ``fields``.
"""

from __future__ import annotations

from .fields import Field, check
from .slugs import SLUG_RE, check_name
from .values import (
    FieldError,
    check_characters,
    to_bool,
    to_count,
    to_date,
    to_datetime,
    to_days,
    to_entries,
    to_handle,
    to_how,
    to_https,
    to_int,
    to_mapping,
    to_note,
    to_phone,
    to_status,
    to_tag_list,
    to_tags,
    to_text,
    to_text_list,
    to_title,
    to_url,
)

# Field, check, SLUG_RE, check_name, check_characters and FieldError are re-exported: readers use
# ``schema.<name>`` (the checker lives in ``fields``, the rules in ``slugs`` and ``values``).
__all__ = [
    "ANSWER",
    "CATEGORY",
    "COUNTRY",
    "HELPLINE",
    "PAGE",
    "PERSON",
    "PRIVACY_ALLOW",
    "QUESTION",
    "SAFE_MESSAGING",
    "SLUG_RE",
    "TAG",
    "VERIFIED",
    "Field",
    "FieldError",
    "check",
    "check_characters",
    "check_name",
]


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


def reviewed(example: str) -> tuple[Field, Field]:
    """The fields of a question or answer a verified professional reviewed: who, and when."""
    return (
        Field(
            "reviewed_by",
            to_handle,
            help="Handle of the verified professional who reviewed it (see people.yml 'verified').",
            example="maya-okafor",
        ),
        Field("last_reviewed", to_date, help="When they last reviewed it (with reviewed_by).", example=example),
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
    Field(
        "sensitive",
        to_bool,
        False,
        False,
        "true to show crisis helplines above the title (also set by a sensitive category).",
        "true",
    ),
    *imported("https://conlang.meta.stackexchange.com/q/1"),
    *reviewed("2026-03-02"),
)

ANSWER = (
    Field("author", to_handle, True, help="Handle from content/people.yml, or anonymous.", example="sam-rivera"),
    Field("date", to_datetime, True, help="When it was answered.", example="2023-07-03"),
    Field("votes", to_int, False, 0, "Vote score from the forum; may be negative.", "9"),
    Field("accepted", to_bool, False, False, "true on the asker's accepted answer (one per question).", "true"),
    Field("edited", to_datetime, help="When it was last edited.", example="2023-07-04"),
    Field("edited_by", to_handle, help="Who edited it (a handle).", example="sam-rivera"),
    *imported("https://conlang.meta.stackexchange.com/a/2"),
    *reviewed("2026-03-02"),
)

PERSON = (
    Field("name", to_text, True, help="Name shown on the site.", example="Sam Rivera"),
    Field("credentials", to_text, help="Professional credentials, shown beside the name.", example='"LCSW"'),
    Field("bio", to_text, help="One or two sentences about them.", example='"Counsellor in Leeds."'),
    Field("url", to_url, help="Their own website.", example="https://example.org/sam"),
    Field("points", to_count, help="Points imported from the forum; computed when absent.", example="7200"),
    Field(
        "verified",
        to_mapping,
        help="An editor checked their licence: the fields below. Shows the Verified professional badge.",
        example="{date: 2026-03-02, by: alex-chen}",
    ),
)

# The fields of a person's 'verified:' mapping (indented under it).
VERIFIED = (
    Field("date", to_date, True, help="When an editor checked the licence and identity.", example="2026-03-02"),
    Field("by", to_handle, True, help="Handle of the editor who checked (in people.yml).", example="alex-chen"),
    Field(
        "until",
        to_date,
        help="When the verification runs out (default: date + QA_VERIFICATION_VALID_DAYS).",
        example="2027-01-31",
    ),
)


def content_note(kind: str) -> Field:
    """The ``content_note`` of a category or tag: its questions show it and keep their text behind it."""
    return Field(
        "content_note",
        to_note,
        help=f"Short content note (80 characters at most); the {kind}'s questions show it and keep "
        "their text and answers folded until the reader opens them.",
        example='"mentions self-harm"',
    )


CATEGORY = (
    Field("description", to_text, True, help="What belongs in the category.", example='"Questions about..."'),
    Field("order", to_int, True, help="Position in category lists (1 first).", example="1"),
    content_note("category"),
    Field(
        "review_interval_days",
        to_days,
        help="Days between reviews of its reviewed questions (default: QA_REVIEW_INTERVAL_DAYS).",
        example="180",
    ),
    Field(
        "sensitive",
        to_bool,
        False,
        False,
        "true to show crisis helplines above the title of its questions.",
        "true",
    ),
)


TAG = (
    Field(
        "synonyms",
        to_tag_list,
        help="Other spellings; rewritten to this tag, their URLs redirect.",
        example="[panic-attack]",
    ),
    Field("description", to_text, help="Shown on the tag's page.", example='"Sudden waves of fear."'),
    content_note("tag"),
)

COUNTRY = (
    Field("name", to_text, True, help="The country's name, shown on the help page.", example='"United Kingdom"'),
    Field("services", to_entries, True, help="Its helplines, each under a short key (next table).", example="..."),
)

HELPLINE = (
    Field("name", to_text, True, help="The service's name.", example="Samaritans"),
    Field("how", to_how, True, help="phone, text, chat or web.", example="phone"),
    Field("number", to_phone, help="Number to call or text, as written (phone and text).", example='"116 123"'),
    Field("keyword", to_text, help="Word to text, if the service asks for one.", example="SHOUT"),
    Field("address", to_https, help="https:// address (chat and web).", example="https://www.samaritans.org"),
    Field("hours", to_text, True, help="When it answers; write 24/7 for round the clock.", example="24/7"),
    Field("languages", to_text_list, True, help="Languages it answers in.", example="[English, Welsh]"),
    Field("verified_on", to_date, True, help="When someone last checked the number and hours.", example="2026-11-01"),
    Field("audience", to_text, help="Who it is for, if not everyone.", example='"Under 25s"'),
    Field("description", to_text, help="One sentence about it.", example='"Listening, not advice."'),
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
