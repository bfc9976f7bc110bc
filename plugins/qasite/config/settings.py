"""QA_* settings: defaults in one place, and a check that names any bad key."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

import phonenumbers

from .clock import check_dated_settings
from .url_rules import SETTINGS as URL_SETTINGS
from .url_rules import check_patterns
from .urls import Urls

DEFAULTS: dict[str, Any] = {
    "QA_SITE_DESCRIPTION": "Questions and answers from our community.",
    "QA_PER_PAGE": 30,
    "QA_RELATED_COUNT": 5,
    "QA_SEARCH": True,
    "QA_RENDER_PROCESSES": 0,
    # Search shards (render/search_shards.py): question pages per shard, and Pagefind runs at once.
    "QA_SEARCH_SHARD_SIZE": 5000,
    "QA_SEARCH_SHARD_JOBS": 1,
    "QA_SEARCH_SCRATCH": "/dev/shm",  # the page copies Pagefind reads, in memory where it has room (scratch.py)
    "QA_DUPLICATE_THRESHOLD": 0.5,
    "QA_PHONE_REGION": "GB",
    "QA_NAV": [
        ("Top questions", Urls.home),
        ("Newest", Urls.newest),
        ("Unanswered", Urls.unanswered),
        ("Categories", Urls.categories),
        ("Tags", Urls.tags),
    ],
    "QA_CSP": (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'"
    ),
    "QA_REPO_URL": "",
    "QA_REPO_BRANCH": "main",
    "QA_QUESTION_URL": Urls.question,
    "QA_CATEGORY_URL": Urls.category,
    "QA_TAG_URL": Urls.tag,
    "QA_USER_URL": Urls.user,
    "QA_PAGE_URL": Urls.page,
    # The footer's care notice, plain text; "" or None: none.
    "QA_MEDICAL_NOTICE": (
        "Not a substitute for professional care. In a crisis, call or text your local emergency number."
    ),
    "QA_TODAY": None,
    "QA_VERIFICATION_VALID_DAYS": 365,
    "QA_REVIEW_INTERVAL_DAYS": 365,
    "QA_VERIFICATION_INTRO": (
        "Some members are licensed professionals. Before a member gets the badge, an editor checks their licence "
        "against the regulator's public register and confirms their identity, and checks again when it runs out."
    ),
    # Help in a crisis: the country whose helplines come first ('' : none, countries by name only),
    # and how old a helpline's verified_on may be before check warns.
    "QA_DEFAULT_COUNTRY": "",
    "QA_HELPLINE_MAX_AGE_DAYS": 183,
    # Where check and incremental builds keep reusable work (build/cache.py); relative to the working folder.
    "QA_CACHE_PATH": ".cache/qasite",
}
# Settings whose default is None, and the types they may be set to instead.
OPTIONAL: dict[str, tuple[type, ...]] = {"QA_TODAY": (str, dt.date)}

# Settings that may also be None (off).
NULLABLE = {"QA_MEDICAL_NOTICE"}

# Pelican settings this plugin relies on: it reads content/ itself.
REQUIRED_PELICAN: dict[str, Any] = {"ARTICLE_PATHS": [], "PAGE_PATHS": [], "DIRECT_TEMPLATES": []}


def with_defaults(settings: dict[str, Any]) -> dict[str, Any]:
    """Fill in every QA_* default the site did not set (in place; returned)."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    return settings


def check_settings(settings: dict[str, Any]) -> list[str]:
    """Return one message per bad setting: unknown QA_* keys, wrong types, conflicts."""
    errors = []
    for key in sorted(k for k in settings if k.startswith("QA_") and k not in DEFAULTS):
        close = difflib.get_close_matches(key, list(DEFAULTS), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        errors.append(f"unknown setting {key}{hint}")
    for key, default in DEFAULTS.items():
        allowed = (type(None), *OPTIONAL[key]) if default is None else (type(default),)
        allowed += (type(None),) if key in NULLABLE else ()
        if key in settings and not isinstance(settings[key], allowed):
            name = type(default).__name__ if default is not None else allowed[-1].__name__
            errors.append(f"setting {key} must be a {name}, got {settings[key]!r}")
            continue
        if key.endswith("_DAYS") and isinstance(settings.get(key), int) and settings[key] < 1:
            errors.append(f"setting {key} must be 1 or more")
    for key in ("QA_PER_PAGE", "QA_SEARCH_SHARD_SIZE", "QA_SEARCH_SHARD_JOBS"):
        if isinstance(settings.get(key), int) and settings[key] < 1:
            errors.append(f"setting {key} must be 1 or more")
    errors += check_dated_settings(settings)
    region = settings.get("QA_PHONE_REGION")
    if isinstance(region, str) and region not in phonenumbers.SUPPORTED_REGIONS:
        message = "must be a two-letter country code in capitals, like GB or US"
        errors.append(f"setting QA_PHONE_REGION {message}, got {region!r}")
    for key, value in REQUIRED_PELICAN.items():
        if settings.get(key) != value:
            errors.append(f"setting {key} must be {value!r}: the qasite plugin reads content/ itself")
    if all(isinstance(settings.get(key, DEFAULTS[key]), str) for key in URL_SETTINGS.values()):
        errors += check_patterns(urls_from(with_defaults(dict(settings))))
    return errors


def urls_from(settings: dict[str, Any]) -> Urls:
    """The URL patterns configured by QA_*_URL."""
    return Urls(**{kind: settings[key] for kind, key in URL_SETTINGS.items()})
