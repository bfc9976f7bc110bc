"""The site graph: for any content file, the output files it feeds.

Built from the loaded ``Site`` and the URL map, the way render/generator.py writes the site, it says which
outputs show something read from a file: a question's page, the listing pages and feeds its row or entry is
on, the related-question blocks it appears in, its author's member page, and so on. The incremental build
(build/incremental.py) stands on it; tests/test_graph.py checks it against real builds.

Edges go from a ``Part`` of a content file (one front-matter field, the Markdown ``TEXT``, or one
field of one entry of a YAML file) to the outputs that show it, some through a derived fact (a
person's points, the footer every page shows). Each output also keeps its *selection*: which
questions it lists, in what order and how many. One changed file can move other questions between
listing pages or into a related block, so ``affected`` compares selections before and after.
It is built unit by unit (``graph_units``: each unit's signature kept with it), so that an incremental
build updates the last graph instead of building it again (``graph_update``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import NamedTuple

from ..config.urls import Urls, save_as
from ..render import listings
from .graph_markdown import MarkdownOutputs
from .graph_shown import POINTS, quiet, shown
from .model import Category, Person, Question, Tag
from .related import Related
from .site import Site

TEXT = "text"  # the Markdown text of a question, answer or page
ALL = "*"  # every field of a file, or of a YAML entry
PEOPLE, CATEGORIES, TAGS, HELPLINES = "people.yml", "categories.yml", "tags.yml", "helplines.yml"
CHROME = "@chrome"  # what every HTML page shows besides its own content: the footer's links to the pages
VOTED = ("votes", "accepted", "author")  # what an answer gives its author's points
ROW = ("title", "votes", "views", "date", "category", "tags", "author", TEXT)  # a question's row in a listing


class Part(NamedTuple):
    """One field of a content file (``path`` as the Site names it, like 'content/people.yml'); a tuple."""

    path: str
    entry: str = ""  # the YAML entry: a handle, a category or a tag name; '' in Markdown files
    field: str = ALL  # a front-matter or YAML field, TEXT, or ALL


Node = tuple[str, str, str] | str  # a Part (as a plain tuple: equal, built faster), a fact ('@points:sam') or an output
Unit = tuple[Hashable, tuple[str, ...], tuple[str, ...]]  # a unit's signature, readers and sitemap addresses


@dataclass(kw_only=True)
class SiteGraph:
    """Which outputs read which parts of the content, and what each output lists."""

    edges: dict[Node, Collection[str]]  # a part or fact -> its readers: a set, or a tuple as a snapshot kept them
    selections: dict[str, Hashable]  # every output file -> the questions it lists (order, counts)
    units: dict[Hashable, Unit] | None = field(default=None, repr=False, compare=False)  # graph_units; None: unknown
    shown: dict[str, Hashable] = field(default_factory=dict)  # each derived fact as pages show it (graph_shown)
    _parts: dict[str, Collection[Node]] = field(default_factory=dict, repr=False, compare=False)  # set or tuple

    def __post_init__(self) -> None:
        if self._parts:
            return  # given (graph_update)
        for node in self.edges:
            if not isinstance(node, str):
                self._parts.setdefault(node[0], set()).add(node)

    def feeds(
        self, path: str, entry: str | None = None, field: str | None = None, quiet: Set[str] = frozenset()
    ) -> set[str]:
        """The outputs that show ``path`` (or its YAML ``entry``, or one ``field`` of it), not through the facts
        ``quiet`` (shown as they were: ``graph_shown.quiet``)."""
        todo: list[Node] = [
            part
            for part in self._parts.get(path, [])
            if entry in (None, part[1]) and (field in (None, ALL) or part[2] in (field, ALL))
        ]
        seen, outputs = set(todo), set()
        while todo:
            for reader in self.edges.get(todo.pop(), ()):
                if reader not in seen and reader not in quiet:
                    seen.add(reader)
                    if reader.startswith("@"):
                        todo.append(reader)
                    else:
                        outputs.add(reader)
        return outputs


def affected(
    before: SiteGraph, after: SiteGraph, path: str, entry: str | None = None, field: str | None = None
) -> set[str]:
    """The outputs a change to ``path`` (its ``entry``, its ``field``) can alter, given the site before and after:
    what the file feeds in either site, and every output whose selection changed (or that is new or gone)."""
    alike = quiet(before.shown, after.shown)
    outputs = before.feeds(path, entry, field, alike) | after.feeds(path, entry, field, alike)
    names = before.selections.keys() | after.selections.keys()
    return outputs | {name for name in names if before.selections.get(name) != after.selections.get(name)}


def site_graph(
    site: Site,
    urls: Urls,
    *,
    per_page: int,
    related: Mapping[str, Sequence[Related]],
    content: str = "content",
) -> SiteGraph:
    """The graph of ``site`` as the generator writes it (``related``: each question's related list, by slug).

    ``content`` is the content folder's name, which starts every path in the Site ('content/...').
    """
    from .graph_units import plan_units  # it builds on _Builder

    builder = _Builder(site, urls, content)
    for uid, sig, build in plan_units(builder, related, per_page):
        builder.unit(uid, sig, build)
    builder.unit(*builder.sitemap_unit(builder.units))
    units = None if builder.shared else builder.units
    return SiteGraph(edges=dict(builder.edges), selections=builder.selections, units=units, shown=shown(site))


class _Builder(MarkdownOutputs):
    """Collects edges and selections, one kind of output at a time."""

    def __init__(self, site: Site, urls: Urls, content: str) -> None:
        self.site, self.urls = site, urls
        self.yml = {name: f"{content}/{name}" for name in (PEOPLE, CATEGORIES, TAGS, HELPLINES)}
        self.edges: dict[Node, set[str]] = defaultdict(set)
        self.selections: dict[str, Hashable] = {}
        self.units: dict[Hashable, Unit] = {}  # each unit built: its signature, readers and sitemap addresses
        self.owners: dict[str, Hashable] = {}  # each reader: its unit
        self.shared = False  # two units wrote one reader: the graph cannot be updated unit by unit
        self.readers: set[str] = set()  # the current unit's readers and sitemap addresses
        self.in_sitemap: list[str] = []

    def unit(self, uid: Hashable, sig: Hashable, build: Callable[[], object]) -> None:
        """Build one unit (``graph_units``): what it reads is a function of ``sig`` alone."""
        self.readers, self.in_sitemap = set(), []
        build()
        owners = self.owners
        for reader in self.readers:
            if owners.setdefault(reader, uid) != uid:
                self.shared = True
        self.units[uid] = (sig, tuple(self.readers), tuple(self.in_sitemap))

    def read(self, reader: str, nodes: Iterable[Node]) -> None:  # the parts a page reads; outputs below
        edges = self.edges
        self.readers.add(reader)
        for node in nodes:
            edges[node].add(reader)

    def page(self, url: str, selection: Hashable, nodes: Iterable[Node], *, sitemap: bool = True) -> None:
        """An HTML page at ``url``: it shows CHROME too."""
        output = save_as(url)
        self.selections[output] = selection
        self.read(output, [CHROME, *nodes])
        if sitemap:
            self.in_sitemap.append(url)

    @staticmethod
    def question(q: Question, *fields: str) -> list[Node]:
        """Fields of a question file; every reader reads its status too (a draft is shown nowhere)."""
        return [(q.source_path, "", name) for name in (*fields, "status")]

    @staticmethod
    def answers(q: Question, *fields: str) -> list[Node]:
        return [(a.source_path, "", name) for a in q.answers for name in fields]

    def person(self, person: Person | None, *fields: str) -> list[Node]:
        """Fields of a people.yml entry; 'points' is the derived fact (imported or computed)."""
        if person is None or person.is_anonymous:
            return []
        parts: list[Node] = [(self.yml[PEOPLE], person.handle, name) for name in fields if name != "points"]
        return parts + ([POINTS + person.handle] if "points" in fields else [])

    def category(self, category: Category, *fields: str) -> list[Node]:
        return [(self.yml[CATEGORIES], category.name, name) for name in fields]

    def tags(self, tags: Iterable[Tag], *fields: str) -> list[Node]:
        """A tag's shown name depends on its tags.yml entry too (synonyms)."""
        return [(self.yml[TAGS], tag.name, name) for tag in tags for name in ("synonyms", *fields)]

    def helplines(self) -> list[Node]:
        """Every country of helplines.yml (the graph does not know which one is the default)."""
        return [(self.yml[HELPLINES], code, ALL) for code in self.site.helplines]

    def row(self, q: Question) -> None:
        """The facts '@row:<path>', what a question's row shows (one edge per row on each listing, not per part), and
        '@lastmod:<path>', its last-modified date in the sitemap (so an answer added or deleted rebuilds no sitemap)."""
        parts = self.question(q, *ROW) + self.answers(q, "accepted") + self.person(q.author, "name", "points")
        parts += self.category(q.category, "name", "content_note") + self.tags(q.tags, "content_note")
        self.read(f"@row:{q.source_path}", parts)
        self.read(f"@lastmod:{q.source_path}", self.question(q, "date", "edited") + self.answers(q, "date", "edited"))

    def chrome(self) -> None:
        self.read(CHROME, [(page.source_path, "", "title") for page in self.site.pages])

    def points(self, person: Person) -> None:
        fact, handle = POINTS + person.handle, person.handle
        self.read(fact, [(self.yml[PEOPLE], handle, "points")])
        if person.imported_points is None:  # else computed from the votes on their posts
            self.read(
                fact, [n for q in self.site.asked_by.get(handle, []) for n in self.question(q, "votes", "author")]
            )
            self.read(fact, [(a.source_path, "", n) for a in self.site.answered_by.get(handle, []) for n in VOTED])

    def question_page(self, q: Question, related: Sequence[Related]) -> None:
        nodes: list[Node] = [(q.source_path, "", ALL), *((a.source_path, "", ALL) for a in q.answers)]
        for post in (q, *q.answers):
            nodes += self.person(
                post.author, "name", "credentials", "points", "verified", *(("url",) if post.source else ())
            )
            nodes += self.person(post.edited_by, "name") + self.person(post.reviewed_by, "name", "credentials")
        nodes += self.category(q.category, "name", "content_note", "review_interval_days", "sensitive")
        nodes += self.tags(q.tags, "content_note")
        nodes += self.helplines() if q.sensitive else []  # the crisis notice (the default country's)
        for item in related:  # the reason, shared tags, is in the selection
            nodes += self.question(item.question, "title", "votes")
        selection = ("question", tuple((item.question.slug, item.shared_tags) for item in related))
        self.page(q.url, selection, nodes)

    def listing(self, base: str, questions: list[Question], per_page: int, nodes: list[Node]) -> None:
        for page in listings.paginate(questions, base=base, per_page=per_page, title=""):
            p = page.pagination
            selection = ("listing", p.page_number, p.page_count, p.total, tuple(q.slug for q in page.questions))
            self.page(page.url, selection, nodes + [f"@row:{q.source_path}" for q in page.questions])  # row()

    def indexes(self) -> None:
        """The category and tag indexes and the search page: names and counts. The counts are not in the
        selections (nor in the unit's signature): every question's category, tags and status feed these pages, so a
        change that moves a count feeds them anyway, and a tags edit does not rebuild this unit (~60,000 edges)."""
        categories = self.site.categories.values()
        category_names = frozenset(c.name for c in categories)
        tag_names = frozenset(self.site.tags)
        in_category = [n for q in self.site.questions for n in self.question(q, "category")]
        tagged = [n for q in self.site.questions for n in self.question(q, "tags")] + self.tags(self.site.tags.values())
        names = [n for c in categories for n in self.category(c, "name", "order")] + in_category
        described = [n for c in categories for n in self.category(c, "description")]
        self.page(Urls.categories, ("categories", category_names), names + described)
        self.page(Urls.tags, ("tags", tag_names), tagged)
        self.page(Urls.search, ("search", category_names, tag_names), names + tagged, sitemap=False)
        self.page(Urls.contribute, (), [])
        self.page(Urls.help, (), self.helplines())
        self.page(Urls.not_found, (), [], sitemap=False)

    def member(self, person: Person, url: str) -> None:
        asked, answered = self.site.asked_by.get(person.handle, []), self.site.answered_by.get(person.handle, [])
        nodes = self.person(person, "name", "credentials", "bio", "url", "points", "verified")
        nodes += [n for q in asked for n in self.question(q, "title", "votes", "date", "author")]
        nodes += [(a.source_path, "", n) for a in answered for n in (*VOTED, "date")]
        nodes += [n for a in answered if a.question for n in self.question(a.question, "title")]
        selection = ("member", frozenset(q.slug for q in asked), frozenset(a.source_path for a in answered))
        self.page(url, selection, nodes)

    def trust_pages(self) -> None:
        """/verification/ lists the verified members; /review-due/ the reviewed posts (not in the sitemap)."""
        people = [p for p in self.site.people.values() if p.verification is not None]
        nodes = [n for p in people for n in self.person(p, "name", "credentials", "verified")]
        self.page(Urls.verification, ("verification", frozenset(p.handle for p in people)), nodes)
        reviewed = [(q, post) for q in self.site.questions for post in (q, *q.answers) if post.reviewed_by]
        nodes = [(post.source_path, "", name) for _, post in reviewed for name in ("reviewed_by", "last_reviewed")]
        nodes += [n for q, post in reviewed for n in self.question(q, "title", "category")]
        nodes += [n for q, post in reviewed for n in self.category(q.category, "review_interval_days")]
        nodes += [n for q, post in reviewed for n in self.person(post.reviewed_by, "name")]
        selection = ("review-due", frozenset(post.source_path for _, post in reviewed))
        self.page(Urls.review_due, selection, nodes, sitemap=False)

    def pages_and_redirects(self) -> None:
        for page in self.site.pages:
            self.page(page.url, ("page",), [(page.source_path, "", ALL)])
        for synonym, name in sorted(self.site.synonyms.items()):
            if name in self.site.tags:
                nodes = self.tags([self.site.tags[name]])
                self.page(self.urls.url("tag", synonym), ("redirect", name), nodes, sitemap=False)

    def feed(self, url: str, chosen: Sequence[Question], nodes: list[Node]) -> None:
        """A feed of ``chosen`` (``feeds.latest``)."""
        self.selections[url] = ("feed", tuple(q.slug for q in chosen))
        for q in chosen:
            nodes += self.question(q, "title", TEXT, "author", "date", "edited", "tags")
            nodes += self.answers(q, "date", "edited") + self.person(q.author, "name")
            nodes += self.category(q.category, "content_note") + self.tags(q.tags, "content_note")
        self.read(url, nodes)

    def sitemap_unit(self, units: Mapping[Hashable, Unit]) -> tuple[Hashable, Hashable, Callable[[], None]]:
        """The sitemap, built last: every address the other ``units`` list, and each question's last-modified date."""
        order = tuple(c.name for c in self.site.category_order) + tuple(t.name for t in self.site.tag_order)
        listed = frozenset(url for uid, unit in units.items() if uid != "sitemap" for url in unit[2])
        paths = tuple(q.source_path for q in self.site.questions)

        def build() -> None:
            self.selections[Urls.sitemap] = ("sitemap", listed, order)  # listed in that order
            self.read(Urls.sitemap, [f"@lastmod:{path}" for path in paths])  # row()

        return "sitemap", (listed, order, paths), build
