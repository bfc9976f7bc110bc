"""Listings and member pages an incremental build does not write are neither sorted nor paginated
(render/listing_pages.py ``_listing_wanted``), yet their pages' addresses still reach sitemap.xml as a full
build puts them. Preview builds after seeded random edits of every kind, with two questions a listing page (so
listings run to several pages and most of them are skipped), equal full builds, sitemap.xml included."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_incremental import SEED, demo_copy, differences, searchless_preview  # noqa: F401 (the fixture)

from qasite.build.pipeline import build, load_settings
from qasite.config.urls import Urls
from qasite.tools.livereload import Preview


def test_skipped_listings_leave_the_output_and_sitemap_of_a_full_build(
    demo_copy: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    conf, editor, order = searchless_preview(demo_copy, SEED + 11, "QA_PER_PAGE = 2\n")
    output = demo_copy / "output"
    assert (output / "page" / "2" / "index.html").is_file()  # listings of several pages
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
