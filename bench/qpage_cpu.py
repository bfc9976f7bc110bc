"""CPU time of the question pages alone: a real build of a site, stopped after writing some of its question pages.

    .venv/bin/python bench/qpage_cpu.py --content /tmp/me-site --count 3000 [--root /tmp/main-copy] [--profile F]

Loads the site as a build does (search off, one render process, an empty build cache), then, in place of the
generator's output, writes ``--warm`` question pages untimed (templates compiled, the parts rendered once made)
and the next ``--count`` ones timed: CPU seconds of this process (``process_time``), and per page. The pages are
written through the generator's own ``_write_question`` (the page, its Markdown alternate, the write guard) into
the build's staging folder, deleted when the build stops. ``--root``: the checkout whose plugin, theme and
settings to use (an A/B: the same script on a copy of main); ``--profile``: cProfile of the timed pages into F.
``--repeat R``: the same pages R times (each timed). ``--against FOLDER``: an A/B of templates in this one process
(the same loaded site, so the machine's moving speed falls on both alike): chunks of 25 pages written with the
build's templates and with FOLDER's (e.g. a copy of main's theme/templates; each with its own ``qa_once``), in
turn, every page's HTML compared first; ``--fresh-once``: each chunk with a new ``qa_once`` cache on both sides
(a preview build writing a few pages: its parts rendered once mostly miss). Not a test: the figures depend on
the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class StopTimingError(Exception):
    """Raised once the pages are timed: the build stops there (its staging folder is removed)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--against", type=Path, help="another templates folder: an A/B in this process")
    parser.add_argument("--fresh-once", action="store_true", help="with --against: a new qa_once for every chunk")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve() / "plugins"))
    os.environ["QASITE_PROGRESS"] = "off"
    from qasite.build.pipeline import build, load_settings
    from qasite.render import generator

    figures: list[float] = []
    profile = cProfile.Profile() if args.profile else None

    def generate_output(self: Any, writer: Any) -> None:
        questions = self.site.questions[: args.warm + args.count]
        if args.against is not None:
            against(self, writer, questions[args.warm :], args.against, fresh=args.fresh_once)
            raise StopTimingError
        for question in questions[: args.warm]:
            self._write_question(writer, question)
        for _ in range(args.repeat):
            writer._written_files.clear()  # Pelican refuses to write a file twice in one build
            shutil.rmtree(self.output_path, ignore_errors=True)  # each round writes new files, as a build does
            started = time.process_time()
            if profile is not None:
                profile.enable()
            for question in questions[args.warm :]:
                self._write_question(writer, question)
            if profile is not None:
                profile.disable()
            figures.append(time.process_time() - started)
        raise StopTimingError

    generator.QAGenerator.generate_output = generate_output  # type: ignore[method-assign]
    work = Path(tempfile.mkdtemp(prefix="qpage-cpu-"))
    overrides = {
        "PATH": str(args.content.resolve()),
        "OUTPUT_PATH": str(work / "output"),
        "QA_CACHE_PATH": str(work / "cache"),
        "QA_SEARCH": False,
        "QA_RENDER_PROCESSES": 1,
    }
    try:
        build(settings=load_settings(args.root.resolve() / "pelicanconf.py", overrides))
    except StopTimingError:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if profile is not None:
        profile.dump_stats(args.profile)
    load = os.getloadavg()[0]
    for cpu in figures:
        pages = args.count
        print(f"{args.root}: {pages} pages {cpu:.2f} CPU-s, {1000 * cpu / pages:.3f} ms a page (load {load:.1f})")


def against(generator: Any, writer: Any, questions: list[Any], folder: Path, *, fresh: bool = False) -> None:
    """Write ``questions`` in chunks with the generator's templates (B) and with ``folder``'s (A), in turn, after
    checking that both give every page the same bytes; print each one's CPU seconds a page."""
    from jinja2 import FileSystemLoader

    from qasite.render.once import once_global

    other = generator.env.overlay(loader=FileSystemLoader(str(folder)))
    other.globals = {**generator.env.globals, "qa_once": once_global()}
    other.filters = dict(generator.env.filters)
    sides = {"B (this build's)": (generator.env, {}), f"A ({folder})": (other, {})}
    output = Path(generator.output_path)

    def write(side: str, chunk: list[Any]) -> float:
        generator.env, generator._templates = sides[side]
        if fresh:
            generator.env.globals["qa_once"] = once_global()
        started = time.process_time()
        for question in chunk:
            generator._write_question(writer, question)
        spent = time.process_time() - started
        writer._written_files.clear()  # written again by the other side, as new files
        shutil.rmtree(output / "questions", ignore_errors=True)
        return spent

    def written(side: str, question: Any) -> bytes:
        """The question's page and Markdown alternate as ``side`` writes them."""
        generator.env, generator._templates = sides[side]
        generator._write_question(writer, question)
        page = next((output / "questions").glob("*/index.html"))
        data = page.read_bytes() + page.with_suffix(".md").read_bytes()
        write(side, [])  # removed again
        return data

    first, second = sides
    compared = questions[:200]
    differ = sum(written(first, question) != written(second, question) for question in compared)
    spent = dict.fromkeys(sides, 0.0)
    chunks = [questions[i : i + 25] for i in range(0, len(questions), 25)]
    for number, chunk in enumerate(chunks):
        for side in sorted(sides, reverse=number % 2 == 1):
            spent[side] += write(side, chunk)
    load = os.getloadavg()[0]
    print(f"pages compared: {len(compared)}, differing: {differ}; then {len(questions)} pages each (load {load:.1f})")
    for side, cpu in spent.items():
        print(f"{side}: {cpu:.2f} CPU-s, {1000 * cpu / len(questions):.3f} ms a page")


if __name__ == "__main__":
    main()
