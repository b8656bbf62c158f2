"""C — coverage gaps: outcomes, priorities, places and partners the plan leaves uncovered."""

from __future__ import annotations

from ..codes import emit
from .registry import check


def _outcome_label(comp, oid: str) -> str:
    o = comp.rules.outcome(oid)
    return f"{oid} '{o.title}'" if o else oid


@check("C001", "error", "an outcome with no action", """
What it finds: a shared outcome to which no action in any submission contributes.
Why it matters: the plan cannot show how the outcome will be delivered; reviewers will ask.
How to fix it: agree which partners will lead work on it and add their actions.""")
def outcome_without_action(comp):
    """An outcome no action contributes to."""
    covered = {oid for a in comp.plan.actions for oid in a.outcome_ids}
    for o in comp.rules.outcomes:
        if o.id not in covered:
            yield emit("C001", f"outcome {_outcome_label(comp, o.id)} has no action in any submission",
                       subject=f"outcome:{o.id}")


@check("C002", "error", "an outcome with no indicator", """
What it finds: a shared outcome with no logframe indicator measuring it.
Why it matters: progress on the outcome cannot be measured.
How to fix it: add at least one indicator for it to the logframe, or mark one in development.""")
def outcome_without_indicator(comp):
    """An outcome no indicator measures."""
    measured = {oid for i in comp.plan.indicators for oid in i.outcome_ids}
    for o in comp.rules.outcomes:
        if o.id not in measured:
            yield emit("C002", f"outcome {_outcome_label(comp, o.id)} has no logframe indicator",
                       subject=f"outcome:{o.id}")


@check("C003", "warning", "a priority with no action", """
What it finds: a priority of the strategy that no action names.
Why it matters: a commitment of the strategy has no delivery behind it in this plan.
How to fix it: link an existing action to the priority (its ID in the Outcome column) or add one.""")
def priority_without_action(comp):
    named = {pid for a in comp.plan.actions for pid in a.priority_ids}
    for o in comp.rules.outcomes:
        for p in o.priorities:
            if p.id not in named:
                yield emit("C003", f"priority {p.id} '{p.title}' has no action naming it", subject=f"priority:{p.id}")


@check("C004", "warning", "an action with no indicator", """
What it finds: an action that names no logframe measure.
Why it matters: its impact cannot be measured, as members asked it should be.
How to fix it: add the logframe measure(s) the action moves in its Measure column or field.""")
def action_without_indicator(comp):
    for a in comp.plan.actions:
        if not a.indicator_ids:
            yield emit("C004", f"action {a.id} names no logframe measure, so its impact cannot be measured",
                       subject=f"action:{a.id}", location=a.source)


@check("C005", "warning", "an action with no lead partner", """
What it finds: an action whose lead is blank. The compiler never assumes the submitter leads.
Why it matters: delivery ownership must sit with a sovereign organisation.
How to fix it: name the lead organisation.""")
def action_without_lead(comp):
    for a in comp.plan.actions:
        if a.lead_id is None:
            yield emit("C005", f"action {a.id} has no lead partner", subject=f"action:{a.id}", location=a.source)


@check("C006", "warning", "an action with no milestone or timescale", """
What it finds: an action with no milestone and no timescale.
Why it matters: progress cannot be controlled against milestones.
How to fix it: add at least one dated milestone, e.g. "Pilot launched – March 2025".""")
def action_without_milestone(comp):
    for a in comp.plan.actions:
        if not a.milestones and not a.timescale:
            yield emit("C006", f"action {a.id} has no milestone or timescale", subject=f"action:{a.id}",
                       location=a.source)


@check("C007", "info", "an indicator that no action relies on", """
What it finds: a logframe indicator that no action names as its measure.
Why it matters: nothing in the plan is expected to move it; either an action is missing a link
or the indicator is context only.
How to fix it: link the actions that affect it, or accept it as a context measure.""")
def indicator_without_action(comp):
    for i in comp.plan.indicators:
        if not i.action_ids:
            yield emit("C007", f"indicator {i.id} ({i.name or 'unnamed'}) is not named by any action",
                       subject=f"indicator:{i.id}", location=i.source)


@check("C008", "warning", "an expected partner with no submission", """
What it finds: a partner flagged `expected = true` in rules/partners.toml with no submission.
Why it matters: its contribution is missing from a plan that claims to be system-wide.
How to fix it: chase the submission, or unflag the partner.""")
def expected_partner_missing(comp):
    submitted = {s.partner_id for s in comp.plan.submissions if s.partner_id}
    for p in comp.rules.partners:
        if p.expected and p.id not in submitted:
            yield emit("C008", f"expected partner {p.name} ({p.id}) has sent no submission", subject=f"partner:{p.id}")


@check("C009", "warning", "an outcome with no business partner involved", """
What it finds: a shared outcome with no action led or supported by a business or
private-sector partner.
Why it matters: the Health and Wellbeing Board asked that business involvement be evident.
How to fix it: involve a business partner (chamber, economic partnership, employers) in an action.""")
def outcome_without_business(comp):
    business_types = {t.id for t in comp.rules.partner_types if t.business}
    if not business_types:
        return
    business = {p.id for p in comp.rules.partners if p.type in business_types}
    for o in comp.rules.outcomes:
        actions = [a for a in comp.plan.actions if o.id in a.outcome_ids]
        if not actions:
            continue
        if not any(({a.lead_id} | set(a.partner_ids)) & business for a in actions):
            yield emit("C009", f"no business or private-sector partner leads or supports any action under "
                               f"outcome {_outcome_label(comp, o.id)}", subject=f"outcome:{o.id}")


def local_places(rules) -> list:
    """The places directly under the whole-system place (the HCPs in the default rules)."""
    roots = {p.id for p in rules.places if p.parent is None}
    return [p for p in rules.places if p.parent in roots]


def place_and_descendants(rules, place_id: str) -> set[str]:
    out = {place_id}
    changed = True
    while changed:
        changed = False
        for p in rules.places:
            if p.parent in out and p.id not in out:
                out.add(p.id)
                changed = True
    return out


@check("C010", "info", "a place with no action under an outcome", """
What it finds: a Health and Care Partnership area with no place-based action under an outcome.
Why it matters: the outcome may not be delivered in that place, unless system-wide actions cover it.
How to fix it: check with the HCP whether local work exists.""")
def place_without_action(comp):
    for place in local_places(comp.rules):
        area = place_and_descendants(comp.rules, place.id)
        for o in comp.rules.outcomes:
            if not any(o.id in a.outcome_ids and area & set(a.place_ids) for a in comp.plan.actions):
                yield emit("C010", f"no action delivered in {place.name} under outcome {_outcome_label(comp, o.id)} "
                                   "(system-wide actions may still reach it)", subject=f"place:{place.id}")


@check("C011", "info", "a strategy signposted by no action", """
What it finds: a strategy or plan in a register that no action says it is delivered through.
Why it matters: the plan cannot show what the strategy contributes.
How to fix it: link the actions delivered through it, or remove it from the register.""")
def strategy_without_action(comp):
    used = {sid for a in comp.plan.actions for sid in a.strategy_ids}
    for s in comp.plan.strategies:
        if s.sources and s.id not in used:
            yield emit("C011", f"strategy '{s.name}' is listed but no action is delivered through it",
                       subject=f"strategy:{s.id}", location=s.sources[0] if s.sources else None)
