"""``check``'s Markdown shortcuts: what a markdown-it parse would give a body, without one where it can be known.

Two shortcuts (``tests/test_check_shortcuts.py`` compares): an answer's or page's plain text is never read by a check
(only a question's feeds the duplicate check), so an answer or page whose Markdown can hold no link (no ``[`` and no
``<``) and no nesting near markdown-it's limit (``too_shallow``) is not parsed at all; a question of plain paragraphs
gets its plain text directly (``plain_paragraphs``). ``prepare`` parses each body through ``parse_body``.
"""

from __future__ import annotations

from ..render.markdown import MAX_NESTING, Rendered, render
from ..render.plain import paragraphs, text_of
from .textlint import strip_markers

# Characters that can open a container block (quote, list item) at the start of a line, and its indentation.
CONTAINER_PREFIX = frozenset(" \t>*+-0123456789.)")
NESTING_MARGIN = 4


def too_shallow(text: str) -> bool:
    """True when no line of ``text`` starts with enough quote and list markers or indentation for markdown-it to
    nest blocks near its limit.

    A block's nesting level is the number of quotes around it plus twice the number of lists; a quote takes a
    ``>`` at the start of the line where the block starts, a list item its marker and a space or its indentation
    (at least 2 columns), so that line's leading run of markers, digits, spaces and tabs (a tab counted as 4
    columns, its most) is at least as wide as the level. Without footnotes (they need a ``[``) nothing else nests.
    """
    for line in text.split("\n"):
        width = 0
        for char in line:
            if char not in CONTAINER_PREFIX:
                break
            width += 4 if char == "\t" else 1
        if width >= MAX_NESTING - NESTING_MARGIN:
            return False
    return True


def plain_paragraphs(text: str) -> str | None:
    """The plain text markdown-it gives ``text`` (``render.markdown.plain_text``) when ``text`` is only paragraphs
    of plain words (``render.plain.paragraphs``); None when it may hold anything else."""
    found = paragraphs(text)
    return None if found is None else text_of(found)


def parse_body(body: str, kind: str) -> Rendered:
    """The body parsed as ``check`` needs it (plain text, links, nesting note), or not at all when a parse would
    give nothing more: an answer's or page's text without link or deep nesting (their text is not used), a
    question's paragraphs of plain words (``plain_paragraphs``)."""
    text = strip_markers(body)
    if kind != "question" and "[" not in text and "<" not in text and too_shallow(text):
        return Rendered("", "")
    if kind == "question" and (plain := plain_paragraphs(text)) is not None:
        return Rendered("", plain)
    return render(text, html=False)
