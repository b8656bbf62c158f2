"""The read stage's worker pool: reading many submissions safely and on every core.

Each file is read by `read_submission` in a worker process: a pool of
`os.cpu_count()` workers (or `jobs`) (forked when this process has a single thread, else
started from a fork server with the compiler preloaded; either way they begin
with the compiler imported), each given the rules once and building its own
Vocabulary. Every worker
runs under an address-space limit, so a file that slips past the zip checks
and tries to inflate without bound fails with MemoryError in that worker
alone (I001, too large to read); every file runs under the time budget
`limits.max_seconds_per_file`: a file that overruns it costs one I009 and its
worker, which is killed and replaced, and the other files carry on. A worker
that dies (a crash in a C library, killed from outside) costs an I001 for the
file it was reading.

Files go to the workers in batches, two batches in flight per worker, and each
batch's records come back in one message: a worker never waits for the parent
to take in a result before it starts the next file, and the parent wakes once
per batch, not once per file (on a busy machine each wake-up costs a time slice).

With few files, or `jobs=1`, files are read in this process (starting
workers would cost more than it saves); the time budget still holds there,
through an interval timer. Either way the results come back in input order
and are the same records: the serial and parallel paths call the same
function on the same bytes with the same rules.

Inputs are only ever opened read-only.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Sequence

from ..codes import emit
from ..diagnostics import Location
from ..interrupts import ignore_interrupts_in_worker, interrupts_held
from ..records import SubmissionRecords
from ..ruleset import Rules, load_rules
from ..vocabulary import Vocabulary
from . import preload, read_submission

Reader = Callable[[str, bytes, Vocabulary], SubmissionRecords]
Progress = Callable[[int, int], None]  # (files done, files in all), for a progress bar
# Given each file read to the end (not stopped or killed) and its records as pickled (None in process).
Store = Callable[["Task", SubmissionRecords, "bytes | None"], None]

# Below this many files, reading in process beats starting workers.
MIN_FILES_FOR_WORKERS = 8
# Address space per worker: room for the interpreter, lxml and openpyxl plus a large genuine file.
WORKER_MEMORY_BYTES = 3 * 2**29  # 1.5 GiB


@dataclass(frozen=True)
class ReadStats:
    """How reading one file went: wall seconds, peak resident memory (None when not measured), where."""

    seconds: float
    peak_bytes: int | None
    in_worker: bool
    outcome: str  # "read" | "unreadable" | "overrun" | "worker died"


@dataclass(frozen=True)
class Task:
    rel_path: str
    path: Path


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def read_files(tasks: Sequence[Task], rules: Rules | Path | str, *, vocab: Vocabulary | None = None,
               jobs: int | None = None, seconds_per_file: float | None = None,
               memory_bytes: int | None = WORKER_MEMORY_BYTES, reader: Reader = read_submission,
               min_files_for_workers: int = MIN_FILES_FOR_WORKERS, progress: Progress | None = None,
               store: Store | None = None) -> list[SubmissionRecords]:
    """Read every task's file; records in input order. Never raises on a bad file."""
    return [rec for rec, _ in read_files_with_stats(
        tasks, rules, vocab=vocab, jobs=jobs, seconds_per_file=seconds_per_file, memory_bytes=memory_bytes,
        reader=reader, min_files_for_workers=min_files_for_workers, progress=progress, store=store)]


def read_files_with_stats(tasks: Sequence[Task], rules: Rules | Path | str, *, vocab: Vocabulary | None = None,
                          jobs: int | None = None, seconds_per_file: float | None = None,
                          memory_bytes: int | None = WORKER_MEMORY_BYTES, reader: Reader = read_submission,
                          min_files_for_workers: int = MIN_FILES_FOR_WORKERS, progress: Progress | None = None,
                          store: Store | None = None) -> list[tuple[SubmissionRecords, ReadStats]]:
    """`read_files`, with how long each file took and its worker's peak memory while reading it."""
    if not isinstance(rules, Rules):
        rules = load_rules(Path(rules))
    budget = float(seconds_per_file if seconds_per_file is not None else rules.limits.max_seconds_per_file)
    if budget <= 0:  # a zero budget: every file exceeds it before it starts
        return [(overrun(task, budget), ReadStats(0.0, None, False, "overrun")) for task in tasks]
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    jobs = min(jobs, len(tasks))
    if jobs <= 1 or len(tasks) < min_files_for_workers:
        vocab = vocab if vocab is not None and vocab.rules is rules else Vocabulary(rules)
        out = []
        for task in tasks:
            out.append(_read_in_process(task, vocab, reader, budget))
            _stored(store, task, out[-1])
            if progress is not None:
                progress(len(out), len(tasks))
        return out
    return _Pool(rules, jobs, budget, memory_bytes, reader).run(tasks, progress, store)


# --- one file, the same way in either path -------------------------------------------------------------


TOO_LARGE = "the file is too large to read in the memory available"


def read_one(task: Task, vocab: Vocabulary, reader: Reader = read_submission) -> SubmissionRecords:
    """Read one file's bytes (opened read-only) and hand them to the reader. Never raises.

    Failures are turned into records only after leaving the `except` clause: until then the
    exception's traceback keeps alive everything the reader had built, and after a MemoryError
    there may be no room to build anything.
    """
    cause = None
    try:
        with open(task.path, "rb") as fh:
            data = fh.read()
    except MemoryError:
        cause = TOO_LARGE
    except OSError as exc:
        cause = f"the file could not be opened ({exc.strerror or type(exc).__name__})"
    if cause is not None:
        return unreadable(task, cause)
    try:
        return reader(task.rel_path, data, vocab)
    except MemoryError:
        cause = TOO_LARGE
    except RecursionError:
        cause = "the file nests content too deeply to read safely"
    except Exception as exc:  # the reader promises not to raise; if it does, it costs one file
        cause = (f"the file could not be read ({type(exc).__name__}: {str(exc)[:160]}); "
                 "this may be a compiler fault: please report it with the file")
    return unreadable(task, cause, data)


def _sha256_of(task: Task, data: bytes | None) -> str:
    if data is not None:
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    try:
        with open(task.path, "rb") as fh:
            for block in iter(lambda: fh.read(2**20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _failed(task: Task, code: str, message: str, data: bytes | None = None) -> SubmissionRecords:
    rec = SubmissionRecords(path=task.rel_path, sha256=_sha256_of(task, data), kinds=["unreadable"], readable=False)
    rec.diagnostics.append(emit(code, message, subject=f"submission:{task.rel_path}",
                                location=Location(task.rel_path, text="file")))
    return rec


def unreadable(task: Task, cause: str, data: bytes | None = None) -> SubmissionRecords:
    """An I001 for a file, worded like the readers' own."""
    return _failed(task, "I001", f"cannot be read: {cause}", data)


def overrun(task: Task, budget: float) -> SubmissionRecords:
    """An I009 for a file whose reading was stopped at the time budget."""
    return _failed(task, "I009", f"reading was stopped after {budget:g} seconds, the time budget per file "
                                 "(limits.max_seconds_per_file in rules/limits.toml); nothing from this file "
                                 "is in the plan")


# --- in process ------------------------------------------------------------------------------------------


class _Overrun(BaseException):
    """Raised by the interval timer; a BaseException so no reader's `except Exception` swallows it."""


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Overrun()


def _read_in_process(task: Task, vocab: Vocabulary, reader: Reader, budget: float
                     ) -> tuple[SubmissionRecords, ReadStats]:
    timed = budget > 0 and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    start = time.perf_counter()
    previous = None
    try:
        if timed:
            previous = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            rec = read_one(task, vocab, reader)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _Overrun:
        rec = overrun(task, budget)
    finally:
        if timed:
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
    return rec, ReadStats(time.perf_counter() - start, None, False, _outcome(rec))


def _stored(store: Store | None, task: Task, result: tuple[SubmissionRecords, ReadStats]
            ) -> tuple[SubmissionRecords, ReadStats]:
    if store is not None and result[1].outcome == "read":
        store(task, result[0], None)
    return result


def _outcome(rec: SubmissionRecords) -> str:
    codes = {d.code for d in rec.diagnostics}
    if "I009" in codes:
        return "overrun"
    return "read" if rec.readable else "unreadable"


# --- in workers ------------------------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    """How workers start: forked when this process has one thread (a fork then copies no lock
    some other thread holds, and a worker is ready in milliseconds, with everything imported);
    otherwise from a fork server (started once, with the compiler preloaded), or spawned."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["compiler.readers.pool"])
        return ctx
    return multiprocessing.get_context("spawn")


def _status(field: str) -> int:
    """A size from /proc/self/status in bytes ("VmSize", "VmRSS", "VmHWM"); 0 where there is none."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _limit_memory(limit: int | None) -> None:
    """Cap this worker's address space at `limit`, or at least 512 MiB above what it already maps
    (a forked worker inherits its parent's mappings, which may be large)."""
    if not limit:
        return
    try:
        import resource
        limit = max(limit, _status("VmSize") + 2**29)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


RECYCLE_RSS = 2**29  # a worker this much larger after a file than when it started (even after handing
#                     memory back) is replaced by a fresh one


def _current_rss() -> int:
    return _status("VmRSS")


def _trim() -> None:
    """Hand freed memory back to the system, so one large file does not leave its worker large."""
    gc.collect()
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


TRIM_RSS = 2**26  # memory is handed back (a full collection and malloc_trim) only after a file grew the worker


def _trimmed_rss(trim_above: int) -> int:
    rss = _current_rss()
    if rss > trim_above:
        _trim()
        rss = _current_rss()
    return rss


def _peak_rss() -> int | None:
    if peak := _status("VmHWM"):
        return peak
    try:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except (ImportError, OSError):
        return None


def _silence_stdout() -> None:
    """Libraries sometimes print (openpyxl prints style errors): a worker's stdout goes nowhere, so
    it can never mix into the compiler's own output (such as `--format json`)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - lives as long as the worker
    except OSError:
        pass


def _read_for_parent(task: Task, vocab: Vocabulary, reader: Reader) -> tuple[str, object]:
    """One file in a worker -> ("done", pickled records) or ("failed", cause)."""
    rec: SubmissionRecords | None = None
    try:
        rec = read_one(task, vocab, reader)
        return "done", pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return "failed", TOO_LARGE
    except (pickle.PicklingError, TypeError, AttributeError, ValueError) as exc:
        return "failed", f"what was read from the file could not be passed on ({type(exc).__name__})"
    except BaseException:  # noqa: BLE001 - e.g. MemoryError while building the failure record
        return "failed", TOO_LARGE


def _worker(conn: Connection, rules_blob: bytes, reader: Reader, memory_bytes: int | None, current) -> None:
    """Read batches of files; send each batch's results back in one message.

    `current` (shared with the parent) holds the index of the file being read and when its clock
    started, so the parent can enforce the time budget per file and knows which file a worker
    that dies was reading."""
    ignore_interrupts_in_worker()  # the parent decides when to stop (Ctrl-C)
    gc.enable()  # forked while the parent had paused its collector; the readers' cycles must be freed
    _silence_stdout()
    _limit_memory(memory_bytes)
    vocab = Vocabulary(pickle.loads(rules_blob))
    base = _current_rss()
    trim_above, recycle_above = base + TRIM_RSS, base + RECYCLE_RSS
    conn.send(("ready",))
    leaving = False
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        results = []
        for index, task in batch:
            current[1] = time.monotonic()
            current[0] = index
            measured = _reset_peak()
            start = time.perf_counter()
            kind, payload = _read_for_parent(task, vocab, reader)
            seconds = time.perf_counter() - start
            results.append((kind, index, payload, seconds, _peak_rss() if measured else None))
            current[0] = -1
            leaving = leaving or _trimmed_rss(trim_above) > recycle_above  # replaced rather than kept large
        conn.send(("batch", results, leaving))


STARTUP_ALLOWANCE = 60.0  # seconds a new worker may take to start before it counts as hung
IN_FLIGHT = 2  # batches given to a worker at a time: it starts the next while the parent takes in the last


class _Worker:
    def __init__(self, ctx, rules_blob: bytes, reader: Reader, memory_bytes: int | None):
        self.conn, child = ctx.Pipe()
        self.current = ctx.Array("d", [-1.0, 0.0], lock=False)  # (file index being read, its start)
        self.process = ctx.Process(target=_worker, args=(child, rules_blob, reader, memory_bytes, self.current),
                                   name="sdp-reader", daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.leaving = False
        self.batches: deque[list[int]] = deque()  # indices of the batches given and not yet answered
        self.spawned = time.monotonic()

    @property
    def busy(self) -> bool:
        return bool(self.batches)

    def give(self, batch: list[int], tasks: Sequence[Task]) -> None:
        self.batches.append(batch)
        try:
            self.conn.send([(i, tasks[i]) for i in batch])
        except (OSError, ValueError):
            pass  # the worker is gone: its sentinel says so on the next wait

    def reading(self) -> int | None:
        """The index of the file the worker is reading now, or None between files."""
        index = int(self.current[0])
        return index if index >= 0 else None

    def deadline(self, budget: float) -> float:
        if not self.ready:
            return self.spawned + budget + STARTUP_ALLOWANCE
        if self.reading() is None:  # between files: the next one starts its clock at once
            return time.monotonic() + budget
        return self.current[1] + budget

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _batch_size(files: int, jobs: int) -> int:
    """Files per message: enough to keep the messages few, small enough that the last batches balance."""
    return max(1, min(16, files // (jobs * 8)))


class _Pool:
    def __init__(self, rules: Rules, jobs: int, budget: float, memory_bytes: int | None, reader: Reader):
        self.ctx = _context()
        preload()  # imported once here, before the workers fork, not once in each
        self.rules_blob = pickle.dumps(rules)
        self.jobs = jobs
        self.budget = budget
        self.memory_bytes = memory_bytes
        self.reader = reader

    def _spawn(self) -> _Worker:
        # Whatever this process holds is frozen out of the cycle collector while a worker forks:
        # the worker's collections then never walk (and copy, page by page) the inherited heap.
        gc.freeze()
        try:
            with interrupts_held():
                return _Worker(self.ctx, self.rules_blob, self.reader, self.memory_bytes)
        finally:
            gc.unfreeze()

    def run(self, tasks: Sequence[Task], progress: Progress | None = None, store: Store | None = None
            ) -> list[tuple[SubmissionRecords, ReadStats]]:
        results: list[tuple[SubmissionRecords, ReadStats] | None] = [None] * len(tasks)
        # Biggest files first, so one large file does not finish alone at the end.
        pending = deque(sorted(range(len(tasks)), key=lambda i: (-_size(tasks[i].path), i)))
        size = _batch_size(len(tasks), self.jobs)
        workers: list[_Worker] = []
        done = 0
        broken = False  # a worker failed to start: read the rest in this process

        def record(index: int, result: tuple[SubmissionRecords, ReadStats]) -> None:
            nonlocal done
            results[index] = result
            done += 1
            if progress is not None:
                progress(done, len(tasks))

        def feed(w: _Worker) -> None:
            while not broken and not w.leaving and pending and len(w.batches) < IN_FLIGHT:
                w.give([pending.popleft() for _ in range(min(size, len(pending)))], tasks)

        def replace(k: int, outcome: str) -> None:
            """The worker died or overran: the file it was reading costs an I001 or I009; the rest
            of its batches go back to the queue, and a fresh worker takes its place."""
            nonlocal broken
            w = workers[k]
            index = w.reading()
            seconds = time.monotonic() - w.current[1] if index is not None else 0.0
            w.kill()
            given = [i for batch in w.batches for i in batch]
            w.batches.clear()
            if not w.ready or index is None or index not in given:
                broken = broken or not w.ready  # the worker never started: the fault is the pool's
                pending.extendleft(reversed(given))
                workers[k] = self._spawn() if not broken else w
                return
            pending.extendleft(reversed([i for i in given if i != index]))
            task = tasks[index]
            rec = overrun(task, self.budget) if outcome == "overrun" else unreadable(task, _death_cause(w.process.exitcode))
            record(index, (rec, ReadStats(seconds, None, True, outcome)))
            workers[k] = self._spawn()

        collecting = gc.isenabled()  # the parent only takes in live records: no cycles to collect, and
        gc.disable()                 # each full collection would walk every record taken in so far
        try:
            for _ in range(self.jobs):
                workers.append(self._spawn())
                feed(workers[-1])
            while any(w.busy for w in workers):
                busy = [w for w in workers if w.busy]
                timeout = None
                if self.budget > 0:
                    timeout = max(0.0, min(w.deadline(self.budget) for w in busy) - time.monotonic())
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
                for k in range(len(workers)):
                    w = workers[k]
                    if not w.busy:
                        continue
                    answered = False
                    try:
                        while w.busy and w.conn.poll():
                            message = w.conn.recv()
                            if message[0] == "ready":
                                w.ready = True
                            elif message[0] == "batch":
                                _, got, leaving = message
                                w.batches.popleft()
                                w.leaving = w.leaving or leaving
                                for kind, index, payload, seconds, peak in got:
                                    rec = pickle.loads(payload) if kind == "done" else unreadable(tasks[index], payload)
                                    outcome = _outcome(rec)
                                    if store is not None and kind == "done" and outcome == "read":
                                        store(tasks[index], rec, payload)
                                    record(index, (rec, ReadStats(seconds, peak, True, outcome)))
                                answered = True
                    except (EOFError, OSError, pickle.UnpicklingError):
                        pass
                    if answered and w.leaving and not w.busy:  # it left to give its memory back
                        w.stop()
                        w.process.join(5)
                        w.kill()
                        workers[k] = w = self._spawn()
                    if answered:
                        feed(w)
                    elif w.process.sentinel in ready or not w.process.is_alive():
                        w.process.join(1)
                        replace(k, "worker died")
                        feed(workers[k])
                    elif self.budget > 0 and time.monotonic() >= w.deadline(self.budget):
                        replace(k, "overrun")
                        feed(workers[k])
                for w in workers:  # a worker freed by a neighbour's replacement may take more
                    if not w.busy:
                        feed(w)
        finally:
            if collecting:
                gc.enable()
            for w in workers:
                w.stop()
            for w in workers:
                w.process.join(2)
                w.kill()
        if pending:
            vocab = Vocabulary(pickle.loads(self.rules_blob))
            for i in list(pending):
                record(i, _stored(store, tasks[i], _read_in_process(tasks[i], vocab, self.reader, self.budget)))
        assert all(r is not None for r in results)
        return results  # type: ignore[return-value]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _death_cause(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return (f"the reading process was killed ({name}), most likely for running out of memory; "
                    "the file is probably too large to read")
        return f"the reading process crashed ({name}) on this file; this may be a compiler fault: please report it with the file"
    return f"the reading process stopped unexpectedly (exit status {exitcode}) on this file"
