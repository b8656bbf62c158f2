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
from .readers.inputs import InputsError, discover, read_inputs
from .records import SubmissionRecords
from .resolve import Resolver
from .ruleset import Rules
from .vocabulary import Vocabulary

__all__ = ["InputsError", "compile_plan", "discover", "read_all"]


def read_all(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order (the read stage: compiler/readers/inputs.py)."""
    return read_inputs(inputs, vocab, jobs=jobs)


def compile_plan(inputs: Path, rules: Rules, *, strict: bool = False, as_of: date | None = None) -> Compilation:
    vocab = Vocabulary(rules)
    records = read_all(inputs, vocab)
    resolver = Resolver(vocab)
    plan = resolver.resolve(records)
    comp = Compilation(rules, records, plan, as_of or date.today(), graph=resolver.graph)
    plan.diagnostics = configure(plan.diagnostics + run_checks(comp), rules, strict=strict)
    return comp
