"""``confine.scan`` again from the last scan and the paths the live preview's file watcher reported since.

A full scan lists every folder of content/ and stats every file (~0.7 s at 10,000 questions). After an edit the
watcher knows which paths were created, changed or removed: ``rescan`` lists again only the folders holding them
(the nearest folder of the last scan that is still a real folder) and walks whole only the folders that are new
or were reported themselves; every other entry is taken from the last scan as it was. The result (folders,
files, identities, ``changed``) equals a full ``scan(root, rel, before)``; ``tests/test_reload.py`` compares the
two after random edits. It returns None (the caller scans everything) whenever it cannot vouch for that: no last
scan, a last scan that found a problem (a refused or unreadable entry), the folder itself reported or no longer a
real folder, a folder that cannot be listed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from ..config.problems import Problem
from .confine import Tree, refused, scan

Result = tuple[Tree, list[Problem]]


def rescan(before: Tree, rel: Callable[[Path], str], touched: Iterable[str]) -> Result | None:
    """The scan of ``before.root`` now, given every path under it created, changed or removed since ``before``."""
    root = before.root
    if before.troubled or root not in before.folders or not _is_folder(root):
        return None
    top = str(root)
    lists: set[Path] = set()
    reported_folders: set[Path] = set()  # folders of the last scan reported themselves: walked whole
    for reported in touched:
        path = os.path.abspath(reported)
        if path == top:
            return None
        if not path.startswith(top + os.sep):
            continue  # outside content/ (the theme, the settings file)
        folder = Path(path).parent
        while folder not in before.folders or not _is_folder(folder):  # gone, or never there: the folder above
            folder = folder.parent
        lists.add(folder)
        if Path(path) in before.folders:
            lists.add(Path(path))  # a folder reported itself: walked whole if still one (its parent lists it)
            reported_folders.add(Path(path))
    tree = Tree(root, dict(before.folders), set(before.files), set(), dict(before.identities))
    walked: list[Path] = []  # folders walked whole in this rescan: what is under them is done
    problems: list[Problem] = []
    for folder in sorted(lists, key=lambda p: len(p.parts)):
        if any(folder == w or w in folder.parents for w in walked) or folder not in tree.folders:
            continue
        if not _list(tree, before, folder, rel, problems, walked, deep=folder in reported_folders):
            return None
    tree.troubled = bool(problems)
    return tree, problems


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _drop(tree: Tree, path: Path) -> None:
    """Take ``path`` and everything under it out of ``tree``."""
    for child in tree.folders.pop(path, ()):
        _drop(tree, child)
    tree.files.discard(path)
    tree.identities.pop(path, None)


def _list(
    tree: Tree,
    before: Tree,
    folder: Path,
    rel: Callable[[Path], str],
    problems: list[Problem],
    walked: list[Path],
    *,
    deep: bool,
) -> bool:
    """List ``folder`` again into ``tree`` (walked whole if ``deep``); False if it cannot be listed."""
    if deep:
        return _walk(tree, before, folder, rel, problems, walked)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return False
    old = before.folders[folder]
    by_name = {p.name: p for p in old}
    names = {e.name for e in entries}
    for path in old:
        if path.name not in names:
            _drop(tree, path)
    if [p.name for p in old] != [e.name for e in entries]:
        tree.changed.add(folder)
    kept: list[Path] = []
    for entry in entries:
        path = by_name.get(entry.name) or folder / entry.name
        was_folder = path in before.folders
        if entry.is_dir(follow_symlinks=False):
            kept.append(path)
            if not was_folder:  # new here (or a file before): walked whole
                _drop(tree, path)
                if not _walk(tree, before, path, rel, problems, walked):
                    return False
            continue
        if was_folder:
            _drop(tree, path)
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            return False
        if refused(st):  # a full scan reports it: let it
            return False
        kept.append(path)
        tree.files.add(path)
        identity = tree.identities[path] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if before.identities.get(path) != identity:
            tree.changed.add(path)
    tree.folders[folder] = kept
    return True


def _walk(
    tree: Tree, before: Tree, folder: Path, rel: Callable[[Path], str], problems: list[Problem], walked: list[Path]
) -> bool:
    """Scan ``folder`` whole (as ``confine.scan`` does, compared with ``before``) into ``tree``."""
    _drop(tree, folder)
    inner, found = scan(folder, rel, before)
    if found or folder in inner.refused:
        return False  # a refused or unreadable entry: the full scan words it
    tree.folders.update(inner.folders)
    tree.files |= inner.files
    tree.identities.update(inner.identities)
    tree.changed |= inner.changed
    walked.append(folder)
    return True
