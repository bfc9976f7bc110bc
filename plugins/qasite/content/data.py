"""The YAML data files: people.yml (members), categories.yml, tags.yml (synonyms and descriptions)."""

from __future__ import annotations

from typing import Any

from ..config.problems import Problem
from ..config.urls import Urls
from . import rules, schema
from .model import Category
from .people import PEOPLE_FILE, people_from
from .read import Reader
from .site import Site
from .slugs import category_slug


def load_people(reader: Reader, site: Site, urls: Urls) -> None:
    """Every member from people.yml, and the anonymous placeholder (the one reader: ``people.people_from``)."""
    located = reader.yaml_file(PEOPLE_FILE)
    people, problems = people_from(located, reader.rel(reader.content / PEOPLE_FILE), urls)
    site.people.update(people)
    reader.problems += problems


def load_categories(reader: Reader, site: Site, urls: Urls) -> None:
    """Every category from categories.yml, each with its own URL slug."""
    located = reader.yaml_file("categories.yml")
    path = reader.content / "categories.yml"
    slugs: dict[str, str] = {}
    for name, entry in (located.data if located else {}).items():
        line, slug = located.line(name), category_slug(name)
        if not isinstance(entry, dict):
            fix = "add 'description:' and 'order:' under it, indented"
            reader.report(path, line, name, "must be a mapping of fields", fix)
            continue
        try:
            schema.check_characters(name)
        except schema.FieldError as err:
            reader.report(path, line, repr(name)[1:-1], err.message, err.fix)  # repr: shows the invisible character
            continue
        if reader.broken(path, line, name, rules.category_clash(slug, slugs)):
            continue
        slugs[slug] = name
        bad = schema.check_name(slug)
        if bad:
            reader.report(path, line, name, f"the category's URL slug '{slug}' {bad.reason}", "rename the category")
            continue
        values, problems = schema.check(located, schema.CATEGORY, reader.rel(path), (name,))
        reader.problems += problems
        site.categories[name] = Category(
            name=name,
            slug=slug,
            description=values["description"] or "",
            order=values["order"] or 0,
            sensitive=values["sensitive"],
            url=urls.url("category", slug),
            content_note=values["content_note"],
            review_interval_days=values["review_interval_days"],
        )


def load_tags(reader: Reader, site: Site) -> dict[str, dict[str, Any]]:
    """The synonyms from tags.yml (into ``site.synonyms``); return each tag's fields (description, content note)."""
    path = reader.content / "tags.yml"
    descriptions: dict[str, dict[str, Any]] = {}
    if not reader.tree.exists(path) and path not in reader.tree.refused:
        return descriptions
    located = reader.yaml_file("tags.yml")
    for name, entry in (located.data if located else {}).items():
        bad = schema.check_name(name, taken=located.data)
        if bad:
            reader.report(path, located.line(name), name, f"tag '{name}' {bad.reason}", bad.fix("the tag"))
            continue
        if isinstance(entry, dict):
            values, problems = schema.check(located, schema.TAG, reader.rel(path), (name,))
        else:
            fix = "add 'synonyms: [other-name]' under it, indented"
            values, problems = (
                {"synonyms": []},
                [Problem(reader.rel(path), located.line(name), name, "must be a mapping", fix)],
            )
        reader.problems += problems
        descriptions[name] = values
        for synonym in values["synonyms"] or []:
            if synonym in site.synonyms or synonym in located.data:
                reader.report(
                    path,
                    located.line(name, "synonyms"),
                    f"{name}.synonyms",
                    f"'{synonym}' is already a tag or another tag's synonym",
                    "list each synonym once",
                )
            site.synonyms[synonym] = name
    return descriptions
