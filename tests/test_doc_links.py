"""Every relative link of the manual (README.md, CONTRIBUTING.md, bench/README.md, docs/) resolves: the file it names
exists and its #anchor is a heading of that file, as GitHub makes heading ids. A section moved or renamed (the
measurement log that left docs/scaling.md for docs/scaling-history.md) must take its links along."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

MANUAL = ["README.md", "CONTRIBUTING.md", "bench/README.md", "docs/*.md"]
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^()\s]+)\)")  # [text](target), ![image](target)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")


def _unfenced(path: Path) -> list[str]:
    """The lines of ``path``, those of fenced code blocks blank (lines kept in place)."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        fence = bool(FENCE.match(line))
        fenced ^= fence
        lines.append("" if fenced or fence else line)
    return lines


def _prose(path: Path) -> str:
    """The text of ``path`` without its code: fenced blocks and code spans blanked out (lines kept in place)."""
    return CODE_SPAN.sub(lambda span: re.sub(r"[^\n]", " ", span.group()), "\n".join(_unfenced(path)))


def anchors(path: Path) -> set[str]:
    """The ids GitHub gives the headings of ``path``: lower case, links reduced to their text, every character but
    letters, digits, ``-``, ``_`` and spaces dropped, spaces made ``-``; a repeated id gets ``-1``, ``-2``..."""
    ids: set[str] = set()
    seen: dict[str, int] = {}
    for line in _unfenced(path):
        heading = HEADING.match(line)
        if heading is None:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1)).lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        ids.add(f"{slug}-{count}" if count else slug)
    return ids


def broken_links(root: Path, patterns: list[str]) -> list[str]:
    """Each relative link under ``root``'s files matching ``patterns`` whose file or #anchor is missing."""
    broken = []
    for source in sorted({path for pattern in patterns for path in root.glob(pattern)}):
        text = _prose(source)
        for link in LINK.finditer(text):  # a link's text may run over several lines
            target = link.group(1)
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            name, _, anchor = target.partition("#")
            linked = (source.parent / name).resolve() if name else source
            where = f"{source.relative_to(root)}:{text.count(chr(10), 0, link.start(1)) + 1}: {target}"
            if not linked.exists():
                broken.append(f"{where}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                broken.append(f"{where}: no heading with that id")
    return broken


def test_every_link_of_the_manual_resolves() -> None:
    assert broken_links(ROOT, MANUAL) == []


def test_a_missing_file_or_heading_is_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(
        "# A\n\n## `invoke check` (target 6)\n\n## Session 9, after the merge\n\n## Notes\n\n## Notes\n\n"
        "[ok](#invoke-check-target-6) [ok](b.md#the-design-stage-by-stage) [ok](#notes-1) [ok](b.md)\n"
        "[ok](#session-9-after-the-merge) [`code` in the text](#notes)\n"
        "[gone](c.md) [gone](b.md#the-numbers) [gone](#notes-2) ![image](missing.png)\n"
        "```\n## Fenced\n[in code](nowhere.md)\n```\n`[in a span](nowhere.md)` [site](https://example.org/x)\n"
        "[gone](#fenced) [a text over\ntwo lines](#nowhere)\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## The design, stage by stage\n", encoding="utf-8")
    assert broken_links(tmp_path, ["docs/*.md"]) == [
        "docs/a.md:13: c.md: no such file",
        "docs/a.md:13: b.md#the-numbers: no heading with that id",
        "docs/a.md:13: #notes-2: no heading with that id",
        "docs/a.md:13: missing.png: no such file",
        "docs/a.md:19: #fenced: no heading with that id",
        "docs/a.md:20: #nowhere: no heading with that id",
    ]
