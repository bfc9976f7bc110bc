"""The theme's one stylesheet: ``theme/css/site.css`` and the parts it lists, bundled at build time.

``site.css`` lists the parts in cascade order, one ``@import "part.css";`` a line: design tokens, element
defaults, one file per BEM block (``components/``), print rules last. The bundle puts each part in place
of its line, replaces each named breakpoint (``@custom-media --wide (min-width: 40rem);`` in tokens.css,
used as ``@media (--wide)``) with its query, and is written as ``<THEME_STATIC_DIR>/css/site.<hash>.css``:
named by its content, so the same theme gives the same name and hosts may cache it for good.
The sources stay outside the theme's ``static/`` folder, so Pelican copies none of them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from ..config.problems import BuildError

logger = logging.getLogger(__name__)

SOURCE_DIR = "css"  # inside the theme
ENTRY = "site.css"
HASH_LENGTH = 10
IMPORT = re.compile(r'^@import "([^"]+)";[ \t]*$', re.MULTILINE)
CUSTOM_MEDIA = re.compile(r"^@custom-media (--[a-z0-9-]+) ([^;{}]+);[ \t]*\n", re.MULTILINE)
MEDIA_PRELUDE = re.compile(r"^([ \t]*@media )([^{;]+)\{", re.MULTILINE)
MEDIA_NAME = re.compile(r"\((--[a-z0-9-]+)\)")


@dataclass(frozen=True, kw_only=True)
class Stylesheet:
    """The bundled stylesheet: where it goes in the output, its text, and the named breakpoints."""

    path: str
    text: str
    breakpoints: dict[str, str]


def bundle(source: Path) -> str:
    """``site.css`` in ``source`` with every ``@import`` line replaced by the part it names."""

    def part(match: re.Match[str]) -> str:
        path = (source / match.group(1)).resolve()
        if source.resolve() not in path.parents or not path.is_file():
            raise BuildError(f"theme stylesheet {ENTRY}: no part {match.group(1)!r} in {source}")
        return path.read_text(encoding="utf-8").rstrip("\n")

    return IMPORT.sub(part, (source / ENTRY).read_text(encoding="utf-8"))


def name_breakpoints(css: str) -> tuple[str, dict[str, str]]:
    """``css`` without its ``@custom-media`` rules and with their names replaced in ``@media`` queries."""
    breakpoints = dict(CUSTOM_MEDIA.findall(css))

    def query(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in breakpoints:
            raise BuildError(f"theme stylesheet: unknown breakpoint {name} (known: {', '.join(breakpoints)})")
        return breakpoints[name]

    def prelude(match: re.Match[str]) -> str:
        return match.group(1) + MEDIA_NAME.sub(query, match.group(2)) + "{"

    return MEDIA_PRELUDE.sub(prelude, CUSTOM_MEDIA.sub("", css)), breakpoints


def _name_start(static_dir: str) -> str:
    return f"{static_dir}/css/site."


def cache_pattern(static_dir: str) -> str:
    """The ``_headers`` path pattern of the bundled stylesheet, whatever its hash: cached for good."""
    return f"/{_name_start(static_dir)}*"


def stylesheet(theme: Path, static_dir: str) -> Stylesheet:
    """The theme's bundled stylesheet, named ``<static_dir>/css/site.<first hex digits of its sha256>.css``."""
    text, breakpoints = name_breakpoints(bundle(theme / SOURCE_DIR))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    path = f"{_name_start(static_dir)}{digest}.css"
    logger.debug("Stylesheet %s: %d bytes", path, len(text))
    return Stylesheet(path=path, text=text, breakpoints=breakpoints)
