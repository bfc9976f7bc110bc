"""Pagefind's data files as its JavaScript decodes them (pagefind_web_js/lib/coupled_search.ts).

gunzip, then the 12-byte signature ``pagefind_dcd``; fragments are JSON, the meta, word and
filter indexes CBOR (minicbor, pagefind/src/index/). ``excerpt_html()`` rebuilds an excerpt
the way Pagefind's excerpt.ts does.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def pagefind_data(path: Path) -> bytes:
    """A Pagefind data file as Pagefind's JS decodes it: gunzip, then the 'pagefind_dcd' signature."""
    data = gzip.decompress(path.read_bytes())
    assert data[:12] == b"pagefind_dcd", f"{path.name}: no pagefind_dcd signature"
    return data[12:]


def cbor(data: bytes, pos: int = 0) -> tuple[Any, int]:
    """A minimal CBOR decoder (RFC 8949: the definite-length types minicbor writes for Pagefind)."""
    head, pos = data[pos], pos + 1
    major, info = head >> 5, head & 31
    if info < 24:
        arg = info
    elif info < 28:
        size = 1 << (info - 24)
        arg, pos = int.from_bytes(data[pos : pos + size], "big"), pos + size
    else:
        raise ValueError(f"unsupported CBOR header {head:#x}")
    if major in (0, 1):
        return (arg if major == 0 else -1 - arg), pos
    if major in (2, 3):
        raw = data[pos : pos + arg]
        return (raw if major == 2 else raw.decode("utf-8")), pos + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (major - 3)):
            item, pos = cbor(data, pos)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2], strict=True))), pos
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], pos
    raise ValueError(f"unsupported CBOR header {head:#x}")


def cbor_document(path: Path) -> Any:
    data = pagefind_data(path)
    value, end = cbor(data)
    assert end == len(data), f"{path.name}: {len(data) - end} bytes after the CBOR value"
    return value


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from strings(item)


def excerpt_html(content: str) -> str:
    """Pagefind's excerpt of ``content`` (pagefind_web_js/lib/coupled_search.ts, excerpt.ts): '<' and '>'
    escaped, matched words wrapped in <mark>; here every third word is a match."""
    words = content.replace("<", "&lt;").replace(">", "&gt;").split()
    return " ".join(f"<mark>{w}</mark>" if i % 3 == 0 else w for i, w in enumerate(words))


def bundle_index_files(bundle: Path) -> dict[str, bytes]:
    """A bundle's fragments and word index (Pagefind writes its filter files in hash-map order: issue #638)."""
    return {
        p.relative_to(bundle).as_posix(): p.read_bytes()
        for folder in ("fragment", "index")
        for p in sorted((bundle / folder).iterdir())
    }
