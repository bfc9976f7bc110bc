"""A full build's site graph, read only by the next build, made by the cache writer after ``python -m qasite build``
returned (``memory.graph_behind``), not while the build waits for Pagefind: the snapshot must hold the graph the build
would have made, and the next build must be incremental and write a full build's bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_incremental import differences

from conftest import REPO_TODAY, ROOT
from qasite.build import memory
from qasite.build.cache import Cache, behind
from qasite.build.changes import pack_related
from qasite.build.incremental import NAMESPACE, plan
from qasite.build.outputdir import build_lock
from qasite.build.pipeline import build, load_settings
from qasite.config.settings import urls_from
from qasite.content.graph import site_graph
from qasite.content.graph_update import snapshot_form
from qasite.content.loader import load_from_settings
from qasite.content.related import compute_related

ANSWER = "questions/how-do-i-afford-therapy-on-a-tight-budget/answers/2024-05-21-mossy-stone.md"


def site_conf(site: Path) -> Path:
    """A copy of the demo with its settings file (absolute paths, 4 search shards, a fixed date)."""
    shutil.copytree(ROOT / "content", site / "content")
    conf = site / "pelicanconf.py"
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
    text += (
        f"PATH = {str(site / 'content')!r}\nOUTPUT_PATH = {str(site / 'output')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
    )
    text += f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nQA_CACHE_PATH = {str(site / 'cache')!r}\n"
    text += f"QA_TODAY = {REPO_TODAY!r}\nQA_SEARCH = True\nQA_SEARCH_SHARD_SIZE = 8\n"
    conf.write_text(text, encoding="utf-8")
    return conf


def cli_build(conf: Path) -> None:
    """``python -m qasite build`` as an editor runs it (``invoke build``), out of CI: its cache written apart."""
    command = [sys.executable, "-m", "qasite", "build", "--settings", str(conf)]
    env = {"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(command, cwd=conf.parent, env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr


def graph_sets(graph: Any) -> tuple[dict[Any, set[Any]], Any]:
    return {key: set(outputs) for key, outputs in graph.edges.items()}, graph.selections


def test_only_a_one_build_process_out_of_ci_leaves_the_graph_to_its_writer(monkeypatch: Any) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert behind() and not memory.graph_behind()  # a test's builds: in this process, which builds again
    monkeypatch.setattr(memory, "ONE_BUILD", True)
    assert memory.graph_behind()
    monkeypatch.setenv("CI", "true")  # CI's cache step after the job needs the entries: written by the build
    assert not behind() and not memory.graph_behind()


def test_the_writer_s_graph_is_the_build_s_and_the_next_build_uses_it(tmp_path: Path) -> None:
    conf = site_conf(tmp_path / "site")
    output = tmp_path / "site" / "output"
    cli_build(conf)
    settings = load_settings(conf)
    with build_lock(output):  # held by the cache writer until the snapshot is written
        kept = Cache.for_settings(settings).get(namespace=NAMESPACE, key=str(output.resolve()))
    site, _ = load_from_settings(Path(settings["PATH"]), settings, urls_from(settings))
    related = compute_related(site.vectors, limit=settings["QA_RELATED_COUNT"])
    graph = site_graph(site, urls_from(settings), per_page=settings["QA_PER_PAGE"], related=related, content="content")
    assert kept is not None and kept.graph is not None  # made by the writer: none if its ``complete`` is left out
    assert graph_sets(kept.graph) == graph_sets(snapshot_form(graph))
    assert list(kept.related.items()) == list(pack_related(related).items())  # packed by the writer, in order
    answer = tmp_path / "site" / "content" / ANSWER
    answer.write_text(answer.read_text(encoding="utf-8") + "\nOne more thought, added later.\n", encoding="utf-8")
    assert plan(load_settings(conf), output, None).partial is not None  # incremental, from the writer's snapshot
    memory.SNAPSHOTS.clear()
    cli_build(conf)
    apart = {"OUTPUT_PATH": str(tmp_path / "full"), "QA_CACHE_PATH": str(tmp_path / "full-cache")}  # a cold one
    full = build(settings=load_settings(conf, apart))
    assert [n for n in differences(output, full) if not n.startswith("pagefind")] == []
