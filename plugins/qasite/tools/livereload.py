"""Live preview: rebuild on every change under content/ and theme/, reload the open page.

The preview server injects one external script (no inline script, so the
site's CSP holds in preview too) that listens on a server-sent-events stream
and reloads the page after each successful rebuild. A broken file prints its
problems in the terminal; the atomic build keeps the last good site served.

Each rebuild is an incremental build (build/incremental.py) in this process, so
the last build's snapshot stays in memory, and so do the build cache's entries
(build/cache.py) and the compiled templates (render/bytecode.py); it writes the
outputs it changes into the output folder one by one (build/in_place.py); it leaves the
search index as it was (``DEFER_SEARCH``). Once the page has been told to reload
(``Preview.catch_up``), ``Preview`` brings the index up to date in the background,
then says so: a forked copy of this process (``Catchup``: the site already loaded)
re-indexes the shards of every question edited since the index was current
(``search_shards.reindex``), and is killed if another edit comes first. Then the
snapshot is brought up to date, so the next edit stays incremental.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from watchfiles import watch

from ..build import cache
from ..build.changes import TOUCHED
from ..build.in_place import IN_PLACE
from ..build.incremental import DEFER_SEARCH
from ..build.memory import forget_site, remembered, search_pending
from ..build.pipeline import load_settings, run_cli
from ..config.urls import INDEX_FILE
from ..content import graph_reads, related_update
from .catchup import Catchup
from .serve import SiteHandler, ctrl_c_sets, make_server

logger = logging.getLogger(__name__)

SCRIPT_PATH = "/__livereload.js"
EVENTS_PATH = "/__livereload"
COLLECT_AFTER = 2.0  # seconds after a build before its garbage is collected (Preview.stop_collecting)
SCRIPT = """// Live preview: reload this page when the site has been rebuilt.
let seen = null;
new EventSource("/__livereload").onmessage = (event) => {
  if (seen !== null && event.data !== seen) location.reload();
  seen = event.data;
};
"""
TAG = f'<script src="{SCRIPT_PATH}" defer></script>'


class Version:
    """A counter bumped after each successful build; handlers wait on it."""

    def __init__(self) -> None:
        self.value = 0
        self.changed = threading.Condition()

    def bump(self) -> None:
        """Announce a new build."""
        with self.changed:
            self.value += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the version differs from ``seen`` (or ``timeout``); return it."""
        with self.changed:
            self.changed.wait_for(lambda: self.value != seen, timeout)
            return self.value


class LiveHandler(SiteHandler):
    """SiteHandler plus the reload script, its event stream, and the script tag in HTML pages."""

    version: ClassVar[Version] = Version()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        """Serve the script, the event stream, or a page with the script tag added."""
        path = self.path.split("?", 1)[0]
        if path == SCRIPT_PATH:
            self._send(SCRIPT.encode(), "text/javascript; charset=utf-8")
        elif path == EVENTS_PATH:
            self._stream()
        elif (page := self._html_file(path)) is not None:
            html = page.read_text(encoding="utf-8").replace("</body>", f"{TAG}\n</body>", 1)
            self._send(html.encode(), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _html_file(self, path: str) -> Path | None:
        local = Path(self.translate_path(path))
        if local.is_dir():
            local = local / INDEX_FILE
        return local if local.suffix == ".html" and local.is_file() else None

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while True:
                seen = self.version.wait(seen, timeout=15)
                self.wfile.write(f"data: {seen}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def serve_live(
    directory: Path,
    watched: Iterable[Path],
    rebuild: Callable[[set[str]], int],
    *,
    after: Callable[[], object] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Serve ``directory`` and run ``rebuild`` (with the paths changed) whenever a file under ``watched`` changes;
    then, once the page has been told to reload, ``after`` (``Preview.catch_up``: the search's background work)."""
    server = make_server(directory, host=host, port=port, handler=LiveHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Live preview on http://{host}:{server.server_port}/ (Ctrl+C to stop)", flush=True)
    try:
        with ctrl_c_sets(threading.Event()) as stopping:  # Ctrl+C ends the loop once a rebuild under way is done
            for changes in watch(*watched, debounce=200, stop_event=stopping, raise_interrupt=False):
                started = time.monotonic()
                names = ", ".join(sorted({Path(p).name for _, p in changes}))
                print(f"Changed: {names}: rebuilding...", flush=True)
                if rebuild({path for _, path in changes}) == 0:
                    LiveHandler.version.bump()
                    print(f"Rebuilt in {time.monotonic() - started:.2f} s; the page reloads.", flush=True)
                else:
                    print("Build failed (see above); still serving the last good site.", flush=True)
                if stopping.is_set():
                    break
                if after is not None:
                    after()
    finally:
        server.shutdown()
        server.server_close()


class Preview:
    """The preview's rebuilds: incremental, the search index caught up in the background afterwards.

    ``overrides``: settings over the settings file's (the benchmark's own content and output folders).
    """

    def __init__(self, settings_file: Path, overrides: dict[str, Any] | None = None) -> None:
        self.settings_file, self.overrides = settings_file, overrides or {}
        self.indexer: Catchup | None = None
        self.touched: set[str] | None = None  # the paths changed since the last build succeeded (None: not known)
        self.collector: threading.Timer | None = None  # the last builds' garbage, collected once the editor pauses
        self.built = False  # the last build succeeded, and ``catch_up`` has not looked at its search index yet

    def rebuild(self, changed: Iterable[str] | None = None) -> int:
        """``build``, then ``catch_up``: the exit code of the build."""
        code = self.build(changed)
        self.catch_up()
        return code

    def build(self, changed: Iterable[str] | None = None) -> int:
        """Stop any background indexing, build what changed (the search index left behind: ``catch_up``).

        ``changed``: the paths the file watcher reported (then only those are looked at again in content/, once a
        first build of this preview has walked it); None: unknown, every file's size and mtime is compared."""
        self.stop_indexing()
        self.stop_collecting()
        related_update.finish()  # the last build's deferred related scores, if its thread has not made them yet
        forget_site()  # the next build loads its own: not two sites in memory at once
        touched = None if changed is None or self.touched is None else self.touched | set(changed)
        extra = {DEFER_SEARCH: True, IN_PLACE: True} | ({} if touched is None else {TOUCHED: frozenset(touched)})
        gc.freeze()  # what lives on from the last build (the kept load, the graph): see stop_collecting
        small = self.touched is not None  # an edit after a build: no collection at all until it is done
        if small:
            gc.disable()
        try:
            with cache.held():  # the build cache's entries stay in memory until close()
                code = run_cli("build", self.settings_file, {**self.overrides, **extra})
        finally:
            gc.unfreeze()
            gc.enable()
        self.touched = set() if code == 0 else touched  # a failed build: its changes are still to look at
        self.built = code == 0
        return code

    def catch_up(self) -> None:
        """After a build, once the page has been told to reload (the catch-up forks this process: ~0.05-0.15 s at
        10,000 questions, not the editor's to wait for): start indexing if the build left the search index behind;
        make the related scores the build deferred (``related_update.finish``, in a thread, then the index of the site
        graph's readers if the update left it to the next: ``graph_reads.prepare``); collect the build's
        garbage a little later (``stop_collecting``)."""
        if self.built:
            self.built = False
            settings = load_settings(self.settings_file, self.overrides)
            if search_pending(settings):
                self.start_indexing(settings)
        # what the build left for later: after the fork above, not beside the page's reload
        threading.Thread(target=_after_the_page, daemon=True).start()
        if self.collector is None:
            self.collector = threading.Timer(COLLECT_AFTER, gc.collect)  # after the page has reloaded: stop_collecting
            self.collector.daemon = True
            self.collector.start()

    def stop_collecting(self) -> None:
        """Cancel the collection of the last builds' garbage if it has not begun; wait for it if it has.

        A build runs with every object alive at its start frozen (``gc.freeze``): its collections scan only what it
        makes, not the kept load of 10,000 questions (a full collection is ~0.5 s at that size, one or two an edit).
        The cycles it leaves (the objects an edit replaced, Pelican's) are collected ``COLLECT_AFTER`` seconds
        later, once the reloaded page has been served (a collection holds the interpreter: the server waits); edits
        saved faster than that leave them to the next pause."""
        if self.collector is not None:
            self.collector.cancel()
            self.collector.join()
        self.collector = None

    def start_indexing(self, settings: dict[str, Any] | None = None) -> None:
        """Re-index, in the background, what the last build left behind; say when it is done."""
        settings = settings or load_settings(self.settings_file, self.overrides)
        snapshot, loaded, kept = remembered(settings) or (None, None, None)
        if snapshot is None or loaded is None or kept is None or snapshot.search_current:
            return  # nothing to index, or no site kept to index (no build succeeded since): the next build will
        self.indexer = Catchup(settings, snapshot, loaded, kept)
        print("Search index: updating in the background...", flush=True)
        threading.Thread(target=self._report, args=(self.indexer, time.monotonic()), daemon=True).start()

    def stop_indexing(self) -> None:
        """Stop the background indexing (a killed catch-up leaves the snapshot saying the index is behind, or an
        output folder other than the snapshot's: the next build is a full one)."""
        if self.indexer is not None:
            if self.indexer.poll() is None:
                self.indexer.kill()
            self.indexer.wait()
        self.indexer = None

    def close(self) -> None:
        """Stop the background indexing and write the build cache's pending entries (for the next build)."""
        self.stop_indexing()
        self.stop_collecting()
        related_update.finish()  # the snapshot written holds a full computation's scores
        cache.flush()

    @staticmethod
    def _report(process: Catchup, started: float) -> None:
        if process.wait_current():  # the edited pages' delta in place (tools/catchup.py); the shards follow
            print(f"Search index is current ({time.monotonic() - started:.1f} s).", flush=True)
        code = process.wait()
        if code > 0:
            print("Search index: re-indexing failed (run 'invoke build' to see why).", flush=True)


def _after_the_page() -> None:
    """What a preview build left for later: the exact related scores, and the index of its site graph's readers."""
    related_update.finish()
    graph_reads.prepare()
