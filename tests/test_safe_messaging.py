"""The safe-messaging lint: the shipped phrase list on the fixture site, exact warnings, the exemption
marker, the list's own validation, and that the text is never changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from lxml import html

from conftest import ROOT
from qasite.build.pipeline import run_cli

QUESTION = Path("content/questions/how-do-i-stop-worrying-at-night/index.md")
SHIPPED = ROOT / "content" / "safe-messaging.yml"
PHRASES = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
COMMIT = '(write "died by suicide": "commit" links suicide with crime or sin)'


@pytest.fixture
def site(site_dir: Path) -> Path:
    """The fixture site with the shipped phrase list."""
    shutil.copy(SHIPPED, site_dir / "content" / "safe-messaging.yml")
    return site_dir


def write_question(site: Path, body: str, title: str = "How do I stop worrying at night?") -> None:
    text = (site / QUESTION).read_text(encoding="utf-8")
    text = text.replace("title: How do I stop worrying at night?", f"title: {title}")
    (site / QUESTION).write_text(text.replace("Every night I lie awake going over the day.", body), encoding="utf-8")


def check(site: Path, capsys: pytest.CaptureFixture[str], *, strict: bool = False) -> tuple[int, str]:
    code = run_cli("check", site / "pelicanconf.py", strict=strict)
    return code, capsys.readouterr().err


def check_with_title(site: Path, capsys, body: str, title: str) -> tuple[int, str]:
    write_question(site, body, title)
    return check(site, capsys)


def test_the_shipped_list_has_the_guideline_phrases() -> None:
    assert PHRASES["committed suicide"]["instead"] == "died by suicide"
    assert PHRASES["commit suicide"]["instead"] == "die by suicide"
    assert PHRASES["successful suicide"]["instead"] == "died by suicide"
    assert PHRASES["completed suicide"]["instead"] == "died by suicide"
    assert PHRASES["failed suicide attempt"]["instead"] == "suicide attempt"
    assert PHRASES["unsuccessful suicide attempt"]["instead"] == "suicide attempt"
    assert PHRASES["suicide epidemic"]["instead"] == "rising rates of suicide"
    assert PHRASES["suicide victim"]["instead"] == "person who died by suicide"
    assert all(entry["why"] for entry in PHRASES.values())


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_each_shipped_phrase_is_flagged_with_its_alternative(phrase: str, site: Path, capsys) -> None:
    write_question(site, f"Line one.\nIt says {phrase.upper()} here.")
    entry = PHRASES[phrase]
    expected = (
        f'{QUESTION}:11: warning: safe-messaging: "{phrase.upper()}" (write "{entry["instead"]}": {entry["why"]})'
    )
    assert check(site, capsys) == (0, f"{expected}\n1 warning found.\n")


def test_exact_warnings_across_lines_hyphens_plurals_and_the_title(site: Path, capsys) -> None:
    body = "\n".join(
        [
            "My uncle committed",
            "suicide last year; the papers called him a suicide-victim.",
            "Two suicide victims, a failed suicide attempt, a Suicide Epidemic.",
            "Recommit suicides? No: 'uncommitted suicide' and 'committed suicidal' are other words.",
        ]
    )
    code, err = check_with_title(site, capsys, body, "Why do people say someone committed suicide?")
    assert code == 0
    assert err == "".join(
        [
            f'{QUESTION}:2: warning: safe-messaging: "committed suicide" {COMMIT}\n',
            f'{QUESTION}:10: warning: safe-messaging: "committed suicide" {COMMIT}\n',
            f'{QUESTION}:11: warning: safe-messaging: "suicide-victim" (write "person who died by suicide": '
            "it defines a person by how they died)\n",
            f'{QUESTION}:12: warning: safe-messaging: "Suicide Epidemic" (write "rising rates of suicide": '
            "sensational words can make suicide seem common or inevitable)\n",
            f'{QUESTION}:12: warning: safe-messaging: "failed suicide attempt" (write "suicide attempt": '
            'surviving is not a failure (or write "survived a suicide attempt"))\n',
            f'{QUESTION}:12: warning: safe-messaging: "suicide victims" (write "person who died by suicide": '
            "it defines a person by how they died)\n",
            "6 warnings found.\n",
        ]
    )


def test_publish_fails_on_a_warning_and_the_text_is_never_changed(site: Path, capsys) -> None:
    write_question(site, "My uncle committed suicide.")
    expected = f'{QUESTION}:10: warning: safe-messaging: "committed suicide" {COMMIT}\n1 warning found.\n'
    assert check(site, capsys, strict=True) == (1, expected)
    assert run_cli("build", site / "pelicanconf.py", strict=True) == 1
    capsys.readouterr()
    assert run_cli("build", site / "pelicanconf.py") == 0
    page = (site / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text(encoding="utf-8")
    assert "My uncle committed suicide." in html.fromstring(page).xpath("string(//main)")


def test_the_marker_exempts_one_line_and_is_not_shown(site: Path, capsys) -> None:
    write_question(
        site,
        'Please don\'t say "committed suicide". <!-- safe-messaging: ok -->\n'
        "He committed suicide. <!-- privacy: ok -->",
    )
    assert check(site, capsys) == (
        0,
        f'{QUESTION}:11: warning: safe-messaging: "committed suicide" {COMMIT}\n1 warning found.\n',
    )
    assert run_cli("build", site / "pelicanconf.py") == 0
    page = (site / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text(encoding="utf-8")
    assert "safe-messaging: ok" not in page
    assert "privacy: ok" not in page


def test_no_list_no_lint(site_dir: Path, capsys) -> None:
    write_question(site_dir, "My uncle committed suicide.")
    assert check(site_dir, capsys) == (0, "")


def test_the_list_is_validated(site: Path, capsys) -> None:
    (site / "content" / "safe-messaging.yml").write_text(
        "\n".join(
            [
                "committed suicide:",
                "  why: it links suicide with crime",
                "victim: person",
                '"--":',
                "  instead: x",
                "suicide epidemic:",
                "  instead: rising rates",
                "  because: sensational",
                "",
            ]
        ),
        encoding="utf-8",
    )
    write_question(site, "A suicide epidemic, they said.")
    rel = "content/safe-messaging.yml"
    assert check(site, capsys) == (
        1,
        f"{rel}:1: committed suicide.instead: required field is missing "
        "(add 'instead: \"died by suicide\"' under it)\n"
        f"{rel}:3: victim: must be a mapping with the wording to use instead "
        "(add 'instead: <better wording>' under it, indented)\n"
        f"{rel}:4: --: a phrase to avoid needs at least one word (write the words to look for)\n"
        f"{rel}:8: suicide epidemic.because: unknown field (allowed fields: instead, why)\n"
        "4 problems found.\n",
    )
