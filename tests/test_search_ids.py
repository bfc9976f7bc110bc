"""The sort table's ids kept in the build cache (render/search_sorts.page_ids): reused only for a shard whose
fragment folder lists the very files they were read from.

Seeded random edits of the demo site (search on, 4 questions a shard, so an edit re-indexes some shards and
leaves the others), each built incrementally: the sort table equals the one read from every fragment anew.
And a fragment replaced under the same name (another file) is read again; a fragment's URL longer than its first
bytes hold is read whole.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
from pathlib import Path

from test_incremental import KINDS, SEED, Editor, demo_copy, settings_for  # noqa: F401 (a fixture)

from qasite.build.cache import Cache, settle
from qasite.build.pipeline import build
from qasite.config.settings import urls_from
from qasite.config.urls import Urls
from qasite.content.loader import load_from_settings
from qasite.render import search_shards
from qasite.render.search_sorts import (
    FIRST_BYTES,
    FRAGMENT_SIGNATURE,
    NAMESPACE,
    fragment_url,
    page_ids,
    read_sort_table,
)

EDITS = 8
SMALL_SHARDS = {"QA_SEARCH": True, "QA_SEARCH_SHARD_SIZE": 4}


def fresh_table(output: Path, settings: dict) -> str:
    """The sort table of ``output`` read from every fragment, nothing kept."""
    site, _ = load_from_settings(Path(settings["PATH"]), settings, urls_from(settings))
    return read_sort_table(output, site.questions, search_shards.bundles_on_disk(output))


def built_demo(site: Path, output: Path, seed: int) -> tuple[random.Random, Editor, dict]:
    """The demo copy built in full into ``output`` with small shards, and a seeded editor for it."""
    rng = random.Random(seed)
    settings = settings_for(site, output, **SMALL_SHARDS)
    build(settings=settings)
    return rng, Editor(site / "content", rng), settings


def test_random_edits_keep_the_sort_table_of_a_fresh_read(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    output = tmp_path / "output"
    rng, editor, settings = built_demo(demo_copy, output, SEED + 5)
    shards = search_shards.bundles_on_disk(output)
    assert shards > 2
    kept = 0
    for step in range(EDITS):
        kind = rng.choice(KINDS)
        getattr(editor, kind)()
        before = {k: (output / Urls.search_bundle(k) / "fragment").stat().st_ino for k in range(shards)}
        build(settings=settings_for(demo_copy, output, **SMALL_SHARDS))
        assert (output / Urls.search_sorts).read_text() == fresh_table(output, settings), f"edit {step}: {kind}"
        if search_shards.bundles_on_disk(output) == shards:
            kept += sum(before[k] != (output / Urls.search_bundle(k) / "fragment").stat().st_ino for k in before)
    assert kept  # some shards were left alone (their fragments linked from the published site) and reused
    settle()  # the cache writer
    cache = Cache.for_settings(settings)
    assert [p.name for p in cache.folder.parent.iterdir()] == [cache.folder.name]  # the build's cache, no other
    assert len(list((cache.folder / NAMESPACE).iterdir())) == shards


def test_a_fragment_replaced_under_its_name_is_read_again(demo_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    output = tmp_path / "output"
    settings = settings_for(demo_copy, output, QA_SEARCH=True)
    build(settings=settings)
    bundle = tmp_path / "bundle"
    shutil.copytree(output / Urls.pagefind, bundle)
    cache = Cache.for_settings(settings)
    ids = page_ids(bundle, cache, "key")
    assert cache.get(namespace=NAMESPACE, key="key")[1] == ids
    assert page_ids(bundle, cache, "key") == ids  # kept: the same files
    fragments = sorted((bundle / "fragment").iterdir())
    first, second = fragments[0], fragments[1]
    data = second.read_bytes()
    first.unlink()
    first.write_bytes(data)  # another file under the first one's name: the second page's URL
    os.utime(first, ns=(second.stat().st_atime_ns, second.stat().st_mtime_ns))
    again = page_ids(bundle, cache, "key")
    assert again == page_ids(bundle, None)
    assert again[fragment_url(second)] == first.name.removesuffix(".pf_fragment")  # sorted: the first name wins
    cache.put(namespace=NAMESPACE, key="key", value="damaged")
    assert page_ids(bundle, cache, "key") == again


def fragment(data: bytes, path: Path) -> Path:
    """A fragment file as Pagefind writes one: gzip of its signature and the page's JSON."""
    path.write_bytes(gzip.compress(FRAGMENT_SIGNATURE + data))
    return path


def test_a_fragments_url_is_read_whole_when_its_first_bytes_do_not_hold_it(tmp_path: Path) -> None:
    # fragment_url reads FIRST_BYTES of the gzip first: a URL that needs more (hardly compressible) is read from more
    rng = random.Random(SEED)
    long = "/questions/" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(1400)) + "/"
    for url in ("/questions/short/", long, "/questions/caf\u00e9-\u00fc/"):
        text = json.dumps({"url": url, "content": "words " * 400}, ensure_ascii=False, separators=(",", ":")).encode()
        assert fragment_url(fragment(text, tmp_path / "en_1.pf_fragment")) == url
    assert len(gzip.compress(FRAGMENT_SIGNATURE + long.encode())) > FIRST_BYTES  # the long one needed the second read
    assert fragment_url(fragment(b'{"content":"no url first"}', tmp_path / "en_2.pf_fragment")) is None
    # a small file (fewer compressed bytes than FIRST_BYTES) whose URL inflates to more than FIRST_BYTES
    repeated = "/questions/" + "ab-" * 170 + "c/"
    text = json.dumps({"url": repeated, "content": "A short page."}, separators=(",", ":")).encode()
    small = fragment(text, tmp_path / "en_3.pf_fragment")
    assert small.stat().st_size < FIRST_BYTES < len(repeated)
    assert fragment_url(small) == repeated
