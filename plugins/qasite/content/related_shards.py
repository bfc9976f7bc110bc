"""A cold build's related lists, made shard by shard, each search shard's just before its question pages.

Pagefind's first run starts once the first search shard's pages are written, and its runs are most of a cold build's
critical path (``render/search_shards.py``). A question page needs its related list, and nothing else made after
the lists; Pagefind's copy of the page holds none (the block follows ``data-pagefind-body``). So a cold build with
search makes the lists of the first shard's questions first (in the render processes), writes their pages, and makes
the next shard's while Pagefind indexes the first (one process fewer, as the pages: ``build/parallel.run_in_pieces``).
Each list is made alone from what ``related.prepared`` made once for the whole site, so the lists are the same,
whichever questions are made together: ``lists`` gives every one, in the questions' order, as ``compute_related``
does (the site graph and the snapshot are made from it once the pages are written: ``build/incremental.complete``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from ..build.parallel import process_count, sharing
from .model import Question
from .related import Related, Relating, Vectors, as_related, prepared, relate

logger = logging.getLogger(__name__)


class ShardRelated:
    """The related lists of a cold build, made as its question pages ask for them (``relate``)."""

    def __init__(self, vectors: Callable[[], Vectors], *, limit: int) -> None:
        self._source, self._limit = vectors, limit
        self._lists: dict[str, list[Related]] = {}
        self._made: Relating | None = None

    def prepare(self) -> None:
        """Make the questions' vectors and what each list is made from (``related.prepared``), unless made: the first
        ``relate`` does, or a caller with a core to spare before (``render/question_pages``: while the render
        processes write the first search shard's copies)."""
        if self._made is None:
            self._vectors = self._source()
            self._index = {id(q): i for i, q in enumerate(self._vectors.questions)}
            self._made = prepared(self._vectors)

    def relate(self, questions: Sequence[Question], *, processes: int, busy: Callable[[], object]) -> None:
        """Give each of ``questions`` its related list, made now unless it was already: in ``processes`` processes
        (as QA_RENDER_PROCESSES), one fewer while ``busy()`` (Pagefind has a core)."""
        self.prepare()
        wanted = [self._index[id(q)] for q in questions if q.slug not in self._lists]
        if wanted:
            count = sharing(process_count(processes, len(wanted)), busy())
            found = relate(self._vectors, limit=self._limit, processes=count, only=wanted, made=self._made).found
            every = self._vectors.questions
            self._lists.update((every[i].slug, as_related(best, every)) for i, best, _ in found)
        for question in questions:
            question.related = self._lists[question.slug]

    def lists(self) -> dict[str, list[Related]]:
        """Every question's related list by slug, in the questions' order (those not made yet made now, here)."""
        self.prepare()
        self.relate(self._vectors.questions, processes=1, busy=lambda: False)
        return {q.slug: self._lists[q.slug] for q in self._vectors.questions}
