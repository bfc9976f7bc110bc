"""QA_* settings: defaults in one place, and a check that names any bad key."""

from __future__ import annotations

import difflib
from typing import Any

import phonenumbers

from .url_rules import SETTINGS as URL_SETTINGS
from .url_rules import check_patterns
from .urls import Urls

DEFAULTS: dict[str, Any] = {
    "QA_SITE_DESCRIPTION": "Questions and answers from our community.",
    "QA_PER_PAGE": 30,
    "QA_RELATED_COUNT": 5,
    "QA_SEARCH": True,
    "QA_RENDER_PROCESSES": 0,
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
}

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
        if key in settings and not isinstance(settings[key], type(default)):
            errors.append(f"setting {key} must be a {type(default).__name__}, got {settings[key]!r}")
    if isinstance(settings.get("QA_PER_PAGE"), int) and settings["QA_PER_PAGE"] < 1:
        errors.append("setting QA_PER_PAGE must be 1 or more")
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
