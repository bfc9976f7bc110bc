"""The Pelican generator: load all content in generate_context, write pages in generate_output."""

from __future__ import annotations

import html
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ..build.parallel import process_count, run_forked
from ..config.problems import ContentError
from ..config.settings import urls_from
from ..config.urls import Urls, absolute, absolute_base, save_as
from ..content import confine
from ..content.links import under_path
from ..content.loader import Site, load_site
from ..content.model import Answer, Question
from ..content.related import compute_related
from ..tools import contribute
from . import assets, listings
from .feeds import atom_feed
from .filters import memo_filter
from .headers import HEADERS_FILE, headers_file, security_headers
from .search_index import finish_index, start_index
from .seo import robots, sitemap
from .structured_data import breadcrumb_list, qa_page

logger = logging.getLogger(__name__)

Crumbs = list[tuple[str, str | None]]
HOME = ("Home", Urls.home)


@dataclass
class PageMeta:
    """What a page's <head> needs beyond its title: canonical URL, feed, OpenGraph type, JSON-LD."""

    canonical: str
    og_type: str = "website"
    feed: str | None = None
    jsonld: list[dict[str, Any]] = field(default_factory=list)


class QAGenerator(Generator):
    """Reads content/ (questions, answers, people, categories, pages); writes the whole site."""

    site: Site

    def generate_context(self) -> None:
        """Load and validate everything; raise ContentError listing every problem."""
        self.urls = urls_from(self.settings)
        site, problems = load_site(
            Path(self.path),
            timezone=self.settings["TIMEZONE"],
            urls=self.urls,
            processes=self.settings["QA_RENDER_PROCESSES"],
        )
        # Pelican copies the theme's static files after this: check them before anything is written.
        problems += confine.scan_theme_static(Path(self.theme), self.settings["THEME_STATIC_PATHS"])
        if any(p.is_error for p in problems):
            raise ContentError(problems)
        for problem in problems:
            logger.warning("%s", problem)
        self.site = site
        self.base = absolute_base(self.settings["SITEURL"])
        self.sitemap: list[tuple[str, str | None]] = []
        self._enrich(site)
        self._group(site)
        self.env.filters["memo"] = memo_filter()
        self.stylesheet = assets.stylesheet(Path(self.theme), self.settings["THEME_STATIC_DIR"])
        self.context.update(
            qa_stylesheet=self.stylesheet.path,
            qa_breakpoints=self.stylesheet.breakpoints,
            pages=site.pages,
            qa_site=site,
            qa_urls=self.urls,
            ask_url=self._ask_url(),
            contribute_url=contribute.CONTRIBUTE_URL,
        )
        logger.info(
            "Loaded %d questions, %d answers, %d drafts",
            len(site.questions),
            sum(q.answer_count for q in site.questions),
            len(site.drafts),
        )

    def _enrich(self, site: Site) -> None:
        related = compute_related(site.questions, limit=self.settings["QA_RELATED_COUNT"])
        repo, branch = self.settings["QA_REPO_URL"], self.settings["QA_REPO_BRANCH"]
        for question in site.questions:
            question.related = related[question.slug]
            question.answer_link = contribute.answer_url(question, repo=repo, branch=branch) or self._contribute_href
            for post in (question, *question.answers):
                post.edit_link = contribute.edit_url(repo=repo, branch=branch, path=post.source_path) if repo else None
                post.body_html = under_path(post.body_html, self.settings["SITEURL"])
        for page in site.pages:
            page.content = under_path(page.content, self.settings["SITEURL"])

    def _group(self, site: Site) -> None:
        """Questions by category and by tag, built once for every listing and feed."""
        self.by_category: dict[str, list[Question]] = defaultdict(list)
        self.by_tag: dict[str, list[Question]] = defaultdict(list)
        for question in site.questions:
            self.by_category[question.category.name].append(question)
            for tag in question.tags:
                self.by_tag[tag.name].append(question)

    @property
    def _contribute_href(self) -> str:
        return f"{self.settings['SITEURL']}/{contribute.CONTRIBUTE_URL}"

    def _ask_url(self) -> str:
        repo, branch = self.settings["QA_REPO_URL"], self.settings["QA_REPO_BRANCH"]
        return contribute.ask_url(repo=repo, branch=branch) or self._contribute_href

    def generate_output(self, writer: Any) -> None:
        """Write every page, the feeds, sitemap.xml, robots.txt and _headers; index the question pages meanwhile."""
        self._write_questions(writer)
        # Pagefind refuses to build an empty index: a site with no published question yet has no search.
        searchable = self.settings["QA_SEARCH"] and self.site.questions
        indexer = start_index(Path(self.output_path), self.urls.glob("question")) if searchable else None
        try:
            self._write_the_rest(writer)
        except BaseException:
            if indexer is not None:
                indexer.kill()
                indexer.communicate()
            raise
        if indexer is not None:
            finish_index(indexer)

    def _write_the_rest(self, writer: Any) -> None:
        """Everything but the question pages (written while Pagefind indexes those)."""
        self._write_home_listings(writer)
        self._write_categories(writer)
        self._write_tags(writer)
        self._write_users(writer)
        for page in self.site.pages:
            self._write(writer, page.url, "page.html", [HOME, (page.title, None)], page=page)
        self._write(writer, contribute.CONTRIBUTE_URL, "contribute.html", [HOME, ("How to contribute", None)])
        self._write(writer, Urls.search, "search.html", [HOME, ("Search", None)], sitemap=False)
        self._write(writer, Urls.not_found, "404.html", None, sitemap=False, meta=PageMeta(""))
        self._write_feeds(writer)
        self._write_text(self.stylesheet.path, self.stylesheet.text)
        self._write_text(Urls.sitemap, sitemap(self.base, self.sitemap))
        self._write_text(Urls.robots, robots(self.base))
        cached = [assets.cache_pattern(self.settings["THEME_STATIC_DIR"])]
        self._write_text(HEADERS_FILE, headers_file(security_headers(self.settings["QA_CSP"]), immutable=cached))

    def _write(
        self,
        writer: Any,
        url: str,
        template: str,
        crumbs: Crumbs | None,
        *,
        sitemap: bool = True,
        lastmod: str | None = None,
        meta: PageMeta | None = None,
        **variables: Any,
    ) -> None:
        meta = meta or PageMeta(absolute(self.base, url))
        if crumbs:
            meta.jsonld.append(breadcrumb_list(self.base, crumbs, url))
        if sitemap:
            self.sitemap.append((url, lastmod))
        writer.write_file(
            self._inside_output(save_as(url)),
            self.get_template(template.removesuffix(".html")),
            self.context,
            breadcrumbs=crumbs,
            meta=meta,
            **variables,
        )

    def _inside_output(self, name: str) -> str:
        """``name`` if it stays inside the output folder once resolved; else BuildError (every write checks)."""
        confine.output_file(Path(self.output_path), name)
        return name

    def _write_text(self, name: str, text: str) -> None:
        path = confine.output_file(Path(self.output_path), name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def _write_questions(self, writer: Any) -> None:
        """Question pages, in parallel processes on large sites (QA_RENDER_PROCESSES)."""
        questions = self.site.questions
        processes = process_count(self.settings["QA_RENDER_PROCESSES"], len(questions))

        def write(share: Sequence[Question]) -> None:
            for question in share:
                self._write_question(writer, question)

        run_forked(questions, write, processes=processes)
        self.sitemap += [(q.url, q.last_modified.date().isoformat()) for q in questions]

    def _write_question(self, writer: Any, question: Question) -> None:
        crumbs: Crumbs = [HOME, (question.category.name, question.category.url), (question.title, None)]
        meta = PageMeta(
            absolute(self.base, question.url), "article", self.urls.feed("category", question.category.slug)
        )
        qa = qa_page(self.base, question)
        meta.jsonld += [qa] if qa else []
        self._write(writer, question.url, "question.html", crumbs, meta=meta, question=question, sitemap=False)

    def _write_listing(
        self,
        writer: Any,
        questions: list[Question],
        base: str,
        title: str,
        *,
        tabs: tuple[tuple[str, str], ...] = (),
        crumbs: Crumbs | None = None,
        feed: str = Urls.all_feed,
        **extra: Any,
    ) -> None:
        def make(url: str, chunk: list[Question], pagination: listings.Pagination) -> listings.Listing:
            tab_list = [listings.Tab(label, tab_url, tab_url == base) for label, tab_url in tabs]
            return listings.Listing(title, url, chunk, pagination, tabs=tab_list, **extra)

        for listing in listings.paginate(questions, base=base, per_page=self.settings["QA_PER_PAGE"], make=make):
            meta = PageMeta(absolute(self.base, listing.url), feed=feed)
            self._write(writer, listing.url, "listing.html", crumbs, meta=meta, listing=listing)

    def _write_home_listings(self, writer: Any) -> None:
        questions = self.site.questions
        tabs = (("Top voted", Urls.home), ("Newest", Urls.newest), ("Unanswered", Urls.unanswered))
        self._write_listing(writer, listings.top_voted(questions), Urls.home, "Top questions", tabs=tabs)
        self._write_listing(writer, listings.newest(questions), Urls.newest, "Newest questions", tabs=tabs)
        self._write_listing(
            writer,
            listings.unanswered(questions),
            Urls.unanswered,
            "Unanswered questions",
            tabs=tabs,
            empty_message="Every question has an answer. Thank you, everyone!",
        )

    def _write_categories(self, writer: Any) -> None:
        categories = sorted(self.site.categories.values(), key=lambda c: (c.order, c.name))
        self._write(
            writer,
            Urls.categories,
            "categories.html",
            [HOME, ("Categories", None)],
            categories=categories,
            title="Categories",
        )
        for category in categories:
            chosen = self.by_category[category.name]
            crumbs: Crumbs = [HOME, ("Categories", Urls.categories), (category.name, None)]
            self._write_listing(
                writer,
                listings.top_voted(chosen),
                category.url,
                category.name,
                crumbs=crumbs,
                feed=self.urls.feed("category", category.slug),
                description_html=f"<p>{html.escape(category.description)}</p>",
            )

    def _write_tags(self, writer: Any) -> None:
        tags = sorted(self.site.tags.values(), key=lambda t: (-t.count, t.name))
        self._write(writer, Urls.tags, "tags.html", [HOME, ("Tags", None)], tags=tags, title="Tags")
        for tag in tags:
            chosen = self.by_tag[tag.name]
            crumbs: Crumbs = [HOME, ("Tags", Urls.tags), (tag.name, None)]
            self._write_listing(
                writer,
                listings.top_voted(chosen),
                tag.url,
                f"Questions tagged “{tag.name}”",
                crumbs=crumbs,
                feed=self.urls.feed("tag", tag.name),
                description_html=f"<p>{html.escape(tag.description)}</p>" if tag.description else None,
            )
        self._write_tag_redirects(writer)

    def _write_tag_redirects(self, writer: Any) -> None:
        """Old tag addresses (synonyms in content/tags.yml) send readers to the main tag."""
        for synonym, name in sorted(self.site.synonyms.items()):
            if name in self.site.tags:
                target = self.site.tags[name].url
                meta = PageMeta(absolute(self.base, target))
                self._write(
                    writer,
                    self.urls.url("tag", synonym),
                    "redirect.html",
                    None,
                    sitemap=False,
                    meta=meta,
                    target=target,
                    title=f"Questions tagged “{name}”",
                )

    def _write_users(self, writer: Any) -> None:
        asked: dict[str, list[Question]] = defaultdict(list)
        answered: dict[str, list[Answer]] = defaultdict(list)
        for question in self.site.questions:
            asked[question.author.handle].append(question)
            for answer in question.answers:
                answered[answer.author.handle].append(answer)
        for person in self.site.people.values():
            if person.is_anonymous:
                continue
            questions = listings.newest(asked[person.handle])
            answers = sorted(answered[person.handle], key=lambda a: (-a.votes, a.date, a.id))
            meta = PageMeta(absolute(self.base, person.url), "profile")
            self._write(
                writer,
                person.url,
                "user.html",
                [HOME, (person.name, None)],
                meta=meta,
                person=person,
                questions=questions,
                answers=answers,
            )

    def _write_feeds(self, writer: Any) -> None:
        name, lang = self.settings["SITENAME"], self.settings["DEFAULT_LANG"]
        feeds = [(Urls.all_feed, name, Urls.home, self.site.questions)]
        for c in self.site.categories.values():
            chosen = self.by_category[c.name]
            feeds.append((self.urls.feed("category", c.slug), f"{name}: {c.name}", c.url, chosen))
        for t in self.site.tags.values():
            chosen = self.by_tag[t.name]
            feeds.append((self.urls.feed("tag", t.name), f"{name}: questions tagged {t.name}", t.url, chosen))
        for feed_url, title, page_url, questions in feeds:
            text = atom_feed(
                base=self.base,
                title=title,
                page_url=page_url,
                feed_url=feed_url,
                language=lang,
                description=self.settings["QA_SITE_DESCRIPTION"],
                questions=questions,
            )
            self._write_text(feed_url, text)
