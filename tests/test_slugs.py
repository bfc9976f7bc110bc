"""One slugify: the same title gives the same folder through `invoke new-question` and every importer."""

from __future__ import annotations

import csv
import html
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, copy_repo
from qasite.content.slugs import (
    MAX_SLUG_LENGTH,
    SLUG_RE,
    category_slug,
    check_name,
    slugify,
    title_slug,
    unique_slug,
)
from qasite.importers import run_import

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
Q2A_PAGE = FIXTURES / "q2a" / "racing-thoughts-at-night.html"
Q2A_TITLE = "How do I quiet racing thoughts at bedtime?"
LONG_WORDS = "Why does overthinking everything " + "keep happening whenever I try to sleep " * 2 + "at night, again?"
AWKWARD_TITLES = {
    "Café au lait, s'il vous plaît: ça va?": "cafe-au-lait-s-il-vous-plait-ca-va",
    "Is 🎉 a good way to celebrate? 🎂": "is-a-good-way-to-celebrate",
    "\"Quoted\" and 'single' <b>bold</b> & more": "quoted-and-single-b-bold-b-and-more",
    "?!… — ¿¡ ***": "question",
    "不安と睡眠について": "bu-an-toshui-mian-nitsuite",
    "Con": "con-2",
    LONG_WORDS: ("why-does-overthinking-everything-keep-happening-whenever-i-try-to-sleep-keep"),
}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Is it OK to cry at work?", "is-it-ok-to-cry-at-work"),
        ("Medication & treatment", "medication-and-treatment"),
        ("Bác sĩ Lưu Đức Chương", "bac-si-luu-duc-chuong"),
        ("Straße, smørrebrød, łódź", "strasse-smorrebrod-lodz"),
        ("  --Already-a-slug--  ", "already-a-slug"),
        ("ada\u202eevil\u200bname", "ada-evil-name"),  # invisible format characters separate words
        ("🎉🎂", ""),
        ("", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugs_follow_the_name_rule_and_are_cut_at_a_word() -> None:
    for title in [*AWKWARD_TITLES, "x" * 200, "word " * 40, "a" * 79 + " bc"]:
        slug = title_slug(title)
        assert SLUG_RE.fullmatch(slug) and len(slug) <= MAX_SLUG_LENGTH and check_name(slug) is None, title
    assert slugify("x" * 200) == "x" * MAX_SLUG_LENGTH  # no hyphen to cut at
    assert slugify("a" * 79 + " bc") == "a" * 79
    assert slugify("word " * 40) == "-".join(["word"] * 16)
    assert slugify("word " * 40, max_length=None) == "-".join(["word"] * 40)


@given(st.text())
def test_any_text_gives_a_valid_slug_or_none(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or (SLUG_RE.fullmatch(slug) and len(slug) <= MAX_SLUG_LENGTH)
    assert check_name(title_slug(text)) is None


def test_unique_slug_and_category_slug() -> None:
    assert unique_slug("sleep", {"sleep", "sleep-2"}) == "sleep-3"
    assert unique_slug("nul") == "nul-2" and unique_slug("sleep") == "sleep"
    assert category_slug("Medication & treatment") == "medication-and-treatment"
    assert category_slug("Self-care") == "self-care"
    assert category_slug("x " * 60) == "-".join(["x"] * 60)  # not cut: the loader reports a long one


def test_awkward_titles_give_these_folders() -> None:
    assert {title: title_slug(title) for title in AWKWARD_TITLES} == AWKWARD_TITLES


def _new_question(repo: Path, title: str) -> subprocess.CompletedProcess[str]:
    args = ["new-question", title, "--category", "Anxiety", "--tags", "sleep"]
    invoke = str(ROOT / ".venv" / "bin" / "invoke")
    return subprocess.run([invoke, *args], cwd=repo, capture_output=True, text=True, check=False)


def _scaffold_folder(repo: Path, title: str) -> str:
    before = {p.name for p in (repo / "content" / "questions").iterdir()}
    result = _new_question(repo, title)
    assert result.returncode == 0, result.stderr
    (created,) = {p.name for p in (repo / "content" / "questions").iterdir()} - before
    return created


def _csv_folder(tmp: Path, title: str) -> str:
    source = tmp / "export.csv"
    with source.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "title", "body", "date", "category", "tags", "author"])
        writer.writerow(["1", title, "What helps?", "2024-01-02", "Anxiety", "sleep", "Sam Rivera"])
    columns = "id=id,title=title,body=body,date=date,category=category,tags=tags,author=author"
    return _only_folder(run_import("csv", source, tmp / "content", columns=columns), tmp / "content")


def _stackexchange_folder(tmp: Path, title: str) -> str:
    dump = tmp / "cs.meta.stackexchange.com"
    dump.mkdir()
    (dump / "Posts.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
        f'  <row Id="1" PostTypeId="1" CreationDate="2020-01-01T10:00:00.000" Score="3" OwnerUserId="5"'
        f' Body="&lt;p&gt;What helps?&lt;/p&gt;" Title="{html.escape(title)}" Tags="&lt;sleep&gt;" />\n</posts>\n',
        encoding="utf-8",
    )
    (dump / "Users.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<users>\n  <row Id="5" DisplayName="Sam Rivera" />\n</users>\n',
        encoding="utf-8",
    )
    report = run_import("stackexchange", dump, tmp / "content", category="Anxiety")
    return _only_folder(report, tmp / "content")


def _q2a_folder(tmp: Path, title: str) -> str:
    return _only_folder(run_import("q2a", _q2a_page(tmp, title), tmp / "content", category="Anxiety"), tmp / "content")


def _only_folder(report: object, content: Path) -> str:
    folders = [p.name for p in (content / "questions").iterdir()]
    assert len(folders) == 1, (folders, report)
    return folders[0]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository, for `invoke new-question`."""
    return copy_repo(tmp_path / "repo")


def test_new_question_and_every_importer_make_the_same_folder(repo: Path, tmp_path: Path) -> None:
    importers = {"csv": _csv_folder, "stackexchange": _stackexchange_folder, "q2a": _q2a_folder}
    for number, (title, slug) in enumerate(AWKWARD_TITLES.items()):
        assert _scaffold_folder(repo, title) == slug, title
        shutil.rmtree(repo / "content" / "questions" / slug)
        for name, folder_of in importers.items():
            work = tmp_path / f"{name}-{number}"
            work.mkdir()
            assert folder_of(work, title) == slug, (name, title)


def test_a_title_over_150_characters_is_refused_everywhere(repo: Path, tmp_path: Path) -> None:
    title = "Why " + "really " * 28 + "now?"
    assert len(title) > 150
    result = _new_question(repo, title)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: title: is {len(title)} characters long (shorten it to 150 characters or fewer)"
    )
    report = run_import("q2a", _q2a_page(tmp_path, title), tmp_path / "content", category="Anxiety")
    assert report.questions == 0 and f"title is {len(title)} characters long" in report.skipped[0]


def _q2a_page(tmp: Path, title: str) -> Path:
    page = tmp / "page.html"
    page.write_text(Q2A_PAGE.read_text(encoding="utf-8").replace(Q2A_TITLE, html.escape(title)), encoding="utf-8")
    return page
