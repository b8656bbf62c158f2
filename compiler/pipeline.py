"""The compile pipeline, one direction: discover -> read -> resolve -> check -> (write).

Reading is the readers' (compiler/readers/: discovery, the worker pool, one
reader per kind of file); resolution builds the plan and its graph; checks
run over the Compilation. `cli.py` only wires this to the command line; tests
and future commands (`diff`, `extract`) call it directly.
"""

from __future__ import annotations

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

__all__ = ["InputsError", "checked_path", "compile_plan", "discover", "file_diagnostics", "read_all"]


def read_all(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None,
             file: Path | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order (the read stage: compiler/readers/inputs.py)."""
    return read_inputs(inputs, vocab, jobs=jobs, file=file)


def compile_plan(inputs: Path, rules: Rules, *, strict: bool = False, as_of: date | None = None,
                 file: Path | None = None) -> Compilation:
    """Compile the inputs folder; with `file`, that one submission in place of its original or
    beside the others (`sdp check FILE`: readers/inputs.py `tasks_with_file`, `file_diagnostics`)."""
    vocab = Vocabulary(rules)
    records = read_all(inputs, vocab, file=file)
    resolver = Resolver(vocab)
    plan = resolver.resolve(records)
    comp = Compilation(rules, records, plan, as_of or date.today(), graph=resolver.graph)
    plan.diagnostics = configure(plan.diagnostics + run_checks(comp), rules, strict=strict)
    return comp


def file_diagnostics(comp: Compilation, path: str) -> list[Diagnostic]:
    """The diagnostics that are one submission's own: located in it, or about it or one of its
    actions. Coverage of the whole plan (an outcome with no action, a partner that sent nothing)
    is nobody's file."""
    actions = {f"action:{a.id}" for a in comp.plan.actions if a.source.path == path}
    return [d for d in comp.plan.diagnostics
            if (d.location is not None and d.location.path == path)
            or d.subject == f"submission:{path}" or d.subject in actions]
