"""Hypothesis strategies for the property tests: front-matter values, Markdown mixed with HTML, file names.

Fields come from the schema tables (plugins/qasite/content/schema.py), so a new field is fuzzed without editing
this file.
A value is either a Python object written with yaml.safe_dump or ``Raw`` YAML text for syntax the dumper never
writes (tags, anchors, odd timestamps, escapes, block scalars, broken YAML).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import yaml
from hypothesis import strategies as st

from qasite.config.urls import Urls
from qasite.content import schema


@dataclass(frozen=True)
class Raw:
    """YAML text written as is after ``key: `` (continuation lines are indented by two spaces)."""

    text: str


# -- characters and text -------------------------------------------------------

# Characters that broke or could break something somewhere: controls, NUL, line and paragraph separators, bidi
# overrides, a BOM, a lone surrogate, HTML and YAML syntax, a front-matter delimiter.
SPICE = [
    "\x00", "\x01", "\x1b", "\x7f", "\r", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\u202e", "\u2066",
    "\ufeff", "\ud800", "\udfff", "\U0010ffff", "<", ">", "&", '"', "'", "`", ":", "#", "- ", "---", "{{", "}}",
    "{%", "\\", "&amp;", "<script>", "</script>", "<!--", "]]>",
]  # fmt: skip
CHARS = st.one_of(st.characters(exclude_categories=()), st.sampled_from(SPICE))
TEXT = st.lists(CHARS, max_size=24).map("".join)
WORD = st.text(st.characters(categories=("L", "Nd")), min_size=1, max_size=8)


# -- YAML values ---------------------------------------------------------------

TIMEZONES = st.none() | st.builds(
    dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23))
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-100, 100),
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.floats(),
    TEXT,
    st.dates(),
    st.datetimes(timezones=TIMEZONES),
    st.binary(max_size=8),
)
KEYS = st.one_of(TEXT, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates())
PY_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=6
)

SPECIAL_YAML = [
    "~", "null", "Null", "yes", "No", "on", "OFF", "y", ".nan", ".NaN", ".inf", "-.Inf", "0o17", "0x1F", "0b1010",
    "1_000", "190:20:30", "-0", "+12", "1e3", "6.8523015e+5", "''", '""', "[]", "{}", "[a, [b, {c: d}]]",
    "{a: 1, b: [2]}", "&anchor value", "*undefined", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]", "!!str 12", "!!int twelve", "!!float x", "!!bool maybe", "!!null x", "!!timestamp 2023-02-30",
    "!!map [1]", "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!custom x",
    "!<tag:example.com,2000:x> y", '"\\0"', '"\\x1b[31mred"', '"\\ud800"', '"\\udfff\\ud800x"', '"\\U0010FFFF"',
    '"\\u202eevil"', '"\\N\\_\\L\\P"', '"a\\nb"', '"a\\rb"', "'it''s'", "|\n  literal\n  block",
    ">-\n  folded\n  block", "|+\n  keep\n", "@reserved", "`tick`", "%directive", "? complex\n  : key", "x: y: z",
    "[unclosed", "{a: 1",
    '"unclosed', "#comment only", "2023-06-28 14:05:00 -5", "2023-06-28t14:05:00.123456789z",
    "2001-12-14 21:59:43.10 +99:00", "<script>alert(1)</script>", "https://[", "https://x]", "https://a b",
    "https://example.org/\"onmouseover=alert(1)", "javascript:alert(1)", "'  '", '"\\t"',
]  # fmt: skip

TIMESTAMPS = st.builds(
    lambda y, m, d, time, tz: f"{y:04d}-{m:02d}-{d:02d}{time}{tz}",
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.one_of(
        st.just(""),
        st.builds("T{:02d}:{:02d}:{:02d}".format, st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
    ),
    st.sampled_from(["", "Z", "+00:00", "-23:59", "+14:00", "+99:99", " -5"]),
)
HUGE_NUMBERS = st.one_of(
    st.integers(4250, 4350).map(lambda n: "9" * n),
    st.integers(3000, 4000).map(lambda n: "0x" + "f" * n),
    st.integers(300, 400).map(lambda n: "1" * n + ".5e" + "9" * 3),
)
RAW_VALUES = st.one_of(st.sampled_from(SPECIAL_YAML), TIMESTAMPS, HUGE_NUMBERS, TEXT).map(Raw)  # TEXT: unquoted


def field_values(spec: schema.Field) -> st.SearchStrategy[Any]:
    """Anything for one field: its own example (so other fields get rendered), text, any YAML value, raw syntax."""
    return st.one_of(st.just(Raw(spec.example)), TEXT, PY_VALUES, RAW_VALUES)


def yaml_entry(key: Any, value: Any, *, allow_unicode: bool, flow: bool) -> str:
    """``key: value`` as YAML lines (``Raw`` values verbatim)."""
    if isinstance(value, Raw):
        return f"{key}: {value.text}\n"
    return yaml.safe_dump(
        {key: value}, allow_unicode=allow_unicode, default_flow_style=flow, width=10**6, sort_keys=False
    )


def yaml_mapping(entries: dict[Any, Any], *, allow_unicode: bool, flow: bool) -> str:
    """Several entries, one after another."""
    return "".join(yaml_entry(k, v, allow_unicode=allow_unicode, flow=flow) for k, v in entries.items())


@st.composite
def front_matter(draw: st.DrawFn, fields: tuple[schema.Field, ...], *, lenient: bool) -> dict[Any, Any]:
    """Required fields at their (valid) examples, then 1 to 3 fields set to generated values, maybe one dropped,
    maybe an unknown key. ``lenient``: one field, set to its example or to text, so most builds succeed and the
    output is checked too."""
    entries: dict[Any, Any] = {f.name: Raw(f.example) for f in fields if f.required}
    if lenient:
        spec = draw(st.sampled_from(fields))
        entries[spec.name] = draw(st.just(Raw(spec.example)) | TEXT)
        return entries
    for spec in draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique_by=lambda f: f.name)):
        entries[spec.name] = draw(field_values(spec))
    if draw(st.integers(0, 3)) == 0 and entries:
        entries.pop(draw(st.sampled_from(sorted(entries))), None)
    if draw(st.integers(0, 7)) == 0:
        entries[draw(KEYS)] = draw(PY_VALUES)
    return entries


# -- Markdown with HTML --------------------------------------------------------

TAGS = ["script", "/script", "img", "svg", "iframe", "a", "div", "style", "object", "math", "base", "meta", "form",
        "x-custom", "ScRiPt", "IMG", "svg/onload", "details"]  # fmt: skip
ATTRS = ["onerror", "onload", "onclick", "OnMouseOver", "href", "src", "style", "srcdoc", "formaction",
         "xlink:href", "data-x", "open"]  # fmt: skip
URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=", "data:image/svg+xml,x", "file:///etc/passwd",
        "//evil.example/x", "http://example.com/x", "https://example.com", "mailto:a@example.com", "tel:123",
        "/about/", "#frag", "x:y", "alert(document.cookie)"]  # fmt: skip
ODD_URLS = [*URLS, "\x01javascript:alert(1)", "jav&#x61;script:alert(1)", "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)", "java\nscript:x", "<javascript:alert(1)>", "data:text/html,<script>x</script>",
            "/missing-page/", "../../etc/passwd", "%6Aavascript:alert(1)"]  # fmt: skip
ENTITIES = ["&lt;script&gt;", "&#60;img src=x onerror=alert(1)&#62;", "&amp;", "&#0;", "&#xD800;", "&nbsp;",
            "&unknown;", "&#x110000;", "&#99999999;", "&quot;", "&#x202e;", "&amp;lt;"]  # fmt: skip


@st.composite
def inert_html(draw: st.DrawFn) -> str:
    """An HTML fragment Markdown leaves alone (no entities, emphasis or escapes): it must show as literal text."""
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.lists(st.tuples(st.sampled_from(ATTRS), st.sampled_from(URLS), st.sampled_from(['"', "'", ""]))))
    inside = " ".join(f"{name}={q}{value}{q}" for name, value, q in attrs)
    text = " ".join(draw(st.lists(WORD, max_size=3)))
    close = draw(st.sampled_from(["", f"</{tag}>", " />"]))
    return f"<{tag}{' ' if inside else ''}{inside}>{text}{close}"


def _chaos_inline(draw: st.DrawFn) -> str:
    word, url = draw(WORD), draw(st.sampled_from(ODD_URLS))
    return draw(
        st.sampled_from(
            [
                f"[{word}]({url})",
                f"![{word}]({url})",
                f"<{url}>",
                f"[{word}][ref]\n\n[ref]: {url}",
                f"*{word}*",
                f"**{word}**",
                f"~~{word}~~",
                f"`{draw(TEXT).replace('`', '')}`",
                draw(st.sampled_from(ENTITIES)),
                draw(inert_html()),
                draw(TEXT),
                f"[^{word}]\n\n[^{word}]: {draw(TEXT)}",
            ]
        )
    )


@st.composite
def chaos_block(draw: st.DrawFn) -> str:
    """A Markdown block of anything: links with odd schemes, entities, code, nesting, raw HTML, tables."""
    inline = " ".join(_chaos_inline(draw) for _ in range(draw(st.integers(1, 4))))
    depth = draw(st.integers(0, 30))
    kind = draw(st.sampled_from(["para", "quote", "list", "heading", "fence", "table", "indented"]))
    if kind == "quote":
        return "> " * depth + inline
    if kind == "list":
        return "\n".join("  " * i + draw(st.sampled_from(["- ", "1. ", "* "])) + inline for i in range(depth % 8 + 1))
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + " " + inline
    if kind == "fence":
        info = draw(st.sampled_from(["", "python", '"><script>alert(1)</script>', "js onload=x"]))
        return f"```{info}\n{inline}\n{draw(TEXT)}\n```"
    if kind == "table":
        return f"| {inline.replace(chr(10), ' ')} | b |\n|---|:-:|\n| {draw(inert_html())} | {draw(WORD)} |"
    if kind == "indented":
        return "    " + inline.replace("\n", "\n    ")
    return inline


@dataclass
class Markdown:
    """A generated body and what its readers must see as text."""

    text: str
    visible: list[str]


@st.composite
def markdown_bodies(draw: st.DrawFn) -> Markdown:
    """Blocks separated by blank lines: plain words and inert HTML (recorded as visible) and chaos blocks."""
    blocks, visible = [], []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["words", "html", "chaos", "chaos"]))
        if kind == "words":
            words = draw(st.lists(WORD, min_size=1, max_size=6))
            blocks.append(" ".join(words))
            visible += words
        elif kind == "html":
            fragment = draw(inert_html())
            blocks.append(fragment)
            visible.append(fragment)
        else:
            blocks.append(draw(chaos_block()))
    return Markdown("\n\n".join(blocks), visible)


# -- file and folder names -----------------------------------------------------

EXISTING_SLUGS = ["is-group-therapy-worth-it", "how-do-i-stop-worrying-at-night", "about", "sam-rivera"]
SPECIAL_NAMES = sorted(
    {*Urls().reserved_slugs("page"), *Urls().taken_names("page")}
    | {"...", ".hidden", "-leading", "trailing-", "con", "nul", "CON", "aux", "com1", "lpt1", "a..b", "a b", " a",
       "a.", "index", "answers", "x\\y", "~", "$HOME", "*", "a\nb", "\u202eevil", "ﬁle", "İ", "ß", "é", "e\u0301",
       "caf\udce9", "2023-07-03-sam-rivera", "0", "a--b", "ok-name"}
)  # fmt: skip


def _fits(name: str) -> bool:
    try:
        raw = os.fsencode(name)
    except UnicodeError:
        return False
    return name not in (".", "..") and b"/" not in raw and b"\x00" not in raw and len(raw) + len(".md") <= 255


NAME_CHARS = st.one_of(
    st.characters(exclude_characters="/\x00"), st.sampled_from(["-", ".", " ", "\udc80", "\udcff", "A", "a", "1"])
)
SLUGS = st.from_regex(schema.SLUG_RE, fullmatch=True)
NAMES = st.one_of(
    SLUGS,
    SLUGS,
    st.text(NAME_CHARS, min_size=1, max_size=30),
    st.sampled_from(SPECIAL_NAMES),
    st.sampled_from(EXISTING_SLUGS).flatmap(
        lambda s: st.lists(st.booleans(), min_size=len(s), max_size=len(s)).map(
            lambda ups: "".join(c.upper() if up else c for c, up in zip(s, ups, strict=True))
        )
    ),
    st.builds(lambda n, c: c * (n // len(c.encode())), st.integers(100, 250), st.sampled_from(["a", "é", "-", "."])),
).filter(_fits)
# Mapping keys that name things (handles, categories, tags): any scalar, file-like names, paths.
PATHS = ["..", "../../../../escaped", "a/b", "/abs", "C:\\x", "Calm Things", "calm/../../x", "%2e%2e"]
ENTRY_KEYS = st.one_of(KEYS, NAMES, st.sampled_from(PATHS))
SUFFIXES = st.sampled_from([".md", ".md", ".md", ".md", ".md", ".MD", ".markdown", "", ".md.bak", ".md "])
