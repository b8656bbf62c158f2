"""The compile pipeline, one direction: discover -> read -> resolve -> check -> (write).

Reading is the readers' (compiler/readers/: discovery, the worker pool, one
reader per kind of file); resolution builds the plan and its graph; checks
run over the Compilation. `cli.py` only wires this to the command line; tests
and future commands (`diff`, `extract`) call it directly.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import configure, run_checks
from .compilation import Compilation
from .diagnostics import Diagnostic
from .readers.inputs import InputsError, checked_path, discover, input_tasks, read_inputs
from .readers.pool import Task, read_files
from .records import SubmissionRecords
from .resolve import Resolver
from .ruleset import Rules
from .timings import Timings
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .cache import Cache

__all__ = ["InputsError", "Timings", "checked_path", "compile_plan", "discover", "file_diagnostics", "read_all"]

Progress = Callable[[int, int], None]  # (files done, files in all)


def read_all(inputs: Path, vocab: Vocabulary, *, jobs: int | None = None, progress: Progress | None = None,
             file: Path | None = None, cache: Cache | None = None,
             hashes: dict[str, str] | None = None) -> list[SubmissionRecords]:
    """Read every input file, in discovery order (the read stage: compiler/readers/inputs.py).

    With a `cache`, a file read before (same bytes, rules and compiler) is not read again: its records
    come from the cache, and the files that are read go into it. `hashes`: each input's sha256 by
    path, when the caller has them already (the build key needs them too)."""
    if cache is None:
        return read_inputs(inputs, vocab, jobs=jobs, progress=progress, file=file)
    return read_through_cache(input_tasks(inputs, file), vocab, cache, hashes or {}, jobs=jobs, progress=progress)


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cycle collector off for a stretch that only builds live objects (its full collections
    would walk the whole growing heap again and again)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _from_cache(tasks: list[Task], cache: Cache, digest: str, hashes: dict[str, str],
                found: dict[int, SubmissionRecords], missing: list[int]) -> None:
    from .cache import file_sha256

    for i, task in enumerate(tasks):
        sha = hashes.get(task.rel_path) or file_sha256(task.path)
        rec = cache.load_records(cache.records_key(digest, task.rel_path, sha)) if sha else None
        if isinstance(rec, SubmissionRecords) and rec.path == task.rel_path and rec.sha256 == sha:
            found[i] = rec
        else:
            missing.append(i)


def read_through_cache(tasks: list[Task], vocab: Vocabulary, cache: Cache, hashes: dict[str, str], *,
                       jobs: int | None = None, progress: Progress | None = None) -> list[SubmissionRecords]:
    """The records of every task: from the cache where the file's bytes were read before, else read
    (in the worker pool) and stored. Only files read to the end are stored (never one stopped at its
    time budget or lost with its worker: those depend on the machine, not on the file)."""
    digest = vocab.rules.digest
    found: dict[int, SubmissionRecords] = {}
    missing: list[int] = []
    with collection_paused():  # thousands of records come to life, none of them garbage
        _from_cache(tasks, cache, digest, hashes, found, missing)

    def store(task: Task, rec: SubmissionRecords, payload: bytes | None) -> None:
        import pickle

        cache.store_records(cache.records_key(digest, task.rel_path, rec.sha256),
                            payload if payload is not None else pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress(len(found) + done, len(tasks))

    read = read_files([tasks[i] for i in missing], vocab.rules, vocab=vocab, jobs=jobs, store=store,
                      progress=reading) if missing else []
    found.update(zip(missing, read))
    return [found[i] for i in range(len(tasks))]


def compile_plan(inputs: Path, rules: Rules, *, strict: bool = False, as_of: date | None = None,
                 jobs: int | None = None, timings: Timings | None = None, progress: Progress | None = None,
                 keep_records: bool = True, file: Path | None = None, cache: Cache | None = None,
                 hashes: dict[str, str] | None = None) -> Compilation:
    """Read, resolve and check; with `file`, that one submission in place of its original or beside
    the others (`sdp check FILE`: readers/inputs.py `tasks_with_file`, `file_diagnostics`). `jobs`: reading processes (default: one per core); `timings`: filled
    with each stage's seconds; `keep_records=False` drops the read records once the plan is checked
    (nothing after the checks reads them), so a large compile does not carry them into writing."""
    timings = Timings() if timings is None else timings
    vocab = Vocabulary(rules)
    with timings.stage("read"):  # `cache`, `hashes`: see read_all
        records = read_all(inputs, vocab, jobs=jobs, progress=progress, file=file, cache=cache, hashes=hashes)
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
