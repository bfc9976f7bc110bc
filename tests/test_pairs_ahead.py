"""``check`` finds its possible-duplicate pairs ahead, in a forked child while it builds the model
(``content/pairs_ahead.py``): the pairs it reports are those the questions the model kept give
(``similar_pairs`` over their vectors), whether the child's pairs are taken (the questions it compared are the
model's) or not (the model dropped one: the child is stopped and the pairs found again); the whole report is the
one a check with nothing forked gives. Random sites of near-duplicate questions, some dropped or drafts."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from test_prepare_early import big_site

from conftest import ROOT, copy_site

# In a fresh interpreter: a test session's threads would make check refuse to fork (build/parallel.py).
RUN = """
import json, sys
from qasite.build.cache import Cache
from qasite.build.pipeline import content_problems, load_content, load_settings
from qasite.config.problems import format_problems
from qasite.content import pairs_ahead
from qasite.content.duplicate_pairs import PAIRS, similar_pairs, wording_digest
from qasite.content.related import build_vectors
overrides = {"QA_RENDER_PROCESSES": int(sys.argv[2]), "QA_CACHE_PATH": sys.argv[4]}  # a cache of its own
settings = load_settings(sys.argv[1], overrides)
cache = Cache.for_settings(settings)
if sys.argv[3] == "ahead":
    pairs_ahead.expect(__import__("pathlib").Path(settings["PATH"]), settings, cache)
loaded = load_content(settings=settings, render=False)
forked = pairs_ahead._ARMED is not None and pairs_ahead._ARMED.child is not None
problems = content_problems(loaded, settings=settings, cache=cache)
site = loaded.site
taken = forked and "vectors" not in vars(site)  # the child's vectors and pairs, none built here
direct = similar_pairs(build_vectors(site.questions), threshold=settings["QA_DUPLICATE_THRESHOLD"])
kept = cache.get(namespace=PAIRS, key=str(loaded.content.resolve()))  # what the next check compares with
kept_ok = kept[0] == wording_digest(site.questions, settings["QA_DUPLICATE_THRESHOLD"])
print(json.dumps({"forked": forked, "taken": taken, "report": format_problems(problems), "kept_ok": kept_ok,
                  "direct": [(a.slug, b.slug, s) for a, b, s in direct], "vector_sets": site.stats.vector_sets}))
"""

WORDS = "worry sleep panic therapy night work family friend stress grief anger calm breath doctor school".split()


def _check(site: Path, mode: str, processes: int = 2, cache: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    cache = cache or site.parent / f"cache-{mode}-{processes}"
    args = [sys.executable, "-c", RUN, str(site / "pelicanconf.py"), str(processes), mode, str(cache)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False, cwd=site)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _add_questions(site: Path, rng: random.Random, count: int, *, dropped: int = 0, drafts: int = 0) -> None:
    """``count`` questions worded from a few words (many alike), ``dropped`` of them with an unknown category
    (the model drops them; their own file is fine) and ``drafts`` with status draft."""
    folder = site / "content" / "questions"
    kinds = ["dropped"] * dropped + ["draft"] * drafts + ["fine"] * (count - dropped - drafts)
    rng.shuffle(kinds)
    for n, kind in enumerate(kinds):
        title = " ".join(rng.choices(WORDS, k=4)).capitalize()
        body = " ".join(rng.choices(WORDS, k=rng.randint(8, 30))).capitalize() + "."
        category = "No such category" if kind == "dropped" else "Psychotherapists"
        status = "status: draft\n" if kind == "draft" else ""
        day = 1 + rng.randrange(28)
        (folder / f"question-{n:03d}").mkdir()
        (folder / f"question-{n:03d}" / "index.md").write_text(
            f"---\ntitle: {title}\ndate: 2023-03-{day:02d}\ncategory: {category}\ntags: [therapy]\n"
            f"votes: 1\nauthor: sam-rivera\n{status}---\n\n{body}\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("seed", range(3))
def test_the_pairs_found_ahead_are_the_models_questions_pairs(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    site = copy_site(tmp_path / "site").parent
    _add_questions(site, rng, 60, drafts=5)
    ahead = _check(site, "ahead")
    assert ahead["forked"] and ahead["taken"]  # the child's pairs were used
    assert ahead["vector_sets"] == 1
    assert ahead["kept_ok"]  # the cache keeps the pairs under the digest of the model's questions
    assert ahead["direct"]  # near-duplicates were found
    assert "possible duplicate" in ahead["report"]
    plain = _check(site, "plain")
    assert not plain["forked"]
    assert ahead["report"] == plain["report"]
    assert ahead["direct"] == plain["direct"]


@pytest.mark.parametrize("seed", range(3))
def test_a_question_the_model_drops_makes_the_pairs_found_again(tmp_path: Path, seed: int) -> None:
    rng = random.Random(100 + seed)
    site = copy_site(tmp_path / "site").parent
    _add_questions(site, rng, 60, dropped=2, drafts=3)
    ahead = _check(site, "ahead")
    assert ahead["forked"] and not ahead["taken"]  # the child compared a question the model did not keep
    assert ahead["direct"]
    plain = _check(site, "plain")
    assert ahead["report"] == plain["report"]
    assert "unknown category" in ahead["report"].lower() or "category" in ahead["report"]


def test_one_process_finds_the_same_pairs_ahead(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site").parent
    _add_questions(site, random.Random(7), 40)
    one, two = _check(site, "ahead", processes=1), _check(site, "ahead", processes=2)
    assert one["taken"] and two["taken"]
    assert one["report"] == two["report"] == _check(site, "plain")["report"]


def test_after_an_answer_edit_nothing_is_forked_and_after_a_question_edit_the_pairs_are_found_again(
    tmp_path: Path,
) -> None:
    site = copy_site(tmp_path / "site").parent
    _add_questions(site, random.Random(11), 40)
    kept = tmp_path / "kept-cache"
    assert _check(site, "ahead", cache=kept)["taken"]
    answer = next((site / "content" / "questions").glob("*/answers/*.md"))
    answer.write_text(answer.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    edited = _check(site, "ahead", cache=kept)
    assert not edited["forked"]  # no question's file read anew: the pairs come from the cache
    assert edited["report"] == _check(site, "plain", cache=tmp_path / "fresh-1")["report"]
    question = site / "content" / "questions" / "question-000" / "index.md"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("\n---\n\n", "\n---\n\nWorry sleep panic therapy night. ", 1), encoding="utf-8")
    again = _check(site, "ahead", cache=kept)
    assert again["taken"]
    assert again["report"] == _check(site, "plain", cache=tmp_path / "fresh-2")["report"]


# The check's process logs each call of ``wordings`` (with the pid making it) and each fork of the cache's writer.
ORDER = """
import os, sys
from qasite.build import parallel
from qasite.build.pipeline import check_content, load_settings
from qasite.content import pairs_ahead, prepare
log = open(sys.argv[2], "a", buffering=1)
made, background, pairs = pairs_ahead.wordings, parallel.in_background, pairs_ahead._pairs
check = os.getpid()
def wordings(*args, **kwargs):
    log.write(f"wordings {os.getpid()}\\n")
    return made(*args, **kwargs)
def in_background(*args, **kwargs):
    log.write(f"writer {os.getpid()}\\n")
    return background(*args, **kwargs)
def child_pairs(*args, **kwargs):
    log.write("pairs " + ("check" if os.getpid() == check else "child") + "\\n")
    return pairs(*args, **kwargs)
pairs_ahead.wordings, prepare.in_background, pairs_ahead._pairs = wordings, in_background, child_pairs
check_content(settings=load_settings(sys.argv[1], {"QA_CACHE_PATH": sys.argv[3]}))
parallel.wait_for_background()
print(os.getpid())
"""


@pytest.mark.parametrize("early", [False, True])
def test_the_wordings_are_made_once_before_the_cache_writer_forks(tmp_path: Path, early: bool) -> None:
    """A cold check makes the questions' wordings once, in its own process, before any child shares its memory
    (each process touching the prepared files after a fork paid a copy-on-write fault per page): the pairs child
    takes them from its parent, and the cache's writer forks after; also when the prepare workers were forked
    during the scan (``early``: their pool is gone before the pairs child forks)."""
    if early:
        conf = big_site(tmp_path / "site", 2)
    else:
        conf = copy_site(tmp_path / "site")
        _add_questions(conf.parent, random.Random(3), 40)
    log = tmp_path / "order.log"
    env = {**os.environ, "QASITE_PROGRESS": "off", "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    args = [sys.executable, "-c", ORDER, str(conf), str(log), str(tmp_path / "cache")]
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False, cwd=conf.parent)
    assert done.returncode == 0, done.stderr
    pid = done.stdout.strip().splitlines()[-1]
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"wordings {pid}"  # then the writer's fork and the child's pairs, in either order
    assert sorted(lines[1:]) == ["pairs child", f"writer {pid}"]
