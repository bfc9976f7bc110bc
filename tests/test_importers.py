"""Importers: Stack Exchange dump, CSV and saved Question2Answer pages into content/.

The Stack Exchange fixture is a real dump (conlang.meta.stackexchange.com, CC BY-SA,
see tests/fixtures/importers/stackexchange/LICENSE). Imported files carry the optional
``source`` and ``license`` fields; until schema.py defines them, the ``license_fields``
fixture adds them for the tests that run the site's checks on imported content.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from qasite.build import progress
from qasite.content import schema
from qasite.content.frontmatter import split
from qasite.content.frontmatter_writer import format_date, scalar
from qasite.content.loader import load_site
from qasite.content.slugs import slugify
from qasite.importers import ImporterError, Report, run_import
from qasite.importers.html_to_markdown import html_to_markdown
from qasite.importers.licenses import license_url
from qasite.importers.options import parse_map
from qasite.importers.parsing import import_tag, parse_points, split_tags

FIXTURES = Path(__file__).parent / "fixtures"
IMPORTS = FIXTURES / "importers"
DUMP = IMPORTS / "stackexchange"
SITE_URL = "https://conlang.meta.stackexchange.com"
ROOT = Path(__file__).parent.parent


# -- fixtures and helpers ------------------------------------------------------------


@pytest.fixture
def license_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    """The optional source/license fields, as the lead is asked to add them to schema.py."""
    extra = (
        schema.Field("source", schema.to_url, help="Address of the original post.", example="https://…/q/1"),
        schema.Field("license", schema.to_text, help="License of the imported post.", example='"CC BY-SA 4.0"'),
    )
    for name in ("QUESTION", "ANSWER"):
        fields = getattr(schema, name)
        if "source" not in {spec.name for spec in fields}:
            monkeypatch.setattr(schema, name, fields + extra)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the small valid fixture site's content folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", target)
    return target


def import_dump(content: Path, force: bool = False, path: Path = DUMP, **options: str) -> Report:
    """Import the Stack Exchange fixture (or ``path``) into ``content``."""
    options.setdefault("category", "Meta")
    options.setdefault("site_url", SITE_URL)
    return run_import("stackexchange", path, content, force=force, **options)


def front(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a content file."""
    source, problems = split(path.read_text(encoding="utf-8"), path.name)
    assert source is not None and not problems
    return source.meta.data, source.body


def by_source(content: Path) -> dict[str, Path]:
    """Every imported content file by its source address."""
    found = {}
    for path in sorted((content / "questions").rglob("*.md")):
        source = front(path)[0].get("source")
        if source:
            found[source] = path
    return found


def snapshot(content: Path) -> dict[str, bytes]:
    """Every file under ``content`` with its bytes."""
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def assert_checks_pass(content: Path) -> None:
    """The whole content folder passes the site's checks (`invoke check`)."""
    _, problems = load_site(content)
    assert [str(p) for p in problems] == []


# -- Stack Exchange ------------------------------------------------------------------


def test_stackexchange_imports_every_question_and_answer(content: Path, license_fields: None) -> None:
    report = import_dump(content)
    assert (report.questions, report.answers, report.skipped) == (54, 115, [])
    assert report.lines()[-1] == (
        "Imported 54 questions, 115 answers, 56 people from conlang.meta.stackexchange.com: 169 files written "
        "(0 refreshed), 0 unchanged; 0 kept (edited here); 0 skipped; 56 people and 1 category added."
    )
    assert len(report.written) == 169 and report.kept == [] and report.unchanged == []
    assert report.notes == ["Posts.xml: not imported: 4 tag wiki, 4 tag wiki excerpt"]
    files = by_source(content)
    assert sum("/q/" in s for s in files) == 54 and sum("/a/" in s for s in files) == 115
    assert report.categories_added == ["Meta"]
    assert_checks_pass(content)


def test_stackexchange_site_loads_with_answers_and_accepted(content: Path, license_fields: None) -> None:
    import_dump(content)
    site, problems = load_site(content)
    assert problems == []
    imported = [q for q in site.questions if q.category.name == "Meta"]
    assert len(imported) == 54 and sum(len(q.answers) for q in imported) == 115
    assert sum(1 for q in imported if q.accepted_answer) == 11
    assert site.people["jk-reinstate-monica"].points == 7564


def test_stackexchange_question_fields(content: Path) -> None:
    import_dump(content)
    files = by_source(content)
    meta, body = front(files[f"{SITE_URL}/q/1"])
    assert files[f"{SITE_URL}/q/1"].parent.name == "are-questions-asked-in-conlangs-accepted-on-this-site"
    assert meta == {
        "title": "Are questions asked in conlangs accepted on this site?",
        "date": dt.datetime(2018, 2, 6, 20, 19, 50, tzinfo=dt.UTC),
        "category": "Meta",
        "tags": ["discussion", "on-topic"],
        "votes": 10,
        "author": "bytebuster",
        "views": 172,
        "source": f"{SITE_URL}/q/1",
        "license": "CC BY-SA 3.0",
    }
    assert body.endswith("Considering the above, **do we accept questions asked in (popular) conlangs?**")
    edited, _ = front(files[f"{SITE_URL}/q/173"])
    assert edited["edited"] == dt.datetime(2020, 1, 3, 4, 50, 3, tzinfo=dt.UTC)
    assert (edited["edited_by"], edited["license"]) == ("shog9", "CC BY-SA 4.0")


def test_stackexchange_accepted_answers_votes_and_deleted_users(content: Path) -> None:
    import_dump(content)
    files = by_source(content)
    answer = files[f"{SITE_URL}/a/2"]
    assert answer.name == "2018-02-06-user-23.md"
    assert answer.parent.parent.name == "are-questions-asked-in-conlangs-accepted-on-this-site"
    meta, _ = front(answer)
    assert (meta["author"], meta["votes"], meta["accepted"]) == ("user-23", 22, True)
    accepted = [p for p in files.values() if front(p)[0].get("accepted")]
    assert len(accepted) == 11
    votes = [front(p)[0]["votes"] for p in files.values()]
    assert (min(votes), max(votes)) == (-8, 22)
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["user-23"] == {"name": "user23"}
    assert people["jk-reinstate-monica"] == {
        "name": "jk - Reinstate Monica",
        "url": f"{SITE_URL}/users/142",
        "points": 7564,
    }


def test_stackexchange_licenses_and_sources_on_every_post(content: Path) -> None:
    import_dump(content)
    licenses = [front(p)[0]["license"] for p in by_source(content).values()]
    assert (licenses.count("CC BY-SA 3.0"), licenses.count("CC BY-SA 4.0"), len(licenses)) == (121, 48, 169)


def test_stackexchange_markdown_of_known_posts(content: Path) -> None:
    import_dump(content)
    files = by_source(content)
    _, body = front(files[f"{SITE_URL}/a/130"])
    assert body == (
        "Great idea!\n\n"
        "I would suggest making creative use of the wider [Constructed Language Community flag]"
        "(https://conlang.org/conlang_flag.svg) as it is widely recognisable as a language invention symbol.\n\n"
        "Suggestion 1: Superimposition of symbology:\n\n"
        "![enter image description here](https://i.stack.imgur.com/e9kro.png)\n\n"
        "Suggestion 2: Incorporation of symbology:\n\n"
        "![enter image description here](https://i.stack.imgur.com/x1YnV.png)"
    )
    _, body = front(files[f"{SITE_URL}/q/173"])
    assert "> We designed the Stack Exchange network engine" in body
    assert "\n```\n                 Action                  Moderators Community¹\n" in body
    assert "\n### Footnotes\n" in body
    assert "- You can also check out [this report on other sites](https://stackexchange.com/search?q=" in body
    _, body = front(files[f"{SITE_URL}/a/52"])
    assert "\n\n2. For questions about how to make a conlang, I suggest [conlang-creation](" in body
    assert "\n\n   a. For questions which are relevant to a specific subfield" in body


def test_stackexchange_people_and_categories_are_merged_not_clobbered(content: Path) -> None:
    people_before = (content / "people.yml").read_text()
    categories_before = (content / "categories.yml").read_text()
    report = import_dump(content)
    assert (content / "people.yml").read_text().startswith(people_before)
    assert (content / "categories.yml").read_text().startswith(categories_before)
    categories = yaml.safe_load((content / "categories.yml").read_text())
    assert categories["Meta"] == {"description": "Questions imported from conlang.meta.stackexchange.com.", "order": 3}
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["sam-rivera"]["credentials"] == "LCSW, licensed clinical social worker"
    assert len(report.people_added) == len(people) - 3


def test_stackexchange_second_run_writes_nothing(content: Path) -> None:
    import_dump(content)
    before = snapshot(content)
    report = import_dump(content)
    assert (len(report.written), len(report.unchanged), report.kept) == (0, 169, [])
    assert (report.people_added, report.categories_added) == ([], [])
    assert report.lines()[-1] == (
        "Imported 54 questions, 115 answers, 56 people from conlang.meta.stackexchange.com: 0 files written "
        "(0 refreshed), 169 unchanged; 0 kept (edited here); 0 skipped; 0 people and 0 categories added."
    )
    assert snapshot(content) == before


def test_stackexchange_output_is_deterministic(tmp_path: Path) -> None:
    import_dump(tmp_path / "one")
    import_dump(tmp_path / "two")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_edited_file_is_kept_unless_forced(content: Path) -> None:
    import_dump(content)
    answer = by_source(content)[f"{SITE_URL}/a/2"]
    original = answer.read_text()
    answer.write_text(original.replace("**I don't think", "**I do not think"))
    report = import_dump(content)
    rel = "content/questions/are-questions-asked-in-conlangs-accepted-on-this-site/answers/2018-02-06-user-23.md"
    assert report.kept == [f"{rel}: edited here since the last import; use --force to overwrite it"]
    assert f"not overwritten: {report.kept[0]}" in report.lines()
    assert report.written == [] and "**I do not think" in answer.read_text()
    forced = import_dump(content, force=True)
    assert (forced.written, forced.kept) == ([rel], [])
    assert answer.read_text() == original


def test_people_yml_is_read_by_the_content_layer(content: Path) -> None:
    """The importers read people.yml with the loader's reader: a problem `check` reports stops the import."""
    people = (content / "people.yml").read_text()
    (content / "people.yml").write_text(people + "Bad Handle:\n  name: Someone\n")
    with pytest.raises(ImporterError) as caught:
        import_dump(content)
    assert str(caught.value) == (
        "content/people.yml:" + str(people.count("\n") + 1) + ": Bad Handle: handle 'Bad Handle' has characters "
        "other than lowercase letters, digits and single hyphens (rename the handle to 'bad-handle'); "
        "fix it first (invoke check)"
    )
    assert (content / "people.yml").read_text().endswith("Bad Handle:\n  name: Someone\n")


def test_question_is_found_again_by_its_source(content: Path) -> None:
    with (content / "people.yml").open("a") as people:
        people.write("bytebuster:\n  name: Another Member\n")
    import_dump(content)
    folder = content / "questions" / "are-questions-asked-in-conlangs-accepted-on-this-site"
    assert front(folder / "index.md")[0]["author"] == "bytebuster-14"  # the handle was taken
    folder.rename(content / "questions" / "questions-in-conlangs")
    report = import_dump(content)
    assert (report.written, len(report.unchanged)) == ([], 169)
    assert not folder.exists()


def test_stackexchange_into_empty_content_folder(tmp_path: Path, license_fields: None) -> None:
    content = tmp_path / "content"
    report = import_dump(content)
    assert report.questions == 54
    assert {p.name for p in content.iterdir()} == {".import-state.json", "categories.yml", "people.yml", "questions"}
    assert_checks_pass(content)


SMALL_POSTS = """<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" AcceptedAnswerId="3" CreationDate="2020-01-01T10:00:00.000" Score="3" ViewCount="9"
    Body="&lt;p&gt;Which one?&lt;/p&gt;" OwnerUserId="5" Title="C# or C++ for a parser?"
    Tags="&lt;c#&gt;&lt;c++&gt;&lt;.net&gt;&lt;parsing&gt;&lt;compilers&gt;&lt;performance&gt;" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T11:00:00.000" Score="1"
    Body="&lt;p&gt;Try both.&lt;/p&gt;" OwnerUserId="6" />
  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T12:00:00.000" Score="4"
    Body="&lt;p&gt;C#, see &lt;a href=&quot;/questions/7&quot;&gt;this&lt;/a&gt;.&lt;/p&gt;" />
  <row Id="4" PostTypeId="2" ParentId="99" CreationDate="2020-01-02T12:00:00.000" Score="0"
    Body="&lt;p&gt;Orphan.&lt;/p&gt;" OwnerUserId="5" />
  <row Id="8" PostTypeId="1" CreationDate="2020-01-03T12:00:00.000" Score="0" Body="&lt;p&gt;Meta?&lt;/p&gt;"
    OwnerDisplayName="Guest Person" Title="A question about the site" Tags="|meta|" />
  <row Id="9" PostTypeId="2" ParentId="8" CreationDate="2020-01-02T12:00:00.000" Score="0"
    Body="&lt;p&gt;Merged from an older question.&lt;/p&gt;" OwnerUserId="7" />
  <row Id="10" PostTypeId="2" ParentId="8" CreationDate="2020-01-04T12:00:00.000" Score="0"
    Body="&lt;p&gt;Yes.&lt;/p&gt;" OwnerUserId="7" />
</posts>
"""
SMALL_USERS = """<?xml version="1.0" encoding="utf-8"?>
<users>
  <row Id="5" Reputation="1200" DisplayName="Rob" />
  <row Id="6" Reputation="15" DisplayName="Rob" />
  <row Id="7" Reputation="101" DisplayName="noɥʇʎԀʎzɐɹƆ" />
</users>
"""


@pytest.fixture
def small_dump(tmp_path: Path) -> Path:
    """A hand-written dump with the cases the real sample does not have."""
    folder = tmp_path / "cs.meta.stackexchange.com"
    folder.mkdir()
    (folder / "Posts.xml").write_text(SMALL_POSTS, encoding="utf-8")
    (folder / "Users.xml").write_text(SMALL_USERS, encoding="utf-8")
    return folder


def test_stackexchange_edge_cases(small_dump: Path, tmp_path: Path, license_fields: None) -> None:
    content = tmp_path / "content"
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("categories:\n  c#: Programming\n  meta: About the site\n")
    report = run_import("stackexchange", small_dump, content, mapping=mapping)
    assert report.skipped == [
        "Posts.xml: post 4: answer to unknown question 99 (skipped)",
        "Posts.xml: post 9: answered before the question was asked: 2020-01-02 is before the question "
        "(2020-01-03) (skipped)",
    ]
    assert report.notes == [
        "tag '.net' imported as 'dot-net' (1x)",
        "tag 'c#' imported as 'c-sharp' (1x)",
        "tag 'c++' imported as 'c-plus-plus' (1x)",
        "Posts.xml: post 1: more than 5 tags: left out performance",
        "Posts.xml: posts without ContentLicense get the license Stack Exchange applied at their date "
        "(CC BY-SA 2.5 before 2011-04-08, CC BY-SA 3.0 before 2018-05-02, CC BY-SA 4.0 after): 5 CC BY-SA 4.0",
    ]
    files = by_source(content)
    site = "https://cs.meta.stackexchange.com"
    question, _ = front(files[f"{site}/q/1"])
    assert question["tags"] == ["c-sharp", "c-plus-plus", "dot-net", "parsing", "compilers"]
    assert (question["category"], question["author"]) == ("Programming", "rob-5")
    answer, body = front(files[f"{site}/a/3"])
    assert (answer["author"], answer["accepted"], answer.get("license")) == (
        "anonymous",
        True,
        "CC BY-SA 4.0",
    )
    assert body == f"C#, see [this]({site}/questions/7)."
    assert front(files[f"{site}/a/2"])[0]["author"] == "rob-6"
    guest, _ = front(files[f"{site}/q/8"])
    assert (guest["category"], guest["author"]) == ("About the site", "guest-person")
    assert front(files[f"{site}/a/10"])[0]["author"] == "user-7"
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people == {
        "user-7": {"name": "noɥʇʎԀʎzɐɹƆ", "url": f"{site}/users/7", "points": 101},
        "guest-person": {"name": "Guest Person"},
        "rob-5": {"name": "Rob", "url": f"{site}/users/5", "points": 1200},
        "rob-6": {"name": "Rob", "url": f"{site}/users/6", "points": 15},
    }
    assert_checks_pass(content)


def test_stackexchange_site_and_category_defaults(content: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    report = run_import("stackexchange", DUMP, other)  # folder "stackexchange": the site is read from the posts
    assert report.notes[1:] == [
        "Posts.xml: the site is https://conlang.meta.stackexchange.com (9 links in the posts to its own questions); "
        "give --site-url if that is wrong",
        "Posts.xml: 54 question(s) put in the category 'Conlang meta' (named after the site; give --category NAME, "
        "or map tags under 'categories:' in --mapping FILE)",
    ]
    assert report.categories_added == ["Conlang meta"] and f"{SITE_URL}/q/1" in by_source(other)
    with pytest.raises(ImporterError, match=r"no Posts\.xml"):
        run_import("stackexchange", tmp_path, content, category="Meta", site_url=SITE_URL)
    with pytest.raises(ImporterError, match="cannot create category 'psychotherapists' \\(its address would clash"):
        run_import("stackexchange", DUMP, content, category="psychotherapists", site_url=SITE_URL)
    assert not (content / "questions" / "are-questions-asked-in-conlangs-accepted-on-this-site").exists()
    with pytest.raises(ImporterError, match="unknown source 'phpbb'"):
        run_import("phpbb", DUMP, content)


# -- CSV -------------------------------------------------------------------------------

CSV = IMPORTS / "csv" / "forum-export.csv"
CSV_MAPPING = IMPORTS / "csv" / "mapping.yml"


def test_csv_with_mapping_file(content: Path, license_fields: None) -> None:
    report = run_import("csv", CSV, content, mapping=CSV_MAPPING)
    assert (report.questions, report.answers) == (2, 2)
    assert report.skipped == [
        "forum-export.csv: row 6: answer to unknown question 999 (skipped)",
        "forum-export.csv: row 7: date 'last Tuesday' is not a date (write ISO dates like 2023-06-28 or "
        "2023-06-28T14:05, or set date_format in the mapping file) (skipped)",
    ]
    assert "tag 'C#' imported as 'c-sharp' (1x)" in report.notes
    folder = content / "questions" / "how-long-before-talking-therapy-starts-to-help"
    meta, body = front(folder / "index.md")
    assert meta == {
        "title": "How long before talking therapy starts to help?",
        "date": dt.datetime(2023, 3, 2, 9, 15),
        "category": "Psychotherapists",
        "tags": ["therapy", "talking-therapy"],
        "votes": 7,
        "author": "priya-natarajan",
        "views": 640,
        "source": "https://oldforum.example.net/t/101",
        "license": "CC BY-SA 4.0",
    }
    assert body == (
        "I have had four sessions of talking therapy so far.\n\n"
        "Nothing feels *different* yet. How long did it take for you?"
    )
    accepted, _ = front(folder / "answers" / "2023-03-02-sam-rivera.md")
    assert (accepted["accepted"], accepted["votes"]) == (True, 5)
    assert front(folder / "answers" / "2023-03-03-anonymous.md")[1] == (
        "Ask your therapist directly: *what should I notice first?*\n\n- sleep\n- mood"
    )
    apps, _ = front(content / "questions" / "which-apps-are-safe-for-tracking-my-mood" / "index.md")
    assert (apps["category"], apps["tags"]) == ("Self-help tools", ["apps", "privacy", "c-sharp", "c-plus-plus"])
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["priya-natarajan"] == {"name": "Priya Natarajan", "points": 1250}
    assert people["sam-rivera"]["points"] == 7200  # the existing member, unchanged
    assert_checks_pass(content)
    assert run_import("csv", CSV, content, mapping=CSV_MAPPING).written == []


def test_csv_reimport_refreshes_what_nobody_edited(content: Path, tmp_path: Path) -> None:
    """A newer export refreshes votes, views, accepted marks and points; an edited file is kept, --force replaces it."""
    run_import("csv", CSV, content, mapping=CSV_MAPPING)
    therapy = content / "questions" / "how-long-before-talking-therapy-starts-to-help"
    apps = content / "questions" / "which-apps-are-safe-for-tracking-my-mood" / "index.md"
    apps.write_text(apps.read_text().replace("Looking for something private", "Looking for an app that is private"))
    newer = tmp_path / "newer" / "forum-export.csv"
    newer.parent.mkdir()
    rows = CSV.read_text().replace(',"1,250",7,640,,', ',"1,400",9,700,,').replace(",40,3,210,,", ",40,4,230,,")
    newer.write_text(
        rows.replace("Sam Rivera,7.2k,5,,yes,", "Sam Rivera,7.2k,5,,,").replace("anonymous,,2,,,", "anonymous,,2,,yes,")
    )
    report = run_import("csv", newer, content, mapping=CSV_MAPPING)
    kept = "content/questions/which-apps-are-safe-for-tracking-my-mood/index.md"
    assert report.kept == [f"{kept}: edited here since the last import; use --force to overwrite it"]
    assert report.refreshed == [
        "content/questions/how-long-before-talking-therapy-starts-to-help/answers/2023-03-02-sam-rivera.md",
        "content/questions/how-long-before-talking-therapy-starts-to-help/answers/2023-03-03-anonymous.md",
        "content/questions/how-long-before-talking-therapy-starts-to-help/index.md",
    ]
    assert report.lines()[-1] == (
        "Imported 2 questions, 2 answers, 3 people from forum-export.csv: 3 files written (3 refreshed), "
        "0 unchanged; "
        "1 kept (edited here); 2 skipped; 0 people and 0 categories added; points of 1 member refreshed."
    )
    assert (front(therapy / "index.md")[0]["votes"], front(therapy / "index.md")[0]["views"]) == (9, 700)
    assert "accepted" not in front(therapy / "answers" / "2023-03-02-sam-rivera.md")[0]
    assert front(therapy / "answers" / "2023-03-03-anonymous.md")[0]["accepted"] is True
    assert "Looking for an app that is private" in apps.read_text() and front(apps)[0]["votes"] == 3
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["priya-natarajan"] == {"name": "Priya Natarajan", "points": 1400}
    assert people["sam-rivera"]["points"] == 7200  # not added by an import: never changed
    assert_checks_pass(content)

    (content / "people.yml").write_text((content / "people.yml").read_text().replace("points: 1400", "points: 1500"))
    forced = run_import("csv", newer, content, mapping=CSV_MAPPING, force=True)
    assert (forced.written, forced.kept, forced.refreshed) == ([kept], [], [])
    assert front(apps)[0]["votes"] == 4 and "Looking for something private" in apps.read_text()
    assert "people.yml: priya-natarajan: points edited here: kept (the source says 1400)" in forced.notes
    assert yaml.safe_load((content / "people.yml").read_text())["priya-natarajan"]["points"] == 1500
    again = run_import("csv", newer, content, mapping=CSV_MAPPING)
    assert (again.written, again.kept, len(again.unchanged)) == ([], [], 4)


def test_summary_line_of_a_large_import() -> None:
    report = Report("forum", questions=812, answers=1944, people=301, written=["f"] * 2756, refreshed=["f"] * 3)
    report.kept, report.skipped, report.people_added, report.categories_added = ["k"] * 3, ["s"] * 2, ["p"] * 299, ["c"]
    report.people_refreshed = ["p"]
    assert report.lines() == [
        *(["skipped: s"] * 2),
        *(["not overwritten: k"] * 3),
        "Imported 812 questions, 1,944 answers, 301 people from forum: 2,756 files written (3 refreshed), 0 unchanged; "
        "3 kept (edited here); 2 skipped; 299 people and 1 category added; points of 1 member refreshed.",
    ]


def test_import_shows_its_phases(content: Path) -> None:
    """On a large import, the reading and writing phases show (here without the delay, as log lines)."""
    stream = io.StringIO()
    with progress.shown(stream, delay=0, terminal=False):
        run_import("csv", CSV, content, mapping=CSV_MAPPING)
    lines = [re.sub(r"in \d+\.\d s$", "in N s", line) for line in stream.getvalue().splitlines()]
    assert lines == ["reading: 2 questions in N s", "writing: 4 files in N s"]


def test_csv_map_option_and_errors(content: Path, tmp_path: Path) -> None:
    columns = "id=Post ID,question=Parent ID,title=Subject,body=Message,date=Posted,tags=Topics,author=Member"
    report = run_import("csv", CSV, content, columns=columns, category="Psychotherapists")
    assert (report.questions, report.answers) == (2, 2)
    apps, _ = front(content / "questions" / "which-apps-are-safe-for-tracking-my-mood" / "index.md")
    assert apps["category"] == "Psychotherapists" and "source" not in apps and "license" not in apps
    assert parse_map("title=Question, body = Body") == {"title": "Question", "body": "Body"}
    with pytest.raises(ImporterError, match="no column 'Question' \\(for title\\)"):
        run_import("csv", CSV, content, columns="title=Question,body=Message,date=Posted")
    with pytest.raises(ImporterError, match="has no date"):
        run_import("csv", CSV, content, columns="title=Subject,body=Message")
    with pytest.raises(ImporterError, match="unknown CSV field\\(s\\) titel"):
        run_import("csv", CSV, content, columns="titel=Subject")
    with pytest.raises(ImporterError, match="'Question' is not field=Column"):
        run_import("csv", CSV, content, columns="Question")


def test_csv_rows_without_tags_or_category_get_defaults(content: Path, tmp_path: Path) -> None:
    table = tmp_path / "plain.csv"
    table.write_text("Q;A;When\nWhat now?;Nothing;2024-02-01\nAnd then?;Something;2024-02-02\n")
    report = run_import("csv", table, content, columns="title=Q,body=A,date=When", category="Psychotherapists")
    assert (report.questions, report.skipped) == (2, [])  # tagged with their category, as Q2A dumps are
    assert report.notes == [
        "plain.csv: 2 question(s) without tags tagged with their category "
        "(give others with 'default_tags:' in the mapping file)"
    ]
    assert front(content / "questions" / "what-now" / "index.md")[0]["tags"] == ["psychotherapists"]
    mapping = tmp_path / "map.yml"
    mapping.write_text("columns: {title: Q, body: A, date: When, author: Who}\ndefault_tags: [general]\n")
    table.write_text("Q;A;When;Who\nWhat now?;Nothing;2024-02-01;ada-moss\nAnd then?;Something;2024-02-02;Ada\n")
    report = run_import("csv", table, tmp_path / "other", mapping=mapping)
    assert (report.skipped, report.categories_added) == ([], ["Plain"])
    assert report.notes == [
        "plain.csv: 2 questions without a category put in 'Plain' (named after the file; give --category NAME "
        "to choose one)"
    ]
    report = run_import("csv", table, content, mapping=mapping, category="Psychotherapists")
    assert (report.questions, report.people_added) == (2, ["ada"])
    assert front(content / "questions" / "what-now" / "index.md")[0]["author"] == "ada-moss"  # a handle


def test_invoke_import_runs_like_a_user_would(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    command = [
        str(Path(sys.executable).parent / "invoke"),
        "import",
        "--from",
        "csv",
        str(CSV),
        "--content",
        str(content),
        "--map",
        "id=Post ID,question=Parent ID,title=Subject,body=Message,date=Posted,category=Board,tags=Topics,"
        "author=Member,votes=Score,accepted=Best answer",
        "--category",
        "Anxiety & stress",
    ]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert (
        "Imported 2 questions, 2 answers, 3 people from forum-export.csv: 4 files written (0 refreshed), "
        "0 unchanged; 0 kept (edited here); 2 skipped; 2 people and 0 categories added.\n"
    ) in first.stdout
    assert "skipped: forum-export.csv: row 6: answer to unknown question 999 (skipped)" in first.stdout
    assert f"Content OK: {content} passes the checks." in first.stdout
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert again.returncode == 0 and "0 files written (0 refreshed), 4 unchanged;" in again.stdout
    bad = subprocess.run([*command[:4], str(tmp_path / "missing.csv")], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "missing.csv: no such file or folder" in bad.stderr


# -- Question2Answer ---------------------------------------------------------------------

Q2A = IMPORTS / "q2a"
FORUM = "https://forum.example.org"


def test_q2a_pages(content: Path, license_fields: None) -> None:
    report = run_import("q2a", Q2A, content)
    assert (report.questions, report.answers) == (2, 3)
    assert report.lines()[-1] == (
        "Imported 2 questions, 3 answers, 3 people from forum.example.org: 5 files written (0 refreshed), "
        "0 unchanged; 0 kept (edited here); 1 skipped; 0 people and 1 category added."
    )
    assert report.skipped == ["questions-list.html: no Question2Answer question on this page (skipped)"]
    assert (
        "racing-thoughts-at-night.html: question 2210: 'Riley' has no member link (a guest): imported as anonymous"
        in report.notes
    )
    folder = content / "questions" / "is-it-ethical-for-my-therapist-to-follow-me-on-instagram"
    meta, body = front(folder / "index.md")
    assert meta == {
        "title": "Is it ethical for my therapist to follow me on Instagram?",
        "date": dt.datetime(2023, 6, 28, 14, 5, tzinfo=dt.UTC),
        "category": "Psychotherapists",
        "tags": ["therapy", "boundaries", "social-media"],
        "votes": 12,
        "author": "jordan-lee",
        "edited": dt.datetime(2023, 6, 29, 9, 12, 44, tzinfo=dt.UTC),
        "edited_by": "jordan-lee",
        "views": 1840,
        "source": f"{FORUM}/1042/is-it-ethical-for-my-therapist-to-follow-me-on-instagram",
    }
    assert body.startswith("Last week my therapist started following my personal Instagram account.")
    answers = {p.name: front(p) for p in sorted((folder / "answers").iterdir())}
    assert sorted(answers) == ["2023-07-01-anonymous.md", "2023-07-03-sam-rivera.md", "2023-07-05-ada-moss.md"]
    accepted, text = answers["2023-07-03-sam-rivera.md"]
    assert (accepted["accepted"], accepted["votes"]) == (True, 9)
    assert accepted["source"].endswith("?show=1047#a1047")
    assert "\n\n1. **Dual relationships.** Following you" in text and "\n3. **Your comfort.**" in text
    assert [answers[n][0]["votes"] for n in ("2023-07-01-anonymous.md", "2023-07-05-ada-moss.md")] == [2, -1]
    assert "accepted" not in answers["2023-07-05-ada-moss.md"][0]
    assert answers["2023-07-01-anonymous.md"][1].endswith("which in hindsight was a mistake.\\\nTalk about it.")
    assert (
        f"[an older question here]({FORUM}/905/do-therapists-look-up-their-clients-online)"
        in (answers["2023-07-05-ada-moss.md"][1])
    )
    everything = "".join(p.read_text() for p in content.rglob("*.md"))
    assert "she unfollowed right away" not in everything  # comments are not answers
    other, body = front(content / "questions" / "how-do-i-quiet-racing-thoughts-at-bedtime" / "index.md")
    assert (other["category"], other["author"], other["tags"]) == ("Sleep & rest", "anonymous", ["sleep", "rumination"])
    assert f"![sleep chart]({FORUM}/?qa=blob&qa_blobid=88123)" in body
    assert yaml.safe_load((content / "categories.yml").read_text())["Sleep & rest"]["order"] == 3
    assert report.people_added == []  # jordan-lee, sam-rivera and ada-moss are existing members
    assert_checks_pass(content)
    assert run_import("q2a", Q2A, content).written == []


def test_q2a_members_get_points_and_profile_links(tmp_path: Path, license_fields: None) -> None:
    content = tmp_path / "content"
    report = run_import("q2a", Q2A / "therapist-follows-me.html", content)
    assert report.people_added == ["ada-moss", "jordan-lee", "sam-rivera"]
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people == {
        "ada-moss": {"name": "Ada Moss", "url": f"{FORUM}/user/Ada%20Moss", "points": 950},
        "jordan-lee": {"name": "Jordan Lee", "url": f"{FORUM}/user/jordan-lee", "points": 6500},
        "sam-rivera": {"name": "Sam Rivera", "url": f"{FORUM}/user/sam-rivera", "points": 7200},
    }
    assert_checks_pass(content)


# -- building blocks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("c#", "c-sharp"),
        ("c++", "c-plus-plus"),
        ("F#", "f-sharp"),
        (".net", "dot-net"),
        ("asp.net", "asp-net"),
        ("Social Media", "social-media"),
        ("écriture", "ecriture"),
        ("q&a", "q-and-a"),
        ("on-topic", "on-topic"),
    ],
)
def test_import_tag(raw: str, tag: str) -> None:
    assert import_tag(raw) == tag
    assert schema.to_tags([import_tag(raw)]) == [tag]


@pytest.mark.parametrize(
    ("shown", "points"),
    [("950", 950), ("6.5k", 6500), ("12k", 12000), ("1.2m", 1_200_000), ("7,250", 7250), ("(7.2k points)", 7200)],
)
def test_parse_points(shown: str, points: int) -> None:
    assert parse_points(shown) == points


def test_slugify_and_split_tags() -> None:
    assert slugify('Is the icon for this site supposed to be "art"?') == "is-the-icon-for-this-site-supposed-to-be-art"
    assert slugify("Bác sĩ Lưu Đức Chương") == "bac-si-luu-duc-chuong"
    assert len(slugify("word " * 40)) <= 80 and not slugify("word " * 40).endswith("-")
    assert split_tags("<a><b-c>") == ["a", "b-c"] and split_tags("|a|b|") == ["a", "b"]
    assert split_tags("a, b; c") == ["a", "b", "c"]


@pytest.mark.parametrize(
    "value", ["yes", "1.0", "null", "a: b", "#x", "Rand al'Thor", "Anxiety & stress", " x", "2018"]
)
def test_scalar_reads_back_as_written(value: str) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}")["key"] == value


def test_format_date() -> None:
    assert format_date(dt.datetime(2018, 2, 6, 20, 19, 50, 957000, tzinfo=dt.UTC)) == "2018-02-06T20:19:50Z"
    assert format_date(dt.datetime(2023, 3, 2, 9, 15)) == "2023-03-02T09:15:00"
    assert format_date(dt.datetime(2023, 3, 2)) == "2023-03-02"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>a <b>b</b> <i>c</i> <code>d`e</code></p>", "a **b** *c* ``d`e``"),
        ("<p>2 * 3 = [6] &lt;b&gt; snake_case _x_</p>", "2 \\* 3 = \\[6] \\<b> snake_case \\_x\\_"),
        (
            "<p># not a heading</p><p>1. not a list</p><p>- nor this</p>",
            "\\# not a heading\n\n1\\. not a list\n\n\\- nor this",
        ),
        ("<h2>Title</h2><hr><blockquote><p>q1</p><p>q2</p></blockquote>", "## Title\n\n* * *\n\n> q1\n>\n> q2"),
        ('<pre class="lang-py"><code>x = "```"\n</code></pre>', '````py\nx = "```"\n````'),
        ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"),
        ("<ul><li><p>a</p><p>more</p></li><li>c</li></ul>", "- a\n\n  more\n\n- c"),
        ('<ol start="3"><li>x</li><li>y</li></ol>', "3. x\n4. y"),
        (
            '<p><a href="/q/1">rel</a> <a href="javascript:alert(1)">js</a> <a href="https://x.org">https://x.org</a></p>',
            "[rel](https://site.example/q/1) js <https://x.org>",
        ),
        (
            '<p><a href="https://i.example/a.png"><img src="https://i.example/a.png" alt="A"></a></p>',
            "![A](https://i.example/a.png)",
        ),
        (
            '<p><a href="https://x.org/big"><img src="https://x.org/small.png" alt="chart"></a></p>',
            "[chart](https://x.org/big)",
        ),
        (
            "<table><tr><th>a</th><th>b</th></tr><tr><td>1|2</td><td>3</td></tr></table>",
            "| a | b |\n| --- | --- |\n| 1\\|2 | 3 |",
        ),
        ("<p>line<br>next<br></p><script>x()</script>", "line\\\nnext"),
        ("plain <s>old</s> text", "plain ~~old~~ text"),
    ],
)
def test_html_to_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html, "https://site.example/") == markdown


def test_license_url() -> None:
    assert license_url("CC BY-SA 3.0") == "https://creativecommons.org/licenses/by-sa/3.0/"
    assert license_url("CC BY-SA 4.0") == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert license_url("All rights reserved") is None


def test_imported_posts_show_their_attribution(site_dir: Path) -> None:
    """CC BY-SA needs the author, the source and the license next to the content: the page shows all three."""
    from bs4 import BeautifulSoup

    from qasite.build.pipeline import build, load_settings
    from qasite.importers import run_import

    run_import(
        "stackexchange",
        FIXTURES / "importers" / "stackexchange",
        site_dir / "content",
        category="Psychotherapists",
        site_url="https://conlang.meta.stackexchange.com",
    )
    output = build(settings=load_settings(site_dir / "pelicanconf.py"))
    pages = sorted((output / "questions").glob("*/index.html"))
    attributed = [BeautifulSoup(p.read_text(), "lxml").select("p.qa-source") for p in pages]
    lines = [line for found in attributed for line in found]
    assert len(lines) == 54 + 115
    line = lines[0]
    assert line.find("a", rel="license")["href"].startswith("https://creativecommons.org/licenses/by-sa/")
    assert line.find("a", href=lambda h: h and h.startswith("https://conlang.meta.stackexchange.com/"))
    assert "Originally posted" in line.get_text()
