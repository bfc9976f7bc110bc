"""Pagefind's per-page metadata file, its word-index chunk ranges closed up so that a word loads one chunk.

Pagefind 1.5 lists each word-index chunk in the metadata as the range [first word,
last word] (pagefind/src/index/mod.rs ``chunk_meta``), the last word trimmed to the
shortest prefix that tells it from the next chunk's first word (``anxie`` for a chunk
ending at ``anxieti`` before one starting at ``anxious``). The browser loads the chunks
whose range holds a query word or its stem (pagefind_web/src/lib.rs ``request_indexes``).
A word past the trimmed end of its chunk is in no range: a chunk's last word (often a
frequent one, since a large word is what closes a chunk), or a plural whose stem ends
one. Pagefind then loads every chunk whose bounds are prefixes of the word, the chunk
of the word "a" alone among them for any word starting with "a" (120 KB a shard at
10,000 questions: "panic attacks" loaded 184 KB of chunks instead of 11 KB).

``close_chunk_gaps`` rewrites each language's metadata so that each chunk's range ends
just below the next chunk's first word: every word falls in exactly one range. The chunks
themselves, the pages, filters and sorts are unchanged (the CBOR is decoded and encoded
again byte for byte the same apart from those strings); the file gets a name from its
new content, and the entry file names it.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import logging
from pathlib import Path
from typing import Any

import cbor2

logger = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"  # after gunzip, before the CBOR (pagefind_web_js/lib/coupled_search.ts decompress)
ENTRY = "pagefind-entry.json"
CHUNKS = 2  # the metadata's third field: [[from, to, hash], ...] (pagefind_web/src/metadata.rs)
TOP = "\U0010ffff"  # the largest code point: Rust compares strings by UTF-8 bytes, i.e. code point order


def below(word: str) -> str:
    """A string less than ``word`` and greater than or equal to every other string less than it that a word can be."""
    return word[:-1] + chr(ord(word[-1]) - 1) + TOP if word and word[-1] != "\0" else word


def close_gaps(chunks: list[list[Any]]) -> int:
    """End each chunk's range just below the next chunk's first word (in place); return how many changed."""
    changed = 0
    for chunk, following in itertools.pairwise(chunks):
        end = below(following[0])
        if chunk[0] <= end != chunk[1]:
            chunk[1] = end
            changed += 1
    return changed


def close_chunk_gaps(bundle: Path) -> None:
    """Rewrite the metadata of the Pagefind bundle in ``bundle`` with gap-free chunk ranges (see above)."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for code, language in entry["languages"].items():
        old = bundle / f"pagefind.{language['hash']}.pf_meta"
        data = gzip.decompress(old.read_bytes())
        if not data.startswith(SIGNATURE):
            raise ValueError(f"{old}: not a Pagefind metadata file")
        meta = cbor2.loads(data[len(SIGNATURE) :])
        close_gaps(meta[CHUNKS])
        content = SIGNATURE + cbor2.dumps(meta)
        name = f"{code}_{hashlib.sha256(content).hexdigest()[:10]}"
        (bundle / f"pagefind.{name}.pf_meta").write_bytes(gzip.compress(content, mtime=0))
        if name != language["hash"]:
            old.unlink()
        language["hash"] = name
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
