"""Atom feeds: valid against the RELAX NG schema of RFC 4287 (Appendix B) and its Schematron rules, read by
feedparser without a complaint (bozo), dates in RFC 3339, ids absolute, unique and stable across edits.
Checked on every feed of the fixture site, the hostile corpus and the demo site."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree

from conftest import FIXTURES

ATOM = {"a": "http://www.w3.org/2005/Atom"}
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@pytest.fixture(scope="module")
def relaxng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(FIXTURES / "schemas/atom.rng")))


def schematron_problems(feed: etree._Element) -> list[str]:
    """Appendix B's two Schematron rules, which RELAX NG validators (lxml's too) do not run."""
    problems = []
    if not feed.xpath("a:author", namespaces=ATOM) and feed.xpath("a:entry[not(a:author)]", namespaces=ATOM):
        problems.append("an atom:feed must have an atom:author unless all of its atom:entry children have one")
    for entry in feed.iterfind("a:entry", ATOM):
        if not entry.xpath("a:link[@rel='alternate'] or a:link[not(@rel)] or a:content", namespaces=ATOM):
            problems.append(f"entry {entry.findtext('a:id', namespaces=ATOM)} has no alternate link or content")
    return problems


def feed_problems(path: Path, relaxng: etree.RelaxNG) -> list[str]:
    """Everything wrong with one feed file."""
    doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    problems = [] if relaxng.validate(doc) else [str(error) for error in relaxng.error_log]
    problems += schematron_problems(doc.getroot())
    for element in doc.getroot().iter("{*}updated", "{*}published"):
        if not RFC3339.fullmatch(element.text or "") or dt.datetime.fromisoformat(element.text).tzinfo is None:
            problems.append(f"{element.tag} {element.text!r} is not an RFC 3339 date-time")
    ids = [element.text or "" for element in doc.getroot().iter("{*}id")]
    problems += [f"id {i!r} is not an absolute http(s) URI" for i in ids if urlsplit(i).scheme not in ("http", "https")]
    problems += [] if len(ids) == len(set(ids)) else [f"ids repeat: {sorted(ids)}"]
    parsed = feedparser.parse(path.read_bytes())
    problems += [f"feedparser: {parsed.bozo_exception}"] if parsed.bozo else []
    return problems


@pytest.mark.parametrize("site", ["built_site", "hostile_output", "demo_output"])
def test_every_feed_is_valid_atom(site: str, relaxng: etree.RelaxNG, request: pytest.FixtureRequest) -> None:
    output: Path = request.getfixturevalue(site)
    feeds = sorted(output.glob("feeds/**/*.atom.xml"))
    assert feeds
    problems = {path.relative_to(output).as_posix(): feed_problems(path, relaxng) for path in feeds}
    assert {name: found for name, found in problems.items() if found} == {}


BROKEN = {
    "no id": ("<id>http://127.0.0.1:8000/feeds/tags/sleep.atom.xml</id>", ""),
    "date without time zone": (
        "<updated>2024-01-10T00:00:00+00:00</updated>",
        "<updated>2024-01-10T00:00:00</updated>",
    ),
    "date with a space": ("<updated>2024-01-10T00:00:00+00:00</updated>", "<updated>2024-01-10 00:00:00Z</updated>"),
    "unknown text type": ('<summary type="html">', '<summary type="markdown">'),
    "relative id": (
        "<id>http://127.0.0.1:8000/questions/how-do-i-stop-worrying-at-night/</id>",
        "<id>questions/how-do-i-stop-worrying-at-night/</id>",
    ),
    "entry without author": ("<author><name>Ada Moss</name></author>", ""),
}


@pytest.mark.parametrize("case", BROKEN)
def test_the_checks_catch_a_broken_feed(case: str, built_site: Path, relaxng: etree.RelaxNG, tmp_path: Path) -> None:
    good, bad = BROKEN[case]
    text = (built_site / "feeds/tags/sleep.atom.xml").read_text(encoding="utf-8")
    assert good in text
    broken = tmp_path / "broken.atom.xml"
    broken.write_text(text.replace(good, bad, 1), encoding="utf-8")
    assert feed_problems(broken, relaxng)


def feed_ids(output: Path) -> dict[str, list[str]]:
    """Every feed's id and its entries' ids, by feed file."""
    ids = {}
    for path in sorted(output.glob("feeds/**/*.atom.xml")):
        feed = etree.parse(str(path)).getroot()
        ids[path.relative_to(output).as_posix()] = [
            feed.findtext("a:id", namespaces=ATOM),
            *(entry.findtext("a:id", namespaces=ATOM) for entry in feed.iterfind("a:entry", ATOM)),
        ]
    return ids


def test_ids_stay_when_a_question_is_edited_and_answered(site_dir: Path, run_command) -> None:
    """An entry's id is its question's address: a new title, body, edit date or answer keeps it, so feed
    readers update the entry instead of showing a new one."""
    assert run_command("build")[0] == 0
    before = feed_ids(site_dir / "output")
    question = site_dir / "content/questions/how-do-i-stop-worrying-at-night/index.md"
    text = question.read_text(encoding="utf-8").replace("How do I stop worrying at night?", "How to stop worrying?")
    question.write_text(text.replace("votes: 3", "votes: 3\nedited: 2024-02-01") + "\nMore detail.\n")
    answer = question.parent / "answers/2024-02-02-sam-rivera.md"
    answer.parent.mkdir()
    answer.write_text("---\nauthor: sam-rivera\ndate: 2024-02-02\n---\n\nTry writing the worries down.\n")
    assert run_command("build")[0] == 0
    after = feed_ids(site_dir / "output")
    assert after == before
    sleep = etree.parse(str(site_dir / "output/feeds/tags/sleep.atom.xml")).getroot()
    assert sleep.findtext("a:entry/a:title", namespaces=ATOM) == "How to stop worrying?"
    assert sleep.findtext("a:entry/a:updated", namespaces=ATOM) == "2024-02-02T00:00:00+00:00"
