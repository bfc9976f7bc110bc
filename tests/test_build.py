"""Build the fixture site with real Pelican and check the HTML with a real parser."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import copy_site
from qasite.build.pipeline import build, load_settings
from qasite.render.search_sorts import date_ranks, fragment_url

KEYS = ("votes", "answers", "date")

# Inline <script> elements that are data, never run: JSON-LD and the scripts' qa-config.
DATA_BLOCKS = ("application/ld+json", "application/json")
FETCHED_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon"}
SLUG = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"


def soup_of(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "lxml")


def question(output: Path) -> BeautifulSoup:
    return soup_of(output, f"questions/{SLUG}/index.html")


def test_pretty_urls_and_drafts(built_site: Path) -> None:
    assert (built_site / f"questions/{SLUG}/index.html").is_file()
    assert (built_site / "questions/how-do-i-stop-worrying-at-night/index.html").is_file()
    assert not (built_site / "questions/a-draft-question").exists()
    for page in [
        "index.html",
        "newest/index.html",
        "unanswered/index.html",
        "tags/index.html",
        "categories/index.html",
        "categories/anxiety-and-stress/index.html",
        "tags/social-media/index.html",
        "users/sam-rivera/index.html",
        "about/index.html",
        "404.html",
    ]:
        assert (built_site / page).is_file(), page


def test_question_header(built_site: Path) -> None:
    page = question(built_site)
    main = page.find("main")
    assert main.find("h1").get_text(strip=True) == "Is it ethical for my therapist to follow me on social media?"
    assert len(page.find_all("h1")) == 1
    article = main.find("article", class_="qa-question")
    assert article.find(class_="qa-votes__count").get_text(strip=True) == "+12"
    assert article.find("a", href="/categories/psychotherapists/").get_text(strip=True).endswith("Psychotherapists")
    tags = [a.get_text(strip=True) for a in article.select("a[href^='/tags/']")]
    assert tags == ["therapy", "boundaries", "social-media"]
    times = {t["datetime"] for t in article.find_all("time")}
    assert "2023-06-28T14:05:00+00:00" in times and "2023-06-29T00:00:00+00:00" in times
    text = " ".join(article.get_text(" ").split())
    assert "asked Jun 28, 2023 by Jordan Lee" in text and "6.5k points" in text
    assert "edited Jun 29, 2023 by Jordan Lee" in text
    assert "1,840 views" in text


def test_question_body_is_safe(built_site: Path) -> None:
    body = question(built_site).find(class_="qa-question__body")
    assert body.find("script") is None and '<script>alert("x")</script>' in body.get_text()
    assert body.find("a", href="https://example.com/ethics")["rel"] == ["nofollow", "ugc", "noopener"]
    assert body.find("a", href="/about/").get("rel") is None


def test_answers_in_order_with_anchors(built_site: Path) -> None:
    page = question(built_site)
    assert page.find("h2", id="answers").get_text(strip=True) == "4 answers"
    answers = page.select("article.qa-answer")
    ids = [a.find("h3")["id"] for a in answers]
    assert ids == [
        "answer-2023-07-05-ada-moss",
        "answer-2023-07-01-anon",
        "answer-2023-07-03-sam-rivera",
        "answer-2023-07-02-jordan-lee",
    ]
    votes = [a.find(class_="qa-votes__count").get_text(strip=True) for a in answers]
    assert votes == ["+2", "+9", "+9", "-2"]
    assert "Accepted answer" in answers[0].get_text() and "qa-answer--accepted" in answers[0]["class"]
    assert all("Accepted answer" not in a.get_text() for a in answers[1:])
    sam = " ".join(answers[2].get_text(" ").split())
    assert "answered Jul 3, 2023 by Sam Rivera" in sam and "7.2k points" in sam
    assert "LCSW, licensed clinical social worker" in sam
    assert answers[2].find("a", href="#answer-2023-07-03-sam-rivera") is not None
    assert answers[1].find("a", href=re.compile("^/users/")) is None  # anonymous: no member link


def test_answer_headings_and_footnotes_do_not_clash(built_site: Path) -> None:
    page = question(built_site)
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))
    sam = page.find(id="answer-2023-07-03-sam-rivera").find_parent("article")
    assert sam.find("h4", id="answer-2023-07-03-sam-rivera-privacy") is not None
    assert sam.select_one("section.footnotes li")["id"] == "fn-answer-2023-07-03-sam-rivera-1"


def test_breadcrumbs(built_site: Path) -> None:
    nav = question(built_site).find("nav", attrs={"aria-label": "Breadcrumb"})
    items = nav.find_all("li")
    assert [li.get_text(strip=True) for li in items] == [
        "Home",
        "Psychotherapists",
        "Is it ethical for my therapist to follow me on social media?",
    ]
    assert [a["href"] for a in nav.find_all("a")] == ["/", "/categories/psychotherapists/"]
    assert items[-1].find(attrs={"aria-current": "page"}) is not None or items[-1].get("aria-current") == "page"


def test_computed_points_and_member_page(built_site: Path) -> None:
    # ada-moss has no imported points: 1 + 5*3 (question) + 10*2 (answer) + 15 (accepted) = 51
    page = soup_of(built_site, "users/ada-moss/index.html")
    assert "51 points" in " ".join(page.find("main").get_text(" ").split())
    answer_links = [a["href"] for a in page.select("main a[href*='#answer-']")]
    assert answer_links == [f"/questions/{SLUG}/#answer-2023-07-05-ada-moss"]


def test_listings(built_site: Path) -> None:
    home = soup_of(built_site, "index.html")  # QA_PER_PAGE = 2 in the fixture
    titles = [h.get_text(strip=True) for h in home.select("main h2 a")]
    assert titles == [
        "Is it ethical for my therapist to follow me on social media?",
        "How do I stop worrying at night?",
    ]
    assert (built_site / "page/2/index.html").is_file()
    unanswered = soup_of(built_site, "unanswered/index.html")
    assert [a["href"] for a in unanswered.select("main h2 a")] == [
        "/questions/how-do-i-stop-worrying-at-night/",
        "/questions/is-group-therapy-worth-it/",
    ]


def test_no_request_to_another_host(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        fetched = [link for link in page.find_all("link") if set(link["rel"]) & FETCHED_RELS]
        for tag in fetched + page.find_all(["script", "img", "iframe", "source", "video", "audio"]):
            for attr in ("href", "src", "srcset"):
                value = tag.get(attr)
                assert value is None or value.startswith("/") or value.startswith("#"), (path, tag)
        assert page.find(style=True) is None, path
        assert page.find("script", src=False, type=lambda t: t not in DATA_BLOCKS) is None, path
        config = json.loads(page.find("script", id="qa-config").string)
        loaded = ("pagefind", "pagefindHighlight", "searchSorts")
        assert all(config[key].startswith("/") for key in loaded), (path, config)
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css
        assert "@import" not in css.read_text(), css


# Pagefind writes its filter index in hash-map order, so those files (and the
# meta and entry files naming them by hash) differ between runs: upstream Pagefind issue #638.
# Everything else, Pagefind's fragments and word index included, must match.
UNSTABLE_UPSTREAM = re.compile(r"^pagefind/(filter/|pagefind-entry\.json$|pagefind\.[^/]+\.pf_meta$)")


def _digest(folder: Path) -> dict[str, str]:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    names = {p: p.relative_to(folder).as_posix() for p in files}
    return {
        names[p]: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if not UNSTABLE_UPSTREAM.match(names[p])
    }


def test_sort_table_has_every_question_by_its_pagefind_id(built_site: Path) -> None:
    """search/sorts.json: each indexed question's Pagefind id (its fragment holds its URL) with its values."""
    table = json.loads((built_site / "search" / "sorts.json").read_text(encoding="utf-8"))
    urls = [fragment_url(built_site / "pagefind" / "fragment" / f"{i}.pf_fragment") for i in table["ids"]]
    rows = {url.split("/")[2]: (v, a, d) for url, v, a, d in zip(urls, *(table[k] for k in KEYS), strict=True)}
    assert rows == {
        "is-it-ethical-for-my-therapist-to-follow-me-on-social-media": (12, 4, 1),
        "how-do-i-stop-worrying-at-night": (3, 0, 2),
        "is-group-therapy-worth-it": (-1, 0, 0),
    }
    assert date_ranks(["2024-01-10", "2023-02-01", "2024-01-10"]) == [1, 0, 1]


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    digests = []
    for name in ("one", "two"):
        conf = copy_site(tmp_path / name)
        digests.append(_digest(build(settings=load_settings(conf))))
    assert digests[0] == digests[1]
    assert len(digests[0]) > 20
    assert any(name.startswith("pagefind/fragment/") for name in digests[0])


def test_unknown_setting_is_named(site_dir: Path, run_command) -> None:
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nQA_PER_PAEG = 10\n")
    code, err = run_command("build")
    assert code == 1
    assert err == "error: unknown setting QA_PER_PAEG (did you mean QA_PER_PAGE?)\n"


def test_parallel_rendering_writes_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qasite.build.parallel

    monkeypatch.setattr(qasite.build.parallel, "MIN_ITEMS_PER_PROCESS", 1)
    monkeypatch.setattr(qasite.build.parallel.threading, "active_count", lambda: 1)  # other tests' server threads
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    digests = []
    for name, processes in (("serial", 1), ("forked", 3)):
        conf = copy_site(tmp_path / name)
        overrides = {"QA_RENDER_PROCESSES": processes}
        digests.append(_digest(build(settings=load_settings(conf, overrides))))
    assert digests[0] == digests[1]
    assert forks  # the second build really rendered in worker processes


def test_a_failing_worker_fails_the_build() -> None:
    from qasite.build.parallel import run_forked
    from qasite.config.problems import BuildError

    def work(share: list[int]) -> None:
        if 4 in share:  # the worker's share: [2, 4]
            raise ValueError("boom")

    with pytest.raises(BuildError, match="1 rendering process"):
        run_forked([1, 2, 3, 4], work, processes=2)


def test_work_in_pieces_gets_its_processes_back_once_the_other_program_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render/generator writes a search shard's pages with one process fewer while Pagefind runs, then, piece by
    piece, with every process again as soon as Pagefind is done (run_in_pieces): each item once, in real forks."""
    import qasite.build.parallel
    from qasite.build.parallel import run_in_pieces

    monkeypatch.setattr(qasite.build.parallel.threading, "active_count", lambda: 1)  # other tests' server threads
    answers = iter([True, True, False])  # Pagefind runs during the first two pieces, then has ended
    calls: list[int] = []

    def work(share: list[int], processes: int) -> None:
        for item in share:
            (tmp_path / f"{item}-{os.getpid()}-{processes}").touch()

    def busy() -> bool:
        calls.append(1)
        return next(answers)

    run_in_pieces(list(range(2000)), work, processes=2, busy=busy, piece=500)
    done = [name.split("-") for name in os.listdir(tmp_path)]
    assert sorted(int(item) for item, _, _ in done) == list(range(2000))  # every item, once
    assert len(calls) == 3  # two pieces of 500 in one process, then the other 1,000 in two
    assert {(int(item) < 1000, processes) for item, _, processes in done} == {(True, "1"), (False, "2")}
    assert len({pid for item, pid, _ in done if int(item) < 1000}) == 1
    assert len({pid for item, pid, _ in done if int(item) >= 1000}) == 2


def _pid(_: int) -> int:
    return os.getpid()


def test_map_forked_uses_worker_processes_and_keeps_order() -> None:
    from qasite.build.parallel import map_forked

    assert map_forked(str, list(range(50)), processes=2) == [str(i) for i in range(50)]
    assert os.getpid() not in set(map_forked(_pid, list(range(50)), processes=2))


def test_a_site_without_questions_builds(site_dir: Path, run_command) -> None:
    for folder in (site_dir / "content" / "questions").iterdir():
        shutil.rmtree(folder)
    assert run_command("build") == (0, "")
    assert (site_dir / "output" / "index.html").is_file()
    assert not (site_dir / "output" / "pagefind").exists()


def test_a_pagefind_failure_fails_with_its_message(tmp_path: Path) -> None:
    from qasite.config.problems import BuildError
    from qasite.config.urls import Urls
    from qasite.render.search_index import finish_index, start_index

    with pytest.raises(BuildError, match=r"search index: Pagefind failed: .*not able to build an index"):
        finish_index(start_index(tmp_path, Urls().glob("question")))
