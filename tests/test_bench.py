"""The benchmark's own pieces that can be checked quickly: the Hugo peer's content, the memory and speed probes,
how an output is emptied for a timed build.

The benchmark itself (bench/run.py) is run by test_tasks.py on the demo site; its figures are
never asserted on (speed is measured by the benchmark, not by tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import builds  # noqa: E402
import generate  # noqa: E402
import memory  # noqa: E402
import speed  # noqa: E402


def _read(path: Path) -> tuple[dict[str, object], str]:
    _, meta, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(meta), body


def test_write_hugo_writes_a_page_per_question_with_its_answers(tmp_path: Path) -> None:
    site = generate.make_site(5)
    generate.write_hugo(site, tmp_path / "hugo")
    folder = tmp_path / "hugo" / "content" / "questions"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["_index.md", *(f"{p.slug}.md" for p in site.posts)])
    assert (folder / "_index.md").read_text(encoding="utf-8") == '---\ntitle: "Questions"\n---\n'
    for post in site.posts:
        meta, body = _read(folder / f"{post.slug}.md")
        assert meta == {
            "title": post.title,
            "date": post.date,
            "slug": post.slug,
            "categories": [post.category],
            "tags": post.tags,
            "author": site.name_of(post.author),
            "votes": post.votes,
            "answers": len(post.answers),
        }
        assert body.startswith("\n" + post.body + "\n\n")
        count = len(post.answers)
        assert f"\n## {count} answer{'s' if count > 1 else ''}\n" in body
        for reply in post.answers:
            assert reply.body in body
            assert f"### Answer by {site.name_of(reply.author)} ({reply.votes} votes" in body


def test_write_hugo_body_is_the_plain_pelican_article_body(tmp_path: Path) -> None:
    site = generate.make_site(5)
    generate.write_hugo(site, tmp_path / "hugo")
    generate.write_plain(site, tmp_path / "plain")
    for post in site.posts:
        _, hugo_body = _read(tmp_path / "hugo" / "content" / "questions" / f"{post.slug}.md")
        plain = (tmp_path / "plain" / f"{post.slug}.md").read_text(encoding="utf-8")
        assert plain.endswith(hugo_body.lstrip("\n"))


def test_write_hugo_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate.write_hugo(generate.make_site(5), tmp_path / name)
    first, second = (sorted((tmp_path / n).rglob("*.md")) for n in ("a", "b"))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_peak_memory_covers_the_whole_process_tree() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = memory.tree(memory.os.getpid())
        assert child.pid in tree
        alone, _ = memory.usage(child.pid)
        rss, pss = memory.usage(memory.os.getpid())
        assert 0 < pss <= rss
        assert rss >= alone > 0
    finally:
        child.kill()
        child.wait()


def test_speed_per_cpu_times_each_cpu_and_gives_the_cpus_back() -> None:
    allowed = os.sched_getaffinity(0)
    speeds = speed.per_cpu(rounds=1)
    assert sorted(speeds) == sorted(allowed)
    assert all(seconds > 0 for seconds in speeds.values())
    assert os.sched_getaffinity(0) == allowed
    if len(allowed) > 1:  # pinned to some of them before: only those are timed, and they are given back
        some = set(sorted(allowed)[:1])
        os.sched_setaffinity(0, some)
        try:
            assert sorted(speed.per_cpu(rounds=1)) == sorted(some)
            assert os.sched_getaffinity(0) == some
        finally:
            os.sched_setaffinity(0, allowed)


def test_an_output_is_emptied_by_setting_it_aside_and_deleted_only_when_the_trash_is_emptied(tmp_path: Path) -> None:
    # a deletion just before a timed build slows it (docs/scaling.md, "Reading the figures"): nothing is deleted
    # until ``empty_trash``, after the last timed command
    output = tmp_path / "site" / "output"
    for folder in (output / "questions" / "q", builds.cache_of(output), output.with_name("output.staging")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("page", encoding="utf-8")
    builds._clean(output)
    builds._clean(output)  # nothing left to set aside: no error, nothing more in the trash
    trash = tmp_path / "site" / builds.TRASH
    assert sorted(p.name.split("-")[0] for p in trash.iterdir()) == ["output", "output.cache", "output.staging"]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [builds.TRASH]
    assert sum(1 for p in trash.rglob("index.html")) == 3  # set aside whole, not deleted
    builds.empty_trash()
    assert not trash.exists()
