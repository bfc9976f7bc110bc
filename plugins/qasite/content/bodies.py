"""Markdown bodies: queued while files are read, rendered once when everything is loaded (in parallel on big sites).

Rendering gives each question, answer and page its HTML and plain text, the links the link check follows,
and a problem when lists or quotes nest too deeply. ``check`` needs no HTML: it only parses each body
(``render(html=False)``: the same parser, so the same text, links and problems), and most of its bodies come
already parsed, by ``prepare`` (in workers, cached). Each rendered body is counted in ``LoadStats`` as a render,
each body only parsed as a parse. An incremental build keeps the rendered bodies in the build cache (``RENDERED``)
by a digest of what a render reads (the text, the document id, the heading level): only new or changed bodies
are rendered again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..build.cache import Cache
from ..build.parallel import forked, map_forked, process_count
from ..config.problems import Problem
from ..render.markdown import MAX_NESTING, Rendered, parse_job, render_job, summarize, without_parsing
from .frontmatter import SourceFile
from .links import LinkSource
from .model import Answer, Question
from .site import Page
from .stats import LoadStats
from .textlint import strip_markers

logger = logging.getLogger(__name__)

RENDERED = "build-bodies"  # the cache's namespace: each rendered body by the digest of its job
Job = tuple[str, str | None, int]


@dataclass(kw_only=True)
class Pending:
    """A question, answer or page whose Markdown body waits to be rendered."""

    post: Question | Answer | Page
    body: str
    doc_id: str | None
    heading_base: int
    body_line: int
    url: str
    parsed: Rendered | None = None  # parsed already (``prepare``, for ``check``)


class Bodies:
    """The queue of bodies to render, and what rendering them found."""

    def __init__(self, stats: LoadStats) -> None:
        self.stats = stats
        self.pending: list[Pending] = []
        self.link_sources: list[LinkSource] = []
        self.problems: list[Problem] = []

    def add(
        self, post: Question | Answer | Page, source: SourceFile, *, doc_id: str | None, heading_base: int, url: str
    ) -> None:
        """Queue the body of ``post`` read from ``source`` (``url``: the page its links are relative to)."""
        pending = Pending(
            post=post,
            body=source.body,
            doc_id=doc_id,
            heading_base=heading_base,
            url=url,
            body_line=source.body_line,
            parsed=source.parsed,
        )
        self.pending.append(pending)

    def render(
        self,
        processes: int,
        done: Callable[[], object] | None = None,
        *,
        html: bool = True,
        cache: Cache | None = None,
        key: str = "",
    ) -> None:
        """Render every queued body once (``processes``: 0 for one per CPU on large sites; ``done``: per body).

        ``html=False`` (``check``): parse only; posts get their plain text and summary but no HTML.
        ``cache`` (an incremental build; ``key``: the content folder): bodies rendered by an earlier build reused.
        """
        todo = [p for p in self.pending if html or p.parsed is None]
        jobs = [(strip_markers(p.body), p.doc_id, p.heading_base) for p in todo]
        work = render_job if html else parse_job
        if html and cache is not None:
            done_now = rendered_cached(jobs, processes, done, cache, key)
        elif html:  # bodies that need no parse here (cheaper than a worker's pickled result), the rest in workers
            done_now = _render_cold(jobs, processes, done)
        else:
            done_now = map_forked(work, jobs, processes=process_count(processes, len(jobs)), done=done)
        if not html:  # the bodies ``prepare`` parsed, and those it did not, in queue order
            rest = iter(done_now)
            results = [p.parsed if p.parsed is not None else next(rest) for p in self.pending]
            if done is not None:
                for _ in range(len(self.pending) - len(todo)):
                    done()
        else:
            results = done_now
        count = self.stats.count_render if html else self.stats.count_parse
        markdowns = [job[0] for job in jobs] if html else [""] * len(self.pending)  # html: jobs are the whole queue
        for pending, markdown, rendered in zip(self.pending, markdowns, results, strict=True):
            post = pending.post
            count(post.source_path)
            if html and isinstance(post, Page):
                post.content = rendered.html
            elif html:
                post.body_html, post.markdown = rendered.html, markdown
            if not isinstance(post, Page):
                post.body_text = rendered.text
            if isinstance(post, Question):
                post.summary = summarize(rendered.text)
            if rendered.links:  # a text without links has none to check: nothing kept for it (the kept load neither)
                self.link_sources.append(LinkSource(post.source_path, pending.body_line, pending.url, rendered.links))
            self._check_nesting(post.source_path, pending.body_line, rendered)
        self.pending = []

    def _check_nesting(self, rel: str, body_line: int, rendered: Rendered) -> None:
        if rendered.too_deep is not None:
            message = "lists or quotes are nested too deeply: the text from here on would be lost"
            lists, quotes = MAX_NESTING // 2 - 1, MAX_NESTING - 1
            fix = f"nest them less deeply (at most {lists} lists or {quotes} quotes inside each other)"
            self.problems.append(Problem(rel, body_line + rendered.too_deep, None, message, fix))


def _render_cold(jobs: Sequence[Job], processes: int, done: Callable[[], object] | None) -> list[Rendered]:
    """``render_job`` of each job: those ``without_parsing`` takes in this process (half of them in a forked child
    meanwhile where there are processes to spare: ``_quick``), the rest in workers."""
    quick = _quick(jobs, process_count(processes, len(jobs)))
    rest = [job for job, rendered in zip(jobs, quick, strict=True) if rendered is None]
    parsed = iter(map_forked(render_job, rest, processes=process_count(processes, len(rest)), done=done))
    if done is not None:
        for _ in range(len(jobs) - len(rest)):
            done()
    return [rendered if rendered is not None else next(parsed) for rendered in quick]


def rendered_cached(
    jobs: Sequence[Job], processes: int, done: Callable[[], object] | None, cache: Cache, key: str
) -> list[Rendered]:
    """``render_job`` of each job, taken from the cache where an earlier build rendered the same job; the cache
    then holds this build's bodies (a body no longer on the site is dropped)."""
    stored = cache.get(namespace=RENDERED, key=key)
    known = stored if isinstance(stored, dict) else {}
    digests = [hashlib.sha256(repr(job).encode()).digest() for job in jobs]
    missing = [i for i, digest in enumerate(digests) if not isinstance(known.get(digest), Rendered)]
    count = process_count(processes, len(missing))
    fresh = dict(
        zip(
            (digests[i] for i in missing),
            map_forked(render_job, [jobs[i] for i in missing], processes=count, done=done),
            strict=True,
        )
    )
    results = [fresh[digest] if digest in fresh else known[digest] for digest in digests]
    if done is not None:
        for _ in range(len(jobs) - len(missing)):
            done()
    if missing or len(known) != len(set(digests)):
        try:
            cache.put(namespace=RENDERED, key=key, value=dict(zip(digests, results, strict=True)))
        except OSError as error:  # only makes the next build slower
            logger.info("could not write the rendered bodies to the build cache: %s", error)
    return results


QuickResult = tuple[str, str, tuple[tuple[int, str], ...], int | None]  # a Rendered's fields: a cheap pickle


def _quick(jobs: Sequence[Job], processes: int) -> list[Rendered | None]:
    """``without_parsing`` of each job's text: the second half in a forked child while this process takes the first,
    where ``processes`` allow it. Nothing else runs in a cold build's load then: one core would wait. At 10,000
    questions the bodies' render took 0.62 s of wall instead of 0.83 (the child's fields, pickled as tuples, read
    back in this process)."""
    half = len(jobs) // 2
    child = forked(lambda: [_fields(without_parsing(job[0])) for job in jobs[half:]]) if processes > 1 else None
    mine = [without_parsing(job[0]) for job in (jobs[:half] if child is not None else jobs)]
    if child is None:
        return mine
    theirs = child.result()
    if theirs is None:  # the child failed (its traceback printed): its half here
        return mine + [without_parsing(job[0]) for job in jobs[half:]]
    return mine + [None if fields is None else Rendered(*fields) for fields in theirs]


def _fields(rendered: Rendered | None) -> QuickResult | None:
    if rendered is None:
        return None
    return rendered.html, rendered.text, rendered.links, rendered.too_deep
