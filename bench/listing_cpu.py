"""CPU time of rendering the listing pages (home, newest, unanswered, categories, tags), rows already kept.

    .venv/bin/python bench/listing_cpu.py --content bench/.work/sites/1000/ours/content --repeat 5

One full build (search off, one process) of ``--content`` into a temporary folder; at its end, the listing pages
are rendered ``--repeat`` times more through the generator's own ``_write_*`` methods, into a writer that renders
each page as Pelican's does (the context copied, ``output_file`` and the page's variables added) and keeps only a
hash of the HTML. Each round prints the process CPU per page (with ``_write``'s own work: meta, the write guard)
and the render's alone: what a preview edit pays for a listing page whose rows are kept, without the file system.
The hash of every round's HTML is printed too: two codes that must give the same pages (an A/B) print the same
hash. ``--profile FILE``: cProfile (CPU time) of the rounds into FILE; ``--theme DIR``: a variant of theme/ (to
weigh a part of the page by leaving it out). Not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
os.environ["QASITE_PROGRESS"] = "off"  # before qasite is imported: build/progress.py reads it then

from qasite.build.pipeline import build, load_settings  # noqa: E402
from qasite.render.generator import QAGenerator  # noqa: E402


class RenderOnly:
    """A writer that renders each page as Pelican's ``write_file`` does (no pagination) and hashes the HTML."""

    def __init__(self) -> None:
        self.pages, self.rendering = 0, 0.0
        self.digest = hashlib.sha256()

    def write_file(self, name: str, template: Any, context: dict[str, Any], **kwargs: Any) -> None:
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        local["output_file"] = name
        local.update(kwargs)
        started = time.process_time()
        html = template.render(local)
        self.rendering += time.process_time() - started
        self.digest.update(name.encode() + b"\0" + html.encode())
        self.pages += 1


def rounds(generator: QAGenerator, repeat: int, profile: Path | None) -> None:
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not wall
    for number in range(repeat):
        writer = RenderOnly()
        sitemap = list(generator.sitemap)
        started = time.process_time()
        if profiler is not None:
            profiler.enable()
        generator._write_home_listings(writer)
        generator._write_categories(writer)
        generator._write_tags(writer)
        if profiler is not None:
            profiler.disable()
        used = time.process_time() - started
        generator.sitemap = sitemap
        print(
            f"round {number}: {writer.pages} pages, {used:.3f} CPU-s, {used / writer.pages * 1000:.3f} ms a page "
            f"(rendering {writer.rendering / writer.pages * 1000:.3f}), "
            f"load {os.getloadavg()[0]:.1f}, html {writer.digest.hexdigest()[:16]}",
            flush=True,
        )
    if profiler is not None:
        profiler.dump_stats(str(profile))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--theme", type=Path, help="another theme folder (a variant of theme/ to compare)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="listing-cpu-"))
    original = QAGenerator.generate_output

    def generate_output(self: QAGenerator, writer: Any) -> None:
        original(self, writer)
        rounds(self, args.repeat, args.profile)

    QAGenerator.generate_output = generate_output  # type: ignore[method-assign]
    overrides = {
        "PATH": str(args.content.resolve()),
        "OUTPUT_PATH": str(work / "output"),
        "QA_CACHE_PATH": str(work / "cache"),
        "QA_SEARCH": False,
        "QA_RENDER_PROCESSES": 1,
    }
    if args.theme:
        overrides["THEME"] = str(args.theme.resolve())
    try:
        build(settings=load_settings(ROOT / "pelicanconf.py", overrides))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
