"""Open data: `invoke export` (JSON Lines and the CSV pair), its round trip through `import --from jsonl`, and the
Markdown outputs' escaping (render/llms.py), on the demo site and the fixture sites, with the real parsers."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, copy_site
from html_safety import html_problems, naive_markdown
from qasite.build.pipeline import load_settings
from qasite.config.problems import BuildError, ContentError
from qasite.content import schema
from qasite.content.frontmatter import split
from qasite.content.loader import load_site
from qasite.content.model import Question
from qasite.importers import run_import
from qasite.render.llms import _indented, inline, question_markdown, safe_body
from qasite.tools.export import Exported, export_site
from qasite.tools.open_data import RECORDS

REVIEWED = {
    "is-it-safe-to-stop-my-antidepressant-once-i-feel-better": "reviewed_by: tomas-ferreira\n"
    "last_reviewed: 2026-06-10\n",
    "what-grounding-techniques-actually-work-during-a-panic-attack": "reviewed_by: maya-okafor\n"
    "last_reviewed: 2026-07-20\n",
}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def export_demo(out: Path) -> Path:
    export_site(load_settings(ROOT / "pelicanconf.py", {"PATH": str(ROOT / "content")}), out)
    return out / "questions.jsonl"


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_demo(tmp_path_factory.mktemp("export"))


def test_demo_round_trip_into_an_empty_folder(demo_export: Path, tmp_path: Path) -> None:
    """Every question and answer file comes back byte for byte, but the two reviews: a review rests on this
    site's verification of the reviewer, which open data does not carry (said in a note)."""
    content = tmp_path / "content"
    report = run_import("jsonl", demo_export, content)
    assert report.lines()[-1] == (
        "Imported 31 questions, 64 answers, 13 people from questions.jsonl: 95 files written (0 refreshed), "
        "0 unchanged; 0 kept (edited here); 0 skipped; 13 people and 6 categories added."
    )
    why = (
        "a review rests on this site's check of the reviewer's licence (people.yml verified:); verify them, then add it"
    )
    assert report.notes == [
        f"questions.jsonl: line 21: review by tomas-ferreira on 2026-06-10 left out: {why}",
        f"questions.jsonl: line 24: review by maya-okafor on 2026-07-20 left out: {why}",
    ]
    original, imported = files(ROOT / "content" / "questions"), files(content / "questions")
    assert original.keys() == imported.keys()
    differ = {name for name in original if original[name] != imported[name]}
    assert differ == {f"{slug}/index.md" for slug in REVIEWED}
    for slug, lines in REVIEWED.items():
        assert original[f"{slug}/index.md"].decode().replace(lines, "") == imported[f"{slug}/index.md"].decode()
    _, problems = load_site(content)
    assert [str(p) for p in problems] == []
    assert yaml.safe_load((content / "categories.yml").read_text()) == yaml.safe_load(
        (ROOT / "content" / "categories.yml").read_text()
    )
    people = yaml.safe_load((ROOT / "content" / "people.yml").read_text())
    public = {h: {k: v for k, v in e.items() if k != "verified"} for h, e in people.items()}
    imported = yaml.safe_load((content / "people.yml").read_text())
    assert imported == {h: public[h] for h in imported} and len(imported) == 13  # alex-chen has no post


def test_demo_round_trip_into_a_site_that_verified_its_reviewers(demo_export: Path, tmp_path: Path) -> None:
    """With the reviewers verified in people.yml (the demo's own), every file comes back byte for byte."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "people.yml", content / "people.yml")
    report = run_import("jsonl", demo_export, content)
    assert (report.notes, report.people_added, len(report.written)) == ([], [], 95)
    assert files(content / "questions") == files(ROOT / "content" / "questions")
    again = run_import("jsonl", demo_export, content)
    assert (again.written, len(again.unchanged)) == ([], 95)


def summary(q: Question) -> tuple[object, ...]:
    """What a reader sees of a question and its answers."""
    answers = [(a.id, a.author.handle, a.date, a.votes, a.accepted, a.edited, a.body_text) for a in q.answers]
    people = (q.author.name, q.author.imported_points, q.category.name, q.category.description)
    return (q.slug, q.title, q.date, [t.name for t in q.tags], q.votes, q.views, q.body_text, people, answers)


def fields(path: Path) -> tuple[dict[str, object], str]:
    """A content file's checked front-matter values (defaults filled in) and its text."""
    source, _ = split(path.read_text(encoding="utf-8"), path.name)
    assert source is not None
    values, problems = schema.check(source.meta, schema.QUESTION if path.name == "index.md" else schema.ANSWER, "")
    assert problems == []
    for name in ("tags", "reviewed_by", "last_reviewed"):  # tags: as published (synonyms resolved); reviews: below
        values.pop(name, None)
    return values, source.body.strip("\n")


@pytest.mark.parametrize("fixture", ["site", "hostile"])
def test_fixture_round_trip(fixture: str, tmp_path: Path) -> None:
    """Drafts are not exported; every published file comes back with the same fields and text (in the form the
    importers write: the fixtures' hand-written files quote titles otherwise or leave out votes: 0)."""
    conf = copy_site(tmp_path / "site", fixture)
    settings = load_settings(conf)
    export_site(settings, tmp_path / "out")
    content = tmp_path / "content"
    shutil.copytree(tmp_path / "site" / "content" / "pages", content / "pages")  # pages are not Q&A data
    report = run_import("jsonl", tmp_path / "out", content)
    assert report.skipped == [] and report.kept == []
    assert all(" left out: a review rests on this site's check" in note for note in report.notes)
    site, _ = load_site(tmp_path / "site" / "content")
    original = {q.slug for q in site.questions}
    assert {p.name for p in (content / "questions").iterdir()} == original
    assert not any(q.slug in (tmp_path / "out" / "questions.jsonl").read_text() for q in site.drafts)
    mine, problems = load_site(content)
    assert [str(p) for p in problems if p.is_error] == []
    assert [summary(q) for q in mine.questions] == [summary(q) for q in site.questions]
    for name in files(content / "questions"):  # hand-written files may differ in form (quotes, votes: 0)
        assert fields(content / "questions" / name) == fields(tmp_path / "site" / "content" / "questions" / name)


def test_records_have_the_documented_keys_and_no_private_fields(demo_export: Path) -> None:
    records = [json.loads(line) for line in demo_export.read_text().split("\n") if line]
    assert len(records) == 31 and [r["slug"] for r in records] == sorted(r["slug"] for r in records)
    keys = {kind: [c.name for c in columns] for kind, columns in RECORDS.items()}
    for record in records:
        assert list(record) == keys["question"] and list(record["category"]) == keys["category"]
        assert all(list(a) == keys["answer"] for a in record["answers"])
        assert all(list(p) == keys["person"] for p in record["people"])
    text = demo_export.read_text()
    assert '"verified"' not in text and "alex-chen" not in text  # who verified whom is the editors' record
    maya = next(p for r in records for p in r["people"] if p["handle"] == "maya-okafor")
    assert maya["credentials"] == "PsyD, licensed clinical psychologist" and maya["url"] == "/users/maya-okafor/"


def test_csv_pair(demo_export: Path) -> None:
    with (demo_export.parent / "questions.csv").open(newline="", encoding="utf-8") as file:
        questions = list(csv.DictReader(file))
    with (demo_export.parent / "answers.csv").open(newline="", encoding="utf-8") as file:
        answers = list(csv.DictReader(file))
    assert (len(questions), len(answers)) == (31, 64)
    budget = next(q for q in questions if q["slug"] == "how-do-i-afford-therapy-on-a-tight-budget")
    assert (budget["title"], budget["votes"], budget["views"], budget["answers"]) == (
        "How do I afford therapy on a tight budget?",
        "33",
        "5230",
        "3",
    )
    assert budget["tags"] == "therapy; cost; finding-a-therapist; teletherapy" and budget["author_name"] == "Kit Moreno"
    accepted = next(a for a in answers if a["question"] == budget["slug"] and a["accepted"] == "true")
    assert budget["accepted_answer"] == accepted["id"] and accepted["body"].startswith("This is one of the most")


def test_export_refuses_content_with_errors(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    index = tmp_path / "site" / "content" / "questions" / "is-group-therapy-worth-it" / "index.md"
    index.write_text(index.read_text().replace("category: Psychotherapists", "category: Nowhere"))
    with pytest.raises(ContentError):
        export_site(load_settings(conf), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    index.write_text(index.read_text().replace("category: Nowhere", "category: Psychotherapists"))
    inside = tmp_path / "site" / "content" / "open-data"
    with pytest.raises(BuildError, match="the export would be written into the content folder; choose another --out"):
        export_site(load_settings(conf), inside)
    assert not inside.exists()


def test_invoke_export_then_import(tmp_path: Path) -> None:
    invoke = str(Path(sys.executable).parent / "invoke")
    out = tmp_path / "open data"
    done = subprocess.run([invoke, "export", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Exported 31 questions, 64 answers, 13 people to {out}/ (questions.jsonl, questions.csv, answers.csv); "
        "0 drafts left out.\n"
    )
    content = tmp_path / "content"
    command = [invoke, "import", "--from", "jsonl", str(out / "questions.jsonl"), "--content", str(content)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Imported 31 questions, 64 answers, 13 people from questions.jsonl: 95 files written" in done.stdout
    assert done.stdout.endswith(f"Content OK: {content} passes the checks.\n")


def test_jsonl_records_that_cannot_be_imported(tmp_path: Path) -> None:
    record = json.loads(export_demo(tmp_path / "out").read_text().split("\n")[0])
    lines = [
        "{not json",
        json.dumps({**record, "slug": "../../escape"}),
        json.dumps({**record, "date": "yesterday"}),
        json.dumps({**record, "author": "nobody"}),
        json.dumps({**record, "votes": "many"}),
    ]
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    report = run_import("jsonl", tmp_path / "bad.jsonl", tmp_path / "content")
    assert report.skipped == [
        "bad.jsonl: line 1: not a JSON record: Expecting property name enclosed in double quotes: line 1 column 2 "
        "(char 1) (skipped)",
        "bad.jsonl: line 2: 'slug': '../../escape' is not a valid name (lowercase letters, digits and single "
        "hyphens) (skipped)",
        "bad.jsonl: line 3: 'date': 'yesterday' is not an ISO date (2023-06-28 or 2023-06-28T14:05:00Z) (skipped)",
        "bad.jsonl: line 4: 'author': 'nobody' is not in the record's 'people' (skipped)",
        "bad.jsonl: line 5: 'votes' must be a whole number (skipped)",
    ]
    assert report.questions == 0 and not (tmp_path / "escape").exists()


# -- the Markdown outputs' escaping ---------------------------------------------------------

LIVE = [
    "<script>alert(1)</script>",
    "text <img src=x onerror=alert(1)> and <!-- comment -->",
    "\\<b>escaped</b> \\\\<i>not escaped</i>",
    "[a](javascript:alert(1)) [b](jav&#x61;script:alert(1)) [c](<java\tscript:alert(1)>) [d](\njavascript:x)",
    "[e][r]\n\n[r]: javascript:alert(1)\n\n> [f][s]\n>\n> [s]:\n> data:text/html,x",
    "![pixel](https://evil.example/x.png) ![local](/images/x.png)",
    "- item\n  ```\n  code\n- next <script>alert(1)</script>",
    "```\n<b>code stays</b>\n```\n<i>live</i>",
    "<https://example.org> <javascript:alert(1)>",
    # a reference definition our parser takes (code follows it) but whose ']:' is escaped: the code joins the text
    "[r]: //x\n    <img src=x onerror=alert(1)>",
    "[r]: a.b\n    <script>alert(1)</script>",
    "[r]:x\n    <img src=x onerror=alert(1)>\n    <script>alert(2)</script>",
    "- [r]: ?x\n      <img src=x onerror=alert(1)>",
    # a table (our parser's extension) ends before an indented line: a reader without tables reads on into it
    "a | b\n--|--\n    <img src=x onerror=alert(1)>",
    # a carriage return ends a line for the parsers: the lines they find in code are counted alike
    "    code\r<img src=x onerror=alert(1)>\r\n<!-- x -->",
]


@pytest.mark.parametrize("body", LIVE)
def test_safe_body_leaves_nothing_live(body: str) -> None:
    assert html_problems(naive_markdown(safe_body(body))) == []


@pytest.mark.parametrize("opened", ["```\nunclosed", "How?\n\n````py\nx\n```", "~~~\n", "  ```\na\n\n"])
def test_a_fence_left_open_is_closed_before_the_next_post(opened: str) -> None:
    # an alternate puts a question's body and its answers' in one file: a fence one leaves open would take in the
    # next post's text up to its own fence, whose code would then be read as HTML
    answer = "```\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n```"
    document = f"# Title\n\n{safe_body(opened)}\n\n## 1 answer\n\n### Answer by Ada\n\n{safe_body(answer)}\n"
    assert html_problems(naive_markdown(document)) == []
    assert "<h2>1 answer</h2>" in naive_markdown(document)


def test_safe_body_keeps_code_and_safe_links() -> None:
    assert safe_body("```\n<b>code stays</b>\n```") == "```\n<b>code stays</b>\n```"
    assert safe_body("[site](/about/) [web](https://example.org/a_b) [mail](mailto:a@example.org)") == (
        "[site](/about/) [web](https://example.org/a_b) [mail](mailto:a@example.org)"
    )
    assert inline("  A *title* with [brackets] & <tags>\n# ") == "A \\*title\\* with \\[brackets\\] \\& \\<tags\\> \\#"


@given(st.text(alphabet=" \t\n\rax<`~", max_size=30))
@settings(max_examples=300, deadline=None)
def test_safe_body_finds_indented_lines_as_the_multiline_pattern_does(body: str) -> None:
    # safe_body's check for an indented code line (llms._indented) is ``^( {4}|\t)`` in MULTILINE mode, without it
    assert _indented(body) == bool(re.search(r"^( {4}|\t)", body, re.M))


def test_build_writes_the_markdown_outputs(built_site: Path) -> None:
    assert (built_site / "questions/is-group-therapy-worth-it/index.md").read_text() == (
        "# Is group therapy worth it?\n\n"
        "Asked by Anonymous on 2023-02-01 · -1 votes · in [Psychotherapists](</categories/psychotherapists/>) · "
        "tags: [therapy](</tags/therapy/>)\n\n"
        "Web page: [Is group therapy worth it?](</questions/is-group-therapy-worth-it/>)\n\n"
        "If you need help now: [crisis helplines](</help/>).\n\n"  # a sensitive question
        "I was offered a place in a group. Worth it?\n\n## 0 answers\n"
    )
    ethics = (built_site / "questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/index.md").read_text()
    first = "### Answer by [Ada Moss](</users/ada-moss/>) on 2023-07-05 · 2 votes (accepted)"
    assert f"\n## 4 answers\n\n{first}\n" in ethics
    assert (built_site / "llms.txt").read_text() == (
        "# Fixture Q\\&A\n\n> Questions and answers from our community.\n\n"
        "Not a substitute for professional care. In a crisis, call or text your local emergency number.\n\n"
        "## Categories\n\n"
        "- [Psychotherapists](</categories/psychotherapists/>): Questions about working with a therapist.\n"
        "- [Anxiety \\& stress](</categories/anxiety-and-stress/>): Worry, panic and stress.\n\n"
        "## Top questions\n\n"
        "- [Is it ethical for my therapist to follow me on social media?]"
        "(</questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/index.md>): 12 votes, 4 answers\n"
        "- [How do I stop worrying at night?](</questions/how-do-i-stop-worrying-at-night/index.md>): "
        "3 votes, 0 answers\n"
        "- [Is group therapy worth it?](</questions/is-group-therapy-worth-it/index.md>): -1 votes, 0 answers\n\n"
        "## Optional\n\n- [Newest questions (Atom feed)](</feeds/all.atom.xml>)\n"
    )
    assert not (built_site / "questions/a-draft-question").exists()


def test_markdown_alternate_shows_the_content_note_and_helplines() -> None:
    site, _ = load_site(ROOT / "content")
    grief = next(q for q in site.questions if q.slug == "why-does-grief-hit-harder-months-after-a-loss")
    text = question_markdown(grief, "https://faq.example.org")
    assert "\n\nContent note: mentions death and bereavement\n\n" in text
    assert "\n\nIf you need help now: [crisis helplines](<https://faq.example.org/help/>).\n\n" in text
    assert text.startswith("# Why does grief hit harder months after a loss?\n\nAsked by [")


PIECES = [
    "<", ">", "script", "img src=x onerror=alert(1)", "a href=", " ", "\n", "\n\n", "\\", "`", "```", "~~~", "    ",
    "- ", "> ", "1. ", "[", "]", "(", ")", ":", "javascript", "data", "&#x61;", "&colon;", "!", "/", "//", "x",
    "https://e.example/", "\t", '"', "'", "<!--", "-->", "?", "#", "*",
]  # fmt: skip


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_safe_body_leaves_nothing_live_for_any_mix(body: str) -> None:
    """Hypothesis mixes the pieces of HTML, links, images, code and containers: nothing ever comes out live."""
    assert html_problems(naive_markdown(safe_body(body))) == []


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_inline_text_reads_back_exactly(text: str) -> None:
    """A title or name escaped by inline() shows as exactly its text, in a heading and in a link's label."""
    shown = " ".join(text.split())
    heading = BeautifulSoup(naive_markdown(f"# {inline(text)}"), "lxml")
    link = BeautifulSoup(naive_markdown(f"- [{inline(text)}](</questions/x/index.md>)"), "lxml")
    assert (heading.h1.get_text() if heading.h1 else "") == shown
    assert link.a is not None and link.a.get_text() == shown and link.a["href"] == "/questions/x/index.md"


def test_the_export_summary_counts_in_words() -> None:
    one = Exported(Path("out"), questions=1, answers=1, people=1, drafts=1)
    assert one.summary() == (
        "Exported 1 question, 1 answer, 1 person to out/ (questions.jsonl, questions.csv, answers.csv); "
        "1 draft left out."
    )
    many = Exported(Path("out"), questions=1944, answers=0, people=2, drafts=0)
    assert many.summary().startswith("Exported 1,944 questions, 0 answers, 2 people to out/")
