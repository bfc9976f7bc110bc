"""Parts of pages rendered once per build and reused: the ``qa_once`` template global.

Every page repeats the same header, footer and scripts block, and the same icons and vote counts; rendering
each of them again for each of 10,000 question pages was a sizeable share of the render's CPU. A template
wraps such a part in a call block naming what its HTML depends on::

    {% call qa_once("votes", n, hide_label, modifier) %}...{% endcall %}

The first call with a key renders the block; every later call with the same key returns that HTML. The key
must hold everything the block reads that is not the same for the whole build (the build's settings, URL map
and pages are: each build, and so each preview rebuild, gets a cache of its own from ``once_global``). Plain
values (str, int, bool, None) count by value; any other object (a person) by identity, and is kept alive for
the build so that its ``id()`` is not reused: such an object must not change while the pages are written.
``tests/test_once.py`` builds sites with the cache and without it and compares every file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

IDENTITY = object()  # marks an object keyed by its id() (no plain value equals the pair)
TRUTH = object()  # marks a bool, which would otherwise equal 1 or 0


def once_global() -> Callable[..., Markup]:
    """A ``qa_once(name, *key, caller)`` with a cache of its own (one per build: see the module's docstring)."""
    cache: dict[tuple[Any, ...], Markup] = {}
    keep: list[Any] = []  # the objects keyed by identity, alive until the build ends

    def qa_once(name: str, *key: Any, caller: Callable[[], Markup]) -> Markup:
        full = (name, *map(_part, key))
        found = cache.get(full)
        if found is None:
            found = cache[full] = Markup(caller())
            keep.append(key)
        return found

    return qa_once


def _part(part: Any) -> Any:
    """A key's part as the cache compares it: str, int and None by value, a bool apart, anything else by id."""
    kind = type(part)
    if kind is str or kind is int or part is None:
        return part
    return (TRUTH, part) if kind is bool else (IDENTITY, id(part))


def uncached(name: str, *key: Any, caller: Callable[[], Markup]) -> Markup:
    """``qa_once`` without its cache: every call renders its block (to compare with the cached output)."""
    return Markup(caller())
