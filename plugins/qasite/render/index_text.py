"""What Pagefind reads of a question page: whether two versions of a page give a search shard the same index.

A question page is indexed from its ``data-pagefind-body`` (the question and its answers) and the
filters and meta in it. The related-questions block (``partials/related.html``) sits outside it and
changes whenever a related question's title, votes or tags do; an edit that changes only that
block on other questions' pages need not re-index their shards (``build/incremental.Partial``).
The comparison is on bytes: a page counts as the same only if it equals the published one once the
block is cut out, and the block holds nothing Pagefind reads outside the body (``UNREAD``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

RELATED = (b'<section class="qa-related"', b"</section>")  # partials/related.html: outside data-pagefind-body
UNREAD = (b"data-pagefind", b"<h1", b"<img")  # what Pagefind would read outside the body (filters, meta; title, image)


def same_index_text(new: bytes, old: bytes) -> bool:
    """Whether Pagefind indexes the same from two versions of a question page: equal bytes but for the related
    questions block (``RELATED``: outside ``data-pagefind-body``, and checked to hold nothing of ``UNREAD``).

    An edit of a question's title, text or tags changes other questions' related blocks, not what their shards index.
    """
    if new == old:
        return True
    cut_new, cut_old = _without_related(new), _without_related(old)
    return cut_new is not None and cut_new == cut_old


def _without_related(page: bytes) -> bytes | None:
    start = page.find(RELATED[0])
    end = page.find(RELATED[1], start) if start >= 0 else -1
    if end < 0 or page.find(b"data-pagefind-body", start) >= 0:
        return None
    block = page[start:end]
    if any(word in block for word in UNREAD) or block.count(b"<section") != 1:
        return None
    return page[:start] + page[end:]


def changed_index_text(staging: Path, published: Path, pages: Iterable[str]) -> set[str]:
    """The ``pages`` (output names) whose indexed text differs between ``staging`` and ``published`` (or that are
    in only one of them)."""
    changed = set()
    for name in pages:
        try:
            new, old = (staging / name).read_bytes(), (published / name).read_bytes()
        except FileNotFoundError:
            changed.add(name)
            continue
        if not same_index_text(new, old):
            changed.add(name)
    return changed
