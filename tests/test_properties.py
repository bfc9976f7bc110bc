"""Property-based tests (hypothesis): generated content never breaks the build badly.

Generated front-matter values for every field of every kind of file (fields from the schema tables), Markdown
mixed with raw HTML, and file and folder names are written into a copy of the fixture site and built through
the real CLI path (``run_cli``). Invariants, checked on every example:

- the build exits 0, or exits 1 with only ``path:line: field: problem (fix)`` lines and the count line (or one
  ``error: ...`` line); no exception escapes ``run_cli``, and no traceback is printed;
- nothing outside the output folder is created, changed or deleted (contents and mtimes);
- when the build succeeds, the generated text is part of the page's visible text, and generated HTML shows as
  text: never an element, an event handler or a dangerous URL.

Profiles: "ci" (the default, used by make test: derandomized, a fixed number of examples) and "long" for hand
runs: ``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_properties.py`` (see docs/maintaining.md).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import textwrap
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from content_strategies import ENTRY_KEYS, NAMES, SUFFIXES, Markdown, Raw, front_matter, markdown_bodies, yaml_mapping
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import copy_site
from qasite.build import outputdir
from qasite.build.cache import settle
from qasite.build.pipeline import run_cli
from qasite.config.urls import Urls
from qasite.content import schema
from qasite.content.frontmatter import load_yaml, parse_source

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci", max_examples=30, derandomize=True, database=None, deadline=None, suppress_health_check=SLOW
)
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=SLOW)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
TWICE = settings(max_examples=2 * settings.default.max_examples)

PROBLEM_LINE = re.compile(r"content/.*:\d+:( warning:)? .+")
COUNT_LINE = re.compile(r"(\d+) problems? (and \d+ warnings? )?found\.")


# -- the real build, and the invariants every build keeps ------------------------


@contextlib.contextmanager
def fixture_site() -> Iterator[Path]:
    """A fresh copy of the fixture site, three folders deep so an escape upwards lands in the snapshot."""
    with tempfile.TemporaryDirectory(prefix="qasite-props-") as tmp:
        site = Path(tmp) / "d1" / "d2" / "d3" / "site"
        copy_site(site)
        try:
            yield site
        finally:
            settle()  # the build's cache writer (build/cache.write_behind) ends before the folder is removed


def is_build_own(name: str) -> bool:
    """The output folder and the names a build keeps beside it (output.lock, output.staging...: see outputdir)."""
    own = ("", outputdir.LOCK, outputdir.STAGING, outputdir.PREVIOUS, outputdir.FOLDERS)
    return name in {f"output{suffix}" for suffix in own} or name.startswith(f"output{outputdir.OLD}")


CACHE = "qasite-cache"  # the build cache copy_site configures beside the site (QA_CACHE_PATH): the build's own


def snapshot(root: Path, site: Path) -> dict[str, Any]:
    """Every file (mtime, bytes) and folder (mtime) under ``root`` except the build's own names: the output
    folders in the site, the build cache beside it."""
    state: dict[str, Any] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here in (site, site.parent):  # creating output/ or the cache changes the mtime: entries checked instead
            own = is_build_own if here == site else (lambda name: name == CACHE)
            dirnames[:] = [d for d in dirnames if not own(d)]
            filenames = [f for f in filenames if not own(f)]
            state[str(here)] = sorted(dirnames + filenames)
        else:
            state[str(here)] = here.stat().st_mtime_ns
        for name in filenames:
            path = here / name
            state[str(path)] = (path.lstat().st_mtime_ns, path.read_bytes())
    return state


def assert_reported_cleanly(code: int, err: str) -> None:
    """Exit 0, or 1 with the editor's report: problem lines and a count, or a single ``error:`` line."""
    assert "Traceback" not in err and "internal error:" not in err, err
    if code == 0:
        return
    assert code == 1, (code, err)
    lines = err.splitlines()
    if len(lines) == 1 and lines[0].startswith("error: "):
        return
    assert lines and COUNT_LINE.fullmatch(lines[-1]), err
    assert [line for line in lines[:-1] if not PROBLEM_LINE.fullmatch(line)] == [], err
    errors = [line for line in lines[:-1] if not re.match(r".*?:\d+: warning: ", line)]
    assert int(lines[-1].split()[0]) == len(errors), err


def checked_build(site: Path, *, search: bool = False) -> int:
    """Build ``site`` as the CLI does; assert the invariants every build keeps; return the exit code."""
    root = site.parents[2]
    before = snapshot(root, site)
    raw = io.BytesIO()
    err = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)  # as sys.stderr
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = run_cli("build", site / "pelicanconf.py", {"QA_SEARCH": search, "QA_RENDER_PROCESSES": 1})
        except (Exception, SystemExit):
            pytest.fail(f"an exception escaped run_cli:\n{traceback.format_exc()}")
    assert_reported_cleanly(code, raw.getvalue().decode("utf-8"))
    assert snapshot(root, site) == before, "the build wrote outside its output folder"
    assert not (site / "output.staging").exists()
    assert code == 0 or not (site / "output").exists(), "a failed build published something"
    event(f"exit {code}")
    return code


def normalize(text: str) -> str:
    """Whitespace collapsed, as a reader sees it."""
    return " ".join(text.split())


def page_soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    """What a reader sees: the text outside script, style and template elements."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for hidden in soup(["script", "style", "template", "head"]):
        hidden.decompose()
    return normalize(soup.get_text(" "))


# -- generated front matter --------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a kind of entry is written, and the page (and fields) where a reader sees it."""

    fields: tuple[schema.Field, ...]
    file: str
    key: str | None
    page: str
    shown: tuple[str, ...]
    base: tuple[tuple[str, str], ...] = ()  # fields written first (as YAML), so the entry is used by the site
    in_use: Callable[[dict[str, Any]], bool] = lambda parsed: True  # whether the site shows the entry


TARGETS = {
    "question": Target(
        schema.QUESTION,
        "questions/prop/index.md",
        None,
        "questions/prop/index.html",
        ("title",),
        in_use=lambda parsed: parsed.get("status") != "draft",
    ),
    "answer": Target(
        schema.ANSWER, "questions/is-group-therapy-worth-it/answers/2023-07-09-sam-rivera.md", None, "", ()
    ),
    "person": Target(schema.PERSON, "people.yml", "prop", "users/prop/index.html", ("name", "credentials", "bio")),
    "category": Target(schema.CATEGORY, "categories.yml", "Prop", "categories/index.html", ("description",)),
    "tag": Target(
        schema.TAG,
        "tags.yml",
        "calm",
        "tags/calm/index.html",
        ("description",),
        (("synonyms", "[therapy]"),),
        lambda parsed: "therapy" in (parsed.get("synonyms") or []),
    ),
    "page": Target(schema.PAGE, "pages/prop.md", None, "prop/index.html", ("title",)),
}


def yaml_key(key: Any) -> str:
    """A mapping key as YAML: strings double-quoted on one line, other scalars plain."""
    style = '"' if isinstance(key, str) else None
    return yaml.safe_dump(key, default_style=style, allow_unicode=True, width=10**6).removesuffix("...\n").strip()


def write_entry(site: Path, target: Target, key: Any, text: str) -> dict[str, Any]:
    """Write the entry's YAML ``text`` (front matter, or under ``key`` in a data file); return it as parsed."""
    path = site / "content" / target.file
    path.parent.mkdir(parents=True, exist_ok=True)
    if target.key is None:
        path.write_bytes(f"---\n{text}---\n\nGenerated body.\n".encode("utf-8", "surrogatepass"))
        source, _ = parse_source(path.read_bytes(), target.file)
        return source.meta.data if source else {}
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_bytes(f"{old}{yaml_key(key)}:\n{textwrap.indent(text, '  ')}".encode("utf-8", "surrogatepass"))
    located, _ = load_yaml(path.read_text(encoding="utf-8", errors="replace"), target.file)
    entry = located.data.get(str(key)) if located else None
    return entry if isinstance(entry, dict) else {}


def assert_shown(site: Path, target: Target, parsed: dict[str, Any]) -> None:
    """Every shown field of a built entry is in its page's visible text."""
    page = site / "output" / target.page
    if not target.in_use(parsed):
        assert not page.exists()
        return
    text = visible_text(page_soup(page))
    by_name = {spec.name: spec for spec in target.fields}
    for name in target.shown:
        if parsed.get(name) is not None:
            assert normalize(by_name[name].convert(parsed[name])) in text, name


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_shown_fields_are_schema_fields(kind: str) -> None:
    target = TARGETS[kind]
    assert set(target.shown) <= {spec.name for spec in target.fields}


@pytest.mark.parametrize("kind", sorted(TARGETS))
@given(data=st.data(), lenient=st.booleans(), allow_unicode=st.booleans(), flow=st.booleans())
def test_generated_front_matter(kind: str, data: st.DataObject, lenient: bool, allow_unicode: bool, flow: bool) -> None:
    target = TARGETS[kind]
    generated = data.draw(front_matter(target.fields, lenient=lenient), label="fields")
    entries = {name: Raw(text) for name, text in target.base} | generated
    key = target.key if target.key is None or lenient else data.draw(ENTRY_KEYS, label="key")
    with fixture_site() as site:
        parsed = write_entry(site, target, key, yaml_mapping(entries, allow_unicode=allow_unicode, flow=flow))
        if checked_build(site) == 0 and key == target.key and target.page:
            assert_shown(site, target, parsed)


# -- generated Markdown with HTML --------------------------------------------------------

MARKDOWN_TAGS = {"p", "em", "strong", "s", "a", "code", "pre", "blockquote", "ul", "ol", "li", "hr", "br",
                 "img", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sup",
                 "section"}  # fmt: skip
MARKDOWN_ATTRS = {"href", "src", "alt", "id", "class", "rel", "loading", "title", "start"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def is_safe_url(url: str) -> bool:
    """A relative URL or one of the safe schemes, read as a browser does (controls and spaces dropped)."""
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f]", "", url))
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def assert_inert(soup: BeautifulSoup) -> None:
    """Bodies hold only Markdown's own elements and attributes, with safe URLs; no handler anywhere."""
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
    for body in soup.select(".qa-question__body, .qa-answer__body"):
        for element in body.find_all(True):
            assert element.name in MARKDOWN_TAGS, element
            assert set(element.attrs) <= MARKDOWN_ATTRS, element
            assert all(is_safe_url(element.get(name, "")) for name in ("href", "src")), element


def write_post(path: Path, fields: tuple[schema.Field, ...], body: str) -> None:
    """A question or answer with every required field at its example and ``body``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = yaml_mapping({f.name: Raw(f.example) for f in fields if f.required}, allow_unicode=True, flow=False)
    path.write_bytes(f"---\n{meta}---\n\n{body}\n".encode("utf-8", "surrogatepass"))


@TWICE
@given(question=markdown_bodies(), answer=markdown_bodies())
def test_generated_markdown_with_html(question: Markdown, answer: Markdown) -> None:
    with fixture_site() as site:
        folder = site / "content" / "questions" / "prop"
        write_post(folder / "index.md", schema.QUESTION, question.text)
        write_post(folder / "answers" / "2023-07-03-sam-rivera.md", schema.ANSWER, answer.text)
        if checked_build(site, search=True) != 0:
            return
        soup = page_soup(site / "output" / "questions" / "prop" / "index.html")
        assert_inert(soup)
        text = visible_text(soup)
        assert [shown for shown in question.visible + answer.visible if normalize(shown) not in text] == []


# -- generated file and folder names ---------------------------------------------------


@TWICE
@given(folder=NAMES, answer=st.tuples(NAMES, SUFFIXES), page=st.tuples(NAMES, SUFFIXES))
def test_generated_file_and_folder_names(folder: str, answer: tuple[str, str], page: tuple[str, str]) -> None:
    with fixture_site() as site:
        content = site / "content"
        write_post(content / "questions" / folder / "index.md", schema.QUESTION, "Question body about names.")
        write_post(content / "questions" / folder / "answers" / "".join(answer), schema.ANSWER, "Answer about names.")
        page_file = content / "pages" / "".join(page)
        page_file.write_text("---\ntitle: Names property page\n---\n\nPage body about names.\n", encoding="utf-8")
        if checked_build(site) != 0:
            return
        assert schema.check_name(folder) is None
        for stem, suffix in (answer, page):
            assert suffix == ".md" and schema.check_name(stem) is None
        assert page[0] not in Urls().reserved_slugs("page")
        question_text = visible_text(page_soup(site / "output" / "questions" / folder / "index.html"))
        assert "Question body about names." in question_text and "Answer about names." in question_text
        assert "Names property page" in visible_text(page_soup(site / "output" / page[0] / "index.html"))
