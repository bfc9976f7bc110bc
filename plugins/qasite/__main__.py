"""Command line: ``python -m qasite build|check [--settings FILE] [--output DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
    return run_cli(
        args.command, args.settings, overrides, strict=args.strict, verbose=args.verbose, reviews=args.reviews
    )


if __name__ == "__main__":
    sys.exit(main())
