"""The site model: every question, person, category, tag and page, and the groupings every page kind reads.

The loader fills a ``Site`` and calls ``finish()`` once: questions in slug order, category and tag counts,
the questions of each category, tag and author, the answers of each author, the display order of categories
and tags, and members' points. The generator, the feeds and the templates read these; nothing regroups them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .model import Answer, Category, Country, Person, Question, Tag
from .points import compute_points
from .related import Vectors, build_vectors
from .stats import LoadStats


@dataclass(eq=False, kw_only=True)
class Page:
    """A static page from content/pages/ (about, guidelines...)."""

    slug: str
    title: str
    description: str | None
    content: str
    url: str
    source_path: str


@dataclass(eq=False, kw_only=True)
class Site:
    """Everything the generator renders, grouped once (``finish()``)."""

    questions: list[Question] = field(default_factory=list)
    drafts: list[Question] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)
    helplines: dict[str, Country] = field(default_factory=dict)  # by country code, in file order
    # Filled by finish(): published questions only, each list in slug order.
    by_category: dict[str, list[Question]] = field(default_factory=dict)
    by_tag: dict[str, list[Question]] = field(default_factory=dict)
    asked_by: dict[str, list[Question]] = field(default_factory=dict)
    answered_by: dict[str, list[Answer]] = field(default_factory=dict)
    category_order: list[Category] = field(default_factory=list)
    tag_order: list[Tag] = field(default_factory=list)
    stats: LoadStats = field(default_factory=LoadStats)

    @cached_property
    def vectors(self) -> Vectors:
        """The questions' TF-IDF vectors, built once for related questions and possible duplicates."""
        self.stats.count_vectors()
        return build_vectors(self.questions)

    def finish(self) -> None:
        """Sort, count and group the loaded questions; give members their points."""
        self.questions.sort(key=lambda q: q.slug)
        for question in self.questions:
            question.category.count += 1
            for tag in question.tags:
                tag.count += 1
        self.tags = {name: tag for name, tag in sorted(self.tags.items()) if tag.count}
        self._group()
        self.category_order = sorted(self.categories.values(), key=lambda c: (c.order, c.name))
        self.tag_order = sorted(self.tags.values(), key=lambda t: (-t.count, t.name))
        self._assign_points()

    def _group(self) -> None:
        by_category, by_tag = defaultdict(list), defaultdict(list)
        asked_by, answered_by = defaultdict(list), defaultdict(list)
        for question in self.questions:
            by_category[question.category.name].append(question)
            asked_by[question.author.handle].append(question)
            for tag in question.tags:
                by_tag[tag.name].append(question)
            for answer in question.answers:
                answered_by[answer.author.handle].append(answer)
        self.by_category = {name: by_category[name] for name in self.categories}
        self.by_tag = {name: by_tag[name] for name in self.tags}
        self.asked_by = {handle: asked_by[handle] for handle in self.people}
        self.answered_by = {handle: answered_by[handle] for handle in self.people}

    def _assign_points(self) -> None:
        for handle, person in self.people.items():
            if person.is_anonymous:
                continue
            answers = self.answered_by[handle]
            person.points = (
                person.imported_points
                if person.imported_points is not None
                else compute_points(
                    question_votes=[q.votes for q in self.asked_by[handle]],
                    answer_votes=[a.votes for a in answers],
                    accepted=sum(a.accepted for a in answers),
                )
            )
