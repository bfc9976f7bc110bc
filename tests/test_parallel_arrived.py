"""``build.parallel.map_forked(arrived=...)``: this process sees each result, with its index, as it arrives (how
``prepare_cache.by_part`` unpickles each part of ``check``'s per-file results while the workers prepare the next
ones), once each and in order, with one process or several; the results returned are the same."""

from __future__ import annotations

import os

import pytest

from qasite.build.parallel import map_forked


def _square_and_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


@pytest.mark.parametrize("processes", [1, 2])
def test_each_result_arrives_once_in_order_in_this_process(processes: int) -> None:
    seen: list[tuple[int, tuple[int, int], int]] = []
    found = map_forked(
        _square_and_pid, list(range(40)), processes=processes, arrived=lambda i, r: seen.append((i, r, os.getpid()))
    )
    assert [(i, r) for i, r, _ in seen] == list(enumerate(found))
    assert [square for square, _ in found] == [i * i for i in range(40)]
    assert {pid for _, _, pid in seen} == {os.getpid()}
    assert (os.getpid() in {pid for _, pid in found}) is (processes == 1)
