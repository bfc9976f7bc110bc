"""Category reviewers for a pull request: from the changed files to GitHub logins.

CODEOWNERS routes by path, but a question's category is a front-matter field,
so the Check workflow asks ``invoke reviewers`` whom to request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath


def changed_questions(paths: Iterable[str]) -> set[str]:
    """Slugs of the questions whose files (question or answers) changed."""
    slugs = set()
    for path in paths:
        parts = PurePosixPath(path).parts
        if len(parts) >= 4 and parts[:2] == ("content", "questions"):
            slugs.add(parts[2])
    return slugs


def reviewers_for(
    paths: Iterable[str], *, category_of: Mapping[str, str], reviewers: Mapping[str, list[str]]
) -> list[str]:
    """Sorted logins to request for the changed ``paths``.

    ``category_of`` maps question slugs to category names; ``reviewers`` maps
    category names to logins (from .github/category-reviewers.yml).
    """
    categories = {category_of[s] for s in changed_questions(paths) if s in category_of}
    return sorted({login for c in categories for login in reviewers.get(c, [])})
