"""The preview servers' Ctrl+C (qasite.tools.serve.ctrl_c_sets): a stop asked for, never an exception lost."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from qasite.tools.serve import ctrl_c_sets


def _interrupt() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)  # the handler runs at the next bytecode of the main thread


def test_ctrl_c_sets_the_event_then_raises_on_the_second_and_restores_the_handler() -> None:
    before = signal.getsignal(signal.SIGINT)
    with ctrl_c_sets(threading.Event()) as stopping:
        _interrupt()
        assert stopping.is_set()
        with pytest.raises(KeyboardInterrupt):
            _interrupt()
    assert signal.getsignal(signal.SIGINT) is before


def test_ctrl_c_stays_ignored_where_the_caller_ignores_it() -> None:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with ctrl_c_sets(threading.Event()) as stopping:
            _interrupt()
            assert not stopping.is_set()
    finally:
        signal.signal(signal.SIGINT, before)
