"""The question pages Pagefind reads in a full build: each page cut down to what Pagefind takes from it.

A question page is ~23 KB, of which Pagefind indexes the ``data-pagefind-body`` element (the question and its
answers, ~9 KB) and reads nothing else but the ``<html>`` tag (the language) and, anywhere on the page,
``data-pagefind-*`` attributes, the first ``<h1>`` and ``<img>`` (``index_text.UNREAD``). Parsing the rest (the
head, its JSON-LD, the header, navigation, related questions, footer, scripts) is ~15% of its work. A full
build writes each shard's pages for Pagefind as it renders them (``shard_indexer.ShardIndexer.add``): the
``<html>`` tag and the body element only (to the ``</div>`` closing it), when everything cut away holds nothing of
``UNREAD``; otherwise the whole page. Inside the element, the ``data-pagefind-ignore`` elements (the votes, the
meta line, the person cards, the headings and invitations around the answers: ~45% of the element's bytes) are
left out too where they hold nothing Pagefind reads from an ignored element (``IGNORED_READ``): Pagefind drops
their text, and each element costs it a selector match and a node, so the run parses ~14% fewer instructions.
Pagefind then writes the same fragments, word index, filters and metadata as from the whole pages
(``tests/test_index_pages.py`` compares the two bundles on the demo and hostile sites).
"""

from __future__ import annotations

import re

from .index_text import UNREAD

BODY = b" data-pagefind-body>"  # theme/templates/question.html: <div class="qa-page" data-pagefind-body>
DIVS = re.compile(rb"<div[\s>]|</div>")  # the element's content is escaped text and sanitized HTML: tags are tags
IGNORE = b" data-pagefind-ignore"  # bare, as the templates write it (followed by a space or ">"; not "all")
START = re.compile(rb"<([a-z][a-z0-9]*)[^<>]*\Z")  # the start tag an attribute is in
IGNORED_READ = (b"<h1", b"<img", b"<title")  # read from an ignored element (its text never is): these (the first
# of each on the page), and its filters and meta (any other ``data-pagefind`` attribute, ``index_text.UNREAD``)
VOID = frozenset((b"area", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"wbr"))


def indexed_part(page: bytes) -> bytes | None:
    """``page`` cut to its ``<html>`` tag and its ``data-pagefind-body`` element (a ``<div>``, ended by the
    ``</div>`` that closes it) without the ignored elements Pagefind reads nothing from (``without_ignored``), or
    None where Pagefind would read something outside the element."""
    html = page.find(b"<html")
    html_end = page.find(b">", html) + 1
    body = page.find(BODY)
    start = page.rfind(b"<", 0, body)
    if html < 0 or html_end <= html or body < 0 or start < html_end or page.find(BODY, body + 1) >= 0:
        return None
    if not page.startswith(b"<div", start):
        return None
    depth, end = 0, -1
    for tag in DIVS.finditer(page, start):
        depth += -1 if tag[0] == b"</div>" else 1
        if depth == 0:
            end = tag.end()
            break
    if end < 0 or any(page.find(word, html_end, start) >= 0 or page.find(word, end) >= 0 for word in UNREAD):
        return None
    return page[:html_end] + b"<body>" + without_ignored(page[start:end]) + b"</body></html>\n"


def page_prefix(page: bytes) -> bytes | None:
    """What Pagefind's copy of ``page`` holds before its body element, its ``<html>`` tag, where the copy is cut from
    it (``indexed_part``); None where it is not. A question page's copy is that and its body element, whatever the
    rest of the page holds, where the rest is the theme's and escaped text (``render/question_pages.py``)."""
    if indexed_part(page) is None:
        return None
    return page[: page.find(b">", page.find(b"<html")) + 1]


def without_ignored(element: bytes) -> bytes:
    """``element`` without the ``data-pagefind-ignore`` elements in it that Pagefind reads nothing from (no
    ``IGNORED_READ``, no other ``data-pagefind`` attribute): it drops their text, and would still parse every tag."""
    ignored = _ignored(element)
    if not ignored:
        return element
    if not _reads_nothing(b"".join(element[start:end] for start, end in ignored)):  # rare: one by one
        ignored = [(start, end) for start, end in ignored if _reads_nothing(element[start:end])]
    kept, done = [], 0
    for start, end in ignored:
        kept.append(element[done:start])
        done = end
    kept.append(element[done:])
    return b"".join(kept)


def _ignored(element: bytes) -> list[tuple[int, int]]:
    """Where the outermost ``IGNORE`` elements of ``element`` start and end (those whose end is found)."""
    found: list[tuple[int, int]] = []
    done = 0
    at = element.find(IGNORE)
    while at >= 0:
        start = element.rfind(b"<", done, at)
        tag = START.match(element, start, at) if start >= 0 else None
        follows = element[at + len(IGNORE) : at + len(IGNORE) + 1]
        if tag is not None and tag[1] not in VOID and follows and follows in b" \t\n>":
            end = element_end(element, start, tag[1])
            if end > 0:
                found.append((start, end))
                done = end
        at = element.find(IGNORE, max(at + 1, done))
    return found


def element_end(page: bytes, start: int, name: bytes) -> int:
    """Where the ``name`` element whose start tag is at ``start`` ends (after its end tag), or -1 if it does not."""
    opening, closing = b"<" + name, b"</" + name + b">"
    depth, at = 1, start + len(opening)
    while (close := page.find(closing, at)) >= 0:
        inner = page.find(opening, at, close)
        while inner >= 0:  # a nested element of the same name (its name not just a prefix of another's)
            depth += page[inner + len(opening) : inner + len(opening) + 1] in b" \t\n/>"
            inner = page.find(opening, inner + 1, close)
        depth -= 1
        at = close + len(closing)
        if depth == 0:
            return at
    return -1


def _reads_nothing(ignored: bytes) -> bool:
    """Whether Pagefind reads nothing from ``ignored`` (ignored elements): no ``IGNORED_READ``, no ``data-pagefind``
    attribute but ``IGNORE`` (the elements' own and those of the ignored elements in them)."""
    if ignored.count(b"data-pagefind") != ignored.count(IGNORE):
        return False
    return all(word not in ignored for word in IGNORED_READ)
