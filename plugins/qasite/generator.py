"""The Pelican generator: load all content in generate_context, write pages in generate_output."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import listings
from .loader import Site, load_site
from .model import Question
from .problems import ContentError
from .settings import urls_from
from .urls import save_as

logger = logging.getLogger(__name__)

Crumbs = list[tuple[str, str | None]]


class QAGenerator(Generator):
    """Reads content/questions, people, categories and pages; writes the whole site."""

    site: Site

    def generate_context(self) -> None:
        """Load and validate everything; raise ContentError listing every problem."""
        site, problems = load_site(Path(self.path), timezone=self.settings["TIMEZONE"], urls=urls_from(self.settings))
        if problems:
            raise ContentError(problems)
        self.site = site
        self.context["qa_site"] = site
        self.context["pages"] = site.pages
        logger.info(
            "Loaded %d questions, %d answers, %d drafts",
            len(site.questions),
            sum(q.answer_count for q in site.questions),
            len(site.drafts),
        )

    def generate_output(self, writer: Any) -> None:
        """Write question pages, listings, category/tag/user pages, static pages and 404."""
        for question in self.site.questions:
            self._write_question(writer, question)
        self._write_home_listings(writer)
        self._write_categories(writer)
        self._write_tags(writer)
        self._write_users(writer)
        for page in self.site.pages:
            self._write(writer, page.url, "page.html", page=page, breadcrumbs=[("Home", ""), (page.title, None)])
        self._write(writer, "404.html", "404.html")

    def _write(self, writer: Any, url: str, template: str, **variables: Any) -> None:
        writer.write_file(
            save_as(url), self.get_template(template.removesuffix(".html")), self.context, url=url, **variables
        )

    def _write_question(self, writer: Any, question: Question) -> None:
        crumbs: Crumbs = [("Home", ""), (question.category.name, question.category.url), (question.title, None)]
        self._write(writer, question.url, "question.html", question=question, breadcrumbs=crumbs)

    def _write_listing(
        self,
        writer: Any,
        questions: list[Question],
        base: str,
        title: str,
        tabs: list[tuple[str, str]] = (),
        crumbs: Crumbs | None = None,
        **extra: Any,
    ) -> None:
        def make(url: str, chunk: list[Question], pagination: listings.Pagination) -> listings.Listing:
            tab_list = [listings.Tab(label, tab_url, tab_url == base) for label, tab_url in tabs]
            return listings.Listing(title, url, chunk, pagination, tabs=tab_list, **extra)

        for listing in listings.paginate(questions, base=base, per_page=self.settings["QA_PER_PAGE"], make=make):
            self._write(writer, listing.url, "listing.html", listing=listing, breadcrumbs=crumbs)

    def _write_home_listings(self, writer: Any) -> None:
        questions = self.site.questions
        tabs = [("Top voted", ""), ("Newest", "newest/"), ("Unanswered", "unanswered/")]
        self._write_listing(writer, listings.top_voted(questions), "", "Top questions", tabs)
        self._write_listing(writer, listings.newest(questions), "newest/", "Newest questions", tabs)
        self._write_listing(
            writer,
            listings.unanswered(questions),
            "unanswered/",
            "Unanswered questions",
            tabs,
            empty_message="Every question has an answer. Thank you, everyone!",
        )

    def _write_categories(self, writer: Any) -> None:
        categories = sorted(self.site.categories.values(), key=lambda c: (c.order, c.name))
        self._write(
            writer,
            "categories/",
            "categories.html",
            categories=categories,
            title="Categories",
            breadcrumbs=[("Home", ""), ("Categories", None)],
        )
        for category in categories:
            chosen = [q for q in self.site.questions if q.category is category]
            crumbs: Crumbs = [("Home", ""), ("Categories", "categories/"), (category.name, None)]
            self._write_listing(
                writer,
                listings.top_voted(chosen),
                category.url,
                category.name,
                crumbs=crumbs,
                description_html=f"<p>{html.escape(category.description)}</p>",
            )

    def _write_tags(self, writer: Any) -> None:
        tags = sorted(self.site.tags.values(), key=lambda t: (-t.count, t.name))
        self._write(writer, "tags/", "tags.html", tags=tags, title="Tags", breadcrumbs=[("Home", ""), ("Tags", None)])
        for tag in tags:
            chosen = [q for q in self.site.questions if tag in q.tags]
            crumbs: Crumbs = [("Home", ""), ("Tags", "tags/"), (tag.name, None)]
            self._write_listing(
                writer, listings.top_voted(chosen), tag.url, f"Questions tagged “{tag.name}”", crumbs=crumbs
            )

    def _write_users(self, writer: Any) -> None:
        for person in self.site.people.values():
            if person.is_anonymous:
                continue
            questions = listings.newest(q for q in self.site.questions if q.author is person)
            answers = sorted(
                (a for q in self.site.questions for a in q.answers if a.author is person),
                key=lambda a: (-a.votes, a.date, a.id),
            )
            crumbs: Crumbs = [("Home", ""), (person.name, None)]
            self._write(
                writer, person.url, "user.html", person=person, questions=questions, answers=answers, breadcrumbs=crumbs
            )
