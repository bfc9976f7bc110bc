"""Importers as an editor and an attacker use them: bad inputs, hostile names, e-mail addresses, defaults.

Bad inputs go through `invoke import` as an editor runs it: one line naming the file or option and
the fix, exit code 2, no traceback, nothing written. Hostile names (``../``, slashes) never leave
the content folder; e-mail addresses in author columns never reach it. A source without tags gets
its category as tag (one rule for every importer, one note); a question's fields in a CSV with one
row per answer come from the first row that has them; the HTML converter's notes reach the report
of every importer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_import_csv_shapes import write_csv

from conftest import ROOT
from qasite.content.frontmatter import split
from qasite.content.loader import load_site
from qasite.importers import run_import

FIXTURES = Path(__file__).parent / "fixtures"
UNTAGGED = "question(s) without tags tagged with their category (give others with 'default_tags:' in the mapping file)"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture site's content folder."""
    target = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def front(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a content file."""
    source, problems = split(path.read_text(encoding="utf-8"), path.name)
    assert source is not None and not problems
    return source.meta.data, source.body


# -- bad inputs, as an editor meets them -------------------------------------------------------------


def bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    """(arguments after `invoke import`, the one error line expected) for each kind of bad input."""
    (tmp / "empty.csv").write_text("")
    (tmp / "empty.jsonl").write_text("\n")
    (tmp / "empty.sql").write_text("")
    (tmp / "no-sql").mkdir()
    (tmp / "latin1.csv").write_bytes("Title,Body\nCafé,Open\n".encode("cp1252"))
    (tmp / "no-sql" / "readme.txt").write_text("dump here")
    write_csv(tmp / "ok.csv", [["Is it burnout?", "Always tired.", "work"]], ["Title", "Body", "Tags"])
    write_csv(tmp / "no-key.csv", [["Is it burnout?", "Always tired.", "Rest."]], ["Title", "Text", "Answer"])
    columns = "title=Title,body=Body"
    grouped = "question_key=QID,question_title=Title,question_body=Text,body=Answer"
    return [
        (
            ["--from", "csv", str(tmp / "missing.csv"), "--map", columns, "--date", "2020-03-25"],
            f"error: {tmp / 'missing.csv'}: no such file or folder",
        ),
        (
            ["--from", "csv", str(tmp / "empty.csv"), "--map", columns, "--date", "2020-03-25"],
            "error: empty.csv: the file is empty: a CSV file starts with a header row naming its columns",
        ),
        (
            ["--from", "csv", str(tmp / "ok.csv"), "--map", columns, "--date", "25/03/2020"],
            "error: --date: '25/03/2020' is not a date: write it as YYYY-MM-DD, like 2020-03-25",
        ),
        (
            ["--from", "csv", str(tmp / "no-key.csv"), "--map", grouped, "--date", "2020-03-25"],
            "error: no-key.csv: no column 'QID' (for question_key); its columns are: Title, Text, Answer",
        ),
        (
            ["--from", "csv", str(tmp / "ok.csv"), "--mapping", str(tmp / "missing.yml"), "--date", "2020-03-25"],
            f"error: {tmp / 'missing.yml'}: no such mapping file (give --mapping the YAML file's path)",
        ),
        (
            ["--from", "csv", str(tmp / "no-key.csv"), "--map", grouped.split(",", 1)[1], "--date", "2020-03-25"],
            "error: the column mapping has question_body, question_title but no question_key: with one row per "
            "answer, map the column that identifies each row's question too (--map question_key=Column)",
        ),
        (
            ["--from", "csv", str(tmp / "latin1.csv"), "--map", columns, "--date", "2020-03-25"],
            f"error: {tmp / 'latin1.csv'}: not UTF-8 text (byte 15): save it as UTF-8 (a spreadsheet's 'CSV UTF-8') "
            "and import it again",
        ),
        (
            [
                "--from",
                "csv",
                str(tmp / "ok.csv"),
                "--map",
                columns,
                "--date",
                "2020-03-25",
                "--content",
                str(tmp / "ok.csv"),
            ],
            f"error: {tmp / 'ok.csv'}: a file, not a folder: give --content the content folder",
        ),
        (
            ["--from", "jsonl", str(tmp / "empty.jsonl")],
            f"error: {tmp / 'empty.jsonl'}: the file is empty: give the questions.jsonl `invoke export` wrote "
            "(one question a line)",
        ),
        (
            ["--from", "q2a-db", str(tmp / "no-sql")],
            f"error: {tmp / 'no-sql'}: no .sql or .sql.gz files here (give a dump file or a folder of them)",
        ),
        (
            ["--from", "q2a-db", str(tmp / "empty.sql")],
            f"error: {tmp / 'empty.sql'}: empty: make the dump again (mysqldump or phpMyAdmin's Export: "
            "see docs/importing.md)",
        ),
        (
            ["--from", "q2a-db", str(tmp / "empty.sql"), "--site-url", "forum.example.org"],
            "error: --site-url: 'forum.example.org' is not a web address: write it with https://, "
            "like https://forum.example.org",
        ),
    ]


def test_bad_inputs_stop_with_one_line_naming_the_file_and_the_fix(content: Path, tmp_path: Path) -> None:
    before = snapshot(content)
    for arguments, expected in bad_inputs(tmp_path):
        target = [] if "--content" in arguments else ["--content", str(content)]
        command = [str(ROOT / ".venv" / "bin" / "invoke"), "import", *arguments, *target]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", expected + "\n"), arguments
    assert snapshot(content) == before


def test_a_site_url_in_the_mapping_file_without_scheme(content: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("site_url: www.forum.example.org\n")
    with pytest.raises(Exception) as err:
        run_import("q2a-db", tmp_path, content, mapping=mapping)
    assert str(err.value) == (
        f"{mapping}: site_url: 'www.forum.example.org' is not a web address: write it with https://, "
        "like https://www.forum.example.org"
    )


def test_a_jsonl_line_that_is_not_json_is_skipped_with_its_line(content: Path, tmp_path: Path) -> None:
    source = tmp_path / "questions.jsonl"
    source.write_text('{"slug": "a"\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    report = run_import("jsonl", source, content)
    assert report.skipped == [
        "questions.jsonl: line 1: not a JSON record: Expecting ',' delimiter: line 1 column 13 (char 12) (skipped)",
        "questions.jsonl: line 2: not a JSON record: nested too deep (skipped)",
    ]


# -- nothing outside the content folder, no e-mail address inside it ----------------------------------


def record(slug: str, answer_id: str) -> str:
    """One open-data line with a question ``slug`` and one answer ``answer_id``."""
    person = {"handle": "mina", "name": "Mina"}
    answer = {"id": answer_id, "author": "mina", "date": "2021-01-02", "body": "Rest."}
    question = {
        "slug": slug,
        "title": "Is it burnout?",
        "date": "2021-01-01",
        "author": "mina",
        "category": {"name": "Psychotherapists", "description": "x"},
        "tags": ["work"],
        "body": "Always tired.",
        "answers": [answer],
        "people": [person],
    }
    return json.dumps(question)


def test_hostile_names_never_leave_the_content_folder(content: Path, tmp_path: Path) -> None:
    outside = snapshot(tmp_path / "site")
    source = tmp_path / "questions.jsonl"
    source.write_text(record("../../x", "a") + "\n" + record("ok", "../../y") + "\n" + record("ok", "a/b") + "\n")
    report = run_import("jsonl", source, content)
    bad = "is not a valid name (lowercase letters, digits and single hyphens) (skipped)"
    assert report.skipped == [
        f"questions.jsonl: line 1: 'slug': '../../x' {bad}",
        f"questions.jsonl: line 2: 'id': '../../y' {bad}",
        f"questions.jsonl: line 3: 'id': 'a/b' {bad}",
    ]
    table = write_csv(
        tmp_path / "keys.csv",
        [["../../etc/passwd", "../../x", "Always tired.", "work", "/tmp/a", "Rest."]],
        ["Key", "Title", "Text", "Tags", "AnswerId", "Answer"],
    )
    columns = "question_key=Key,question_title=Title,question_body=Text,tags=Tags,id=AnswerId,body=Answer"
    report = run_import("csv", table, content, columns=columns, date="2020-03-25", category="Psychotherapists")
    assert (report.questions, report.answers, report.skipped) == (1, 1, [])
    written = sorted(set(snapshot(tmp_path / "site")) - set(outside))
    assert written == [
        "content/.import-state.json",
        "content/questions/x/answers/2020-03-25-anonymous.md",
        "content/questions/x/index.md",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.csv", "questions.jsonl", "site"]


def test_e_mail_addresses_in_author_columns_are_never_written(content: Path, tmp_path: Path) -> None:
    table = write_csv(
        tmp_path / "forum.csv",
        [
            ["Is it burnout?", "Always tired.", "work", "jane.doe@example.org"],
            ["Who can I talk to?", "At 3am.", "night", "Bob Stone <bob@example.org>"],
            ["Still awake", "Again.", "night", "mailto:jane.doe@example.org"],
        ],
        ["Title", "Body", "Tags", "Author"],
    )
    report = run_import(
        "csv", table, content, columns="title=Title,body=Body,tags=Tags,author=Author", date="2020-03-25"
    )
    assert (
        "note: 2 e-mail addresses in author columns left out (never published): the name beside it is kept, "
        "an address alone is imported as 'member'"
    ) in report.lines()
    everything = b"".join(snapshot(content).values())
    assert b"@example.org" not in everything and b"jane" not in everything
    authors = {front(p)[0]["title"]: front(p)[0]["author"] for p in (content / "questions").glob("*/index.md")}
    assert (authors["Is it burnout?"], authors["Still awake"], authors["Who can I talk to?"]) == (
        "member",
        "member",
        "bob-stone",
    )


# -- the shared defaults ----------------------------------------------------------------------------


def test_a_csv_without_tags_tags_each_question_with_its_category(content: Path, tmp_path: Path) -> None:
    table = write_csv(
        tmp_path / "counselling-qa.csv",
        [["Is it burnout?", "Always tired.", ""], ["Who can I talk to?", "At 3am.", "Psychotherapists"]],
        ["Title", "Body", "Board"],
    )
    report = run_import("csv", table, content, columns="title=Title,body=Body,category=Board", date="2020-03-25")
    assert (report.questions, report.skipped) == (2, [])
    assert f"note: counselling-qa.csv: 2 {UNTAGGED}" in report.lines()
    tags = {front(p)[0]["title"]: front(p)[0]["tags"] for p in (content / "questions").glob("*/index.md")}
    assert tags["Is it burnout?"] == ["counselling-qa"] and tags["Who can I talk to?"] == ["psychotherapists"]
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("default_tags: [general]\n")
    again = run_import(
        "csv", table, content, columns="title=Title,body=Body,category=Board", date="2020-03-25", mapping=mapping
    )
    assert not [line for line in again.lines() if UNTAGGED in line]
    assert [problem for problem in load_site(content)[1] if problem.is_error] == []


def test_a_question_takes_each_field_from_the_first_row_that_has_it(content: Path, tmp_path: Path) -> None:
    header = ["QID", "Title", "Text", "Asked", "Asker", "Tags", "Answer", "Answered"]
    rows = [
        ["q1", "Is it burnout?", "", "", "", "work", "Rest.", "2021-06-03"],
        ["q1", "Is it burnout?", "Always tired.", "2021-06-01", "Mina", "", "Talk to someone.", "2021-06-04"],
        ["q1", "Is it burnout?", "Tired all the time.", "2021-06-02", "", "work", "Sleep.", ""],
    ]
    table = write_csv(tmp_path / "qa.csv", rows, header)
    columns = (
        "question_key=QID,question_title=Title,question_body=Text,question_date=Asked,question_author=Asker,"
        "tags=Tags,body=Answer,date=Answered"
    )
    report = run_import("csv", table, content, columns=columns, category="Psychotherapists")
    assert (report.questions, report.answers) == (1, 2)
    assert report.skipped == [
        "qa.csv: row 4: no date (fill it in, or give --date YYYY-MM-DD for posts without one) (skipped)"
    ]
    notes = [line for line in report.lines() if "differs" in line]
    assert notes == [
        "note: qa.csv: row 4: question 'q1': question_body 'Tired all the time.' differs from row 3 "
        "('Always tired.'): the first is kept",
        "note: qa.csv: row 4: question 'q1': question_date '2021-06-02' differs from row 3 ('2021-06-01'): "
        "the first is kept",
    ]
    meta, body = front(content / "questions" / "is-it-burnout" / "index.md")
    assert (str(meta["date"]), meta["author"], body.strip()) == ("2021-06-01", "mina", "Always tired.")


def test_a_question_without_a_date_in_any_row_is_dated_like_its_first_answer(content: Path, tmp_path: Path) -> None:
    rows = [["q1", "Is it burnout?", "Always tired.", "", "work", "Rest.", "2021-06-03"]]
    table = write_csv(tmp_path / "qa.csv", rows, ["QID", "Title", "Text", "Asked", "Tags", "Answer", "Answered"])
    columns = "question_key=QID,question_title=Title,question_body=Text,question_date=Asked,tags=Tags,body=Answer"
    report = run_import("csv", table, content, columns=columns + ",date=Answered", category="Psychotherapists")
    assert (report.questions, report.skipped) == (1, [])
    assert "note: 1 question dated like its first answer (no question date in the source)" in report.lines()


# -- the HTML converter's notes reach the report ----------------------------------------------------


def test_saved_q2a_pages_report_what_the_html_conversion_changed(content: Path, tmp_path: Path) -> None:
    page = (FIXTURES / "importers" / "q2a" / "racing-thoughts-at-night.html").read_text(encoding="utf-8")
    extra = (
        '<p><img src="file:///C:/Users/me/chart.png" alt="my chart"> <a href="www.sleepfoundation.org">tips</a></p>'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe><p>What else helps?</p>'
    )
    page = page.replace("<p>What else helps?</p>", extra, 1)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "racing.html").write_text(page, encoding="utf-8")
    report = run_import("q2a", tmp_path / "pages", content)
    where = "note: racing.html: question 2210"
    assert [line for line in report.lines() if line.startswith(where)] == [
        f"{where}: 'Riley' has no member link (a guest): imported as anonymous",
        f"{where}: address 'www.sleepfoundation.org' has no https://: added",
        f"{where}: embedded <iframe> written as a link to 'https://www.youtube.com/embed/abc'",
        f"{where}: image 'file:///C:/Users/me/chart.png' is not on the web: written as its description 'my chart'",
    ]


def test_a_saved_q2a_page_without_tags_is_tagged_with_its_category(content: Path, tmp_path: Path) -> None:
    page = (FIXTURES / "importers" / "q2a" / "racing-thoughts-at-night.html").read_text(encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "racing.html").write_text(page.replace("qa-tag-link", "qa-old-tag"), encoding="utf-8")
    report = run_import("q2a", tmp_path / "pages", content)
    assert (report.questions, report.skipped) == (1, [])
    assert f"note: pages: 1 {UNTAGGED}" in report.lines()
    meta, _ = front(content / "questions" / "how-do-i-quiet-racing-thoughts-at-bedtime" / "index.md")
    assert (meta["category"], meta["tags"]) == ("Sleep & rest", ["sleep-and-rest"])


def test_jsonl_values_that_cannot_pass_check_are_left_out_or_skipped(content: Path, tmp_path: Path) -> None:
    """Open data from another site is untrusted: what `invoke check` would refuse never reaches content/."""
    good = json.loads(record("burnout", "a"))
    good["source"] = "javascript:alert(1)"
    good["views"] = -5
    good["answers"][0]["source"] = "mailto:mina@example.org"
    good["answers"][0]["license"] = "CC BY-SA\n4.0"
    good["people"][0] |= {"website": "javascript:alert(1)", "bio": "\x00"}
    bad_name = json.loads(record("other", "a"))
    bad_name["people"][0]["name"] = "Mina\nLee"
    bad_category = json.loads(record("third", "a"))
    bad_category["category"]["name"] = "x" * 200
    source = tmp_path / "questions.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in (good, bad_name, bad_category)) + "\n")
    report = run_import("jsonl", source, content)
    assert report.skipped == [
        "questions.jsonl: line 2: 'name': must be non-empty text on one line (write it on one line after the colon) "
        "(skipped)",
        f"questions.jsonl: line 3: 'name': the category {'x' * 60!r} cannot be a category: its URL slug is 200 "
        "characters long, more than 100 (skipped)",
    ]
    assert report.notes == [
        "questions.jsonl: line 1: answer a: license: 'CC BY-SA\\n4.0' must be non-empty text on one line: left out",
        "questions.jsonl: line 1: answer a: source: 'mailto:mina@example.org' is not a web address: left out",
        "questions.jsonl: line 1: mina: bio: '\\x00' contains the invisible control character U+0000 (NUL): left out",
        "questions.jsonl: line 1: mina: website: 'javascript:alert(1)' is not a web address: left out",
        "questions.jsonl: line 1: source: 'javascript:alert(1)' is not a web address: left out",
        "questions.jsonl: line 1: views: -5 is negative: left out",
    ]
    assert [str(problem) for problem in load_site(content)[1] if problem.is_error] == []


def test_csv_values_that_cannot_pass_check_are_cleaned_left_out_or_skipped(content: Path, tmp_path: Path) -> None:
    """Whatever a CSV holds, what the import writes passes `invoke check` (no traceback, no broken file)."""
    header = ["Title", "Body", "Tags", "Board", "Author", "Licence"]
    rows = [
        ["Is it burnout?", "Always\x00 tired.", f"work, {'x' * 200}", "2021-02-30", "Mi\u202ena", "CC BY-SA\n4.0"],
        ["Who can I talk to?", "At 3am.", "night", "Night\nline", "Noor", ""],
        ["Still awake", "Again.", "night", "x" * 200, "Noor", ""],
        ["Any tips?", "\x00\x1a", "night", "Psychotherapists", "Noor", ""],
    ]
    table = write_csv(tmp_path / "odd.csv", rows, header)
    columns = "title=Title,body=Body,tags=Tags,category=Board,author=Author,license=Licence"
    report = run_import("csv", table, content, columns=columns, date="2020-03-25")
    assert report.skipped == [
        "odd.csv: row 3: category 'Night\\nline' must be non-empty text on one line "
        "(give --category NAME, or map it in the mapping file) (skipped)",
        f"odd.csv: row 4: category {'x' * 60!r}: its URL slug is 200 characters long, more than 100 "
        "(give --category NAME instead) (skipped)",
        "odd.csv: row 5: the text is empty (skipped)",
    ]
    assert f"note: tag {'x' * 60!r} cannot be a tag: left out (1x)" in report.lines()
    assert "note: odd.csv: row 2: license 'CC BY-SA\\n4.0' must be non-empty text on one line: left out" in (
        report.lines()
    )
    meta, body = front(content / "questions" / "is-it-burnout" / "index.md")
    assert (meta["category"], meta["tags"], meta["author"], body.strip()) == (
        "2021-02-30",
        ["work"],
        "mina",
        "Always tired.",
    )
    assert [str(problem) for problem in load_site(content)[1] if problem.is_error] == []
    assert run_import("csv", table, content, columns=columns, date="2020-03-25").written == []  # read back as written


def test_html_nested_thousands_deep_is_imported_as_its_text(content: Path, tmp_path: Path) -> None:
    body = "<p>Hello *you*</p>" + "<b>" * 5000 + "x &lt;script&gt;" + "</b>" * 5000
    table = write_csv(tmp_path / "deep.csv", [["Deep", body, "night"]], ["Title", "Body", "Tags"])
    report = run_import("csv", table, content, columns="title=Title,body=Body,tags=Tags", date="2020-03-25")
    assert "note: deep.csv: row 2: HTML nested too deep to convert: imported as its plain text" in report.lines()
    assert front(content / "questions" / "deep" / "index.md")[1].strip() == "Hello \\*you\\*\n\nx \\<script>"


def test_markdown_nested_deeper_than_the_site_reads_is_skipped(content: Path, tmp_path: Path) -> None:
    rows = [["Deep", "> " * 3000 + "x", "night"], ["Shallow", "> > quoted\n\n- a\n  - b", "night"]]
    table = write_csv(tmp_path / "deep.csv", rows, ["Title", "Body", "Tags"])
    report = run_import("csv", table, content, columns="title=Title,body=Body,tags=Tags", date="2020-03-25")
    assert report.skipped == [
        "deep.csv: row 2: text line 1: lists or quotes are nested too deeply (the text from there on would be lost) "
        "(skipped)"
    ]
    assert report.questions == 1 and [str(p) for p in load_site(content)[1] if p.is_error] == []
