"""Content stays in content/, output stays in the output folder, and names are safe as file names.

Links, pipes and sockets cannot be committed as fixtures: each test makes them in a copy of the
fixture site and checks the exact message the editor sees.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from conftest import ROOT
from qasite.config.problems import BuildError, Problem
from qasite.content.confine import MAX_MARKDOWN_BYTES, REMOVE_FIX, Folders, output_file, read_file
from qasite.content.fast_paths import child

QUESTION = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
ANSWER = f"{QUESTION}/answers/2023-07-03-sam-rivera.md"
SECRET = "TOP-SECRET-TEXT-FROM-OUTSIDE"


def report(*lines: str) -> str:
    count = len(lines)
    return "\n".join([*lines, f"{count} problem{'s' if count != 1 else ''} found."]) + "\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the site that must never be published."""
    path = tmp_path / "secret.md"
    path.write_text(f"---\nauthor: sam-rivera\ndate: 2023-07-03\n---\n\n{SECRET}\n")
    return path


def assert_nothing_published(site_dir: Path) -> None:
    assert not (site_dir / "output").exists()
    assert not (site_dir / "output.staging").exists()


def test_answer_symlinked_outside_is_refused(site_dir: Path, secret: Path, run_command) -> None:
    answer = site_dir / ANSWER
    answer.unlink()
    answer.symlink_to(secret)
    line = f"{ANSWER}:1: is a symbolic link (replace the link with the file itself)"
    assert run_command("check") == (1, report(line))
    code, err = run_command("build")
    assert (code, err) == (1, report(line))
    assert SECRET not in err
    assert_nothing_published(site_dir)


def test_question_folder_symlinked_outside_is_refused(site_dir: Path, tmp_path: Path, run_command) -> None:
    outside = tmp_path / "elsewhere"
    shutil.copytree(site_dir / QUESTION, outside)
    (outside / "index.md").write_text((outside / "index.md").read_text() + f"\n{SECRET}\n")
    link = site_dir / "content/questions/linked-question"
    link.symlink_to(outside, target_is_directory=True)
    line = "content/questions/linked-question:1: is a symbolic link (replace the link with the folder itself)"
    assert run_command("build") == (1, report(line))
    assert_nothing_published(site_dir)


def test_content_folder_itself_a_symlink_is_refused(site_dir: Path, tmp_path: Path, run_command) -> None:
    real = tmp_path / "real-content"
    (site_dir / "content").rename(real)
    (site_dir / "content").symlink_to(real, target_is_directory=True)
    line = "content:1: is a symbolic link (replace the link with the folder itself)"
    assert run_command("check") == (1, report(line))


def test_hard_link_is_refused(site_dir: Path, secret: Path, run_command) -> None:
    answer = site_dir / ANSWER
    answer.unlink()
    os.link(secret, answer)
    line = f"{ANSWER}:1: is a hard link (the same file has another name) (replace it with a copy)"
    assert run_command("build") == (1, report(line))
    assert_nothing_published(site_dir)


def test_pipe_and_socket_are_refused_without_hanging(
    site_dir: Path, run_command, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(site_dir / QUESTION / "answers/2023-07-09-ada-moss.md")
    monkeypatch.chdir(site_dir / "content/pages")  # a socket path must be short: bind it by a relative name
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("contact.md")
        fix = "remove it: content holds only ordinary files and folders"
        lines = [
            f"content/pages/contact.md:1: is a socket, not a file ({fix})",
            f"{QUESTION}/answers/2023-07-09-ada-moss.md:1: is a named pipe, not a file ({fix})",
        ]
        assert run_command("check") == (1, report(*lines))


def test_device_file_is_refused_when_read() -> None:
    """No device file can be made without root; /dev/null shows the check on the opened file."""
    problem = Problem("null", 1, None, "is a device file, not a file", REMOVE_FIX)
    assert read_file(Path("/dev"), Path("/dev/null"), "null", MAX_MARKDOWN_BYTES) == (None, [problem])


def test_a_scanned_childs_path_is_the_one_slash_makes(tmp_path: Path) -> None:
    """``child`` (how the scan and the load make a listed entry's path; on Python 3.11 from the folder's parts, not
    parsed) gives the path ``folder / name`` gives: equal, hashed alike, the same string, parts and parent, and its
    name interned as parsing interns it (a name the listing made anew, not a literal the compiler interned)."""
    for folder in (tmp_path, Path("/"), Path("content/questions"), Path(".")):
        for literal in ("index.md", "answers", "2023-07-03-sam-rivera.md", "Ünï code.md", ".hidden", "a..b"):
            name = "".join(list(literal))
            made, parsed = child(folder, name), folder / name
            assert made == parsed and hash(made) == hash(parsed)
            assert (str(made), made.parts, made.name, made.parent) == (str(parsed), parsed.parts, parsed.name, folder)
            assert made.parts[-1] is parsed.parts[-1]


def test_link_swapped_in_after_the_scan_is_not_followed(tmp_path: Path, secret: Path) -> None:
    """read_file opens every folder and the file with O_NOFOLLOW: a link made after the scan is refused too."""
    root = tmp_path / "content"
    (root / "questions/q").mkdir(parents=True)
    (root / "questions/q/index.md").symlink_to(secret)
    (root / "questions/linked").symlink_to(root / "questions/q", target_is_directory=True)
    expected = {
        "questions/q/index.md": "is a symbolic link",
        "questions/linked/answer.md": "is inside a folder that is now a link or a file",
    }
    for name, message in expected.items():
        raw, problems = read_file(root, root / name, name, MAX_MARKDOWN_BYTES)
        assert raw is None
        assert [p.message for p in problems] == [message]


def test_kept_folders_read_what_each_file_opened_alone_reads(tmp_path: Path, secret: Path) -> None:
    """``Folders`` keeps the folders of the last file open for its siblings: the same bytes and problems as
    ``read_file`` alone, in any order, a link swapped in between two reads refused, and every folder closed."""
    root = tmp_path / "content"
    for question in ("a", "b"):
        (root / f"questions/{question}/answers").mkdir(parents=True)
        (root / f"questions/{question}/index.md").write_text(f"question {question}")
        (root / f"questions/{question}/answers/x.md").write_text(f"answer {question}")
    (root / "questions/b/answers/link.md").symlink_to(secret)
    (root / "questions/b/answers/hard.md").hardlink_to(secret)
    names = [f"questions/{q}/{f}" for q in ("a", "b") for f in ("answers/x.md", "index.md", "answers/missing.md")]
    names += ["questions/b/answers/link.md", "questions/b/answers/hard.md", "questions/a/index.md", "pages/none.md"]
    open_before = len(os.listdir("/proc/self/fd"))
    folders = Folders()
    for name in names:
        alone = read_file(root, root / name, name, MAX_MARKDOWN_BYTES)
        assert read_file(root, root / name, name, MAX_MARKDOWN_BYTES, folders) == alone
    read_file(root, root / "questions/a/answers/x.md", "x", MAX_MARKDOWN_BYTES, folders)  # keeps questions/a/answers
    shutil.rmtree(root / "questions/b")
    (root / "questions/b").symlink_to(root / "questions/a", target_is_directory=True)
    raw, problems = read_file(root, root / "questions/b/index.md", "b", MAX_MARKDOWN_BYTES, folders)
    assert raw is None and [p.message for p in problems] == ["is inside a folder that is now a link or a file"]
    assert read_file(root, root / "questions/a/index.md", "a", MAX_MARKDOWN_BYTES, folders) == (b"question a", [])
    folders.close()
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_kept_folders_after_a_folder_refused_on_the_way(tmp_path: Path, secret: Path) -> None:
    """A file whose folder opens but whose next folder is refused (a link) leaves no folder taken for the last
    file's: a sibling of that earlier file is read from its own folder, not from the one opened meanwhile."""
    root = tmp_path / "content"
    (root / "questions/b").mkdir(parents=True)
    (root / "questions/stray.md").write_text("in questions")
    (root / "questions/b/stray.md").write_text("in questions/b")
    (root / "questions/b/answers").symlink_to(secret.parent, target_is_directory=True)
    folders = Folders()
    names = ["questions/stray.md", "questions/b/answers/x.md", "questions/stray.md", "questions/b/stray.md"]
    read = [read_file(root, root / name, name, MAX_MARKDOWN_BYTES, folders) for name in names]
    folders.close()
    assert read == [read_file(root, root / name, name, MAX_MARKDOWN_BYTES) for name in names]
    assert [raw for raw, _ in read] == [b"in questions", None, b"in questions", b"in questions/b"]


def test_theme_static_symlink_stops_the_build(site_dir: Path, secret: Path, run_command) -> None:
    theme = site_dir / "theme"
    shutil.copytree(ROOT / "theme", theme)
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text().replace(f'THEME = "{ROOT / "theme"}"', 'THEME = "theme"'))
    (theme / "static/js/extra.js").symlink_to(secret)
    line = "theme/static/js/extra.js:1: is a symbolic link (replace the link with the file itself)"
    assert run_command("build") == (1, report(line))
    assert_nothing_published(site_dir)


NAMES = {
    "reserved question folder": (
        "content/questions/con",
        "content/questions/con:1: folder name 'con' is a device name reserved by Windows "
        "(con, prn, aux, nul, com1-com9, lpt1-lpt9) (rename the folder to 'con-2')",
    ),
    "reserved upper case": (
        "content/questions/COM1",
        "content/questions/COM1:1: folder name 'COM1' is a device name reserved by Windows "
        "(con, prn, aux, nul, com1-com9, lpt1-lpt9) (rename the folder to 'com1-2')",
    ),
    "dots": (
        "content/questions/..hidden..",
        "content/questions/..hidden..:1: folder name '..hidden..' has characters other than lowercase letters, "
        "digits and single hyphens (rename the folder to 'hidden')",
    ),
    "backslash": (
        "content/questions/a\\..\\b",
        "content/questions/a\\..\\b:1: folder name 'a\\..\\b' has characters other than lowercase letters, "
        "digits and single hyphens (rename the folder to 'a-b')",
    ),
    "too long": (
        "content/questions/" + "why-" * 30 + "now",
        "content/questions/" + "why-" * 30 + "now:1: folder name '" + "why-" * 30 + "now' is 123 characters long, "
        "more than 100 (rename the folder to '" + "why-" * 24 + "why')",
    ),
    "reserved answer with extension": (
        f"{QUESTION}/answers/nul.txt.md",
        f"{QUESTION}/answers/nul.txt.md:1: answer file name 'nul.txt' is a device name reserved by Windows "
        "(con, prn, aux, nul, com1-com9, lpt1-lpt9) (rename the file to 'nul-txt.md')",
    ),
    "answer differing only by case": (
        f"{QUESTION}/answers/2023-07-03-Sam-Rivera.md",
        f"{QUESTION}/answers/2023-07-03-Sam-Rivera.md:1: answer file name '2023-07-03-Sam-Rivera' differs only by "
        "case from '2023-07-03-sam-rivera' (merge the two, or rename the file to '2023-07-03-sam-rivera-2.md')",
    ),
    "reserved page": (
        "content/pages/aux.md",
        "content/pages/aux.md:1: page file name 'aux' is a device name reserved by Windows "
        "(con, prn, aux, nul, com1-com9, lpt1-lpt9) (rename the file to 'aux-2.md')",
    ),
    "page differing only by case": (
        "content/pages/About.md",
        "content/pages/About.md:1: page file name 'About' differs only by case from 'about' "
        "(merge the two, or rename the file to 'about-2.md')",
    ),
}


@pytest.mark.parametrize("case", sorted(NAMES))
def test_unsafe_file_names_are_refused(case: str, site_dir: Path, run_command) -> None:
    """Names that no editor can commit on every system are made here, in the copy."""
    name, line = NAMES[case]
    path = site_dir / name
    if name.endswith(".md"):
        shutil.copyfile(site_dir / (ANSWER if "/answers/" in name else "content/pages/about.md"), path)
    else:
        shutil.copytree(site_dir / QUESTION, path)
    assert run_command("check") == (1, report(line))


def test_write_guard_refuses_every_path_outside_the_output(tmp_path: Path) -> None:
    """The guard every page, feed, sitemap, robots.txt and _headers write goes through (generator.py).

    Names and QA_*_URL settings are checked long before, so no real build reaches it: it is the last line.
    """
    output = tmp_path / "output"
    (output / "feeds").mkdir(parents=True)
    (output / "linked").symlink_to(tmp_path, target_is_directory=True)
    assert output_file(output, "feeds/tags/anxiety.atom.xml") == output.resolve() / "feeds/tags/anxiety.atom.xml"
    for name in ("../escaped.xml", "/tmp/escaped.xml", "feeds/../../escaped.xml", "linked/escaped.xml", "."):
        with pytest.raises(BuildError, match=r"refusing to write .* outside the output folder"):
            output_file(output, name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_write_guard_with_the_output_resolved_gives_what_realpath_gives(tmp_path: Path) -> None:
    """The generator's thousands of writes pass the output folder resolved once: only the name's parts are looked
    at then, and every name resolves (or is refused) exactly as ``os.path.realpath`` of the whole path does."""
    output = tmp_path / "output"
    (output / "questions" / "q").mkdir(parents=True)
    (output / "questions" / "q" / "index.html").write_text("x")
    (output / "inner").symlink_to(output / "questions", target_is_directory=True)  # a link that stays inside
    (output / "questions" / "out").symlink_to(tmp_path, target_is_directory=True)  # a link that leaves
    (output / "questions" / "page.html").symlink_to(tmp_path / "elsewhere.html")  # a file link that leaves
    names = ["questions/q/index.html", "questions/new/index.html", "new/deeper/x.html", "questions/q/index.html/x"]
    names += ["inner/q/index.html", "questions/out/x.html", "questions/page.html", "questions//q/index.html"]
    names += ["./questions/q.md", "questions/q/../q/index.html", "questions/../../escaped.html", "/tmp/x.html", "."]
    resolved = os.path.realpath(output)
    for name in names:
        try:
            expected: Path | str = output_file(output, name)
        except BuildError as error:
            expected = str(error)
        try:
            got: Path | str = output_file(output, name, resolved=resolved)
        except BuildError as error:
            got = str(error)
        assert got == expected, name
    assert output_file(output, "inner/q/index.html", resolved=resolved) == output.resolve() / "questions/q/index.html"
