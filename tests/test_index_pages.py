"""What a full build hands Pagefind (render/index_pages.py): each question page cut down to its <html> tag and
its data-pagefind-body element, less the data-pagefind-ignore elements Pagefind reads nothing from. Real Pagefind
over the cut pages and over the whole pages of the demo and the hostile corpus gives the same bundle; pages where
Pagefind reads something outside the element are not cut."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import gone_but_old
from pagefind_files import cbor_document
from qasite.config.urls import Urls
from qasite.render.index_pages import indexed_part
from qasite.render.search_index import check_index, run_pagefind

GLOB = Urls().glob("question")


def _index(site: Path, pages: dict[str, bytes]) -> Path:
    """Pagefind over ``pages`` (output name -> bytes) written in ``site``; the bundle."""
    for name, data in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    process = run_pagefind(site, GLOB, site / "bundle")
    stdout, stderr = process.communicate()
    check_index(process.returncode, stdout, stderr, process.bundle)
    return process.bundle


def _bundle(bundle: Path) -> dict[str, Any]:
    """Everything in a bundle, Pagefind's filter files by their filter's name (their file names are hashes of
    bytes Pagefind writes in hash-map order, issue #638, and so is the metadata file naming them)."""
    found: dict[str, Any] = {
        p.relative_to(bundle).as_posix(): p.read_bytes()
        for folder in ("fragment", "index")
        for p in (bundle / folder).iterdir()
    }
    for path in (bundle / "filter").iterdir():
        name, values = cbor_document(path)
        found[f"filter {name}"] = sorted((value, sorted(pages)) for value, pages in values)
    meta = cbor_document(next(bundle.glob("pagefind.*.pf_meta")))
    found["meta"] = [part for part in meta if part is not meta[3]] + [sorted(name for name, _ in meta[3])]
    return found


@pytest.mark.parametrize("built", ["demo_output", "hostile_output"])
def test_pagefind_indexes_the_cut_pages_as_the_whole_pages(
    built: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    output: Path = request.getfixturevalue(built)
    whole = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.glob(GLOB)}
    cut = {name: indexed_part(data) for name, data in whole.items()}
    assert len(whole) >= 3 and all(cut.values())  # every question page of these sites is cut
    assert sum(map(len, cut.values())) < 0.6 * sum(map(len, whole.values()))  # type: ignore[arg-type]
    first, second = _index(tmp_path / "whole", whole), _index(tmp_path / "cut", cut)  # type: ignore[arg-type]
    assert _bundle(second) == _bundle(first)
    assert any(os.scandir(first / "filter"))


PAGE = (
    '<!doctype html>\n<html lang="en">\n<head><title>T</title></head>\n<body><header>{header}</header>'
    '<main id="main"><div class="qa-page" data-pagefind-body>\n<h1>Q</h1><div><p>text</p></div>\n{body}</div>'
    "{related}</main><footer></footer><script>{{}}</script></body></html>\n"
)
RELATED = '<section class="qa-related" aria-labelledby="related"><h2>Related questions</h2></section>'


def page(header: str = "", body: str = "", related: str = RELATED) -> bytes:
    return PAGE.format(header=header, body=body, related=related).encode()


def test_a_page_is_cut_to_its_html_tag_and_body_element() -> None:
    body = '<div class="qa-page" data-pagefind-body>\n<h1>Q</h1><div><p>text</p></div>\n</div>'
    expected = f'<!doctype html>\n<html lang="en"><body>{body}</body></html>\n'.encode()
    assert indexed_part(page()) == expected
    assert indexed_part(page(related="")) == expected
    assert indexed_part(page(body="<div>\n</div>")) == expected.replace(
        b"</div>\n</div>", b"</div>\n<div>\n</div></div>"
    )


@pytest.mark.parametrize(
    "kept",
    [
        page(header='<img src="/logo.png" alt="">'),  # Pagefind's image: the first <img> on the page
        page(header="<h1>Site</h1>"),  # its title: the first <h1>
        page(header='<div data-pagefind-filter="tag:x"></div>'),  # filters and meta anywhere on the page
        page(related=RELATED.replace("</h2>", '</h2><div data-pagefind-meta="x:y"></div>')),
        page(body="<div>"),  # the element never ends
        page(body="<div data-pagefind-body></div>"),  # a second body element
        page().replace(b" data-pagefind-body>", b">"),  # no body element
        page().replace(b'<html lang="en">', b""),
    ],
)
def test_a_page_whose_cut_could_change_what_pagefind_reads_is_not_cut(kept: bytes) -> None:
    assert indexed_part(kept) is None


def test_a_stopped_full_build_leaves_no_shard_folder(tmp_path: Path) -> None:
    """The render workers fill a shard's folder before its Pagefind run starts: a build stopped then (a failed
    page, a full disk) removes it (ShardIndexer.kill), as it removes the folders of the runs it kills."""
    from qasite.render.shard_indexer import ShardIndexer

    output = tmp_path / "output"
    names = [["questions/a/index.html"], ["questions/b/index.html"]]
    indexer = ShardIndexer(output, names, GLOB, shards=[0, 1], jobs=1)
    indexer.fill()
    for shard, (name,) in enumerate(names):
        (output / name).parent.mkdir(parents=True)
        (output / name).write_bytes(page())
        indexer.add(name)
        assert (indexer.tree(shard) / name).read_bytes() == indexed_part(page())
    indexer.kill()
    assert gone_but_old(tmp_path) == ["output"]  # renamed at once to output.old-*, then deleted


IGNORED = (  # the question template's ignored elements, nested as it nests them
    '<ul class="meta" data-pagefind-ignore><li><a href="/c/">Anxiety</a></li><li data-pagefind-ignore>3 views</li></ul>'
    '<div class="aside" data-pagefind-ignore><div><p class="votes"><span>+8</span></p></div></div>'
    '<p>kept &lt;div data-pagefind-ignore&gt;</p><footer class="f" data-pagefind-ignore>\n<div class="card">'
    '<time datetime="2020-08-01">Aug 1</time></div></footer><h2 id="answers" data-pagefind-ignore>2 answers</h2>'
)


def test_ignored_elements_pagefind_reads_nothing_from_are_left_out() -> None:
    cut = indexed_part(page(body=IGNORED))
    assert cut is not None and b"data-pagefind-ignore" not in cut.replace(b"&lt;div data-pagefind-ignore&gt;", b"")
    assert b"<p>text</p></div>\n<p>kept &lt;div data-pagefind-ignore&gt;</p></div></body>" in cut


@pytest.mark.parametrize(
    "inside",
    [
        '<div hidden data-pagefind-meta="votes:+8"></div>',  # meta and filters are read from ignored elements
        '<span data-pagefind-filter="tag:x">x</span>',
        "<h1>Title</h1>",  # so are the first h1, img and title
        '<img src="/a.png" alt="">',
        "<title>T</title>",
    ],
)
def test_an_ignored_element_pagefind_reads_from_is_kept(inside: str) -> None:
    element = f'<div class="aside" data-pagefind-ignore><p>x</p>{inside}</div>'
    cut = indexed_part(page(body=IGNORED + element))
    assert cut is not None and element.encode() in cut and b"3 views" not in cut


@pytest.mark.parametrize(
    "element",
    [
        '<div data-pagefind-ignore="all"><p>x</p></div>',  # not bare: left to Pagefind
        '<br data-pagefind-ignore><p data-pagefind-ignore-x="1">x</p>',  # no end tag; another attribute
        "<section data-pagefind-ignore><p>never closed</p>",  # not closed within the body element
    ],
)
def test_an_ignored_element_left_to_pagefind(element: str) -> None:
    cut = indexed_part(page(body=element))
    assert cut is not None and element.encode() in cut


FILTER = '<span data-pagefind-filter="t:x"></span>'


def test_pagefind_indexes_a_page_without_its_ignored_elements_as_the_whole_page(tmp_path: Path) -> None:
    """Real Pagefind: the same bundle from whole pages and from their cuts, ignored elements read from or not."""
    kept = '<div data-pagefind-ignore><h1>Other</h1><img src="/i.png" alt="a"><i data-pagefind-meta="m:v"></i></div>'
    whole = {
        "questions/a/index.html": page(body=IGNORED),
        "questions/b/index.html": page(body=kept + IGNORED).replace(b"<h1>Q</h1>", b""),
        "questions/c/index.html": page(body=IGNORED + f"<p data-pagefind-ignore>{FILTER}</p>"),
    }
    cut = {name: indexed_part(data) for name, data in whole.items()}
    assert all(cut.values()) and b"Other" in cut["questions/b/index.html"]  # type: ignore[operator]
    first, second = _index(tmp_path / "whole", whole), _index(tmp_path / "cut", cut)  # type: ignore[arg-type]
    assert _bundle(second) == _bundle(first)
    assert (first / "filter").is_dir() and any((first / "filter").iterdir())
