"""Markdown to safe HTML with markdown-it-py.

CommonMark plus tables, strikethrough, footnotes and heading anchors. Content
comes from pull requests, so it is untrusted: raw HTML is escaped (shown as
text), links are limited to safe schemes, external links get
``rel="nofollow ugc noopener"``, images from other hosts become plain links
(no reader's browser is sent to another host), and no inline ``style``
attribute is emitted (the CSP forbids them).
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .plain import html_of, paragraphs, simple_html, text_of

EXTERNAL_REL = "nofollow ugc noopener"
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
SUMMARY_LENGTH = 200
MAX_NESTING = 20  # markdown-it's limit on nested blocks: a list level counts 2 (list and item), a quote 1


@dataclass(frozen=True)
class Rendered:
    """HTML, plain text (for summaries, search and similarity) and the links with their body line (0-based)."""

    html: str
    text: str
    links: tuple[tuple[int, str], ...] = ()
    too_deep: int | None = None  # first body line (0-based) the parser would drop for nesting too deep


def is_safe_url(url: str) -> bool:
    """Allow relative URLs, fragments and http(s)/mailto/tel; nothing else."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    scheme = urlsplit(cleaned).scheme.lower()
    return not scheme or scheme in SAFE_SCHEMES


def is_external(url: str) -> bool:
    """True for links that leave the site (they have a host or a scheme)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def _link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if is_external(str(token.attrGet("href") or "")):
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def _image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if not is_external(src):
        token.attrSet("alt", alt)
        token.attrSet("loading", "lazy")
        return self.renderToken(tokens, idx, options, env)
    label = escapeHtml(alt or "image")
    return f'<a href="{escapeHtml(src)}" rel="{EXTERNAL_REL}">{label} (image on another site)</a>'


def _cell_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    if style.startswith("text-align:"):
        token.attrs.pop("style", None)
        token.attrSet("class", f"align-{style.split(':', 1)[1]}")
    return self.renderToken(tokens, idx, options, env)


def _shift_headings(state: StateCore) -> None:
    """Renumber headings so the top one is env['heading_base'] (h2 by default)
    and prefix their ids with env['docId'] so ids stay unique on a page."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not headings:
        return
    base = int(state.env.get("heading_base", 2))
    shift = base - min(int(t.tag[1]) for t in headings)
    prefix = state.env.get("docId")
    for token in headings:
        token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
        if prefix and token.attrGet("id"):
            token.attrSet("id", f"{prefix}-{token.attrGet('id')}")


def _report_dropped_text(md: MarkdownIt) -> None:
    """Note in env['too_deep'] where markdown-it stops reading for nesting (lists, quotes) past maxNesting.

    markdown-it silently skips the rest of a block nested deeper than its limit; the loader turns
    this note into a problem instead of publishing a page with text missing.
    """
    tokenize = md.block.tokenize

    def guarded(state: StateBlock, start: int, end: int) -> None:
        if state.level >= state.md.options.maxNesting and "too_deep" not in state.env:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env["too_deep"] = line
        tokenize(state, start, end)

    md.block.tokenize = guarded  # type: ignore[method-assign]


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one configured parser (building it costs more than a small render)."""
    options = {"html": False, "typographer": False, "xhtmlOut": False, "maxNesting": MAX_NESTING}
    md = MarkdownIt("commonmark", options)
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(anchors_plugin, min_level=1, max_level=6)
    md.core.ruler.push("qa_headings", _shift_headings)
    _report_dropped_text(md)
    md.validateLink = is_safe_url
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.add_render_rule("th_open", _cell_open)
    md.add_render_rule("td_open", _cell_open)
    return md


def render(text: str, *, doc_id: str | None = None, heading_base: int = 2, html: bool = True) -> Rendered:
    """Render Markdown ``text`` to safe HTML and plain text.

    ``doc_id`` prefixes footnote and heading ids so several documents (a
    question and its answers) can share a page without id clashes.
    ``html=False`` (for ``check``): parse only, with the same parser, for the plain text, the links and the
    nesting note, and leave ``html`` empty (turning the tokens into HTML is skipped).
    """
    if html and (done := without_parsing(text)) is not None:
        return done
    return render_parsed(text, doc_id=doc_id, heading_base=heading_base, html=html)


def without_parsing(text: str) -> Rendered | None:
    """``render(text)`` when it needs no parse (whatever the document id and heading level: no heading, no
    footnote), else None: only paragraphs of plain words; or with one-line bullet lists and **strong** words."""
    if (found := paragraphs(text)) is not None and (out := html_of(found)) is not None:
        return Rendered(out, text_of(found))
    if (simple := simple_html(text)) is not None:
        return Rendered(*simple)
    return None


def render_parsed(text: str, *, doc_id: str | None = None, heading_base: int = 2, html: bool = True) -> Rendered:
    """``render`` through markdown-it, whatever the text (no shortcut)."""
    md = parser()
    env: dict[str, Any] = {"heading_base": heading_base}
    if doc_id:
        env["docId"] = doc_id
    tokens = md.parse(text, env)
    out = md.renderer.render(tokens, md.options, env) if html else ""
    return Rendered(out, plain_text(tokens), links(tokens), env.get("too_deep"))


def links(tokens: list[Token]) -> tuple[tuple[int, str], ...]:
    """Every link target with the (0-based) body line of its block."""
    found = []
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        line = token.map[0]
        for child in token.children or []:
            line += child.type in ("softbreak", "hardbreak")
            if child.type == "link_open":
                found.append((line, str(child.attrGet("href"))))
    return tuple(found)


def plain_text(tokens: list[Token]) -> str:
    """The readable text of parsed tokens, whitespace collapsed."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.extend(c.content for c in token.children or [] if c.type in ("text", "code_inline"))
            parts.append(" ")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content + " ")
    return " ".join("".join(parts).split())


def summarize(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first ``length`` characters of ``text``, cut at a word, with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


_IMPORTED_IN = os.getpid()  # the loading process (workers are forked from it)


def render_job(job: tuple[str, str | None, int]) -> Rendered:
    """``render()`` for a worker process: (text, doc_id, heading_base) in."""
    if os.getpid() != _IMPORTED_IN:  # a forked worker: rendering leaves cycles behind
        gc.enable()  # (left as it is in the loading process, which turns it off: its objects live to the end)
    text, doc_id, heading_base = job
    return render(text, doc_id=doc_id, heading_base=heading_base)


def parse_job(job: tuple[str, str | None, int]) -> Rendered:
    """``render(html=False)`` for a worker process (``check``): the text, links and nesting note, no HTML."""
    text, doc_id, heading_base = job
    return render(text, doc_id=doc_id, heading_base=heading_base, html=False)
