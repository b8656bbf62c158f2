"""partners/<partner-id>.docx: each partner's own appendix.

For every partner the plan involves (see `partners_with_appendix`): the actions it
leads and supports, their milestones, the strategies and plans it owns, the
logframe measures it owns, and the diagnostics that concern it, each with
where in its own submission it was found.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import natural_key
from ..compilation import Compilation
from . import WriteContext, register
from .docx_common import DocBuilder, format_value
from .plan_docx import PlanView, draft_note, milestone_rows, period_text

FOLDER = "partners"


def partners_with_appendix(comp: Compilation) -> list[str]:
    """Every partner the plan involves: it sent a submission, leads or supports an action, owns a
    strategy or a logframe measure, or a diagnostic is about it (an expected partner that sent nothing)."""
    plan = comp.plan
    ids = {s.partner_id for s in plan.submissions if s.partner_id}
    ids |= {a.lead_id for a in plan.actions if a.lead_id}
    ids |= {p for a in plan.actions for p in a.partner_ids}
    ids |= {x.owner_id for x in plan.strategies if x.owner_id}
    ids |= {i.owner_id for i in plan.indicators if i.owner_id}
    ids |= {d.subject.split(":", 1)[1] for d in plan.diagnostics if d.subject and d.subject.startswith("partner:")}
    known = {p.id for p in comp.rules.partners}
    ids = {i for i in ids if i in known}
    order = [p.id for p in comp.rules.partners]
    return [p for p in order if p in ids] + sorted(ids - set(order))


def concerns(d: Diagnostic, paths: set[str], subjects: set[str]) -> bool:
    return bool((d.location is not None and d.location.path in paths) or (d.subject and d.subject in subjects))


def _where(d: Diagnostic) -> str:
    if d.location is None:
        return "The plan as a whole"
    return f"{d.location.path}: {d.location.text}" if d.location.text else d.location.path


def write_partners(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    rules, plan = comp.rules, comp.plan
    view = PlanView(comp)
    note = draft_note(comp)
    outcome_label = {o.id: f"Outcome {o.number}" for o in rules.outcomes}
    outcome_label.update({e.id: e.title for e in rules.enablers})
    diagnostics = sorted(plan.diagnostics, key=lambda d: (d.severity.rank, d.sort_key()))
    out: dict[str, bytes] = {}
    for pid in partners_with_appendix(comp):
        name = view.partner(pid)
        leads = [a for a in plan.actions if a.lead_id == pid]
        supports = [a for a in plan.actions if pid in a.partner_ids and a.lead_id != pid]
        submitted = [a for a in plan.actions if a.submitted_by == pid]
        strategies = [s for s in plan.strategies if s.owner_id == pid]
        indicators = [i for i in plan.indicators if i.owner_id == pid]
        paths = {s.path for s in plan.submissions if s.partner_id == pid}
        subjects = {f"partner:{pid}"}
        subjects |= {f"action:{a.id}" for a in leads + supports + submitted}
        subjects |= {f"strategy:{s.id}" for s in strategies}
        subjects |= {f"indicator:{i.id}" for i in indicators}
        subjects |= {f"submission:{p}" for p in paths}
        mine = [d for d in diagnostics if concerns(d, paths, subjects)]

        title = f"{name}: contribution to the {rules.system.plan_title}"
        doc = DocBuilder(ctx.reference_docx, title=title, language=rules.system.language,
                         subject=f"Partner appendix: {name}", author=rules.system.publisher or rules.system.name,
                         created=rules.period.start, keywords="Shared Delivery Plan, partner appendix")
        if note:
            doc.header_note(note)
        doc.doc_title(title)
        doc.paragraph(f"This appendix sets out {name}'s commitments in the plan for {period_text(comp)}, "
                      f"the strategies, plans and logframe measures it owns, and the issues found in what it "
                      f"sent that need its attention.")
        if paths:
            doc.paragraph("Compiled from: " + "; ".join(sorted(paths)) + ".")

        doc.heading("Actions it leads", 1)
        if leads:
            doc.table(["ID", "Action", "Outcome", "Partners"],
                      [[a.id, a.text, [outcome_label.get(o, o) for o in a.outcome_ids + a.enabler_ids],
                        view.partners(a) or "–"] for a in leads], widths=[1.2, 5.5, 1.8, 3])
        else:
            doc.paragraph(f"{name} leads no action in the plan.")

        doc.heading("Actions it supports", 1)
        if supports:
            doc.table(["ID", "Action", "Outcome", "Lead"],
                      [[a.id, a.text, [outcome_label.get(o, o) for o in a.outcome_ids + a.enabler_ids],
                        view.lead(a)] for a in supports], widths=[1.2, 5.5, 1.8, 3])
        else:
            doc.paragraph(f"{name} is not named as a partner in any other organisation's action.")

        doc.heading("Milestones", 1)
        rows = milestone_rows(view, leads + supports)
        if rows:
            doc.table(["Due", "Action", "Milestone"], rows, widths=[2, 1.4, 7])
        else:
            doc.paragraph("None of these actions gives a milestone.")

        doc.heading("Strategies and plans it owns", 1)
        if strategies:
            doc.table(["Strategy or plan", "Status", "Outcomes"],
                      [[s.name, s.status or "Not known", ", ".join(outcome_label.get(o, o) for o in s.outcome_ids)
                        or "–"] for s in strategies], widths=[5, 2, 3])
        else:
            doc.paragraph(f"No strategy or plan in the plan is owned by {name}.")

        doc.heading("Logframe measures it owns", 1)
        if indicators:
            doc.table(["ID", "Measure", "Baseline", "Latest", "Target", "Status"],
                      [[i.id, i.name or "", format_value(i.baseline, i.unit) or "No baseline",
                        format_value(i.latest, i.unit) or "–",
                        [format_value(t, i.unit) for t in i.targets] or ["No target set"], i.status or "–"]
                       for i in sorted(indicators, key=lambda i: natural_key(i.id))],
                      widths=[1, 4, 2, 2, 2, 1.6])
        else:
            doc.paragraph(f"No logframe measure is owned by {name}.")

        doc.heading("Issues to resolve", 1)
        if mine:
            doc.paragraph("Each issue names where it was found, so that it can be put right in the next "
                          "submission. 'sdp explain CODE' says what a code means and how to fix it.")
            doc.table(["Code", "Severity", "Issue", "Where"],
                      [[d.code, d.severity.value, _message(d), _where(d)] for d in mine], widths=[1, 1.3, 6, 3])
        else:
            doc.paragraph("No issues were found.")
        out[f"{FOLDER}/{pid}.docx"] = doc.finish()
    return out


def _message(d: Diagnostic) -> str:
    from ..diagnostics import did_you_mean

    return d.message + ("; " + did_you_mean(d.suggestions) if d.suggestions else "")


register(write_partners)
