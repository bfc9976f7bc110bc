"""The live preview looks again only at the paths its file watcher reported (qasite.build.changes.scan's touched).

After every random edit, the scan from the last one and the paths the edit touched must equal a walk of the whole
folder (``changes.scan``, and the load's confined scan: ``content.rescan``); the paths are given as a watcher may
report them (a new or deleted folder by itself, without its files, or with them). The preview itself, given those
paths, must still build what a full build does, and an edit reported during a failed build must not be lost.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from test_incremental import (  # noqa: F401 (demo_copy: the fixture)
    KINDS,
    SEED,
    Editor,
    demo_copy,
    differences,
    preview_conf,
)

from qasite.build.changes import scan
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.content.confine import Tree
from qasite.content.confine import scan as confine_scan
from qasite.content.rescan import rescan
from qasite.tools.livereload import Preview


def states(folder: Path) -> dict[str, tuple[bool, int, int]]:
    """Every path under ``folder``: (a folder?, size, mtime)."""
    found = {}
    for top, folders, files in os.walk(folder):
        for name in folders + files:
            info = os.lstat(os.path.join(top, name))
            found[os.path.join(top, name)] = (name in folders, info.st_size, info.st_mtime_ns)
    return found


def touched(before: dict[str, tuple[bool, int, int]], after: dict[str, tuple[bool, int, int]]) -> set[str]:
    """The paths that changed, a folder created or removed standing for everything in it."""
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p) and not _folder_only(p, after)}
    new_or_gone = {p for p in changed if (before.get(p) or after.get(p))[0] and (p not in before or p not in after)}
    return {p for p in changed if not any(p.startswith(folder + os.sep) for folder in new_or_gone)}


def _folder_only(path: str, after: dict[str, tuple[bool, int, int]]) -> bool:
    return after.get(path, (False,))[0] and path in after  # a folder whose entries changed: not a change itself


def test_a_scan_of_the_touched_paths_equals_a_walk(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    rng = random.Random(SEED + 7)
    editor = Editor(content, rng)
    files = scan(content, {})
    order = [kind for kind in KINDS for _ in range(3)]
    rng.shuffle(order)
    for kind in order:
        before = states(content)
        getattr(editor, kind)()
        paths = touched(before, states(content))
        assert paths, kind
        files = scan(content, files, paths)
        assert files == scan(content, {}), kind


def every_path(before: dict[str, tuple[bool, int, int]], after: dict[str, tuple[bool, int, int]]) -> set[str]:
    """The paths that changed, each file in a new or removed folder reported too (as a watcher may)."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p) and not _folder_only(p, after)}


def test_the_confined_scan_of_the_touched_paths_equals_a_whole_scan(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    rng = random.Random(SEED + 9)
    editor = Editor(content, rng)
    last, _ = confine_scan(content, str, Tree(content))
    order = [kind for kind in KINDS for _ in range(3)]
    rng.shuffle(order)
    for step, kind in enumerate(order):
        before = states(content)
        getattr(editor, kind)()
        after = states(content)
        paths = touched(before, after) if step % 2 else every_path(before, after)
        result = rescan(last, str, {*paths, str(demo_copy / "pelicanconf.py")})  # outside content/: not looked at
        assert result is not None, kind
        again, problems = result
        whole, expected = confine_scan(content, str, last)
        assert (again.folders, again.files, again.refused, again.identities, again.changed, problems) == (
            whole.folders,
            whole.files,
            whole.refused,
            whole.identities,
            whole.changed,
            expected,
        ), f"step {step}: {kind}"
        last = again


def test_the_confined_rescan_leaves_to_a_whole_scan_what_it_cannot_vouch_for(demo_copy: Path) -> None:  # noqa: F811
    content = demo_copy / "content"
    last, _ = confine_scan(content, str, Tree(content))
    assert rescan(last, str, {str(content)}) is None  # the folder itself reported
    answer = next(content.glob("questions/*/answers/*.md"))
    answer.rename(answer.with_suffix(".txt"))
    answer.symlink_to(answer.with_suffix(".txt").name)
    assert rescan(last, str, {str(answer)}) is None  # a link: the whole scan words the problem
    linked, problems = confine_scan(content, str, last)
    assert linked.troubled and problems
    answer.unlink()
    answer.with_suffix(".txt").rename(answer)
    assert rescan(linked, str, {str(answer)}) is None  # the last scan found a problem: scanned whole
    assert rescan(Tree(content), str, {str(answer)}) is None  # no last scan


def test_the_preview_given_the_watchers_paths_builds_as_a_full_build(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    conf = preview_conf(demo_copy)
    conf.write_text(conf.read_text(encoding="utf-8") + "QA_SEARCH = False\n", encoding="utf-8")
    assert run_cli("build", conf) == 0
    output, content = demo_copy / "output", demo_copy / "content"
    rng = random.Random(SEED + 8)
    editor = Editor(content, rng)
    preview = Preview(conf)
    assert preview.rebuild(set()) == 0  # the first build of a preview walks content/ whatever it is told
    order = list(KINDS)
    rng.shuffle(order)
    for step, kind in enumerate(order):
        before = states(content)
        getattr(editor, kind)()
        paths = touched(before, states(content))
        if step == 3:  # a broken file reported alone fails the build; the edit before it must not be lost
            people = content / "people.yml"
            saved = people.read_bytes()
            people.write_text("- not: [a mapping\n", encoding="utf-8")
            assert preview.rebuild(paths | {str(people)}) == 1
            people.write_bytes(saved)
            paths = {str(people)}
        assert preview.rebuild(paths) == 0, kind
        full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / f"full{step}")}))
        assert differences(output, full) == [], kind
