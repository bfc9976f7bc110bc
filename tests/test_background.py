"""build/parallel.in_background: work done in a forked child while the caller goes on, waited for on demand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from qasite.build.parallel import forked, in_background, wait_for_background


def _write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()))


def test_the_work_runs_in_a_child_and_is_done_once_waited_for(tmp_path: Path) -> None:
    done = tmp_path / "done"
    alone = threading.active_count() == 1  # forking is safe only in a process of one thread: else it runs here
    in_background(lambda: _write_pid(done))
    wait_for_background()
    assert (done.read_text() != str(os.getpid())) is alone
    wait_for_background()  # nothing left to wait for


def test_without_fork_the_work_runs_here_at_once(tmp_path: Path) -> None:
    done = tmp_path / "done"
    in_background(lambda: _write_pid(done), fork=False)
    assert done.read_text() == str(os.getpid())


# ``forked`` (check's duplicate pairs found meanwhile, content/pairs_ahead.py), in a fresh interpreter: a test
# session's threads would make it refuse to fork.
FORKED = """
import json, os, time
from qasite.build.parallel import forked
big = forked(lambda: (os.getpid(), list(range(100_000))))  # more than a pipe holds: read while the child writes
failing = forked(lambda: 1 / 0)
slow = forked(lambda: time.sleep(60))
start = time.monotonic()
slow.cancel()
pid, numbers = big.result()
print(json.dumps({"child": pid != os.getpid(), "numbers": numbers == list(range(100_000)),
                  "failed": failing.result(), "cancelled_at_once": time.monotonic() - start < 10}))
"""


def test_a_forked_result_comes_back_a_failure_is_none_and_a_cancelled_child_stops() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "plugins")}
    done = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"child": True, "numbers": True, "failed": None, "cancelled_at_once": True}
    assert "ZeroDivisionError" in done.stderr  # the failing child's own traceback


def test_with_threads_nothing_is_forked() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert forked(lambda: 1) is None
    finally:
        stop.set()
        thread.join()
