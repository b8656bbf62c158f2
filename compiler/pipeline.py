"""The compile pipeline, one direction: discover -> read -> resolve -> check -> (write).

`cli.py` only wires this to the command line; tests and future commands
(`diff`, `extract`) call it directly.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .checks import configure, run_checks
from .compilation import Compilation
from .isolation import Task, read_files
from .records import SubmissionRecords
from .resolve import Resolver
from .ruleset import Rules
from .vocabulary import Vocabulary


class InputsError(Exception):
    """The inputs folder cannot be used at all (missing, empty)."""


def discover(inputs: Path) -> list[Path]:
    """Every file under `inputs`, in a stable order; nothing is skipped silently."""
    if not inputs.is_dir():
        raise InputsError(f"the inputs folder '{inputs}' does not exist")
    files = []
    for root, dirs, names in os.walk(inputs, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                files.append(path)
    if not files:
        raise InputsError(f"the inputs folder '{inputs}' holds no files")
    return sorted(files, key=lambda p: p.relative_to(inputs).as_posix())


def read_all(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order: on all cores when there are many (see isolation.py).

    `jobs`: worker processes (default: one per core); 1 reads in this process.
    """
    tasks = [Task(path.relative_to(inputs).as_posix(), path) for path in discover(inputs)]
    return read_files(tasks, vocab.rules, vocab=vocab, jobs=jobs)


def compile_plan(inputs: Path, rules: Rules, *, strict: bool = False, as_of: date | None = None) -> Compilation:
    vocab = Vocabulary(rules)
    records = read_all(inputs, vocab)
    resolver = Resolver(vocab)
    plan = resolver.resolve(records)
    comp = Compilation(rules, records, plan, as_of or date.today(), graph=resolver.graph)
    plan.diagnostics = configure(plan.diagnostics + run_checks(comp), rules, strict=strict)
    return comp
