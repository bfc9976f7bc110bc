"""The Markdown content: content/pages/*.md, and content/questions/<slug>/ with index.md and answers/*.md.

Each file is checked against its schema and the cross-file rules, becomes a ``Page``, ``Question`` or
``Answer``, and its body is queued for rendering (``bodies``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config.urls import Urls
from . import rules, schema
from .answers import order_answers
from .bodies import Bodies
from .fast_paths import child
from .frontmatter import Located, SourceFile
from .model import Answer, Person, Question, Tag
from .read import Reader
from .site import Page, Site

if TYPE_CHECKING:  # reload imports this module's neighbours
    from .reload import Memo


@dataclass(kw_only=True)
class Posts:
    """Loads pages, questions and answers into ``site``."""

    reader: Reader
    site: Site
    urls: Urls
    bodies: Bodies
    tag_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    memo: Memo | None = None  # the live preview: each question folder and page kept, or taken as kept (``reload``)

    def _unit(self, path: Path, load: Callable[[], None]) -> None:
        """``load()`` the question folder or page at ``path``, through the memo when there is one."""
        if self.memo is None:
            load()
        else:
            self.memo.unit(path, self.site, self.reader, self.bodies, load)

    # -- pages ---------------------------------------------------------------

    def load_pages(self) -> None:
        """Every page in content/pages/."""
        reader = self.reader
        entries = reader.tree.children(reader.content / "pages")
        taken = {p.stem for p in entries if p.suffix == ".md" and not schema.check_name(p.stem)}
        reserved = self.urls.reserved_slugs("page")
        for path in entries:
            slug = path.stem
            if reader.tree.is_dir(path) or path.suffix != ".md":
                fix = "pages are Markdown files named like about.md"
                reader.report(path, 1, None, "unexpected file in content/pages", fix)
            elif bad := schema.check_name(slug, taken):
                reader.report(path, 1, None, f"page file name '{slug}' {bad.reason}", bad.fix("the file", ".md"))
            elif slug in reserved:
                fix = "rename the file with lowercase letters, digits and hyphens"
                fix += ", not one of: " + ", ".join(sorted(reserved))
                reader.report(path, 1, None, f"'{slug}' cannot be a page's URL slug", fix)
            else:
                self._unit(path, lambda: self._load_page(path, slug))  # noqa: B023 (called at once)

    def _load_page(self, path: Path, slug: str) -> None:
        source = self.reader.markdown(path)
        if source is None:
            return
        values, problems = source.checked or schema.check(source.meta, schema.PAGE, self.reader.rel(path))
        self.reader.problems += problems
        url = self.urls.url("page", slug)
        page = Page(
            slug=slug,
            title=values["title"] or slug,
            description=values["description"],
            content="",
            url=url,
            source_path=self.reader.rel(path),
        )
        self.bodies.add(page, source, doc_id=None, heading_base=2, url=url)
        self.site.pages.append(page)

    # -- questions -------------------------------------------------------------

    def load_questions(self) -> None:
        """Every question folder in content/questions/, with its answers."""
        reader = self.reader
        folder = reader.content / "questions"
        if not reader.tree.is_dir(folder):
            if folder not in reader.tree.refused:
                reader.report(folder, 1, None, "folder is missing", "create content/questions/<slug>/index.md")
            return
        entries = reader.tree.children(folder)
        valid = {p.name for p in entries if reader.tree.is_dir(p) and not schema.check_name(p.name)}
        for path in entries:
            if not reader.tree.is_dir(path):
                fix = "put each question in its own folder: content/questions/<slug>/index.md"
                reader.report(path, 1, None, "unexpected file in content/questions", fix)
            elif path.name in valid:
                self._unit(path, lambda: self._load_folder(path))  # noqa: B023 (called at once)
            elif bad := schema.check_name(path.name, valid):
                reader.report(path, 1, None, f"folder name '{path.name}' {bad.reason}", bad.fix("the folder"))

    def _load_folder(self, folder: Path) -> None:
        reader = self.reader
        kept = {path.name: path for path in reader.tree.children(folder)}  # the scan's own paths: found by identity
        index, answers_dir = (
            kept.get("index.md") or child(folder, "index.md"),
            kept.get("answers") or child(folder, "answers"),
        )
        for extra in (path for name, path in kept.items() if name not in ("index.md", "answers")):
            fix = "a question folder holds only index.md and answers/"
            reader.report(extra, 1, None, "unexpected file in a question folder", fix)
        if index in reader.tree.refused:
            return
        if not reader.tree.is_file(index):
            if reader.tree.exists(answers_dir):
                fix = f"add {reader.rel(index)}, or move the answers to their question's folder"
                reader.report(answers_dir, 1, None, "answers folder without a question", fix)
            else:
                reader.report(folder, 1, None, "question folder has no index.md", f"add {reader.rel(index)}")
            return
        question = self._load_question(index, folder.name)
        answers = self._load_answers(answers_dir, folder.name)
        if question is None:
            return
        for answer in answers:
            answer.question = question
            broken = rules.answered_before_asked(answer.date, question.date)
            reader.broken(answer.source_path, answer.lines["date"], "date", broken)
        first, extra = rules.extra_accepted(sorted(answers, key=lambda a: a.source_path))
        for answer in extra:
            broken = rules.accepted_twice(first.source_path)
            reader.broken(answer.source_path, answer.lines.get("accepted", 1), "accepted", broken)
        question.answers = order_answers(answers)
        (self.site.questions if question.status == "published" else self.site.drafts).append(question)

    def _load_question(self, path: Path, slug: str) -> Question | None:
        source = self.reader.markdown(path)
        if source is None:
            return None
        values, problems = source.checked or schema.check(source.meta, schema.QUESTION, self.reader.rel(path))
        self.reader.problems += problems
        category = self.site.categories.get(values["category"]) if values["category"] else None
        if values["category"] and (broken := rules.unknown_category(values["category"], self.site.categories)):
            self.reader.broken(path, source.meta.line("category"), "category", broken)
        author = self._person(values["author"], path, source.meta, "author")
        date = self.reader.aware(values["date"])
        edited, editor = self._edit_fields(values, path, source, date)
        if problems or category is None or author is None:
            return None
        url = self.urls.url("question", slug)
        names = [self.site.synonyms.get(name, name) for name in values["tags"]]
        question = Question(
            slug=slug,
            title=values["title"],
            date=date,
            category=category,
            tags=[self._tag(name) for name in dict.fromkeys(names)],
            votes=values["votes"],
            author=author,
            edited=edited,
            edited_by=editor,
            views=values["views"],
            status=values["status"],
            source_path=self.reader.rel(path),
            url=url,
            source=values["source"],
            license=values["license"],
            **self._review_fields(values, path, source.meta),
            sensitive=values["sensitive"] or category.sensitive,
        )
        question.lines["title"] = source.meta.line("title")
        self.bodies.add(question, source, doc_id="q", heading_base=2, url=url)
        return question

    def _tag(self, name: str) -> Tag:
        tags = self.site.tags
        if name not in tags:
            known = self.tag_fields.get(name, {})
            tags[name] = Tag(
                name=name,
                url=self.urls.url("tag", name),
                description=known.get("description"),
                content_note=known.get("content_note"),
            )
        return tags[name]

    def _person(self, handle: str | None, path: Path, meta: Located, field_name: str) -> Person | None:
        if handle is None:
            return None
        person = self.site.people.get(handle)
        if person is None:  # a field's line is looked up only for a problem (three to five fields a post)
            self.reader.broken(path, meta.line(field_name), field_name, rules.unknown_person(handle, self.site.people))
        return person

    def _edit_fields(self, values: dict[str, Any], path: Path, source: SourceFile, date: Any) -> tuple[Any, Any]:
        """The post's edit date and editor, checked against each other and its ``date`` (already made aware)."""
        reader, meta = self.reader, source.meta
        edited, editor = reader.aware(values["edited"]), self._person(values["edited_by"], path, meta, "edited_by")
        if broken := rules.editor_without_edit(values["edited_by"], values["edited"]):
            reader.broken(path, meta.line("edited_by"), "edited_by", broken)
        if broken := rules.edited_before_posted(edited, date):
            reader.broken(path, meta.line("edited"), "edited", broken)
        return edited, editor

    def _review_fields(self, values: dict[str, Any], path: Path, meta: Located) -> dict[str, Any]:
        """Who reviewed the post and when (checked against today with the other trust rules: ``trust``)."""
        lines = {name: meta.line(name) for name in ("reviewed_by", "last_reviewed") if name in meta.data}
        reviewer = self._person(values["reviewed_by"], path, meta, "reviewed_by")
        return {"reviewed_by": reviewer, "last_reviewed": values["last_reviewed"], "lines": lines}

    # -- answers ---------------------------------------------------------------

    def _load_answers(self, folder: Path, slug: str) -> list[Answer]:
        """The answers in ``folder``, the answers folder of question ``slug`` (each name's stem and rule found once:
        a valid name is valid whatever names are taken)."""
        reader = self.reader
        answers: list[Answer] = []
        named = []
        for path in reader.tree.children(folder):
            stem = path.stem
            named.append((path, stem, path.suffix == ".md", schema.check_name(stem)))
        taken = {stem for _, stem, markdown, bad in named if markdown and not bad}
        for path, stem, markdown, invalid in named:
            bad = schema.check_name(stem, taken) if invalid else None
            if bad and markdown and reader.tree.is_file(path):
                reader.report(path, 1, None, f"answer file name '{stem}' {bad.reason}", bad.fix("the file", ".md"))
            elif reader.tree.is_dir(path) or not markdown:
                fix = "answers are Markdown files named <date>-<handle>.md, like 2023-07-03-sam-rivera.md"
                reader.report(path, 1, None, "unexpected file in an answers folder", fix)
            elif answer := self._load_answer(path, stem, slug):
                answers.append(answer)
        return answers

    def _load_answer(self, path: Path, stem: str, slug: str) -> Answer | None:
        source = self.reader.markdown(path)
        if source is None:
            return None
        values, problems = source.checked or schema.check(source.meta, schema.ANSWER, self.reader.rel(path))
        self.reader.problems += problems
        author = self._person(values["author"], path, source.meta, "author")
        date = self.reader.aware(values["date"])
        edited, editor = self._edit_fields(values, path, source, date)
        if problems or author is None:
            return None
        if named := rules.anonymous_named(author.handle, stem, self.site.people):
            self.reader.broken(path, source.meta.line("author"), "author", named)
            return None
        answer = Answer(
            id=stem,
            author=author,
            date=date,
            votes=values["votes"],
            accepted=values["accepted"],
            edited=edited,
            edited_by=editor,
            source_path=self.reader.rel(path),
            source=values["source"],
            license=values["license"],
            **self._review_fields(values, path, source.meta),
        )
        answer.lines |= {"accepted": source.meta.line("accepted"), "date": source.meta.line("date")}
        url = self.urls.url("question", slug)
        heading = {"doc_id": f"answer-{stem}", "heading_base": 4}
        self.bodies.add(answer, source, **heading, url=url)
        return answer
