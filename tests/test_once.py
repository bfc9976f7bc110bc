"""Parts of pages rendered once per build (render/once.py): the same files as rendering every part again."""

from __future__ import annotations

import filecmp
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_site
from qasite.build.pipeline import build, load_settings
from qasite.config.urls import Urls
from qasite.render import generator
from qasite.render.once import once_global, uncached

# Nav items on a question page, a page of the site and a listing: the header is then rendered for them apart.
NAV = [
    *load_settings(ROOT / "pelicanconf.py")["QA_NAV"],
    ("A question", "questions/does-caffeine-make-anxiety-worse/"),
    ("Contributing", "contribute/"),
    ("Help", Urls.help),
]


def differences(left: Path, right: Path, prefix: str = "") -> list[str]:
    """Every file only on one side or with other bytes (Pagefind's bundle aside: not deterministic)."""
    cmp = filecmp.dircmp(left, right, ignore=["pagefind"])
    found = [f"{prefix}{name}" for name in cmp.left_only + cmp.right_only]
    found += [f"{prefix}{name}" for name in filecmp.cmpfiles(left, right, cmp.common_files, shallow=False)[1]]
    for sub in cmp.common_dirs:
        found += differences(left / sub, right / sub, f"{prefix}{sub}/")
    return found


def both_ways(monkeypatch: pytest.MonkeyPatch, conf: Path, target: Path, overrides: dict[str, Any]) -> list[str]:
    """Build ``conf``'s site with the cache and without it (every part rendered each time); the files that differ."""
    outputs = []
    for name, made in (("cached", once_global), ("uncached", lambda: uncached)):
        monkeypatch.setattr(generator, "once_global", made)
        output = target / name
        settings = {"OUTPUT_PATH": str(output), "QA_CACHE_PATH": str(target / f"cache-{name}"), **overrides}
        outputs.append(build(settings=load_settings(conf, settings)))
    assert sorted(p.name for p in outputs[0].iterdir()), "nothing was built"
    return differences(*outputs)


def test_demo_site_byte_identical_without_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    overrides = {"QA_SEARCH": False, "QA_NAV": NAV}
    assert both_ways(monkeypatch, ROOT / "pelicanconf.py", tmp_path, overrides) == []


def test_hostile_corpus_byte_identical_without_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site", "hostile")
    assert both_ways(monkeypatch, conf, tmp_path, {"QA_SEARCH": True}) == []


def test_key_by_value_truth_apart_objects_by_identity() -> None:
    once = once_global()
    calls: list[str] = []

    def part(text: str) -> Any:
        def caller() -> str:
            calls.append(text)
            return text

        return caller

    assert once("v", 1, "", caller=part("one")) == "one"
    assert once("v", 1, "", caller=part("again")) == "one"  # the same key: not rendered again
    assert once("v", True, "", caller=part("true")) == "true"  # True == 1, but not as a key
    assert once("w", 1, "", caller=part("other name")) == "other name"
    first, second = [1], [1]  # equal, not the same object
    assert once("p", first, caller=part("first")) == "first"
    assert once("p", second, caller=part("second")) == "second"
    assert once("p", first, caller=part("first again")) == "first"
    assert calls == ["one", "true", "other name", "first", "second"]
    assert str(once("e", caller=lambda: "<b>")) == "<b>"  # the block's HTML as it is (autoescape made it)
