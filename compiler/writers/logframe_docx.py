"""logframe-matrix.docx: the logframe as laid out by `compiler.present.logframe`, rendered in Word."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.logframe import logframe_document
from . import WriteContext, document_fingerprint, register, rendered
from .docx import render_docx

FILE = "logframe-matrix.docx"


@register("logframe-docx", "logframe-matrix.docx: Appendix 2 for papers, a table of indicators per outcome",
          charts=True, fingerprint=document_fingerprint(logframe_document))
def write_logframe(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {FILE: rendered(comp, logframe_document, lambda document: render_docx(document, ctx.reference_docx))}
