"""``check`` replays its whole result while nothing it reads has changed (``content/replay.py``): the replayed report
is the cold one on every invalid and warning fixture, without reading a file; any change to the content folder — a
byte of a file with the same size and time, a file or folder added, removed or renamed, a link — runs the full check
again; what is kept describes the bytes the check read, not what is on disk after it; a damaged entry is ignored."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from test_check_without_rendering import INVALID, WARNINGS, overlay

from qasite.build.cache import Cache
from qasite.build.pipeline import load_content, load_settings
from qasite.config.clock import today
from qasite.content import replay
from qasite.content.stats import TOTAL

QUESTION = Path("content/questions/is-group-therapy-worth-it/index.md")


def checked(run_command) -> tuple[tuple[int, str], int]:
    """(exit code, report) of a check, and how many content files it read."""
    before = TOTAL.copy()
    result = run_command("check")
    return result, sum((TOTAL - before).files_read.values())


@pytest.mark.parametrize(("kind", "case"), [("invalid", c) for c in INVALID] + [("warnings", c) for c in WARNINGS])
def test_a_replayed_check_reports_what_a_cold_one_does(kind: str, case: str, site_dir: Path, run_command) -> None:
    overlay(site_dir, kind, case)
    cold, read = checked(run_command)
    assert read and cold[1]
    replayed, read = checked(run_command)
    assert replayed == cold
    if "symbolic link" not in cold[1] and "hard link" not in cold[1]:
        assert read == 0  # nothing loaded: the kept result
    else:  # a link gives no digest: the full check runs every time, and reports it
        assert read


def test_any_change_runs_the_full_check(site_dir: Path, run_command) -> None:
    clean, _ = checked(run_command)
    assert clean == (0, "")
    assert checked(run_command) == (clean, 0)
    question = site_dir / QUESTION
    text = question.read_text(encoding="utf-8")
    before = question.stat()
    question.write_text(text.replace("votes: ", "votes: x", 1).replace("\n\n", "\n", 1), encoding="utf-8")
    assert question.stat().st_size == before.st_size
    os.utime(question, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same size and time: only bytes tell
    broken, read = checked(run_command)
    assert read and broken[0] == 1 and f"{QUESTION}:" in broken[1]
    assert checked(run_command) == (broken, 0)
    question.write_text(text, encoding="utf-8")
    assert checked(run_command)[0] == clean

    stray = site_dir / "content/questions/is-group-therapy-worth-it/notes.txt"
    stray.write_text("a file the site does not use\n", encoding="utf-8")
    added, read = checked(run_command)
    assert read and "notes.txt" in added[1]
    stray.rename(stray.with_name("notes2.txt"))
    renamed, read = checked(run_command)
    assert read and "notes2.txt" in renamed[1] and "notes.txt:" not in renamed[1]
    stray.with_name("notes2.txt").unlink()
    assert checked(run_command)[0] == clean

    empty = site_dir / "content/questions/an-empty-folder"
    empty.mkdir()
    with_folder, read = checked(run_command)
    assert read and "an-empty-folder" in with_folder[1]
    empty.rmdir()
    assert checked(run_command)[0] == clean

    link = site_dir / "content/questions/is-group-therapy-worth-it/link.md"
    link.symlink_to(question)
    linked, read = checked(run_command)
    assert read and "symbolic link" in linked[1]
    assert checked(run_command)[1]  # still no replay: a link gives no digest
    link.unlink()
    assert checked(run_command) == (clean, 0)


def test_what_is_kept_is_what_the_check_read(site_dir: Path) -> None:
    settings = load_settings(site_dir / "pelicanconf.py")
    content, day = Path(settings["PATH"]), today(settings)
    loaded = load_content(settings=settings, render=False)
    read, walk = replay.of_check(content, day, loaded.site.stats), replay.on_disk(content, day)
    assert read is not None and walk is not None and read == walk.key
    question = site_dir / QUESTION
    question.write_text(question.read_text(encoding="utf-8") + "\nChanged after it was read.\n", encoding="utf-8")
    changed = replay.on_disk(content, day)
    assert changed is not None and changed.key != read  # a change while a check runs is never kept as its result
    assert replay.of_check(content, day, loaded.site.stats) == read
    assert [rel for rel, digest in changed.files.items() if walk.files[rel] != digest] == [str(QUESTION)]
    later = replay.on_disk(content, day.replace(year=day.year + 1))
    assert later is not None and later.key != changed.key


def test_files_hashed_unchanged_are_not_read_again(site_dir: Path, run_command) -> None:
    clean, _ = checked(run_command)
    settings = load_settings(site_dir / "pelicanconf.py")
    content, day = Path(settings["PATH"]), today(settings)
    walk = replay.on_disk(content, day)
    assert walk is not None
    question = site_dir / QUESTION
    question.write_text(question.read_text(encoding="utf-8").replace("votes: ", "votes: x", 1), encoding="utf-8")
    # the walk's bytes of the question are the cached ones: its cached result is used, it is not read again
    loaded = load_content(settings=settings, render=False, on_disk=walk.files)
    assert not [p for p in loaded.problems if p.is_error]
    assert replay.of_check(content, day, loaded.site.stats) == walk.key  # kept for the bytes it stands for
    broken, read = checked(run_command)  # the folder now hashes otherwise: the full check, reading the file
    assert read and broken[0] == 1 and f"{QUESTION}:" in broken[1] and clean[0] == 0


def test_a_damaged_entry_is_ignored(site_dir: Path, run_command) -> None:
    overlay(site_dir, "invalid", "broken-link")
    cold, _ = checked(run_command)
    folder = Cache.for_settings(load_settings(site_dir / "pelicanconf.py")).folder / replay.NAMESPACE
    entries = list(folder.glob("*.pickle"))
    assert len(entries) == 1
    kept = entries[0].read_bytes()
    key, problems = pickle.loads(kept)
    for damage in (b"not a pickle", kept[:50], pickle.dumps((key, ["not a problem"])), pickle.dumps([key, problems])):
        entries[0].write_bytes(damage)
        result, read = checked(run_command)
        assert result == cold and read
    entries[0].write_bytes(pickle.dumps((b"another digest", problems[:1])))
    assert checked(run_command)[0] == cold
    shutil.rmtree(folder)
    assert checked(run_command)[0] == cold
