"""build/parallel.in_background: work done in a forked child while the caller goes on, waited for on demand."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from qasite.build.parallel import in_background, wait_for_background


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
