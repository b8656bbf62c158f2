"""A topic extract (`sdp extract`) as a short paper for one agenda item: the actions with their lead,
partners, milestones and measures; the strategies and plans that deliver them; the measures with
baseline, latest, target and trend. Laid out from `compiler.extract.select` over a plan.json."""

from __future__ import annotations

from datetime import date

from ..blocks import DocTitle, Document
from ..extract import Extract
from .format import plural
from .plan_data import PlanNames, milestone_lines, trend_text, value_text


def describe(extract: Extract, names: PlanNames) -> str:
    """What was asked for, in words: `obesity, work of <partner name>, in <place name>`."""
    q = extract.query
    parts = []
    if q.topic:
        parts.append(q.topic.strip())
    if q.outcome:
        parts.append(names.outcomes.get(q.outcome, q.outcome))
    if q.partner:
        parts.append(f"work of {names.partners.get(q.partner, q.partner)}")
    if q.place:
        parts.append(f"in {names.places.get(q.place, q.place)}")
    return ", ".join(parts)


def _rule(extract: Extract, names: PlanNames) -> list[str]:
    """How the selection was made, in the paper itself, so that readers know what is and is not in it."""
    q, lines = extract.query, []
    if q.topic and extract.terms:
        terms = ", ".join(f"'{t.rstrip('*')}'" + ("…" if t.endswith("*") else "") for t in extract.terms.terms)
        lines.append(f"Actions are included when their own wording (text, milestones, timescale), or a logframe "
                     f"measure they name, uses one of these words or phrases: {terms}. Being delivered through "
                     f"a strategy on the topic does not by itself bring an action in.")
    if q.outcome:
        lines.append(f"Actions under {names.outcomes.get(q.outcome, q.outcome)} are included.")
    if q.partner:
        lines.append(f"Actions that {names.partners.get(q.partner, q.partner)} leads or supports are included.")
    if q.place:
        lines.append(f"Actions delivered in {names.places.get(q.place, q.place)} or a place within it are included; "
                     f"system-wide actions, which reach every place, are not listed.")
    if sum(bool(x) for x in (q.topic, q.outcome, q.partner, q.place)) > 1:
        lines.append("An action must meet every one of these conditions.")
    return lines


def extract_document(extract: Extract, plan: dict) -> Document:
    names = PlanNames(plan)
    what = describe(extract, names)
    plan_title = (plan.get("system") or {}).get("plan_title") or "Shared Delivery Plan"
    title = f"{plan_title}: extract – {what}"
    start = (plan.get("period") or {}).get("start")
    errors = sum(1 for d in plan.get("diagnostics", []) if d.get("severity") == "error")
    doc = Document(title, subject=f"Extract of the plan: {what}", author=plan_title,
                   keywords="Shared Delivery Plan, extract", landscape=True,
                   created=date.fromisoformat(start) if start else None,
                   header_note=f"Draft – {plural(errors, 'unresolved issue')}" if errors else None)
    doc.blocks.append(DocTitle(title))
    doc.para(f"The parts of the {plan_title} that concern {what}, to be read alongside the agenda item: "
             f"{plural(len(extract.actions), 'action')}, the strategies and plans that deliver them and "
             f"the logframe measures that show progress.")
    for line in _rule(extract, names):
        doc.para(line)
    _actions(doc, extract, names)
    _strategies(doc, extract, names)
    _measures(doc, extract, names)
    return doc


def _actions(doc: Document, extract: Extract, names: PlanNames) -> None:
    doc.heading("Actions", 1)
    if not extract.actions:
        doc.para("No action in the plan matches.")
        return
    rows = []
    for a in extract.actions:
        lead = f"Lead: {names.partner(a.get('lead_id'))}"
        partners = f"With: {names.partner_list(a.get('partner_ids'))}"
        why = "Included because " + "; ".join(extract.why.get(a["id"], [])) + "."
        milestones = milestone_lines(a.get("milestones")) or ([a["timescale"]] if a.get("timescale") else
                                                               ["No milestone given"])
        measures = [names.indicator(i) for i in a.get("indicator_ids", [])] or ["No measure named"]
        rows.append([a["id"], [a.get("text") or "", why], [lead, partners], milestones, measures])
    doc.table(["ID", "Action", "Lead and partners", "Milestones", "Measures"], rows, widths=[1.4, 6, 3.2, 4, 3.4])


def _delivers(sid: str, extract: Extract) -> str:
    ids = [a["id"] for a in extract.actions if sid in a.get("strategy_ids", [])]
    return ", ".join(ids) or "None in this extract"


def _strategies(doc: Document, extract: Extract, names: PlanNames) -> None:
    doc.heading("Strategies and plans", 1)
    groups = [(s, "Matches the extract") for s in extract.strategies]
    groups += [(s, "Delivers actions in this extract") for s in extract.linked_strategies]
    if not groups:
        doc.para("No strategy or plan matches, and the actions name none.")
        return
    doc.table(["Strategy or plan", "Owner", "Status", "Actions in this extract", "Why shown"],
              [[s.get("name") or s["id"], names.partners.get(s.get("owner_id"), s.get("owner_id") or "Not known"),
                s.get("status") or "Not known", _delivers(s["id"], extract), why] for s, why in groups],
              widths=[5, 3, 2, 4, 3])


def _measures(doc: Document, extract: Extract, names: PlanNames) -> None:
    doc.heading("How impact is measured", 1)
    groups = [(i, "Matches the extract") for i in extract.indicators]
    groups += [(i, "Named by actions in this extract") for i in extract.linked_indicators]
    if not groups:
        doc.para("No logframe measure matches, and the actions name none.")
        return
    rows = []
    for ind, why in groups:
        unit = ind.get("unit")
        rows.append([ind["id"], ind.get("name") or "", value_text(ind.get("baseline"), unit) or "No baseline",
                     value_text(ind.get("latest"), unit) or "No value since the baseline",
                     [value_text(t, unit) for t in ind.get("targets") or []] or "No target set",
                     trend_text(ind) or "No trend data", why])
    doc.table(["ID", "Measure", "Baseline", "Latest", "Target", "Trend", "Why shown"], rows,
              widths=[1, 4, 2, 2, 2, 4, 2.4])
