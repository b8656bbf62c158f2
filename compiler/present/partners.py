"""What each partner's appendix (partners/<partner-id>.docx) shows.

For every partner the plan involves (`partners_with_appendix`): the actions it
leads and supports, the actions it submitted that another partner (or no
recognised partner) leads — everything it sent is in its appendix —, their
milestones, the strategies and plans it owns, the logframe measures it owns,
and the diagnostics that concern it (`Concerns.partners`), each with where it
was found and, for each code, what it means and how to fix it in plain words
(partners do not have the command line).
"""

from __future__ import annotations

from collections import defaultdict

from ..blocks import DocTitle, Document
from ..compilation import Compilation
from .. import diagnostics_render as render
from ..diagnostics import Diagnostic
from ..model import natural_key
from .common import PartnerWork, PlanView, milestone_rows
from .concerns import Concerns
from .format import format_value
from .plan import action_status_line
from .progress_view import progress_cell


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


def diagnostics_by_partner(comp: Compilation) -> dict[str, list[Diagnostic]]:
    """Each partner's diagnostics, errors first, then in plan order."""
    concerns = Concerns(comp.rules, comp.plan)
    out: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in sorted(comp.plan.diagnostics, key=lambda d: (d.severity.rank, d.sort_key())):
        for pid in concerns.partners(d):
            out[pid].append(d)
    return out


def partner_document(comp: Compilation, view: PlanView, pid: str, issues: list[Diagnostic]) -> Document:
    rules = comp.rules
    name = view.partner(pid)
    work = view.partner_work.get(pid, PartnerWork())
    leads, supports, submitted = work.leads, work.supports, work.submitted
    strategies, indicators, paths = work.strategies, work.indicators, sorted(set(work.paths))

    title = f"{name}: contribution to the {rules.system.plan_title}"
    doc = Document(title, subject=f"Partner appendix: {name}", author=rules.system.publisher or rules.system.name,
                   keywords="Shared Delivery Plan, partner appendix", language=rules.system.language,
                   created=rules.period.start, header_note=view.draft_note)
    doc.blocks.append(DocTitle(title))
    doc.para(f"This appendix sets out {name}'s commitments in the plan for {view.period}, "
             f"the strategies, plans and logframe measures it owns, and the issues found in what it "
             f"sent that need its attention.")
    if paths:
        doc.para("Compiled from: " + "; ".join(paths) + ".")

    def outcomes_of(a) -> list[str]:
        return [view.outcome_label(o) for o in a.outcome_ids + a.enabler_ids]

    doc.heading("Actions it leads", 1)
    if leads:
        doc.table(["ID", "Action", "Outcome", "Partners"],
                  [[a.id, [a.text, action_status_line(view, a)], outcomes_of(a), view.partners(a) or "–"]
                   for a in leads], widths=[1.2, 5.5, 1.8, 3])
    else:
        doc.para(f"{name} leads no action in the plan.")

    doc.heading("Actions it supports", 1)
    if supports:
        doc.table(["ID", "Action", "Outcome", "Lead"],
                  [[a.id, [a.text, action_status_line(view, a)], outcomes_of(a), view.lead(a)] for a in supports],
                  widths=[1.2, 5.5, 1.8, 3])
    else:
        doc.para(f"{name} is not named as a partner in any other organisation's action.")

    if submitted:
        doc.heading("Other actions it submitted", 1)
        doc.para(f"Actions in {name}'s submission that name another organisation as lead, or a lead that "
                 "is not recognised (shown as written).")
        doc.table(["ID", "Action", "Outcome", "Lead"],
                  [[a.id, a.text, outcomes_of(a), view.lead(a)] for a in submitted], widths=[1.2, 5.5, 1.8, 3])

    doc.heading("Milestones", 1)
    rows = milestone_rows(leads + supports + submitted)
    if rows:
        doc.table(["Due", "Action", "Milestone"], rows, widths=[2, 1.4, 7])
    else:
        doc.para("None of these actions gives a milestone.")

    custom = custom_field_rows(leads + supports + work.sent)
    if custom:
        doc.heading("Other details given with its actions", 1)
        doc.para("Columns of the submission the compiler does not read as a field (I011), as written.")
        doc.table(["Action", "Column", "Value"], custom, widths=[1.4, 3, 6.6])

    doc.heading("Strategies and plans it owns", 1)
    if strategies:
        doc.table(["Strategy or plan", "Status", "Outcomes"],
                  [[s.name, s.status or "Not known", ", ".join(view.outcome_label(o) for o in s.outcome_ids) or "–"]
                   for s in strategies], widths=[5, 2, 3])
    else:
        doc.para(f"No strategy or plan in the plan is owned by {name}.")

    doc.heading("Logframe measures it owns", 1)
    if indicators:
        doc.table(["ID", "Measure", "Baseline", "Latest", "Target", "Progress", "Status"],
                  [[i.id, i.name or "", format_value(i.baseline, i.unit) or "No baseline",
                    format_value(i.latest, i.unit) or "–",
                    [format_value(t, i.unit) for t in i.targets] or ["No target set"],
                    progress_cell(i, comp.progress.indicator(i.id)), i.status or "–"]
                   for i in sorted(indicators, key=lambda i: natural_key(i.id))],
                  widths=[1, 3.4, 1.8, 1.8, 1.8, 2.6, 1.4])
    else:
        doc.para(f"No logframe measure is owned by {name}.")

    doc.heading("What it says about the outcomes", 1)
    said = work.narrative
    if said:
        for n in said:
            doc.para(f"{view.outcome_label(n.section)}: {n.text} (from {n.source.path}, {n.source.text})")
    else:
        doc.para(f"{name}'s submission holds no narrative about the outcomes.")

    doc.heading("Issues to resolve", 1)
    if issues:
        doc.para("Each issue names where it was found, so that it can be put right in the next "
                 "submission. What each kind of issue means and how to fix it follows the table.")
        doc.table(["Code", "Severity", "Issue", "Where"],
                  [render.appendix_row(d) for d in issues],
                  widths=[1, 1.3, 6, 3])
        doc.heading("What the issues mean and how to fix them", 2)
        for code in dict.fromkeys(d.code for d in issues):
            doc.heading(f"{code}: {render.summary(code)}", 3)
            for label, text in render.explanation(code):
                doc.para(f"{label}: {text}")
    else:
        doc.para("No issues were found.")
    return doc


def custom_field_rows(actions) -> list[list[str]]:
    """Action id, column and value of every custom field of these actions (each action once)."""
    seen: set[str] = set()
    rows = []
    for a in actions:
        if a.id in seen:
            continue
        seen.add(a.id)
        rows.extend([a.id, column, value] for column, value in a.custom.items())
    return rows


def partner_documents(comp: Compilation) -> dict[str, Document]:
    """partner id -> its appendix, for every partner the plan involves."""
    view = PlanView(comp)
    issues = diagnostics_by_partner(comp)
    return {pid: partner_document(comp, view, pid, issues.get(pid, [])) for pid in partners_with_appendix(comp)}
