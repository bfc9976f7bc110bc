"""What the stepped IDF (content/related_idf.py) did to readers' related lists and to the check's possible duplicates.

Loads a site's questions once (``check``'s load: no Markdown rendered), computes every related list and the
duplicate pairs with the stepped IDF and with the exact one it replaced (``log(1 + n / k)``), and counts how each list
changed: the same, the same questions reordered, one question swapped, or more. Run from the repository:

    .venv/bin/python bench/idf_quality.py bench/.work/sites/10000/ours/content
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from qasite.content import related
from qasite.content.duplicate_pairs import similar_pairs
from qasite.content.loader import load_site


def _exact(n: int, k: int) -> float:
    return math.log(1 + n / k)


def _lists_and_pairs(questions: list, limit: int, threshold: float, processes: int) -> tuple[dict, set]:
    vectors = related.build_vectors(questions)
    lists = related.compute_related(vectors, limit=limit, processes=processes)
    found = {s: [(r.question.slug, r.shared_tags) for r in items] for s, items in lists.items()}
    pairs = {(a.slug, b.slug) for a, b, _ in similar_pairs(vectors, threshold=threshold, processes=processes)}
    return found, pairs


def _kind(before: list, after: list) -> str:
    if before == after:
        return "the same"
    a, b = [s for s, _ in before], [s for s, _ in after]
    if a == b:
        return "the same questions, other shared tags"  # cannot happen: tags are the questions'
    if set(a) == set(b):
        return "the same questions reordered"
    swapped = len(set(a) - set(b))
    return f"{swapped} question{'s' if swapped > 1 else ''} swapped"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--limit", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    site, _ = load_site(args.content, render=False, processes=args.processes)
    questions = list(site.questions)
    stepped_lists, stepped_pairs = _lists_and_pairs(questions, args.limit, args.threshold, args.processes)
    stepped = related.idf_of
    related.idf_of = _exact  # the formula before (weighed and relate read the module's name)
    try:
        exact_lists, exact_pairs = _lists_and_pairs(questions, args.limit, args.threshold, args.processes)
    finally:
        related.idf_of = stepped
    kinds = Counter(_kind(exact_lists[s], stepped_lists[s]) for s in exact_lists)
    top_moved = sum(exact_lists[s][:1] != stepped_lists[s][:1] for s in exact_lists)
    print(f"{len(questions)} questions, {args.limit} related each")
    for kind, count in sorted(kinds.items(), key=lambda kc: -kc[1]):
        print(f"  {kind}: {count} ({100 * count / len(questions):.1f}%)")
    print(f"  first related question changed: {top_moved}")
    print(f"possible duplicates (cosine >= {args.threshold}): exact {len(exact_pairs)}, stepped {len(stepped_pairs)}")
    print(f"  only exact: {sorted(exact_pairs - stepped_pairs)}")
    print(f"  only stepped: {sorted(stepped_pairs - exact_pairs)}")


if __name__ == "__main__":
    main()
