"""Deterministic benchmark content: an N-question site in our format and the same site for plain Pelican.

``make_site(n)`` builds the questions, answers and members in memory from a
seeded generator and the word lists in ``vocab.py``; ``write_ours`` writes them
in our content format (docs/content-format.md), ``write_plain`` as one
Pelican Markdown article per question, its answers appended as sections, and
``write_hugo`` as one Hugo page per question with the same body.
``read_ours`` reads an existing site in our format (the demo site) so plain
Pelican can be given the same questions.

    python bench/generate.py --size 1000 --dest bench/.work/sites/1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import itertools
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import vocab

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SEED = 20240611
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2024, 12, 31)
SLOT_RE = re.compile(r"\{(\w+)\}")


@dataclass
class Member:
    """A member of the forum (an entry of people.yml)."""

    handle: str
    name: str
    credentials: str | None = None
    bio: str | None = None
    url: str | None = None
    points: int | None = None


@dataclass
class Reply:
    """An answer to a question."""

    author: str
    date: dt.date
    votes: int
    body: str
    accepted: bool = False
    edited: dt.date | None = None

    @property
    def ident(self) -> str:
        """The answer's id (its file stem): ``<date>-<handle>``."""
        return f"{self.date.isoformat()}-{self.author}"


@dataclass
class Post:
    """A question with its answers."""

    slug: str
    title: str
    date: dt.date
    category: str
    tags: list[str]
    votes: int
    author: str
    body: str
    views: int | None = None
    edited: dt.date | None = None
    answers: list[Reply] = field(default_factory=list)


@dataclass
class SiteData:
    """A whole site: categories (name -> description, order), members, questions."""

    categories: dict[str, tuple[str, int]]
    members: list[Member]
    posts: list[Post]

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Display name by handle."""
        return {m.handle: m.name for m in self.members}

    def name_of(self, handle: str) -> str:
        """The display name of ``handle`` ('Anonymous' for anonymous)."""
        return self.names.get(handle, "Anonymous")


# -- generating --------------------------------------------------------------


def slugify(text: str) -> str:
    """'Is CBT worth it?' -> 'is-cbt-worth-it'.

    Not qasite's ``content.slugs.slugify`` on purpose: these slugs are the fixed names of the benchmark
    content and of the same_output baseline ('tom-s-fischer', folders cut mid-word at 80), which that
    one would change ('tomas-fischer', cut at a word).
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def all_tags() -> list[str]:
    """About 200 distinct tags: category tags, topics, then topic-aspect compounds."""
    tags: list[str] = []
    for info in vocab.CATEGORIES.values():
        tags += [t for t in info.tags if t not in tags]
    tags += [t for t in vocab.TOPICS if t not in tags]
    for aspect in vocab.ASPECTS:
        tags += [f"{topic}-{aspect}" for topic in vocab.TOPICS[:18]]
    return tags[:200]


class _Names:
    """Made-up town, pet and workplace names drawn Zipf-like: the long tail of the vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict[str, tuple[list[str], list[float]]] = {}
        for kind, ends in vocab.NAME_ENDS.items():
            pool = [a + m + e for a in vocab.NAME_STARTS for m in vocab.NAME_MIDDLES for e in ends]
            rng.shuffle(pool)
            self.pools[kind] = (pool, list(itertools.accumulate(1 / (r + 1) for r in range(len(pool)))))

    def draw(self, kind: str) -> str:
        """One name of ``kind`` (town, pet, workplace)."""
        pool, cum_weights = self.pools[kind]
        return self.rng.choices(pool, cum_weights=cum_weights)[0]


class _Generator:
    """Draws one site from a seeded ``random.Random``; call order fixes the output."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.tags = all_tags()
        self.tag_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.tags))]
        self.members = self._members(max(10, n // 20))
        self.author_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.members))]
        self.answer_weights = [
            w * (5 if m.credentials else 1) for m, w in zip(self.members, self.author_weights, strict=True)
        ]

    # members

    def _members(self, count: int) -> list[Member]:
        taken: set[str] = {"anonymous"}
        members = []
        for _ in range(count):
            name = self._name()
            handle = base = slugify(name)
            while handle in taken:
                handle = f"{base}-{self.rng.randint(2, 999)}"
            taken.add(handle)
            members.append(self._member(handle, name))
        return members

    def _name(self) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
        return " ".join(w.capitalize() for w in rng.sample(vocab.NICK_WORDS, 2))

    def _member(self, handle: str, name: str) -> Member:
        rng = self.rng
        member = Member(handle, name)
        if rng.random() < 0.12:
            member.credentials = rng.choice(vocab.CREDENTIALS)
            member.url = f"https://example.org/{handle}"
        if rng.random() < 0.6:
            member.bio = rng.choice(vocab.BIOS).format(years=rng.randint(3, 25))
        if rng.random() < 0.3:
            member.points = rng.randint(1, 20000)
        return member

    def _author(self, weights: list[float]) -> str:
        if self.rng.random() < 0.05:
            return "anonymous"
        return self.rng.choices(self.members, weights)[0].handle

    # text

    def _fill(self, template: str, problems: list[str], problem: str) -> str:
        def pick(match: re.Match[str]) -> str:
            slot = match.group(1)
            if slot == "problem":
                return problem if self.rng.random() < 0.4 else self.rng.choice(problems)
            if slot in vocab.NAME_ENDS:
                return self.names.draw(slot)
            return self.rng.choice(vocab.SLOTS[slot])

        text = SLOT_RE.sub(pick, template)
        return text[0].upper() + text[1:]

    def _text(self, sentences: list[str], problems: list[str], problem: str, *, lists: bool) -> str:
        target = int(min(260, max(60, self.rng.gauss(150, 35))))
        paragraphs: list[str] = []
        words = 0
        while words < target:
            count = self.rng.randint(2, 4)
            chosen = [self._fill(s, problems, problem) for s in self.rng.sample(sentences, count)]
            paragraphs.append(" ".join(chosen))
            words += sum(len(s.split()) for s in chosen)
            if lists and self.rng.random() < 0.25:
                items = self.rng.sample(vocab.ANSWER_LIST_ITEMS, 3)
                paragraphs.append("\n".join(f"- {self._fill(i, problems, problem)}" for i in items))
        return "\n\n".join(paragraphs)

    # questions

    def _date(self, start: dt.date, mean_days: float, last: dt.date) -> dt.date:
        return min(last, start + dt.timedelta(days=int(self.rng.expovariate(1 / mean_days))))

    def _votes(self, mean: float) -> int:
        votes = int(self.rng.expovariate(1 / mean))
        return -self.rng.randint(1, 3) if self.rng.random() < 0.06 else votes

    def posts(self) -> list[Post]:
        slugs: set[str] = set()
        return [self._post(slugs) for _ in range(self.n)]

    def _post(self, slugs: set[str]) -> Post:
        rng = self.rng
        category = rng.choice(list(vocab.CATEGORIES))
        info = vocab.CATEGORIES[category]
        problems = info.problems
        problem = rng.choice(problems)
        title = self._fill(rng.choice(vocab.TITLES), problems, problem)
        slug = base = slugify(title)[:80].strip("-")
        while slug in slugs:
            slug = f"{base}-{rng.randint(2, 99999)}"
        slugs.add(slug)
        date = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        post = Post(
            slug,
            title,
            date,
            category,
            self._tags(info.tags),
            self._votes(6),
            self._author(self.author_weights),
            self._text(vocab.QUESTION_SENTENCES, problems, problem, lists=False),
        )
        post.views = max(0, post.votes) * rng.randint(40, 150) + rng.randint(20, 400)
        post.edited = self._date(date, 10, LAST_DAY) if rng.random() < 0.12 else None
        post.answers = self._answers(post, problems, problem)
        return post

    def _tags(self, category_tags: list[str]) -> list[str]:
        tags = [self.rng.choice(category_tags)]
        for tag in self.rng.choices(self.tags, self.tag_weights, k=self.rng.randint(0, 4)):
            if tag not in tags:
                tags.append(tag)
        return tags

    def _answers(self, post: Post, problems: list[str], problem: str) -> list[Reply]:
        replies: dict[str, Reply] = {}
        for _ in range(self.rng.choices(range(6), [18, 28, 24, 15, 9, 6])[0]):
            date = self._date(post.date, 30, dt.date(2025, 6, 30))
            reply = Reply(
                self._author(self.answer_weights),
                date,
                self._votes(5),
                self._text(vocab.ANSWER_SENTENCES, problems, problem, lists=True),
            )
            reply.edited = self._date(date, 5, dt.date(2025, 6, 30)) if self.rng.random() < 0.08 else None
            replies.setdefault(reply.ident, reply)
        answers = list(replies.values())
        if answers and self.rng.random() < 0.45:
            max(answers, key=lambda r: (r.votes, r.ident)).accepted = True
        return answers


def make_site(n: int, seed: int = SEED) -> SiteData:
    """An ``n``-question site, the same for the same ``n`` and ``seed``."""
    gen = _Generator(n, seed)
    categories = {
        name: (info.description, order) for order, (name, info) in enumerate(vocab.CATEGORIES.items(), start=1)
    }
    return SiteData(categories, gen.members, gen.posts())


# -- our content format ------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _front_matter(fields: dict[str, object]) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if value is None or value is False:
            continue
        if isinstance(value, list):
            value = "[" + ", ".join(value) + "]"
        elif value is True:
            value = "true"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        lines.append(f"{key}: {value}")
    return "\n".join([*lines, "---", ""])


def _people_yml(members: list[Member]) -> str:
    blocks = []
    for m in members:
        lines = [f"{m.handle}:", f"  name: {_q(m.name)}"]
        lines += [f"  credentials: {_q(m.credentials)}"] if m.credentials else []
        lines += [f"  bio: {_q(m.bio)}"] if m.bio else []
        lines += [f"  url: {m.url}"] if m.url else []
        lines += [f"  points: {m.points}"] if m.points is not None else []
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _categories_yml(categories: dict[str, tuple[str, int]]) -> str:
    blocks = [f"{_q(name)}:\n  description: {_q(desc)}\n  order: {order}" for name, (desc, order) in categories.items()]
    return "\n\n".join(blocks) + "\n"


def _question_md(post: Post) -> str:
    meta = {
        "title": _q(post.title),
        "date": post.date,
        "category": _q(post.category),
        "tags": post.tags,
        "votes": post.votes,
        "author": post.author,
        "views": post.views,
        "edited": post.edited,
        "edited_by": post.author if post.edited else None,
    }
    return _front_matter(meta) + "\n" + post.body + "\n"


def _answer_md(reply: Reply) -> str:
    meta = {
        "author": reply.author,
        "date": reply.date,
        "votes": reply.votes,
        "accepted": reply.accepted,
        "edited": reply.edited,
        "edited_by": reply.author if reply.edited else None,
    }
    return _front_matter(meta) + "\n" + reply.body + "\n"


ABOUT = """---
title: About
description: "A generated site for benchmarks."
---

This site was generated by `bench/generate.py` for the benchmark. Its questions are made up.
"""


def write_ours(site: SiteData, content: Path) -> None:
    """Write ``site`` under ``content`` in our content format."""
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "people.yml").write_text(_people_yml(site.members), encoding="utf-8")
    (content / "categories.yml").write_text(_categories_yml(site.categories), encoding="utf-8")
    (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    for post in site.posts:
        folder = content / "questions" / post.slug
        (folder / "answers").mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(_question_md(post), encoding="utf-8")
        for reply in post.answers:
            (folder / "answers" / f"{reply.ident}.md").write_text(_answer_md(reply), encoding="utf-8")


# -- plain Pelican -----------------------------------------------------------


def _plain_article(site: SiteData, post: Post) -> str:
    head = [
        f"Title: {post.title}",
        f"Date: {post.date.isoformat()}",
        f"Category: {post.category}",
        f"Tags: {', '.join(post.tags)}",
        f"Author: {site.name_of(post.author)}",
        f"Slug: {post.slug}",
    ]
    return "\n".join(head) + "\n\n" + _article_body(site, post)


def _article_body(site: SiteData, post: Post) -> str:
    """The question's text and its answers appended as sections (accepted first, then by votes)."""
    parts = [post.body]
    ordered = sorted(post.answers, key=lambda r: (not r.accepted, -r.votes, r.date))
    if ordered:
        parts.append(f"## {len(ordered)} answer{'s' if len(ordered) > 1 else ''}")
    for reply in ordered:
        label = f"{reply.votes} votes" + (", accepted" if reply.accepted else "")
        parts.append(f"### Answer by {site.name_of(reply.author)} ({label})\n\n*{reply.date.isoformat()}*")
        parts.append(reply.body)
    return "\n\n".join(parts) + "\n"


def write_plain(site: SiteData, content: Path) -> None:
    """Write ``site`` under ``content`` as Pelican articles (one Markdown file per question)."""
    content.mkdir(parents=True, exist_ok=True)
    for post in site.posts:
        (content / f"{post.slug}.md").write_text(_plain_article(site, post), encoding="utf-8")


# -- Hugo ----------------------------------------------------------------------


def _hugo_page(site: SiteData, post: Post) -> str:
    meta = {
        "title": _q(post.title),
        "date": post.date,
        "slug": post.slug,
        "categories": [_q(post.category)],
        "tags": [_q(tag) for tag in post.tags],
        "author": _q(site.name_of(post.author)),
        "votes": post.votes,
        "answers": len(post.answers),
    }
    return _front_matter(meta) + "\n" + _article_body(site, post)


def write_hugo(site: SiteData, dest: Path) -> None:
    """Write ``site`` as a Hugo site under ``dest``: ``content/questions/<slug>.md``, one page per question.

    Each page has YAML front matter (title, date, slug, categories, tags, author, votes, answers) and
    the same body as the plain Pelican article: the question, then its answers appended as sections.
    The site's configuration and layouts are bench/hugo/ (``hugo --source bench/hugo --contentDir ...``).
    """
    folder = dest / "content" / "questions"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_index.md").write_text('---\ntitle: "Questions"\n---\n', encoding="utf-8")
    for post in site.posts:
        (folder / f"{post.slug}.md").write_text(_hugo_page(site, post), encoding="utf-8")


# -- reading our format (the demo site) ---------------------------------------


def _split(path: Path) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8-sig")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta) or {}, body.strip()


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.datetime.fromisoformat(str(value)).date()


def _read_post(folder: Path) -> Post | None:
    meta, body = _split(folder / "index.md")
    if meta.get("status", "published") != "published":
        return None
    post = Post(
        folder.name,
        str(meta["title"]),
        _as_date(meta["date"]),
        str(meta["category"]),
        [str(t) for t in meta["tags"]],
        int(meta.get("votes") or 0),
        str(meta["author"]),
        body,
    )
    for path in sorted((folder / "answers").glob("*.md")):
        ans, text = _split(path)
        post.answers.append(
            Reply(
                str(ans["author"]), _as_date(ans["date"]), int(ans.get("votes") or 0), text, bool(ans.get("accepted"))
            )
        )
    return post


def read_ours(content: Path) -> SiteData:
    """Read a site in our format (enough of it for the plain Pelican copy)."""
    people = yaml.safe_load((content / "people.yml").read_text(encoding="utf-8")) or {}
    members = [Member(handle, str(entry["name"])) for handle, entry in people.items()]
    categories = yaml.safe_load((content / "categories.yml").read_text(encoding="utf-8")) or {}
    cats = {name: (str(c["description"]), int(c["order"])) for name, c in categories.items()}
    posts = [_read_post(folder) for folder in sorted((content / "questions").iterdir()) if folder.is_dir()]
    return SiteData(cats, members, [p for p in posts if p is not None])


# -- caching and validation ---------------------------------------------------


def fingerprint(n: int | str) -> str:
    """A hash of the generator code and size: generated content is reused while it matches."""
    digest = hashlib.sha256(f"{n}:{SEED}".encode())
    for name in ("generate.py", "vocab.py"):
        digest.update((BENCH / name).read_bytes())
    return digest.hexdigest()[:16]


def validate(content: Path) -> tuple[list[str], list[str]]:
    """Run our validator (``qasite.build.pipeline.check_content``) over ``content``; return (errors, warnings)."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from qasite.build.pipeline import check_content, load_settings

    settings = load_settings(ROOT / "pelicanconf.py", {"PATH": str(content)})
    problems = check_content(settings=settings)
    errors = [str(p) for p in problems if getattr(p, "is_error", True)]
    return errors, [str(p) for p in problems if not getattr(p, "is_error", True)]


def ensure_generated(n: int, dest: Path, *, check: bool = True) -> SiteData | None:
    """Generate the ``n``-question site into ``dest/ours/content``, ``dest/plain/content`` and
    ``dest/hugo/content`` unless current.

    Returns the site when it was (re)generated, None when the cached copy was reused. Content that
    our validator rejects stops the benchmark; its warnings (possible duplicates) are counted.
    """
    stamp = dest / "stamp"
    if stamp.is_file() and stamp.read_text() == fingerprint(n):
        return None
    shutil.rmtree(dest, ignore_errors=True)
    site = make_site(n)
    write_ours(site, dest / "ours" / "content")
    write_plain(site, dest / "plain" / "content")
    write_hugo(site, dest / "hugo")
    if check:
        errors, warnings = validate(dest / "ours" / "content")
        if errors:
            raise SystemExit("generated content fails validation:\n" + "\n".join(errors[:20]))
        print(f"{dest.name}: {n} questions pass our validator ({len(warnings)} warnings)", file=sys.stderr)
    stamp.write_text(fingerprint(n))
    return site


def ensure_demo_plain(content: Path, dest: Path) -> None:
    """Write the plain Pelican and Hugo copies of the demo site (``content``) into ``dest/plain/content`` and
    ``dest/hugo/content``; always fresh."""
    shutil.rmtree(dest, ignore_errors=True)
    site = read_ours(content)
    write_plain(site, dest / "plain" / "content")
    write_hugo(site, dest / "hugo")


def main() -> None:
    """CLI: generate one site."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, required=True, help="number of questions")
    parser.add_argument("--dest", type=Path, required=True, help="folder for ours/content and plain/content")
    parser.add_argument("--no-check", action="store_true", help="skip our validator")
    args = parser.parse_args()
    site = ensure_generated(args.size, args.dest, check=not args.no_check)
    print(f"{args.dest}: " + (f"generated {len(site.posts)} questions" if site else "up to date"))


if __name__ == "__main__":
    main()
