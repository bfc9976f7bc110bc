"""A small static server for previews: pretty URLs, the site's 404 page and its _headers."""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import ClassVar
from urllib.parse import urlsplit

from ..config.urls import Urls
from ..render.headers import HEADERS_FILE, headers_for, parse_headers_file

logger = logging.getLogger(__name__)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site; unknown paths get the site's own 404.html; every response the headers in its _headers."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".pf_meta": "application/octet-stream",
    }

    def end_headers(self) -> None:
        """Add the headers the site's _headers file gives this path (as Netlify or Cloudflare Pages would)."""
        rules_file = Path(self.directory) / HEADERS_FILE
        if rules_file.is_file():
            rules = parse_headers_file(rules_file.read_text(encoding="utf-8"))
            for name, value in headers_for(rules, urlsplit(getattr(self, "path", "/")).path):
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Use 404.html for missing pages when the site has one."""
        page = Path(self.directory) / Urls.not_found
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(
    directory: Path, *, host: str = "127.0.0.1", port: int = 8000, handler: type[SiteHandler] = SiteHandler
) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` bound to ``host:port`` (port 0 picks a free one)."""
    handler = functools.partial(handler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


@contextlib.contextmanager
def ctrl_c_sets(stopping: threading.Event) -> Iterator[threading.Event]:
    """Within the block, Ctrl+C (SIGINT) sets ``stopping`` instead of raising KeyboardInterrupt wherever the main
    thread happens to be (inside a build, a finalizer, a thread's start: places that may swallow it); a second
    Ctrl+C raises it as usual. Outside the main thread, or where SIGINT is ignored, nothing changes."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        yield stopping
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            raise KeyboardInterrupt
        stopping.set()

    before = signal.signal(signal.SIGINT, handler)
    try:
        yield stopping
    finally:
        signal.signal(signal.SIGINT, before)


def serve(directory: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``directory`` until interrupted."""
    server = make_server(directory, host=host, port=port)
    print(f"Serving {directory}/ on http://{host}:{server.server_port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
