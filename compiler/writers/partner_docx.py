"""partners/<partner-id>.docx: each partner's appendix as laid out by `compiler.present.partners`."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.partners import partner_documents
from . import WriteContext, register
from .docx import render_docx

FOLDER = "partners"


@register("partners", "partners/<partner>.docx: each partner's actions, milestones, strategies, measures and issues")
def write_partners(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {f"{FOLDER}/{pid}.docx": render_docx(doc, ctx.reference_docx)
            for pid, doc in partner_documents(comp).items()}
