"""The question pages Pagefind reads in a full build: each page cut down to what Pagefind takes from it.

A question page is ~23 KB, of which Pagefind indexes the ``data-pagefind-body`` element (the question and its
answers, ~9 KB) and reads nothing else but the ``<html>`` tag (the language) and, anywhere on the page,
``data-pagefind-*`` attributes, the first ``<h1>`` and ``<img>`` (``index_text.UNREAD``). Parsing the rest (the
head, its JSON-LD, the header, navigation, related questions, footer, scripts) is ~15% of its work. A full
build writes each shard's pages for Pagefind as it renders them (``shard_indexer.ShardIndexer.add``): the
``<html>`` tag and the body element only (to the ``</div>`` closing it), when everything cut away holds nothing of
``UNREAD``; otherwise the whole page. Pagefind then writes the same fragments, word index, filters and metadata
as from the whole pages (``tests/test_index_pages.py`` compares the two bundles on the demo and hostile sites).
"""

from __future__ import annotations

import re

from .index_text import UNREAD

BODY = b" data-pagefind-body>"  # theme/templates/question.html: <div class="qa-page" data-pagefind-body>
DIVS = re.compile(rb"<div[\s>]|</div>")  # the element's content is escaped text and sanitized HTML: tags are tags


def indexed_part(page: bytes) -> bytes | None:
    """``page`` cut to its ``<html>`` tag and its ``data-pagefind-body`` element (a ``<div>``, ended by the
    ``</div>`` that closes it), or None where Pagefind would read something outside the element."""
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
    return page[:html_end] + b"<body>" + page[start:end] + b"</body></html>\n"
