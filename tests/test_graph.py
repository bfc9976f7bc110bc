"""The site graph (qasite.content.graph) against real builds: change one file, rebuild, and the
outputs that changed are exactly those the graph predicted (none missed, none extra, for each of
the kinds of change below), and the graph knows every output the build writes.

The fixture site is built once, then each change is made on top of the previous one and the site
rebuilt into a new folder (search off: Pagefind's index is left aside anyway), so each
change costs one small build (a few seconds in all).
"""

from __future__ import annotations

import filecmp
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, ROOT, copy_site
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content.graph import TEXT, SiteGraph, affected, site_graph
from qasite.content.loader import load_site
from qasite.content.related import compute_related

ETHICS = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
WORRY = "content/questions/how-do-i-stop-worrying-at-night/index.md"
GROUP = "content/questions/is-group-therapy-worth-it"
SAM_ANSWER = f"{ETHICS}/answers/2023-07-03-sam-rivera.md"
NEW_ANSWER = f"{GROUP}/answers/2024-03-01-ada-moss.md"
ADA_ANSWER = f"{ETHICS}/answers/2023-07-05-ada-moss.md"
ABOUT = "content/pages/about.md"
TAGS = "content/tags.yml"
HELPLINES = "content/helplines.yml"


@dataclass(frozen=True)
class Change:
    """An edit of one content file, and which part of it the graph is asked about."""

    name: str
    path: str
    edit: Callable[[Path], None]
    entry: str | None = None
    field: str | None = None


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        text = (site / path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        (site / path).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write(path: str, text: str) -> Callable[[Path], None]:
    def edit(site: Path) -> None:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")

    return edit


CHANGES = [
    Change("answer text", SAM_ANSWER, replace(SAM_ANSWER, "discourage it", "advise against it"), field=TEXT),
    Change(
        "question title",
        f"{GROUP}/index.md",
        replace(f"{GROUP}/index.md", "Is group therapy worth it?", "Is group therapy worth the time?"),
        field="title",
    ),
    Change("question tags", WORRY, replace(WORRY, "tags: [anxiety, sleep]", "tags: [anxiety, insomnia]"), field="tags"),
    Change(  # a tag's count moves, no tag comes or goes: the index pages are fed by the edge, not their selections
        "question tags, counts only",
        WORRY,
        replace(WORRY, "tags: [anxiety, insomnia]", "tags: [anxiety, insomnia, therapy]"),
        field="tags",
    ),
    Change(  # two categories' counts move, none comes or goes
        "question category",
        f"{GROUP}/index.md",
        replace(f"{GROUP}/index.md", "category: Psychotherapists", "category: Anxiety & stress"),
        field="category",
    ),
    Change(
        "person's name",
        "content/people.yml",
        replace("content/people.yml", "name: Ada Moss", "name: Ada M. Moss"),
        entry="ada-moss",
        field="name",
    ),
    Change(
        "category description",
        "content/categories.yml",
        replace("content/categories.yml", "working with a therapist.", "working with a therapist or counsellor."),
        entry="Psychotherapists",
        field="description",
    ),
    Change(
        "new answer",
        NEW_ANSWER,
        write(NEW_ANSWER, "---\nauthor: ada-moss\ndate: 2024-03-01\nvotes: 4\n---\n\nIt helped me a lot.\n"),
    ),
    Change(
        "page text", ABOUT, replace(ABOUT, "This is the fixture site.", "This is the small fixture site."), field=TEXT
    ),
    Change(
        "helpline number",
        HELPLINES,
        replace(HELPLINES, 'number: "741741"', 'number: "741 741"'),
        entry="US",
    ),
    Change("question votes", WORRY, replace(WORRY, "votes: 3", "votes: 30"), field="votes"),
    # Ada's points are computed: 2,151 are shown as '2.1k points' on every page showing her (graph_shown)
    Change("answer votes, points shown anew", ADA_ANSWER, replace(ADA_ANSWER, "votes: 2", "votes: 200"), field="votes"),
    Change(  # 2,161 points: still '2.1k points', so only the pages showing the answer's votes change
        "answer votes, points shown alike",
        ADA_ANSWER,
        replace(ADA_ANSWER, "votes: 200", "votes: 201"),
        field="votes",
    ),
    Change("page title", ABOUT, replace(ABOUT, "title: About this site", "title: About us"), field="title"),
    Change(
        "tag description",
        TAGS,
        write(TAGS, "therapy:\n  description: Working with a therapist.\n"),
        entry="therapy",
        field="description",
    ),
    Change(
        "category content note",
        "content/categories.yml",
        replace("content/categories.yml", "  order: 2\n", "  order: 2\n  content_note: mentions panic\n"),
        entry="Anxiety & stress",
        field="content_note",
    ),
    Change(
        "tag content note",
        TAGS,
        replace(TAGS, "therapy:\n", "therapy:\n  content_note: mentions self-harm\n"),
        entry="therapy",
        field="content_note",
    ),
    Change(
        "tag synonym",
        TAGS,
        replace(TAGS, "therapy:", "boundaries:\n  synonyms: [social-media]\ntherapy:"),
        entry="boundaries",
        field="synonyms",
    ),
]


UNFED = {Urls.robots, Urls.headers}  # the outputs no content file feeds, besides the theme's files


@dataclass(frozen=True)
class Outcome:
    """Which outputs a change altered in the rebuild, and which the graph said it could."""

    changed: set[str]
    predicted: set[str]
    outputs: set[str]
    known: set[str]


def graph_of(settings: dict[str, Any]) -> SiteGraph:
    site, problems = load_site(Path(settings["PATH"]), timezone=settings["TIMEZONE"], urls=urls_from(settings))
    assert [p for p in problems if p.is_error] == []
    related = compute_related(site.vectors, limit=settings["QA_RELATED_COUNT"])
    return site_graph(site, urls_from(settings), per_page=settings["QA_PER_PAGE"], related=related)


def files(folder: Path) -> set[str]:
    """Every output file but the search index's, relative to ``folder``: Pagefind's files, the sort table
    (keyed by Pagefind's page ids) and the shard count, which are rebuilt with the index (search_shards.reindex)
    and are not nodes of the graph."""
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    index = (Urls.search_sorts, Urls.search_shards)
    return {name for name in found if not name.startswith(Urls.pagefind) and name not in index}


def changed_files(before: Path, after: Path) -> set[str]:
    old, new = files(before), files(after)
    differ = {name for name in old & new if not filecmp.cmp(before / name, after / name, shallow=False)}
    return differ | (old ^ new)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Each change made in turn on the fixture site, rebuilt, and compared with the graph's prediction."""
    root = tmp_path_factory.mktemp("graph")
    conf = copy_site(root / "site")

    def settings(step: int) -> dict[str, Any]:
        return load_settings(conf, {"OUTPUT_PATH": str(root / f"out{step}"), "QA_SEARCH": False})

    before_output, before_graph = build(settings=settings(0)), graph_of(settings(0))
    results = {}
    for step, change in enumerate(CHANGES, 1):
        change.edit(root / "site")
        output, graph = build(settings=settings(step)), graph_of(settings(step))
        predicted = affected(before_graph, graph, change.path, change.entry, change.field)
        outcome = Outcome(changed_files(before_output, output), predicted, files(output), set(graph.selections))
        results[change.name] = outcome
        before_output, before_graph = output, graph
    return results


@pytest.mark.parametrize("change", [c.name for c in CHANGES])
def test_graph_predicts_what_a_change_rebuilds(outcomes: dict[str, Outcome], change: str) -> None:
    outcome = outcomes[change]
    assert outcome.changed, "the change should alter some output"
    assert sorted(outcome.changed - outcome.predicted) == [], "outputs changed that the graph did not predict"
    assert sorted(outcome.predicted - outcome.changed) == [], "the graph predicted more than changed"


def unknown(outputs: set[str], known: set[str]) -> set[str]:
    """Output files the graph does not know, the theme's own aside."""
    return {name for name in outputs - known if not name.startswith(Urls.theme)}


def test_graph_knows_every_output_the_build_writes(outcomes: dict[str, Outcome]) -> None:
    for outcome in outcomes.values():
        assert outcome.known <= outcome.outputs
        assert unknown(outcome.outputs, outcome.known) == UNFED


def test_graph_knows_every_output_of_the_demo_site(demo_output: Path) -> None:
    graph = graph_of(load_settings(ROOT / "pelicanconf.py"))
    assert set(graph.selections) <= files(demo_output)
    assert unknown(files(demo_output), set(graph.selections)) == UNFED


def test_graph_follows_the_url_patterns(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site")
    patterns = {"QA_QUESTION_URL": "q/{slug}/", "QA_CATEGORY_URL": "topic/{slug}/", "QA_TAG_URL": "t/{slug}/x/"}
    settings = load_settings(conf, {"QA_SEARCH": False, "QA_USER_URL": "people/{slug}/", **patterns})
    output, graph = build(settings=settings), graph_of(settings)
    assert set(graph.selections) <= files(output)
    assert unknown(files(output), set(graph.selections)) == UNFED
    assert "q/is-group-therapy-worth-it/index.html" in graph.feeds(f"{GROUP}/index.md", field="title")


@pytest.fixture(scope="module")
def graph() -> SiteGraph:
    """The graph of tests/fixtures/site as it is (read only)."""
    return graph_of(load_settings(FIXTURES / "site" / "pelicanconf.py"))


def test_a_draft_feeds_nothing(graph: SiteGraph) -> None:
    assert graph.feeds("content/questions/a-draft-question/index.md") == set()


def test_votes_feed_points_only_where_points_are_computed(graph: SiteGraph) -> None:
    """Jordan's points are imported (people.yml): the votes on their answer show on two pages only. Ada's
    are computed: the votes on her answer reach every page that shows her points."""
    jordan = graph.feeds(f"{ETHICS}/answers/2023-07-02-jordan-lee.md", field="votes")
    page = ETHICS.removeprefix("content/")
    assert jordan == {f"{page}/index.html", f"{page}/index.md", "users/jordan-lee/index.html"}
    ada = graph.feeds(f"{ETHICS}/answers/2023-07-05-ada-moss.md", field="votes")
    assert graph.feeds("content/people.yml", "ada-moss", "points") <= ada
    assert {"index.html", "questions/how-do-i-stop-worrying-at-night/index.html", "users/ada-moss/index.html"} <= ada


def test_a_whole_file_feeds_what_its_parts_feed(graph: SiteGraph) -> None:
    whole = graph.feeds(WORRY)
    for field in ("title", "votes", "tags", TEXT):
        assert graph.feeds(WORRY, field=field) <= whole
    assert graph.feeds(WORRY, field="title") < whole
    assert graph.feeds("content/people.yml") == set().union(
        *(graph.feeds("content/people.yml", handle) for handle in ("jordan-lee", "sam-rivera", "ada-moss"))
    )
