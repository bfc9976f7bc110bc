"""Changes that can move no unit signature of the site graph but the questions' own (``graph_units``).

A unit's signature holds everything its call reads from the site to decide which parts it reads and what its
outputs list (``graph_units``). No signature holds a post's Markdown text, nor a person's name, credentials, bio or
website: those are read as parts, through edges. So when every change found is one of those, the listings, feeds,
member pages, points, indexes, trust pages, pages, llms.txt and the sitemap keep their signatures, and only the
questions' own units (their page, row and Markdown alternate) can change: a question's page through its related
list, which a text edit moves (``related_update``). ``graph_update`` then plans only those (``QUESTION_ONLY``):
planning every unit of a 10,000-question site costs ~0.2 CPU-s an edit, the questions' own ~0.03.

A question's ``tags`` reach a little further (``reach``): its own units and its related lists as above, and the
listings and feeds of each tag it held or holds now (their questions or its shape in them), the site's and its
category's feed if it is among their questions (its shape: their questions are the last modified, which tags do
not move), and the sitemap (the tags' order is by count); not the indexes nor the redirects while the site's tags
stay the same names in the same order (else every unit is planned). ``tag_units`` plans those.

A question added or removed (its file, with its answers' files), or an answer added or removed (``moved``), reaches
the units that list every question or read every question's path (the site's listings and feed, the indexes, the
trust pages, llms.txt, the sitemap), the listings and feeds of its category and tags, and the points and member pages
of its posts' authors (``moved_units``): no other listing, feed or member page lists it, and every other question's
shape is its own. Each question's own units are planned too (the related lists move). If the site's category or tag
names change, every unit.

A change that is not one of these (another front-matter key, a file not recognised or changed as a whole, another
YAML file or entry, a page's text) plans every unit, as before. ``tests/test_graph_local.py`` edits each of these fields
and checks that no other unit's signature moves; it fails when a signature starts reading one of them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..config.urls import Urls
from ..render.feeds import latest
from .graph import PEOPLE, TEXT, Unit
from .graph_units import Planned, Signed, feed_units, person_units, shared_units, tag_listings
from .prepare import kind_of_rel

if TYPE_CHECKING:
    from .graph import _Builder

Change = tuple[str, str | None, str | None]  # (path, entry, field) as SiteGraph.feeds takes them

PERSON_FIELDS = frozenset({"name", "credentials", "bio", "url"})  # people.yml fields no unit signature reads


def reach(found: Iterable[Change], content: str) -> frozenset[str] | None:
    """What the changes ``found`` (``build.changes.changes``) can move besides the questions' own unit signatures:
    the questions whose tags changed (their paths; empty: nothing else); None: any unit. Each change must be the text
    of a question or an answer, a question's tags, or a ``PERSON_FIELDS`` field of a people.yml entry."""
    people = f"{content}/{PEOPLE}"
    tagged = set()
    for path, entry, part in found:
        if path == people:
            if entry is None or part not in PERSON_FIELDS:
                return None
        elif part == "tags" and entry is None and kind_of_rel(path) == "question":
            tagged.add(path)
        elif part != TEXT or entry is not None or kind_of_rel(path) not in ("question", "answer"):
            return None
    return frozenset(tagged)


def moved(found: Iterable[Change], old: Mapping[Hashable, Unit], published: Iterable[str]) -> frozenset[str] | None:
    """The questions added or removed, or whose answers were added or removed (their paths), if every change ``found``
    is a question file added or removed or an answer file added, removed or changed as a whole (of a question
    published before and after, or of one added or removed); else None. ``old``: the last graph's units;
    ``published``: the site's question paths."""
    found = list(found)
    paths = frozenset(path for path, _, _ in found if kind_of_rel(path) == "question")
    owners = frozenset(
        path.rsplit("/answers/", 1)[0] + "/index.md" for path, _, _ in found if kind_of_rel(path) == "answer"
    )
    now = (paths | owners).intersection(published)
    for path, entry, part in found:
        if entry is not None or part is not None:
            return None
        kind = kind_of_rel(path)
        if kind != "answer" and (kind != "question" or (("row", path) in old) == (path in now)):
            return None  # not a post; or a question changed, not added or removed; or a draft
    if any(("row", path) not in old or path not in now for path in owners - paths):
        return None  # an answer of a draft, or of a question published or withdrawn
    return (paths | owners) or None


def moved_units(
    b: _Builder, old: Mapping[Hashable, Unit], signed: Mapping[int, Signed], paths: frozenset[str], per_page: int
) -> list[Planned] | None:
    """The units besides the questions' own whose signature the questions at ``paths`` (added, removed, or their
    answers) can move (see above); None if the site's category or tag names changed: plan every unit."""
    site = b.site
    if old.get("indexes", ((None,),))[0][0] != (tuple(site.categories), tuple(site.tags)):
        return None
    shapes = [old[("row", path)][0] for path in paths if ("row", path) in old]  # graph_units.shape, as it was
    shapes += [value[3] for value in signed.values() if value[3][0] in paths]  # and as it is
    handles = {shape[3][0] for shape in shapes} | {post[1] for shape in shapes for post in shape[7]}
    people = [site.people[handle] for handle in sorted(handles) if handle in site.people]
    categories = [c for c in site.categories.values() if c.name in {shape[4] for shape in shapes}]
    tags = [site.tags[name] for name in sorted({name for shape in shapes for name in shape[5]})]
    return [*person_units(b, people), *shared_units(b, signed, per_page, categories, tags, pages=False)]


def tag_units(
    b: _Builder, old: Mapping[Hashable, Unit], signed: Mapping[int, Signed], tagged: frozenset[str], per_page: int
) -> list[Planned] | None:
    """The units besides the questions' own whose signature a change of the tags of the questions at ``tagged`` can
    move (see above); None if the site's tag names or their order changed, or a question is new: plan every unit."""
    site = b.site
    if old.get("indexes", ((None,),))[0][0] != (tuple(site.categories), tuple(site.tags)):
        return None
    moved: set[str] = set()
    for q in site.questions:
        if q.source_path in tagged:
            if ("row", q.source_path) not in old:
                return None
            moved.update(old[("row", q.source_path)][0][5], (tag.name for tag in q.tags))  # graph_units.shape
    shapes = {key: value[3] for key, value in signed.items()}
    tags = [site.tags[name] for name in sorted(moved)]
    units = list(tag_listings(b, tags, per_page))
    units += feed_units(b, shapes, latest, site=_lists(old, Urls.all_feed, tagged), categories=[], tags=tags)
    shown = [c for c in site.categories.values() if _lists(old, b.urls.feed("category", c.slug), tagged)]
    units += feed_units(b, shapes, latest, site=False, categories=shown, tags=[])
    return units


def _lists(old: Mapping[Hashable, Unit], url: str, paths: frozenset[str]) -> bool:
    """Whether the feed at ``url`` listed one of the questions at ``paths`` (its signature: each one's shape), or is
    new."""
    unit = old.get(("feed", url))
    return unit is None or any(shape[0] in paths for shape in unit[0][1])
