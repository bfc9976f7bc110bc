"""HTML from rich-text editors and forums to Markdown: the samples in tests/fixtures/importers/html.

Each ``<name>.html`` (Word paste, TinyMCE, Question2Answer, Stack Exchange code, lists, tables, nested
quotes) converts to exactly ``<name>.md``, with a note for everything not kept as it was; rendered
back with the site's own Markdown renderer, it shows the source's text, links and structure, and none
of Word's markup.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qasite.content.loader import load_site
from qasite.importers import run_import
from qasite.importers.html_to_markdown import html_to_markdown
from qasite.render.markdown import render

SAMPLES = Path(__file__).parent / "fixtures" / "importers" / "html"
BASE = "https://forum.example.org/"
NOTES = {
    "word-paste": [
        "address 'www.mind.org.uk/panic' has no https://: added",
        "image 'file:///C:/Users/ana/AppData/Local/Temp/msohtmlclip1/01/cli…' is not on the web: "
        "written as its description 'Box breathing diagram'",
    ],
    "tinymce": [
        "address 'www.example.com/rules' has no https://: added",
        "image 'data:image/png;base64,iVBORw0KGgo=' is embedded in the post (data:): "
        "written as its description 'tiny logo'",
        "embedded <iframe> written as a link to 'https://www.youtube.com/embed/abc123'",
    ],
}
WORD_JUNK = ["supportLists", "endif", "Mso", "mso-", "WordDocument", "Normal", "{", "·", "\xa0", "<o:p>"]


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.html")))
def test_sample_converts_to_its_markdown(name: str) -> None:
    notes: list[str] = []
    markdown = html_to_markdown((SAMPLES / f"{name}.html").read_text(encoding="utf-8"), BASE, notes=notes)
    assert markdown + "\n" == (SAMPLES / f"{name}.md").read_text(encoding="utf-8")
    assert notes == NOTES.get(name, [])
    html = render(markdown).html
    assert not [junk for junk in WORD_JUNK if junk in html or junk in markdown]


def rendered(name: str) -> BeautifulSoup:
    """The sample converted, then rendered by the site's Markdown renderer."""
    return BeautifulSoup(render(html_to_markdown((SAMPLES / f"{name}.html").read_text(), BASE)).html, "html.parser")


def test_word_paste_reads_as_written() -> None:
    page = rendered("word-paste")
    assert [li.get_text() for li in page.select("ul > li")] == [
        "Name five things you can see",
        "Four things you can touch",
        "Three things you can hear",
    ]
    assert [a["href"] for a in page.find_all("a")] == [
        "https://www.mind.org.uk/panic",
        "https://www.nhs.uk/mental-health/",
    ]
    assert page.find_all("p")[-1].decode_contents() == "<strong>Hold for 4</strong>, out for 4."
    assert "[image: Box breathing diagram]" in page.get_text()


def test_tables_keep_their_columns_and_code_its_language() -> None:
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in rendered("table").find_all("tr")]
    assert rows[-1] == ["Ireland | Pieta", "", "24/7 free"]
    code = rendered("se-code").find("code", class_="language-py")
    assert code is not None and "# average *mood*" in code.get_text()
    quotes = rendered("nested-quotes").select("blockquote > blockquote > blockquote")
    assert [q.get_text(strip=True) for q in quotes] == ["It took me a year."]


def test_text_that_looks_like_markdown_stays_text() -> None:
    page = rendered("q2a-post")
    assert page.find("ul") is None and "- nausea (mornings)" in page.get_text()
    assert page.find("a", href="http://example.org/ssri_faq_%282020%29.pdf") is not None


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<pre>line one<br>line two\n  indented</pre>", "```\nline one\nline two\n  indented\n```"),
        (
            "<p>1. not a list</p><p>+ plus</p><p>&lt;script&gt; &amp;amp;</p>",
            "1\\. not a list\n\n\\+ plus\n\n\\<script> \\&amp;",
        ),
        ("<p><b>Hold</b><b> for 4</b><i>x</i> <i>y</i></p>", "**Hold for 4***x* *y*"),
        ("<p>&nbsp;</p><p>Text&nbsp;&nbsp;here</p><p><br></p>", "Text here"),
        (
            '<p><a href="www.example.org">www.example.org</a> <a href="example.co.uk/a">a</a></p>',
            "[www.example.org](https://www.example.org) [a](https://example.co.uk/a)",
        ),
        ('<p><a href="notes.html">notes</a></p>', "notes"),
        ("<div>Hello,<br><br>thanks for asking.<br>Sam</div>", "Hello,\n\nthanks for asking.\\\nSam"),
        ('<p>a<iframe src="javascript:alert(1)"></iframe><img src=x onerror="alert(1)"></p>', "a\\[image\\]"),
    ],
)
def test_small_cases(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown


def word_item(level: int, marker: str, text: str, word_list: str = "l1") -> str:
    """A Word list paragraph as Word pastes it."""
    return (
        f'<p class=MsoListParagraph style="mso-list:{word_list} level{level} lfo1"><![if !supportLists]>'
        f'<span style="mso-list:Ignore">{marker}<span>&nbsp;&nbsp;</span></span><![endif]>{text}<o:p></o:p></p>'
    )


def test_word_numbered_and_nested_lists() -> None:
    html = (
        "<p>Steps:</p>"
        + word_item(1, "1.", "First")
        + word_item(2, "a.", "sub a")
        + word_item(2, "b.", "sub b")
        + word_item(1, "2.", "Second")
        + "<p class=MsoNormal>After</p>"
        + word_item(1, "·", "bullet", "l2")
    )
    assert html_to_markdown(html) == "Steps:\n\n1. First\n   1. sub a\n   2. sub b\n2. Second\n\nAfter\n\n- bullet"


def test_csv_import_reports_what_the_converter_changed(tmp_path: Path) -> None:
    body = (SAMPLES / "word-paste.html").read_text()
    table = tmp_path / "posts.csv"
    table.write_text('Title,Body,Date,Tags\nPanic help,"' + body.replace('"', '""') + '",2022-02-02,panic\n')
    report = run_import("csv", table, tmp_path / "content", columns="title=Title,body=Body,date=Date,tags=Tags")
    assert report.notes == [
        "posts.csv: row 2: address 'www.mind.org.uk/panic' has no https://: added",
        "posts.csv: row 2: image 'file:///C:/Users/ana/AppData/Local/Temp/msohtmlclip1/01/cli…' is not on the web: "
        "written as its description 'Box breathing diagram'",
        "posts.csv: 1 question without a category put in 'Posts' (named after the file; give --category NAME "
        "to choose one)",
    ]
    _, problems = load_site(tmp_path / "content")
    assert [str(p) for p in problems] == []
