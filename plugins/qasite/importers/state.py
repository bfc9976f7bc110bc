"""What the importers last wrote (``content/.import-state.json``), so a re-import can refresh what nobody edited.

The state file maps each file an import wrote (or found identical to what it would write), by its path
inside the content folder, to the SHA-256 of those bytes, and each member whose people.yml entry an import
wrote or refreshed to the fields it wrote (name, url, points). A later import then tells apart:

- a file still holding exactly what the last import wrote: nobody edited it here, so it is *refreshed*
  with the newer source (votes, views, accepted marks, text edited at the source);
- a file whose bytes differ from the recorded ones (or that no import recorded): an editor changed it,
  so it is *kept* unless ``--force``;
- a people.yml entry still equal to what an import wrote: its ``points:`` follow the source.

A state file rather than a hash in each file's front matter keeps the files clean for editors (no
field they must not touch, nothing that changes when they fix a typo) and lets people.yml entries be
tracked too. The file is JSON with sorted keys: the same imports give the same bytes, and it belongs in
the repository with the content it describes. Deleting it is safe: every differing file is then kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.frontmatter_writer import scalar
from .common import ImporterError

logger = logging.getLogger(__name__)

STATE_FILE = ".import-state.json"
VERSION = 1


def digest(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class State:
    """The recorded hashes and people.yml entries of one content folder."""

    path: Path
    files: dict[str, str] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, content: Path) -> State:
        """The state of ``content`` (empty when there is no state file)."""
        path = content / STATE_FILE
        if not path.is_file():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ImporterError(f"{path}: cannot read it ({err}); delete it to start afresh") from err
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ImporterError(f"{path}: not an import state file of version {VERSION}; delete it to start afresh")
        return cls(path, dict(data.get("files") or {}), dict(data.get("people") or {}))

    def untouched(self, rel: str, data: bytes) -> bool:
        """True when ``data`` (a file's bytes now) is what the last import recorded for ``rel``."""
        return self.files.get(rel) == digest(data)

    def record(self, rel: str, data: bytes) -> None:
        """An import wrote ``data`` to ``rel`` (or found it there)."""
        self.files[rel] = digest(data)

    def save(self) -> None:
        """Write the state file (sorted, so the same imports give the same bytes)."""
        data = {"version": VERSION, "files": self.files, "people": self.people}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def refresh_points(text: str, handle: str, points: int) -> str | None:
    """people.yml ``text`` with ``handle``'s ``points:`` line set to ``points``; None when the entry is not found
    in the block style the importers write (``handle:`` then indented ``field: value`` lines)."""
    lines = text.split("\n")
    head = f"{scalar(handle)}:"
    start = next((n for n, line in enumerate(lines) if line.rstrip() == head), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    points_line = f"  points: {points}"
    at = next((n for n in range(start + 1, end) if re.match(r"\s+points\s*:", lines[n])), None)
    if at is None:
        lines.insert(end, points_line)
    else:
        lines[at] = points_line
    return "\n".join(lines)
