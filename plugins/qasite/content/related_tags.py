"""The preview's related pairs a tag's new weight moves, scored again one by one instead of their whole lists.

A tags edit moves the count, hence the weight (``related.idf_of``), of the tags the question gained or lost. A pair's
score counts a tag's weight only when both questions hold it (``related.pair_score``), so only the pairs of two
holders of a reweighted tag change: ``rescore`` scores exactly those again (the same function, the same floats) and
leaves the list's other scores (exact, or upper bounds: ``related_bounds``) as they are; the caller then settles the
list's best. Before, every list holding such a tag with a holder in its shortlist was scored whole (~6,700 pairs a
tags edit at 10,000 questions). ``tests/test_related_update.py`` compares seeded random edits with full computations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from .related_bounds import Pair

logger = logging.getLogger(__name__)


def rescore(state: Any, keys: Iterable[str], whole: set[int], exact: Callable[[int, int], Pair]) -> set[int]:
    """Score again, in ``state`` (``related_update._State``), each pair of two holders of a tag key in ``keys`` whose
    weight changed, in the lists not scored ``whole`` (``exact(i, at)``: pair ``at`` of list i): those lists."""
    pairs: set[tuple[int, int]] = set()
    for key in keys:
        holders = state.postings[key]
        held = set(holders)
        for i in holders:
            if i not in whole:
                pairs.update((i, at) for at, j in enumerate(state.shortlists[i]) if j in held)
    for i, at in pairs:
        state.scored[i][at] = exact(i, at)
        state.stale[i].discard(at)
    logger.debug("related: %d pairs rescored for new tag weights", len(pairs))
    return {i for i, _ in pairs}
