"""Markdown syntax for converted text: escaping, emphasis, code spans, links, table rows and list items."""

from __future__ import annotations

import re

LIST_RE = re.compile(r"(- |\d+\. )")


def join_item(blocks: list[str]) -> tuple[str, bool]:
    """A list item's blocks as text, and whether they make the list loose.

    A nested list right after the item's first paragraph stays tight.
    """
    text, loose = blocks[0], False
    for block in blocks[1:]:
        tight = LIST_RE.match(block) is not None and not loose
        text += ("\n" if tight else "\n\n") + block
        loose = loose or not tight
    return text, loose


def table_row(cells: list[str]) -> str:
    """A Markdown table row: '| a | b |'."""
    return "| " + " | ".join(cells) + " |"


def link_target(url: str) -> str:
    """``url`` safe as a Markdown link target (no space, parenthesis or angle bracket)."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def escape(text: str, *, in_link: bool = False) -> str:
    """``text`` with the characters Markdown would read as syntax escaped (``in_link``: also ']')."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*`\[])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    text = text.replace("~~", "\\~\\~")
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", text)
    return text.replace("]", "\\]") if in_link else text


def escape_line_start(line: str) -> str:
    """Keep a line that starts like a heading, quote, list or rule from becoming one."""
    if re.match(r"[#>+=-]", line):
        return "\\" + line
    return re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", line)


def wrap(text: str, marker: str) -> str:
    """``text`` between emphasis ``marker``s, its surrounding white space (and line breaks) left outside."""
    match = re.fullmatch(r"([\s\x00]*)(.*?)([\s\x00]*)", text, re.S)
    if not match or not match.group(2):
        return text
    lead, core, trail = match.groups()
    return f"{lead}{marker}{core}{marker}{trail}"


def code_span(text: str) -> str:
    """``text`` as an inline code span, fenced with more backticks than it holds."""
    text = " ".join(text.split())
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
