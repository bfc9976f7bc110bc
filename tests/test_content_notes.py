"""Content notes (``content_note`` on a category or tag): the question page folds its text and
answers behind a <details> naming the note; listings, feeds and search results show the note
instead of the text. Real builds of the fixture site, parsed with lxml."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from lxml import etree
from playwright.sync_api import Browser, expect
from test_quality import AXE, WCAG, nu_errors

from conftest import copy_site, serving
from pagefind_files import pagefind_data
from qasite.build.pipeline import build, load_settings, run_cli

WORRY = "/questions/how-do-i-stop-worrying-at-night/"
GROUP = "/questions/is-group-therapy-worth-it/"
ETHICS = "/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/"
# Markup in a note is text.
NOTE = "mentions <b>stalking</b> & boundaries"
NOTED = {
    "How do I stop worrying at night?": "mentions panic",
    "Is it ethical for my therapist to follow me on social media?": NOTE,
}
ATOM = "{http://www.w3.org/2005/Atom}"


def add_notes(site: Path) -> None:
    """Notes on the category 'Anxiety & stress' and the tag 'sleep' (the same: shown once, on the worry
    question), and on the tag 'boundaries' (the ethics question, with four answers)."""
    categories = site / "content" / "categories.yml"
    text = categories.read_text().replace("  order: 2\n", "  order: 2\n  content_note: mentions panic\n")
    categories.write_text(text)
    tags = f'sleep:\n  content_note: mentions panic\nboundaries:\n  content_note: "{NOTE}"\n'
    (site / "content" / "tags.yml").write_text(tags)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    conf = copy_site(tmp_path_factory.mktemp("notes") / "site")
    add_notes(conf.parent)
    return build(settings=load_settings(conf, {"QA_SEARCH": True}))


def page(output: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((output / url.strip("/") / "index.html").read_bytes(), "lxml")


def text(element: Tag) -> str:
    return " ".join(element.get_text().split())


def test_question_page_folds_the_text_and_answers_behind_the_note(output: Path) -> None:
    doc = page(output, ETHICS)
    [details] = doc.select("article.qa-question > details.qa-note")
    assert details.get("open") is None  # closed until the reader opens it
    summary = details.find(True)
    assert summary.name == "summary"
    assert text(summary) == f"Content note: {NOTE} Show the question and answers"
    # The title stays visible; the question's text, its tags and the answers section are inside.
    assert not doc.select("details h1") and doc.select("article.qa-question > header h1")
    assert len(details.select(".qa-question__body")) == 1
    assert len(details.select("section.qa-answers")) == 1 and len(details.select("article.qa-answer")) == 4
    assert doc.select(".qa-question__body, section.qa-answers") == details.select(
        ".qa-question__body, section.qa-answers"
    )
    assert [m["content"] for m in doc.select("meta[name=description]")] == [f"Content note: {NOTE}"]


def test_one_note_twice_is_shown_once(output: Path) -> None:
    [summary] = page(output, WORRY).select("details.qa-note > summary")
    assert text(summary) == "Content note: mentions panic Show the question and answers"


def test_question_without_a_note_is_not_folded(output: Path) -> None:
    doc = page(output, GROUP)
    assert doc.select("details") == []
    [article] = doc.select("article.qa-question")
    assert article.find_next_sibling()["class"] == ["qa-answers"]
    assert len(doc.select("article.qa-question > .qa-post .qa-question__body")) == 1


@pytest.mark.parametrize(
    "url", ["/", "/page/2/", "/newest/", "/categories/anxiety-and-stress/", "/tags/boundaries/", "/unanswered/"]
)
def test_listings_show_the_note_instead_of_the_summary(output: Path, url: str) -> None:
    doc = page(output, url)
    rows = {text(row.select_one(".qa-row__title")): row for row in doc.select("li.qa-row")}
    for title, note in NOTED.items():
        if title in rows:
            row = rows.pop(title)
            assert [text(p) for p in row.select(".qa-row__note")] == [f"Content note: {note}"]
            assert row.select(".qa-row__summary") == []
            assert "lie awake" not in text(row) and "Instagram" not in text(row)
    for row in rows.values():  # the others keep their summary
        assert row.select(".qa-row__note") == [] and len(row.select(".qa-row__summary")) == 1


def test_feeds_give_the_note_as_the_summary(output: Path) -> None:
    for feed in ("feeds/all.atom.xml", "feeds/tags/boundaries.atom.xml", "feeds/tags/therapy.atom.xml"):
        root = etree.parse(str(output / feed)).getroot()
        summaries = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")}
        # The summary is HTML text: escaped once for HTML, so a reader shows the note's markup as text.
        assert summaries["Is it ethical for my therapist to follow me on social media?"] == (
            "Content note: mentions &lt;b&gt;stalking&lt;/b&gt; &amp; boundaries"
        )
    worry = etree.parse(str(output / "feeds/categories/anxiety-and-stress.atom.xml")).getroot()
    assert [e.findtext(f"{ATOM}summary") for e in worry.iter(f"{ATOM}entry")] == ["Content note: mentions panic"]
    all_feed = etree.parse(str(output / "feeds/all.atom.xml")).getroot()
    group = next(e for e in all_feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Is group therapy worth it?")
    assert group.findtext(f"{ATOM}summary") == "I was offered a place in a group. Worth it?"


def test_search_index_carries_the_note_for_the_result_row(output: Path) -> None:
    fragments = [json.loads(pagefind_data(p)) for p in (output / "pagefind/fragment").iterdir()]
    by_url = {f["url"]: f for f in fragments}
    assert by_url[ETHICS]["meta"]["content_note"] == NOTE
    assert by_url[WORRY]["meta"]["content_note"] == "mentions panic"
    assert "content_note" not in by_url[GROUP]["meta"]
    # The note's own words are not indexed as the question's text (the summary is data-pagefind-ignore).
    assert "Show the question" not in by_url[ETHICS]["content"]


def test_structured_data_keeps_the_text(output: Path) -> None:
    """JSON-LD is for machines: the question keeps its text (Google's QAPage needs it)."""
    doc = page(output, ETHICS)
    data = [json.loads(s.string) for s in doc.select("script[type='application/ld+json']")]
    [qa] = [d for d in data if d["@type"] == "QAPage"]
    assert qa["mainEntity"]["text"].startswith("My therapist followed me on Instagram.")
    assert "suggestedAnswer" in qa["mainEntity"]


def test_a_note_too_long_or_not_text_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = copy_site(tmp_path / "site")
    (tmp_path / "site/content/tags.yml").write_text(
        f"sleep:\n  content_note: {'x' * 81}\ntherapy:\n  content_note: [a]\n"
    )
    assert run_cli("check", conf) == 1
    err = capsys.readouterr().err
    assert "content/tags.yml:2: sleep.content_note: is 81 characters long (shorten it to 80 characters or fewer)" in err
    assert "content/tags.yml:4: therapy.content_note: must be text (write it on one line after the colon)" in err


@pytest.fixture(scope="module")
def notes_url(output: Path) -> Iterator[str]:
    with serving(output) as url:
        yield url


@pytest.mark.browser
def test_keyboard_opens_the_note_without_javascript(browser: Browser, notes_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(notes_url + ETHICS)
    body = tab.locator(".qa-question__body")
    expect(body).to_be_hidden()
    summary = tab.locator("summary.qa-note__summary")
    summary.focus()
    expect(summary).to_be_focused()
    tab.keyboard.press("Enter")
    expect(body).to_be_visible()
    expect(tab.locator(".qa-answers__title")).to_be_visible()
    context.close()


@pytest.mark.browser
def test_search_result_shows_the_note_not_the_excerpt(browser: Browser, notes_url: str) -> None:
    tab = browser.new_page()
    tab.goto(f"{notes_url}/search/#q=instagram")
    row = tab.locator("[data-search-results] > li", has_text="Is it ethical for my therapist")
    expect(row.locator(".qa-row__note")).to_have_text(re.compile(r"^\s*Content note:\s+mentions <b>"))
    assert " ".join(row.locator(".qa-row__note").inner_text().split()) == f"Content note: {NOTE}"
    expect(row.locator(".search-result__excerpt")).to_have_count(0)
    tab.close()


def test_noted_pages_are_valid_html(output: Path) -> None:
    assert nu_errors(output) == []


@pytest.mark.browser
@pytest.mark.parametrize("opened", [False, True])
def test_no_axe_violations_with_the_note_closed_or_open(browser: Browser, notes_url: str, opened: bool) -> None:
    tab = browser.new_page(bypass_csp=True)
    tab.goto(notes_url + ETHICS)
    if opened:
        tab.locator("summary.qa-note__summary").click()
        expect(tab.locator(".qa-question__body")).to_be_visible()
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    assert [f"{v['id']}: {v['help']}" for v in result["violations"]] == []
    tab.close()


@pytest.mark.browser
def test_searched_words_are_marked_inside_the_folded_text(browser: Browser, notes_url: str) -> None:
    tab = browser.new_page()
    tab.goto(f"{notes_url}{ETHICS}#highlight=instagram")
    mark = tab.locator(".qa-question__body mark.search-highlight").first
    expect(mark).to_be_attached()
    expect(mark).to_be_hidden()  # the note stays closed: the reader chose this question, not its text
    tab.locator("summary.qa-note__summary").click()
    expect(mark).to_be_visible()
    expect(mark).to_have_text(re.compile("^instagram$", re.IGNORECASE))
    tab.close()
