"""The docs' front-matter reference is generated from the schema and must be current."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from qasite.tools.docs import MARKER, RECORDS_MARKER, update_doc

DOCS = [ROOT / "docs" / "content-format.md", ROOT / "CONTRIBUTING.md"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_field_tables_match_schema(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert MARKER.search(text), "doc has no generated field table"
    assert update_doc(text) == text, "run `invoke docs` to regenerate the field tables"


def test_open_data_tables_match_the_records() -> None:
    text = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    assert {m.group(2) for m in RECORDS_MARKER.finditer(text)} == {"question", "answer", "person", "category"}
    assert update_doc(text) == text, "run `invoke docs` to regenerate the open-data tables"
