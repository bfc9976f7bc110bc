"""The Pelican generator: load all content in generate_context, write pages in generate_output."""

from __future__ import annotations

import functools
import gc
import logging
import os
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ..build.cache import HANDED
from ..build.incremental import DEFER_SEARCH, PARTIAL, RELATED, Partial
from ..build.writer import replace_file, write_page
from ..config import clock
from ..config.problems import ContentError, Problem
from ..config.settings import urls_from
from ..config.urls import Urls, absolute, absolute_base, save_as
from ..content import confine
from ..content.loader import LOADED, Loaded, load_from_settings
from ..content.related import compute_related
from ..content.related_shards import ShardRelated
from ..content.site import Site
from ..tools import contribute
from . import assets, bytecode, listings, rows, search_shards
from .client_config import client_config
from .enrich import enrich
from .feeds import atom_feed, latest_of, site_feeds
from .headers import HEADERS_FILE, headers_file, security_headers
from .help import help_page, help_warnings
from .listing_pages import ListingPages
from .llms import about, llms_txt, write_alternates
from .once import once_global
from .page_meta import HOME, Crumbs, PageMeta, header_marked
from .question_pages import QuestionPages
from .seo import robots, sitemap
from .structured_data import breadcrumb_list
from .trust_pages import write_trust_pages

logger = logging.getLogger(__name__)


class QAGenerator(QuestionPages, ListingPages, Generator):
    """Reads content/ (questions, answers, people, categories, pages); writes the whole site."""

    site: Site
    indexer: search_shards.ShardIndexer | None = None  # indexing the question pages' search shards

    def generate_context(self) -> None:
        """Load and validate everything; raise ContentError listing every problem."""
        self.urls = urls_from(self.settings)
        gc.unfreeze()  # a failed build's site, frozen below, may be collected now
        enabled = gc.isenabled()  # off already in the preview's rebuilds (tools/livereload.py)
        gc.disable()  # the load makes millions of objects that live to the end: collecting would only walk them again
        try:
            site, problems = self._load()
        finally:
            if enabled:
                gc.enable()
        problems += help_warnings(site, self.settings)
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
        self.env.filters["memo"] = rows.memo_filter(self.env)
        self.env.globals["qa_once"] = once_global()  # parts of pages rendered once per build (render/once.py)
        self.stylesheet = assets.stylesheet(Path(self.theme), self.settings["THEME_STATIC_DIR"])
        self.context.update(
            qa_stylesheet=self.stylesheet.path,
            qa_breakpoints=self.stylesheet.breakpoints,
            pages=site.pages,
            qa_site=site,
            qa_urls=self.urls,
            qa_help=help_page(site, self.settings["QA_DEFAULT_COUNTRY"]),
            ask_url=self._ask_url(),
            qa_header_marked=header_marked(self.settings["QA_NAV"], self.urls),
            qa_config=client_config(
                siteurl=self.settings["SITEURL"],
                urls=self.urls,
                ask_url=self._ask_url(),
                search=self.settings["QA_SEARCH"],
                breakpoints=self.stylesheet.breakpoints,
            ),
        )
        answers = sum(q.answer_count for q in site.questions)
        logger.info("Loaded %d questions, %d answers, %d drafts", len(site.questions), answers, len(site.drafts))
        gc.freeze()  # no collection walks the loaded site again, no forked worker copies it (thawed when finalized)

    def _load(self) -> tuple[Site, list[Problem]]:
        """The site the command already loaded (``LOADED``, handed over by build.pipeline), else load it now."""
        loaded: Loaded | None = self.settings.get(LOADED)
        if loaded is not None and loaded.content == Path(self.path):
            return loaded.site, list(loaded.problems)
        return load_from_settings(Path(self.path), self.settings, self.urls)

    def _enrich(self, site: Site) -> None:
        settings = self.settings
        related = settings.get(RELATED)
        if related is None:
            related = compute_related(
                site.vectors, limit=settings["QA_RELATED_COUNT"], processes=settings["QA_RENDER_PROCESSES"]
            )
        lists = None if isinstance(related, ShardRelated) else related  # a cold build's: made before each shard's pages
        enrich(site, settings, lists, self._contribute_href)

    @property
    def _contribute_href(self) -> str:
        return f"{self.settings['SITEURL']}/{contribute.CONTRIBUTE_URL}"

    def _ask_url(self) -> str:
        repo, branch = self.settings["QA_REPO_URL"], self.settings["QA_REPO_BRANCH"]
        return contribute.ask_url(repo=repo, branch=branch) or self._contribute_href

    def generate_output(self, writer: Any) -> None:
        """Write every page, the feeds, sitemap.xml, robots.txt and _headers; index each shard of question pages
        as soon as its pages are written, while the next shard's and the rest of the site are written."""
        # Pagefind refuses to build an empty index: a site with no published question yet has no search.
        searchable = self.settings["QA_SEARCH"] and self.site.questions and (not self.partial or self.partial.reindex)
        output, questions = Path(self.output_path), self.site.questions
        self.indexer = None
        if self.partial is not None:
            # An incremental build: its question pages first, then the shards whose indexed text they changed
            # (none: the published index stays; None: every shard)
            self._write_questions(writer)
            shards = self.partial.index_shards(output) if searchable else frozenset()
            if shards != frozenset():
                self.indexer = search_shards.start(output, questions, self.urls, self.settings, shards)
        elif searchable:
            self.indexer = search_shards.start(output, questions, self.urls, self.settings, written=False)
        try:
            bodies = self._bodies_first() if self.partial is None and self.indexer is not None else None
            if self.partial is None and bodies is None:
                self._write_questions(writer)
            self._write_the_rest(writer)
            if self.indexer is not None:
                if self.partial is None:  # a full build: the question pages' Markdown alternates, held back
                    base, poll = self.settings["SITEURL"], self.indexer.poll
                    write_alternates(questions, self._write_text, poll, self.urls, base)
                if bodies is not None:  # the pages last: their render processes come back as Pagefind's runs end
                    self._write_questions(writer, bodies)
                meanwhile = self.settings.get(search_shards.MEANWHILE)  # the build's own work while Pagefind runs
                for name, text in search_shards.finish_all(
                    self.indexer, questions, self.settings["SITEURL"], meanwhile, later=True
                ).items():
                    self._write_text(name, text)
        except BaseException:
            if self.indexer is not None:
                self.indexer.kill()
            raise
        bytecode.persist(self.settings.get(HANDED))  # for a new process's next build (restored by ``initialize``)
        if self.settings.get(DEFER_SEARCH):  # the live preview: every listing row kept for its next builds
            rows.warm(self.env, self.site.questions)

    def _write_the_rest(self, writer: Any) -> None:
        """Everything but the question pages (written while Pagefind indexes those)."""
        self._write_home_listings(writer)
        self._write_categories(writer)
        self._write_tags(writer)
        self._write_users(writer)
        for page in self.site.pages:
            self._write(writer, page.url, "page.html", [HOME, (page.title, None)], page=page)
        self._write(writer, contribute.CONTRIBUTE_URL, "contribute.html", [HOME, ("How to contribute", None)])
        self._write(writer, Urls.help, "help.html", [HOME, ("Get help now", None)], title="Get help now")
        self._write(writer, Urls.search, "search.html", [HOME, ("Search", None)], sitemap=False)
        write_trust_pages(functools.partial(self._write, writer), self.site, clock.today(self.settings))
        self._write(writer, Urls.not_found, "404.html", None, sitemap=False, meta=PageMeta(""))
        self._write_feeds(writer)
        self._write_text(self.stylesheet.path, self.stylesheet.text)
        if self._wanted(Urls.sitemap):  # made only if written (an edit's build: the whole site's addresses)
            self._write_text(Urls.sitemap, sitemap(self.base, self.sitemap))
        self._write_text(Urls.robots, robots(self.base))
        if self._wanted(Urls.llms):  # likewise (the whole site sorted)
            text = llms_txt(**about(self.settings, self.site), urls=self.urls, questions=self.site.questions)
            self._write_text(Urls.llms, text)
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
    ) -> bytes | None:
        """Write one page (unless this build does not want it: None); its bytes."""
        if sitemap:
            self.sitemap.append((url, lastmod))
        if self.indexer is not None:
            self.indexer.poll()  # the next shard starts as soon as Pagefind is done with one
        if not self._wanted(save_as(url)):
            return None
        name, compiled, local = self._page(url, template, crumbs, meta, **variables)
        return write_page(writer, name, compiled, self.context, **local)

    def _page(
        self, url: str, template: str, crumbs: Crumbs | None, meta: PageMeta | None, **variables: Any
    ) -> tuple[str, Any, dict[str, Any]]:
        """The output name, compiled template and variables of the page at ``url`` (``_write`` writes it)."""
        meta = meta or PageMeta(absolute(self.base, url))
        if crumbs:
            meta.jsonld.append(breadcrumb_list(self.base, crumbs, url))
        name, compiled = self._inside_output(save_as(url)), self.get_template(template.removesuffix(".html"))
        return name, compiled, {"breadcrumbs": crumbs, "meta": meta, **variables}

    def _inside_output(self, name: str) -> str:
        """``name`` if it stays inside the output folder once resolved; else BuildError (every write checks)."""
        confine.output_file(Path(self.output_path), name, resolved=self._output_root)
        return name

    @functools.cached_property
    def _output_root(self) -> str:
        """The output folder, resolved once for this build's thousands of writes (``confine.output_file``)."""
        return os.path.realpath(self.output_path)

    @property
    def partial(self) -> Partial | None:
        """The outputs an incremental build writes (build.incremental); None: every output."""
        return self.settings.get(PARTIAL)

    def _wanted(self, name: str) -> bool:
        # The stylesheet comes from the theme alone: cheap, and not in the site graph.
        return self.partial is None or name in self.partial.outputs or name == self.stylesheet.path

    def _write_text(self, name: str, text: str) -> None:
        if self._wanted(name):
            replace_file(confine.output_file(Path(self.output_path), name, resolved=self._output_root), text.encode())

    def _write_users(self, writer: Any) -> None:
        for person in self.site.people.values():
            if person.is_anonymous or not self._listing_wanted(person.url, 0):  # unwanted: no sort (listing_pages)
                continue
            posts = {
                "questions": listings.newest(self.site.asked_by[person.handle]),
                "answers": listings.top_answers(self.site.answered_by[person.handle]),
            }
            meta = PageMeta(absolute(self.base, person.url), "profile")
            self._write(writer, person.url, "user.html", [HOME, (person.name, None)], meta=meta, person=person, **posts)

    def _write_feeds(self, writer: Any) -> None:
        about = {
            "language": self.settings["DEFAULT_LANG"],
            "description": self.settings["QA_SITE_DESCRIPTION"],
            "order": latest_of(self.site),  # sorted once a site: the graph's plan did it already
        }
        for feed_url, title, page_url, questions in site_feeds(self.site, self.urls, self.settings["SITENAME"]):
            if not self._wanted(feed_url):
                continue
            text = atom_feed(
                base=self.base, title=title, page_url=page_url, feed_url=feed_url, questions=questions, **about
            )
            self._write_text(feed_url, text)
