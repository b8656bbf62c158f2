"""shared-delivery-plan.docx: the consolidated plan for Cabinet, ICB and ICP papers.

Title page; contents; front matter copied from the optional narrative Word
document in the inputs; one chapter per outcome (priorities, key areas of
joint working grouped system-wide and by place, strategies and plans it
signposts, how impact will be measured, milestones in date order); the
conditions for successful delivery (enablers); an index of partner
contributions. Each action is set out in full once, in the chapter of its
first outcome (or, with no outcome, of its first enabler); other chapters it
contributes to list it by reference.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from .. import __version__
from ..model import Action, Indicator, natural_key
from ..compilation import Compilation
from . import WriteContext, register
from .docx_common import DocBuilder, format_value, import_narrative, long_date

FILE = "shared-delivery-plan.docx"


class PlanView:
    """Look-ups over the compiled plan shared by the document writers."""

    def __init__(self, comp: Compilation):
        self.comp, self.rules, self.plan = comp, comp.rules, comp.plan
        self.partner_names = {p.id: p.name for p in self.rules.partners}
        self.place_names = {p.id: p.name for p in self.rules.places}
        roots = [p for p in self.rules.places if p.parent is None]
        root_types = {p.type for p in roots}
        self.system_places = {p.id for p in self.rules.places if p.type in root_types}
        self.strategies = {s.id: s for s in self.plan.strategies}
        self.indicators = {i.id: i for i in self.plan.indicators}

    def partner(self, pid: str | None) -> str:
        if not pid:
            return ""
        return self.partner_names.get(pid, pid)

    def lead(self, action: Action) -> str:
        return self.partner(action.lead_id) if action.lead_id else "No lead named"

    def partners(self, action: Action) -> str:
        return "; ".join(self.partner(p) for p in action.partner_ids)

    def place_of(self, action: Action) -> str | None:
        """The place an action is grouped under: None for system-wide."""
        for pid in action.place_ids:
            if pid in self.system_places:
                return None
        return action.place_ids[0] if action.place_ids else None

    def strategy_name(self, sid: str) -> str:
        s = self.strategies.get(sid)
        return s.name if s else sid


def draft_note(comp: Compilation) -> str | None:
    n = comp.error_count
    if not n:
        return None
    return f"Draft – {n} unresolved issue{'s' if n != 1 else ''}"


def period_text(comp: Compilation) -> str:
    return f"{long_date(comp.rules.period.start)} to {long_date(comp.rules.period.end)}"


def milestone_rows(view: PlanView, actions: list[Action]) -> list[list[str]]:
    items = []
    for a in actions:
        for m in a.milestones:
            items.append((m.due or date.max, natural_key(a.id), m.text, a.id, m.due))
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    return [[long_date(due) if due else "No date given", aid, text] for _, _, text, aid, due in items]


def indicator_row(ind: Indicator) -> list[object]:
    targets = [format_value(t, ind.unit) for t in ind.targets] or ["No target set"]
    name = ind.name or ""
    if ind.unit and ind.unit.strip() != "%":
        name = f"{name} ({ind.unit})" if name else ind.unit
    return [ind.id, name, format_value(ind.baseline, ind.unit) or "No baseline", targets, ind.status or ""]


def _actions_table(doc: DocBuilder, view: PlanView, actions: list[Action]) -> None:
    rows = []
    for a in actions:
        text: list[str] = [a.text]
        if a.strategy_ids:
            text.append("Delivered through: " + "; ".join(view.strategy_name(s) for s in a.strategy_ids))
        rows.append([a.id, text, view.lead(a), view.partners(a)])
    doc.table(["ID", "Action", "Lead", "Partners"], rows, widths=[1.2, 5, 2, 2.6])


def _cross_references(doc: DocBuilder, view: PlanView, actions: list[Action], home: dict[str, str]) -> None:
    if not actions:
        return
    doc.paragraph("These actions, set out in another chapter, also contribute here:")
    for a in actions:
        doc.bullet(f"{a.id} ({home[a.id]}): {a.text}")


def write_plan(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    rules, plan = comp.rules, comp.plan
    view = PlanView(comp)
    system = rules.system
    doc = DocBuilder(ctx.reference_docx, title=system.plan_title, language=system.language,
                     subject=system.strategy_title or system.name, author=system.publisher or system.name,
                     created=rules.period.start, keywords="Shared Delivery Plan")
    note = draft_note(comp)
    if note:
        doc.header_note(note)

    # Title page.
    doc.doc_title(system.plan_title)
    if system.strategy_title:
        doc.subtitle(f"Delivery plan for the {system.strategy_title}")
    doc.paragraph(f"Plan period: {period_text(comp)}")
    if system.publisher:
        doc.paragraph(f"Published by {system.publisher}")
    n_partners = len({a.lead_id for a in plan.actions if a.lead_id} | {p for a in plan.actions for p in a.partner_ids})
    doc.paragraph(f"Compiled by sdp {__version__} from {len(plan.submissions)} submissions: "
                  f"{len(plan.actions)} actions by {n_partners} partners, {len(plan.indicators)} logframe measures "
                  f"and {len(plan.strategies)} strategies and plans.")
    doc.paragraph(f"Status: {note}." if note else "Status: no unresolved issues.")
    doc.page_break()
    doc.contents_here("Contents", levels=2)
    doc.page_break()

    # Front matter.
    narrative = next((s for s in plan.submissions
                      if "narrative" in s.kinds and s.readable and s.path.lower().endswith((".docx", ".docm"))), None)
    imported = False
    if narrative is not None:
        try:
            imported = import_narrative(doc, ctx.input_bytes(narrative.path))
        except Exception:  # a narrative that cannot be copied must not cost the plan
            imported = False
    if not imported:
        doc.heading("About this plan", 1)
        doc.paragraph(
            f"This plan sets out how partners will deliver the shared outcomes of the "
            f"{system.strategy_title or system.name} over {period_text(comp)}. It is a composite of actions "
            f"owned by the partner organisations that committed them: delivery and its ownership stay with "
            f"each partner, and the plan sits alongside partners' own strategies and plans, which it signposts.")
        doc.paragraph("For each outcome it sets out the key areas of joint working, the strategies and plans "
                      "that deliver it and who leads them, how impact will be measured through the logframe "
                      "measures, and the milestones used to track progress.")
    doc.page_break()

    # Where each action is set out in full.
    outcome_titles = {o.id: f"Outcome {o.number}" for o in rules.outcomes}
    enabler_titles = {e.id: e.title for e in rules.enablers}
    home: dict[str, str] = {}
    full_under: dict[str, list[Action]] = defaultdict(list)
    for a in plan.actions:
        key = next((o for o in a.outcome_ids if o in outcome_titles), None) \
            or next((e for e in a.enabler_ids if e in enabler_titles), None)
        if key is None:
            key = "_other"
        full_under[key].append(a)
        home[a.id] = outcome_titles.get(key) or enabler_titles.get(key) or "Other actions"

    for outcome in rules.outcomes:
        contributing = [a for a in plan.actions if outcome.id in a.outcome_ids]
        doc.heading(f"Outcome {outcome.number}: {outcome.title}", 1)

        doc.heading("Priorities", 2)
        if outcome.priorities:
            for pr in outcome.priorities:
                doc.bullet(f"{pr.id}: {pr.title}")
        else:
            doc.paragraph("No priorities are set for this outcome.")

        doc.heading("Key areas of joint working", 2)
        mine = full_under.get(outcome.id, [])
        if not mine:
            doc.paragraph("No partner has yet committed an action to this outcome.")
        _grouped_actions(doc, view, mine)
        _cross_references(doc, view, [a for a in contributing if home[a.id] != outcome_titles[outcome.id]], home)

        doc.heading("Strategies and plans", 2)
        linked = {s for a in contributing for s in a.strategy_ids}
        strategies = [s for s in plan.strategies if s.id in linked or outcome.id in s.outcome_ids]
        if strategies:
            doc.paragraph("The plan sits alongside these strategies and plans, which deliver this outcome:")
            doc.table(["Strategy or plan", "Lead", "Status"],
                      [[s.name, view.partner(s.owner_id) or "Not known", s.status or "Not known"]
                       for s in strategies], widths=[5, 3, 2])
        else:
            doc.paragraph("No strategy or plan is signposted for this outcome.")

        doc.heading("How impact will be measured", 2)
        ind_ids = {i for a in contributing for i in a.indicator_ids}
        measures = [i for i in plan.indicators if i.id in ind_ids]
        if measures:
            doc.table(["ID", "Measure", "Baseline", "Target", "Status"], [indicator_row(i) for i in measures],
                      widths=[1, 4.5, 2, 2.2, 2])
        else:
            doc.paragraph("No action under this outcome names a logframe measure yet.")
        unused = [i.id for i in plan.indicators if outcome.id in i.outcome_ids and i.id not in ind_ids]
        if unused:
            doc.paragraph("Logframe measures for this outcome that no action names yet: " + ", ".join(unused) + ".")

        doc.heading("Milestones", 2)
        rows = milestone_rows(view, contributing)
        if rows:
            doc.table(["Due", "Action", "Milestone"], rows, widths=[2, 1.4, 7])
        else:
            doc.paragraph("No milestones are given for this outcome's actions.")
        doc.page_break()

    doc.heading("Conditions for successful delivery", 1)
    if not rules.enablers:
        doc.paragraph("No conditions for successful delivery are set.")
    for enabler in rules.enablers:
        doc.heading(enabler.title, 2)
        mine = full_under.get(enabler.id, [])
        if mine:
            _actions_table(doc, view, mine)
        others = [a for a in plan.actions if enabler.id in a.enabler_ids and a not in mine]
        if not mine and not others:
            doc.paragraph("No partner has yet committed an action to this condition.")
        _cross_references(doc, view, others, home)

    if full_under.get("_other"):
        doc.heading("Other actions", 1)
        doc.paragraph("These actions name no outcome or condition for successful delivery.")
        _actions_table(doc, view, full_under["_other"])

    doc.heading("Index of partner contributions", 1)
    leads: dict[str, list[str]] = defaultdict(list)
    supports: dict[str, list[str]] = defaultdict(list)
    for a in plan.actions:
        if a.lead_id:
            leads[a.lead_id].append(a.id)
        for p in a.partner_ids:
            if a.id not in supports[p]:
                supports[p].append(a.id)
    known = [p.id for p in rules.partners]
    others = sorted((set(leads) | set(supports)) - set(known))
    rows = [[view.partner(pid), ", ".join(leads.get(pid, [])) or "–", ", ".join(supports.get(pid, [])) or "–"]
            for pid in known + others if pid in leads or pid in supports]
    if rows:
        doc.table(["Partner", "Leads", "Supports"], rows, widths=[4, 3.5, 3.5])
    else:
        doc.paragraph("No partner contributions have been compiled.")
    return {FILE: doc.finish()}


def _grouped_actions(doc: DocBuilder, view: PlanView, actions: list[Action]) -> None:
    groups: dict[str | None, list[Action]] = defaultdict(list)
    for a in actions:
        groups[view.place_of(a)].append(a)
    order = [None] + [p.id for p in view.rules.places if p.id in groups and p.id is not None]
    order += sorted(k for k in groups if k is not None and k not in order)
    for key in order:
        if key not in groups:
            continue
        doc.heading("System-wide" if key is None else view.place_names.get(key, key), 3)
        _actions_table(doc, view, groups[key])


register(write_plan)
