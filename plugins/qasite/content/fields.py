"""A field table's checker: ``Field`` (one field of a file kind) and ``check()``, which applies a table.

``check()`` converts the raw YAML values of a mapping by its table and reports every problem (a
missing required field, a value its converter refuses, an unknown key with the closest real one),
each with file, line and fix. The tables themselves are in ``schema``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config.problems import Problem
from .frontmatter import Located
from .values import FieldError


@dataclass(frozen=True)
class Field:
    """One front-matter field: name, converter, whether required, and help."""

    name: str
    convert: Callable[[Any], Any]
    required: bool = False
    default: Any = None
    help: str = ""
    example: str = ""


def check(
    meta: Located, fields: tuple[Field, ...], rel: str, prefix: tuple[str, ...] = ()
) -> tuple[dict[str, Any], list[Problem]]:
    """Convert the mapping at ``prefix`` by ``fields``; report every problem."""
    data = meta.data
    for part in prefix:
        data = data[part]
    values: dict[str, Any] = {}
    problems = _unknown_keys(meta, data, fields, rel, prefix)
    for spec in fields:  # the usual case inline (a check runs this for every field of every file)
        value = data.get(spec.name)
        if value is None and not spec.required:
            values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = None if value is None else spec.convert(value)
        except FieldError as err:
            values[spec.name] = None
            problems.append(_refused(meta, spec, rel, prefix, err))
            continue
        if value is None:
            problems.append(_missing(meta, spec, rel, prefix))
    return values, problems


def _missing(meta: Located, spec: Field, rel: str, prefix: tuple[str, ...]) -> Problem:
    fix = f"add '{spec.name}: {spec.example}'" + (" under it" if prefix else " to the front matter")
    return Problem(rel, meta.line(*prefix), ".".join((*prefix, spec.name)), "required field is missing", fix)


def _refused(meta: Located, spec: Field, rel: str, prefix: tuple[str, ...], err: FieldError) -> Problem:
    label = ".".join((*prefix, spec.name))
    return Problem(rel, meta.line(*prefix, spec.name), label, err.message, err.fix)


def _unknown_keys(
    meta: Located, data: dict[str, Any], fields: tuple[Field, ...], rel: str, prefix: tuple[str, ...]
) -> list[Problem]:
    names = [spec.name for spec in fields]
    problems = []
    for key in data:
        if key in names:
            continue
        close = difflib.get_close_matches(key, names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        fix = f"{hint}allowed fields: {', '.join(names)}"
        line = meta.line(*prefix, key)
        problems.append(Problem(rel, line, ".".join((*prefix, key)), "unknown field", fix))
    return problems
