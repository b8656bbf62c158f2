"""partners/<partner-id>.docx: each partner's appendix as laid out by `compiler.present.partners`."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.common import PlanView
from ..present.partners import diagnostics_by_partner, partner_document, partner_documents, partners_with_appendix
from . import WriteContext, register
from .work import once
from .docx import render_docx

FOLDER = "partners"


BATCH = 8  # appendices per work item: enough to outweigh a worker's start, few enough to balance


def _shared(comp: Compilation) -> tuple[PlanView, dict]:
    return PlanView(comp), diagnostics_by_partner(comp)


def partner_batches(comp: Compilation, ctx: WriteContext) -> list[str]:  # noqa: ARG001 - the writer's signature
    """The appendices in batches (one work item each), partner ids joined by newlines."""
    once(comp, "partners.shared", _shared)
    pids = partners_with_appendix(comp)
    return ["\n".join(pids[k:k + BATCH]) for k in range(0, len(pids), BATCH)]


def _laid_out(comp: Compilation, batch: str) -> list:
    view, issues = once(comp, "partners.shared", _shared)
    return [partner_document(comp, view, pid, issues.get(pid, [])) for pid in batch.split("\n")]


def _digest(documents: list) -> str:
    import pickle

    from ..cache import digest_of

    return digest_of(*(pickle.dumps(document, protocol=5) for document in documents))


def write_partner_batch(comp: Compilation, ctx: WriteContext, batch: str) -> dict[str, bytes]:
    documents = _laid_out(comp, batch)
    comp.__dict__.setdefault("_partner_prints", {}).setdefault(batch, _digest(documents))  # for the fingerprint
    return {f"{FOLDER}/{pid}.docx": render_docx(document, ctx.reference_docx)
            for pid, document in zip(batch.split("\n"), documents)}


def partner_batch_fingerprint(comp: Compilation, ctx: WriteContext, batch: str | None) -> str:  # noqa: ARG001
    """What a batch of appendices shows, as laid out: a submission's revision rebuilds the appendices
    it changes (its partner's, and those of partners its actions name), not every partner's. Taken
    when the batch is written (the documents are at hand) or, before, by laying the batch out (the
    documents are not kept: a batch that must be rebuilt is laid out again, the rest never)."""
    if batch is None:
        return _digest([document for b in partner_batches(comp, ctx) for document in _laid_out(comp, b)])
    prints = comp.__dict__.setdefault("_partner_prints", {})
    if batch not in prints:
        prints[batch] = _digest(_laid_out(comp, batch))
    return prints[batch]


@register("partners", "partners/<partner>.docx: each partner's actions, milestones, strategies, measures and issues",
          parts=(partner_batches, write_partner_batch), fingerprint=partner_batch_fingerprint)
def write_partners(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {f"{FOLDER}/{pid}.docx": render_docx(doc, ctx.reference_docx)
            for pid, doc in partner_documents(comp).items()}
