"""``plainyaml`` (the front matter most files have, read without PyYAML) gives exactly what PyYAML gives, or
nothing: on every front matter of the demo site and the fixtures, on hand-picked YAML traps, and on generated
``key: value`` lines mixing them. ``check``'s Markdown shortcut (``parse_shortcuts.parse_body``: answers without
links or deep nesting are not parsed; a question of plain paragraphs gets its text without a parse) gives what a parse
gives, on generated Markdown and on the demo's and the fixtures' bodies. Look-alike tags skip difflib's matcher only
where the lengths alone rule a pair out (the same answer as with one)."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from qasite.content import plainyaml
from qasite.content.frontmatter import load_yaml, load_yaml_fully
from qasite.content.lint import _looks_alike, _stem, alike_earlier
from qasite.content.parse_shortcuts import parse_body, plain_paragraphs, too_shallow
from qasite.render.markdown import Rendered, render

TRAPS = [
    "yes",
    "No",
    "ON",
    "off",
    "True",
    "false",
    "FALSE",
    "null",
    "Null",
    "~",
    "y",
    "n",
    "0",
    "-0",
    "-3",
    "+3",
    "007",
    "1_000",
    "0x1F",
    "0o17",
    "0b101",
    "1:20",
    "1.5",
    "1e3",
    ".inf",
    "-.inf",
    ".NaN",
    "=",
    "<<",
    "2021-11-07",
    "2023-02-30",
    "0000-01-01",
    "2023-1-5",
    "2021-11-07 10:00",
    "2021-11-07T10:00:00Z",
    "2021-11-07t10:00:00+01:00",
    '"a # b"',
    '"a: b"',
    "'it''s'",
    "'single'",
    '"a\\"b"',
    '"tab\\tin"',
    '""',
    "''",
    "[a, b]",
    "[a,b]",
    "[ a ]",
    "[yes, no]",
    "[Anxiety, self-harm]",
    "[2023]",
    "[]",
    "[a, [b]]",
    "{a: b}",
    "plain words here",
    "Yes please",
    "a: b",
    "a:b",
    "&anchor x",
    "*alias",
    "!!str x",
    "!custom x",
    "x # comment",
    "x #",
    "- x",
    "-",
    "? x",
    "| text",
    "> text",
    "%x",
    "@x",
    "`x`",
    '"ünïcode ✓"',
    "plain ünïcode",
    "a=b",
    "don't",
    "What (really) helps?",
    "1" * 30,
    "-" + "9" * 17,
    "x\u2028y",
    "x\x85y",
    "\ufeffx",
    "x  ",
]


def compare(text: str) -> bool:
    """Assert ``plainyaml`` agrees with PyYAML on ``text``; return whether it read it at all."""
    fast, fast_problems = load_yaml(text, "f.md", first_line=2)
    full, full_problems = load_yaml_fully(text, "f.md", first_line=2)
    assert fast_problems == full_problems
    if plainyaml.parse(text) is None:
        return False
    assert fast is not None and full is not None and not full_problems
    assert repr(fast.data) == repr(full.data)  # same keys in the same order, same types (True is not 1)
    assert fast.lines == full.lines and fast.start_line == full.start_line
    return True


def front_matters() -> list[str]:
    found = []
    for path in sorted([*(ROOT / "content").rglob("*.md"), *FIXTURES.rglob("*.md")]):
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        parts = text.split("\n---\n", 1)
        if text.startswith("---\n") and len(parts) == 2:
            found.append(parts[0].removeprefix("---\n"))
    return found


def test_every_front_matter_of_the_demo_and_the_fixtures() -> None:
    matters = front_matters()
    read = [compare(text) for text in matters]
    assert len(matters) > 100
    assert sum(read) > len(read) // 2, "most front matter is plain"
    assert not all(read), "some is left to PyYAML"


def test_traps() -> None:
    read = {value: compare(f"title: {value}\nvotes: 3") for value in TRAPS}
    assert read["2021-11-07"] and read["2023-02-30"] and read["[a, b]"] and read["-0"] and read['""']
    assert not read["yes"] and not read["1.5"] and not read["x # comment"] and not read["x  "]
    for key in ("yes", "On", "null", "y", "2023", "a b", " title", "title ", "-x", "x\ty"):
        compare(f"{key}: x")
    for text in (
        "",
        "\n",
        "title: a\ntitle: b",
        "title: a\n  more: b",
        "title: a\n# note",
        "title:\n- a",
        "a: 1\n\nb: 2",
    ):
        compare(text)


PIECES = st.sampled_from(
    [
        "title",
        "tags",
        "a",
        "y",
        "on",
        "date",
        " ",
        ":",
        ": ",
        "-",
        "#",
        '"',
        "'",
        "[",
        "]",
        ", ",
        "\t",
        "\n",
        "1",
        "0",
        "2021-11-07",
        "yes",
        "x",
    ]
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["title", "tags", "votes", "date", "On", "y"]), st.lists(PIECES, max_size=6)),
        max_size=5,
    )
)
def test_generated_lines(lines: list[tuple[str, list[str]]]) -> None:
    compare("\n".join(f"{key}: {''.join(value)}" for key, value in lines))


MARKS = st.sampled_from(["- ", "* ", "1. ", "> ", "  ", "    ", "\t", "+ ", "10) ", "-", ">"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(MARKS, max_size=14), st.sampled_from(["text", "", "- item", "> quote", "***"])),
        min_size=1,
        max_size=12,
    )
)
def test_unparsed_answers_have_no_links_and_no_deep_nesting(lines: list[tuple[list[str], str]]) -> None:
    body = "\n".join("".join(marks) + rest for marks, rest in lines)
    parsed = render(body, html=False)
    if too_shallow(body):  # what an unparsed answer is given must be what the parse gives
        assert parsed.too_deep is None and parsed.links == ()
    else:
        assert parse_body(body, "answer") == parsed


def test_deep_nesting_is_always_parsed() -> None:
    for body in ("".join("  " * level + "- level\n" for level in range(12)), "> " * 20 + "deep", "- " * 10 + "x"):
        assert render(body, html=False).too_deep is not None
        assert not too_shallow(body)
        assert parse_body(body, "answer").too_deep is not None
    assert parse_body("See [a page](/x/).", "answer").links == ((0, "/x/"),)
    assert parse_body("Plain text, no link.", "answer").text == ""
    assert parse_body("Plain text, no link.", "question").text == "Plain text, no link."


WORDS = st.sampled_from(
    ["worry", "Sleep", "don't", "(really)", '"quoted"', "2023", "1.", "3)", "x.", "a\u00a0b", "ünï", "", " ", "  "]
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", "\n\n\n", "  \n", " \n", "\n ", "\n    ", ",", ". ", "-", "#"])


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=20))
def test_plain_paragraphs_are_what_markdown_it_gives(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in pieces).strip("\n")
    plain = plain_paragraphs(text)
    if plain is not None:
        assert plain == render(text, html=False).text
        assert parse_body(text, "question") == Rendered("", plain)


def test_plain_paragraphs_of_the_demo_and_fixtures() -> None:
    bodies = []
    for path in sorted([*(ROOT / "content").rglob("*.md"), *FIXTURES.rglob("*.md")]):
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        if text.startswith("---\n") and "\n---\n" in text:
            bodies.append(text.split("\n---\n", 1)[1].strip("\n"))
    plain = [(body, plain_paragraphs(body)) for body in bodies]
    assert sum(text is not None for _, text in plain) > len(plain) // 3
    assert any(text is None for _, text in plain)
    for body, text in plain:
        assert text is None or text == render(body, html=False).text
    for markup in ("*em*", "`code`", "a_b_", "[x](/y/)", "&amp;", "\\*", "~~s~~", "a | b", "1. item", "# h", "> q"):
        assert plain_paragraphs(f"Some words {markup} here\n\n{markup}") is None


def _alike_with_a_matcher(a: str, b: str) -> bool:
    """``lint._looks_alike`` as it was: a SequenceMatcher for every pair."""
    if _stem(a) == _stem(b):
        return True
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= 0.92 and matcher.quick_ratio() >= 0.92 and matcher.ratio() >= 0.92


@settings(max_examples=2000, deadline=None)
@given(
    st.text(alphabet="abcs-", min_size=1, max_size=40),
    st.text(alphabet="abcs-", min_size=1, max_size=40),
    st.integers(0, 3),
)
def test_look_alike_tags_skip_the_matcher_only_where_lengths_decide(a: str, b: str, cut: int) -> None:
    b = a[cut:] + b[:cut] if cut else b  # near misses as well as strangers
    assert _looks_alike(a, b) == _alike_with_a_matcher(a, b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abies-", min_size=1, max_size=12), min_size=0, max_size=40, unique=True))
def test_alike_earlier_names_the_first_earlier_tag_a_matcher_finds(names: list[str]) -> None:
    """Stems made once per tag name the same pairs as comparing every pair with a matcher, first match first."""
    slow = []
    for i, rare in enumerate(names):
        common = next((n for n in names[:i] if _alike_with_a_matcher(rare, n)), None)
        if common is not None:
            slow.append((rare, common))
    assert alike_earlier(names) == slow


def test_alike_earlier_on_real_tags() -> None:
    names = ["panic-attack", "sleep", "panic-attacks", "sleeps", "anxiety", "panicattack"]
    expected = [("panic-attacks", "panic-attack"), ("sleeps", "sleep"), ("panicattack", "panic-attack")]
    assert alike_earlier(names) == expected
