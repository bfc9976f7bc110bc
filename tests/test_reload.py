"""A load kept in memory and loaded again after edits (content/reload.py: the live preview) gives exactly the Site
and the problems a full load of the same content gives: every question, answer, person, category, tag, page,
grouping and problem compared, after each of random edits of every kind (test_incremental's ``Editor``), also
edits that break a file and mend it again. Between loads the generator's rewriting of the posts is imitated
(under a site path, with links added), as a build leaves them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
from test_incremental import KINDS, SEED, Editor, demo_copy  # noqa: F401 (demo_copy: the fixture)

from conftest import REPO_TODAY
from qasite.config.urls import Urls
from qasite.content import reload
from qasite.content.confine import Tree, scan
from qasite.content.links import under_path
from qasite.content.loader import load_site
from qasite.content.model import Answer, Category, Person, Question, Tag
from qasite.content.site import Site
from qasite.content.trust import Policy

POLICY = Policy(today=dt.date.fromisoformat(REPO_TODAY))


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain data: model objects inside another by their name (each is described on its own)."""
    if depth and isinstance(value, Person):
        return ("person", value.handle)
    if depth and isinstance(value, Question):
        return ("question", value.slug)
    if depth and isinstance(value, (Category, Tag)):
        return (type(value).__name__, value.name)
    if depth and isinstance(value, Answer):
        return ("answer", value.source_path)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        described = {f.name: plain(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
        return (type(value).__name__, described)
    if isinstance(value, dict):
        return [(plain(k, depth + 1), plain(v, depth + 1)) for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    return value


def describe(site: Site) -> dict[str, Any]:
    """Everything a loaded site holds, each object in full once, with its identity shared where it should be."""
    answers = [a for q in (*site.questions, *site.drafts) for a in q.answers]
    described = {
        "questions": [plain(q) for q in site.questions],
        "drafts": [plain(q) for q in site.drafts],
        "answers": [plain(a) for a in answers],
        "people": [plain(p) for p in site.people.values()],
        "categories": [plain(c) for c in site.categories.values()],
        "tags": [plain(t) for t in site.tags.values()],
        "pages": [plain(p) for p in site.pages],
        "helplines": plain(site.helplines),
        "synonyms": plain(site.synonyms),
    }
    for name in ("by_category", "by_tag", "asked_by", "answered_by", "category_order", "tag_order"):
        described[name] = plain(getattr(site, name), 1)
    # one object per person, category and tag: the ones the posts hold are the site's
    for question in (*site.questions, *site.drafts):
        assert question.category is site.categories[question.category.name]
        if question.status == "published":
            assert all(tag is site.tags[tag.name] for tag in question.tags)
        for post in (question, *question.answers):
            assert post.author is site.people[post.author.handle]
            assert post.edited_by is None or post.edited_by is site.people[post.edited_by.handle]
        assert all(answer.question is question for answer in question.answers)
    return described


def load(content: Path, *, keep: bool) -> tuple[Site, list[Any]]:
    return load_site(content, timezone="Europe/London", urls=Urls(), processes=1, policy=POLICY, keep=keep)


def as_a_build_leaves_it(site: Site) -> None:
    """What the generator does to the loaded posts (``_enrich``): links added, HTML moved under a site path."""
    for question in site.questions:
        question.related = [question]
        question.answer_link = "https://example.org/answer"
        for post in (question, *question.answers):
            post.edit_link = "https://example.org/edit"
            post.body_html = under_path(post.body_html, "https://example.org/faq")
    for page in site.pages:
        page.content = under_path(page.content, "https://example.org/faq")


BROKEN: list[tuple[Path, str]] = []


def break_and_mend(editor: Editor) -> None:
    """Break a question (an unknown author) or, if one is broken, mend it: the problems must match too."""
    if BROKEN and BROKEN[-1][0].exists():
        path, text = BROKEN.pop()
        path.write_text(text, encoding="utf-8")
        return
    BROKEN.clear()
    path = editor.rng.choice(editor.questions())
    text = path.read_text(encoding="utf-8")
    BROKEN.append((path, text))
    path.write_text(re.sub(r"^author: .*$", "author: nobody-here", text, count=1, flags=re.M), encoding="utf-8")


def test_a_kept_load_loaded_again_after_edits_equals_a_full_load(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    rng = random.Random(SEED + 7)
    editor = Editor(content, rng)
    order = [kind for kind in [*KINDS, "break_and_mend"] for _ in range(3)]
    rng.shuffle(order)
    reload.forget()
    BROKEN.clear()
    site, _ = load(content, keep=True)
    categories = content / "categories.yml"
    for step, kind in enumerate(order):
        as_a_build_leaves_it(site)
        listed = categories.stat().st_mtime_ns
        if kind == "break_and_mend":
            break_and_mend(editor)
        else:
            getattr(editor, kind)()
        site, problems = load(content, keep=True)
        fresh, expected = load(content, keep=False)
        if categories.stat().st_mtime_ns == listed:  # loaded again, not in full
            assert len(site.stats.files_read) < len(fresh.stats.files_read) / 4, f"edit {step}: {kind}"
        assert problems == expected, f"edit {step}: {kind}"
        assert describe(site) == describe(fresh), f"edit {step}: {kind}"
    reload.forget()


@pytest.mark.parametrize("kind", ["answer_text", "question_text", "person"])
def test_an_edit_reads_and_renders_only_the_files_of_its_own_question_again(demo_copy: Path, kind: str) -> None:  # noqa: F811
    content = demo_copy / "content"
    reload.forget()
    load(content, keep=True)
    before = {p: p.stat().st_mtime_ns for p in content.rglob("*.*")}
    getattr(Editor(content, random.Random(SEED)), kind)()
    (edited,) = [p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime]
    site, _ = load(content, keep=True)
    folder = "content/" + edited.relative_to(content).as_posix().split("/answers/")[0].removesuffix("/index.md")
    lists = {"content/safe-messaging.yml", "content/privacy-allow.yml"}  # the text lints' lists, read by every load
    assert {path for path in site.stats.files_read if not path.startswith(folder)} <= lists
    assert 1 <= len(site.stats.files_read) <= 1 + len(lists) + (0 if kind == "person" else 5)
    assert all(path.startswith(folder) for path in site.stats.renders)
    assert len(site.stats.renders) == (0 if kind == "person" else len(site.stats.files_read) - 1)
    reload.forget()


def test_an_edit_outside_questions_pages_and_people_gives_a_full_load(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    reload.forget()
    load(content, keep=True)
    categories = content / "categories.yml"
    categories.write_text(categories.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site, _ = load(content, keep=True)
    assert len(site.stats.files_read) > 20  # everything read again
    reload.forget()


def brute_force_changes(old: Tree, new: Tree) -> set[Path]:
    """What differs between two whole scans, compared entry by entry."""
    paths = {p for p in old.identities.keys() | new.identities.keys() if old.identities.get(p) != new.identities.get(p)}
    paths |= {f for f in old.folders.keys() | new.folders.keys() if old.folders.get(f) != new.folders.get(f)}
    return paths | (old.refused ^ new.refused)


def test_a_scan_compared_with_the_last_one_finds_every_change_a_whole_comparison_finds(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    rng = random.Random(SEED + 9)
    editor = Editor(content, rng)
    last, _ = scan(content, str, Tree(content))  # a first scan that keeps the files' identities
    for step, kind in enumerate([*KINDS, *KINDS, "same_size_and_mtime", "link", "unlink"]):
        if kind == "same_size_and_mtime":  # rewritten behind the size and mtime: the ctime moved
            path = editor.rng.choice(editor.answers())
            data, info = path.read_bytes(), path.stat()
            path.write_bytes(data.replace(b"a", b"e", 1))
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        elif kind == "link":  # a file replaced by a link to it: refused
            target = editor.rng.choice(editor.answers())
            target.rename(target.with_suffix(".txt"))
            target.symlink_to(target.with_suffix(".txt").name)
        elif kind == "unlink":
            for link in [p for p in content.rglob("*.md") if p.is_symlink()]:
                link.unlink()
                link.with_suffix(".txt").rename(link)
        else:
            getattr(editor, kind)()
        again, problems = scan(content, str, last)
        whole, expected = scan(content, str, Tree(content))
        assert (again.folders, again.files, again.refused, again.identities, problems) == (
            whole.folders,
            whole.files,
            whole.refused,
            whole.identities,
            expected,
        ), f"step {step}: {kind}"
        assert scan(content, str)[0].folders == whole.folders  # the same tree without a scan to compare with
        for path in brute_force_changes(last, whole):  # what is there is named; what went, by a folder above
            there = path in whole.identities or path in whole.folders or path in whole.refused
            assert path in again.changed if there else again.changed & {*path.parents}, f"step {step}: {kind}"
        assert again.changed, f"step {step}: {kind}"  # every edit here changes something
        last = again


def test_a_link_swapped_in_and_out_gives_the_problems_of_a_full_load(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    reload.forget()
    load(content, keep=True)
    target = sorted(content.glob("questions/*/answers/*.md"))[0]
    target.rename(target.with_suffix(".txt"))
    target.symlink_to(target.with_suffix(".txt").name)
    site, problems = load(content, keep=True)
    fresh, expected = load(content, keep=False)
    assert problems == expected and any("symbolic link" in p.message for p in problems)
    assert describe(site) == describe(fresh)
    target.unlink()
    target.with_suffix(".txt").rename(target)
    site, problems = load(content, keep=True)
    fresh, expected = load(content, keep=False)
    assert problems == expected and describe(site) == describe(fresh)
    reload.forget()


def test_a_link_added_and_removed_gives_a_full_loads_problems_and_only_texts_with_links_are_kept(
    demo_copy: Path,  # noqa: F811
) -> None:
    """A text without links gives no link source to check (``bodies``), so the kept load holds none for it (at 10,000
    questions none of the 28,600 texts has one: 0.03 CPU-s less to unpickle); a link added to such a text and
    removed again is reported, and forgotten, as a full load does."""
    content = demo_copy / "content"
    reload.forget()
    load(content, keep=True)
    target = sorted(content.glob("questions/*/answers/*.md"))[0]
    text = target.read_text(encoding="utf-8")
    rel = target.relative_to(demo_copy).as_posix()
    for step, edited in enumerate([text + "\nSee [this](/no-such-page/).\n", text]):
        target.write_text(edited, encoding="utf-8")
        site, problems = load(content, keep=True)
        fresh, expected = load(content, keep=False)
        assert problems == expected and describe(site) == describe(fresh), f"step {step}"
        assert any(p.path == rel and "no-such-page" in p.message for p in problems) == (step == 0), f"step {step}"
        memo = reload.kept()
        assert memo is not None
        sources = [source for unit in memo.units.values() for source in unit.links]
        assert all(source.links for source in sources), f"step {step}: a text without links kept a link source"
        assert any(source.path == rel for source in sources) == (step == 0), f"step {step}"
    reload.forget()


def test_a_people_edit_with_a_problem_keeps_it_through_the_next_loads(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    editor = Editor(content, random.Random(SEED + 3))
    reload.forget()
    load(content, keep=True)
    people = content / "people.yml"
    handle = re.findall(r"^([a-z][\w-]*):$", people.read_text(encoding="utf-8"), flags=re.M)[1]
    editor.sub(people, rf"^{handle}:\n", lambda m: f"{m[0]}  points: lots\n")  # the same handles, a bad value
    for edit in (lambda: None, editor.answer_text, editor.person):
        edit()
        site, problems = load(content, keep=True)
        fresh, expected = load(content, keep=False)
        assert problems == expected and any(p.path.endswith("people.yml") for p in problems)
        assert describe(site) == describe(fresh)
        assert len(site.stats.files_read) < len(fresh.stats.files_read) / 4  # loaded again, not in full
    reload.forget()
