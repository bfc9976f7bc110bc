"""Load and validate all content before anything is rendered.

``load_site()`` reads every file under the content folder once, checks it
against the schema and against the other files (categories, people,
answers), renders Markdown, and returns the ``Site`` plus every problem
found. Nothing is skipped silently: an unexpected file is a problem too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build.parallel import map_forked, process_count
from ..config.problems import Problem, warning
from ..config.urls import Urls
from ..render.markdown import MAX_NESTING, Rendered, render, render_job, summarize
from . import confine, schema
from .answers import check_accepted, order_answers
from .frontmatter import Located, SourceFile, decode, load_yaml, parse_source
from .links import LinkSource, check_links
from .model import Answer, Category, Person, Question, Tag
from .people import PEOPLE_FILE, people_from
from .points import compute_points
from .slugs import category_slug

logger = logging.getLogger(__name__)


@dataclass
class Page:
    """A static page from content/pages/ (about, guidelines...)."""

    slug: str
    title: str
    description: str | None
    content: str
    url: str
    source_path: str


@dataclass
class Site:
    """Everything the generator renders."""

    questions: list[Question] = field(default_factory=list)
    drafts: list[Question] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)


class _Context:
    """Shared state while loading: where we are and what went wrong."""

    def __init__(self, content: Path, timezone: str, urls: Urls) -> None:
        self.content = content
        self.root = content.parent
        self.tz = zoneinfo.ZoneInfo(timezone)
        self.urls = urls
        self.problems: list[Problem] = []
        self.site = Site()
        self.link_sources: list[LinkSource] = []
        self.pending: list[Pending] = []
        self.render_processes = 0
        self._root_prefix = len(str(self.root)) + 1
        self.synonyms = self.site.synonyms
        self.tag_descriptions: dict[str, str | None] = {}
        self.tree, self.problems = confine.scan(content, self.rel)

    def read(self, path: Path, limit: int) -> bytes | None:
        """The bytes of a scanned file, read without following links; None (and a problem) if refused."""
        raw, problems = confine.read_file(self.content, path, self.rel(path), limit)
        self.problems += problems
        return raw

    def rel(self, path: Path) -> str:
        """``path`` relative to the folder holding content/, as the editor sees it (cheap: called per file)."""
        text = str(path)
        return text[self._root_prefix :] if text.startswith(str(self.root)) else path.as_posix()

    def report(self, path: Path, line: int, field_name: str | None, message: str, fix: str | None) -> None:
        self.problems.append(Problem(self.rel(path), line, field_name, message, fix))

    def aware(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=self.tz)


def load_site(
    content: Path, *, timezone: str = "UTC", urls: Urls | None = None, processes: int = 0
) -> tuple[Site, list[Problem]]:
    """Read and validate everything under ``content``; return the site and all problems.

    ``processes``: Markdown rendering processes (0: one per CPU on large sites).
    """
    ctx = _Context(content, timezone, urls or Urls())
    ctx.render_processes = processes
    if content in ctx.tree.refused:
        return ctx.site, ctx.problems
    _load_people(ctx)
    _load_categories(ctx)
    _load_tag_synonyms(ctx)
    _load_pages(ctx)
    _load_questions(ctx)
    _render_pending(ctx)
    _finish(ctx)
    return ctx.site, sorted(ctx.problems)


# -- YAML data files ---------------------------------------------------------


def _read_yaml_file(ctx: _Context, name: str) -> Located | None:
    path = ctx.content / name
    if not ctx.tree.is_file(path):
        if path not in ctx.tree.refused:
            ctx.report(path, 1, None, "file is missing", f"create {ctx.rel(path)} (see docs/content-format.md)")
        return None
    raw = ctx.read(path, confine.MAX_YAML_BYTES)
    if raw is None:
        return None
    text, problems = decode(raw, ctx.rel(path))
    ctx.problems += problems
    if text is None:
        return None
    located, problems = load_yaml(text, ctx.rel(path))
    ctx.problems += problems
    return located


def _load_people(ctx: _Context) -> None:
    located = _read_yaml_file(ctx, PEOPLE_FILE)
    people, problems = people_from(located, ctx.rel(ctx.content / PEOPLE_FILE), ctx.urls)
    ctx.site.people.update(people)
    ctx.problems += problems


def _load_categories(ctx: _Context) -> None:
    located = _read_yaml_file(ctx, "categories.yml")
    path = ctx.content / "categories.yml"
    slugs: dict[str, str] = {}
    for name, entry in (located.data if located else {}).items():
        line, slug = located.line(name), category_slug(name)
        if not isinstance(entry, dict):
            ctx.report(
                path, line, name, "must be a mapping of fields", "add 'description:' and 'order:' under it, indented"
            )
            continue
        try:
            schema.check_characters(name)
        except schema.FieldError as err:
            ctx.report(path, line, repr(name)[1:-1], err.message, err.fix)  # repr: shows the invisible character
            continue
        if not slug or slug in slugs:
            fix = (
                f"rename it: its URL would clash with '{slugs.get(slug, '')}'"
                if slug
                else "use letters or digits in the name"
            )
            ctx.report(path, line, name, "category name gives a duplicate or empty URL slug", fix)
            continue
        slugs[slug] = name
        bad = schema.check_name(slug)
        if bad:
            ctx.report(path, line, name, f"the category's URL slug '{slug}' {bad.reason}", "rename the category")
            continue
        values, problems = schema.check(located, schema.CATEGORY, ctx.rel(path), (name,))
        ctx.problems += problems
        ctx.site.categories[name] = Category(
            name, slug, values["description"] or "", values["order"] or 0, ctx.urls.url("category", slug)
        )


def _load_tag_synonyms(ctx: _Context) -> None:
    path = ctx.content / "tags.yml"
    if not ctx.tree.exists(path) and path not in ctx.tree.refused:
        return
    located = _read_yaml_file(ctx, "tags.yml")
    for name, entry in (located.data if located else {}).items():
        bad = schema.check_name(name, taken=located.data)
        if bad:
            ctx.report(path, located.line(name), name, f"tag '{name}' {bad.reason}", bad.fix("the tag"))
            continue
        values, problems = (
            schema.check(located, schema.TAG, ctx.rel(path), (name,))
            if isinstance(entry, dict)
            else (
                {"synonyms": []},
                [
                    Problem(
                        ctx.rel(path),
                        located.line(name),
                        name,
                        "must be a mapping",
                        "add 'synonyms: [other-name]' under it, indented",
                    )
                ],
            )
        )
        ctx.problems += problems
        ctx.tag_descriptions[name] = values.get("description")
        for synonym in values["synonyms"] or []:
            if synonym in ctx.synonyms or synonym in located.data:
                ctx.report(
                    path,
                    located.line(name, "synonyms"),
                    f"{name}.synonyms",
                    f"'{synonym}' is already a tag or another tag's synonym",
                    "list each synonym once",
                )
            ctx.synonyms[synonym] = name


# -- pages -------------------------------------------------------------------


def _load_pages(ctx: _Context) -> None:
    folder = ctx.content / "pages"
    entries = ctx.tree.children(folder)
    taken = {p.stem for p in entries if p.suffix == ".md" and not schema.check_name(p.stem)}
    for path in entries:
        slug = path.stem
        if ctx.tree.is_dir(path) or path.suffix != ".md":
            ctx.report(
                path, 1, None, "unexpected file in content/pages", "pages are Markdown files named like about.md"
            )
            continue
        bad = schema.check_name(slug, taken)
        if bad:
            ctx.report(path, 1, None, f"page file name '{slug}' {bad.reason}", bad.fix("the file", ".md"))
            continue
        reserved = ctx.urls.reserved_slugs("page")
        if slug in reserved:
            fix = "rename the file with lowercase letters, digits and hyphens"
            fix += ", not one of: " + ", ".join(sorted(reserved))
            ctx.report(path, 1, None, f"'{slug}' cannot be a page's URL slug", fix)
            continue
        _load_page(ctx, path, slug)


def _load_page(ctx: _Context, path: Path, slug: str) -> None:
    source = _read_markdown(ctx, path)
    if source is None:
        return
    values, problems = schema.check(source.meta, schema.PAGE, ctx.rel(path))
    ctx.problems += problems
    rendered = render(source.body, heading_base=2)
    _check_nesting(ctx, ctx.rel(path), source.body_line, rendered)
    url = ctx.urls.url("page", slug)
    ctx.link_sources.append(LinkSource(ctx.rel(path), source.body_line, url, rendered.links))
    ctx.site.pages.append(Page(slug, values["title"] or slug, values["description"], rendered.html, url, ctx.rel(path)))


def _read_markdown(ctx: _Context, path: Path) -> SourceFile | None:
    raw = ctx.read(path, confine.MAX_MARKDOWN_BYTES)
    if raw is None:
        return None
    source, problems = parse_source(raw, ctx.rel(path))
    ctx.problems += problems
    if source is not None and not source.body.strip():
        ctx.report(path, source.body_line, None, "the text is empty", "write the text below the closing '---' line")
    return source


# -- questions and answers ---------------------------------------------------


def _load_questions(ctx: _Context) -> None:
    folder = ctx.content / "questions"
    if not ctx.tree.is_dir(folder):
        if folder not in ctx.tree.refused:
            ctx.report(folder, 1, None, "folder is missing", "create content/questions/<slug>/index.md")
        return
    entries = ctx.tree.children(folder)
    valid = {p.name for p in entries if ctx.tree.is_dir(p) and not schema.check_name(p.name)}
    for path in entries:
        if not ctx.tree.is_dir(path):
            ctx.report(
                path,
                1,
                None,
                "unexpected file in content/questions",
                "put each question in its own folder: content/questions/<slug>/index.md",
            )
        elif path.name in valid:
            _load_question_folder(ctx, path)
        else:
            _report_bad_slug(ctx, path, valid)


def _report_bad_slug(ctx: _Context, path: Path, valid: set[str]) -> None:
    bad = schema.check_name(path.name, valid)
    if bad:
        ctx.report(path, 1, None, f"folder name '{path.name}' {bad.reason}", bad.fix("the folder"))


def _load_question_folder(ctx: _Context, folder: Path) -> None:
    index, answers_dir = folder / "index.md", folder / "answers"
    for extra in (p for p in ctx.tree.children(folder) if p not in (index, answers_dir)):
        ctx.report(
            extra, 1, None, "unexpected file in a question folder", "a question folder holds only index.md and answers/"
        )
    if index in ctx.tree.refused:
        return
    if not ctx.tree.is_file(index):
        if ctx.tree.exists(answers_dir):
            ctx.report(
                answers_dir,
                1,
                None,
                "answers folder without a question",
                f"add {ctx.rel(index)}, or move the answers to their question's folder",
            )
        else:
            ctx.report(folder, 1, None, "question folder has no index.md", f"add {ctx.rel(index)}")
        return
    question = _load_question(ctx, index, folder.name)
    answers = _load_answers(ctx, answers_dir)
    if question is None:
        return
    for answer in answers:
        answer.question = question
        _check_answer_date(ctx, question, answer)
    ctx.problems += check_accepted(answers)
    question.answers = order_answers(answers)
    (ctx.site.questions if question.status == "published" else ctx.site.drafts).append(question)


def _person(ctx: _Context, handle: str | None, path: Path, meta: Located, field_name: str) -> Person | None:
    if handle is None:
        return None
    person = ctx.site.people.get(handle)
    if person is None:
        ctx.report(
            path,
            meta.line(field_name),
            field_name,
            f"'{handle}' is not in content/people.yml",
            f"add '{handle}:' with a name to content/people.yml, or use an existing handle",
        )
    return person


def _edit_fields(ctx: _Context, values: dict[str, Any], path: Path, source: SourceFile) -> tuple[Any, Any]:
    edited, editor = ctx.aware(values["edited"]), _person(ctx, values["edited_by"], path, source.meta, "edited_by")
    if values["edited_by"] and not values["edited"]:
        ctx.report(
            path,
            source.meta.line("edited_by"),
            "edited_by",
            "is set but 'edited' is not",
            "add 'edited: <date>' with the date of the edit",
        )
    date = ctx.aware(values["date"])
    if edited and date and edited < date:
        ctx.report(
            path,
            source.meta.line("edited"),
            "edited",
            "is before 'date'",
            "an edit cannot come before the post: fix one of the dates",
        )
    return edited, editor


def _load_question(ctx: _Context, path: Path, slug: str) -> Question | None:
    source = _read_markdown(ctx, path)
    if source is None:
        return None
    values, problems = schema.check(source.meta, schema.QUESTION, ctx.rel(path))
    ctx.problems += problems
    category = ctx.site.categories.get(values["category"]) if values["category"] else None
    if values["category"] and category is None:
        names = ", ".join(sorted(ctx.site.categories)) or "none defined yet"
        ctx.report(
            path,
            source.meta.line("category"),
            "category",
            f"'{values['category']}' is not in content/categories.yml",
            f"use one of: {names}",
        )
    author = _person(ctx, values["author"], path, source.meta, "author")
    edited, editor = _edit_fields(ctx, values, path, source)
    if problems or category is None or author is None:
        return None
    url = ctx.urls.url("question", slug)
    names = [ctx.synonyms.get(name, name) for name in values["tags"]]
    tags = [_tag(ctx, name) for name in dict.fromkeys(names)]
    question = Question(
        slug,
        values["title"],
        ctx.aware(values["date"]),
        category,
        tags,
        values["votes"],
        author,
        edited,
        editor,
        values["views"],
        values["status"],
        "",
        "",
        "",
        ctx.rel(path),
        ctx.urls.url("question", slug),
        source=values["source"],
        license=values["license"],
    )
    ctx.pending.append(Pending(question, source.body, "q", 2, source.body_line, url))
    return question


def _tag(ctx: _Context, name: str) -> Tag:
    if name not in ctx.site.tags:
        ctx.site.tags[name] = Tag(name, ctx.urls.url("tag", name), description=ctx.tag_descriptions.get(name))
    return ctx.site.tags[name]


def _load_answers(ctx: _Context, folder: Path) -> list[Answer]:
    answers: list[Answer] = []
    entries = ctx.tree.children(folder)
    taken = {p.stem for p in entries if p.suffix == ".md" and not schema.check_name(p.stem)}
    for path in entries:
        bad = schema.check_name(path.stem, taken)
        if bad and path.suffix == ".md" and ctx.tree.is_file(path):
            ctx.report(path, 1, None, f"answer file name '{path.stem}' {bad.reason}", bad.fix("the file", ".md"))
            continue
        if ctx.tree.is_dir(path) or path.suffix != ".md":
            ctx.report(
                path,
                1,
                None,
                "unexpected file in an answers folder",
                "answers are Markdown files named <date>-<handle>.md, like 2023-07-03-sam-rivera.md",
            )
            continue
        answer = _load_answer(ctx, path)
        if answer is not None:
            answers.append(answer)
    return answers


def _load_answer(ctx: _Context, path: Path) -> Answer | None:
    source = _read_markdown(ctx, path)
    if source is None:
        return None
    values, problems = schema.check(source.meta, schema.ANSWER, ctx.rel(path))
    ctx.problems += problems
    author = _person(ctx, values["author"], path, source.meta, "author")
    edited, editor = _edit_fields(ctx, values, path, source)
    if problems or author is None:
        return None
    question_url = ctx.urls.url("question", path.parent.parent.name)
    answer = Answer(
        path.stem,
        author,
        ctx.aware(values["date"]),
        values["votes"],
        values["accepted"],
        edited,
        editor,
        "",
        "",
        ctx.rel(path),
        lines={"accepted": source.meta.line("accepted"), "date": source.meta.line("date")},
        source=values["source"],
        license=values["license"],
    )
    ctx.pending.append(Pending(answer, source.body, f"answer-{path.stem}", 4, source.body_line, question_url))
    return answer


def _check_answer_date(ctx: _Context, question: Question, answer: Answer) -> None:
    if answer.date.date() < question.date.date():
        ctx.problems.append(
            Problem(
                answer.source_path,
                answer.lines["date"],
                "date",
                f"{answer.date.date().isoformat()} is before the question was asked "
                f"({question.date.date().isoformat()})",
                "fix the answer's date or the question's date",
            )
        )


# -- Markdown ---------------------------------------------------------------


@dataclass
class Pending:
    """A question or answer whose Markdown is rendered once everything is loaded (in parallel on big sites)."""

    post: Question | Answer
    body: str
    doc_id: str
    heading_base: int
    body_line: int
    url: str


def _render_pending(ctx: _Context) -> None:
    jobs = [(p.body, p.doc_id, p.heading_base) for p in ctx.pending]
    results = map_forked(render_job, jobs, processes=process_count(ctx.render_processes, len(jobs)))
    for pending, rendered in zip(ctx.pending, results, strict=True):
        post = pending.post
        post.body_html, post.body_text = rendered.html, rendered.text
        if isinstance(post, Question):
            post.summary = summarize(rendered.text)
        ctx.link_sources.append(LinkSource(post.source_path, pending.body_line, pending.url, rendered.links))
        _check_nesting(ctx, post.source_path, pending.body_line, rendered)


def _check_nesting(ctx: _Context, rel: str, body_line: int, rendered: Rendered) -> None:
    if rendered.too_deep is not None:
        message = "lists or quotes are nested too deeply: the text from here on would be lost"
        lists, quotes = MAX_NESTING // 2 - 1, MAX_NESTING - 1
        fix = f"nest them less deeply (at most {lists} lists or {quotes} quotes inside each other)"
        ctx.problems.append(Problem(rel, body_line + rendered.too_deep, None, message, fix))


# -- derived data ------------------------------------------------------------


def _finish(ctx: _Context) -> None:
    site = ctx.site
    site.questions.sort(key=lambda q: q.slug)
    for question in site.questions:
        question.category.count += 1
        for tag in question.tags:
            tag.count += 1
    site.tags = {name: tag for name, tag in sorted(site.tags.items()) if tag.count}
    _assign_points(site)
    ctx.problems += check_links(ctx.link_sources, pages=_site_pages(ctx), anchors=_answer_anchors(site))
    ctx.problems += similar_tags(site)


def _site_pages(ctx: _Context) -> set[str]:
    site = ctx.site
    urls = [q.url for q in site.questions] + [t.url for t in site.tags.values()]
    urls += [c.url for c in site.categories.values()] + [p.url for p in site.pages]
    urls += [p.url for p in site.people.values() if p.url] + [ctx.urls.url("tag", s) for s in ctx.synonyms]
    return set(Urls.FIXED_PAGES) | set(urls)


def _answer_anchors(site: Site) -> dict[str, set[str]]:
    return {q.url: {a.anchor for a in q.answers} for q in site.questions}


def similar_tags(site: Site) -> list[Problem]:
    """Warn about tags that look like another tag ('panic-attack' / 'panic-attacks')."""
    names = sorted(site.tags, key=lambda n: (-site.tags[n].count, n))
    problems = []
    for i, rare in enumerate(names):
        common = next((n for n in names[:i] if _looks_alike(rare, n)), None)
        if common:
            first = next(q for q in site.questions if site.tags[rare] in q.tags)
            problems.append(
                warning(
                    first.source_path,
                    1,
                    "tags",
                    f"'{rare}' looks like the tag '{common}'",
                    f"use '{common}', or list '{rare}' under '{common}: synonyms:' in content/tags.yml",
                )
            )
    return problems


def _stem(tag: str) -> str:
    word = tag.replace("-", "")
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix):
            return word.removesuffix(suffix) + replacement
    return word


def _looks_alike(a: str, b: str) -> bool:
    """Same letters without hyphens, same singular, or nearly the same spelling."""
    if _stem(a) == _stem(b):
        return True
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= 0.92 and matcher.quick_ratio() >= 0.92 and matcher.ratio() >= 0.92


def _assign_points(site: Site) -> None:
    votes: dict[str, tuple[list[int], list[int], list[bool]]] = {h: ([], [], []) for h in site.people}
    for question in site.questions:
        votes[question.author.handle][0].append(question.votes)
        for answer in question.answers:
            votes[answer.author.handle][1].append(answer.votes)
            votes[answer.author.handle][2].append(answer.accepted)
    for handle, person in site.people.items():
        if person.is_anonymous:
            continue
        q, a, acc = votes[handle]
        person.points = (
            person.imported_points
            if person.imported_points is not None
            else compute_points(question_votes=q, answer_votes=a, accepted=sum(acc))
        )
