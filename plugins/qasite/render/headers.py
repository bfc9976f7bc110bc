"""HTTP security headers, defined once: the ``_headers`` file, the preview server and the docs' snippets.

``_headers`` also lets hosts cache the files named by their content's hash (the theme's stylesheet) for a year.

The build writes ``_headers`` (Netlify / Cloudflare Pages format) into the output; the preview
server (serve.py) reads it back and sends the same headers; ``invoke docs`` writes the nginx and
Apache snippets of docs/security.md from the same values. The Content-Security-Policy is the
site's ``QA_CSP`` (also in every page's <meta>) plus ``frame-ancestors 'none'``, which browsers
only obey in a header.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Sequence

from ..config.urls import Urls

logger = logging.getLogger(__name__)

HEADERS_FILE = Urls.headers

# Powerful features no page of the site uses, denied to it and to anything it could embed.
# Only names Chromium recognises: it logs a console error for unknown ones (interest-cohort, FLoC's
# old name, is gone; browsing-topics is its successor).
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
)

FRAME_ANCESTORS = "frame-ancestors 'none'"

# Files whose name changes with their content (the theme's stylesheet) never change: cache them a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def security_headers(csp: str) -> dict[str, str]:
    """The headers every response of the site gets, for the page policy ``csp`` (QA_CSP)."""
    policy = "; ".join(part for part in (csp.strip().rstrip(";").strip(), FRAME_ANCESTORS) if part)
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": ", ".join(f"{feature}=()" for feature in DENIED_FEATURES),
    }


def headers_file(headers: dict[str, str], *, immutable: Sequence[str] = ()) -> str:
    """``_headers`` in Netlify / Cloudflare Pages format: the headers for every path (``/*``), then a
    year's caching for the path patterns ``immutable`` (files named by their content's hash)."""
    rules = "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())
    return rules + "".join(f"{pattern}\n  Cache-Control: {IMMUTABLE}\n" for pattern in immutable)


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of a ``_headers`` file: (path pattern, [(name, value)...]) in file order."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules: list[tuple[str, list[tuple[str, str]]]], path: str) -> list[tuple[str, str]]:
    """The headers of every rule whose pattern (``*`` matches anything) covers the URL path ``path``."""
    return [header for pattern, headers in rules if fnmatch.fnmatchcase(path, pattern) for header in headers]


def nginx_snippet(headers: dict[str, str]) -> str:
    """The headers as nginx ``add_header`` lines (for a ``server`` block)."""
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items())


def apache_snippet(headers: dict[str, str]) -> str:
    """The headers as Apache ``Header`` lines (mod_headers; for the virtual host or .htaccess)."""
    return "".join(f'Header always set {name} "{value}"\n' for name, value in headers.items())
