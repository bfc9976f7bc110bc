"""What the site graph's derived facts show, so that a change which leaves one as it was feeds nothing through it.

A member's points are a derived fact (``@points:<handle>``): every vote on their posts feeds it, and it feeds every
page showing them (their questions' and answers' pages, the rows of their questions on the listings, their member
page). Those pages show only ``filters.points_text`` of it ('12k points'), which moves far less often than the
number: at 10,000 questions, deleting an answer of a member with 534 posts rendered ~1,000 pages, of which 13
changed. A graph keeps each fact's shown value (``SiteGraph.shown``); ``quiet`` gives the facts two graphs show
alike, which ``SiteGraph.feeds`` does not follow. tests/test_graph.py checks it against real builds (a vote that
moves the shown points and one that does not).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from ..render.filters import points_text
from .site import Site

POINTS = "@points:"  # a member's points, as a node of the graph: POINTS + handle


def shown(site: Site) -> dict[str, Hashable]:
    """Each derived fact's value as the pages show it: every member's points."""
    return {
        POINTS + handle: points_text(person.points)
        for handle, person in site.people.items()
        if not person.is_anonymous and person.points is not None
    }


def quiet(before: Mapping[str, Hashable], after: Mapping[str, Hashable]) -> frozenset[str]:
    """The facts ``before`` and ``after`` (two graphs' ``shown``) show alike: no change reaches a page through them."""
    return frozenset(fact for fact, value in before.items() if fact in after and after[fact] == value)
