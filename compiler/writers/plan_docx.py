"""shared-delivery-plan.docx: the plan as laid out by `compiler.present.plan`, rendered in Word."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.plan import plan_document
from . import WriteContext, register
from .docx import render_docx

FILE = "shared-delivery-plan.docx"


@register("plan", "shared-delivery-plan.docx: the consolidated plan for Cabinet, ICB and ICP papers",
          charts=True, large=True)
def write_plan(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    return {FILE: render_docx(plan_document(comp), ctx.reference_docx)}
