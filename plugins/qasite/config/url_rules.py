"""Rules for the QA_*_URL patterns, checked with the other settings.

A pattern is a site-relative folder address with ``{slug}`` once (``q/{slug}/``). Each kind
of page gets a folder of its own that no other kind and no fixed address (feeds/, theme/,
pagefind/, search/, the listings...) uses; only a pattern that starts with ``{slug}``, like
pages' ``{slug}/``, shares the top level, and then the names the site uses are reserved.
"""

from __future__ import annotations

import re

from .urls import INDEX_FILE, KINDS, SLUG, Urls

SETTINGS = {
    "question": "QA_QUESTION_URL",
    "category": "QA_CATEGORY_URL",
    "tag": "QA_TAG_URL",
    "user": "QA_USER_URL",
    "page": "QA_PAGE_URL",
}
LITERAL_RE = re.compile(r"[a-z0-9._~/-]*")
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_patterns(urls: Urls) -> list[str]:
    """One message per bad QA_*_URL pattern: its form first, then clashes between addresses."""
    errors = []
    for kind in KINDS:
        pattern = str(getattr(urls, kind))
        problem = pattern_problem(pattern, str(getattr(Urls, kind)))
        if problem:
            errors.append(f"setting {SETTINGS[kind]} = {pattern!r}: {problem}")
    return errors or clashes(urls)


def pattern_problem(pattern: str, default: str) -> str | None:
    """What is wrong with the form of ``pattern`` and how to fix it, or None."""
    like = f"like {default!r}"
    if pattern.count(SLUG) != 1:
        return f"must contain {SLUG} exactly once ({like})"
    if "\\" in pattern:
        return f"must separate folders with '/', not '\\' (write {pattern.replace(chr(92), '/')!r})"
    if SCHEME_RE.match(pattern) or pattern.startswith("//"):
        return f"must be an address on this site, without a scheme or host ({like})"
    if pattern.startswith("/"):
        return f"must be relative to the site, without a leading '/' (write {pattern.lstrip('/')!r})"
    if not pattern.endswith("/"):
        return f"must end with '/': each page is saved as <address>{INDEX_FILE} (write {pattern + '/'!r})"
    folders = pattern[:-1].split("/")
    if any(not folder or folder.startswith(".") for folder in folders):
        return f"must not contain '..', empty folders ('//') or folders starting with '.' ({like})"
    if not LITERAL_RE.fullmatch(pattern.replace(SLUG, "")):
        return f"may only contain lowercase letters, digits, '-', '_', '.', '~' and '/' besides {SLUG} ({like})"
    return None


def clashes(urls: Urls) -> list[str]:
    """Patterns that could give an address another kind or the site itself uses."""
    errors = []
    for i, kind in enumerate(KINDS):
        errors += _fixed_clashes(urls, kind)
        for other in KINDS[i + 1 :]:
            if _can_clash(urls, kind, other):
                blamed, partner = _blame(urls, kind, other)
                errors.append(
                    f"setting {SETTINGS[blamed]} = {getattr(urls, blamed)!r}: could give the same addresses as "
                    f"{SETTINGS[partner]} = {getattr(urls, partner)!r} "
                    f"(give each kind a folder of its own, like {getattr(Urls, blamed)!r})"
                )
    return errors


def _fixed_clashes(urls: Urls, kind: str) -> list[str]:
    pattern, folder = str(getattr(urls, kind)), urls.folder(kind)
    if folder:
        taken = sorted(a for a, owner in Urls.FIXED.items() if owner != kind and _nested(folder, a))
        problem, fix = "would put pages inside the site's own", "use another folder"
    elif kind == "page":
        return []  # the loader rejects pages named like the site's own addresses (Urls.reserved_slugs)
    else:
        taken = sorted(name + "/" for name in urls.taken_names(kind) if urls.top_slug(kind, name))
        problem, fix = "could take addresses the site uses:", "start with a folder of its own"
    if not taken:
        return []
    return [
        f"setting {SETTINGS[kind]} = {pattern!r}: {problem} {', '.join(taken)} ({fix}, like {getattr(Urls, kind)!r})"
    ]


def _nested(a: str, b: str) -> bool:
    """Whether one address is, or is inside, the other: 'feeds/x/' and 'feeds/' are."""
    first, second = a.strip("/").split("/"), b.strip("/").split("/")
    size = min(len(first), len(second))
    return first[:size] == second[:size]


def _can_clash(urls: Urls, kind: str, other: str) -> bool:
    folder, other_folder = urls.folder(kind), urls.folder(other)
    if folder and other_folder:
        return _nested(folder, other_folder)
    if folder or other_folder:
        # One starts with {slug}: only the page kind may, its slugs reserved; any other is reported alone.
        return False
    return _heads_overlap(str(getattr(urls, kind)).split("/")[0], str(getattr(urls, other)).split("/")[0])


def _heads_overlap(first: str, second: str) -> bool:
    """Whether 'a{slug}b' and 'c{slug}d' could name the same folder (erring towards yes)."""
    (a, b), (c, d) = first.split(SLUG), second.split(SLUG)
    return (a.startswith(c) or c.startswith(a)) and (b.endswith(d) or d.endswith(b))


def _blame(urls: Urls, kind: str, other: str) -> tuple[str, str]:
    """The setting to report (the changed one, else the later) and its partner."""
    if getattr(urls, other) == getattr(Urls, other) and getattr(urls, kind) != getattr(Urls, kind):
        return kind, other
    return other, kind
