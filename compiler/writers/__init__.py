"""Writers: render the compiled plan's presentation as artefacts in the output folder.

Each writer is registered under a name, like Sphinx's builders, and is a pure
function `(Compilation, WriteContext) -> {relative path: bytes}`:

    @register("gap-report", "gap-report.html, .json and .md: coverage and every diagnostic, for reviewers")
    def write_gap_report(comp, ctx): ...

`plan.json` and `manifest.json` are always written; `sdp compile --only NAME,...`
runs just the named writers. What a document shows is decided in
`compiler.present`; writers only render it. The output folder is replaced as one
transaction (`transaction.py`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import __version__
from ..compilation import Compilation
from .plan_json import dumps, plan_document
from .transaction import MANIFEST, replace_folder


@dataclass
class WriteContext:
    inputs_dir: Path
    reference_docx: Path | None = None
    as_of: date = field(default_factory=date.today)
    pdf: bool = False  # also a tagged PDF of every generated Word document (writers/pdf.py)
    messages: list[str] = field(default_factory=list)  # what the command line should tell the user

    def input_bytes(self, rel_path: str) -> bytes:
        """A submission's bytes, for annotated copies only (read through the OOXML package layer)."""
        with open(self.inputs_dir / rel_path, "rb") as fh:
            return fh.read()


WriterFunction = Callable[[Compilation, WriteContext], dict[str, bytes]]


@dataclass(frozen=True)
class Writer:
    name: str
    produces: str  # what it writes and for whom, for --help and the documentation
    function: WriterFunction
    always: bool = False  # written whatever --only says (plan.json)

    def __call__(self, comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
        return self.function(comp, ctx)


WRITERS: dict[str, Writer] = {}


def register(name: str, produces: str, *, always: bool = False) -> Callable[[WriterFunction], WriterFunction]:
    """Register a writer under `name` (kebab-case, stable: users name it in --only)."""
    def decorate(function: WriterFunction) -> WriterFunction:
        if name in WRITERS and WRITERS[name].function is not function:
            raise ValueError(f"two writers are named '{name}'")
        WRITERS[name] = Writer(name, produces, function, always)
        return function
    return decorate


@register("plan-json", "plan.json: the compiled plan (schema compiler/schema/plan.schema.json)", always=True)
def _plan_json(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {"plan.json": dumps(plan_document(comp.plan, comp.rules))}


def load_writers() -> dict[str, Writer]:
    """Every writer, by name, in a stable order (the writer modules register themselves on import)."""
    import importlib
    import pkgutil

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("_") and module not in ("plan_json", "deterministic", "transaction", "excel_safe"):
            importlib.import_module(f"{__name__}.{module}")
    return dict(sorted(WRITERS.items()))


class UnknownWriter(ValueError):
    def __init__(self, name: str, known: list[str]):
        import difflib

        self.name, self.known = name, known
        close = difflib.get_close_matches(name, known, n=1)
        super().__init__(f"no artefact is called '{name}'" + (f"; did you mean '{close[0]}'?" if close else "")
                         + f" (choose from {', '.join(known)})")


def selected_writers(only: Iterable[str] | None = None) -> list[Writer]:
    """The writers to run: all, or those named in `only` plus the ones always written."""
    writers = load_writers()
    if only is None:
        return list(writers.values())
    names = [n.strip() for n in only if n.strip()]
    known = [w.name for w in writers.values() if not w.always]
    for name in names:
        if name not in writers:
            raise UnknownWriter(name, known)
    return [w for w in writers.values() if w.always or w.name in names]


def build_artefacts(comp: Compilation, ctx: WriteContext, *, only: Iterable[str] | None = None,
                    jobs: int | None = None) -> dict[str, bytes]:
    """Every artefact's bytes, keyed by its path relative to the output folder, manifest included.

    Writers are pure functions of the compilation, so on a machine with several cores they run
    in forked worker processes (which inherit the compilation without copying it); the result is
    the same bytes in the same order.
    """
    writers = selected_writers(only)
    artefacts: dict[str, bytes] = {}
    for produced in _run_writers(writers, comp, ctx, jobs):
        for name, data in produced.items():
            if name in artefacts:
                raise ValueError(f"two writers produce '{name}'")
            artefacts[name] = data
    if ctx.pdf:
        from .pdf import pdf_editions

        editions = pdf_editions(artefacts, comp.rules.period.start)
        artefacts.update(editions.pdfs)
        ctx.messages.extend(editions.problems)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(artefacts.items())}
    artefacts[MANIFEST] = dumps(_manifest(comp, digests))
    return artefacts


def write_outputs(comp: Compilation, out_dir: Path, ctx: WriteContext | None = None, *,
                  only: Iterable[str] | None = None) -> dict[str, str]:
    """Write the artefacts (all, or `only` these) as one transaction; returns {relative path: sha256}."""
    ctx = ctx or WriteContext(inputs_dir=Path("inputs"))
    return replace_folder(out_dir, build_artefacts(comp, ctx, only=only))


_FORKED: tuple[list[Writer], Compilation, WriteContext] | None = None


WRITER_MEMORY_LIMIT = 3 * 2**30


def _run_in_child(index: int) -> dict[str, bytes]:
    """One writer in a forked worker, under an address-space cap so a runaway cannot take the machine."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > WRITER_MEMORY_LIMIT:
            resource.setrlimit(resource.RLIMIT_AS, (WRITER_MEMORY_LIMIT, hard))
    except (ImportError, ValueError, OSError):
        pass
    writers, comp, ctx = _FORKED  # type: ignore[misc]
    return writers[index](comp, ctx)


def _run_writers(writers: list[Writer], comp: Compilation, ctx: WriteContext,
                 jobs: int | None) -> list[dict[str, bytes]]:
    global _FORKED
    jobs = min(jobs or os.cpu_count() or 1, len(writers))
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [writer(comp, ctx) for writer in writers]
    comp.coverage  # computed once here, inherited by every worker
    _FORKED = (writers, comp, ctx)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_run_in_child, range(len(writers)), chunksize=1)
    finally:
        _FORKED = None


def _manifest(comp: Compilation, outputs: dict[str, str]) -> dict:
    return {
        "compiler": {"name": "sdp", "version": __version__},
        "rules": {"folder": comp.rules.folder.name, "digest": comp.rules.digest},
        "inputs": [{"path": s.path, "sha256": s.sha256} for s in comp.plan.submissions],
        "outputs": [{"path": name, "sha256": digest} for name, digest in sorted(outputs.items())],
    }
