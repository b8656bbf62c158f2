"""The compile pipeline, one direction: discover -> read -> resolve -> check -> (write).

Reading is the readers' (compiler/readers/: discovery, the worker pool, one
reader per kind of file); resolution builds the plan and its graph; checks
run over the Compilation. `cli.py` only wires this to the command line; tests
and future commands (`diff`, `extract`) call it directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from .checks import configure, run_checks
from .compilation import Compilation
from .diagnostics import Diagnostic
from .readers.inputs import InputsError, checked_path, discover, read_inputs
from .records import SubmissionRecords
from .resolve import Resolver
from .ruleset import Rules
from .vocabulary import Vocabulary

__all__ = ["InputsError", "Timings", "checked_path", "compile_plan", "discover", "file_diagnostics", "read_all"]

Progress = Callable[[int, int], None]  # (files done, files in all)


def read_all(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None, progress: Progress | None = None,
             file: Path | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order (the read stage: compiler/readers/inputs.py)."""
    return read_inputs(inputs, vocab, jobs=jobs, progress=progress, file=file)


class Timings(dict):
    """Wall seconds per stage, in the order the stages ran (`sdp compile --timings`)."""

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


def compile_plan(inputs: Path, rules: Rules, *, strict: bool = False, as_of: date | None = None,
                 jobs: int | None = None, timings: Timings | None = None, progress: Progress | None = None,
                 keep_records: bool = True, file: Path | None = None) -> Compilation:
    """Read, resolve and check; with `file`, that one submission in place of its original or beside
    the others (`sdp check FILE`: readers/inputs.py `tasks_with_file`, `file_diagnostics`). `jobs`: reading processes (default: one per core); `timings`: filled
    with each stage's seconds; `keep_records=False` drops the read records once the plan is checked
    (nothing after the checks reads them), so a large compile does not carry them into writing."""
    timings = Timings() if timings is None else timings
    vocab = Vocabulary(rules)
    with timings.stage("read"):
        records = read_all(inputs, vocab, jobs=jobs, progress=progress, file=file)
    with timings.stage("resolve"):
        resolver = Resolver(vocab)
        plan = resolver.resolve(records)
        comp = Compilation(rules, records, plan, as_of or date.today(), graph=resolver.graph)
        del resolver
    with timings.stage("check"):
        plan.diagnostics = configure(plan.diagnostics + run_checks(comp), rules, strict=strict)
    if not keep_records:
        comp.records = []
        del records
    return comp


def file_diagnostics(comp: Compilation, path: str) -> list[Diagnostic]:
    """The diagnostics that are one submission's own: located in it, or about it or one of its
    actions. Coverage of the whole plan (an outcome with no action, a partner that sent nothing)
    is nobody's file."""
    actions = {f"action:{a.id}" for a in comp.plan.actions if a.source.path == path}
    return [d for d in comp.plan.diagnostics
            if (d.location is not None and d.location.path == path)
            or d.subject == f"submission:{path}" or d.subject in actions]
