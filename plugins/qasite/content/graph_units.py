"""The site graph's units: each output (or fact) kind split into pieces, each with a signature.

A unit is one call of a ``graph._Builder`` method: a question's page, its Markdown alternate, its listing
row; a listing, a feed, a member page, a person's points; or one of the site-wide pages. Its *signature*
is plain data (slugs, paths, handles, names) holding everything that call reads from the site to decide
which parts it reads and what its outputs list: two sites whose unit has the same signature give that unit
the same edges and selections. ``content/graph_update.py`` rebuilds only the units whose signature changed;
the signatures cost a fraction of the edges (no sets, one tuple per question).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from ..config.urls import Urls
from ..render import listings
from ..render.feeds import latest_of
from ..render.llms import LLMS_TOP
from .model import Category, Person, Question, Tag
from .related import Related

if TYPE_CHECKING:
    from .graph import Unit, _Builder
    from .site import Site

Planned = tuple[Hashable, Hashable, Callable[[], object]]  # (unit id, signature, build it)


def _handle(person: Person | None) -> str | None:
    return None if person is None else person.handle


def shape(q: Question) -> tuple[Hashable, ...]:
    """What a question's own units read of it: its files, slug, people, category, tags and whether sensitive."""
    posts = tuple(
        (a.source_path, a.author.handle, a.source is not None, _handle(a.edited_by), _handle(a.reviewed_by))
        for a in q.answers
    )
    tags = tuple(t.name for t in q.tags)
    own = (q.author.handle, q.source is not None, _handle(q.edited_by), _handle(q.reviewed_by))
    return (q.source_path, q.slug, q.url, own, q.category.name, tags, q.sensitive, posts)


def plan_units(b: _Builder, related: Mapping[str, Sequence[Related]], per_page: int) -> Iterator[Planned]:
    """Every unit of the site's graph but the sitemap (``_Builder.sitemap_unit``), with its signature."""
    site = b.site
    signed = sign(site, related)
    yield "chrome", tuple(p.source_path for p in site.pages), b.chrome
    yield from question_units(b, signed)
    yield from person_units(b, site.people.values())
    yield from shared_units(b, signed, per_page, site.categories.values(), site.tags.values(), pages=True)


def shared_units(
    b: _Builder,
    signed: Mapping[int, Signed],
    per_page: int,
    categories: Collection[Category],
    tags: Collection[Tag],
    *,
    pages: bool,
) -> Iterator[Planned]:
    """The site's listings and feed, the listings and feeds of ``categories`` and ``tags``, the indexes, the trust
    pages, llms.txt, and (if ``pages``) the pages and redirects."""
    site = b.site
    questions = site.questions
    shapes = {key: value[3] for key, value in signed.items()}
    top = listings.of_site(site, listings.top_voted)  # sorted once for the generator too
    yield from _listing(b, Urls.home, top, per_page, (), [])
    yield from _listing(b, Urls.newest, listings.of_site(site, listings.newest), per_page, (), [])
    yield from _listing(b, Urls.unanswered, listings.of_site(site, listings.unanswered), per_page, (), [])
    top_voted = listings.ranked_site(site)  # = listings.top_voted(part), for each part
    for c in categories:
        chosen = top_voted(site.by_category[c.name])
        yield from _listing(b, c.url, chosen, per_page, c.name, b.category(c, "name", "description"))
    yield from tag_listings(b, tags, per_page, top_voted)
    names = (tuple(site.categories), tuple(site.tags))  # not the counts: graph._Builder.indexes
    yield "indexes", (names, tuple(q.source_path for q in questions), tuple(site.helplines)), b.indexes
    yield from _trust_and_pages(b, pages)
    yield from _feeds(b, shapes, categories, tags)
    llms = (tuple(site.categories), tuple((q.slug, q.source_path, q.answer_count) for q in top[:LLMS_TOP]))
    yield "llms", llms, _call(b.llms, top)


# Each question's signatures as this process last planned them, by id(): (question, its related list, the helplines,
# its shape, its page's signature). The live preview keeps the objects of every question an edit did not touch
# (content/reload.py) and the related lists that did not change (content/related_update.py): theirs are reused.
Signed = tuple[Question, Sequence[Related], tuple[str, ...], tuple[Hashable, ...], Hashable]
_SIGNED: dict[int, Signed] = {}


def sign(site: Site, related: Mapping[str, Sequence[Related]]) -> dict[int, Signed]:
    """Each published question's signatures (``Signed``), by id(); kept for the next plan of this process."""
    helplines = tuple(site.helplines)
    signed = {id(q): _signed(q, related.get(q.slug, []), helplines) for q in site.questions}
    _SIGNED.clear()
    _SIGNED.update(signed)
    return signed


def sign_apart(
    site: Site, related: Mapping[str, Sequence[Related]], questions: Iterable[Question]
) -> dict[int, Signed]:
    """``sign`` for ``questions`` only (of ``site``), leaving the signatures kept for the next plan as they are."""
    helplines = tuple(site.helplines)
    return {id(q): _signed(q, related.get(q.slug, []), helplines) for q in questions}


def question_units(
    b: _Builder,
    signed: Mapping[int, Signed],
    questions: Iterable[Question] | None = None,
    kept: Mapping[Hashable, Unit] | None = None,
) -> Iterator[Planned]:
    """Each published question's own units (or those of ``questions``, signed in ``signed``): its page, its listing
    row and its Markdown alternate. ``kept``: the last graph's units; a question whose three units hold the very
    signatures planned is left out (``graph_update._dirty`` would neither rebuild them nor take the plan's)."""
    for q in b.site.questions if questions is None else questions:
        _, items, _, shaped, sig = signed[id(q)]
        if kept is not None and _as_kept(kept, q.source_path, sig, shaped):
            continue
        yield ("question", q.source_path), sig, _call(b.question_page, q, items)
        yield ("row", q.source_path), shaped, _call(b.row, q)
        yield ("markdown", q.source_path), shaped, _call(b.markdown, q)


def _as_kept(kept: Mapping[Hashable, Unit], path: str, sig: Hashable, shaped: Hashable) -> bool:
    """Whether the kept units of the question at ``path`` hold these very signature objects (``is``, not ``==``)."""
    page, row, markdown = kept.get(("question", path)), kept.get(("row", path)), kept.get(("markdown", path))
    return (
        page is not None
        and row is not None
        and markdown is not None
        and page[0] is sig
        and row[0] is shaped is markdown[0]
    )


def _signed(q: Question, items: Sequence[Related], helplines: tuple[str, ...]) -> Signed:
    last = _SIGNED.get(id(q))
    if last is None or last[0] is not q:
        own = shape(q)
    elif last[2] != helplines:
        own = last[3]  # the same question: the same shape
    elif last[1] is items:
        return last  # the same objects: a kept question's files, people and tags are as they were
    elif _alike(last[1], items):  # a new list (a resize, scores moved) showing the same questions and tags
        return q, items, helplines, last[3], last[4]  # the last page signature itself: ``_dirty`` compares by ``is``
    else:
        own = last[3]
    return q, items, helplines, own, (own, helplines if q.sensitive else (), _related(items))


def _alike(last: Sequence[Related], items: Sequence[Related]) -> bool:
    """Whether ``_related`` of both lists is equal: the same question objects (a kept question's slug and path are
    its own), in the same order, with equal shared tags."""
    if len(last) != len(items):
        return False
    return all(a.question is b.question and a.shared_tags == b.shared_tags for a, b in zip(last, items, strict=True))


def _call(method: Callable[..., object], *args: object) -> Callable[[], object]:
    return lambda: method(*args)


def _related(items: Sequence[Related]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple([(item.question.slug, item.question.source_path, item.shared_tags) for item in items])


def tag_listings(
    b: _Builder,
    tags: Iterable[Tag],
    per_page: int,
    top_voted: Callable[[list[Question]], list[Question]] = listings.top_voted,
) -> Iterator[Planned]:
    """The listings of ``tags``: ``top_voted`` of each tag's questions (``plan_units`` gives ``listings.ranked``'s)."""
    for tag in tags:
        chosen = top_voted(b.site.by_tag[tag.name])
        yield from _listing(b, tag.url, chosen, per_page, tag.name, b.tags([tag], "description"))


def _listing(
    b: _Builder, base: str, chosen: list[Question], per_page: int, name: Hashable, nodes: list[object]
) -> Iterator[Planned]:
    sig = (name, tuple(q.slug for q in chosen), tuple(q.source_path for q in chosen))
    yield ("listing", base), sig, lambda: b.listing(base, chosen, per_page, nodes)  # type: ignore[arg-type]


def person_units(b: _Builder, people: Iterable[Person]) -> Iterator[Planned]:
    """Each member's points and page, of ``people``."""
    site = b.site
    for person in people:
        if person.is_anonymous:
            continue
        asked, answered = site.asked_by.get(person.handle, []), site.answered_by.get(person.handle, [])
        paths = (tuple(q.source_path for q in asked), tuple(a.source_path for a in answered))
        computed = person.imported_points is None
        yield ("points", person.handle), (computed, paths if computed else ()), _call(b.points, person)
        if person.url is not None:
            questions = tuple(a.question.source_path if a.question else None for a in answered)
            sig = (person.url, paths, tuple(q.slug for q in asked), questions)
            yield ("member", person.handle), sig, _call(b.member, person, person.url)


def _trust_and_pages(b: _Builder, pages: bool) -> Iterator[Planned]:
    site = b.site
    verified = tuple(p.handle for p in site.people.values() if p.verification is not None)
    reviewed = tuple(
        (q.source_path, q.category.name, post.source_path, _handle(post.reviewed_by))
        for q in site.questions
        for post in (q, *q.answers)
        if post.reviewed_by
    )
    yield "trust", (verified, reviewed), b.trust_pages
    if not pages:
        return
    redirects = tuple((synonym, name) for synonym, name in sorted(site.synonyms.items()) if name in site.tags)
    yield "pages", (tuple((p.url, p.source_path) for p in site.pages), redirects), b.pages_and_redirects


def _feeds(
    b: _Builder, shapes: Mapping[int, Hashable], categories: Iterable[Category], tags: Iterable[Tag]
) -> Iterator[Planned]:
    """The site's feed and those of ``categories`` and ``tags`` (``feeds.latest`` of its questions: ``latest_of``
    the site, its last-modified dates sorted once a site, for the generator's feeds too)."""
    yield from feed_units(b, shapes, latest_of(b.site), site=True, categories=categories, tags=tags)


def feed_units(
    b: _Builder,
    shapes: Mapping[int, Hashable],
    latest: Callable[[list[Question]], list[Question]],
    *,
    site: bool,
    categories: Iterable[Category],
    tags: Iterable[Tag],
) -> Iterator[Planned]:
    """The feeds of the site (if ``site``), of ``categories`` and of ``tags``; ``latest``: ``feeds.latest``."""
    feeds: list[tuple[str, Hashable, list[Question], Callable[[], list[object]]]] = []
    if site:
        feeds.append((Urls.all_feed, (), latest(b.site.questions), list))
    for c in categories:
        nodes = _call(b.category, c, "name")
        feeds.append((b.urls.feed("category", c.slug), c.name, latest(b.site.by_category[c.name]), nodes))  # type: ignore[arg-type]
    for tag in tags:
        feeds.append((b.urls.feed("tag", tag.name), tag.name, latest(b.site.by_tag[tag.name]), _call(b.tags, [tag])))  # type: ignore[arg-type]
    for url, name, chosen, nodes in feeds:
        sig = (name, tuple(shapes[id(q)] for q in chosen))
        yield ("feed", url), sig, _feed(b, url, chosen, nodes)


def _feed(b: _Builder, url: str, chosen: list[Question], nodes: Callable[[], object]) -> Callable[[], object]:
    return lambda: b.feed(url, chosen, list(nodes()))  # type: ignore[call-overload]
