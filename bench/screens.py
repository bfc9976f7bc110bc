"""Prove a theme change is pixel-identical: full-page Chromium screenshots of the demo site, saved or compared.

    python bench/screens.py save DIR                 # before the change: write the PNGs into DIR
    python bench/screens.py compare DIR              # after: exit 1 and list the shots whose pixels differ
                                                     # (the new shots go to DIR.new-<repo folder name>)
    python bench/screens.py --root ../other compare DIR   # build and shoot another checkout of the repo

The demo site (``content/`` of the repository, with its ``pelicanconf.py``, search on) is built with that
repository's own code (its ``.venv`` Python when it has one) into a temporary folder, served on a free
loopback port, and shot by Debian's Chromium through Playwright: every page in ``PAGES`` at every width in
``WIDTHS``, light and dark, animations stopped and the caret hidden. PNGs whose bytes are equal are equal;
the others are decoded in the browser (a canvas) and compared pixel by pixel.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from chromium import CHROMIUM_ARGS, chromium_path  # noqa: E402  (headless, and no request leaves the machine)
from qasite.tools.serve import SiteHandler, make_server  # noqa: E402

# name: (path on the site, CSS selector to wait for before the shot or "")
PAGES: dict[str, tuple[str, str]] = {
    "home": ("/", ""),
    "question": ("/questions/what-grounding-techniques-actually-work-during-a-panic-attack/", ""),
    "unanswered": ("/questions/can-i-ask-my-therapist-what-my-diagnosis-is/", ""),
    "tags": ("/tags/", ""),
    "tag": ("/tags/anxiety/", ""),
    "member": ("/users/maya-okafor/", ""),
    "search": ("/search/#q=anxiety", "[data-search-results] > li"),
    "404": ("/no-such-page/", ""),
}
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
HEIGHT = 800  # the viewport's height; shots are full-page
BUILD = """
import sys
from pathlib import Path
root, output = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(root / "plugins"))
from qasite.build.pipeline import build, load_settings
overrides = {"PATH": str(root / "content"), "OUTPUT_PATH": output, "QA_SEARCH": True}
build(settings=load_settings(root / "pelicanconf.py", overrides))
"""
# Decode two PNGs in the page and count the pixels that differ (RGBA); sizes that differ count every pixel.
COUNT_DIFFERENT = """async ([a, b]) => {
  const load = async (data) => {
    const img = new Image(); img.src = "data:image/png;base64," + data; await img.decode();
    const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, img.naturalWidth, img.naturalHeight);
  };
  const [x, y] = [await load(a), await load(b)];
  if (x.width !== y.width || x.height !== y.height) {
    const size = `${x.width}x${x.height} -> ${y.width}x${y.height}`;
    return {size, pixels: Math.max(x.data.length, y.data.length) / 4};
  }
  let pixels = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    if (x.data[i] !== y.data[i] || x.data[i + 1] !== y.data[i + 1] || x.data[i + 2] !== y.data[i + 2]
        || x.data[i + 3] !== y.data[i + 3]) pixels++;
  }
  return {size: "", pixels};
}"""


def build_site(root: Path, output: Path) -> None:
    """Build ``root``'s demo site into ``output`` with ``root``'s own code."""
    python = root / ".venv" / "bin" / "python"
    command = [str(python if python.is_file() else Path(sys.executable)), "-c", BUILD, str(root), str(output)]
    subprocess.run(command, cwd=root, check=True)


class QuietHandler(SiteHandler):
    """The preview server's handler, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free loopback port; yield its base URL."""
    server = make_server(folder, host="127.0.0.1", port=0, handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shoot(browser: Browser, base: str) -> dict[str, bytes]:
    """Every page at every width and colour scheme, as PNG bytes by shot name."""
    shots: dict[str, bytes] = {}
    for scheme in SCHEMES:
        for width in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": HEIGHT},
                device_scale_factor=1,
                color_scheme=scheme,
                reduced_motion="reduce",
            )
            tab = context.new_page()
            for name, (path, ready) in PAGES.items():
                tab.goto(base + path, wait_until="networkidle")
                if ready:
                    tab.wait_for_selector(ready)
                    tab.wait_for_load_state("networkidle")
                tab.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r())))")
                shot = tab.screenshot(full_page=True, animations="disabled", caret="hide")
                shots[f"{name}-{width}-{scheme}.png"] = shot
            context.close()
    return shots


def take(root: Path) -> dict[str, bytes]:
    """Build ``root``'s demo site, serve it and shoot it."""
    with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
        output = Path(tmp) / "output"
        build_site(root, output)
        with serving(output) as base, chromium() as browser:
            return shoot(browser, base)


def compare(saved: Path, shots: dict[str, bytes]) -> list[str]:
    """Every shot that differs from the one saved in ``saved``, as 'name: why'."""
    found: list[str] = []
    with chromium() as browser:
        tab = browser.new_page()
        for name, png in shots.items():
            old = saved / name
            if not old.is_file():
                found.append(f"{name}: not in the baseline")
            elif old.read_bytes() != png:
                encoded = [base64.b64encode(data).decode() for data in (old.read_bytes(), png)]
                result = tab.evaluate(COUNT_DIFFERENT, encoded)
                if result["pixels"]:
                    size = f" (size {result['size']})" if result["size"] else ""
                    found.append(f"{name}: {result['pixels']} pixels differ{size}")
    found += [f"{p.name}: only in the baseline" for p in sorted(saved.glob("*.png")) if p.name not in shots]
    return found


def save(folder: Path, shots: dict[str, bytes]) -> None:
    """Write the shots into ``folder`` (emptied of earlier PNGs first)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for name, png in shots.items():
        (folder / name).write_bytes(png)


def main() -> None:
    """CLI: save or compare."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("folder", type=Path, help="where the PNGs are saved / the saved PNGs to compare with")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository to build (default: this one)")
    args = parser.parse_args()
    shots = take(args.root.resolve())
    if args.action == "save":
        save(args.folder, shots)
        print(f"{len(shots)} screenshots saved in {args.folder}")
        return
    fresh = args.folder.with_name(f"{args.folder.name}.new-{args.root.resolve().name}")
    save(fresh, shots)
    found = compare(args.folder, shots)
    for line in found:
        print(line)
    print(f"{len(found)} of {len(shots)} screenshots differ" if found else f"{len(shots)} screenshots pixel-identical")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
