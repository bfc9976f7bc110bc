"""How Pagefind is started (render/search_index.py): the ``pagefind[bin]`` wheel's binary itself, with no Python
process before it; ``python -m pagefind`` where that would pick another binary."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qasite.render.search_index import pagefind_command, pagefind_program


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    pagefind_program.cache_clear()
    yield
    pagefind_program.cache_clear()


def test_pagefind_runs_as_the_wheels_binary(tmp_path: Path) -> None:
    import pagefind_bin  # type: ignore[import-untyped]

    command = pagefind_command(tmp_path, "questions/*/index.html", tmp_path / "bundle")
    assert Path(command[0]) == pagefind_bin.get_executable().absolute() and sys.executable not in command
    done = subprocess.run([*pagefind_program(), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("pagefind ")


def test_pagefind_runs_through_python_where_another_binary_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pagefind"))
    assert pagefind_command(tmp_path, "x")[:3] == [sys.executable, "-m", "pagefind"]
