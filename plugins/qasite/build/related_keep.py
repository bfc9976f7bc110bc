"""``invoke build``'s related lists after a question's wording, title or tags changed: the last computation's state
(``content/related_update``), kept in the build cache and updated as the live preview updates its own.

A change that can move the related lists (``changes.keeps_related`` is false) made every list again in a new
process (~7 CPU-s at 10,000 questions). Now such a build (one with a snapshot) reads the state its last computation
left (``restore``), hands it to ``related_update`` as that process's own, and gets the lists updated: only the
vectors, shortlists and scores the change moves are made again (questions added or deleted: ``related_resize``).
As in the preview, a list whose best provably keeps its order and tags (pages show no score) gets its exact scores
later (``related_defer``): here by the cache writer, after the command returned and before it pickles the snapshot
and the state (``persist``, called by ``incremental.save``'s writer before its entries are written; in CI, where
the writer runs before the command returns, likewise). So the snapshot and the state kept are a full computation's.
The live preview's state is kept when it stops (its deferred scores made first): a build after it resumes it too.

A build that reuses the last lists (an answer, a person, votes) never reads the entry (~20 MB pickled at 10,000
questions) nor writes it; a cold build makes none (its memory and time stay a plain build's). The entry is a full
computation's state for the texts and tags it was made from, so it serves any later build whatever changed
meanwhile: ``related_update`` finds what differs (each question's text by a digest here, its tags by name;
questions added or deleted by slug). Left out of the entry is what is made again cheaply (the questions holding
each key, who shortlists whom) or is not needed (the texts: a digest each; the questions and ``Related`` objects:
this load's, every list unpacked again). Each question's counts, vector, top terms and scored shortlist are
pickled apart and read only when the update needs them (``content/related_lazy``: most are never read; ~0.35 CPU-s
restoring them all at 10,000 questions), and kept again as they were unless read. The cache folder is keyed by the
code and the settings, and an entry that cannot be read or is not a ``Kept`` is ignored: the lists are then computed
in full, as before.
``tests/test_related_keep.py`` compares resumed builds after text, title and tags edits, questions added and
deleted, with full builds (the kept snapshot's and state's scores too), and checks the fallback.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import related_update
from ..content.model import Question
from ..content.related import Found, Related, Vectors, _postings
from ..content.related_lazy import Lazy, dump, pickles
from ..content.related_vectors import Cut
from . import entry_file
from .cache import Cache, settle
from .resume import entry, write_entry

logger = logging.getLogger(__name__)

NAMESPACE = "related"


@dataclass(frozen=True, kw_only=True)
class Kept:
    """A full computation's state (``related_update._State``), without what is made again from it."""

    limit: int
    slugs: list[str]
    digests: list[bytes]  # each question's (title, body text) the counts were made from (``digest``)
    counts: list[bytes]  # each question's term counts, pickled apart (``related_lazy``: read when needed), as below
    df: dict[str, int]
    idf: dict[str, float]
    tf: dict[int, float]
    weights: list[bytes]
    top: list[bytes]
    tags: list[tuple[str, ...]]
    keys: list[list[str]]
    tag_idf: dict[str, float]
    shortlists: list[list[int]]
    scored: list[bytes]
    stale: dict[int, list[int]]  # where a scored pair holds an upper bound (``related_bounds``), not its score
    lists: list[Found]
    cut: dict[int, Cut]


def digest(title: str, body: str) -> bytes:
    """What a question's term counts are made from, in 16 bytes."""
    text = f"{title}\0{body}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).digest()


def related(
    cache: Cache, content: Path, questions: Sequence[Question], *, limit: int, processes: int
) -> tuple[Vectors, dict[str, list[Related]], dict[str, related_update.Packed]]:
    """The vectors, related lists and packed lists of ``questions`` (``related_update.related``), updated from the
    state the last build of ``content`` kept in ``cache`` if any (never from another build of this process). The
    exact scores of lists whose best provably stays are left to the cache writer (``persist``: ``related_defer``)."""
    related_update.finish()  # this process's last build's (its snapshot in memory holds them), then dropped
    related_update.forget()
    restore(cache, content, questions)
    return related_update.related(questions, limit=limit, processes=processes, defer=True)


def restore(cache: Cache, content: Path, questions: Sequence[Question]) -> bool:
    """Adopt the state kept for ``content`` as ``related_update``'s (True), unless none can be read (False)."""
    settle()  # this process's own cache writer, if any
    try:
        kept = entry_file.load(entry(cache, NAMESPACE, content))
    except Exception as error:  # none, damaged, or made by other code: the lists are computed in full
        logger.debug("no related state to resume: %s", error)
        return False
    if not isinstance(kept, Kept):
        return False
    with related_update._LOCK:
        related_update._LAST = _state(kept, questions)
    return True


def _state(kept: Kept, questions: Sequence[Question]) -> related_update._State:
    """The state ``kept`` describes. Its question objects are not known (every list is unpacked again); a text is
    known where it is this load's question's of that slug (by its digest), else unknown (None: counted again)."""
    n = len(kept.slugs)
    now = {q.slug: q for q in questions}
    texts: list[Any] = [None] * n
    for i, slug in enumerate(kept.slugs):
        q = now.get(slug)
        if q is not None and digest(q.title, q.body_text) == kept.digests[i]:
            texts[i] = (q.title, q.body_text)
    shortlisted_by: list[set[int]] = [set() for _ in range(n)]
    for i, short in enumerate(kept.shortlists):
        for j in short:
            shortlisted_by[j].add(i)
    return related_update._State(
        limit=kept.limit,
        questions=[None] * n,  # type: ignore[list-item]
        slugs=kept.slugs,
        texts=texts,
        counts=Lazy(kept.counts, _counts),
        df=Counter(kept.df),
        idf=kept.idf,
        tf=kept.tf,
        weights=Lazy(kept.weights, pickle.loads),
        top=Lazy(kept.top, pickle.loads),
        tags=kept.tags,
        keys=kept.keys,
        postings=_postings(kept.keys),
        tag_idf=kept.tag_idf,
        shortlists=kept.shortlists,
        scored=Lazy(kept.scored, pickle.loads),
        stale=[set(kept.stale.get(i, ())) for i in range(n)],
        shortlisted_by=shortlisted_by,
        lists=kept.lists,
        related=[[] for _ in range(n)],
        packed=[[] for _ in range(n)],
        cut=kept.cut,
    )


def _counts(pickled: bytes) -> Counter[str]:
    return Counter(pickle.loads(pickled))


def _kept(state: related_update._State) -> Kept:
    return Kept(
        limit=state.limit,
        slugs=state.slugs,
        digests=[digest(title, body) for title, body in state.texts],
        counts=pickles(state.counts, lambda c: dump(dict(c))),
        df=dict(state.df),
        idf=state.idf,
        tf=state.tf,
        weights=pickles(state.weights, dump),
        top=pickles(state.top, dump),
        tags=state.tags,
        keys=state.keys,
        tag_idf=state.tag_idf,
        shortlists=state.shortlists,
        scored=pickles(state.scored, dump),
        stale={i: sorted(marks) for i, marks in enumerate(state.stale) if marks},
        lists=state.lists,
        cut=state.cut,
    )


def persist(cache: Cache, content: Path, packed: Mapping[str, related_update.Packed]) -> None:
    """Keep this process's related state for ``content`` in ``cache`` (by the cache writer, after the build),
    atomically, if the build's lists (``packed``, the snapshot's) are that state's own: not when the build reused the
    last build's lists (nothing changed in them: the entry kept stays right). Nothing if it cannot be written (a later
    build that needs the lists then computes them all, as before)."""
    related_update.finish()  # no deferred scores left (the preview's): a full computation's state
    state = related_update._LAST
    if state is None or any(packed.get(slug) is not state.packed[i] for i, slug in enumerate(state.slugs)):
        return
    write_entry(entry(cache, NAMESPACE, content), lambda: pickle.dumps(_kept(state), protocol=pickle.HIGHEST_PROTOCOL))


def relisted(
    packed: Mapping[str, related_update.Packed], before: Mapping[str, related_update.Packed]
) -> frozenset[str] | None:
    """The questions whose related lists in ``packed`` differ from ``before`` (the last build's: its graph was built
    with them; scores too, though no graph reads them); None if the questions differ."""
    if packed is before:
        return frozenset()
    if packed.keys() != before.keys():
        return None
    return frozenset(slug for slug, items in packed.items() if items is not before[slug] and items != before[slug])


def same_lists(packed: Mapping[str, related_update.Packed], last: Mapping[str, related_update.Packed]) -> bool:
    """Whether ``packed`` holds, slug by slug in the same order, the very list objects of ``last`` (the last build's):
    then they are the lists its graph was built with (``relisted_for``: a person's or an answer's edit plans no
    unit). The live preview's related update returns a new dict each build, with the lists it did not
    make again kept (``related_update``: a list's questions, order and tags change only with a new list object; its
    deferred exact scores are written in place later, and no page or graph reads a score)."""
    if packed is last:
        return True
    if list(packed) != list(last):
        return False
    return all(mine is theirs for mine, theirs in zip(packed.values(), last.values(), strict=True))


def relisted_for(
    packed: Mapping[str, related_update.Packed], before: Mapping[str, related_update.Packed], *, preview: bool
) -> frozenset[str] | None:
    """``graph_update``'s ``relisted``: in ``invoke build`` the questions whose lists differ (``relisted``); in the
    live preview none when its related update kept every list object (``same_lists``), else None (every unit
    planned: the preview's lists by value were not tried)."""
    if not preview:
        return relisted(packed, before)
    return frozenset() if same_lists(packed, before) else None
