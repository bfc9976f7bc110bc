"""The site in Markdown for language models and other readers: ``/llms.txt`` and each question's Markdown alternate.

``llms_txt`` follows llmstxt.org: the site's name as the title, its description as a quote, then sections of
Markdown links: the categories (to their pages) and the top-voted questions (to their Markdown alternates).
``question_markdown`` writes ``/questions/<slug>/index.md`` (``Urls.markdown``): the title, a line of facts,
the link to the helplines (sensitive questions) and the content note (as the page shows them), the question's
Markdown as written, then each answer in display order, with the attribution of imported posts.

Content is untrusted, and a reader may render this Markdown with raw HTML on: one-line texts (titles, names,
descriptions) have every Markdown character escaped; in bodies, outside code blocks, every ``<`` that could
open HTML is escaped, images become plain links (nothing loads from another host), and links with a scheme
the site does not allow become text. The privacy markers are gone already (``bodies`` strips them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..config.urls import Urls
from ..content.model import Answer, Category, Person, Question
from ..content.site import Site
from .filters import license_url
from .listings import top_voted
from .markdown import parser

LLMS_TOP = 50  # questions listed in llms.txt, by votes
PUNCTUATION = re.compile(r"([\\`*_\[\]<>&!|~#])")  # what can start syntax inside a line
HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
IMAGE_START = re.compile(r"!(?=\[)")
UNSAFE_IN_ADDRESS = re.compile(r"[\x00-\x20<>\\]")  # what could end a link's address in angle brackets
INDENTS = ("    ", "\t")  # what starts an indented code block's line
LINE_INDENTS = tuple(f"\n{indent}" for indent in INDENTS)
# A link destination that is plainly one the site allows: http(s), mailto, tel, a path on the site, a fragment,
# or a relative name. Anything else after '](' or ']:' (another scheme, an entity, a line break) is made text.
SAFE_DESTINATION = r"\s*<?\s*(?:https?://|mailto:|tel:|#|/(?![/\\])|\.{1,2}/|[A-Za-z0-9_.~-]+(?=[/?#)>]))"
UNSAFE_LINK = re.compile(r"\](?=[(:])(?!\(" + SAFE_DESTINATION + r")(?!:" + SAFE_DESTINATION + ")")


def inline(text: str) -> str:
    """One line of plain text as Markdown that shows exactly it: whitespace collapsed, punctuation escaped."""
    return PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def safe_body(markdown: str) -> str:
    """A post's Markdown with nothing live for a renderer that allows raw HTML (code blocks left as written).

    A line is left as written only where our parser and plain CommonMark (no tables) both read it as code, in the
    text as written and again in the text made safe: escaping a line can make the code after it part of a paragraph
    (a reference definition ``[r]: x`` made text, then an indented ``<img ...>``), so those lines are made safe too.
    A fence the post leaves open is closed: an alternate holds several posts, and the next one's fence would end it.
    """
    if "\r" in markdown:  # the parsers end a line there too: lines counted alike (the loader leaves none)
        markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    lines = markdown.split("\n")
    found = _code_lines(markdown) if "```" in markdown or "~~~" in markdown or _indented(markdown) else NO_CODE
    code = found.lines
    text, escaped = _made_safe(lines, code)
    while escaped and found.indented:  # only an indented block can join the text before it
        still = code & _code_lines(text).lines
        if still == code:
            break
        code = still
        text, escaped = _made_safe(lines, code)
    text = text.strip("\n")
    return f"{text}\n{found.closing}" if found.closing else text


class Code(NamedTuple):
    """What ``safe_body`` leaves as written: the lines in code blocks; the marker that closes a fence the text leaves
    open ('' if none); whether an indented code block is among them (a fence is never taken into a paragraph)."""

    lines: set[int]
    closing: str = ""
    indented: bool = False


NO_CODE = Code(set())


def _code_lines(markdown: str) -> Code:
    """The lines of ``markdown`` in a code block for our parser and for plain CommonMark with raw HTML (``Code``)."""
    tokens = parser().parse(markdown)
    ours = _in_code(tokens)
    if not ours:
        return NO_CODE
    indented = any(token.type == "code_block" for token in tokens)
    return Code(ours & _in_code(_plain().parse(markdown)), _left_open(tokens, _line_count(markdown)), indented)


def _in_code(tokens: Sequence[Token]) -> set[int]:
    lines: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _left_open(tokens: Sequence[Token], count: int) -> str:
    """The marker that closes the last fence outside any list or quote if it runs unclosed to the text's end
    (``count`` lines), else '': its ``content`` then holds every line after the opening one."""
    last = next((t for t in reversed(tokens) if t.type == "fence" and t.level == 0 and t.map), None)
    if last is None or last.map is None or last.map[1] < count:
        return ""
    return "" if last.map[1] - last.map[0] - 1 > _line_count(last.content) else last.markup


def _line_count(text: str) -> int:
    """The lines of ``text`` as markdown-it counts them (a last line break starts none)."""
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


@functools.cache
def _plain() -> MarkdownIt:
    """CommonMark as a careless reader of the alternates has it: raw HTML, no tables."""
    return MarkdownIt("commonmark", {"html": True})


def _made_safe(lines: Sequence[str], code: set[int]) -> tuple[str, bool]:
    """``lines`` joined, the ``code`` ones as written and the others defused; and whether defusing changed any."""
    out, prose, escaped = [], [], False
    for number, line in enumerate(lines):
        if number in code:
            if prose:
                out.append(_defused("\n".join(prose)))
                escaped = escaped or out[-1] != "\n".join(prose)
            out.append(line)
            prose = []
        else:
            prose.append(line)
    if prose:
        out.append(_defused("\n".join(prose)))
        escaped = escaped or out[-1] != "\n".join(prose)
    return "\n".join(out), escaped


def _indented(markdown: str) -> bool:
    """Whether a line of ``markdown`` starts with four spaces or a tab (``^( {4}|\t)`` in MULTILINE mode, without a
    regular expression tried at every character)."""
    return markdown.startswith(INDENTS) or any(indent in markdown for indent in LINE_INDENTS)


def _defused(text: str) -> str:
    """Prose (no code block) with HTML, images and links of other schemes made text."""
    for trigger, pattern in (("<", HTML_START), ("![", IMAGE_START), ("]", UNSAFE_LINK)):
        if trigger in text:
            text = _escape(pattern, text)
    return text


def _escape(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with a backslash before each match of ``pattern`` that an odd number of backslashes does not
    already escape (two backslashes are an escaped backslash: the character after them is still live)."""

    def escaped(match: re.Match[str]) -> str:
        start = before = match.start()
        while before and text[before - 1] == "\\":
            before -= 1
        return match.group() if (start - before) % 2 else "\\" + match.group()

    return pattern.sub(escaped, text)


def _link(label: str, url: str) -> str:
    """A Markdown link; the address in angle brackets, with nothing that could end them."""
    dest = UNSAFE_IN_ADDRESS.sub(_percent, url) if UNSAFE_IN_ADDRESS.search(url) else url
    return f"[{inline(label)}](<{dest}>)"


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


def _person(person: Person, base: str) -> str:
    if person.is_anonymous or person.url is None:
        return inline(person.name)
    return _link(person.name, f"{base}/{person.url}")


def _attribution(post: Question | Answer) -> list[str]:
    if not post.source:
        return []
    license = post.license or "see the original"
    deed = license_url(license) if post.license else None
    shown = _link(license, deed) if deed else inline(license)
    return [f"Originally posted at {_link(post.source, post.source)}; license: {shown}.", ""]


def _facts(post: Question | Answer, base: str, what: str) -> str:
    facts = [f"{what} by {_person(post.author, base)} on {post.date.date().isoformat()}"]
    if post.edited:
        facts.append(f"edited {post.edited.date().isoformat()}")
    facts.append(f"{post.votes:,} vote{'' if post.votes == 1 else 's'}")
    return " · ".join(facts)


def question_markdown(question: Question, base: str) -> str:
    """The Markdown alternate of a question page (``base``: SITEURL, possibly '')."""
    category = _link(question.category.name, f"{base}/{question.category.url}")
    tags = ", ".join(_link(tag.name, f"{base}/{tag.url}") for tag in question.tags)
    facts = _facts(question, base, "Asked")
    views = f" · {question.views:,} views" if question.views is not None else ""
    lines = [f"# {inline(question.title)}", "", f"{facts}{views} · in {category} · tags: {tags}", ""]
    lines += [f"Web page: {_link(question.title, f'{base}/{question.url}')}", ""]
    if question.sensitive:  # the page shows crisis helplines above the title
        lines += [f"If you need help now: {_link('crisis helplines', f'{base}/{Urls.help}')}.", ""]
    if question.content_note:  # the page folds the text behind it
        lines += [f"Content note: {inline(question.content_note)}", ""]
    lines += [*_attribution(question), safe_body(question.markdown), ""]
    count = len(question.answers)
    lines += [f"## {count} answer{'' if count == 1 else 's'}", ""]
    for answer in question.answers:
        accepted = " (accepted)" if answer.accepted else ""
        lines += [f"### {_facts(answer, base, 'Answer')}{accepted}", ""]
        lines += [*_attribution(answer), safe_body(answer.markdown), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def llms_txt(
    *,
    name: str,
    description: str,
    notice: str | None,
    base: str,
    urls: Urls,
    categories: Sequence[Category],
    questions: list[Question],
) -> str:
    """``/llms.txt``: the site, its categories and its top-voted questions as Markdown links (llmstxt.org)."""
    lines = [f"# {inline(name)}", "", f"> {inline(description)}", ""]
    lines += [inline(notice), ""] if notice else []
    lines += ["## Categories", ""]
    lines += [f"- {_link(c.name, f'{base}/{c.url}')}: {inline(c.description)}" for c in categories]
    lines += ["", "## Top questions", ""]
    for q in top_voted(questions)[:LLMS_TOP]:
        answers = f"{q.answer_count} answer{'' if q.answer_count == 1 else 's'}"
        lines.append(f"- {_link(q.title, f'{base}/{urls.markdown(q.slug)}')}: {q.votes:,} votes, {answers}")
    lines += ["", "## Optional", "", f"- {_link('Newest questions (Atom feed)', f'{base}/{Urls.all_feed}')}"]
    return "\n".join(lines) + "\n"


def about(settings: Mapping[str, Any], site: Site) -> dict[str, Any]:
    """What llms.txt says about the site: name, description, notice, address, categories in order."""
    found = {"name": settings["SITENAME"], "description": settings["QA_SITE_DESCRIPTION"]}
    found |= {"notice": settings["QA_MEDICAL_NOTICE"], "base": settings["SITEURL"]}
    return found | {"categories": site.category_order}


def write_alternates(
    questions: Sequence[Question], write: Callable[[str, str], None], poll: Callable[[], None], urls: Urls, base: str
) -> None:
    """``write`` the Markdown alternates of a full build's question pages, after the rest of the site: Pagefind never
    reads them, so its first run starts sooner (~17% of a question page's time each), and they fill the build's
    wait for the runs; ``poll`` between two (the next shard's run starts as soon as one is done)."""
    for question in questions:
        poll()
        write(urls.markdown(question.slug), question_markdown(question, base))
