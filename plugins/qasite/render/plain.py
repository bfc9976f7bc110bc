"""Markdown that is only paragraphs of plain words, recognised without parsing: its text and HTML as markdown-it's.

Most bodies (6 in 10 of the generated sites', many of the demo's) are such paragraphs. ``check`` takes their
plain text from here instead of parsing them (content/prepare.py), and a build their HTML too
(``render.markdown.render``): markdown-it would make one ``<p>`` per run of lines, the lines joined by a
newline and the text escaped, which is all ``html`` does. Anything else is left to markdown-it: a character
that can start inline markup, a line that can start another block, a line ending in a space (a hard break, or
spaces markdown-it drops). ``tests/test_check_shortcuts.py`` and ``tests/test_plain_html.py`` compare both with
markdown-it on random texts and on every body of the demo and the test fixtures.

A build also takes ``simple_html`` bodies without parsing (``simple``): such paragraphs, plus bullet lists of one-line
``- `` items between them, and ``**strong**`` words where nothing else could pair their asterisks (most of the other
4 in 10 bodies of the generated sites). ``tests/test_simple_html.py`` compares them with markdown-it likewise.
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


# "**words**": opened after a space or the line's start, closed before a space, the end or a closing punctuation
# mark, each end a letter or digit: both runs of asterisks can only open and close respectively (CommonMark's
# flanking rules), and nothing else on the line may hold an asterisk (``MARKUP`` sees any left).
STRONG = re.compile(r"(?<![^ ])\*\*([^\W_](?:[^*\n]*[^\W_])?)\*\*(?![^ ,.;:!?])")
ITEM = "- "


def simple_html(text: str) -> tuple[str, str] | None:
    """The HTML and plain text markdown-it gives ``text`` when it is only blocks (runs of lines between empty
    ones) each of plain paragraph lines or of one-line ``- `` items (a tight bullet list; a list after a list would
    make one loose list: left to markdown-it), with ``**strong**`` words (``STRONG``); None otherwise."""
    blocks: list[list[str]] = []
    block: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line:
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    html, words = [], []
    last_list = False
    for lines in blocks:
        is_list = lines[0].startswith(ITEM)
        if is_list and last_list:
            return None
        out, plain = [], []
        for line in lines:
            if line.startswith(ITEM) != is_list:
                return None
            inline = line[len(ITEM) :] if is_list else line
            spans = list(STRONG.finditer(inline))
            text_only = STRONG.sub(r"\1", inline) if spans else inline
            if (
                not inline
                or MARKUP.search(text_only)
                or not (text_only[0].isalnum() or text_only[0] in PLAIN_STARTS)
                or LIST_NUMBER.match(inline)
                or inline[-1].isspace()
            ):
                return None
            pieces, done = [], 0
            for span in spans:
                pieces += [escapeHtml(inline[done : span.start()]), "<strong>", escapeHtml(span[1]), "</strong>"]
                done = span.end()
            out.append("".join(pieces) + escapeHtml(inline[done:]))
            plain.append(text_only)
        last_list = is_list
        if is_list:
            html.append("<ul>\n" + "".join(f"<li>{item}</li>\n" for item in out) + "</ul>\n")
            words += plain
        else:
            html.append("<p>" + "\n".join(out) + "</p>\n")
            words.append("".join(plain))  # a paragraph's line breaks give no text (``text_of``)
    return "".join(html), " ".join(" ".join(words).split())
