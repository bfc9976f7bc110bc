"""CSV shapes from real data sets: one row per answer, no dates, no categories, messy tags, profile URLs, big fields.

Each test writes a small CSV of the shape (the way published Q&A data sets come), imports it into a
copy of the fixture site, and checks the files, the report (exact text) and that the result passes
the site's checks; one builds it with Pelican.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from qasite.build.pipeline import build, load_settings
from qasite.content.frontmatter import split
from qasite.content.loader import load_site
from qasite.importers import ImporterError, run_import

FIXTURES = Path(__file__).parent / "fixtures"

HEADER = [
    "QID",
    "Question Title",
    "Question Text",
    "Topic",
    "Asker",
    "Answerer",
    "Profile",
    "Answer",
    "Upvotes",
    "Views",
]
ROWS = [
    [
        "q1",
        "Can't sleep before exams",
        "I lie awake for hours.",
        "Sleep ; anxiety|  Exam  Stress ",
        "Mina",
        "Dr. Ana Ruiz",
        "https://counsel.example.org/ana-ruiz",
        "Keep the same wake-up time.",
        "12",
        "300",
    ],
    [
        "q1",
        "Can't sleep before exams",
        "I lie awake for hours.",
        "Sleep ; anxiety|  Exam  Stress ",
        "Mina",
        "Ben Cole",
        "",
        "Write tomorrow's worries down.",
        "3",
        "300",
    ],
    [
        "q1",
        "Can't sleep before exams",
        "I lie awake for hours.",
        "Sleep ; anxiety|  Exam  Stress ",
        "Mina",
        "Ben Cole",
        "",
        "Write tomorrow's worries down.",
        "3",
        "300",
    ],  # an exact repeat
    [
        "q2",
        "Is it normal to feel numb?",
        "Since the funeral I feel nothing.",
        "grief",
        "",
        "Dr. Ana Ruiz",
        "https://counsel.example.org/ana-ruiz",
        "Yes, numbness is common in grief.",
        "7",
        "95",
    ],
    [
        "q2",
        "Is it normal to feel numb ?",
        "Since the funeral I feel nothing.",
        "grief",
        "",
        "Sam Lee",
        "not a url",
        "Give it time.",
        "x",
        "96",
    ],
    ["q3", "Who do I call at night?", "Nobody answers.", " Crisis  NIGHT ", "Noor", "", "", "", "", "12"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    """``rows`` under ``header`` as a CSV file at ``path``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


MAPPING = """\
columns:
  question_key: QID
  question_title: Question Title
  question_body: Question Text
  question_author: Asker
  question_views: Views
  tags: Topic
  author: Answerer
  author_url: Profile
  body: Answer
  votes: Upvotes
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture site's content folder."""
    target = tmp_path / "site" / "content"
    shutil.copytree(FIXTURES / "site" / "content", target)
    return target


def front(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a content file."""
    source, problems = split(path.read_text(encoding="utf-8"), path.name)
    assert source is not None and not problems
    return source.meta.data, source.body


def snapshot(content: Path) -> dict[str, bytes]:
    """Every file under ``content`` with its bytes."""
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def test_one_row_per_answer(content: Path, tmp_path: Path) -> None:
    table = write_csv(tmp_path / "counselling-qa.csv", ROWS)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(MAPPING + "default_date: 2020-03-25\n")
    report = run_import("csv", table, content, mapping=mapping, category="Psychotherapists")
    assert report.lines() == [
        "note: counselling-qa.csv: 1 repeated row(s) dropped (exact copies of an earlier row)",
        "note: counselling-qa.csv: row 6: author_url: 'not a url' is not a web address: left out",
        "note: counselling-qa.csv: row 6: question 'q2': question_title 'Is it normal to feel numb ?' differs "
        "from row 5 ('Is it normal to feel numb?'): the first is kept",
        "note: counselling-qa.csv: row 6: question 'q2': question_views '96' differs from row 5 ('95'): "
        "the first is kept",
        "note: counselling-qa.csv: row 6: votes: 'x' is not valid: left out",
        "note: 3 questions dated 2020-03-25 (no date in the source)",
        "note: 4 answers dated like their question (no answer date in the source)",
        "Imported 3 questions, 4 answers, 5 people from counselling-qa.csv: 7 files written (0 refreshed), "
        "0 unchanged; 0 kept (edited here); 0 skipped, 1 repeated row dropped; 5 people and 0 categories added.",
    ]
    questions = content / "questions"
    sleep, body = front(questions / "can-t-sleep-before-exams" / "index.md")
    assert (sleep["tags"], sleep["views"], sleep["author"], body) == (
        ["sleep", "anxiety", "exam-stress"],
        300,
        "mina",
        "I lie awake for hours.",
    )
    assert str(sleep["date"]) == "2020-03-25"
    answers = sorted(p.name for p in (questions / "can-t-sleep-before-exams" / "answers").iterdir())
    assert answers == ["2020-03-25-ben-cole.md", "2020-03-25-dr-ana-ruiz.md"]
    numb, _ = front(questions / "is-it-normal-to-feel-numb" / "index.md")
    assert (numb["title"], numb["views"], numb["author"], numb["tags"]) == (
        "Is it normal to feel numb?",
        95,
        "anonymous",
        ["grief"],
    )
    unanswered = questions / "who-do-i-call-at-night"
    assert front(unanswered / "index.md")[0]["tags"] == ["crisis", "night"]
    assert not (unanswered / "answers").exists()
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["dr-ana-ruiz"] == {"name": "Dr. Ana Ruiz", "url": "https://counsel.example.org/ana-ruiz"}
    assert people["sam-lee"] == {"name": "Sam Lee"}
    _, problems = load_site(content)
    assert [str(p) for p in problems] == []
    before = snapshot(content)
    again = run_import("csv", table, content, mapping=mapping, category="Psychotherapists")
    assert (again.written, len(again.unchanged)) == ([], 7) and snapshot(content) == before


def test_no_date_column_needs_the_editors_date(content: Path, tmp_path: Path) -> None:
    table = write_csv(tmp_path / "qa.csv", ROWS[:1])
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(MAPPING)
    with pytest.raises(ImporterError) as caught:
        run_import("csv", table, content, mapping=mapping, category="Psychotherapists")
    assert str(caught.value) == (
        "the column mapping has no question_date: map the column that holds it (--map question_date=Column), "
        "or give the date to show on every post with --date YYYY-MM-DD (or 'default_date:' in the mapping file)"
    )
    with pytest.raises(ImporterError) as caught:
        run_import("csv", table, content, mapping=mapping, date="25/03/2020")
    assert str(caught.value) == "--date: '25/03/2020' is not a date: write it as YYYY-MM-DD, like 2020-03-25"
    with pytest.raises(ImporterError) as caught:
        run_import("csv", table, content, mapping=mapping, columns="title=Question Title", date="2020-01-01")
    assert str(caught.value) == (
        "the column mapping has title and question_key: with one row per answer, name the question's columns "
        "question_title, question_body, ... (rows sharing a question_key make one question)"
    )
    plain = write_csv(tmp_path / "plain.csv", [["What now?", "Nothing yet.", "general"]], ["Q", "A", "T"])
    with pytest.raises(ImporterError, match=r"^the column mapping has no date: map the column that holds it"):
        run_import("csv", plain, content, columns="title=Q,body=A,tags=T")
    report = run_import("csv", plain, content, columns="title=Q,body=A,tags=T", date="2019-01-31")
    assert report.lines()[-2:] == [
        "note: plain.csv: 1 question without a category put in 'Plain' (named after the file; "
        "give --category NAME to choose one)",
        "Imported 1 question, 0 answers, 0 people from plain.csv: 1 file written (0 refreshed), 0 unchanged; "
        "0 kept (edited here); 0 skipped; 0 people and 1 category added.",
    ]
    assert "note: 1 question dated 2019-01-31 (no date in the source)" in report.lines()
    assert yaml.safe_load((content / "categories.yml").read_text())["Plain"]["description"] == (
        "Questions imported from plain.csv."
    )


def test_big_fields_and_duplicate_titles(content: Path, tmp_path: Path) -> None:
    long = "<p>" + "Breathing slowly helps me. " * 8000 + "</p>"  # over 200 KB: beyond csv's default field limit
    rows = [
        ["1", "Any tips?", long, "2021-05-01", "tips"],
        ["2", "Any tips?", "<p>For panic, <b>not</b> sleep.</p>", "2021-05-02", "panic"],
        ["3", "Any tips?", "For sleep.", "2021-05-03", "sleep"],
    ]
    table = write_csv(tmp_path / "tips.csv", rows, ["ID", "Title", "Body", "Date", "Tags"])
    columns = "id=ID,title=Title,body=Body,date=Date,tags=Tags"
    report = run_import("csv", table, content, columns=columns, category="Psychotherapists")
    assert (report.questions, report.skipped) == (3, [])
    folders = sorted(p.parent.name for p in (content / "questions").glob("any-tips*/index.md"))
    assert folders == ["any-tips", "any-tips-2", "any-tips-3"]
    assert len(front(content / "questions" / "any-tips" / "index.md")[1]) > 200_000
    assert front(content / "questions" / "any-tips-2" / "index.md")[1] == "For panic, **not** sleep."
    _, problems = load_site(content)
    assert [str(p) for p in problems] == []


def test_imported_csv_builds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    conf = site / "pelicanconf.py"
    shutil.copytree(FIXTURES / "site", site)
    conf.write_text(
        conf.read_text().replace('THEME = "../../../theme"', f'THEME = "{Path(__file__).parent.parent / "theme"}"')
    )
    table = write_csv(tmp_path / "counselling-qa.csv", ROWS)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(MAPPING)
    run_import("csv", table, site / "content", mapping=mapping, date="2020-03-25")
    output = build(settings=load_settings(conf))
    page = BeautifulSoup((output / "questions" / "can-t-sleep-before-exams" / "index.html").read_text(), "lxml")
    assert "Keep the same wake-up time." in page.get_text()
    assert page.find("a", href="https://counsel.example.org/ana-ruiz") is None  # no source: no attribution line
    categories = yaml.safe_load((site / "content" / "categories.yml").read_text())
    assert "Counselling qa" in categories


def test_one_row_per_answer_with_dates_and_plain_views(content: Path, tmp_path: Path) -> None:
    header = ["Link", "Q", "Q text", "Asked", "A", "Answered", "Hits", "Best"]
    rows = [
        ["https://old.example.net/t/7", "Is journaling useful?", "Asking for me.", "2022-01-05", "", "", "40", ""],
        [
            "https://old.example.net/t/7",
            "Is journaling useful?",
            "Asking for me.",
            "2022-01-05",
            "Yes.",
            "2022-01-06",
            "40",
            "yes",
        ],
        [
            "https://old.example.net/t/7",
            "Is journaling useful?",
            "Asking for me.",
            "2022-01-05",
            "Sometimes.",
            "",
            "40",
            "",
        ],
    ]
    table = write_csv(tmp_path / "journal.csv", rows, header)
    columns = (
        "question_key=Link,question_url=Link,question_title=Q,question_body=Q text,question_date=Asked,body=A,"
        "date=Answered,views=Hits,accepted=Best"
    )
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("default_tags: [journaling]\n")
    report = run_import("csv", table, content, columns=columns, category="Psychotherapists", mapping=mapping)
    assert report.skipped == [
        "journal.csv: row 4: no date (fill it in, or give --date YYYY-MM-DD for posts without one) (skipped)"
    ]
    folder = content / "questions" / "is-journaling-useful"
    meta, _ = front(folder / "index.md")
    assert (meta["views"], meta["source"], str(meta["date"])) == (40, "https://old.example.net/t/7", "2022-01-05")
    answer, body = front(folder / "answers" / "2022-01-06-anonymous.md")
    assert (answer["accepted"], body) == (True, "Yes.")


def test_questions_without_a_date_take_their_first_answers(content: Path, tmp_path: Path) -> None:
    header = ["Key", "Title", "Question", "Answer", "Answered", "Tags"]
    rows = [
        ["a", "Does exercise help low mood?", "Asking.", "It does for me.", "2021-06-03 10:00", "exercise"],
        ["a", "Does exercise help low mood?", "Asking.", "Walks, daily.", "2021-06-01 08:30", "exercise"],
        ["b", "Anyone else awake?", "3am again.", "", "", "sleep"],
    ]
    table = write_csv(tmp_path / "mood.csv", rows, header)
    columns = "question_key=Key,question_title=Title,question_body=Question,body=Answer,date=Answered,tags=Tags"
    report = run_import("csv", table, content, columns=columns, category="Psychotherapists")
    assert report.skipped == [
        "mood.csv: row 4: no date (fill it in, or give --date YYYY-MM-DD for posts without one) (skipped)"
    ]
    assert "note: 1 question dated like its first answer (no question date in the source)" in report.lines()
    meta, _ = front(content / "questions" / "does-exercise-help-low-mood" / "index.md")
    assert str(meta["date"]) == "2021-06-01 08:30:00"


def test_a_folder_of_files_without_ids(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    header = ["Title", "Body", "Tags"]
    write_csv(folder / "2019.csv", [["Is it burnout?", "Always tired.", "work"]], header)
    write_csv(
        folder / "2020.csv",
        [["Who can I talk to?", "At 3am.", "crisis; night"], ["Is it burnout?", "Always tired.", "work"]],
        header,
    )
    report = run_import("csv", folder, content, columns="title=Title,body=Body,tags=Tags", date="2020-01-01")
    assert (report.questions, report.skipped, report.repeated) == (2, [], 1)
    assert "note: 2020.csv: 1 repeated row(s) dropped (exact copies of an earlier row)" in report.lines()
    assert (content / "questions" / "who-can-i-talk-to" / "index.md").is_file()


def test_an_author_keeps_one_handle_when_some_rows_leave_out_the_profile(content: Path, tmp_path: Path) -> None:
    rows = [
        ["k1", "Night sweats on new meds?", "Week two.", "meds", "", "Lee Park", "", "Tell your GP.", "1", ""],
        ["k1", "Night sweats on new meds?", "Week two.", "meds", "", "Lee Park", "https://old.example.net/u/9",
         "Usually passes.", "2", ""],
    ]  # fmt: skip
    table = write_csv(tmp_path / "meds.csv", rows)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text(MAPPING)
    report = run_import("csv", table, content, mapping=mapping, date="2020-03-25", category="Psychotherapists")
    assert report.people_added == ["lee-park"]
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["lee-park"] == {"name": "Lee Park", "url": "https://old.example.net/u/9"}
    answers = sorted(p.name for p in (content / "questions" / "night-sweats-on-new-meds" / "answers").iterdir())
    assert answers == ["2020-03-25-lee-park-row-3.md", "2020-03-25-lee-park.md"]
