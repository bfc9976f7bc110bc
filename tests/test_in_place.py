"""The live preview writes its incremental builds in place (qasite.build.in_place): no staging copy, no swap.

Every preview build must still equal a full build (tests/test_preview.py checks that for random edits of every
kind); here: that it is done in place (the output folder and every unchanged file keep their inode, nothing is
left beside the folder, a deleted question's folder goes), that the manifest it keeps in memory is the folder's,
and that an install failing part-way leads to a full build, not to a folder the snapshot misdescribes.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from test_incremental import (  # noqa: F401 (demo_copy: the fixture)
    SEED,
    Editor,
    demo_copy,
    differences,
    preview_conf,
    tree,
)

from qasite.build import memory, outputdir
from qasite.build.incremental import plan
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.build.writer import manifest
from qasite.tools.livereload import Preview


def search_off_preview(site: Path) -> tuple[Path, Preview]:
    conf = preview_conf(site)
    conf.write_text(conf.read_text(encoding="utf-8") + "QA_SEARCH = False\n", encoding="utf-8")
    assert run_cli("build", conf) == 0
    return conf, Preview(conf)


def inodes(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_ino for name in tree(folder)}


def kept_manifest(output: Path) -> dict[str, tuple[int, int]]:
    """The output folder's manifest as this process's last build of it keeps it."""
    (snapshot,) = [s for (_, key), s in memory.SNAPSHOTS.items() if key == str(output.resolve())]
    return snapshot.output


def test_a_preview_build_changes_only_the_files_whose_bytes_change(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    conf, preview = search_off_preview(demo_copy)
    output = demo_copy / "output"
    folder, before = output.stat().st_ino, inodes(output)
    editor = Editor(demo_copy / "content", random.Random(SEED))
    editor.answer_text()
    assert preview.rebuild() == 0
    assert kept_manifest(output) == manifest(output)
    assert output.stat().st_ino == folder  # not swapped
    beside = sorted(p.name for p in output.parent.iterdir() if p.name.startswith("output"))
    # no staging folder nor swapped-out site: the emptied staging folder's folders kept for the next build (only them)
    left = [name for name in beside if not name.startswith("output.old-")]
    assert left == ["output", "output.folders", "output.lock"]
    assert not tree(output.parent / "output.folders")
    full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full")}))
    assert differences(output, full) == []
    after = inodes(output)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed and len(changed) < len(after) / 4
    deleted = editor.questions()[0].parent
    shutil.rmtree(deleted)
    assert preview.rebuild() == 0
    assert not (output / "questions" / deleted.name).exists()  # the page and its folder
    assert kept_manifest(output) == manifest(output)
    full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full2")}))
    assert differences(output, full) == []


def test_an_install_failing_part_way_gives_a_full_build_next(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    conf, preview = search_off_preview(demo_copy)
    output = demo_copy / "output"
    editor = Editor(demo_copy / "content", random.Random(SEED))
    editor.answer_text()
    assert preview.rebuild() == 0
    editor.question_text()
    pages = sorted(output.glob("questions/*/index.html"))
    for page in pages:  # a folder by hand where the build will replace a page: os.replace fails there
        page.unlink()
        (page / "x").mkdir(parents=True)
    assert preview.rebuild() == 1
    assert not memory.SNAPSHOTS  # forgotten: the folder is not what it describes
    for page in pages:
        (page / "x").rmdir()
        page.rmdir()
    assert plan(load_settings(conf), output, None).partial is None  # the next build is a full one
    assert preview.rebuild() == 0
    full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full")}))
    assert differences(output, full) == []


def test_a_preview_build_makes_its_staging_folder_from_the_folders_the_last_one_left(
    demo_copy: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Making a folder costs ~0.5 ms of CPU on some disks (~800 for an added question's listing pages): the next
    build of this process writes into the last one's empty folders (outputdir.leave_folders); another process's are
    deleted, not used (they are not known to hold only folders)."""
    conf, preview = search_off_preview(demo_copy)
    output, folders = demo_copy / "output", demo_copy / "output.folders"
    editor = Editor(demo_copy / "content", random.Random(SEED))
    editor.answer_text()
    assert preview.rebuild() == 0
    made = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folders.rglob("*")}
    assert made and all(p.is_dir() for p in made)  # empty folders: the files were moved into the output folder
    editor.answer_text()
    assert preview.rebuild() == 0
    again = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folders.rglob("*") if p in made}
    assert {p: ino for p, (ino, _) in again.items()} == {p: ino for p, (ino, _) in made.items()}  # not made again
    assert any(again[p][1] != made[p][1] for p in again)  # written into by this build (a file in, then moved out)
    outputdir._LEFT.clear()  # as another process's
    (folders / "stray.html").write_text("not built", encoding="utf-8")
    editor.question_text()
    assert preview.rebuild() == 0
    assert not (output / "stray.html").exists()
    assert not tree(folders)
    full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full")}))
    assert differences(output, full) == []


def test_a_preview_build_follows_no_link_planted_as_the_folders_it_left(
    demo_copy: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """``output.folders`` replaced by a link to a folder elsewhere (holding a file) after this process left it: the
    next build neither writes through the link nor installs what it finds there (outputdir.take_folders)."""
    conf, preview = search_off_preview(demo_copy)
    output, folders = demo_copy / "output", demo_copy / "output.folders"
    editor = Editor(demo_copy / "content", random.Random(SEED))
    editor.answer_text()
    assert preview.rebuild() == 0
    elsewhere = tmp_path / "elsewhere"
    folders.rename(elsewhere)
    (elsewhere / "planted.html").write_text("not built", encoding="utf-8")
    folders.symlink_to(elsewhere, target_is_directory=True)
    editor.question_text()
    assert preview.rebuild() == 0
    assert tree(elsewhere) == {"planted.html"}  # nothing written there, nothing moved out of it
    assert not (output / "planted.html").exists()
    full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / "full")}))
    assert differences(output, full) == []
