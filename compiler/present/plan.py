"""What shared-delivery-plan.docx shows: the consolidated plan for Cabinet, ICB and ICP papers.

Title page; contents; front matter from the optional narrative document (or a
short "About this plan"); one chapter per outcome (priorities, key areas of
joint working grouped system-wide and by place, strategies and plans it
signposts, how impact will be measured, milestones in date order); the
conditions for successful delivery (enablers); an index of partner
contributions. Each action is set out in full once, in the chapter of its
first outcome (or, with no outcome, of its first enabler); other chapters it
contributes to list it by reference.
"""

from __future__ import annotations

from collections import defaultdict

from .. import __version__
from ..blocks import Contents, DocTitle, Document, PageBreak, Para, Subtitle, Text, inlines, table
from ..compilation import Compilation
from ..model import Action
from .common import PlanView, measure_row, milestone_rows
from .format import plural
from .progress_view import chart_image, progress_cell

OTHER = "_other"


def action_homes(view: PlanView) -> tuple[dict[str, str], dict[str, list[Action]]]:
    """Where each action is set out in full: (action id -> chapter label, chapter key -> actions)."""
    outcome_titles = {o.id: f"Outcome {o.number}" for o in view.rules.outcomes}
    enabler_titles = {e.id: e.title for e in view.rules.enablers}
    home: dict[str, str] = {}
    full_under: dict[str, list[Action]] = defaultdict(list)
    for a in view.plan.actions:
        key = next((o for o in a.outcome_ids if o in outcome_titles), None) \
            or next((e for e in a.enabler_ids if e in enabler_titles), None) or OTHER
        full_under[key].append(a)
        home[a.id] = outcome_titles.get(key) or enabler_titles.get(key) or "Other actions"
    return home, full_under


SOURCE_STYLE = "Table Source"


def source_line(view: PlanView, action: Action) -> str:
    """Where an action was committed: the partner that submitted it, the file and the place in it, so a
    reader can trace every commitment of the plan back to the partner who made it."""
    loc = action.source
    if loc.sheet is not None and loc.row is not None:
        where = f"sheet '{loc.sheet}', row {loc.row}"
    else:
        where = loc.text
    by = view.partner(action.submitted_by)
    return "Source: " + ", ".join(x for x in (by, loc.path, where) if x)


def _actions_table(doc: Document, view: PlanView, actions: list[Action], caption: str) -> None:
    rows = []
    for a in actions:
        text: list[object] = [a.text]
        if a.strategy_ids:
            text.append("Delivered through: " + "; ".join(view.strategy_name(s) for s in a.strategy_ids))
        text.append("Measured by: " + ("; ".join(f"{i} {view.indicators[i].name or ''}".rstrip()
                                                   if i in view.indicators else i for i in a.indicator_ids)
                                         or "no logframe measure named"))
        text.append(action_status_line(view, a))
        text.append(Para(inlines(source_line(view, a)), SOURCE_STYLE))
        rows.append([a.id, text, view.lead(a), view.partners(a)])
    doc.blocks.append(table(["ID", "Action", "Lead", "Partners"], rows, [1.2, 5, 2, 2.6], caption))


def action_status_line(view: PlanView, a: Action) -> str:
    """`Progress: on track (reported as "Green")`: the status in one of five words, and as written."""
    status = view.comp.progress.action(a.id)
    return f"Progress: {status}" + (f' (reported as "{a.status}")' if a.status and a.status.casefold() != status else "")


def _cross_references(doc: Document, actions: list[Action], home: dict[str, str]) -> None:
    if not actions:
        return
    doc.para("These actions, set out in another chapter, also contribute here:")
    for a in actions:
        doc.bullet(f"{a.id} ({home[a.id]}): {a.text}")


def _grouped_actions(doc: Document, view: PlanView, actions: list[Action], chapter: str) -> None:
    """System-wide first, then each place in rules order."""
    groups: dict[str | None, list[Action]] = defaultdict(list)
    for a in actions:
        groups[view.place_of(a)].append(a)
    order: list[str | None] = [None] + [p.id for p in view.rules.places if p.id in groups]
    order += sorted(k for k in groups if k is not None and k not in order)
    for key in order:
        if key not in groups:
            continue
        where = "System-wide" if key is None else view.place_names.get(key, key)
        doc.heading(where, 3)
        _actions_table(doc, view, groups[key], f"{chapter}, {where}: actions, who leads them and the partners")


def _title_page(doc: Document, view: PlanView) -> None:
    system, plan = view.rules.system, view.plan
    doc.blocks.append(DocTitle(system.plan_title))
    if system.strategy_title:
        doc.blocks.append(Subtitle(f"Delivery plan for the {system.strategy_title}"))
    doc.para(f"Plan period: {view.period}")
    if system.publisher:
        doc.para(f"Published by {system.publisher}")
    n_partners = len({a.lead_id for a in plan.actions if a.lead_id} | {p for a in plan.actions for p in a.partner_ids})
    doc.para(f"Compiled by sdp {__version__} from {len(plan.submissions)} submissions: "
             f"{len(plan.actions)} actions by {n_partners} partners, {len(plan.indicators)} logframe measures "
             f"and {len(plan.strategies)} strategies and plans.")
    note = view.draft_note
    doc.para(f"Status: {note}." if note else "Status: no unresolved issues.")
    doc.page_break()
    doc.blocks.append(Contents("Contents", 2))
    doc.page_break()


def _front_matter(doc: Document, view: PlanView) -> None:
    if view.plan.front_matter:
        doc.extend(view.plan.front_matter)
        return
    system = view.rules.system
    doc.heading("About this plan", 1)
    doc.para(f"This plan sets out how partners will deliver the shared outcomes of the "
             f"{system.strategy_title or system.name} over {view.period}. It is a composite of actions "
             f"owned by the partner organisations that committed them: delivery and its ownership stay with "
             f"each partner, and the plan sits alongside partners' own strategies and plans, which it signposts.")
    doc.para("For each outcome it sets out the key areas of joint working, the strategies and plans "
             "that deliver it and who leads them, how impact will be measured through the logframe "
             "measures, and the milestones used to track progress.")


def _outcome_chapter(doc: Document, view: PlanView, outcome, home: dict[str, str],
                     full_under: dict[str, list[Action]]) -> None:
    plan = view.plan
    label = f"Outcome {outcome.number}"
    contributing = [a for a in plan.actions if outcome.id in a.outcome_ids]
    doc.heading(f"{label}: {outcome.title}", 1)

    doc.heading("Priorities", 2)
    if outcome.priorities:
        for pr in outcome.priorities:
            doc.bullet(f"{pr.id}: {pr.title}")
    else:
        doc.para("No priorities are set for this outcome.")

    doc.heading("Key areas of joint working", 2)
    mine = full_under.get(outcome.id, [])
    if not mine:
        doc.para("No partner has yet committed an action to this outcome.")
    _grouped_actions(doc, view, mine, label)
    _cross_references(doc, [a for a in contributing if home[a.id] != label], home)

    doc.heading("Strategies and plans", 2)
    linked = {s for a in contributing for s in a.strategy_ids}
    strategies = [s for s in plan.strategies if s.id in linked or outcome.id in s.outcome_ids]
    if strategies:
        doc.para("The plan sits alongside these strategies and plans, which deliver this outcome:")
        doc.blocks.append(table(
            ["Strategy or plan", "Lead", "Status"],
            [[s.name, view.partner(s.owner_id) or "Not known", s.status or "Not known"] for s in strategies],
            [5, 3, 2], f"{label}: strategies and plans that deliver it"))
    else:
        doc.para("No strategy or plan is signposted for this outcome.")

    doc.heading("How impact will be measured", 2)
    ind_ids = {i for a in contributing for i in a.indicator_ids}
    measures = [i for i in plan.indicators if i.id in ind_ids]
    if measures:
        relying = relying_actions(contributing)
        doc.blocks.append(table(["ID", "Measure", "Baseline", "Latest", "Target", "Progress", "Actions relying on it"],
                                [measure_row(i, progress_cell(i, comp_progress(view, i.id)), relying.get(i.id, []))
                                 for i in measures],
                                [0.9, 3, 1.5, 1.5, 1.6, 2.6, 1.4], f"{label}: logframe measures of impact"))
        for ind in measures:
            image = chart_image(view.comp, ind)
            if image is not None:
                doc.para(f"Trend: {ind.id} {ind.name or ''}".rstrip())
                doc.blocks.append(image)
    else:
        doc.para("No action under this outcome names a logframe measure yet.")
    unused = [i.id for i in plan.indicators if outcome.id in i.outcome_ids and i.id not in ind_ids]
    if unused:
        doc.para("Logframe measures for this outcome that no action names yet: " + ", ".join(unused) + ".")

    _partners_say(doc, view, outcome.id)
    _business(doc, view, outcome.id, contributing)

    doc.heading("Milestones", 2)
    rows = milestone_rows(contributing)
    if rows:
        doc.blocks.append(table(["Due", "Action", "Milestone"], rows, [2, 1.4, 7], f"{label}: milestones in date order"))
    else:
        doc.para("No milestones are given for this outcome's actions.")
    doc.page_break()


def relying_actions(actions: list[Action]) -> dict[str, list[str]]:
    """Indicator id -> the ids of these actions that name it, in action order (one pass, each action once)."""
    relying: dict[str, list[str]] = defaultdict(list)
    for a in actions:
        for iid in dict.fromkeys(a.indicator_ids):
            relying[iid].append(a.id)
    return relying


def comp_progress(view: PlanView, indicator_id: str):
    return view.comp.progress.indicator(indicator_id)


def narrative_para(view: PlanView, n) -> Para:
    """A partner's narrative, attributed: the partner, their words, and where they wrote them (named
    styles only, so no bold run)."""
    who = view.partner(n.partner_id) or "A partner (not identified)"
    return Para((Text(f"{who}: {n.text} (from {n.source.path}, {n.source.text})"),))


def _partners_say(doc: Document, view: PlanView, outcome_id: str) -> None:
    doc.heading("What partners say", 2)
    said = [n for n in view.plan.narrative if n.section == outcome_id]
    if not said:
        doc.para("No partner has written about this outcome in their submission.")
    for n in said:
        doc.blocks.append(narrative_para(view, n))


def _business(doc: Document, view: PlanView, outcome_id: str, contributing: list[Action]) -> None:
    """Business and private-sector involvement: the partner types rules mark as business, with the
    partners and actions under this outcome; said plainly when there is none."""
    doc.heading("Business and private-sector involvement", 2)
    matrix = view.comp.coverage.by_partner_type
    business = [c for c in matrix.columns if c.business]
    if not business:
        doc.para("The rules name no partner type as business or private sector, so involvement is not counted.")
        return
    types = {c.id for c in business}
    involved: dict[str, dict[str, None]] = defaultdict(dict)  # partner -> its action ids, in order, once each
    for a in contributing:
        for pid in ([a.lead_id] if a.lead_id else []) + a.partner_ids:
            partner = view.rules.partner(pid)
            if partner is not None and partner.type in types:
                involved[pid][a.id] = None
    counts = [(c.label, matrix.count(outcome_id, c.id)) for c in business]
    total = sum(n for _, n in counts)
    if not total:
        doc.para("None: no business or private-sector partner leads or supports an action under this outcome.")
        return
    doc.para(f"{plural(total, 'action')} under this outcome involve a business or private-sector partner ("
             + "; ".join(f"{label}: {n}" for label, n in counts) + ").")
    for pid, ids in involved.items():
        doc.bullet(f"{view.partner(pid)}: {', '.join(ids)}")


def _enablers(doc: Document, view: PlanView, home: dict[str, str], full_under: dict[str, list[Action]]) -> None:
    doc.heading("Conditions for successful delivery", 1)
    if not view.rules.enablers:
        doc.para("No conditions for successful delivery are set.")
    for enabler in view.rules.enablers:
        doc.heading(enabler.title, 2)
        mine = full_under.get(enabler.id, [])
        if mine:
            _actions_table(doc, view, mine, f"{enabler.title}: actions, who leads them and the partners")
        shown = {id(a) for a in mine}
        others = [a for a in view.plan.actions if enabler.id in a.enabler_ids and id(a) not in shown]
        if not mine and not others:
            doc.para("No partner has yet committed an action to this condition.")
        _cross_references(doc, others, home)
    if full_under.get(OTHER):
        doc.heading("Other actions", 1)
        doc.para("These actions name no outcome or condition for successful delivery.")
        _actions_table(doc, view, full_under[OTHER], "Other actions, who leads them and the partners")


def _partner_index(doc: Document, view: PlanView) -> None:
    doc.heading("Index of partner contributions", 1)
    leads: dict[str, list[str]] = defaultdict(list)
    supports: dict[str, dict[str, None]] = defaultdict(dict)  # partner -> action ids, in order, once each
    for a in view.plan.actions:
        if a.lead_id:
            leads[a.lead_id].append(a.id)
        for p in a.partner_ids:
            supports[p][a.id] = None
    known = [p.id for p in view.rules.partners]
    others = sorted((set(leads) | set(supports)) - set(known))
    rows = [[view.partner(pid), ", ".join(leads.get(pid, [])) or "–", ", ".join(supports.get(pid, [])) or "–"]
            for pid in known + others if pid in leads or pid in supports]
    if rows:
        doc.blocks.append(table(["Partner", "Leads", "Supports"], rows, [4, 3.5, 3.5],
                                "Actions each partner leads and supports"))
    else:
        doc.para("No partner contributions have been compiled.")


def plan_document(comp: Compilation, view: PlanView | None = None) -> Document:
    view = view or PlanView(comp)
    system = comp.rules.system
    doc = Document(system.plan_title, subject=system.strategy_title or system.name,
                   author=system.publisher or system.name, keywords="Shared Delivery Plan",
                   language=system.language, created=comp.rules.period.start, header_note=view.draft_note,
                   styles=tuple(comp.plan.front_matter_styles))
    _title_page(doc, view)
    _front_matter(doc, view)
    doc.blocks.append(PageBreak())
    home, full_under = action_homes(view)
    for outcome in comp.rules.outcomes:
        _outcome_chapter(doc, view, outcome, home, full_under)
    _enablers(doc, view, home, full_under)
    _partner_index(doc, view)
    return doc
