"""Read content/people.yml into members by handle: the one reader for the build, `invoke new-*` and importers.

``people_from`` checks every entry against ``schema.PERSON`` and the name rule and returns the
members (``anonymous`` always among them) with the problems; ``read_people`` reads the file from
disk for the editor tools and importers (a missing file means no members yet).
"""

from __future__ import annotations

from pathlib import Path

from ..config.problems import Problem
from ..config.urls import Urls
from . import schema
from .frontmatter import Located, decode, load_yaml
from .model import ANONYMOUS, Person, Verification

PEOPLE_FILE = "people.yml"


def people_from(located: Located | None, rel: str, urls: Urls) -> tuple[dict[str, Person], list[Problem]]:
    """The members of a parsed people.yml (``None``: unreadable) and what is wrong with its entries."""
    people = {ANONYMOUS: Person(handle=ANONYMOUS, name="Anonymous")}
    problems: list[Problem] = []
    for handle, entry in (located.data if located else {}).items():
        line = located.line(handle)
        bad = schema.check_name(handle, taken=located.data)
        if bad:
            problems.append(Problem(rel, line, handle, f"handle '{handle}' {bad.reason}", bad.fix("the handle")))
            continue
        if handle == ANONYMOUS:
            problems.append(Problem(rel, line, handle, "'anonymous' is reserved", "leave it out: every site has it"))
            continue
        if not isinstance(entry, dict):
            fix = "add 'name: Their Name' on the next line, indented"
            problems.append(Problem(rel, line, handle, "must be a mapping of fields", fix))
            continue
        values, found = schema.check(located, schema.PERSON, rel, (handle,))
        problems += found
        people[handle] = Person(
            handle=handle,
            name=values["name"] or handle,
            credentials=values["credentials"],
            bio=values["bio"],
            website=values["url"],
            imported_points=values["points"],
            url=urls.url("user", handle),
        )
        if values["verified"] is not None:
            people[handle].verification, found = _verification(located, rel, handle)
            problems += found
    return people, problems


def _verification(located: Located, rel: str, handle: str) -> tuple[Verification | None, list[Problem]]:
    """The 'verified:' mapping of ``handle`` (checked against ``schema.VERIFIED``); None when it is broken."""
    values, problems = schema.check(located, schema.VERIFIED, rel, (handle, "verified"))
    if problems:
        return None, problems
    line = located.line(handle, "verified")
    return Verification(date=values["date"], by=values["by"], until=values["until"], line=line), []


def read_people(content: Path, urls: Urls | None = None) -> tuple[dict[str, Person], list[Problem]]:
    """content/people.yml read from disk, outside a build; no file: only ``anonymous``, no problem."""
    path = content / PEOPLE_FILE
    rel = f"{content.name}/{PEOPLE_FILE}"
    if not path.is_file():
        return people_from(None, rel, urls or Urls())
    text, problems = decode(path.read_bytes(), rel)
    located, more = load_yaml(text, rel) if text is not None else (None, [])
    people, found = people_from(located, rel, urls or Urls())
    return people, problems + more + found
