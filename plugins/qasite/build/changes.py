"""What changed in content/ since the last build: files, and within a file the fields that differ.

Each content file is summarised as its size, mtime and digest, plus a digest of each part the site
graph (``content.graph``) can ask about: in a Markdown file each front-matter key and the text
(``TEXT``); in a YAML file each entry's keys (a person's ``name``, a category's ``description``).
The parts are cut from the raw text, line by line (a top-level key and its indented lines), never
parsed: a part whose text changed in any way counts as changed, which can only widen what is
rebuilt. A file whose YAML uses anchors or aliases (a part could change without its own lines
changing), or whose shape is not recognised, counts as changed as a whole. A file whose size and
mtime are unchanged is not read again.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.confine import Tree
from ..content.graph import ALL, TEXT
from ..content.related import Related
from ..content.site import Site
from .writer import read_bytes

if TYPE_CHECKING:
    from ..content.prepare import Identity

KEY = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#'"\-][^:#]*?))\s*:(?:\s|$)""")
FIELD = re.compile(r"^  ([A-Za-z_][\w-]*)\s*:(?:\s|$)")
ANCHORS = re.compile(r"(?:^|[\s\[{,:-])[&*][\w-]")  # an anchor, an alias or a merge key's alias
ORDER = "@order"  # the part of a YAML file that is the order of its entries
Parts = dict[tuple[str, str], str]  # (entry, field) -> digest; entry '' in Markdown files


@dataclass(frozen=True)
class FileState:
    """One content file as the last build saw it; ``parts`` empty when it can only change as a whole."""

    size: int
    mtime_ns: int
    digest: str
    parts: Parts = field(default_factory=dict)


def _digest(text: str | bytes) -> str:
    return hashlib.blake2b(text.encode() if isinstance(text, str) else text, digest_size=12).hexdigest()


def _chunks(lines: list[str], key: re.Pattern[str]) -> dict[str, list[str]] | None:
    """Lines grouped under the top-level key (per ``key``) they follow; None if a line precedes every key."""
    chunks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        found = key.match(line)
        if found:
            name = next(g for g in found.groups() if g is not None).strip()
            if name in chunks:
                return None  # a repeated key: YAML keeps the last, the parts cannot tell
            current = chunks[name] = [line]
        elif current is not None:
            current.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            return None
    return chunks


def markdown_parts(text: str) -> Parts | None:
    """Each front-matter key's lines and the body (TEXT), digested; None if the shape is not recognised."""
    if not text.startswith("---\n"):
        return {("", TEXT): _digest(text)}
    end = text.find("\n---\n", 3)
    if end < 0 or ANCHORS.search(text[4:end]):
        return None
    chunks = _chunks(text[4:end].split("\n"), KEY)
    if chunks is None:
        return None
    parts = {("", name): _digest("\n".join(lines)) for name, lines in chunks.items()}
    parts[("", TEXT)] = _digest(text[end + 5 :])
    return parts


def yaml_parts(text: str) -> Parts | None:
    """Each entry's keys (two-space indented) digested, the entry's own line under ALL; None if not recognised."""
    if ANCHORS.search(text):
        return None
    entries = _chunks(text.split("\n"), KEY)
    if entries is None:
        return None
    parts: Parts = {("", ORDER): _digest("\n".join(entries))}  # pages list entries in file order
    for entry, lines in entries.items():
        parts[(entry, ALL)] = _digest(lines[0])
        fields = _chunks(lines[1:], FIELD)
        if fields is None:
            return None
        for name, field_lines in fields.items():
            parts[(entry, name)] = _digest("\n".join(field_lines))
    return parts


def file_state(path: str | Path, size: int, mtime_ns: int) -> FileState:
    """Read ``path`` (of ``size`` bytes and ``mtime_ns`` when found) and summarise it."""
    data = read_bytes(path)  # a str from the walk: no Path made for each of ~28,600 files
    parts: Parts | None = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    suffix = os.path.splitext(path)[1]
    if text is not None and "\r" not in text:
        parts = markdown_parts(text) if suffix == ".md" else yaml_parts(text) if suffix == ".yml" else None
    return FileState(size=size, mtime_ns=mtime_ns, digest=_digest(data), parts=parts or {})


TOUCHED = "QASITE_TOUCHED"  # settings key (livereload): the paths its watcher reported since the last build
RESCAN_LIMIT = 64  # more paths touched than this (a branch checked out): walk the whole folder instead


def scan(
    content: Path,
    before: Mapping[str, FileState],
    touched: Iterable[str] | None = None,
    identities: dict[str, Identity] | None = None,
) -> dict[str, FileState]:
    """Every file under ``content`` by its Site path ('content/...'), reusing ``before`` where size and mtime match.

    ``touched`` (the live preview): every path under ``content`` created, changed or removed since ``before`` was
    scanned, as its file watcher reported them: only those are looked at again (a folder: walked), not the folder.
    ``identities`` (a walk of the whole folder): each file's identity as the walk found it, before reading it.
    """
    touched = None if touched is None else set(touched)
    if touched is not None and len(touched) <= RESCAN_LIMIT:
        return _rescan(content, before, touched)
    found = {}
    top = str(content)
    skip = len(top) + 1
    for path, info in _walk(top):  # strings, not Paths: ~28,600 files at 10,000 questions
        name = f"{content.name}/{path[skip:].replace(os.sep, '/')}"
        found[name] = _state(before.get(name), path, info)
        if identities is not None:
            identities[name] = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return found


def _state(old: FileState | None, path: str, info: os.stat_result) -> FileState:
    return _kept_or_read(old, path, info.st_size, info.st_mtime_ns)


def _kept_or_read(old: FileState | None, path: str | Path, size: int, mtime_ns: int) -> FileState:
    """The last summary ``old`` while the file has its size and mtime, else the file read and summarised."""
    same = old is not None and (old.size, old.mtime_ns) == (size, mtime_ns)
    return old if same and old is not None else file_state(path, size, mtime_ns)


def from_tree(content: Path, tree: Tree, before: Mapping[str, FileState]) -> dict[str, FileState]:
    """``scan``'s result from the load's confined scan of ``content`` instead of a second walk (``confine.scan``
    given a ``before``: each file's identity, in the scan's order). The same files unless the scan refused an
    entry (a link, a hard link...), which is a problem that stops the build before its files are used."""
    found = {}
    skip, top = len(str(tree.root)) + 1, content.name
    for path, (_, size, mtime_ns, _) in tree.identities.items():
        name = f"{top}/{str(path)[skip:].replace(os.sep, '/')}"
        found[name] = _kept_or_read(before.get(name), path, size, mtime_ns)
    return found


def _rescan(content: Path, before: Mapping[str, FileState], touched: Iterable[str]) -> dict[str, FileState]:
    """``scan`` from ``before`` and the paths ``touched`` since: each is stat'ed (a folder walked) and the entries
    under it replaced."""
    found = dict(before)
    top = os.path.abspath(content)
    for reported in sorted({os.path.abspath(p) for p in touched}):
        if reported != top and not reported.startswith(top + os.sep):
            continue  # outside content/ (the theme, the settings file)
        relative = os.path.relpath(reported, top).replace(os.sep, "/")
        name = content.name if relative == "." else f"{content.name}/{relative}"
        for old in [n for n in found if n == name or n.startswith(name + "/")]:
            del found[old]
        try:
            info = os.lstat(reported)
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed
        if stat.S_ISDIR(info.st_mode):
            for path, inner in _walk(reported):
                inside = f"{content.name}/{os.path.relpath(path, top).replace(os.sep, '/')}"
                found[inside] = _state(before.get(inside), path, inner)
        elif stat.S_ISREG(info.st_mode):
            found[name] = _state(before.get(name), reported, info)
    return found


def _walk(folder: str) -> Iterator[tuple[str, os.stat_result]]:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif entry.is_file(follow_symlinks=False):
            yield entry.path, entry.stat(follow_symlinks=False)


Change = tuple[str, str | None, str | None]  # (path, entry, field) as content.graph.SiteGraph.feeds takes them


def changes(before: Mapping[str, FileState], after: Mapping[str, FileState]) -> list[Change]:
    """What differs between two scans: whole files (added, removed, unrecognised) or their changed parts."""
    found: list[Change] = []
    names = [name for name, state in after.items() if before.get(name) is not state]  # a kept entry: unchanged
    for name in sorted(names + [name for name in before if name not in after]):
        old, new = before.get(name), after.get(name)
        if old is not None and new is not None and old.digest == new.digest:
            continue
        if old is None or new is None or not old.parts or not new.parts:
            found.append((name, None, None))
            continue
        if old.parts.get(("", ORDER)) != new.parts.get(("", ORDER)):
            found.append((name, None, None))
            continue
        for entry, part in sorted(old.parts.keys() | new.parts.keys()):
            if old.parts.get((entry, part)) != new.parts.get((entry, part)):
                found.append((name, entry or None, part))
    return found


# Front-matter keys of a question that its related questions never read (content.related: the title, the text
# and the tags of every published question): a change to these alone keeps every question's related list.
UNRELATED = frozenset({"votes", "views", "author", "category", "edited", "edited_by", "reviewed_by", "last_reviewed"})


def keeps_related(found: list[Change]) -> bool:
    """Whether the related questions of the last build still hold after these changes."""
    for path, _, part in found:
        if "/answers/" in path or path.rsplit("/", 1)[-1] in ("people.yml", "categories.yml", "helplines.yml"):
            continue
        if path.endswith("/index.md") and "/questions/" in path and part in UNRELATED:
            continue
        return False
    return True


Packed = dict[str, list[tuple[str, tuple[str, ...], float]]]


def pack_related(related: Mapping[str, Sequence[Related]]) -> Packed:
    """Each question's related list by slugs (the snapshot keeps no Question objects of its own)."""
    return {slug: [(r.question.slug, r.shared_tags, r.score) for r in items] for slug, items in related.items()}


def unpack_related(packed: Packed, site: Site) -> dict[str, list[Related]]:
    """The related lists of the last build, pointing at this load's questions (``invoke build``; the live preview
    updates its own: ``content/related_update.py``)."""
    by_slug = {q.slug: q for q in site.questions}
    return {
        q.slug: [Related(question=by_slug[slug], shared_tags=tags, score=score) for slug, tags, score in packed[q.slug]]
        for q in site.questions
    }
