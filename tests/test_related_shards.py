"""A cold build's related lists, made shard by shard before each search shard's pages (qasite.content.related_shards).

They must be ``compute_related``'s lists, in its order, whichever questions are made together and in how many
processes; a cold build in several shards must write what a build in one shard writes (the search index aside), and
keep for the next build the lists and the graph ``compute_related``'s lists give.
"""

from __future__ import annotations

import random
from pathlib import Path

from test_incremental import differences
from test_related import random_corpus

from conftest import REPO_TODAY, ROOT
from qasite.build.cache import Cache, settle
from qasite.build.changes import pack_related
from qasite.build.incremental import NAMESPACE
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content.graph import site_graph
from qasite.content.graph_update import snapshot_form
from qasite.content.loader import load_from_settings
from qasite.content.related import build_vectors, compute_related
from qasite.content.related_shards import ShardRelated
from qasite.render.search_shards import shard_of


def sharded_settings(site: Path, name: str, size: int) -> dict[str, object]:
    overrides = {
        "PATH": str(ROOT / "content"),
        "OUTPUT_PATH": str(site / name),
        "QA_CACHE_PATH": str(site / f"{name}.cache"),  # its own: a cold build
        "QA_TODAY": REPO_TODAY,
        "QA_SEARCH": True,
        "QA_SEARCH_SHARD_SIZE": size,
    }
    return load_settings(ROOT / "pelicanconf.py", overrides)


def test_lists_made_shard_by_shard_are_compute_related_s_in_its_order(tmp_path: Path) -> None:
    settings = sharded_settings(tmp_path, "output", 8)
    site, _ = load_from_settings(ROOT / "content", settings, urls_from(settings))
    full = compute_related(site.vectors, limit=5)
    shards = [[q for q in site.questions if shard_of(q.slug, 4) == k] for k in range(4)]
    related, made = ShardRelated(lambda: site.vectors, limit=5), {}
    for group, busy in zip(shards, [False, True, False, True], strict=True):  # busy: Pagefind has a core
        related.relate(group, processes=2, busy=lambda busy=busy: busy)
        made |= {q.slug: q.related for q in group}  # set on the questions
    assert sum(map(len, made.values())) > 100
    lists = related.lists()
    assert list(lists) == list(full) == [q.slug for q in site.questions]
    assert pack_related(lists) == pack_related(full)
    assert all(lists[slug] is items for slug, items in made.items())  # made once, not again for ``lists``


def test_lists_not_asked_for_are_made_by_lists() -> None:
    settings = load_settings(ROOT / "pelicanconf.py", {"PATH": str(ROOT / "content"), "QA_TODAY": REPO_TODAY})
    site, _ = load_from_settings(ROOT / "content", settings, urls_from(settings))
    related = ShardRelated(lambda: site.vectors, limit=3)
    some = random.Random(7).sample(list(site.questions), 5)
    related.relate(some, processes=1, busy=lambda: False)
    assert pack_related(related.lists()) == pack_related(compute_related(site.vectors, limit=3))


def test_a_cold_build_in_four_shards_writes_and_keeps_what_one_shard_does(tmp_path: Path) -> None:
    four, one = sharded_settings(tmp_path, "four", 8), sharded_settings(tmp_path, "one", 5000)
    build(settings=four)
    build(settings=one)
    search = (Urls.pagefind, Urls.search_shards, Urls.search_sorts)
    assert len(list((tmp_path / "four").glob(f"{Urls.pagefind}*/pagefind-entry.json"))) == 3  # shards 1-3
    assert [n for n in differences(tmp_path / "four", tmp_path / "one") if not n.startswith(search)] == []
    settle()  # the snapshots written
    site, _ = load_from_settings(ROOT / "content", four, urls_from(four))
    full = compute_related(site.vectors, limit=four["QA_RELATED_COUNT"])
    graph = snapshot_form(
        site_graph(site, urls_from(four), per_page=four["QA_PER_PAGE"], related=full, content="content")
    )
    kept = Cache.for_settings(four).get(namespace=NAMESPACE, key=str((tmp_path / "four").resolve()))
    assert list(kept.related.items()) == list(pack_related(full).items())  # the order too
    assert {k: set(v) for k, v in kept.graph.edges.items()} == {k: set(v) for k, v in graph.edges.items()}
    assert kept.graph.selections == graph.selections


def test_lists_made_in_forked_workers_part_by_part_are_the_serial_ones() -> None:
    """Two groups of 450 (``process_count`` forks for 400 or more, where the process has no other thread): the
    workers make the lists of ``only``'s indexes, not a range's."""
    corpus = random_corpus(11, 900)
    vectors = build_vectors(corpus)
    related = ShardRelated(lambda: vectors, limit=5)
    related.relate(corpus[1::2], processes=2, busy=lambda: False)  # every other question: indexes, not a span
    related.relate(corpus[::2], processes=2, busy=lambda: False)
    assert pack_related(related.lists()) == pack_related(compute_related(vectors, limit=5))
    assert all(r.question is corpus[int(r.question.slug[2:])] for q in corpus for r in q.related)
