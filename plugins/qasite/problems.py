"""Problems found in content: one type, one format, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, as the editor will read it.

    Rendered as ``path:line: field: problem (how to fix)``.
    """

    path: str
    line: int
    field: str | None
    message: str
    fix: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        what = f" {self.field}:" if self.field else ""
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}{what} {self.message}{fix}"


class ContentError(Exception):
    """Raised when content has problems; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """Return the report an editor sees: one problem a line, then a count."""
    lines = [str(p) for p in sorted(problems)]
    count = len(lines)
    lines.append(f"{count} problem{'s' if count != 1 else ''} found.")
    return "\n".join(lines)


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


class SettingsError(BuildError):
    """A bad QA_* setting, or a Pelican setting the plugin needs."""
