"""Safe-messaging lint: wording about suicide that the guidelines ask writers to avoid, as warnings for editors.

The phrases come from content/safe-messaging.yml (optional: no file, no lint), each with the wording to
use instead and why. A phrase matches whole words, in any case, across a line break or a hyphen, and with
an -s or -es on its last word ("suicide victims"); other forms are entries of their own. The text is never
changed: an editor rewrites it, or ends the line with ``<!-- safe-messaging: ok -->`` (quoting the phrase
to discuss it, say). Method detail is out of reach of a word list: that stays the editors' review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..config.problems import Problem, warning
from . import schema
from .read import Reader
from .textlint import Text

FIELD = "safe-messaging"
PHRASES_FILE = "safe-messaging.yml"
WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Phrase:
    """A phrase to avoid, the wording to use instead, and why."""

    avoid: str
    instead: str
    why: str | None = None


def phrases(reader: Reader) -> list[Phrase]:
    """The entries of content/safe-messaging.yml (none when there is no such file)."""
    path = reader.content / PHRASES_FILE
    if not reader.tree.exists(path) and path not in reader.tree.refused:
        return []
    located = reader.yaml_file(PHRASES_FILE)
    found = []
    for avoid, entry in (located.data if located else {}).items():
        line = located.line(avoid)
        if not WORD.search(avoid):
            reader.report(path, line, avoid, "a phrase to avoid needs at least one word", "write the words to look for")
            continue
        if not isinstance(entry, dict):
            fix = "add 'instead: <better wording>' under it, indented"
            reader.report(path, line, avoid, "must be a mapping with the wording to use instead", fix)
            continue
        values, problems = schema.check(located, schema.SAFE_MESSAGING, reader.rel(path), (avoid,))
        reader.problems += problems
        if not problems:
            found.append(Phrase(avoid, values["instead"], values["why"]))
    return found


def pattern(entry: Phrase) -> re.Pattern[str]:
    """The expression for one phrase: its words in any case, whole, joined by spaces, line breaks or hyphens."""
    words = r"[\s-]+".join(re.escape(word) for word in entry.avoid.split())
    return re.compile(rf"(?<!\w){words}(?:e?s)?(?!\w)", re.I)


def warnings(texts: Iterable[Text], entries: list[Phrase]) -> list[Problem]:
    """A warning for each phrase to avoid found in ``texts`` (outside lines marked ``safe-messaging: ok``).

    Where phrases overlap ("failed suicide attempt", "failed suicide"), the longest match is the one reported.
    """
    if not entries:
        return []
    # A phrase can match only where each of its words is in the text: a quick test before the expression.
    checks = [([word.lower() for word in entry.avoid.split()], pattern(entry), entry) for entry in entries]
    problems = []
    for text in texts:
        lowered = text.text.lower()
        matches = [
            (m.start(), -len(m.group()), m.group(), entry)
            for words, expression, entry in checks
            if all(word in lowered for word in words)
            for m in expression.finditer(text.text)
        ]
        end, skip = 0, text.exempt_lines(FIELD) if matches else set()
        for start, length, written, entry in sorted(matches, key=lambda m: m[:2]):
            if start < end:
                continue  # inside a longer match
            end, line = start - length, text.line_of(start)
            if line not in skip:
                fix = f'write "{entry.instead}"' + (f": {entry.why}" if entry.why else "")
                problems.append(warning(text.path, line, FIELD, f'"{" ".join(written.split())}"', fix))
    return problems
