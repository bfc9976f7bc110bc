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


def pattern(entries: list[Phrase]) -> re.Pattern[str] | None:
    """One expression matching any phrase (the longest first), group ``p<i>`` for ``entries[i]``."""
    if not entries:
        return None
    alternatives = []
    for i, entry in sorted(enumerate(entries), key=lambda item: -len(item[1].avoid)):
        words = r"[\s-]+".join(re.escape(word) for word in entry.avoid.split())
        alternatives.append(rf"(?P<p{i}>(?<!\w){words}(?:e?s)?(?!\w))")
    return re.compile("|".join(alternatives), re.I)


def warnings(texts: Iterable[Text], entries: list[Phrase]) -> list[Problem]:
    """A warning for each phrase to avoid found in ``texts`` (outside lines marked ``safe-messaging: ok``)."""
    expression = pattern(entries)
    if expression is None:
        return []
    problems = []
    for text in texts:
        skip = text.exempt_lines(FIELD)
        for m in expression.finditer(text.text):
            line = text.line_of(m.start())
            if line in skip:
                continue
            entry = entries[int(str(m.lastgroup)[1:])]
            fix = f'write "{entry.instead}"' + (f": {entry.why}" if entry.why else "")
            problems.append(warning(text.path, line, FIELD, f'"{" ".join(m.group().split())}"', fix))
    return problems
