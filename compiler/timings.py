"""Wall seconds per stage of a command (`sdp compile --timings`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Timings(dict):
    """Wall seconds per stage, in the order the stages ran."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start

    def line(self, total: float) -> str:
        return "timings: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.items()) + \
            f", total {total:.2f} s"
