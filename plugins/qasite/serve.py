"""A small static server for previews: pretty URLs and the site's 404 page."""

from __future__ import annotations

import functools
import http.server
import logging
from pathlib import Path
from typing import ClassVar

logger = logging.getLogger(__name__)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a built site; unknown paths get the site's own 404.html."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".pf_meta": "application/octet-stream",
    }

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Use 404.html for missing pages when the site has one."""
        page = Path(self.directory) / "404.html"
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
