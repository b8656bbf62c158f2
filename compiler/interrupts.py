"""Ctrl-C and worker processes: the parent handles the interrupt; workers never print a traceback.

A terminal sends SIGINT to every process of the foreground group, workers included. Workers set
themselves to ignore it as their first step; `interrupts_held` closes the gap before that step by
holding SIGINT in the parent while workers start (a forked child inherits the held mask and
releases it once it ignores the signal). The parent receives the interrupt when it releases it.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager


@contextmanager
def interrupts_held():
    """Hold Ctrl-C (SIGINT) while worker processes start, so a new worker cannot be interrupted
    before it has set itself to ignore it (it would print a traceback); the parent gets it after."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def ignore_interrupts_in_worker() -> None:
    """A worker's first step: leave Ctrl-C to the parent, then release what the parent held."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
