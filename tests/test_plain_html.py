"""Plain paragraphs rendered without markdown-it (render/plain.py): the same HTML and text as markdown-it's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from qasite.render.markdown import render, render_parsed
from qasite.render.plain import html_of, paragraphs

WORDS = st.sampled_from(
    [
        *[
            "worry",
            "Sleep",
            "don't",
            "(really)",
            '"quoted"',
            "2023",
            "1.",
            "3)",
            "x.",
            "a\u00a0b",
            "ünï",
            "end\u00a0",
            "\u3000",
        ],
        *[
            "",
            " ",
            "  ",
            "e.g.",
            "x=1",
            "#tag",
            "a+b",
            "50%",
            "'",
            "!",
            "?",
            ":-)",
            "@me",
            "http://example.com",
            "www.example.org",
        ],
    ]
)
SEPARATORS = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\n\n\n", "  \n", " \n", "\n ", "\n    ", ",", ". ", "-", "#", "\n-", "\n=", "\n1. "]
)


@settings(max_examples=600, derandomize=True)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=24), st.sampled_from([None, "a1b2"]), st.integers(1, 3))
def test_plain_paragraphs_render_as_markdown_it_does(
    pieces: list[tuple[str, str]], doc_id: str | None, heading_base: int
) -> None:
    text = "".join(word + separator for word, separator in pieces)
    assert render(text, doc_id=doc_id, heading_base=heading_base) == render_parsed(
        text, doc_id=doc_id, heading_base=heading_base
    )


def test_bodies_of_the_demo_and_fixtures() -> None:
    bodies = []
    for path in sorted([*(ROOT / "content").rglob("*.md"), *FIXTURES.rglob("*.md")]):
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        if text.startswith("---\n") and "\n---\n" in text:
            bodies.append(text.split("\n---\n", 1)[1])
    shortcut = [body for body in bodies if (found := paragraphs(body)) is not None and html_of(found) is not None]
    assert len(shortcut) > len(bodies) // 4  # the shortcut is taken, and not for everything
    assert len(shortcut) < len(bodies)
    for body in bodies:
        assert render(body, doc_id="d1", heading_base=3) == render_parsed(body, doc_id="d1", heading_base=3)


def test_what_is_left_to_markdown_it() -> None:
    for text in (
        "Line one  \nline two",
        "Line one \nline two",
        "Trailing space ",
        "Title\n===",
        "a\n- item",
        "x\u00a0",
    ):
        found = paragraphs(text)
        assert found is None or html_of(found) is None, text
    assert render('Say "hi" (twice)\nthen go\n\nNext one') == render_parsed('Say "hi" (twice)\nthen go\n\nNext one')
    assert render('Say "hi"').html == "<p>Say &quot;hi&quot;</p>\n"
    for text in ("word\u00a0", "Hello\u00a0\n\nnext", "x\u3000", "a\u2003\nb"):  # markdown-it strips a paragraph's end
        assert render(text) == render_parsed(text), repr(text)
