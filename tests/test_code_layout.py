"""The code shows its architecture: every module is listed where a maintainer looks, and stays small.

The package docstring names the subpackages; each subpackage's docstring lists its modules; the code
map in docs/maintaining.md has a row for every module; no module or theme file is over 300 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "qasite"
MAX_LINES = 300
SUBPACKAGES = sorted(p.parent for p in PACKAGE.glob("*/__init__.py"))
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name not in {"__init__.py", "__main__.py"})


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def test_the_package_docstring_names_every_subpackage() -> None:
    doc = _docstring(PACKAGE / "__init__.py")
    missing = [p.name for p in SUBPACKAGES if f"``{p.name}``" not in doc]
    assert not missing, f"plugins/qasite/__init__.py does not name: {missing}"


@pytest.mark.parametrize("package", SUBPACKAGES, ids=lambda p: p.name)
def test_each_subpackage_docstring_lists_its_modules(package: Path) -> None:
    doc = _docstring(package / "__init__.py")
    missing = [
        p.stem for p in sorted(package.glob("*.py")) if p.name != "__init__.py" and not re.search(rf"\b{p.stem}\b", doc)
    ]
    assert not missing, f"{package.relative_to(ROOT)}/__init__.py docstring does not list: {missing}"


def test_every_module_has_a_docstring() -> None:
    missing = [str(p.relative_to(ROOT)) for p in MODULES if not _docstring(p)]
    assert not missing, f"modules without a docstring saying their job: {missing}"


def test_the_code_map_lists_every_module() -> None:
    text = (ROOT / "docs" / "maintaining.md").read_text(encoding="utf-8")
    code_map = text[text.index("## Code map") :]
    code_map = code_map[: code_map.find("\n## ", 1) if "\n## " in code_map[1:] else None]
    listed = set(re.findall(r"`([a-z0-9_]+/[a-z0-9_]+\.py)`", code_map))
    missing = [p.relative_to(PACKAGE).as_posix() for p in MODULES]
    missing = [m for m in missing if m not in listed]
    assert not missing, f"docs/maintaining.md code map has no row for: {missing}"


def test_no_file_is_over_300_lines() -> None:
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "theme").rglob("*.*"), ROOT / "tasks.py"]
    long = {
        str(p.relative_to(ROOT)): n
        for p in files
        if p.suffix in {".py", ".html", ".css", ".js", ".svg"}
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these files along their jobs (at most {MAX_LINES} lines): {long}"
