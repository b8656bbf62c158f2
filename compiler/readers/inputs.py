"""The read stage's entry: an inputs folder -> every file in it, read (in workers when there are many).

`discover` lists the files; `read_inputs` reads each through `read_submission`
in the worker pool (pool.py: time budget, memory cap, crash isolation) and
returns the records in discovery order.
"""

from __future__ import annotations

import os
import re
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


def input_tasks(inputs: Path, file: Path | None = None) -> list[Task]:
    """Every input file to read, in discovery order; `file`: one submission checked against the
    others (`sdp check FILE`), see `tasks_with_file`."""
    tasks = [Task(path.relative_to(inputs).as_posix(), path) for path in discover(inputs)]
    return tasks_with_file(tasks, inputs, file) if file is not None else tasks


def read_inputs(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                file: Path | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order: on all cores when there are many (see pool.py).

    `jobs`: worker processes (default: one per core); 1 reads in this process. `progress(done, total)`
    is called as files finish (for a progress bar).
    """
    return read_files(input_tasks(inputs, file), vocab.rules, vocab=vocab, jobs=jobs, progress=progress)


# Words and marks that tell versions of one return apart: "MBC return v2 (1) FINAL 2025-01-31".
_VERSION_MARKS = re.compile(
    r"\b(?:v|ver|version|rev|revision|draft)\s*\d+(?:\.\d+)*\b|\(\d+\)|\b\d{4}[-_.]\d{2}[-_.]\d{2}\b|"
    r"\b(?:revised|final|draft|copy|updated|update|latest|new|amended|resubmission|resubmitted)\b")


def version_free_stem(name: str) -> str:
    """A file name without its extension and version marks, for matching a revised return to its
    original: `MBC return v2 (1).docx` -> `mbc return`."""
    stem = Path(name).stem.casefold().replace("_", " ")
    return " ".join(re.sub(r"[^\w]+", " ", _VERSION_MARKS.sub(" ", stem)).split())


def checked_path(inputs: Path, file: Path) -> str:
    """The path a checked file's records and diagnostics carry: its path within the inputs folder
    when it lies there (it is that input), else the path as given."""
    try:
        return file.resolve().relative_to(inputs.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def tasks_with_file(tasks: list[Task], inputs: Path, file: Path) -> list[Task]:
    """The inputs with `file` in them: a file inside the inputs folder is read as that input (a
    revised return saved over it); one outside replaces the input of the same name, or failing that
    the one input whose name is the same without version marks (`opcc.docx` for `OPCC v2.docx`);
    else it is added (read last)."""
    path = checked_path(inputs, file)
    replaced = path if any(t.rel_path == path for t in tasks) else None
    if replaced is None:
        name = Path(path).name.casefold()
        same = [t for t in tasks if Path(t.rel_path).name.casefold() == name]
        if not same:
            stem = version_free_stem(path)
            same = [t for t in tasks if stem and version_free_stem(t.rel_path) == stem]
        replaced = same[0].rel_path if len(same) == 1 else None
    if replaced is None:
        return [*tasks, Task(path, file)]
    return [Task(path, file) if t.rel_path == replaced else t for t in tasks]
