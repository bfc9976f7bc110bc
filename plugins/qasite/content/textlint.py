"""What the text lints (``privacy``, ``safe_messaging``) read: question and answer text with its file lines.

The lints read the Markdown source as written (link targets and code blocks included: what is in the
source is published), before rendering, from the bodies already queued for it: no file is read again
and no source is kept after rendering. A line ending with an exemption marker such as
``<!-- privacy: ok -->`` is skipped by that lint; ``strip_markers`` removes the markers before rendering
(raw HTML is escaped, so a marker left in would show).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Answer, Question

if TYPE_CHECKING:  # bodies imports strip_markers from here
    from .bodies import Pending

# An exemption marker: an HTML comment at the very end of a line, naming the lint it silences.
MARKER = re.compile(r"[ \t]*<!--[ \t]*(privacy|safe-messaging)[ \t]*:[ \t]*ok[ \t]*-->[ \t]*$", re.M)


@dataclass(frozen=True)
class Text:
    """A question title or a question's or answer's Markdown body, and the file line of its first line."""

    path: str
    line: int
    text: str

    def line_of(self, offset: int) -> int:
        """The file line of the character at ``offset``."""
        return self.line + self.text.count("\n", 0, offset)

    def exempt_lines(self, lint: str) -> set[int]:
        """The file lines ending with ``<!-- {lint}: ok -->``."""
        if "<!--" not in self.text:
            return set()
        return {self.line_of(m.start()) for m in MARKER.finditer(self.text) if m.group(1) == lint}


def post_texts(pending: Iterable[Pending]) -> list[Text]:
    """The titles and bodies of the questions and answers waiting to be rendered (pages are not linted)."""
    texts = []
    for item in pending:
        post = item.post
        if isinstance(post, Question):
            texts.append(Text(post.source_path, post.lines.get("title", 1), post.title))
        if isinstance(post, (Question, Answer)):
            texts.append(Text(post.source_path, item.body_line, item.body))
    return texts


def strip_markers(body: str) -> str:
    """``body`` without the exemption markers at line ends (lines keep their numbers)."""
    return MARKER.sub("", body) if "<!--" in body else body
