"""What progress-report.docx shows: the annual progress update for the partnership board.

Per outcome, in plain sentences first ("3 of 5 measures are on track"), then each measure's latest
value, target, status and direction of travel with its trend chart, the measures without new data
named, and how many actions are complete, on track, delayed, not started or not reported; then
the action statuses partner by partner. Every figure comes from `Compilation.progress`.
"""

from __future__ import annotations

from ..blocks import DocTitle, Document, Subtitle
from ..compilation import Compilation
from ..progress import ACTION_STATUSES, GREEN, NO_DATA, NO_NEW_DATA
from .common import PlanView
from .format import format_value, plural
from .progress_view import chart_image, direction_text, rag_sentence


def _status_sentence(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    return f"Of {plural(total, 'action')}: " + ", ".join(parts) + "."


def progress_report_document(comp: Compilation, view: PlanView | None = None) -> Document:
    view = view or PlanView(comp)
    rules, plan, prog = comp.rules, comp.plan, comp.progress
    title = f"{rules.system.plan_title}: progress report"
    doc = Document(title, subject="Annual progress report", author=rules.system.publisher or rules.system.name,
                   keywords="progress, indicators, actions", language=rules.system.language,
                   created=rules.period.start, header_note=view.draft_note)
    doc.blocks.append(DocTitle(title))
    doc.blocks.append(Subtitle(f"Progress for the plan period {view.period}"))
    judged = [i for i in plan.indicators if prog.indicators[i.id].rag not in (NO_DATA, NO_NEW_DATA)]
    on_track = [i for i in judged if prog.indicators[i.id].rag == GREEN]
    doc.para(f"{len(on_track)} of {plural(len(plan.indicators), 'measure')} are on track; "
             f"{len(plan.indicators) - len(judged)} have no new data since their baseline.")
    doc.para(_status_sentence(prog.action_counts([a.id for a in plan.actions])))
    for outcome in rules.outcomes:
        doc.heading(f"Outcome {outcome.number}: {outcome.title}", 1)
        measures = [i for i in plan.indicators if outcome.id in i.outcome_ids]
        green = sum(1 for i in measures if prog.indicators[i.id].rag == GREEN)
        doc.para(f"{green} of {plural(len(measures), 'measure')} are on track." if measures
                 else "No measure is set for this outcome.")
        rows = []
        for i in measures:
            p = prog.indicators[i.id]
            rows.append([i.id, i.name or "", format_value(p.latest, i.unit) or "No data",
                         format_value(p.target, i.unit) or "No target", rag_sentence(i, p),
                         direction_text(p) or "Not enough data"])
        if rows:
            doc.table(["ID", "Measure", "Latest", "Target", "Status", "Direction of travel"], rows,
                      widths=[0.9, 3.5, 1.8, 1.8, 3.5, 2])
        stale = [i for i in measures if prog.indicators[i.id].rag in (NO_DATA, NO_NEW_DATA)]
        if stale:
            doc.para("No new data for: " + "; ".join(f"{i.id} {i.name or ''}".rstrip() for i in stale) + ".")
        for i in measures:
            image = chart_image(comp, i)
            if image is not None:
                doc.para(f"Trend: {i.id} {i.name or ''}".rstrip())
                doc.blocks.append(image)
        actions = [a.id for a in plan.actions if outcome.id in a.outcome_ids]
        doc.heading("Actions", 2)
        doc.para(_status_sentence(prog.action_counts(actions)) if actions
                 else "No partner has committed an action to this outcome.")
    doc.heading("Actions by partner", 1)
    leads = sorted({a.lead_id for a in plan.actions if a.lead_id},
                   key=lambda pid: [p.id for p in rules.partners].index(pid) if rules.partner(pid) else 10**6)
    rows = []
    for pid in leads:
        counts = prog.action_counts([a.id for a in plan.actions if a.lead_id == pid])
        rows.append([view.partner(pid)] + [str(counts[s]) for s in ACTION_STATUSES])
    if rows:
        doc.table(["Partner (lead)"] + [s.capitalize() for s in ACTION_STATUSES], rows)
    else:
        doc.para("No action names a lead partner.")
    return doc
