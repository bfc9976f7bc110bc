"""Load a site again in memory after an edit (the live preview): only what changed is read and checked again.

A load that keeps a ``Memo`` (``load_site(keep=True)``: the preview's builds) records what each *unit* of the
content folder gave: a question folder (its question and answers, the problems found loading them) or a page
file, and, for each of their posts, what rendering and the text lints found (links, nesting, privacy and
safe-messaging warnings) and the HTML as rendered; also what the YAML files gave, and the scan of the folder
with each file's identity (inode, size, mtime and ctime: ``confine.scan``).

The next load of the same folder with the same settings in this process scans the folder again and compares
the two scans: a unit none of whose files or folders changed is taken as it was (its objects reused, its
problems and findings added again) and every other unit is loaded, rendered and linted as a full load would.
What needs the whole site (the folder listings' own checks, groupings and counts, points, trust, links,
similar tags) runs over everything, as in a full load. A ``people.yml`` edit that keeps the same handles
updates the ``Person`` objects in place (every post holding one sees it). Anything else outside the units
(another YAML file, a handle added or removed, a new top-level entry) gives a full load, and so does another
content folder or other settings. ``tests/test_reload.py`` compares the result with a full load after random
edits of every kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config.problems import Problem
from ..config.urls import Urls
from .confine import Tree
from .data import load_categories, load_people, load_tags
from .helplines import load_helplines
from .links import LinkSource
from .model import Answer, Person, Question, Tag
from .people import PEOPLE_FILE, people_from
from .read import Reader
from .site import Page, Site

if TYPE_CHECKING:
    from .bodies import Bodies

Post = Question | Answer | Page


@dataclass(eq=False, kw_only=True)
class Unit:
    """What loading one question folder or page file gave."""

    problems: list[Problem] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)  # the posts whose bodies it queued, in queue order
    question: Question | None = None
    page: Page | None = None
    links: list[LinkSource] = field(default_factory=list)
    found: list[Problem] = field(default_factory=list)  # nesting problems, privacy and safe-messaging warnings
    html: list[str] = field(default_factory=list)  # each post's HTML as rendered (the generator rewrites it)
    start: int = 0  # where its posts are in this load's queue


@dataclass(eq=False, kw_only=True)
class Memo:
    """What a load kept for the next load of the same content folder with the same settings."""

    key: tuple[Any, ...]
    tree: Tree | None = None  # the last load's scan (None: nothing kept yet: a full load)
    units: dict[Path, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    people_problems: list[Problem] = field(default_factory=list)
    data: tuple[Any, ...] = ()  # categories, helplines, synonyms, tag fields, their problems
    tags: dict[str, Tag] = field(default_factory=dict)  # every Tag object made so far, by name
    changed: set[Path] | None = None  # units to load again (None: all)
    new_people: tuple[dict[str, Person], list[Problem]] | None = None  # people.yml as just read, if it changed
    loaded: list[Unit] = field(default_factory=list)  # the units loaded in this load
    seen: set[Path] = field(default_factory=set)  # every unit of this load

    @property
    def reloading(self) -> bool:
        """True when this load reuses the last one's units."""
        return self.changed is not None

    def compare(self, reader: Reader, urls: Urls) -> bool:
        """Find the units that changed since the last load; False when this load must be a full one."""
        if self.tree is None:
            return False
        changed = reader.tree.changed  # the scan compared with the last one
        units: set[Path] = set()
        content = reader.content
        for path in changed:
            parts = path.relative_to(content).parts
            if parts and parts[0] in ("questions", "pages"):
                if len(parts) > 1:
                    units.add(content / parts[0] / parts[1])
            elif parts == (PEOPLE_FILE,):
                mark = len(reader.problems)
                located = reader.yaml_file(PEOPLE_FILE)
                people, found = people_from(located, reader.rel(content / PEOPLE_FILE), urls)
                self.new_people = people, reader.problems[mark:] + found  # added by load_data, as a full load does
                del reader.problems[mark:]
                if people.keys() != self.people.keys():  # a handle came or went: rules change
                    return False
            else:
                return False
        if len(units) * 2 > len(self.units):  # most units changed (a fresh checkout: new inodes): a full load, which
            return False  # takes each file's work from the build cache by its bytes (build/resume.py)
        self.changed = units
        return True

    def load_data(self, reader: Reader, site: Site, urls: Urls) -> dict[str, dict[str, Any]]:
        """The YAML files into ``site`` (kept ones reused); return the tags' fields."""
        if not self.reloading:
            mark = len(reader.problems)
            load_people(reader, site, urls)
            self.people, self.people_problems = site.people, reader.problems[mark:]
            mark = len(reader.problems)
            load_categories(reader, site, urls)
            load_helplines(reader, site)
            fields = load_tags(reader, site)
            self.data = (site.categories, site.helplines, site.synonyms, fields, reader.problems[mark:])
            self.tags = site.tags
            return fields
        if self.new_people is not None:  # the same handles: each Person object takes its new fields
            people, self.people_problems = self.new_people
            for handle, person in people.items():
                vars(self.people[handle]).update(vars(person))
            self.people = {handle: self.people[handle] for handle in people}
        reader.problems += self.people_problems
        site.categories, site.helplines, site.synonyms, fields, problems = self.data
        reader.problems += problems
        site.people = self.people
        for category in site.categories.values():
            category.count = 0
        for tag in self.tags.values():
            tag.count = 0
        site.tags = self.tags  # every tag made so far: no second Tag of a name (those unused are dropped by finish)
        return fields

    def unit(self, path: Path, site: Site, reader: Reader, bodies: Bodies, load: Callable[[], None]) -> None:
        """Load the unit at ``path``, or take it as the last load left it when nothing in it changed."""
        self.seen.add(path)
        kept = self.units.get(path)
        if kept is not None and self.changed is not None and path not in self.changed:
            reader.problems += kept.problems
            if kept.question is not None:
                (site.questions if kept.question.status == "published" else site.drafts).append(kept.question)
            if kept.page is not None:
                site.pages.append(kept.page)
            return
        marks = (len(reader.problems), len(site.questions), len(site.drafts), len(site.pages))
        unit = Unit(start=len(bodies.pending))
        load()
        unit.problems = reader.problems[marks[0] :]
        unit.posts = [pending.post for pending in bodies.pending[unit.start :]]
        added = site.questions[marks[1] :] + site.drafts[marks[2] :]
        unit.question = added[0] if added else None
        unit.page = site.pages[marks[3]] if len(site.pages) > marks[3] else None
        self.units[path] = unit
        self.loaded.append(unit)

    def rendered(self, bodies: Bodies, warnings: list[Problem]) -> None:
        """After rendering: keep what the units loaded now found, and add what the kept ones found before."""
        found: dict[str, list[Problem]] = {}
        for problem in (*bodies.problems, *warnings):
            found.setdefault(problem.path, []).append(problem)
        links = {source.path: source for source in bodies.link_sources}
        for unit in self.loaded:
            paths = [post.source_path for post in unit.posts]
            unit.links = [links[path] for path in paths if path in links]  # the posts with links (bodies)
            unit.found = [problem for path in dict.fromkeys(paths) for problem in found.get(path, ())]
            unit.html = [_html(post) for post in unit.posts]
        self.units = {path: unit for path, unit in self.units.items() if path in self.seen}  # units gone: dropped
        if self.reloading:
            fresh = {id(unit) for unit in self.loaded}
            for unit in self.units.values():
                if id(unit) not in fresh:
                    _restore(unit)
                    bodies.link_sources += unit.links
                    warnings += unit.found

    def keep(self, tree: Tree) -> None:
        """Ready for the next load: this load's scan, no transient state."""
        self.tree, self.changed, self.new_people, self.loaded, self.seen = tree, None, None, [], set()
        self.tags = dict(self.tags)  # finish() keeps only the counted tags in the site: the memo keeps them all


def _html(post: Post) -> str:
    return post.content if isinstance(post, Page) else post.body_html


def _restore(unit: Unit) -> None:
    """The unit's posts as a load leaves them: the generator rewrote their HTML (``under_path``) and added links."""
    for post, html in zip(unit.posts, unit.html, strict=True):
        if isinstance(post, Page):
            post.content = html
            continue
        post.body_html, post.edit_link = html, None
        if isinstance(post, Question):
            post.related, post.answer_link = [], None


_LAST: Memo | None = None  # the last kept load of this process (one site in memory: taken while loading)


def take(key: tuple[Any, ...]) -> Memo:
    """The memo of the last kept load if it was made with ``key``, else an empty one; none is kept meanwhile."""
    global _LAST
    memo, _LAST = _LAST, None
    return memo if memo is not None and memo.key == key else Memo(key=key)


def keep(memo: Memo, tree: Tree) -> None:
    """Keep ``memo`` for the next load in this process."""
    global _LAST
    memo.keep(tree)
    _LAST = memo


def kept() -> Memo | None:
    """The memo kept for this process's next load, if any (``build/resume.py`` persists it for a new process)."""
    return _LAST


def adopt(memo: Memo) -> None:
    """Keep ``memo`` (read back from the build cache by ``build/resume.py``) for the next load in this process."""
    global _LAST
    _LAST = memo


def forget() -> None:
    """Keep nothing (the next kept load is a full one)."""
    global _LAST
    _LAST = None
