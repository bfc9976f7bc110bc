"""Incremental builds and preview updates at N questions: how long one edit takes to reach output/.

Copies the generated site (bench/.work/sites/<N>/ours/content, from `invoke bench` or bench/run.py) to a
work folder (never edits the generated one), builds it once in full, then applies ``--edits`` edits of each
kind (an answer's text, a question's text, a question's tags, a person in people.yml) and a few of the
others (a question or an answer added or deleted), timing each rebuild:

- **preview** (`invoke livereload`'s update): ``Preview.build(paths)`` in the same process with the paths the
  edit changed, as livereload calls it on its file watcher's report, before the page reloads (the last build's
  snapshot, the cache's entries and the compiled templates still in memory; the search index left behind); with
  ``--search``, also the **search catch-up** (``Preview.catch_up``, after the reload): from the end of that build
  until the search is current (the edited pages' delta bundle in place: render/search_delta.py), and until the
  background re-index of their shards (``tools/catchup.py``) has finished, before the next edit;
- **`invoke build`**: a fresh process (`python -m qasite build`'s ``run_cli``), which reads the snapshot
  from the cache folder first; ``--cli-edits`` of them (answer edits).

Search is off by default (``--search`` turns it on: ``invoke build`` then re-indexes the shards of the
changed question pages, timed with the build; the preview in the background, timed apart). Results:
bench/results/incremental-latest.json and .md (``--results``: another name), with the load average before
and after. Not a test: the figures depend on the machine.

    .venv/bin/python bench/incremental.py --size 10000 --edits 10
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

import phases  # noqa: E402
from qasite.tools.livereload import Preview  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def overrides(work: Path, search: bool) -> dict[str, Any]:
    return {
        "PATH": str(work / "content"),
        "OUTPUT_PATH": str(work / "output"),
        "QA_CACHE_PATH": str(work / "cache"),
        "QA_SEARCH": search,
    }


class Edits:
    """Edits of a generated site that keep it valid."""

    def __init__(self, content: Path, seed: int) -> None:
        self.content, self.rng, self.count = content, random.Random(seed), 0
        self.questions = sorted((content / "questions").glob("*/index.md"))
        self.touched: set[str] = set()  # the paths changed since ``take``, as livereload's file watcher reports them

    def take(self) -> set[str]:
        """The paths changed since the last call (what ``invoke livereload`` hands ``Preview.rebuild``)."""
        touched, self.touched = self.touched, set()
        return touched

    def _append(self, path: Path, line: str) -> None:
        self.count += 1
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line} {self.count}.\n", encoding="utf-8")
        self.touched.add(str(path))

    def answer(self) -> None:
        while not (answers := sorted((self.rng.choice(self.questions).parent / "answers").glob("*.md"))):
            pass
        self._append(self.rng.choice(answers), "One more thing that helped me")

    def question_text(self) -> None:
        self._append(self.rng.choice(self.questions), "Edit: thank you all, I am trying this")

    def tags(self) -> None:
        path = self.rng.choice(self.questions)
        text = path.read_text(encoding="utf-8")
        tags = re.search(r"^tags: \[(.*)\]$", text, flags=re.MULTILINE)
        assert tags, path
        names = [t.strip() for t in tags[1].split(",") if t.strip()]
        names = names[1:] if len(names) > 1 else [*names, "sleep"]
        path.write_text(text.replace(tags[0], f"tags: [{', '.join(names)}]", 1), encoding="utf-8")
        self.touched.add(str(path))

    def person(self) -> None:
        people = self.content / "people.yml"
        text = people.read_text(encoding="utf-8")
        names = re.findall(r'^  name: "(.*)"$', text, flags=re.MULTILINE)
        name = self.rng.choice(names)
        self.count += 1
        people.write_text(text.replace(f'  name: "{name}"', f'  name: "{name} {self.count}"', 1), encoding="utf-8")
        self.touched.add(str(people))

    def add_question(self) -> None:
        self.count += 1
        while (self.content / "questions" / f"a-benchmark-question-{self.count}").exists():  # a reused work folder's
            self.count += 1
        folder = self.content / "questions" / f"a-benchmark-question-{self.count}"
        folder.mkdir()
        text = f'---\ntitle: "A benchmark question {self.count}"\ndate: 2024-05-01\ncategory: "Relationships"\n'
        text += "tags: [sleep]\nvotes: 3\nauthor: sam-khan\n---\n\nHow do I sleep better?\n"
        (folder / "index.md").write_text(text, encoding="utf-8")
        self.questions.append(folder / "index.md")
        self.touched |= {str(folder), str(folder / "index.md")}

    def delete_question(self) -> None:
        path = self.questions.pop(self.rng.randrange(len(self.questions)))
        self.touched |= {str(path.parent), *(str(p) for p in path.parent.rglob("*"))}
        shutil.rmtree(path.parent)

    def add_answer(self) -> None:
        self.count += 1
        folder = self.rng.choice(self.questions).parent / "answers"
        folder.mkdir(exist_ok=True)
        text = f"---\nauthor: sam-khan\ndate: 2026-06-01\nvotes: 2\n---\n\nTry a routine ({self.count}).\n"
        (folder / f"2026-06-01-sam-khan-{self.count}.md").write_text(text, encoding="utf-8")
        self.touched |= {str(folder), str(folder / f"2026-06-01-sam-khan-{self.count}.md")}

    def delete_answer(self) -> None:
        while not (answers := sorted((self.rng.choice(self.questions).parent / "answers").glob("*.md"))):
            pass
        path = self.rng.choice(answers)
        path.unlink()
        self.touched.add(str(path))


def cpu() -> float:
    """CPU time of this process and its reaped children (the forked workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cli_build(work: Path, search: bool) -> None:
    conf, extra = str(ROOT / "pelicanconf.py"), overrides(work, search)
    code = "from qasite.build.pipeline import run_cli; from qasite.__main__ import exit_fast; "  # as python -m qasite
    code += "from qasite.build import memory; memory.ONE_BUILD = True; "
    code += f"exit_fast(run_cli('build', {conf!r}, {extra!r}))"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "QASITE_PROGRESS": "off"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)


def check_zero(code: int) -> None:
    if code != 0:
        sys.exit(f"a preview build or its search catch-up failed (exit code {code})")


def summary(times: list[float]) -> dict[str, Any]:
    return {"n": len(times), "median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
            "max_s": round(max(times), 2), "all_s": [round(t, 2) for t in times]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="10000")
    parser.add_argument("--edits", type=int, default=10, help="edits of each main kind")
    parser.add_argument("--other-edits", type=int, default=3, help="additions and deletions of each kind")
    parser.add_argument("--cli-edits", type=int, default=3)
    parser.add_argument("--search", action="store_true")
    parser.add_argument("--work", type=Path, default=Path("/tmp") / "qasite-incremental")
    parser.add_argument("--reuse", action="store_true", help="the work folder is already built: edit it further")
    parser.add_argument("--results", default="incremental-latest", help="results file name (no extension)")
    parser.add_argument("--trace", action="store_true", help="print each preview edit's phases (bench/phases.py)")
    args = parser.parse_args()
    source = ROOT / "bench" / ".work" / "sites" / args.size / "ours" / "content"
    if not source.is_dir():
        sys.exit(f"{source} is missing: generate it first (.venv/bin/python bench/run.py --sizes {args.size})")
    if not args.reuse:
        shutil.rmtree(args.work, ignore_errors=True)
        shutil.copytree(source, args.work / "content")
    edits = Edits(args.work / "content", seed=11)
    os.environ["QASITE_PROGRESS"] = "off"
    load_before = os.getloadavg()
    # In a process of its own, as `invoke build`: `invoke livereload` starts with no such build in its process, and one
    # there was followed by costlier preview edits once (docs/scaling-history.md, session 9; not verified side by side)
    full = timed(lambda: cli_build(args.work, args.search))  # with --reuse: an incremental build of nothing
    print(f"first build: {full:.1f} s", flush=True)
    cli = []
    for _ in range(args.cli_edits):  # first: the code must not change between the builds (the cache's key)
        edits.answer()
        cli.append(timed(lambda: cli_build(args.work, args.search)))
        print(f"invoke build (answer): {cli[-1]:.2f} s", flush=True)
    kinds = {"answer": args.edits, "question_text": args.edits, "tags": args.edits, "person": args.edits}
    kinds |= {k: args.other_edits for k in ("add_question", "delete_question", "add_answer", "delete_answer")}
    preview: dict[str, dict[str, Any]] = {}
    catchup: dict[str, dict[str, Any]] = {}
    reindexed: dict[str, dict[str, Any]] = {}
    live = Preview(ROOT / "pelicanconf.py", overrides(args.work, args.search))
    recorder = phases.trace() if args.trace else None
    preview_start = timed(lambda: check_zero(live.rebuild()))  # as `invoke livereload` starts
    print(f"preview start: {preview_start:.1f} s", flush=True)
    for kind, count in kinds.items():
        if not count:
            continue
        times, behind, shards = [], [], []
        for _ in range(count):
            getattr(edits, kind)()
            touched = edits.take()  # as the file watcher reports them (the first build walks content/ anyway)
            if recorder is not None:
                recorder.mark()
            used = cpu()
            # the build (what the editor waits for: the page reloads after it), then the catch-up's start (a fork)
            times.append(timed(functools.partial(lambda paths: check_zero(live.build(paths)), touched)))
            used = cpu() - used
            start = time.perf_counter()
            live.catch_up()
            print(f"preview {kind}: {times[-1]:.2f} s, {used:.2f} CPU-s, load {os.getloadavg()[0]:.1f}", flush=True)
            if recorder is not None:
                print(recorder.report(), flush=True)
            if live.indexer is not None:  # the search index catching up in the background (from the build's end)
                indexer = live.indexer
                indexer.wait_current()  # the edited pages' delta in place (render/search_delta.py)
                behind.append(time.perf_counter() - start)
                check_zero(indexer.wait())
                shards.append(time.perf_counter() - start)
                print(f"  search current {behind[-1]:.2f} s later, shards re-indexed {shards[-1]:.2f} s", flush=True)
        preview[kind] = summary(times)
        if behind:
            catchup[kind] = summary(behind)
            reindexed[kind] = summary(shards)
    live.close()
    result = {
        "size": args.size,
        "search": args.search,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "first_build_s": round(full, 1),
        "first_build": "incremental (nothing changed)" if args.reuse else "full",
        "preview_start_s": round(preview_start, 1),
        "preview": preview,
        "search_catchup_after_preview": catchup,
        "search_shards_reindexed_after_preview": reindexed,
        "invoke_build_answer": summary(cli) if cli else None,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.results}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / f"{args.results}.md").write_text(table(result), encoding="utf-8")
    print(table(result))


def table(result: dict[str, Any]) -> str:
    lines = [
        f"# Incremental builds at {result['size']} questions ({result['date']})",
        "",
        f"Search {'on' if result['search'] else 'off'}; {result['cpus']} CPUs; load average "
        f"{result['load_average_before'][0]} before, {result['load_average_after'][0]} after. "
        f"First build ({result['first_build']}): {result['first_build_s']} s. "
        f"The preview's start (its own first build, as `invoke livereload`'s): {result['preview_start_s']} s.",
        "",
        "| edit | n | median | min | max |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = [(f"preview: {kind.replace('_', ' ')}", s) for kind, s in result["preview"].items()]
    catchup = result.get("search_catchup_after_preview", {})
    rows += [(f"search current after the preview: {kind.replace('_', ' ')}", s) for kind, s in catchup.items()]
    reindexed = result.get("search_shards_reindexed_after_preview", {})
    rows += [(f"search shards re-indexed after the preview: {k.replace('_', ' ')}", s) for k, s in reindexed.items()]
    if result["invoke_build_answer"]:
        rows.append(("`invoke build` (new process): answer", result["invoke_build_answer"]))
    for name, s in rows:
        lines.append(f"| {name} | {s['n']} | {s['median_s']:.2f} s | {s['min_s']:.2f} s | {s['max_s']:.2f} s |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
