"""progress-report.docx: the annual progress update, as laid out by `compiler.present.progress_report`.

An HTML edition goes through the generic blocks-to-HTML renderer once it exists: it takes the same
`progress_report_document(comp)`."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.progress_report import progress_report_document
from . import WriteContext, register
from .docx import render_docx

FILE = "progress-report.docx"


@register("progress-report", "progress-report.docx: the annual progress update for the partnership board",
          charts=True)
def write_progress_report(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {FILE: render_docx(progress_report_document(comp), ctx.reference_docx)}
