"""A preview build's deferred search index: which of its edited questions the catch-up must re-index.

A preview build (``incremental.DEFER_SEARCH``) keeps the published search index and records in its snapshot the
questions changed since that index was current (``Snapshot.unindexed``); the preview's catch-up
(tools/catchup.py) re-indexes their shards. Before the swap, ``narrow`` drops from that record the questions of
this build (``Partial.recheck``) whose new page Pagefind reads the same as the published one
(render/index_text.py: only the related-questions block changed, as on other questions' pages after a title or
tags edit), the check ``Partial.index_shards`` makes for ``invoke build``. The questions an earlier preview build
left unindexed stay (their published page is not what the index holds). None left: the index is current.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.settings import urls_from
from ..config.urls import save_as
from ..render.index_text import changed_index_text

if TYPE_CHECKING:  # incremental imports render, which imports build modules
    from .incremental import Plan

logger = logging.getLogger(__name__)


def narrow(plan: Plan, staging: Path, output: Path) -> None:
    """Drop from ``plan``'s snapshot the rechecked questions whose page in ``staging`` Pagefind reads as it reads
    the published one in ``output`` (nothing to do unless the build deferred the search)."""
    snapshot, partial = plan.snapshot, plan.partial
    if snapshot is None or partial is None or snapshot.search_current or snapshot.unindexed is None:
        return
    urls = urls_from(plan.settings)
    pages = {save_as(urls.url("question", slug)): slug for slug in partial.recheck}
    same = {pages[name] for name in pages.keys() - changed_index_text(staging, output, pages)}
    snapshot.unindexed = snapshot.unindexed - same
    snapshot.search_current = not snapshot.unindexed
    logger.info("search: %d of %d edited questions to re-index", len(pages) - len(same), len(pages))
