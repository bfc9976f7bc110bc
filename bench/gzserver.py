"""A loopback static server that compresses like a static host, and logs every body it sends.

Text files are sent gzip-compressed (``Content-Encoding: gzip``) when the
request accepts gzip; files that are already compressed (Pagefind's
``.pf_*`` chunks and ``.pagefind`` WebAssembly are gzip files, images) are sent
as they are. Each response's body size, as sent, is logged so the benchmark
can sum what a reader's browser downloads (workers' requests included).
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

GZIP_LEVEL = 6  # zlib's default, what most hosts and CDNs use for on-the-fly gzip
PRECOMPRESSED = {".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment", ".pagefind", ".gz", ".br", ".zip"}
PRECOMPRESSED |= {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2"}
BLANK_PATH = "/__bench_blank__.html"
BLANK_PAGE = b"<!doctype html><html lang=en><meta charset=utf-8><title>benchmark</title></html>"


@dataclass(frozen=True)
class Sent:
    """One response: the path, the body bytes as sent, whether we gzipped it, when."""

    path: str
    body_bytes: int
    gzipped: bool
    at: float


def gzip_size(data: bytes) -> int:
    """The size of ``data`` gzip-compressed as this server sends it."""
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def is_precompressed(path: str) -> bool:
    """Whether a file is sent as it is (already compressed)."""
    return Path(path).suffix.lower() in PRECOMPRESSED


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """GET only: pretty URLs (``dir/`` -> ``dir/index.html``), gzip for text, a blank page at BLANK_PATH."""

    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as static hosts send (nginx's tcp_nodelay is on by default): the headers and the body go
    # out as two writes, and with Nagle's algorithm the body of a response on a kept-alive connection waited
    # for the browser's delayed ACK of the headers (up to 40 ms on Linux), a stall no reader's host adds.
    disable_nagle_algorithm = True
    root: ClassVar[Path]
    log: ClassVar[list[Sent]]
    cache: ClassVar[dict[str, bytes]]
    lock: ClassVar[threading.Lock]

    def do_GET(self) -> None:
        """Serve a file from ``root``, compressed when it should be."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path == BLANK_PATH:
            self._send(200, "text/html; charset=utf-8", BLANK_PAGE, gzipped=False, path=path)
            return
        file = self._file(path)
        if file is None:
            self._send(404, "text/plain", b"not found", gzipped=False, path=path)
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        kind = "application/javascript" if file.suffix == ".js" else kind
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and not is_precompressed(file.name)
        self._send(200, kind, self._body(file, compress), gzipped=compress, path=path)

    def _file(self, path: str) -> Path | None:
        target = (self.root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or self.root not in target.parents:
            return None
        return target

    def _body(self, file: Path, compress: bool) -> bytes:
        key = f"{file}:{compress}"
        with self.lock:
            if key not in self.cache:
                data = file.read_bytes()
                self.cache[key] = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if compress else data
            return self.cache[key]

    def _send(self, status: int, kind: str, body: bytes, *, gzipped: bool, path: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)
        with self.lock:
            self.log.append(Sent(path, len(body), gzipped, time.perf_counter()))

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the benchmark prints its own report."""


def make_server(root: Path) -> tuple[http.server.ThreadingHTTPServer, type[GzipHandler]]:
    """A server for ``root`` on 127.0.0.1 and a free port, and its handler class (whose ``log`` fills up)."""
    handler = type(
        "SiteGzipHandler",
        (GzipHandler,),
        {"root": root.resolve(), "log": [], "cache": {}, "lock": threading.Lock()},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    return server, handler
