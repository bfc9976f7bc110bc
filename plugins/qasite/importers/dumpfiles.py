"""A dump file opened as text: plain or gzip'd (by its first bytes), UTF-8 or UTF-16, counting progress.

Bytes that are not UTF-8 (binary columns written raw, a latin1 dump) are kept as surrogates
(``surrogateescape``) so that ``sqltext`` can turn them back into the bytes they were.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import IO

from ..build.progress import Phase
from .common import ImporterError


def open_dump(path: Path, progress: Phase | None) -> IO[str]:
    """The file as text: gzip'd or not, UTF-8 (bytes that are not UTF-8 kept as surrogates) or UTF-16."""
    raw = _Counted(path.open("rb"), progress)
    binary: io.BufferedReader | gzip.GzipFile = io.BufferedReader(raw)
    if binary.peek(4)[:4] == b"PK\x03\x04":
        binary.close()
        raise ImporterError(f"{path}: a .zip file: unpack it first (or export the dump as .sql or .sql.gz)")
    if binary.peek(2)[:2] == b"\x1f\x8b":
        binary = gzip.GzipFile(fileobj=binary, mode="rb")
    head = binary.peek(4)[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif len(head) == 4 and head[1] == head[3] == 0 and head[0] and head[2]:
        encoding = "utf-16-le"  # UTF-16 without a BOM (Windows redirection)
    else:
        encoding = "utf-8-sig"
    return io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")


class _Counted(io.RawIOBase):
    """A file that advances ``progress`` by the megabytes read from it."""

    def __init__(self, file: IO[bytes], progress: Phase | None) -> None:
        self.file, self.progress, self.done = file, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self.file.readinto(buffer)  # type: ignore[attr-defined]
        if self.progress is not None and count:
            before, self.done = self.done, self.done + count
            self.progress.advance((self.done >> 20) - (before >> 20))
        return count

    def close(self) -> None:
        self.file.close()
        super().close()
