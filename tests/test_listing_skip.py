"""Listings and member pages an incremental build does not write are neither sorted nor paginated
(render/listing_pages.py ``_listing_wanted``), yet their pages' addresses still reach sitemap.xml as a full
build puts them. Preview builds after seeded random edits of every kind, with two questions a listing page (so
listings run to several pages and most of them are skipped), equal full builds, sitemap.xml included."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from test_incremental import KINDS, SEED, Editor, demo_copy, differences, preview_conf  # noqa: F401 (the fixture)

from qasite.build.pipeline import build, load_settings, run_cli
from qasite.config.urls import Urls
from qasite.tools.livereload import Preview


def test_skipped_listings_leave_the_output_and_sitemap_of_a_full_build(
    demo_copy: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    conf = preview_conf(demo_copy)
    conf.write_text(conf.read_text(encoding="utf-8") + "QA_SEARCH = False\nQA_PER_PAGE = 2\n", encoding="utf-8")
    assert run_cli("build", conf) == 0
    output = demo_copy / "output"
    assert (output / "page" / "2" / "index.html").is_file()  # listings of several pages
    rng = random.Random(SEED + 11)
    editor = Editor(demo_copy / "content", rng)
    order = list(KINDS)
    rng.shuffle(order)
    preview = Preview(conf)
    try:
        for step, kind in enumerate(order):
            getattr(editor, kind)()
            assert preview.rebuild() == 0, kind
            full = build(settings=load_settings(conf, {"OUTPUT_PATH": str(tmp_path / f"full{step}")}))
            sitemap = (output / Urls.sitemap).read_text(encoding="utf-8")
            assert sitemap == (full / Urls.sitemap).read_text(encoding="utf-8"), kind
            assert differences(output, full) == [], kind
            shutil.rmtree(full)
    finally:
        preview.close()
