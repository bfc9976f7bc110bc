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
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        """Errors stop the build; warnings are reported and (except in strict mode) let it go on."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}:" + ("" if self.is_error else " warning:")
        what = f" {printable(self.field)}:" if self.field else ""
        fix = f" ({printable(self.fix)})" if self.fix else ""
        return f"{where}{what} {printable(self.message)}{fix}"


def printable(text: str) -> str:
    """``text`` with what a terminal would not show as itself (line breaks, escape codes, bidi controls, lone
    surrogates from undecodable file names) escaped as repr() does, so one problem stays one readable line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


def warning(path: str, line: int, field: str | None, message: str, fix: str | None = None) -> Problem:
    """A Problem that does not stop the build."""
    return Problem(path, line, field, message, fix, "warning")


class ContentError(Exception):
    """Raised when content has problems; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def format_problems(problems: list[Problem]) -> str:
    """Return the report an editor sees: one problem a line, then a count."""
    lines = [str(p) for p in sorted(problems)]
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    counts = [_plural(errors, "problem")] if errors else []
    counts += [_plural(warnings, "warning")] if warnings else []
    lines.append(f"{' and '.join(counts)} found.")
    return "\n".join(lines)


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


class SettingsError(BuildError):
    """A bad QA_* setting, or a Pelican setting the plugin needs."""
