"""`invoke import --from q2a-db`: Question2Answer database dumps (tests/q2a_dump.py writes them) into content/.

Both dump flavours (mysqldump: one file, qa_ prefix; phpMyAdmin: gzip'd per-table files, forum_ prefix),
UTF-16 and gzip'd files import to the same content, which passes the checks and builds; nothing private in
the dump (e-mails, IPs, cookie ids, password fields) reaches content/ or the output.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from q2a_dump import COOKIES, EMAILS, IPS, SECRETS, forum, write_mysqldump, write_phpmyadmin

from conftest import FIXTURES, ROOT
from qasite.build import progress
from qasite.build.pipeline import build, load_settings
from qasite.content.frontmatter import split
from qasite.content.loader import load_site
from qasite.importers import ImporterError, run_import
from qasite.importers.options import Options
from qasite.importers.people import People
from qasite.importers.q2a_db import read_database
from qasite.importers.q2a_tables import question_slug

SITE = "https://forum.example.org"
Q1 = f"{SITE}/1/is-this-a-panic-attack"
SUMMARY = (
    "Imported 3 questions, 5 answers, 5 people from forum.example.org: 8 files written (0 refreshed), 0 unchanged; "
    "0 kept (edited here); 2 skipped; 5 people and 1 category added."
)


def report_lines(table: str) -> list[str]:
    """What the import of forum() prints, for its posts table ``table``."""
    return [
        f"skipped: {table}: post 8: answer to question 7, which is not imported (Q_QUEUED) (skipped)",
        f"skipped: {table}: post 14: unknown post type 'POLL' (Question2Answer has Q, A, C and NOTE, "
        "and _HIDDEN and _QUEUED) (skipped)",
        f"note: {table}: 1 post(s) by guests (a name, no member account) imported as anonymous",
        f"note: {table}: 1 question(s) in a sub-category filed under its top category "
        "(subcategories: own in the mapping file keeps them)",
        f"note: {table}: 1 question(s) without tags tagged with their category "
        "(give others with 'default_tags:' in the mapping file)",
        f"note: {table}: 4 text(s) double-encoded (UTF-8 read as latin1: 'CafÃ©') repaired",
        f"note: {table}: not imported: 1 hidden answer (A_HIDDEN), 1 comment (C), 1 comment awaiting approval "
        "(C_QUEUED), 1 note (NOTE), 1 question awaiting approval (Q_QUEUED)",
        f"note: {table}: post 15: left out a script (<script>)",  # the converter's notes are reported
        SUMMARY,
    ]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the small valid fixture site's content folder."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", target)
    return target


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    """forum() as mysqldump writes it."""
    path = tmp_path / "dumps" / "forum.sql"
    path.parent.mkdir()
    write_mysqldump(path, forum())
    return path


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def front(path: Path) -> tuple[dict, str]:
    source, problems = split(path.read_text(encoding="utf-8"), path.name)
    assert source is not None and not problems
    return source.meta.data, source.body


# -- what is imported ---------------------------------------------------------------------------------


def test_mysqldump_imports_questions_answers_people_and_categories(content: Path, dump: Path) -> None:
    report = run_import("q2a-db", dump, content)
    assert report.lines() == report_lines("qa_posts")
    question = content / "questions" / "is-this-a-panic-attack"
    meta, body = front(question / "index.md")
    assert meta == {
        "title": "Is this a panic attack?",
        "date": dt.datetime(2019, 3, 4, 10, 22, 1),
        "category": "Anxiety & stress",
        "tags": ["anxiety", "panic-attacks"],
        "votes": 5,
        "author": "jordan-lee-1",  # jordan-lee is someone else in people.yml
        "edited": dt.datetime(2019, 3, 5, 8, 0),
        "edited_by": "anamuller",
        "views": 120,
        "source": Q1,
    }
    assert "[this question](https://forum.example.org/45/other-question)" in body
    assert "C:\\\\Users\\\\me\\\\notes.txt didn't help." in body and "- 5 \\* 3 = 15 thoughts" in body
    accepted, _ = front(question / "answers" / "2019-03-04-anamuller.md")
    assert accepted["accepted"] is True and accepted["source"] == f"{Q1}?show=2#a2" and accepted["votes"] == 3
    guest, text = front(question / "answers" / "2019-03-04-anonymous.md")
    assert guest["author"] == "anonymous" and "accepted" not in guest and guest["votes"] == -1
    assert text == "Same here.\\\nIt gets \\*really\\* bad at 3am.\n\n1\\. breathe\\\n\\# not a heading Tab."
    cafe, cafe_body = front(content / "questions" / "cafe-au-lait-keeps-me-awake" / "index.md")
    assert (cafe["title"], cafe["category"], cafe_body) == (
        "Café au lait keeps me awake?",
        "Sleep",
        "Even one café crème gives me déjà vu at 2am.",
    )
    waking, _ = front(content / "questions" / "waking-at-4am-every-night" / "index.md")
    assert (waking["category"], waking["tags"], "edited" not in waking) == ("Sleep", ["sleep"], True)
    people = yaml.safe_load((content / "people.yml").read_text())
    assert people["anamuller"] == {"name": "AnaMüller", "url": f"{SITE}/user/AnaM%C3%BCller", "points": 7300}
    assert people["renee"] == {"name": "Renée", "url": f"{SITE}/user/Ren%C3%A9e", "points": 12}
    assert people["nopoints"] == {"name": "nopoints", "url": f"{SITE}/user/nopoints"}
    categories = yaml.safe_load((content / "categories.yml").read_text())
    assert categories["Sleep"] == {"description": "Sleep problems, nightmares and rest.", "order": 3}
    assert "Insomnia" not in categories and "Unused" not in categories


def test_every_flavour_imports_the_same_content(tmp_path: Path, dump: Path) -> None:
    tables = forum()
    flavours = {"mysqldump": dump}
    flavours["phpmyadmin"] = tmp_path / "phpmyadmin"
    write_phpmyadmin(flavours["phpmyadmin"], tables, prefix="forum_")
    hex_dump = write_mysqldump(tmp_path / "hex.sql", tables, hex_blob=True, rows_per_insert=2)
    flavours["utf-16"] = tmp_path / "utf16.sql"
    flavours["utf-16"].write_bytes(hex_dump.decode("utf-8").encode("utf-16"))  # with a BOM, as PowerShell writes
    flavours["gzip"] = tmp_path / "forum.sql.gz"
    flavours["gzip"].write_bytes(gzip.compress(dump.read_bytes()))
    results = {}
    for name, path in flavours.items():
        target = tmp_path / name / "content"
        shutil.copytree(FIXTURES / "site" / "content", target)
        report = run_import("q2a-db", path, target)
        assert report.lines()[-1] == SUMMARY, name
        results[name] = snapshot(target)
    assert report.lines() == report_lines("qa_posts")  # gzip: the same report
    assert all(files == results["mysqldump"] for files in results.values())


def test_subcategories_own_and_site_url_option(content: Path, dump: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("subcategories: own\n")
    report = run_import("q2a-db", dump, content, mapping=mapping, site_url="https://old.example.net/")
    assert not any("sub-category" in line for line in report.notes)
    meta, _ = front(content / "questions" / "waking-at-4am-every-night" / "index.md")
    assert meta["category"] == "Insomnia" and meta["source"] == "https://old.example.net/5/waking-at-4am-every-night"
    categories = yaml.safe_load((content / "categories.yml").read_text())
    assert categories["Insomnia"]["description"] == "Questions imported from old.example.net."
    assert list(categories)[-2:] == ["Sleep", "Insomnia"]  # Q2A's order: Sleep (2), then Insomnia (2.1)
    tables = forum()  # two sub-categories called "Other": named after their top categories
    extra = [(5, 1, "Other", "other"), (6, 2, "Other", "other")]
    tables["categories"] += [
        dict(tables["categories"][2], categoryid=n, parentid=p, title=t, tags=g) for n, p, t, g in extra
    ]
    tables["posts"][0]["categoryid"], tables["posts"][8]["categoryid"] = 5, 6
    run_import(
        "q2a-db",
        write_dump(tmp_path / "other.sql", tables),
        content,
        mapping=mapping,
        site_url="https://old.example.net",
        force=True,
    )
    assert (
        front(content / "questions" / "is-this-a-panic-attack" / "index.md")[0]["category"]
        == "Anxiety & stress / Other"
    )
    assert front(content / "questions" / "cafe-au-lait-keeps-me-awake" / "index.md")[0]["category"] == "Sleep / Other"
    mapping.write_text("subcategories: mine\n")
    with pytest.raises(ImporterError, match=r"^subcategories: 'mine' must be top or own$"):
        run_import("q2a-db", dump, content, mapping=mapping)


# -- the site's rules: checks, build, privacy, running again ------------------------------------------------


def test_imported_content_passes_checks_builds_and_publishes_nothing_private(site_dir: Path, dump: Path) -> None:
    run_import("q2a-db", dump, site_dir / "content")
    _, problems = load_site(site_dir / "content")
    assert [str(p) for p in problems] == []
    output = build(settings=load_settings(site_dir / "pelicanconf.py"))
    page = (output / "questions" / "is-this-a-panic-attack" / "index.html").read_text()
    assert "Is this a panic attack?" in page and f'href="{Q1}"' in page
    cafe = BeautifulSoup((output / "questions" / "cafe-au-lait-keeps-me-awake" / "index.html").read_text(), "lxml")
    assert "Hostile" in cafe.get_text() and "alert(1)" not in str(cafe)  # the forum's script is not carried over
    assert not cafe.select("[onerror]") and not cafe.select('a[href^="javascript:"]')
    private = [*EMAILS, *IPS, *(str(c) for c in COOKIES), *SECRETS, "ab12cd34", "zz99yy88", "Worried guest"]
    for folder in (site_dir / "content", output):
        for path in (p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found = [value for value in private if value.encode() in data]
            assert found == [], f"{path}: {found}"


def test_running_again_writes_nothing_and_keeps_edits_unless_forced(content: Path, dump: Path) -> None:
    first = run_import("q2a-db", dump, content)
    before = snapshot(content)
    again = run_import("q2a-db", dump, content)
    assert (again.written, len(again.unchanged), again.people_added) == ([], len(first.written), [])
    assert snapshot(content) == before
    edited = content / "questions" / "is-this-a-panic-attack" / "index.md"
    edited.write_text(edited.read_text().replace("races", "pounds"))
    kept = run_import("q2a-db", dump, content)
    rel = "content/questions/is-this-a-panic-attack/index.md"
    assert kept.kept == [f"{rel}: edited here since the last import; use --force to overwrite it"]
    assert "pounds" in edited.read_text()
    forced = run_import("q2a-db", dump, content, force=True)
    assert forced.written == [rel] and "races" in edited.read_text()


def test_invoke_import_prints_one_summary_line(content: Path, dump: Path) -> None:
    command = [str(Path(sys.executable).parent / "invoke"), "import", "--from", "q2a-db", str(dump)]
    done = subprocess.run([*command, "--content", str(content)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == [SUMMARY, f"Content OK: {content} passes the checks."]


def test_large_dumps_show_progress(dump: Path) -> None:
    stream = io.StringIO()
    with progress.shown(stream, delay=0, terminal=False):
        read_database(dump, Options(), People({}))
    assert re.fullmatch(r"reading: 0 MB in \d+\.\d s\nconverting: 15 posts in \d+\.\d s\n", stream.getvalue())


# -- dumps that cannot be read -----------------------------------------------------------------------------


def errors(path: Path, content: Path) -> str:
    with pytest.raises(ImporterError) as caught:
        run_import("q2a-db", path, content)
    return str(caught.value)


def test_a_truncated_dump_says_where_and_why(content: Path, dump: Path) -> None:
    data = dump.read_bytes()
    cut = data.index(b"<p>Since the move") + 10
    line = data[:cut].count(b"\n") + 1
    dump.write_bytes(data[:cut])
    message = f"{dump}:{line}: unterminated string in INSERT INTO qa_posts (is the file complete?)"
    assert (line, errors(dump, content)) == (164, message)
    dump.write_bytes(data[: data.index(b"INSERT INTO `qa_posts`") + 40])
    assert (
        errors(dump, content) == f"{dump}:{line}: INSERT INTO qa_posts ends before its last row (is the file complete?)"
    )
    packed = dump.with_suffix(".sql.gz")
    packed.write_bytes(gzip.compress(data)[:-100])
    assert errors(packed, content) == f"{packed}: the compressed file ends early (is the file complete?)"
    assert snapshot(content) == snapshot(FIXTURES / "site" / "content")  # nothing written


def test_a_dump_that_is_not_question2answer(content: Path, tmp_path: Path) -> None:
    wordpress = tmp_path / "wordpress.sql"
    wordpress.write_text(
        "CREATE TABLE `wp_posts` (\n  `ID` bigint unsigned NOT NULL,\n  `post_title` text NOT NULL,\n"
        "  PRIMARY KEY (`ID`)\n);\nINSERT INTO `wp_posts` VALUES (1,'Hello world!');\n"
        "CREATE TABLE `wp_users` (`ID` bigint, `user_login` varchar(60));\n"
    )
    assert errors(wordpress, content) == (
        f"{wordpress}: not a Question2Answer dump: no posts table (like qa_posts) with postid, type and created "
        "columns (tables found: wp_posts, wp_users)"
    )
    (tmp_path / "empty").mkdir()
    assert errors(tmp_path / "empty", content) == (
        f"{tmp_path / 'empty'}: no .sql or .sql.gz files here (give a dump file or a folder of them)"
    )


def test_a_dump_without_the_forum_address_asks_for_it(content: Path, tmp_path: Path) -> None:
    tables = forum()
    tables["options"] = [row for row in tables["options"] if row["title"] != "site_url"]
    path = write_dump(tmp_path / "forum.sql", tables)
    assert errors(path, content) == (
        "the dump does not say the forum's address (qa_options has no site_url): give it with --site-url, "
        "like --site-url https://forum.example.org (needed for each post's source link)"
    )
    assert run_import("q2a-db", path, content, site_url=SITE).lines()[-1] == SUMMARY


def test_data_without_column_names_needs_the_table_structure(content: Path, tmp_path: Path) -> None:
    path = tmp_path / "data-only.sql"
    path.write_text("-- data only\nINSERT INTO `qa_posts` VALUES (1,'Q');\n")
    assert errors(path, content) == (
        f"{path}:2: INSERT INTO qa_posts has no column names and no CREATE TABLE qa_posts came before it "
        "(export the table's structure too, or with column names)"
    )


def write_dump(path: Path, tables: dict) -> Path:
    write_mysqldump(path, tables)
    return path


odd_values = st.one_of(st.none(), st.integers(-(2**40), 2**40), st.text(max_size=30), st.binary(max_size=8))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=25)
@given(data=st.data())
def test_odd_values_in_any_column_give_a_batch_or_a_message(tmp_path: Path, data: st.DataObject) -> None:
    """A dump whose rows hold unexpected values (a damaged or unusual install): reported, never a traceback."""
    tables = forum()
    for _ in range(data.draw(st.integers(1, 6))):
        table = data.draw(st.sampled_from(["posts", "users", "categories", "userpoints", "options"]))
        row = data.draw(st.sampled_from(tables[table]))
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(odd_values)
    path = tmp_path / "odd.sql"
    write_mysqldump(path, tables)
    content = Path(tempfile.mkdtemp(dir=tmp_path)) / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    try:
        run_import("q2a-db", path, content, site_url=SITE)
    except ImporterError as err:
        assert str(err) and snapshot(content) == snapshot(FIXTURES / "site" / "content")
    else:  # what was written passes the checks
        _, problems = load_site(content)
        assert [str(p) for p in problems if p.is_error] == []


def test_a_forum_without_categories_or_tags(content: Path, tmp_path: Path) -> None:
    tables = forum()
    for row in tables["posts"]:
        row["categoryid"] = row["tags"] = None
    report = run_import("q2a-db", write_dump(tmp_path / "forum.sql", tables), content)
    assert "note: qa_posts: 3 question(s) without a category filed under 'Calm Minds', the forum's name " in "\n".join(
        report.lines()
    )
    assert (
        "note: qa_posts: 3 question(s) without tags tagged with their category "
        "(give others with 'default_tags:' in the mapping file)"
    ) in report.lines()
    meta, _ = front(content / "questions" / "is-this-a-panic-attack" / "index.md")
    assert (meta["category"], meta["tags"]) == ("Calm Minds", ["calm-minds"])
    assert yaml.safe_load((content / "categories.yml").read_text())["Calm Minds"] == {
        "description": "Questions imported from forum.example.org.",
        "order": 3,
    }


def test_the_forum_is_found_among_other_tables(content: Path, tmp_path: Path) -> None:
    """A plugin's table ending in 'posts' beside the forum's is not a second forum; two forums are asked about."""
    path = write_dump(tmp_path / "forum.sql", forum())
    plugin = "CREATE TABLE `qa_blogposts` (`postid` int, `type` char(1), `created` datetime);\n"
    with path.open("a") as dump:
        dump.write(plugin + "INSERT INTO `qa_blogposts` VALUES (1,'B','2020-01-01 00:00:00');\n")
    assert run_import("q2a-db", path, content).lines()[-1] == SUMMARY
    with path.open("a") as dump:
        dump.write("CREATE TABLE `old_posts` (`postid` int, `type` char(1), `created` datetime);\n")
        dump.write("CREATE TABLE `old_options` (`title` varchar(40), `content` text);\n")
    assert errors(path, content) == (
        f"{path}: the dump holds several Question2Answer forums (old_posts, qa_posts): export the tables of one of them"
    )


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Is this a panic attack?", "is-this-a-panic-attack"),
        ("Café au lait keeps me awake?", "caf%C3%A9-au-lait-keeps-me-awake"),  # Q2A keeps accents by default
        ("What's a 'safe' dose?", "whats-a-safe-dose"),
        (
            "How do I stop worrying about everything that could possibly happen at night-time?",
            "stop-worrying-about-everything-could-possibly-happen-night",  # past 50 letters: the longest words
        ),
    ],
)
def test_source_addresses_are_the_forums(title: str, slug: str) -> None:
    """Q2A's own address of a question, so that a question imported from its saved page is found again."""
    assert question_slug(title) == slug


def test_a_question_imported_from_its_saved_page_is_found_again(content: Path, tmp_path: Path) -> None:
    run_import("q2a", FIXTURES / "importers" / "q2a" / "racing-thoughts-at-night.html", content)
    tables = forum()
    title = "How do I quiet racing thoughts at bedtime?"
    tables["posts"] = [dict(tables["posts"][0], postid=2210, selchildid=None, title=title)]
    report = run_import("q2a-db", write_dump(tmp_path / "forum.sql", tables), content)
    rel = "content/questions/how-do-i-quiet-racing-thoughts-at-bedtime/index.md"
    assert (report.kept, report.refreshed) == ([], [rel])  # nobody edited it here: the newer source refreshes it
    folders = sorted(p.name for p in (content / "questions").iterdir() if p.name.startswith("how-do-i-quiet"))
    assert folders == ["how-do-i-quiet-racing-thoughts-at-bedtime"]  # the same folder, not a second one


def test_a_folder_with_two_dumps_of_one_forum(content: Path, dump: Path, tmp_path: Path) -> None:
    shutil.copy(dump, dump.parent / "forum-again.sql")
    report = run_import("q2a-db", dump.parent, content)
    assert "note: qa_posts: 15 post row(s) read twice (the same postid): the last one kept" in report.lines()
    assert report.lines()[-1] == SUMMARY


def test_a_post_whose_postid_is_not_a_number_is_left_out_with_the_reason(tmp_path: Path, content: Path) -> None:
    tables = forum()
    first = next(row for row in tables["posts"] if row["postid"] == 1)  # "Is this a panic attack?" and its answers
    first["postid"] = "1\x1f"  # a damaged dump: its address would hold a control character
    path = tmp_path / "odd.sql"
    write_mysqldump(path, tables)
    report = run_import("q2a-db", path, content, site_url=SITE)
    assert "skipped: qa_posts: post '1\\x1f': its postid is not a number: left out (skipped)" in report.lines()
    assert not (content / "questions" / "is-this-a-panic-attack").exists()
    _, problems = load_site(content)
    assert [str(p) for p in problems if p.is_error] == []
