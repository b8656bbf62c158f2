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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..compilation import Compilation
from .plan_json import dumps, plan_document
from .transaction import MANIFEST, Staging
from .work import run_work

if TYPE_CHECKING:
    from ..incremental import Reuse


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
PartsFunction = Callable[[Compilation, WriteContext], list[str]]
PartFunction = Callable[[Compilation, WriteContext, str], dict[str, bytes]]
# What one work item's bytes are made from, as a digest: equal digests, equal bytes (see `Writer`).
FingerprintFunction = Callable[[Compilation, WriteContext, "str | None"], str]


@dataclass(frozen=True)
class Writer:
    """A registered writer. One that writes many files (an annotated copy per submission, an
    appendix per partner) may also say how its work splits: `parts` names the pieces and `part`
    writes one, so the pieces spread over every core; either way the same bytes."""

    name: str
    produces: str  # what it writes and for whom, for --help and the documentation
    function: WriterFunction
    always: bool = False  # written whatever --only says (plan.json)
    parts: PartsFunction | None = None
    part: PartFunction | None = None
    charts: bool | str = False  # shows trend charts ("svg": as inline SVG): drawn once, before the fork
    # A work item's fingerprint (see `incremental.py`): a digest of everything its bytes are made from,
    # besides the code and the house style. None: the whole compile's build key, i.e. the item is
    # rebuilt whenever any input, rule or option changed (right for whole-plan documents).
    fingerprint: FingerprintFunction | None = None
    large: bool = False  # builds a whole-plan document in memory: never written beside another such (work.py)

    def __call__(self, comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
        return self.function(comp, ctx)

    def work(self, comp: Compilation, ctx: WriteContext) -> list[str | None]:
        """The writer's work items: its parts, or the whole writer as one (None)."""
        if self.parts is None or self.part is None:
            return [None]
        return list(self.parts(comp, ctx))

    def run(self, comp: Compilation, ctx: WriteContext, key: str | None) -> dict[str, bytes]:
        return self.function(comp, ctx) if key is None else self.part(comp, ctx, key)  # type: ignore[misc]


WRITERS: dict[str, Writer] = {}


def register(name: str, produces: str, *, always: bool = False,
             parts: tuple[PartsFunction, PartFunction] | None = None,
             charts: bool | str = False, fingerprint: FingerprintFunction | None = None, large: bool = False
             ) -> Callable[[WriterFunction], WriterFunction]:
    """Register a writer under `name` (kebab-case, stable: users name it in --only); `parts`:
    (the names of its pieces, a function writing one piece), when its work splits; `charts`: it
    shows trend charts, "svg" for an HTML edition's inline ones (drawn once, before the writers fork);
    `fingerprint`: what one of its work items is made from, when that is less than the whole plan
    (an annotated copy: one submission and its diagnostics), so an incremental compile rebuilds it
    only when that changed."""
    def decorate(function: WriterFunction) -> WriterFunction:
        if name in WRITERS and WRITERS[name].function is not function:
            raise ValueError(f"two writers are named '{name}'")
        WRITERS[name] = Writer(name, produces, function, always, *(parts or (None, None)), charts, fingerprint, large)
        return function
    return decorate


def rendered(comp: Compilation, present: Callable[[Compilation], object], render: Callable[[object], bytes]) -> bytes:
    """`render(present(comp))`, noting the laid-out document's digest for `document_fingerprint` on the
    way (taken here, beside the work, when the item was not fingerprinted before it ran); the
    document is not kept afterwards."""
    name = f"{present.__module__}.{present.__qualname__}"
    document = comp.__dict__.setdefault("_laid_out", {}).pop(name, None)
    if document is None:
        document = present(comp)
    comp.__dict__.setdefault("_laid_out_prints", {}).setdefault(name, _digest_of_document(document))
    return render(document)


def document_fingerprint(present: Callable[[Compilation], object]) -> FingerprintFunction:
    """The fingerprint of a writer that renders one laid-out document (through `rendered`): the
    document itself, so an incremental compile keeps the file while what it shows is unchanged. For
    a small document: pickling a large one costs a good part of rendering it."""
    name = f"{present.__module__}.{present.__qualname__}"

    def fingerprint(comp: Compilation, ctx: WriteContext, key: str | None) -> str:  # noqa: ARG001
        prints = comp.__dict__.setdefault("_laid_out_prints", {})
        if name not in prints:  # before the item runs: laid out here, and kept for the writer
            document = comp.__dict__.setdefault("_laid_out", {}).setdefault(name, present(comp))
            prints[name] = _digest_of_document(document)
        return prints[name]
    return fingerprint


def _digest_of_document(document: object) -> str:
    import pickle

    from ..cache import digest_of

    return digest_of(pickle.dumps(document, protocol=5))


@register("plan-json", "plan.json: the compiled plan (schema compiler/schema/plan.schema.json)", always=True,
          large=True)
def _plan_json(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {"plan.json": dumps(plan_document(comp.plan, comp.rules, comp.progress))}


# Modules of this package that register no writer (helpers; `sdp templates`' workbook; the logframe
# workbook's builder, imported by its writer when it runs): not imported to list the writers.
NOT_WRITERS = ("plan_json", "deterministic", "transaction", "excel_safe", "work", "wrapping", "pdf", "html",
               "markdown", "templates_xlsx", "logframe_workbook")


def load_writers() -> dict[str, Writer]:
    """Every writer, by name, in a stable order (the writer modules register themselves on import)."""
    import importlib
    import pkgutil

    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if not module.startswith("_") and module not in NOT_WRITERS:
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


def build_artefacts(comp: Compilation, ctx: WriteContext, *, only: Iterable[str] | None = None) -> dict[str, bytes]:
    """Every artefact's bytes, keyed by its path relative to the output folder, manifest included,
    written in this process and held in memory (for tests and tools; `write_outputs` streams them
    to disk from every core instead)."""
    artefacts: dict[str, bytes] = {}
    for writer in selected_writers(only):
        for key in writer.work(comp, ctx):
            for name, data in writer.run(comp, ctx, key).items():
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


Progress = Callable[[int, int], None]  # (items done, items in all)


def write_outputs(comp: Compilation, out_dir: Path, ctx: WriteContext | None = None, *,
                  only: Iterable[str] | None = None, jobs: int | None = None,
                  progress: Progress | None = None, reuse: Reuse | None = None) -> dict[str, str]:
    """Write the artefacts (all, or `only` these) as one transaction; returns {relative path: sha256}.

    The writers' work items (see `Writer.parts`) run on `jobs` cores (default: all), each writing
    its files straight into the transaction's staging folder and handing back only their digests;
    the manifest is written last, then the folder is swapped into place. With `reuse` (an incremental
    compile, `incremental.py`), an item whose fingerprint is the one the last compile into `out_dir`
    recorded, and whose files are still there unchanged, is not rebuilt: its files are carried over.
    """
    ctx = ctx or WriteContext(inputs_dir=Path("inputs"))
    items = [(writer, key) for writer in selected_writers(only) for key in writer.work(comp, ctx)]
    with Staging(out_dir) as staging:
        digests: dict[str, str] = {}

        def produced(pairs) -> None:
            for name, digest in pairs:
                if name in digests:
                    raise ValueError(f"two writers produce '{name}'")
                digests[name] = digest

        todo = list(range(len(items)))
        if reuse is not None:
            todo = []
            for index, (writer, key) in enumerate(items):
                kept = reuse.kept(writer, key, comp, ctx, out_dir)
                if kept is None:
                    todo.append(index)
                else:
                    produced((name, staging.keep(out_dir / name, name, digest)) for name, digest in kept)
        fingerprint = reuse.fingerprint_later(comp, ctx) if reuse is not None else None
        for index, pairs, print_ in run_work([items[i] for i in todo], comp, ctx, staging, jobs, progress,
                                             fingerprint):
            produced(pairs)
            if reuse is not None:
                reuse.built(*items[todo[index]], pairs, print_)
        if ctx.pdf:  # tagged PDFs of the Word documents the writers staged (LibreOffice, when installed)
            from .pdf import documents_to_convert, pdf_editions, pdf_name

            names = documents_to_convert(digests)
            kept_pdfs = reuse.kept_pdfs(names, digests, out_dir) if reuse is not None else {}
            for name, digest in kept_pdfs.items():
                produced([(name, staging.keep(out_dir / name, name, digest))])
            staged = {name: (staging.path / name).read_bytes() for name in names if pdf_name(name) not in kept_pdfs}
            editions = pdf_editions(staged, comp.rules.period.start)
            for name, data in sorted(editions.pdfs.items()):
                digests[name] = staging.write(name, data)
            ctx.messages.extend(editions.problems)
        digests = dict(sorted(digests.items()))
        digests[MANIFEST] = staging.write(MANIFEST, dumps(_manifest(comp, digests)))
        staging.commit(set(digests))
    if reuse is not None:
        reuse.record.outputs = dict(sorted(digests.items()))
    return dict(sorted(digests.items()))


def _manifest(comp: Compilation, outputs: dict[str, str]) -> dict:
    return {
        "compiler": {"name": "sdp", "version": __version__},
        "rules": {"folder": comp.rules.folder.name, "digest": comp.rules.digest},
        "inputs": [{"path": s.path, "sha256": s.sha256} for s in comp.plan.submissions],
        "outputs": [{"path": name, "sha256": digest} for name, digest in sorted(outputs.items())],
    }
