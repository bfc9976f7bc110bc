"""Markdown that is only paragraphs of plain words, recognised without parsing: its text and HTML as markdown-it's.

Most bodies (6 in 10 of the generated sites', many of the demo's) are such paragraphs. ``check`` takes their
plain text from here instead of parsing them (content/prepare.py), and a build their HTML too
(``render.markdown.render``): markdown-it would make one ``<p>`` per run of lines, the lines joined by a
newline and the text escaped, which is all ``html`` does. Anything else is left to markdown-it: a character
that can start inline markup, a line that can start another block, a line ending in a space (a hard break, or
spaces markdown-it drops). ``tests/test_check_shortcuts.py`` and ``tests/test_plain_html.py`` compare both with
markdown-it on random texts and on every body of the demo and the test fixtures.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml

# What can start inline markup (or a table cell), and control characters but \n (markdown-it replaces NUL).
MARKUP = re.compile(r"[`*_\[\]<>&\\~|\x00-\x09\x0b-\x1f\x7f]")
PLAIN_STARTS = frozenset("\"'(")
LIST_NUMBER = re.compile(r"[0-9]+[.)]")


def paragraphs(text: str) -> list[list[str]] | None:
    """The paragraphs of ``text`` (each a list of its lines) when it is only paragraphs of plain words; None
    when it may hold anything else.

    Plain: no character that can start inline markup (emphasis, code, links, images, entities, escapes, raw
    HTML, strikethrough, tables) and no line that can start a block other than a paragraph (each line starts with a
    letter, a digit not followed by ``.`` or ``)``, or an opening quote or bracket). markdown-it then makes one
    paragraph per run of lines.
    """
    if MARKUP.search(text):
        return None
    found = []
    paragraph: list[str] = []
    for line in [*text.split("\n"), ""]:
        if not line:
            if paragraph:
                found.append(paragraph)
                paragraph = []
            continue
        if not (line[0].isalnum() or line[0] in PLAIN_STARTS) or LIST_NUMBER.match(line):
            return None
        paragraph.append(line)
    return found


def text_of(found: list[list[str]]) -> str:
    """The plain text markdown-it gives such paragraphs (``render.markdown.plain_text``): a paragraph's lines
    joined without a space (its line breaks give no text) and the spaces at their ends dropped."""
    parts = ["".join(line.rstrip(" ") for line in paragraph) + " " for paragraph in found]
    return " ".join("".join(parts).split())


def html_of(found: list[list[str]]) -> str | None:
    """The HTML markdown-it gives such paragraphs, or None when a line ends in a space, an ASCII or a Unicode one
    (left to markdown-it)."""
    out = []
    for paragraph in found:
        for line in paragraph:
            if line[-1].isspace():  # a hard break; or spaces markdown-it drops (a paragraph's end: any Unicode space)
                return None
        body = "\n".join(paragraph)
        out.append(f"<p>{escapeHtml(body)}</p>\n")
    return "".join(out)
