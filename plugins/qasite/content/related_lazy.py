"""A list kept as its items' pickles, each unpickled when first read: the related state ``invoke build`` restores.

``build/related_keep`` keeps each question's term counts, vector, top terms and scored shortlist pickled one by one.
A text edit reads a few hundred of the 10,000 (the edited question's, the vectors a moved IDF reaches, the lists
their pairs enter), so restoring them all (~0.35 CPU-s at 10,000 questions) was mostly wasted; a ``Lazy`` unpickles
an item when it is first read and then holds it (the same object each time: ``related_resize`` compares counts by
identity), and gives back the pickles of the items never read, unchanged, when the state is kept again. An item read
may be changed in place (a scored list is loosened), so every item read is pickled again. ``holding`` finds the
counts holding a term without unpickling those whose pickle cannot hold it (a ``str`` is pickled as its UTF-8 bytes).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Collection, Iterator, Mapping, MutableSequence, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")

_UNREAD: Any = object()


class Lazy(MutableSequence[T]):
    """The items pickled in ``pickles``, each made by ``load`` from its pickle when first read."""

    def __init__(self, pickles: list[bytes], load: Callable[[bytes], T]) -> None:
        self._pickles: list[bytes | None] = list(pickles)
        self._items: list[T] = [_UNREAD] * len(pickles)
        self._load = load

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, at: int) -> T: ...

    @overload
    def __getitem__(self, at: slice) -> list[T]: ...

    def __getitem__(self, at: int | slice) -> T | list[T]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        item = self._items[at]
        if item is _UNREAD:
            item = self._items[at] = self._load(self._pickles[at])  # type: ignore[arg-type]
        return item

    def __setitem__(self, at: Any, item: Any) -> None:
        if isinstance(at, slice):
            raise TypeError("a Lazy list takes items one at a time")
        self._items[at] = item

    def __delitem__(self, at: Any) -> None:
        if isinstance(at, slice):
            raise TypeError("a Lazy list drops items one at a time")
        del self._items[at], self._pickles[at]

    def insert(self, at: int, item: T) -> None:
        self._items.insert(at, item)
        self._pickles.insert(at, None)

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))

    def copy(self) -> Lazy[T]:
        """A shallow copy (as ``list.copy``): the items read so far shared, the others read on their own."""
        copied = Lazy.__new__(Lazy)
        copied._pickles, copied._items, copied._load = list(self._pickles), list(self._items), self._load
        return copied

    def read(self) -> int:
        """How many items were unpickled (or set)."""
        return sum(1 for item in self._items if item is not _UNREAD)

    def pickles(self, dump: Callable[[T], bytes]) -> list[bytes]:
        """Each item's pickle: the one it was read from if never read, else ``dump`` of it."""
        return [p if item is _UNREAD else dump(item) for item, p in zip(self._items, self._pickles, strict=True)]


def pickles(items: Sequence[T], dump: Callable[[T], bytes]) -> list[bytes]:
    """Each item's pickle by ``dump`` (of a ``Lazy``: ``Lazy.pickles``)."""
    return items.pickles(dump) if isinstance(items, Lazy) else [dump(item) for item in items]


def dump(item: object) -> bytes:
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


def holding(counts: Sequence[Mapping[str, int]], terms: Collection[str]) -> set[int]:
    """The indexes of the ``counts`` holding one of ``terms``; of a ``Lazy``, only the counts read or whose pickle
    holds one's UTF-8 bytes are read."""
    if not isinstance(counts, Lazy):
        return {i for i, c in enumerate(counts) if not c.keys().isdisjoint(terms)}
    needles = [term.encode("utf-8", "surrogatepass") for term in terms]
    found = set()
    for i, (item, p) in enumerate(zip(counts._items, counts._pickles, strict=True)):
        if item is _UNREAD and not any(needle in p for needle in needles):  # type: ignore[operator]
            continue
        if not counts[i].keys().isdisjoint(terms):
            found.add(i)
    return found
