"""Warnings and checks across the whole loaded site: links that lead nowhere, tags that look alike,
questions worded like an older one (possible duplicates), personal data (``privacy``) and wording to avoid
(``safe_messaging``) in question and answer text.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping

from ..build import progress
from ..build.cache import Cache
from ..config.problems import Problem, warning
from ..config.urls import Urls
from . import privacy, safe_messaging
from .bodies import Bodies
from .duplicate_pairs import cached_pairs
from .links import LinkSource, check_links
from .model import Question
from .read import Reader
from .site import Site
from .textlint import Text, post_texts

logger = logging.getLogger(__name__)


def broken_links(site: Site, sources: list[LinkSource], urls: Urls) -> list[Problem]:
    """Every internal link in content must point at a page (and answer) the site has."""
    questions = {q.url: q for q in site.questions}
    pages = [t.url for t in site.tags.values()] + [c.url for c in site.categories.values()]
    pages += [p.url for p in site.pages] + [p.url for p in site.people.values() if p.url]
    pages += [urls.url("tag", s) for s in site.synonyms]
    known = set(Urls.FIXED_PAGES) | questions.keys() | set(pages)
    return check_links(sources, pages=known, anchors=_Anchors(questions))


class _Anchors(Mapping[str, set[str]]):
    """Each question URL's answer anchors, made only for the questions a link names with an answer's anchor (a
    load checks every link of the site, and few name an answer: the preview's every edit pays this)."""

    def __init__(self, questions: Mapping[str, Question]) -> None:
        self.questions = questions

    def __getitem__(self, url: str) -> set[str]:
        return {answer.anchor for answer in self.questions[url].answers}

    def __iter__(self) -> Iterator[str]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)


def similar_tags(site: Site) -> list[Problem]:
    """Warn about tags that look like another tag ('panic-attack' / 'panic-attacks')."""
    problems = []
    for rare, common in _alike_kept(tuple(tag.name for tag in site.tag_order)):
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


@functools.lru_cache(maxsize=2)
def _alike_kept(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """``alike_earlier``, kept for the last tag names: the preview's edits but a tags edit keep them (the pairs
    grow with the square of the tags: ~0.05 CPU-s at 10,000 questions' 200 tags)."""
    return alike_earlier(list(names))


def alike_earlier(names: list[str]) -> list[tuple[str, str]]:
    """Each name that looks like an earlier one, with the first such (``_looks_alike`` of every earlier name in
    order; each name's stem made once, not once per pair: the pairs grow with the square of the tags)."""
    stems = [_stem(name) for name in names]
    found = []
    for i, rare in enumerate(names):
        stem = stems[i]
        common = next((names[j] for j in range(i) if stems[j] == stem or _spelled_alike(rare, names[j])), None)
        if common is not None:
            found.append((rare, common))
    return found


def _stem(tag: str) -> str:
    word = tag.replace("-", "")
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix):
            return word.removesuffix(suffix) + replacement
    return word


def _looks_alike(a: str, b: str) -> bool:
    """Same letters without hyphens, same singular, or nearly the same spelling."""
    return _stem(a) == _stem(b) or _spelled_alike(a, b)


def _spelled_alike(a: str, b: str) -> bool:
    """Nearly the same spelling (a ratio of 0.92 or more)."""
    if 2.0 * min(len(a), len(b)) / (len(a) + len(b)) < 0.92:  # real_quick_ratio()'s sum, without making a matcher
        return False
    return _matched_alike(a, b)


@functools.lru_cache(maxsize=1 << 16)  # the live preview checks the same tags again on every edit
def _matched_alike(a: str, b: str) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= 0.92 and matcher.ratio() >= 0.92


def possible_duplicates(
    site: Site, *, threshold: float, processes: int = 1, cache: Cache | None = None, key: str = ""
) -> list[Problem]:
    """A warning on the newer question of each pair worded alike (``threshold``: cosine similarity, 0 to 1).

    ``processes``: QA_RENDER_PROCESSES (0: one per CPU on large sites) to compare the questions in. ``cache``
    (``check``): the pairs are kept, under ``key`` (the content folder), with a digest of everything they depend on
    (``duplicate_pairs.wording_digest``) and reused while no question's wording, date, path or slug and not the
    threshold has changed.
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
    reader: Reader,
    bodies: Bodies,
    *,
    phone_region: str,
    exempt_numbers: set[str],
    exempt_regions: Iterable[str] = (),
    cache: Cache | None = None,
) -> list[Problem]:
    """Privacy and safe-messaging warnings on question titles and question and answer bodies, read from the
    Markdown sources waiting to be rendered (call before ``bodies.render``: nothing is read twice or kept).

    ``exempt_numbers``: phone numbers that may appear (the helplines), read as numbers of ``phone_region`` or
    of ``exempt_regions`` (the helplines' countries); the allowlist and the phrase list are
    read from content/ here (errors in them go to ``reader.problems``). ``cache`` (``check``): each file's
    warnings are kept with the digest of its bytes (``LoadStats.read_digests``: its title and body are those
    bytes') and of the lists and numbers they were found with, and reused while both are the same.
    """
    texts = post_texts(bodies.pending)
    allowed = privacy.allowlist(reader)
    phrases = safe_messaging.phrases(reader)
    exempt = {"exempt_numbers": exempt_numbers, "exempt_regions": list(exempt_regions)}

    def lint(chosen: list[Text]) -> list[Problem]:
        found = privacy.warnings(chosen, allowed, region=phone_region, **exempt)
        return found + safe_messaging.warnings(chosen, phrases)

    digests = reader.stats.read_digests
    if cache is None or digests is None:
        return lint(texts)
    lists = repr((sorted(allowed), phone_region, sorted(exempt_numbers), exempt["exempt_regions"], phrases))
    return _cached_lints(texts, lint, digests, cache, key=str(reader.content.resolve()), lists=lists)


TEXT_LINTS = "check-text-lints"  # the cache's namespace


def _cached_lints(
    texts: list[Text],
    lint: Callable[[list[Text]], list[Problem]],
    digests: dict[str, bytes],
    cache: Cache,
    *,
    key: str,
    lists: str,
) -> list[Problem]:
    """``lint(texts)``, with each file's warnings from ``cache`` while its digest and ``lists`` are the same."""
    lists_digest = hashlib.sha256(lists.encode()).digest()
    stored = cache.get(namespace=TEXT_LINTS, key=key)
    kept: dict[str, tuple[bytes, list[Problem]]] = {}
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == lists_digest and isinstance(stored[1], dict):
        kept = stored[1]
    by_file: dict[str, list[Text]] = {}
    for text in texts:
        by_file.setdefault(text.path, []).append(text)
    problems: list[Problem] = []
    fresh: dict[str, tuple[bytes, list[Problem]]] = {}
    todo: list[Text] = []
    for path, own in by_file.items():
        digest = digests.get(path)
        entry = kept.get(path)
        if digest is not None and entry is not None and _valid(entry) and entry[0] == digest:
            fresh[path] = entry
            problems += entry[1]
        else:
            todo += own
    found = lint(todo)
    for path in {text.path for text in todo}:
        digest = digests.get(path)
        if digest is not None:
            fresh[path] = (digest, [])
    for problem in found:
        if problem.path in fresh:
            fresh[problem.path][1].append(problem)
    if todo or len(fresh) != len(kept):
        try:
            cache.put(namespace=TEXT_LINTS, key=key, value=(lists_digest, fresh))
        except OSError as error:  # a cache that cannot be written only makes the next check slower
            logger.info("could not write the check cache: %s", error)
    return problems + found


def _valid(entry: object) -> bool:
    """True for a kept (digest, problems) entry as ``_cached_lints`` writes it."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], bytes)):
        return False
    return isinstance(entry[1], list) and all(isinstance(problem, Problem) for problem in entry[1])
