"""Run a real build with an audit hook that kills it at a chosen point or injects a write fault.

Usage: ``python tests/fault_driver.py SPEC`` (SPEC: JSON, see tests/test_faults.py). The hook
(sys.addaudithook) watches the build's own operations, so the product code needs no test hooks:

- ``kill``: SIGKILL this process at the ``nth`` "read" of a content .md file, "render" (write of a
  staging .html), "index" (Pagefind started: it is frozen with SIGSTOP first, so it is surely still
  running), "spare" (a file removed from or linked into output.staging/, build/spare.py), "exchange" (the
  lookup of renameat2 just before the swap), "staging-renamed" (the swap's
  first rename of output.staging/: after the exchange, or to output/ when there is none);
- ``no_exchange``: renameat2 looks missing from the C library (the swap falls back to two renames);
- ``fault``: ``[errno name, where, nth]`` raises that OSError at the nth "render" write, the first
  "worker" write (in a forked render worker), the nth "copy" of a static file, or "any" write to
  the output folder or its siblings (a read-only folder);
- ``workers``: render in that many forked processes; ``slow_workers``: seconds each worker waits
  before writing a page; ``hold``: a file whose existence lets the build go on after its first
  staging write; ``log``: file where the build appends "start" (first staging page) and "end"
  (staging renamed in the swap) with CLOCK_MONOTONIC times.
"""

from __future__ import annotations

import errno
import json
import os
import shlex
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

import qasite.build.parallel  # noqa: E402
from qasite.build.pipeline import run_cli  # noqa: E402
from qasite.render.search_index import pagefind_program  # noqa: E402

SPEC = json.loads(sys.argv[1])
MAIN = os.getpid()
SITE = Path(SPEC["site"])
STAGING = str(SITE / "output.staging")
counts: dict[str, int] = {}
busy = threading.local()


def nth(point: str, wanted: int) -> bool:
    """Count one more ``point``; whether this is the wanted one."""
    counts[point] = counts.get(point, 0) + 1
    return counts[point] == wanted


def die(point: str) -> None:
    print(f"KILL {point}", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def log(what: str) -> None:
    if "log" in SPEC:
        with open(SPEC["log"], "a") as file:
            file.write(f"{os.getpid()} {what} {time.monotonic()}\n")


def writes(mode: str | None, flags: int) -> bool:
    if mode is not None:
        return any(c in mode for c in "wax+")
    return flags & os.O_ACCMODE != os.O_RDONLY or bool(flags & os.O_CREAT)


def ours(path: str) -> bool:
    """The output folder, inside it, or a name beside it (output.lock, output.staging...)."""
    return path.startswith(str(SITE / "output"))


def freeze_pagefind_and_die(started: Path) -> None:
    """Once Pagefind's stand-in has written its pid to ``started``, freeze it (SIGSTOP, as it does itself: it is
    surely still running) and kill the build. Whichever process started it, it is found by that file."""
    while not started.is_file() or not started.read_text().endswith("\n"):
        time.sleep(0.001)
    os.kill(int(started.read_text()), signal.SIGSTOP)
    die("index")


def on_open(path: str, mode: str | None, flags: int) -> None:
    kill, fault = SPEC.get("kill"), SPEC.get("fault")
    page = path.startswith(STAGING + "/") and path.endswith(".html") and writes(mode, flags)
    if os.getpid() != MAIN:
        if page and SPEC.get("slow_workers"):
            time.sleep(SPEC["slow_workers"])
        if page and fault and fault[1] == "worker":
            raise_fault(path)
        return
    # Content files are opened one name at a time below content/ (confine.read_file, dir_fd): a bare name.
    under_content = path.startswith(str(SITE / "content")) or "/" not in path
    content = under_content and path.endswith(".md") and not writes(mode, flags)
    if kill == "read" and content and nth("read", SPEC["nth"]):
        die("read")
    if page and "hold" in SPEC and nth("hold", 1):
        log("start")
        while not os.path.exists(SPEC["hold"]):
            time.sleep(0.01)
    if page and kill == "render" and nth("render", SPEC["nth"]):
        die("render")
    if page and fault and fault[1] == "render" and nth("fault", fault[2]):
        raise_fault(path)


def raise_fault(path: str) -> None:
    code = getattr(errno, SPEC["fault"][0])
    raise OSError(code, os.strerror(code), path)


def hook(event: str, args: tuple) -> None:
    if getattr(busy, "on", False):
        return
    busy.on = True
    try:
        audit(event, args)
    finally:
        busy.on = False


def audit(event: str, args: tuple) -> None:
    kill, fault = SPEC.get("kill"), SPEC.get("fault")
    if event == "open" and isinstance(args[0], str | os.PathLike):
        path = os.fsdecode(args[0])
        if fault and fault[1] == "any" and ours(path) and writes(args[1], args[2] or 0):
            raise_fault(path)
        on_open(path, args[1], args[2] or 0)
    elif event in ("os.mkdir", "os.rename") and fault and fault[1] == "any" and ours(os.fsdecode(args[0])):
        raise_fault(os.fsdecode(args[0]))
    elif event == "shutil.copyfile" and fault and fault[1] == "copy" and os.fsdecode(args[1]).startswith(STAGING):
        if nth("fault", fault[2]):
            raise_fault(os.fsdecode(args[1]))
    elif event == "ctypes.dlsym" and args[1] == "renameat2":
        if SPEC.get("no_exchange"):
            raise AttributeError("renameat2")
        if kill == "exchange":
            die("exchange")
    elif event in ("os.remove", "os.link") and kill == "spare" and nth_in_staging(event, args):
        die("spare")
    elif event == "os.rename" and os.fsdecode(args[0]) == STAGING:
        log("end")
        if kill == "staging-renamed":
            die(kill)


def nth_in_staging(event: str, args: tuple) -> bool:
    """A file removed from or linked into the staging folder (build/spare.py's update), the ``nth`` one."""
    path = os.fsdecode(args[1] if event == "os.link" else args[0])
    return path.startswith(STAGING + "/") and nth("spare", SPEC["nth"])


def main() -> int:
    # A cache of its own: every driven build is a full one, writing every page (no earlier build's snapshot);
    # ``cache``: that folder instead (builds after the first are incremental)
    overrides: dict[str, object] = {"QA_CACHE_PATH": SPEC.get("cache") or str(SITE / f".cache-{os.getpid()}")}
    if SPEC.get("workers"):
        qasite.build.parallel.MIN_ITEMS_PER_PROCESS = 1  # the small fixture site, rendered by several processes
        overrides["QA_RENDER_PROCESSES"] = SPEC["workers"]
    if SPEC.get("kill") == "index":  # the wheel's binary indexes the fixture site in milliseconds: Pagefind runs
        # through a script that writes its pid and stops itself (no process of its own), then execs the binary
        started = SITE / f"pagefind-started-{os.getpid()}"
        wrapper = SITE / "pagefind-stopped.sh"
        binary = shlex.quote(pagefind_program()[0])
        wrapper.write_text(f'#!/bin/sh\necho $$ > {shlex.quote(str(started))}\nkill -STOP $$\nexec {binary} "$@"\n')
        wrapper.chmod(0o755)
        os.environ["PAGEFIND_BINARY_PATH"] = str(wrapper)
        pagefind_program.cache_clear()  # now ``python -m pagefind``, which runs the script
        threading.Thread(target=freeze_pagefind_and_die, args=(started,), daemon=True).start()
    sys.addaudithook(hook)
    return run_cli("build", SITE / "pelicanconf.py", overrides)


if __name__ == "__main__":
    sys.exit(main())
