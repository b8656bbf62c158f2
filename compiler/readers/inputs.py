"""The read stage's entry: an inputs folder -> every file in it, read (in workers when there are many).

`discover` lists the files; `read_inputs` reads each through `read_submission`
in the worker pool (pool.py: time budget, memory cap, crash isolation) and
returns the records in discovery order.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..records import SubmissionRecords
from ..vocabulary import Vocabulary
from .pool import Task, read_files


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


def read_inputs(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order: on all cores when there are many (see pool.py).

    `jobs`: worker processes (default: one per core); 1 reads in this process. `progress(done, total)`
    is called as files finish (for a progress bar).
    """
    tasks = [Task(path.relative_to(inputs).as_posix(), path) for path in discover(inputs)]
    return read_files(tasks, vocab.rules, vocab=vocab, jobs=jobs, progress=progress)
