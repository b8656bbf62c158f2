"""shared-delivery-plan.html: the plan's accessible HTML edition, the same presentation as the Word plan
(`compiler.present.plan`) rendered by the generic HTML renderer (`writers/html.py`)."""

from __future__ import annotations

from ..compilation import Compilation
from ..present.plan import plan_document
from ..present.progress_view import chart_svgs
from . import WriteContext, register
from .html import render_html

FILE = "shared-delivery-plan.html"


@register("plan-html", "shared-delivery-plan.html: the plan's accessible HTML edition, for publication on the web",
          charts="svg", large=True)
def write_plan_html(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    system = comp.rules.system
    return {FILE: render_html(plan_document(comp), site_name=system.publisher or system.name,
                              footer=[f"This is the HTML edition of {system.plan_title}. Every action names the "
                                      f"submission it was compiled from, so each commitment can be traced to the "
                                      f"partner that made it."], svg_for=chart_svgs(comp))}
