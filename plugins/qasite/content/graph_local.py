"""Changes that can move no unit signature of the site graph but the questions' own (``graph_units``).

A unit's signature holds everything its call reads from the site to decide which parts it reads and what its
outputs list (``graph_units``). No signature holds a post's Markdown text, nor a person's name, credentials, bio or
website: those are read as parts, through edges. So when every change found is one of those, the listings, feeds,
member pages, points, indexes, trust pages, pages, llms.txt and the sitemap keep their signatures, and only the
questions' own units (their page, row and Markdown alternate) can change: a question's page through its related
list, which a text edit moves (``related_update``). ``graph_update`` then plans only those (``QUESTION_ONLY``):
planning every unit of a 10,000-question site costs ~0.2 CPU-s an edit, the questions' own ~0.03.

A change that is not one of these (a front-matter key, a file added, removed or not recognised, another YAML file
or entry, a page's text) plans every unit, as before. ``tests/test_graph_local.py`` edits each of these fields and
checks that no other unit's signature moves; it fails when a signature starts reading one of them.
"""

from __future__ import annotations

from collections.abc import Iterable

from .graph import PEOPLE, TEXT

Change = tuple[str, str | None, str | None]  # (path, entry, field) as SiteGraph.feeds takes them

PERSON_FIELDS = frozenset({"name", "credentials", "bio", "url"})  # people.yml fields no unit signature reads


def questions_only(found: Iterable[Change], content: str) -> bool:
    """Whether the changes ``found`` (``build.changes.changes``) can move only the questions' own unit signatures: each
    is the text of a question or an answer, or a ``PERSON_FIELDS`` field of a people.yml entry."""
    people = f"{content}/{PEOPLE}"
    for path, entry, part in found:
        if path == people:
            if entry is None or part not in PERSON_FIELDS:
                return False
        elif part != TEXT or entry is not None or not _post(path, content):
            return False
    return True


def _post(path: str, content: str) -> bool:
    """A question's file (content/questions/<folder>/index.md) or an answer's (.../answers/<name>.md)."""
    parts = path.split("/")
    if parts[:2] != [content, "questions"]:
        return False
    if len(parts) == 4:
        return parts[3] == "index.md"
    return len(parts) == 5 and parts[3] == "answers" and parts[4].endswith(".md")
