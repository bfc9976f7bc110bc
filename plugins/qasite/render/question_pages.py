"""The question pages: each page's body rendered first, and a cold build's search shards indexed from those bodies.

A mixin of the generator (``QAGenerator``): it writes through the generator's ``_write`` and reads its ``site``,
``settings``, ``urls``, ``base`` and ``indexer``.

Pagefind reads of a question page only its ``<html>`` tag and its ``data-pagefind-body`` element: the question and
its answers (``index_pages.indexed_part``). That element is ``partials/question-body.html``, which needs nothing
made after the load, where the rest of the page needs the question's related list; every page takes it whole,
rendered first (``question_body``).

A cold build with search (``_bodies_first``) renders each shard's bodies before any related list is made, in the
render processes, one shard after another: each process writes Pagefind's copy of its pages from the bodies (the
``<html>`` tag of the first page, then the body element cut as ``indexed_part`` cuts it from a page) and the
shard's run starts at once. The rest of the site and the Markdown alternates follow while Pagefind indexes, then the
related lists and the pages, each with its body as rendered then (their render processes come back as Pagefind's
runs end). Pagefind's first run starts ~2.7 s sooner at 10,000 questions. Each copy is the one ``indexed_part``
cuts from the page: the body is the same string, and the rest of a page is the theme's, escaped text and tags that
hold nothing Pagefind reads (``index_pages.page_prefix``, checked on the first page: where the theme holds some,
the pages are written first and the copies cut from them, as in an incremental build).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from ..build import progress
from ..build.incremental import RELATED, Partial
from ..build.parallel import map_forked, process_count, run_in_pieces, sharing
from ..build.writer import render_page
from ..config.urls import Urls, absolute, save_as
from ..content.model import Question
from ..content.related_shards import ShardRelated
from . import search_shards
from .feeds import modified_of
from .index_pages import indexed_part, page_prefix
from .llms import question_markdown
from .page_meta import HOME, Crumbs, PageMeta
from .structured_data import qa_page

_RENDER: list[Callable[[int], str]] = []  # what ``_bodies_first``'s workers do (``map_forked`` takes a module function)


def _render_at(index: int) -> str:
    return _RENDER[0](index)


class QuestionPages:
    """Writes the question pages (mixed into the generator)."""

    site: Any
    settings: dict[str, Any]
    urls: Any
    base: str
    context: dict[str, Any]
    sitemap: list[tuple[str, str | None]]
    indexer: search_shards.ShardIndexer | None

    _write: Any  # the generator's: writes one page
    _page: Any  # the generator's: a page's output name, compiled template and variables
    _write_text: Callable[[str, str], None]
    _wanted: Callable[[str], bool]
    get_template: Callable[[str], Any]
    partial: Partial | None

    def _write_questions(self, writer: Any, bodies: dict[str, Markup] | None = None) -> None:
        """Question pages, in parallel processes on large sites (QA_RENDER_PROCESSES), one search shard after
        another: Pagefind starts on a shard as soon as its pages are written. ``bodies``: each page's body, rendered
        first by ``_bodies_first`` (Pagefind has its copies, the sitemap its entries)."""
        partial, questions = self.partial, list(self.site.questions)
        if partial is not None:  # the pages named among its outputs (``Urls.slug_of``), not a page name made for each
            slugs = {self.urls.slug_of("question", name) for name in partial.outputs}
            questions = [q for q in questions if q.slug in slugs]
        groups = search_shards.by_shard(questions, self.indexer) if self.indexer else [(questions, None)]
        first = bodies is not None
        bodies = bodies or {}
        with progress.phase("writing", total=len(questions), unit="question pages") as writing:

            def write(share: Sequence[Question], processes: int) -> None:
                for question in share:
                    self._write_question(writer, question, bodies.get(question.slug), indexed=first)
                    writing.advance(processes)  # counted by this process's share only (workers print nothing)

            def busy() -> bool:  # a Pagefind run has a core: one render process fewer
                return self.indexer is not None and bool(self.indexer.running)

            for group, shard in groups:
                if isinstance(related := self.settings.get(RELATED), ShardRelated):  # a cold build: the lists now
                    related.relate(group, processes=self.settings["QA_RENDER_PROCESSES"], busy=busy)
                processes = process_count(self.settings["QA_RENDER_PROCESSES"], len(group))
                run_in_pieces(group, write, processes=processes, busy=busy)
                for question in group:
                    bodies.pop(question.slug, None)
                if self.indexer is not None and shard is not None and not first:
                    self.indexer.ready([shard])
        if not first:
            self._sitemap_questions()

    def _sitemap_questions(self) -> None:
        """The question pages' sitemap entries, after those written before them."""
        if self._wanted(Urls.sitemap):  # read only when written (an edit's build: 10,000 last-modified dates)
            stamps = modified_of(self.site)  # read once a site: the graph's feed order read them already
            self.sitemap += [(q.url, stamps[id(q)].date().isoformat()) for q in self.site.questions]

    def _write_question(self, writer: Any, question: Question, body: Markup | None, *, indexed: bool) -> None:
        """Write ``question``'s page with ``body`` (rendered now if None); ``indexed``: Pagefind has its copy."""
        crumbs, meta = self._question_meta(question)
        body = body if body is not None else self._question_body(question)
        variables = {"meta": meta, "question": question, "question_body": body}
        page = self._write(writer, question.url, "question.html", crumbs, sitemap=False, **variables)
        if self.indexer is None:
            self._write_text(meta.markdown, question_markdown(question, self.settings["SITEURL"]))
        elif not indexed:  # a full build: Pagefind's copy, cut from the page (``ShardIndexer.add``)
            self.indexer.add(save_as(question.url), page)  # its alternate later

    def _question_meta(self, question: Question) -> tuple[Crumbs, PageMeta]:
        crumbs: Crumbs = [HOME, (question.category.name, question.category.url), (question.title, None)]
        meta = PageMeta(
            absolute(self.base, question.url), "article", self.urls.feed("category", question.category.slug)
        )
        qa = qa_page(self.base, question)
        meta.jsonld += [qa] if qa else []
        meta.markdown = self.urls.markdown(question.slug)
        return crumbs, meta

    def _question_body(self, question: Question) -> Markup:
        """The question and its answers (``partials/question-body.html``), as its page shows them."""
        return Markup(self.get_template("partials/question-body").render({**self.context, "question": question}))

    def _bodies_first(self) -> dict[str, Markup] | None:
        """A cold build's question bodies, by slug: rendered before any page, each shard's Pagefind copies written
        from them and its run started, one shard after another, and the pages' sitemap entries made; None where the
        first page holds, outside its body, something Pagefind reads (``page_prefix``): nothing is done then."""
        indexer, questions = self.indexer, self.site.questions
        assert indexer is not None
        if not questions:
            return None
        groups = search_shards.by_shard(questions, indexer)
        prefix = page_prefix(self._question_page(questions[0], self._question_body(questions[0])))
        if prefix is None:
            return None
        bodies: dict[str, Markup] = {}
        count = sum(len(group) for group, _ in groups)
        related = self.settings.get(RELATED)  # a cold build's: its vectors made while the first bodies render
        meanwhile = related.prepare if isinstance(related, ShardRelated) else None
        with progress.phase("rendering", total=count, unit="question bodies for the search") as rendering:
            for group, shard in groups:

                def render(index: int, group: list[Question] = group) -> str:
                    question = group[index]
                    body = self._question_body(question)
                    cut = indexed_part(prefix + body.encode())
                    if cut is None:  # an element the cut would not find: Pagefind reads the whole page
                        indexer.add(save_as(question.url), self._question_page(question, body))
                    else:
                        indexer.add(save_as(question.url), cut, cut=True)
                    return str(body)

                processes = sharing(process_count(self.settings["QA_RENDER_PROCESSES"], len(group)), indexer.running)
                _RENDER[:] = [render]
                try:
                    made = map_forked(
                        _render_at, range(len(group)), processes=processes, done=rendering.advance, meanwhile=meanwhile
                    )
                finally:
                    _RENDER.clear()
                bodies.update((q.slug, Markup(text)) for q, text in zip(group, made, strict=True))
                if shard is not None:
                    indexer.ready([shard])
        self._sitemap_questions()
        return bodies

    def _question_page(self, question: Question, body: Markup) -> bytes:
        """The page of ``question`` as ``_write_question`` writes it (its related list as it is now), not written."""
        crumbs, meta = self._question_meta(question)
        name, compiled, local = self._page(
            question.url, "question.html", crumbs, meta, question=question, question_body=body
        )
        return render_page(compiled, self.context, name, **local)
