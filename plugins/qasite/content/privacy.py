"""Privacy lint: personal data written into question and answer text, as warnings for editors.

Finds e-mail addresses, phone numbers (``phonenumbers``, numbers without a ``+`` country code read as
QA_PHONE_REGION's), links to personal social-media profiles and street-address-like text (a house number,
a capitalised name and a street word; a UK postcode; a US state and ZIP code after a comma). Each finding
is shown partly masked, so the report does not repeat the data. Not flagged: the reserved example domains
(example.com, .test...), numbers listed in helplines.yml (``exempt_numbers``), text listed with a reason in
content/privacy-allow.yml (``allowlist``), and lines ending with ``<!-- privacy: ok -->``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from ..config.problems import Problem, warning
from . import schema
from .read import Reader
from .textlint import Text

FIELD = "privacy"
MARKER = "<!-- privacy: ok -->"
ALLOW_FILE = "privacy-allow.yml"
FIX = f"remove it, or list the exact text with a reason in content/{ALLOW_FILE}, or end the line with {{marker}}"
LENIENCY = phonenumbers.Leniency.VALID  # a possible number is not enough: years, dates and counts stay quiet

EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?![\w-])")
RESERVED_DOMAINS = re.compile(r"(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$", re.I)
URL = re.compile(r"https?://\S+", re.I)
DIGIT = re.compile(r"\d")
# Where a phone number can be: 7 or more digits with at most 3 separators between two (no valid number has
# fewer digits). Only these runs, with a little context, go to the (slow) matcher: not every year and count.
DIGIT_RUN = re.compile(r"\d(?:[ \t().\-/]{0,3}\d){6,}")
PLATFORM_HOST = re.compile(r"\.(?:com|net|app)/", re.I)  # quick test before the profile pattern

SOCIAL = re.compile(
    r"(?<![\w.@-])(?:https?://)?(?:(?:www|m|mobile)\.)?"
    r"(?P<host>facebook\.com|fb\.com|instagram\.com|x\.com|twitter\.com|tiktok\.com|linkedin\.com|reddit\.com"
    r"|threads\.net|youtube\.com|bsky\.app)/(?P<path>[^\s)\]>\"'<]*)",
    re.I,
)
# First path parts of a site's own pages (help, policies, search...): not somebody's profile.
NOT_PEOPLE = {
    "facebook.com": "help policies privacy legal terms groups events pages watch marketplace gaming business "
    "login sharer share ads settings hashtag about careers",
    "instagram.com": "about accounts explore legal p reel reels direct developer help privacy terms web tv",
    "x.com": "home search explore i intent share settings hashtag tos privacy login signup notifications messages "
    "about help compose jobs rules",
}
NOT_PEOPLE = {host: set(words.split()) for host, words in NOT_PEOPLE.items()}
NOT_PEOPLE["fb.com"] = NOT_PEOPLE["facebook.com"]
NOT_PEOPLE["twitter.com"] = NOT_PEOPLE["x.com"]
# Sites whose profiles sit under a prefix: linkedin.com/in/<name>, reddit.com/u/<name>, bsky.app/profile/<name>.
PREFIXED = {
    "linkedin.com": ("in", "pub"),
    "reddit.com": ("u", "user"),
    "bsky.app": ("profile",),
    "youtube.com": ("user",),
}
AT_HANDLES = {"tiktok.com", "threads.net", "youtube.com"}  # profiles written /@name
HANDLE = re.compile(r"[\w.-]+")

STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Court|Ct|Place|Pl|Terrace|Boulevard|Blvd"
    "|Gardens|Grove|Square|Sq|Way|Mews|Parade|Highway|Hwy|Parkway|Pkwy"
)
# A house number, one to three capitalised words, a street word ("12 Cedar Lane", "4B Old Mill Rd").
# "St" and "Dr" followed by a capitalised word are read as Saint or Doctor ("2 nurses and Dr Patel"): not flagged.
STREET = re.compile(
    rf"(?<![\w/.,:-])\d{{1,5}}[A-Za-z]?[ \t]+(?:[A-Z][\w'’-]*[ \t]+){{1,3}}(?:{STREET_WORDS})\b(?!\.?[ \t]+[A-Z][a-z])"
)
# A whole UK postcode, outward and inward parts with the space between ("LS1 4AP"): capitals only.
POSTCODE = re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}(?![\w-])")
STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
ZIP = re.compile(rf",[ \t]*(?:{'|'.join(STATES)})[ \t]+\d{{5}}(?:-\d{{4}})?(?![\w-])")


def allowlist(reader: Reader) -> set[str]:
    """The exact texts content/privacy-allow.yml allows (optional file); an entry without a reason is an error."""
    path = reader.content / ALLOW_FILE
    if not reader.tree.exists(path) and path not in reader.tree.refused:
        return set()
    located = reader.yaml_file(ALLOW_FILE)
    allowed = set()
    for text, entry in (located.data if located else {}).items():
        if not isinstance(entry, dict):
            fix = "add 'reason: <why it may stay>' under it, indented"
            reader.report(path, located.line(text), text, "must be a mapping with a reason", fix)
            continue
        _, problems = schema.check(located, schema.PRIVACY_ALLOW, reader.rel(path), (text,))
        reader.problems += problems
        if not problems:
            allowed.add(text)
    return allowed


def warnings(
    texts: Iterable[Text],
    allowed: set[str],
    *,
    region: str,
    exempt_numbers: set[str],
    exempt_regions: Iterable[str] = (),
) -> list[Problem]:
    """A warning for each piece of personal data in ``texts`` not exempt.

    ``exempt_numbers`` (the helplines' numbers) are never flagged, however a post writes them: a number is
    exempt when its digits or its +<country><number> form are an exempt number's, that number read as one
    of ``region`` or ``exempt_regions`` (the helplines' countries, for numbers written without a + code).
    """
    regions = dict.fromkeys([region, *exempt_regions])
    exempt = {key for number in exempt_numbers for each in regions for key in _number_keys(number, None, each)}
    problems = []
    for text in texts:
        findings = _findings(text.text, region, exempt)
        if not findings:
            continue
        skip, lines = text.exempt_lines(FIELD), text.text.split("\n")
        for offset, found, what in findings:
            line = text.line_of(offset)
            source_line = lines[line - text.line]
            if line in skip or any(found in entry and entry in source_line for entry in allowed):
                continue
            problems.append(warning(text.path, line, FIELD, what, FIX.format(marker=MARKER)))
    return problems


def _findings(text: str, region: str, exempt: set[str]) -> list[tuple[int, str, str]]:
    """(offset, text as written, message) for each finding, in order."""
    found: list[tuple[int, str, str]] = []
    for m in EMAIL.finditer(text) if "@" in text else ():
        if not RESERVED_DOMAINS.search(m.group(2)):
            found.append((m.start(), m.group(), f'e-mail address "{m.group(1)[0]}***@{m.group(2)}"'))
    for m in SOCIAL.finditer(text) if PLATFORM_HOST.search(text) else ():
        profile = _profile(m.group("host").lower(), m.group("path"))
        if profile:
            found.append((m.start(), m.group(), f'social-media profile "{profile}"'))
    if not _has_digit(text):  # every other finding has digits
        return found
    runs = [m.span() for m in DIGIT_RUN.finditer(text)]
    if runs:
        taken = [(start, start + len(written)) for start, written, _ in found]
        taken += [m.span() for m in URL.finditer(text)] if "://" in text else []
        found += _phones(text, runs, region, exempt, taken)
    for pattern, kind in ((STREET, "street address"), (POSTCODE, "postcode"), (ZIP, "ZIP code")):
        found += [(m.start(), m.group(), f'{kind} "{_mask(m.group().lstrip(", "))}"') for m in pattern.finditer(text)]
    return sorted(found)


def _has_digit(text: str) -> bool:
    """``DIGIT.search(text)``, quicker in ASCII text: there only 0 to 9 are digits, each found by a substring search
    (a body without any took ~9 µs through the expression, ~1.5 µs so)."""
    if text.isascii():
        return any(digit in text for digit in ASCII_DIGITS)
    return DIGIT.search(text) is not None


ASCII_DIGITS = "0123456789"


def _phones(
    text: str, runs: list[tuple[int, int]], region: str, exempt: set[str], taken: list[tuple[int, int]]
) -> list[tuple[int, str, str]]:
    """The phone numbers in the digit ``runs`` of ``text``, read with the characters around them (a leading
    + or bracket, a letter that makes it part of a word), except those in ``taken`` spans or ``exempt``."""
    found = {}
    for run_start, run_end in runs:
        start = max(0, run_start - 2)
        for m in phonenumbers.PhoneNumberMatcher(text[start : run_end + 1], region, leniency=LENIENCY):
            begin, end = start + m.start, start + m.end
            if any(s < end and begin < e for s, e in taken):
                continue  # part of an e-mail address, a profile link or a web address
            if begin not in found and not exempt & _number_keys(m.raw_string, m.number, region):
                found[begin] = (begin, m.raw_string, f'phone number "{_mask_digits(m.raw_string)}"')
    return list(found.values())


def _number_keys(written: str, number: phonenumbers.PhoneNumber | None, region: str) -> set[str]:
    """The ways to compare a number: its digits as written, and country code + national number when parsed."""
    keys = {"".join(ch for ch in written if ch.isdigit())}
    if number is None:
        try:
            number = phonenumbers.parse(written, region)
        except phonenumbers.NumberParseException:
            return keys
    return keys | {f"+{number.country_code}{number.national_number}"}


def _profile(host: str, path: str) -> str | None:
    """``host/first-letter***`` when ``path`` names a person's profile on ``host``, else None."""
    parts = [p for p in path.split("?")[0].split("#")[0].split("/") if p]
    if not parts:
        return None
    first = parts[0]
    if host in PREFIXED and first.lower() in PREFIXED[host]:
        name, shown = (parts[1] if len(parts) > 1 else ""), f"{host}/{first}/"
    elif host in AT_HANDLES:
        name, shown = (first[1:] if first.startswith("@") else ""), f"{host}/@"
    elif host in NOT_PEOPLE and first == "profile.php":  # facebook.com/profile.php?id=<number>
        user_id = re.search(r"[?&]id=(\d+)", path)
        name, shown = (user_id.group(1) if user_id else ""), f"{host}/profile.php?id="
    elif host in NOT_PEOPLE:
        name, shown = ("" if first.lower() in NOT_PEOPLE[host] else first), f"{host}/"
    else:
        return None
    return f"{shown}{name[0]}***" if name and HANDLE.match(name) else None


def _mask(text: str) -> str:
    """Each word's first character kept, the rest starred; digits starred; street words kept."""
    words = []
    for word in text.split():
        if re.fullmatch(rf"(?:{STREET_WORDS})\.?", word) or word in STATES:
            words.append(word)
        else:
            words.append(_mask_digits(word, keep=0) if word[0].isdigit() else word[0] + "*" * (len(word) - 1))
    return " ".join(words)


def _mask_digits(text: str, keep: int = 2) -> str:
    """``text`` with every digit but the last ``keep`` starred."""
    total = sum(ch.isdigit() for ch in text)
    out, seen = [], 0
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else "*")
        else:
            out.append("*" if ch.isalpha() else ch)
    return "".join(out)
