"""Prove a refactor changed no output: build the demo and a generated 1,000-question site, compare with a baseline.

    python bench/same_output.py save /tmp/baseline      # before the first refactoring commit
    python bench/same_output.py compare /tmp/baseline   # after each step: exit 1 and list what differs

Both sites are built with search. Pagefind's own files (``pagefind/``) are left aside: their names
are content hashes and Pagefind does not build them deterministically; every other file must be
byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from builds import build_once
from generate import ensure_generated

ROOT = Path(__file__).resolve().parent.parent
SIZE = 1000
IGNORED = {"pagefind"}
SITES = ("demo", "gen")  # build_all's two outputs


def build_all(dest: Path) -> None:
    """Build the demo into ``dest/demo`` and the generated site into ``dest/gen``."""
    work = ROOT / "bench" / ".work" / "sites" / str(SIZE)
    ensure_generated(SIZE, work, check=False)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    build_once(ROOT / "content", dest / "demo", search=True)
    build_once(work / "ours" / "content", dest / "gen", search=True)


def differences(left: Path, right: Path, prefix: str = "") -> list[str]:
    """Every file that is only on one side or differs, as 'path: why'."""
    cmp = filecmp.dircmp(left, right, ignore=sorted(IGNORED))
    found = [f"{prefix}{name}: only in baseline" for name in cmp.left_only]
    found += [f"{prefix}{name}: new" for name in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, cmp.common_files, shallow=False)
    found += [f"{prefix}{name}: differs" for name in mismatch + errors]
    for sub in cmp.common_dirs:
        found += differences(left / sub, right / sub, f"{prefix}{sub}/")
    return found


def main() -> None:
    """CLI: save or compare."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("baseline", type=Path)
    args = parser.parse_args()
    if args.action == "save":
        build_all(args.baseline)
        print(f"baseline saved in {args.baseline}")
        return
    fresh = args.baseline.with_name(args.baseline.name + ".new")
    build_all(fresh)
    # the two sites only: beside them, a build's folders being deleted in the background (output.old-*) come and go
    found = sorted(line for site in SITES for line in differences(args.baseline / site, fresh / site, f"{site}/"))
    for line in found[:200]:
        print(line)
    print(f"{len(found)} files differ" if found else "output byte-identical (pagefind/ aside)")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
