"""The browser every benchmark and browser test drives: Debian's Chromium, headless, no request leaving the machine.

One list of flags for Playwright's launches (``tests/conftest.py``, ``transfer``, ``search_page``, ``screens``) and
Lighthouse's ``--chrome-flags`` (``lighthouse``), so what is measured is what is tested.
"""

from __future__ import annotations

import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """The system Chromium's path (never a downloaded one), or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_path() -> str:
    """The system Chromium's path; exits naming the package when it is not installed."""
    path = find_chromium()
    if not path:
        raise SystemExit("Chromium is needed: apt-get install chromium")
    return path
