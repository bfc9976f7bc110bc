"""The order a cold ``check``'s scan walks content/ in, so that ``prepare``'s workers start before it ends.

``confine.scan`` takes the folders still to walk from a stack (``pending``: ``append`` and ``pop``). ``PartWalk`` is
such a stack: it walks every folder but content/questions/'s question folders first, then the question folders one
results part at a time (``prepare_cache.part_of``: a question's files are in its folder's part), parts in number
order. Each time the folders taken so far are all walked, it hands the files the scan kept meanwhile
(``Tree.identities``, in the order the scan found them) to ``handed``, with how many parts are now complete: every
file of parts 0 .. complete - 1 has then been handed, so a part's files can be prepared (``prepare_early``) while the
scan walks the next part's folders. The scan's rules are untouched (it lstat's and refuses every entry as before,
before anything is read); only the order differs, so it makes the same tree and the same problems (their order
aside: ``load_site`` sorts them). ``finish`` hands what is left once the scan returns.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from .prepare_cache import PARTS, QUESTIONS, part_of

if TYPE_CHECKING:
    from .confine import Tree

Handed = Callable[[list[Path], int], object]  # (the files kept since the last call, the parts now complete)


class PartWalk:
    """``confine.scan``'s stack of folders to walk, question folders last, grouped by results part."""

    def __init__(self, root: Path, rel: Callable[[Path], str], handed: Handed) -> None:
        self.stack = [root]
        self.root, self.rel, self.handed = root, rel, handed
        self.current: Path | None = None  # the folder the scan is listing: it appends that folder's subfolders
        self.questions: Path | None = None  # content/questions/, once the scan found it a real folder
        self.parts: list[list[Path]] = []  # each part's question folders, once questions/ is listed
        self.part = 0  # the next part whose question folders are walked
        self.tree: Tree | None = None
        self.mark = 0  # the files handed so far (the first ``mark`` of ``tree.identities``)

    def begin(self, tree: Tree) -> PartWalk:
        """Start a scan that keeps what it finds in ``tree`` (``confine.scan``)."""
        self.tree = tree
        return self

    @property
    def folders(self) -> int:
        """How many question folders the scan found (known once it has listed questions/)."""
        return sum(map(len, self.parts))

    def append(self, path: Path) -> None:
        """A folder to walk, found while listing ``current``."""
        if self.current is self.questions and self.questions is not None:
            self.parts[part_of(self.rel(path))].append(path)
            return
        if self.current is self.root and self.questions is None and path.name == QUESTIONS[:-1]:
            self.questions, self.parts = path, [[] for _ in range(PARTS)]
        self.stack.append(path)

    def pop(self) -> Path:
        """The next folder to walk (``__bool__`` said there is one)."""
        self.current = self.stack.pop()
        return self.current

    def __bool__(self) -> bool:
        """Whether a folder is left to walk. When the folders taken so far are all walked, this hands their files
        over and takes the next part's question folders (the scan asks before each ``pop``)."""
        while not self.stack and self.part < len(self.parts):
            self._hand(self.part)
            self.stack = self.parts[self.part][::-1]  # popped from the end: walked in name order
            self.part += 1
        return bool(self.stack)

    def finish(self) -> None:
        """The scan returned: hand over the files not handed yet, every part complete."""
        self._hand(PARTS)

    def _hand(self, complete: int) -> None:
        found = self.tree.identities if self.tree is not None else {}  # none: the scan found no folder to walk
        new = list(islice(found, self.mark, None))
        self.mark = len(found)
        self.handed(new, complete)
