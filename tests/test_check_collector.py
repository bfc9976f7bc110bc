"""``check`` loads with the garbage collector off and turns it back on with ``prepare.resume_collector``: a process
that ends with the command (``python -m qasite``: ``memory.ONE_BUILD``) freezes the load's objects first, so no
collection walks them all at the check's end; any other process (tests, tools) keeps them collectable."""

from __future__ import annotations

import gc

import pytest

from qasite.build import memory
from qasite.content import prepare


@pytest.mark.parametrize("one_build", [True, False])
def test_collector_back_on_frozen_only_in_a_one_command_process(
    monkeypatch: pytest.MonkeyPatch, one_build: bool
) -> None:
    monkeypatch.setattr(memory, "ONE_BUILD", one_build)
    gc.unfreeze()
    kept = [[index] for index in range(1000)]  # tracked objects, made while the collector is off
    gc.disable()
    try:
        prepare.resume_collector()
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
        gc.enable()
    assert (frozen >= len(kept)) is one_build
