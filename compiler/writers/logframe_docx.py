"""logframe-matrix.docx: the logframe as a Word appendix for papers (landscape, a table per outcome)."""

from __future__ import annotations

from ..model import Indicator
from ..compilation import Compilation
from . import WriteContext, register
from .docx_common import DocBuilder, format_value
from .plan_docx import PlanView, draft_note, period_text

FILE = "logframe-matrix.docx"
HEADERS = ["ID", "Indicator", "Baseline", "Latest", "Targets", "Source", "Owner", "Status"]
WIDTHS = [0.9, 4, 1.8, 1.8, 2, 2.6, 1.8, 1.6]


def _row(view: PlanView, ind: Indicator) -> list[object]:
    name: list[str] = [ind.name or ""]
    if ind.unit and ind.unit.strip() != "%":
        name.append(f"Unit: {ind.unit}")
    if ind.polarity in ("higher", "lower"):
        name.append(f"{ind.polarity.capitalize()} is better")
    return [
        ind.id,
        name,
        format_value(ind.baseline, ind.unit) or "No baseline",
        format_value(ind.latest, ind.unit) or "–",
        [format_value(t, ind.unit) for t in ind.targets] or ["No target set"],
        [x for x in (ind.data_source, ind.frequency) if x] or ["–"],
        view.partner(ind.owner_id) or "–",
        ind.status or "–",
    ]


def write_logframe(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    rules, plan = comp.rules, comp.plan
    view = PlanView(comp)
    title = f"{rules.system.plan_title}: logframe matrix"
    doc = DocBuilder(ctx.reference_docx, title=title, language=rules.system.language,
                     subject="Logframe matrix", author=rules.system.publisher or rules.system.name,
                     created=rules.period.start, keywords="logframe, indicators")
    doc.landscape()
    note = draft_note(comp)
    if note:
        doc.header_note(note)
    doc.doc_title(title)
    doc.paragraph(f"The strategic indicators that show whether each shared outcome is being achieved, "
                  f"for the plan period {period_text(comp)}: {len(plan.indicators)} measures.")
    outcome_ids = {o.id for o in rules.outcomes}
    for outcome in rules.outcomes:
        doc.heading(f"Outcome {outcome.number}: {outcome.title}", 1)
        measures = [i for i in plan.indicators if outcome.id in i.outcome_ids]
        if measures:
            doc.table(HEADERS, [_row(view, i) for i in measures], widths=WIDTHS)
        else:
            doc.paragraph("No logframe measure is defined for this outcome.")
    other = [i for i in plan.indicators if not any(o in outcome_ids for o in i.outcome_ids)]
    if other:
        doc.heading("Measures not linked to an outcome", 1)
        doc.table(HEADERS, [_row(view, i) for i in other], widths=WIDTHS)
    return {FILE: doc.finish()}


register(write_logframe)
