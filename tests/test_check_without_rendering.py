"""`check` parses Markdown without rendering it to HTML: it must find exactly the problems a rendered load finds
(the one a build and a strict publish run), on every invalid and warning fixture and on one site holding every
kind of problem at once (schema, YAML, links, nesting, duplicates, similar tags, privacy, safe messaging)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from qasite.build.pipeline import check_content, content_problems, load_content, load_settings
from qasite.config.problems import Problem

INVALID = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
WARNINGS = sorted(p.name for p in (FIXTURES / "warnings").iterdir() if p.is_dir())
QUESTION = Path("content/questions/is-group-therapy-worth-it/index.md")
DEEP = "".join("  " * level + "- level\n" for level in range(12))
EXTRA_BODY = f"""Mail me at sam.rivera@gmail.com or call 07911 123456.

My cousin tried to commit suicide last year.

See [a missing page](/questions/no-such-question/) and
[a missing answer](/questions/how-do-i-stop-worrying-at-night/#answer-nobody).

{DEEP}"""


def overlay(site: Path, kind: str, case: str) -> None:
    shutil.copytree(FIXTURES / kind / case, site, dirs_exist_ok=True)
    (site / "expected.txt").unlink()


def both(site: Path) -> tuple[list[Problem], list[Problem]]:
    """The problems ``check`` reports (parsed only) and those of a rendered load (build, strict publish)."""
    settings = load_settings(site / "pelicanconf.py")
    rendered = load_content(settings=settings)
    assert sum(rendered.site.stats.renders.values()) and not rendered.site.stats.parses
    return check_content(settings=settings), content_problems(rendered, settings=settings)


@pytest.mark.parametrize(("kind", "case"), [("invalid", c) for c in INVALID] + [("warnings", c) for c in WARNINGS])
def test_check_finds_what_a_rendered_load_finds(kind: str, case: str, site_dir: Path) -> None:
    overlay(site_dir, kind, case)
    checked, rendered = both(site_dir)
    assert checked
    assert checked == rendered


def test_every_kind_of_problem_at_once(site_dir: Path) -> None:
    shutil.copy(ROOT / "content" / "safe-messaging.yml", site_dir / "content" / "safe-messaging.yml")
    for case in INVALID:  # each case's new question in a folder of its own, so that none hides another
        for path in sorted((FIXTURES / "invalid" / case).rglob("*")):
            rel = path.relative_to(FIXTURES / "invalid" / case)
            target = site_dir / Path(*[f"new-{case}" if part == "new-question" else part for part in rel.parts])
            if path.is_file() and path.name != "expected.txt":
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    for case in WARNINGS:
        overlay(site_dir, "warnings", case)
    question = site_dir / QUESTION
    question.write_text(question.read_text(encoding="utf-8") + "\n" + EXTRA_BODY, encoding="utf-8")
    checked, rendered = both(site_dir)
    assert checked == rendered
    messages = "\n".join(p.message for p in checked)
    for kind in (
        "nested too deeply",
        "points at a page the site does not have",
        "that question has no answer",
        "possible duplicate",
        "looks like the tag",
        "e-mail address",
        "commit",
        "phone number",
        "UTF-8",
        "unknown",
        "YAML",
    ):
        assert kind in messages, kind
    assert len(checked) > len(INVALID)


@pytest.mark.parametrize("case", ["broken-link", "bad-yaml", "unknown-author", "two-accepted"])
def test_check_and_build_print_the_same_report(case: str, site_dir: Path, run_command) -> None:
    overlay(site_dir, "invalid", case)
    checked = run_command("check")
    assert checked[0] == 1
    assert run_command("build") == checked


def test_an_answers_links_are_relative_to_its_questions_page(site_dir: Path, run_command) -> None:
    """An answer's relative links resolve from its question's page (the load passes the question folder's name down
    to each answer): one to a sibling answer ('./#answer-<id>') is fine, one to an answer the question lacks is
    reported, in ``check`` and in the build."""
    folder = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
    answer = site_dir / folder / "answers/2023-07-03-sam-rivera.md"
    text = answer.read_text(encoding="utf-8")
    links = "See [Jordan's answer](./#answer-2023-07-02-jordan-lee) and [nobody's](./#answer-2023-07-09-nobody).\n\n"
    answer.write_text(text.replace("# Privacy\n", f"# Privacy\n\n{links}"), encoding="utf-8")
    line = text.splitlines().index("# Privacy") + 3
    for command in ("check", "build"):
        code, err = run_command(command)
        broken = [row for row in err.splitlines() if "2023-07-03-sam-rivera.md" in row]
        assert code == 1
        assert broken == [
            f"{folder}/answers/2023-07-03-sam-rivera.md:{line}: link to ./#answer-2023-07-09-nobody: that question"
            " has no answer '2023-07-09-nobody' (fix the address, or remove the link)"
        ]
