"""progress-report.docx and progress-report.html: the annual progress update, as laid out by
`compiler.present.progress_report`, rendered in Word and by the generic HTML renderer (charts as inline SVG)."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.progress_report import progress_report_document
from . import WriteContext, register
from .docx import render_docx
from .html import render_html

FILE = "progress-report.docx"


@register("progress-report", "progress-report.docx: the annual progress update for the partnership board",
          charts=True)
def write_progress_report(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {FILE: render_docx(progress_report_document(comp), ctx.reference_docx)}


HTML_FILE = "progress-report.html"


@register("progress-report-html", "progress-report.html: the annual progress update as an accessible web page",
          charts="svg")
def write_progress_report_html(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    from ..present.progress_view import chart_svgs

    system = comp.rules.system
    return {HTML_FILE: render_html(progress_report_document(comp), site_name=system.publisher or system.name,
                                   svg_for=chart_svgs(comp))}
