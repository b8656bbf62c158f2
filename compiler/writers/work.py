"""Running the writers' work items on every core, each writing its files into the staging folder.

A writer is one work item, or several when it says how its work splits
(`Writer.parts`: an annotated copy per submission, partner appendices in
batches). The items run in forked workers, which inherit the compilation
without copying it, pull the next item when they finish one (so one long item
does not leave the other cores idle) and write their files straight into the
transaction's staging folder: only names and digests come back, never the
bytes. Every item writes the same bytes wherever and in whatever order it runs.

Memory stays bounded without a full collection of the whole heap after each
file (which made writing quadratic at national scale): the compilation is
frozen out of the cycle collector (`gc.freeze`) before the items run, here and
in every forked worker, so the collector's own automatic collections walk only
what the items built, and free the python-docx and openpyxl documents (which
only the cycle collector frees) as they go, at a cost that grows with an item,
not with the compilation.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

from ..interrupts import ignore_interrupts_in_worker, interrupts_held

WRITER_MEMORY_LIMIT = 3 * 2**30  # address space per writing worker: a runaway cannot take the machine

Produced = list[tuple[str, str]]  # (artefact path, sha256)

_FORKED: tuple[list, Any, Any, Any, Any] | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


Item = tuple[Any, "str | None"]  # (writer, its work item's key: None for the whole writer)


def run_work(items: list[Item], comp, ctx, staging, jobs: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             fingerprint: Callable[[Any, "str | None"], "str | None"] | None = None
             ) -> Iterator[tuple[int, Produced, "str | None"]]:
    """Run the work `items` (`Writer.work`'s); yields (the item's index, its (name, sha256) pairs, and
    `fingerprint(writer, key)` computed where the item ran) as each finishes: an item's fingerprint is
    cheapest beside its work (the laid-out document is at hand there, and the workers share it out)."""
    global _FORKED
    # Whole writers first (one item each, often the longest), then the pieces, which balance the cores.
    order = sorted(range(len(items)), key=lambda i: items[i][1] is not None)
    total = len(items)
    if not total:
        return
    writers = list({id(w): w for w, _ in items}.values())
    jobs = min(default_jobs() if jobs is None else max(1, int(jobs)), total)
    comp.coverage  # computed once, before any fork
    comp.progress
    if any(w.charts for w in writers):
        comp.charts.draw_all(comp)  # each chart once, not once in every worker that shows it
    if any(w.charts == "svg" for w in writers):  # the HTML editions' inline SVG, likewise drawn once
        from ..present.progress_view import chart_svgs

        svg_for = chart_svgs(comp)
        for ind in comp.plan.indicators:
            svg_for(f"chart:{ind.id}")
    gc.collect()
    gc.freeze()
    try:
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            for done, index in enumerate(order, 1):
                writer, key = items[index]
                yield index, *_write(writer, key, comp, ctx, staging, fingerprint)
                if progress:
                    progress(done, total)
            return
        _FORKED = (items, comp, ctx, staging, fingerprint)
        with interrupts_held():
            pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker)
        with pool:
            done = 0
            for results in pool.imap_unordered(_run_in_child, _tasks(items, order), chunksize=1):
                for produced in results:
                    done += 1
                    yield produced
                    if progress:
                        progress(done, total)
    finally:
        _FORKED = None
        gc.unfreeze()


def _write(writer, key: str | None, comp, ctx, staging, fingerprint=None) -> tuple[Produced, str | None]:
    produced = writer.run(comp, ctx, key)
    pairs = [(name, staging.write(name, data)) for name, data in sorted(produced.items())]
    return pairs, (fingerprint(writer, key) if fingerprint is not None else None)


def _tasks(items: list[Item], order: list[int]) -> list[tuple[int, ...]]:
    """The workers' tasks: the writers that build a whole large document in memory (`Writer.large`)
    one after another in one task, so that no two of them are held at once (each takes a few hundred
    MB at national scale), while the other workers write the rest; every other item a task of its own."""
    large = tuple(i for i in order if items[i][1] is None and items[i][0].large)
    rest = [(i,) for i in order if i not in large]
    return ([large] if large else []) + rest


def _run_in_child(task: tuple[int, ...]) -> list[tuple[int, Produced, str | None]]:
    items, comp, ctx, staging, fingerprint = _FORKED  # type: ignore[misc]
    done = []
    for index in task:
        done.append((index, *_write(*items[index], comp, ctx, staging, fingerprint)))
        _give_back_memory()
    return done


TRIM_ABOVE = 2**25  # a worker this much above its size after its first item gives freed memory back


def _give_back_memory() -> None:
    """After an item that grew the worker, hand what it freed back to the system: otherwise a worker
    stays as large as the largest item it wrote until the stage ends, and the workers together hold
    several times what one item needs. The collection walks only what the items built (the
    inherited compilation is frozen); malloc_trim returns the freed heap."""
    rss = _rss()
    if not _BASE_RSS:
        _BASE_RSS.append(rss)
    elif rss > _BASE_RSS[0] + TRIM_ABOVE:
        gc.collect()
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass


_BASE_RSS: list[int] = []  # this worker's resident size after its first item


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _start_worker() -> None:
    """A writing worker: Ctrl-C is the parent's to handle (no traceback from here), memory capped."""
    ignore_interrupts_in_worker()
    _limit_memory()


def _limit_memory() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > WRITER_MEMORY_LIMIT:
            resource.setrlimit(resource.RLIMIT_AS, (WRITER_MEMORY_LIMIT, hard))
    except (ImportError, ValueError, OSError):
        pass


def once(comp, name: str, build: Callable[[Any], Any]) -> Any:
    """`build(comp)`, computed once per compilation and shared by a writer's work items (computed
    in the parent when the writer lists its parts, so forked workers inherit it). Kept in a cache
    on the compilation, so it lives and dies with it; the compilation itself is not changed."""
    memo = comp.__dict__.setdefault("_writers_memo", {})
    if name not in memo:
        memo[name] = build(comp)
    return memo[name]
