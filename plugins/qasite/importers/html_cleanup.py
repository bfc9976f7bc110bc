"""Tidy HTML from rich-text editors before it becomes Markdown (Word paste, TinyMCE, CKEditor...).

Works on the parsed tree, in place: Word's settings (``<xml>``, ``<w:…>``, ``<m:…>``, ``<v:…>``) and
its list bullets (``mso-list:Ignore``) go; Word's list paragraphs (``mso-list:l0 level1``) become real
lists; ``<o:p>``, ``<font>`` and styled ``<span>`` keep only their text; non-breaking spaces outside
code are spaces; ``<b>a</b><b>b</b>`` is one ``<b>``; a table cell spanning columns is followed by
empty cells so the columns stay in place. Comments (conditional ones included) are never text.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

WORD_PREFIXES = ("w:", "m:", "v:", "st1:")
IGNORED = re.compile(r"mso-list:\s*ignore", re.I)
MSO_LIST_RE = re.compile(r"mso-list:\s*l(\d+)\s+level(\d+)", re.I)
MERGED = ("b", "strong", "i", "em", "s", "del", "strike", "code")
UNWRAPPED = ("font", "o:p", "span", "u", "ins")
NO_NBSP = ("pre", "code", "kbd", "samp", "tt")


def new_tag(name: str) -> Tag:
    """A new, empty element."""
    return BeautifulSoup("", "html.parser").new_tag(name)


def clean(soup: Tag) -> None:
    """Tidy ``soup`` (a parsed document or one element of it) in place (see the module docstring)."""
    for tag in soup.find_all(lambda t: t.name == "xml" or t.name.startswith(WORD_PREFIXES)):
        tag.decompose()
    _word_lists(soup)
    for tag in soup.find_all(style=IGNORED):
        tag.decompose()
    for tag in soup.find_all(UNWRAPPED):
        tag.unwrap()
    for text in soup.find_all(string=lambda s: type(s) is NavigableString and "\xa0" in s):
        if not text.find_parent(NO_NBSP):
            text.replace_with(text.replace("\xa0", " "))
    soup.smooth()
    _merge_emphasis(soup)
    _pad_spans(soup)


def _word_lists(soup: Tag) -> None:
    """Runs of Word list paragraphs (``style="mso-list:l0 level2"``) -> nested <ul>/<ol>."""
    for first in soup.find_all("p", style=MSO_LIST_RE):
        if first.parent is None or _list_level(first.find_previous_sibling(_is_tag)) is not None:
            continue  # gone already, or not the first of its run
        run = [first]
        while (nxt := run[-1].find_next_sibling(_is_tag)) is not None and _list_level(nxt) is not None:
            run.append(nxt)
        marker = first.find(style=IGNORED)
        ordered = marker is not None and re.match(r"\s*[0-9a-zA-Z]{1,4}[.)]", marker.get_text()) is not None
        root = new_tag("ol" if ordered else "ul")
        first.insert_before(root)
        stack = [(1, root)]
        for paragraph in run:
            level = _list_level(paragraph) or 1
            while level > stack[-1][0] and stack[-1][1].find_all("li", recursive=False):
                inner = new_tag(root.name)
                stack[-1][1].find_all("li", recursive=False)[-1].append(inner)
                stack.append((stack[-1][0] + 1, inner))
            while level < stack[-1][0] and len(stack) > 1:
                stack.pop()
            item = new_tag("li")
            item.extend(list(paragraph.children))
            stack[-1][1].append(item)
            paragraph.decompose()


def _is_tag(node: object) -> bool:
    return isinstance(node, Tag)


def _list_level(node: Tag | None) -> int | None:
    match = MSO_LIST_RE.search(str(node.get("style") or "")) if isinstance(node, Tag) and node.name == "p" else None
    return int(match.group(2)) if match else None


def _merge_emphasis(soup: Tag) -> None:
    """``<b>Hold</b><b> for 4</b>`` (Word splits runs) -> ``<b>Hold for 4</b>``."""
    for tag in soup.find_all(MERGED):
        while tag.parent is not None:
            nxt = tag.next_sibling
            if isinstance(nxt, Tag) and nxt.name == tag.name and nxt.attrs == tag.attrs:
                tag.extend(list(nxt.children))
                nxt.decompose()
            else:
                break


def _pad_spans(soup: Tag) -> None:
    """A cell with ``colspan="3"`` is followed by two empty cells: Markdown tables have no spans."""
    for cell in soup.find_all(["td", "th"], colspan=True):
        span = str(cell.get("colspan", "1"))
        for _ in range(min(int(span), 50) - 1 if span.isdigit() else 0):
            cell.insert_after(new_tag(cell.name))
