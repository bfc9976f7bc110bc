"""Handles for the people an import names: new ones made from names, merged with content/people.yml."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..content.model import ANONYMOUS, Person
from ..content.slugs import check_name, slugify, unique_slug
from ..content.values import BIDI_CONTROLS, CONTROL_CHARACTERS

logger = logging.getLogger(__name__)


@dataclass
class ImportedPerson:
    """A people.yml entry the import needs (added only when the handle is new)."""

    handle: str
    name: str
    points: int | None = None
    url: str | None = None
    credentials: str | None = None
    bio: str | None = None

    def entry(self) -> dict[str, Any]:
        """The people.yml fields, in the documented order."""
        values = {"name": self.name, "credentials": self.credentials, "bio": self.bio, "url": self.url}
        values["points"] = self.points
        return {key: value for key, value in values.items() if value is not None}


class People:
    """Handles for the people an import names, merged with content/people.yml.

    A source user keeps one handle for the whole import. A candidate handle is
    taken when another imported user already has it, or when people.yml has it
    for someone else: an existing entry is the same person when its ``url``
    is the user's profile address, or its ``name`` is the user's name.
    """

    def __init__(self, existing: dict[str, Person]) -> None:
        self.existing = existing
        self.by_key: dict[str, ImportedPerson] = {}
        self.by_handle: dict[str, str] = {}

    def add(
        self, key: str, name: str, candidates: list[str], *, points: int | None = None, url: str | None = None
    ) -> str:
        """Return the handle for source user ``key``, registering it on first use."""
        if key in self.by_key:
            person = self.by_key[key]
            if points is not None and (person.points is None or points > person.points):
                person.points = points
            return person.handle
        name = visible(name) or "Member"
        handle = next((h for h in _unique(candidates) if self._free(h, name, url)), None)
        if handle is None:
            logger.warning("no free handle for %s (%s): using %s", key, name, ANONYMOUS)
            return ANONYMOUS
        self.by_key[key] = ImportedPerson(handle, name, points, url)
        self.by_handle[handle] = key
        return handle

    def _free(self, handle: str, name: str, url: str | None) -> bool:
        if handle == ANONYMOUS or check_name(handle) or handle in self.by_handle:
            return False
        entry = self.existing.get(handle)
        if entry is None:
            return True
        return (bool(url) and entry.website == url) or entry.name == name

    def new_entries(self, used: set[str]) -> dict[str, dict[str, Any]]:
        """people.yml entries for the used handles that people.yml does not have yet, sorted."""
        return {
            person.handle: person.entry()
            for person in sorted(self.by_key.values(), key=lambda p: p.handle)
            if person.handle in used and person.handle not in self.existing
        }


def person_slug(name: str) -> str:
    """A handle made from a name, or '' when most of its letters are not Latin ('noɥʇʎԀʎzɐɹƆ', '王小明')."""
    name = visible(name)
    letters = [ch for ch in name if ch.isalnum()]
    latin = sum(unicodedata.normalize("NFKD", ch)[0].isascii() for ch in letters)
    slug = slugify(name, 40)
    return unique_slug(slug) if slug and latin * 2 > len(letters) else ""


def visible(name: str) -> str:
    """A name without the invisible control and text-direction characters `check` refuses, spaces collapsed."""
    return " ".join(BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", name)).split())


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
