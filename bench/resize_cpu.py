"""CPU time of the preview's related resize (``related_resize.resize`` and ``related_update._linked``) for deleted
questions, from one kept state: an A/B of two code versions on exactly the same deletions.

    .venv/bin/python bench/resize_cpu.py --content bench/.work/sites/10000/ours/content --state /tmp/me-state.pkl \
        --plugins /work/main/plugins --seed 1 --edits 5

The first run loads the site (``check``'s load: no Markdown rendered), computes every list in full
(``related_update._full``) and pickles the state; each later run reads it again before each deletion (so every
deletion starts from the same state), deletes one question drawn by ``--seed``, and prints the CPU-s of the resize
and its parts (``--time``, as ``bench/preview_cpu.py``), then the CPU-s of the exact scores it deferred (made after the
page in the preview: ``related_update.finish``), and a digest of the lists, packed lists, vectors and shortlists,
which two code versions must print alike. Run two ``--plugins`` folders alternately (A, B, A, B). Not a test.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import inspect
import pickle
import random
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--content", type=Path, required=True)
parser.add_argument("--state", type=Path, required=True)
parser.add_argument("--plugins", type=Path, required=True, help="the plugins folder of the code to measure")
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--edits", type=int, default=3)
parser.add_argument("--no-defer", action="store_true", help="settle every list before the page (no related_defer)")
parser.add_argument("--check", action="store_true", help="compare each result with a full computation")
parser.add_argument("--time", action="append", default=[], help="module:function to time in CPU-s (repeatable)")
args = parser.parse_args()
sys.path.insert(0, str(args.plugins))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from qasite.content import related_update  # noqa: E402
from qasite.content.loader import load_site  # noqa: E402


def _digest(state: related_update._State) -> str:
    shown = (state.lists, state.packed, [list(w.items()) for w in state.weights], state.shortlists)
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def _check(state: related_update._State) -> None:
    """The lists, vectors and every exact score as a full computation's."""
    full = related_update._full(state.questions, state.limit, 2)
    assert state.lists == full.lists and state.packed == full.packed and state.weights == full.weights
    assert state.shortlists == full.shortlists and state.keys == full.keys and state.tag_idf == full.tag_idf
    for i, pairs in enumerate(state.scored):
        for at, pair in enumerate(pairs):
            assert pair == full.scored[i][at] if at not in state.stale[i] else pair[2] >= full.scored[i][at][2]


def main() -> None:
    if not args.state.exists():
        site, _ = load_site(args.content, render=False, processes=2)
        state = related_update._full(list(site.questions), 5, 2)
        args.state.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    rng = random.Random(args.seed)
    from preview_cpu import timing  # after qasite: it puts this checkout's plugins first on the path

    spent = timing(args.time)
    resize = related_update.related_resize.resize
    resized = getattr(related_update, "resized", None) or (lambda f: related_update._linked(related_update._State(**f)))
    defer = {"defer": not args.no_defer} if "defer" in inspect.signature(resize).parameters else {}  # as the preview
    for _ in range(args.edits):
        related_update._LAST = state = fields = None  # the last deletion's state freed here, not while timed
        last = pickle.loads(args.state.read_bytes())
        gone = rng.randrange(len(last.questions))
        questions = last.questions[:gone] + last.questions[gone + 1 :]
        spent.clear()
        gc.collect()
        gc.disable()  # as the preview's build after an edit (livereload.Preview.build)
        started = time.process_time()
        fields = related_update.related_resize.resize(last, questions, **defer)
        assert fields is not None
        state = resized(fields)
        used = time.process_time() - started
        related_update._LAST, started = state, time.process_time()
        related_update.finish()  # the exact scores deferred, as the preview makes them after the page
        after = time.process_time() - started
        gc.enable()
        parts = " ".join(f"{name.split(':')[-1]} {seconds:.3f}" for name, seconds in spent.items())
        print(
            f"delete {gone} {last.slugs[gone][:30]}: {used:.3f} CPU-s [{parts}] then {after:.3f} deferred, digest "
            + _digest(state),
            flush=True,
        )
        if args.check:
            _check(state)


if __name__ == "__main__":
    main()
