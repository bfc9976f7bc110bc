"""``Prepared.wire`` / ``from_wire``: the compact form ``check``'s workers send back and the cache keeps gives the
load everything it reads of a prepared file (problems, the front matter's keys and lines, body, field check, parse).

Every Markdown file of the demo content and of the test fixtures (invalid and hostile ones included) is prepared,
packed as a worker packs it, unpacked as the main process does, and compared field by field with the original."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import ROOT
from qasite.content.prepare import Prepared, kind_of_rel, prepare
from qasite.content.prepare_cache import packed, results_of, unpacked

FOLDERS = [ROOT / "content", *sorted(p.parent for p in (ROOT / "tests" / "fixtures").rglob("content/questions"))]


def markdown_files() -> list[tuple[Path, str, str]]:
    """(path, rel, kind) of every Markdown file a load prepares, in the demo and fixture content folders."""
    found = []
    for content in FOLDERS:
        for path in sorted(content.rglob("*.md")):
            rel = "content/" + path.relative_to(content).as_posix()
            kind = kind_of_rel(rel)
            if kind is not None:
                found.append((path, rel, kind))
    return found


def seen_by_the_load(result: Prepared) -> tuple[object, ...]:
    """What ``read``, ``posts`` and ``bodies`` read of a prepared file."""
    source = result.source
    if source is None:
        return (result.problems,)
    meta = source.meta
    lines = {key: meta.line(*key) for key in meta.lines} | {(key,): meta.line(key) for key in meta.data}
    shape = (list(meta.data), lines, meta.start_line, meta.line("no such key"))
    return result.problems, shape, source.body, source.body_line, source.checked, source.parsed


FILES = markdown_files()
DEEP = "content/questions/deep/answers/2024-01-01-sam.md"  # nested too deeply: ``too_deep`` set


def test_fixtures_are_many_and_of_every_kind() -> None:
    assert len(FILES) > 100 and {kind for *_, kind in FILES} == {"question", "answer", "page"}
    results = [prepare(path.read_bytes(), rel, kind) for path, rel, kind in FILES]
    assert any(r.source is None for r in results) and any(r.source and r.source.parsed.links for r in results)


@pytest.mark.parametrize("parse", [True, False])
def test_packed_and_unpacked_gives_what_the_load_reads(parse: bool) -> None:
    results = {rel: (bytes(32), prepare(path.read_bytes(), rel, kind, parse)) for path, rel, kind in FILES}
    results[DEEP] = (bytes(32), prepare(b"---\nauthor: sam\n---\n\nText.\n\n" + b"> " * 40 + b"deep\n", DEEP, "answer"))
    assert results[DEEP][1].source.parsed.too_deep == 2  # type: ignore[union-attr]
    data = packed(results)
    for back in (unpacked(pickle.loads(data), Prepared), results_of(data, Prepared)):
        assert back.keys() == results.keys()
        for rel, (digest, result) in results.items():
            assert back[rel][0] == digest
            assert seen_by_the_load(back[rel][1]) == seen_by_the_load(result), rel


def test_front_matter_values_travel_only_when_not_checked() -> None:
    path, rel, kind = next(file for file in FILES if file[2] == "question")
    result = prepare(path.read_bytes(), rel, kind)
    assert result.source is not None and result.source.checked is not None
    slim = Prepared.from_wire(result.wire())
    assert slim.source is not None and set(slim.source.meta.data.values()) == {None}
    result.source.checked = None  # nothing holds the values then: they travel
    assert Prepared.from_wire(result.wire()).source.meta.data == result.source.meta.data  # type: ignore[union-attr]


def test_an_entry_of_another_form_reads_as_missing() -> None:
    path, rel, kind = FILES[0]
    objects = {rel: (bytes(32), prepare(path.read_bytes(), rel, kind))}
    assert results_of(pickle.dumps(objects), Prepared) == {}  # the form before ``wire``
    assert results_of(pickle.dumps({rel: (bytes(32), (1, 2))}), Prepared) == {}
