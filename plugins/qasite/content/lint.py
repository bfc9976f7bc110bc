"""Warnings and checks across the whole loaded site: links that lead nowhere, tags that look alike,
questions worded like an older one (possible duplicates), personal data (``privacy``) and wording to avoid
(``safe_messaging``) in question and answer text.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable

from ..build import progress
from ..build.cache import Cache
from ..config.problems import Problem, warning
from ..config.urls import Urls
from . import privacy, safe_messaging
from .bodies import Bodies
from .links import LinkSource, check_links
from .read import Reader
from .related import cached_pairs
from .site import Site
from .textlint import post_texts


def broken_links(site: Site, sources: list[LinkSource], urls: Urls) -> list[Problem]:
    """Every internal link in content must point at a page (and answer) the site has."""
    pages = [q.url for q in site.questions] + [t.url for t in site.tags.values()]
    pages += [c.url for c in site.categories.values()] + [p.url for p in site.pages]
    pages += [p.url for p in site.people.values() if p.url] + [urls.url("tag", s) for s in site.synonyms]
    anchors = {q.url: {a.anchor for a in q.answers} for q in site.questions}
    return check_links(sources, pages=set(Urls.FIXED_PAGES) | set(pages), anchors=anchors)


def similar_tags(site: Site) -> list[Problem]:
    """Warn about tags that look like another tag ('panic-attack' / 'panic-attacks')."""
    names = [tag.name for tag in site.tag_order]
    problems = []
    for i, rare in enumerate(names):
        common = next((n for n in names[:i] if _looks_alike(rare, n)), None)
        if common:
            first = site.by_tag[rare][0]
            problems.append(
                warning(
                    first.source_path,
                    1,
                    "tags",
                    f"'{rare}' looks like the tag '{common}'",
                    f"use '{common}', or list '{rare}' under '{common}: synonyms:' in content/tags.yml",
                )
            )
    return problems


def _stem(tag: str) -> str:
    word = tag.replace("-", "")
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix):
            return word.removesuffix(suffix) + replacement
    return word


@functools.lru_cache(maxsize=1 << 16)  # the live preview checks the same tags again on every edit
def _looks_alike(a: str, b: str) -> bool:
    """Same letters without hyphens, same singular, or nearly the same spelling."""
    if _stem(a) == _stem(b):
        return True
    if 2 * min(len(a), len(b)) < 0.92 * (len(a) + len(b)):  # real_quick_ratio() < 0.92, without a matcher
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.92 and matcher.ratio() >= 0.92


def possible_duplicates(
    site: Site, *, threshold: float, processes: int = 1, cache: Cache | None = None, key: str = ""
) -> list[Problem]:
    """A warning on the newer question of each pair worded alike (``threshold``: cosine similarity, 0 to 1).

    ``processes``: QA_RENDER_PROCESSES (0: one per CPU on large sites) to compare the questions in. ``cache``
    (``check``): the pairs are kept, under ``key`` (the content folder), with a digest of everything they depend on
    (``related.wording_digest``) and reused while no question's wording, date, path or slug and not the threshold
    has changed.
    """
    with progress.phase("comparing", unit="questions", count=len(site.questions)):  # one call: no steps to count
        pairs = cached_pairs(site, threshold=threshold, processes=processes, cache=cache, key=key)
    return [
        warning(
            newer.source_path,
            1,
            None,
            f"possible duplicate of {older.source_path} (similarity {score:.2f})",
            "if it asks the same thing, move its answers to the older question and remove this one",
        )
        for newer, older, score in pairs
    ]


def text_warnings(
    reader: Reader, bodies: Bodies, *, phone_region: str, exempt_numbers: set[str], exempt_regions: Iterable[str] = ()
) -> list[Problem]:
    """Privacy and safe-messaging warnings on question titles and question and answer bodies, read from the
    Markdown sources waiting to be rendered (call before ``bodies.render``: nothing is read twice or kept).

    ``exempt_numbers``: phone numbers that may appear (the helplines), read as numbers of ``phone_region`` or
    of ``exempt_regions`` (the helplines' countries); the allowlist and the phrase list are
    read from content/ here (errors in them go to ``reader.problems``).
    """
    texts = post_texts(bodies.pending)
    allowed = privacy.allowlist(reader)
    exempt = {"exempt_numbers": exempt_numbers, "exempt_regions": exempt_regions}
    found = privacy.warnings(texts, allowed, region=phone_region, **exempt)
    return found + safe_messaging.warnings(texts, safe_messaging.phrases(reader))
