"""Unit tests for the plugin's pure functions (no Pelican involved)."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from qasite.content.answers import order_answers
from qasite.content.frontmatter import CONTROL_CHARACTERS, decode, split
from qasite.content.model import Answer, Person
from qasite.content.points import compute_points, format_points
from qasite.content.values import FieldError, normalize_tag, to_tags
from qasite.render.markdown import render, summarize


@pytest.mark.parametrize(
    ("points", "shown"),
    [
        (0, "0"),
        (950, "950"),
        (1000, "1k"),
        (6500, "6.5k"),
        (6549, "6.5k"),
        (7250, "7.2k"),
        (7999, "7.9k"),
        (12_400, "12k"),
        (1_250_000, "1.2m"),
    ],
)
def test_format_points_like_the_forum(points: int, shown: str) -> None:
    assert format_points(points) == shown


def test_decode_refuses_every_control_character_the_expression_names() -> None:
    """An ASCII file is searched for control characters without the expression: it finds each one it finds, in
    ASCII text or not, and the same first one (every character tried)."""
    for code in [*range(0xD800), *range(0xE000, 0x110000)]:  # surrogates are not UTF-8
        char = chr(code)
        for text in (f"title: {char}\n", f"café {char}\n"):
            text_read, problems = decode(text.encode("utf-8"), "q.md")
            if CONTROL_CHARACTERS.search(text) is None:
                assert text_read == text.replace("\r\n", "\n").replace("\r", "\n") and not problems, hex(code)
            else:
                assert text_read is None and "invisible control character" in problems[0].message, hex(code)


def test_compute_points_formula() -> None:
    assert compute_points(question_votes=[12, -1], answer_votes=[9, 2], accepted=1) == 1 + 55 + 110 + 15
    assert compute_points(question_votes=[-30], answer_votes=[], accepted=0) == 1


def _answer(answer_id: str, votes: int, day: int, accepted: bool = False) -> Answer:
    person = Person(handle="x", name="X")
    date = dt.datetime(2023, 7, day, tzinfo=dt.UTC)
    return Answer(id=answer_id, author=person, date=date, votes=votes, accepted=accepted, source_path=answer_id)


def test_answers_accepted_first_then_votes_then_date() -> None:
    answers = [_answer("late-9", 9, 3), _answer("acc", 2, 5, True), _answer("early-9", 9, 1), _answer("neg", -2, 2)]
    assert [a.id for a in order_answers(answers)] == ["acc", "early-9", "late-9", "neg"]


@pytest.mark.parametrize(
    ("raw", "tag"),
    [("Social Media", "social-media"), ("self_care", "self-care"), ("  Anxiety ", "anxiety"), ("PTSD", "ptsd")],
)
def test_tags_are_normalized(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag


def test_tags_that_would_merge_silently_are_refused() -> None:
    with pytest.raises(FieldError, match="listed twice"):
        to_tags(["Anxiety", "anxiety"])
    with pytest.raises(FieldError, match="characters a tag cannot have"):
        to_tags(["c++"])


def test_raw_html_is_escaped_not_rendered() -> None:
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\nok <b>bold</b>').html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None and soup.find("b") is None
    assert "<script>alert(1)</script>" in soup.get_text()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_dangerous_links_are_not_links(url: str) -> None:
    soup = BeautifulSoup(render(f"[click]({url}) <{url}>").html, "html.parser")
    assert soup.find("a") is None


def test_external_links_get_rel_and_internal_do_not() -> None:
    soup = BeautifulSoup(
        render("[a](https://example.org/x) [b](/about/) [c](#top) [d](mailto:a@b.c)").html, "html.parser"
    )
    rels = {a.get_text(): a.get("rel") for a in soup.find_all("a")}
    assert rels == {"a": ["nofollow", "ugc", "noopener"], "b": None, "c": None, "d": ["nofollow", "ugc", "noopener"]}


def test_external_images_become_links() -> None:
    soup = BeautifulSoup(
        render("![a chart](https://tracker.example/p.png) ![local](/images/x.png)").html, "html.parser"
    )
    assert [img["src"] for img in soup.find_all("img")] == ["/images/x.png"]
    link = soup.find("a")
    assert link["href"] == "https://tracker.example/p.png" and "a chart" in link.get_text()


def test_gfm_extras_render_without_inline_styles() -> None:
    text = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~ note[^n]\n\n[^n]: The note.\n"
    soup = BeautifulSoup(render(text, doc_id="answer-1").html, "html.parser")
    assert soup.find("table") is not None and soup.find("s").get_text() == "gone"
    assert soup.find(style=True) is None
    assert soup.find("th")["class"] == ["align-left"]
    assert soup.select_one("section.footnotes li")["id"] == "fn-answer-1-1"


def test_headings_are_shifted_and_prefixed() -> None:
    soup = BeautifulSoup(render("# Privacy\n\n## Details", doc_id="answer-a", heading_base=4).html, "html.parser")
    assert [(h.name, h["id"]) for h in soup.find_all(["h4", "h5"])] == [
        ("h4", "answer-a-privacy"),
        ("h5", "answer-a-details"),
    ]


def test_summary_cuts_at_a_word() -> None:
    assert summarize("word " * 100, 22) == "word word word word…"
    assert summarize("short") == "short"


def test_front_matter_lines_are_file_lines() -> None:
    source, problems = split("---\ntitle: Hi\n\nvotes: 3\n---\n\nBody\n", "q.md")
    assert problems == [] and source is not None
    assert source.meta.line("title") == 2 and source.meta.line("votes") == 4
    assert source.body == "Body" and source.body_line == 7


def test_build_cache_is_keyed_by_settings_and_survives_damage(tmp_path):
    """An entry reads back under the same settings, never under others; a damaged entry reads as missing."""
    from qasite.build.cache import Cache

    settings = {"QA_PER_PAGE": 30, "PATH": "content"}
    cache = Cache(root=tmp_path, settings=settings)
    cache.put(namespace="check", key="a.md", value={"problems": ["x"]})
    assert Cache(root=tmp_path, settings={**settings, "PATH": "elsewhere"}).get(namespace="check", key="a.md") == {
        "problems": ["x"]
    }
    assert Cache(root=tmp_path, settings={**settings, "QA_PER_PAGE": 10}).get(namespace="check", key="a.md") is None
    (entry,) = (cache.folder / "check").iterdir()
    entry.write_bytes(b"not a pickle")
    assert cache.get(namespace="check", key="a.md") is None


def test_a_cache_entrys_file_reads_back_what_was_written_and_a_truncated_one_reads_as_missing(tmp_path):
    """``build/entry_file``: the value unpickled straight from the file equals the one pickled into it, no temporary
    file is left; an entry cut short (a full disk) raises there and reads as missing through the cache."""
    from pathlib import Path

    from qasite.build import entry_file
    from qasite.build.cache import Cache

    value = {"text": "é" * 70_000, "paths": [Path("content/questions/q/index.md")] * 3, "n": list(range(1000))}
    entry_file.dump(tmp_path / "entry.pickle", value)
    assert entry_file.load(tmp_path / "entry.pickle") == value
    assert [p.name for p in tmp_path.iterdir()] == ["entry.pickle"]
    cache = Cache(root=tmp_path / "cache", settings={})
    cache.put(namespace="n", key="k", value=value)
    path = cache._path("n", "k")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(Exception):  # noqa: B017 (whatever pickle raises for it)
        entry_file.load(path)
    assert Cache(root=tmp_path / "cache", settings={}).get(namespace="n", key="k") is None


def test_build_cache_writes_a_builds_entries_behind_it_holding_the_build_lock(tmp_path, capsys):
    """Deferred entries are kept in memory (read back at once), then written by a detached process that holds the
    build lock: the next build of the folder takes the lock, without a word, only once they are all on disk."""
    import pickle
    import time

    from qasite.build import cache as build_cache
    from qasite.build.cache import Cache
    from qasite.build.outputdir import build_lock

    cache = Cache(root=tmp_path / "cache", settings={})
    output = tmp_path / "output"
    with build_lock(output):
        build_cache.deferred()
        cache.put(namespace="n", key="early", value=[1])
        assert cache.get(namespace="n", key="early") == [1] and not (cache.folder / "n").exists()

        def late() -> None:
            time.sleep(0.5)  # the writer is slow: the next build must wait for it
            cache.put(namespace="n", key="late", value=2)

        build_cache.write_behind(late, background=True)  # (the default, but not in CI)
        assert not (cache.folder / "n").exists()  # the command goes on (returns) while the writer works
    with build_lock(output):
        names = sorted(p.name for p in (cache.folder / "n").iterdir())
        assert names == sorted(cache._path("n", k).name for k in ("early", "late"))  # no temporary file left
    assert capsys.readouterr().err == ""
    assert pickle.loads(cache._path("n", "early").read_bytes()) == [1]
    assert cache.get(namespace="n", key="late") == 2
    cache.put(namespace="n", key="now", value=3)  # no longer deferred
    assert cache._path("n", "now").exists()


def test_build_cache_keeps_the_newest_fingerprint_folders(tmp_path):
    """A new fingerprint's first write removes the oldest folders beyond KEEP; other files are left alone."""
    import os

    from qasite.build.cache import KEEP, Cache

    (tmp_path / "notes").mkdir()  # not a fingerprint folder: never touched
    caches = [Cache(root=tmp_path, settings={"QA_PER_PAGE": n}) for n in range(KEEP + 2)]
    for age, cache in enumerate(caches):
        cache.put(namespace="check", key="a.md", value=age)
        os.utime(cache.folder, (1_000_000 + age, 1_000_000 + age))
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted(["notes", *(c.folder.name for c in caches[-KEEP:])])
    assert caches[-1].get(namespace="check", key="a.md") == KEEP + 1
