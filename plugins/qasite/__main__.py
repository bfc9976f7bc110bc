"""Command line: ``python -m qasite build|check [--settings FILE] [--output DIR]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from .build import memory
from .build.pipeline import run_cli


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the command."""
    parser = argparse.ArgumentParser(prog="python -m qasite", description=__doc__)
    parser.add_argument("command", choices=["build", "check"])
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("--output", type=Path, help="output folder (default: OUTPUT_PATH)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--strict", action="store_true", help="fail on any warning")
    parser.add_argument("--reviews", action="store_true", help="check: list reviews overdue or due soon")
    args = parser.parse_args(argv)
    overrides = {"OUTPUT_PATH": str(args.output.resolve())} if args.output else {}
    memory.ONE_BUILD = True  # exit_fast ends the process after it: what the build froze stays frozen
    return run_cli(
        args.command, args.settings, overrides, strict=args.strict, verbose=args.verbose, reviews=args.reviews
    )


def exit_fast(code: int) -> NoReturn:
    """End the process with ``code`` once its output is flushed, without freeing every object one by one: a
    build's loaded site is millions of them, which took the interpreter's shutdown seconds at 10,000 questions
    (6 s at a load average of 8). Only what shutdown would do that matters is done: flushing the streams and
    the log handlers. (The old site's deletion and the cache writer are processes of their own: they go on.)"""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    try:
        status = main()
    except KeyboardInterrupt:  # Ctrl+C: the build stops cleanly (build/outputdir.py), without a traceback
        status = 130
    exit_fast(status)
