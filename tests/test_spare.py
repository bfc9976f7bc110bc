"""The site a swap replaced, kept as the next incremental build's staging folder (build/spare.py).

After seeded random edits of every kind, each incremental build made from the spare equals a full build of the same
content, never writes through a published file, and keeps the unchanged files' inodes; a spare that changed since, or
a build killed while updating it, gives the link farm instead and still a full build's bytes.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from pathlib import Path

import pytest
from test_faults import drive
from test_incremental import KINDS, SEED, Editor, differences, settings_for, tree

from conftest import ROOT
from qasite.build.pipeline import build


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def spare_of(output: Path) -> Path:
    return output.with_name(output.name + ".spare")


def files(*folders: Path) -> dict[int, bytes]:
    """Every file under ``folders`` by inode: its bytes."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                found[path.stat().st_ino] = hashlib.sha256(path.read_bytes()).digest()
    return found


def empty_folders(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir() and not any(p.iterdir()))


def test_random_edits_built_from_the_spare_equal_full_builds(demo_copy: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED + 5)
    editor = Editor(demo_copy / "content", rng)
    output = tmp_path / "output"
    build(settings=settings_for(demo_copy, output))
    assert not spare_of(output).exists()  # a first build replaces no site
    build(settings=settings_for(demo_copy, output))
    order = [kind for kind in KINDS for _ in range(2)]
    rng.shuffle(order)
    for step, kind in enumerate(order):
        getattr(editor, kind)()
        folder = spare_of(output).stat().st_ino
        published = files(output)
        inodes = {name: (output / name).stat().st_ino for name in tree(output)}
        build(settings=settings_for(demo_copy, output))
        assert output.stat().st_ino == folder, f"edit {step} ({kind}): the spare was not the staging folder"
        full = build(settings=settings_for(demo_copy, tmp_path / f"full{step}"))
        assert differences(output, full) == [], f"edit {step}: {kind}"
        assert empty_folders(output) == empty_folders(full) == []
        # nothing published was written through: every file of the last site, wherever it is now, kept its bytes
        now = files(output, spare_of(output))
        assert {inode: now[inode] for inode in published.keys() & now.keys()} == {
            inode: published[inode] for inode in published.keys() & now.keys()
        }, f"edit {step} ({kind}): a published file was written through"
        kept = {n for n in tree(output) if inodes.get(n) == (output / n).stat().st_ino}
        assert len(kept) > len(inodes) / 2, f"edit {step} ({kind}): unchanged files not kept"
        shutil.rmtree(full)


def test_a_spare_changed_since_is_not_used(demo_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    for _ in range(2):
        build(settings=settings_for(demo_copy, output))
    spare = spare_of(output)
    (spare / "stray.html").write_text("not the site")  # its listing, so its ctime, changed
    folder = spare.stat().st_ino
    Editor(demo_copy / "content", random.Random(SEED)).answer_text()
    build(settings=settings_for(demo_copy, output))
    assert output.stat().st_ino != folder
    assert not (output / "stray.html").exists()
    full = build(settings=settings_for(demo_copy, tmp_path / "full"))
    assert differences(output, full) == []


def test_a_build_killed_while_updating_the_spare_leaves_the_site_and_the_next_one_repairs(site_dir: Path) -> None:
    cache = str(site_dir / "kept-cache")
    question = site_dir / "content/questions/how-do-i-stop-worrying-at-night/index.md"
    for _ in range(2):
        assert drive(site_dir, cache=cache).returncode == 0
    assert spare_of(site_dir / "output").is_dir()
    before = files(site_dir / "output")
    question.write_text(question.read_text().replace("How do I stop worrying at night?", "Worrying at night?"))
    killed = drive(site_dir, cache=cache, kill="spare", nth=3)
    assert killed.stderr == "KILL spare\n"
    assert (site_dir / "output.staging").is_dir() and not spare_of(site_dir / "output").exists()  # it was taken
    assert files(site_dir / "output") == before  # untouched: the spare was being made the staging folder
    assert drive(site_dir, cache=cache).returncode == 0  # the leftover staging folder discarded, a new link farm
    assert (
        "Worrying at night?" in (site_dir / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text()
    )
    assert drive(site_dir, cache=cache).returncode == 0
    full = site_dir.parent / "full"
    os.rename(site_dir / "output", full)
    assert drive(site_dir).returncode == 0  # a cache of its own: a full build
    # Pagefind's bundle is re-indexed from whole pages, a full build's from their indexed part: its filter and
    # metadata files differ as on main (tests/test_incremental.py compares the fragments likewise)
    found = [name for name in differences(full, site_dir / "output") if not name.startswith("pagefind/")]
    assert found == []
    fragments = {n for n in tree(full) if n.startswith("pagefind/fragment/")}
    assert fragments and fragments == {n for n in tree(site_dir / "output") if n.startswith("pagefind/fragment/")}
