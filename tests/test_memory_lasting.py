"""``build.memory.lasting``: what a full build makes to keep (the site graph) is neither collected while it is made
nor walked by the collections after it; where collection is off (the preview) it stays off, nothing frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from qasite.build import memory


@pytest.fixture
def collector() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_objects_made_within_are_frozen(collector: None) -> None:
    gc.enable()
    before = gc.get_freeze_count()
    with memory.lasting():
        assert not gc.isenabled()
        kept = [{(str(i), "", "title")} for i in range(10_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)


def test_collection_off_stays_off_and_nothing_frozen(collector: None) -> None:
    gc.disable()
    before = gc.get_freeze_count()
    with memory.lasting():
        kept = [{(str(i), "", "title")} for i in range(1_000)]
    assert not gc.isenabled()
    assert gc.get_freeze_count() == before
    assert len(kept) == 1_000


def test_collection_comes_back_after_an_error(collector: None) -> None:
    gc.enable()
    with pytest.raises(RuntimeError), memory.lasting():
        raise RuntimeError("graph failed")
    assert gc.isenabled()
