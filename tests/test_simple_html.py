"""Paragraphs, one-line bullet lists and **strong** words rendered without markdown-it (render/plain.simple_html):
the same HTML and text as markdown-it's, on random texts built from the pieces that could make them differ."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qasite.render.markdown import render, render_parsed
from qasite.render.plain import simple_html

# (every body of the demo and the fixtures: tests/test_plain_html.py, through ``render``)
WORDS = st.sampled_from(
    [
        "**bold**",
        "Sleep",
        "(really)",
        "don't",
        "2023",
        '"quoted"',
        "ünï",
        "1.",
        "a\u00a0b",
        "**two words**",
        "**x**",
        "**a**b",
        "a**b**",
        "**(x)**",
        "** x**",
        "**x **",
        "*one*",
        "***",
        "**",
        "__x__",
        "e.g.",
        "#tag",
        "@me",
        "",
    ]
)
SEPARATORS = st.sampled_from(
    [
        " ",
        "  ",
        ", ",
        ". ",
        "! ",
        '" ',
        "\n",
        "\n\n",
        "\n\n\n",
        "\n- ",
        "\n\n- ",
        "\n-  ",
        "\n* ",
        "\n1. ",
        " \n",
        "\n ",
        "\n    ",
        "\n---\n",
        "-",
    ]
)


@settings(max_examples=1500, derandomize=True)
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=20), st.booleans())
def test_simple_blocks_render_as_markdown_it_does(pieces: list[tuple[str, str]], item_first: bool) -> None:
    text = ("- " if item_first else "") + "".join(word + separator for word, separator in pieces)
    parsed = render_parsed(text, doc_id="d1", heading_base=2)
    simple = simple_html(text)
    if simple is not None:
        assert simple == (parsed.html, parsed.text), repr(text)
        assert parsed.links == () and parsed.too_deep is None
    assert render(text, doc_id="d1", heading_base=2) == parsed


def test_lists_and_strong_words_are_taken_and_right() -> None:
    text = "Some text **here**, and\nmore.\n\n- **walking**, daily\n- Sleep\n\nLast **one**!\n"
    assert simple_html(text) == (
        "<p>Some text <strong>here</strong>, and\nmore.</p>\n"
        "<ul>\n<li><strong>walking</strong>, daily</li>\n<li>Sleep</li>\n</ul>\n"
        "<p>Last <strong>one</strong>!</p>\n",
        "Some text here, andmore. walking, daily Sleep Last one!",
    )
    assert simple_html(text) == (render_parsed(text).html, render_parsed(text).text)


def test_what_is_left_to_markdown_it() -> None:
    for text in (
        "- a\n\n- b",  # a list after a list: one loose list
        "a\n- b",  # a list interrupting a paragraph
        "- a\nb",  # a lazy continuation line
        "- 1. a",  # a nested list
        "-  a",  # an indented item
        "a**b**",  # asterisks that could pair otherwise
        "**a**b",
        "** a**",
        "- a ",  # a trailing space
        "* a",
    ):
        assert simple_html(text) is None, text


def test_generated_answers_are_taken() -> None:
    """The generated sites' answer shape (bench/generate.py): paragraphs, a list with a strong word."""
    body = (
        "You might also check the programme. Try to keep a note.\n\n"
        "- Noticing what happens after social events\n"
        "- **swimming**, even on the days it feels pointless\n\n"
        "In my experience, the first month was the hardest.\n"
    )
    assert simple_html(body) is not None
    assert render(body) == render_parsed(body)
