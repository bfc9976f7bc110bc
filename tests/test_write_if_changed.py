"""Write only what changed (qasite.build.writer): a rebuild leaves unchanged output files as they were
(same inode, same mtime), changes exactly the files the site graph predicts, removes outputs of deleted
content, and never writes through a published file (a reader holding one keeps its old bytes).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from conftest import copy_site
from qasite.build.pipeline import build, load_settings
from qasite.build.writer import keep_unchanged, manifest, read_bytes, replace_file, write_new, write_page
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content.graph import TEXT, SiteGraph, affected, site_graph
from qasite.content.loader import load_site
from qasite.content.related import compute_related
from qasite.render import listings

ETHICS = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
SAM_ANSWER = f"{ETHICS}/answers/2023-07-03-sam-rivera.md"
GROUP = "content/questions/is-group-therapy-worth-it"


def identities(output: Path) -> dict[str, tuple[int, int]]:
    """Every output file's (inode, mtime in ns), by name."""
    found = {}
    for path in output.rglob("*"):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(output).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


def graph_of(settings: dict[str, Any]) -> SiteGraph:
    site, _ = load_site(Path(settings["PATH"]), timezone=settings["TIMEZONE"], urls=urls_from(settings))
    related = compute_related(site.vectors, limit=settings["QA_RELATED_COUNT"])
    return site_graph(site, urls_from(settings), per_page=settings["QA_PER_PAGE"], related=related)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_of_unchanged_content_rewrites_nothing(tmp_path: Path) -> None:
    """With the search index too: Pagefind's files are kept where its output is the same."""
    settings = load_settings(copy_site(tmp_path / "site"), {"OUTPUT_PATH": str(tmp_path / "output")})
    output = build(settings=settings)
    before = identities(output)
    assert build(settings=settings) == output
    after = identities(output)
    # Pagefind writes its filter files in hash-map order (Pagefind/pagefind#638), so those (and the files
    # naming them by hash) may differ: everything else is the very same file as before
    ours = {name for name in before if not name.startswith(Urls.pagefind)}
    assert ours == {name for name in after if not name.startswith(Urls.pagefind)}
    assert sorted(name for name in ours if after[name] != before[name]) == []
    search = {name for name in before.keys() & after.keys() if name.startswith(Urls.pagefind)}
    assert search and [name for name in search if after[name] == before[name]]  # its fragments, for one


def test_a_rebuild_changes_only_what_the_graph_predicts(tmp_path: Path) -> None:
    site = tmp_path / "site"
    settings = load_settings(copy_site(site), {"OUTPUT_PATH": str(tmp_path / "output"), "QA_SEARCH": False})
    output, graph = build(settings=settings), graph_of(settings)
    before = identities(output)
    snapshot = tmp_path / "held"  # a reader (a web server, rsync) holding every published file
    originals = {}
    for name in before:
        (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(output / name, snapshot / name)
        originals[name] = (output / name).read_bytes()
    edit(site / SAM_ANSWER, "discourage it", "advise against it")
    build(settings=settings)
    after = identities(output)
    changed = {name for name in after if after[name] != before.get(name)}
    predicted = affected(graph, graph_of(settings), SAM_ANSWER, field=TEXT)
    assert changed, "the edit should change some output"
    assert sorted(changed) == sorted(predicted)
    assert {name for name in originals if (snapshot / name).read_bytes() != originals[name]} == set()


def test_outputs_of_deleted_content_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    settings = load_settings(copy_site(site), {"OUTPUT_PATH": str(tmp_path / "output"), "QA_SEARCH": False})
    output = build(settings=settings)
    page = output / GROUP.removeprefix("content/") / "index.html"
    assert page.is_file()
    shutil.rmtree(site / GROUP)
    build(settings=settings)
    assert not page.exists()
    assert not page.parent.exists()


def test_deleting_a_question_leaves_the_listing_pages_before_its_place_as_they_were(tmp_path: Path) -> None:
    """Only a listing's first page shows its total: deleting the oldest question rewrites that page and the newest
    listing's last, and leaves every page between them as it was (with the total on every page, it rewrote them all)."""
    site = tmp_path / "site"
    overrides = {"OUTPUT_PATH": str(tmp_path / "output"), "QA_SEARCH": False, "QA_PER_PAGE": 2}
    settings = load_settings(copy_site(site), overrides)
    for day in range(1, 6):  # five older questions: 8 in all, 4 pages of 2, still 4 once the oldest is gone
        folder = site / "content" / "questions" / f"an-older-question-{day}"
        folder.mkdir()
        front = f"title: An older question number {day}?\ndate: 2020-01-0{day}\ncategory: Anxiety & stress\n"
        text = f"---\n{front}tags: [sleep]\nauthor: ada-moss\n---\n\nText {day}.\n"
        (folder / "index.md").write_text(text, encoding="utf-8")
    output = build(settings=settings)
    loaded, _ = load_site(Path(settings["PATH"]), timezone=settings["TIMEZONE"], urls=urls_from(settings))
    newest = listings.newest(loaded.questions)
    count = listings.page_count(len(newest), settings["QA_PER_PAGE"])
    pages = [listings.page_url(Urls.newest, n) + "index.html" for n in range(1, count + 1)]
    assert len(pages) == 4 and all((output / page).is_file() for page in pages)
    total = f"{len(newest)} questions</p>"
    assert total in (output / pages[0]).read_text(encoding="utf-8")
    assert all(total not in (output / page).read_text(encoding="utf-8") for page in pages[1:])
    before = identities(output)
    oldest = Path(newest[-1].source_path).parent  # content/questions/<slug>
    shutil.rmtree(site / oldest)
    build(settings=settings)
    after = identities(output)
    assert f"{len(newest) - 1} questions</p>" in (output / pages[0]).read_text(encoding="utf-8")
    assert [page for page in pages[1:-1] if after.get(page) != before[page]] == []
    assert after.get(pages[-1]) != before[pages[-1]]  # the oldest question's page: rewritten, or gone


def test_replace_file_writes_only_new_bytes_and_never_through_a_link(tmp_path: Path) -> None:
    published, staged = tmp_path / "published.html", tmp_path / "staged.html"
    published.write_bytes(b"old")
    os.link(published, staged)  # a staging folder's untouched file: a link to the published one
    assert replace_file(staged, b"old") is False
    assert staged.stat().st_ino == published.stat().st_ino
    assert replace_file(staged, b"new") is True
    assert (published.read_bytes(), staged.read_bytes()) == (b"old", b"new")
    assert replace_file(tmp_path / "a" / "b.html", b"x") is True
    assert (tmp_path / "a" / "b.html").read_bytes() == b"x"


def test_replace_file_never_writes_through_a_symbolic_link_dangling_or_not(tmp_path: Path) -> None:
    outside, staged = tmp_path / "outside.html", tmp_path / "staging" / "page.html"
    staged.parent.mkdir()
    staged.symlink_to(outside)  # dangling: a new file made through it would land outside
    assert replace_file(staged, b"new") is True
    assert not outside.exists() and not staged.is_symlink() and staged.read_bytes() == b"new"
    outside.write_bytes(b"theirs")
    staged.unlink()
    staged.symlink_to(outside)
    assert replace_file(staged, b"new") is True
    assert outside.read_bytes() == b"theirs" and not staged.is_symlink() and staged.read_bytes() == b"new"


def test_read_bytes_and_write_new_as_open_makes_and_reads_files(tmp_path: Path) -> None:
    made, opened = tmp_path / "made.bin", tmp_path / "opened.bin"
    data = bytes(range(256)) * 1000  # larger than one read
    assert write_new(made, data) is True
    opened.write_bytes(data)
    assert read_bytes(made) == data and made.stat().st_mode == opened.stat().st_mode
    assert write_new(made, b"other") is False and read_bytes(made) == data
    assert write_new(made, b"other", exclusive=False) is True and read_bytes(made) == b"other"


def test_write_page_writes_what_pelicans_writer_writes_and_refuses_a_second_write(tmp_path: Path) -> None:
    from jinja2 import Environment
    from pelican.writers import FileOverwriteFailedError, Writer

    template = Environment().from_string("{{ output_file }} {{ localsiteurl }} {{ SITENAME }} {{ title }} é\n")
    context, theirs, ours = {"SITENAME": "Q&A"}, Writer(str(tmp_path / "a"), {}), Writer(str(tmp_path / "b"), {})
    theirs.write_file("q/x/index.html", template, context, title="<t>")
    page = write_page(ours, "q/x/index.html", template, context, title="<t>")
    assert page == (tmp_path / "a" / "q/x/index.html").read_bytes() == (tmp_path / "b" / "q/x/index.html").read_bytes()
    assert page == "q/x/index.html None Q&A <t> é".encode()  # Jinja drops a template's last newline
    published = tmp_path / "published.html"  # a staging folder's page linked to the published one: not written through
    published.write_bytes(b"old")
    os.link(published, tmp_path / "b" / "linked.html")
    assert write_page(ours, "linked.html", template, context, title="new") and published.read_bytes() == b"old"
    try:
        write_page(ours, "q/x/index.html", template, context, title="again")
    except FileOverwriteFailedError as error:  # as Pelican's writer refuses a second write of one file in a build
        assert (
            str(error) == f'Failed to overwrite "{tmp_path / "b" / "q/x/index.html"}" as Pelican has already '
            "written to it previously"
        )
    else:
        raise AssertionError("a second write of one page was not refused")


def test_keep_unchanged_with_no_output_folder_yet_finds_every_file_new(tmp_path: Path) -> None:
    # a first build (no published folder) looks for no published file: the same account as beside an empty folder
    staging = tmp_path / "staging"
    for name, text in (("index.html", "home"), ("a/b/index.html", "page"), ("a/c.md", "alternate")):
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text)
    (staging / "link").symlink_to("index.html")
    first = keep_unchanged(staging, tmp_path / "output")
    (tmp_path / "empty").mkdir()
    assert first == keep_unchanged(staging, tmp_path / "empty")
    assert (first.unchanged, first.changed, sorted(first.written)) == (0, 4, sorted(manifest(staging)))
    assert first.files == manifest(staging)
