"""Coverage of the compiled plan: who delivers what, where, and what is measured.

One analysis, pure functions over the rules and the plan (no I/O, no
formatting), computed once per compilation (`Compilation.coverage`). The
coverage checks (C001, C002, C004, C009, C010) report its gaps and the gap
report shows its figures, so the two can never disagree:

- outcomes x places: for each outcome, how many actions are delivered in each
  local place (the places directly under the whole system: the HCPs in the
  default rules), plus a system-wide column. An action counts for a place if
  its place_ids include the place or one of its descendants; it counts as
  system-wide if its place_ids include a root place (the whole system).
- outcomes x partner types: for each outcome, how many actions have a lead or
  a supporting partner of each type (an action counts once per type).
- per outcome: actions, indicators measuring it, and actions without any
  indicator (their impact cannot be measured);
- the gaps: outcomes without actions or indicators, every action without an
  indicator (enabling work included), outcomes with actions but no business
  partner, and local places with no action under an outcome.

Everything is in rules order (outcomes, places, partner types), so the result
is stable for stable inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Action, Plan
from .ruleset import Rules

SYSTEM_WIDE = "system-wide"
NO_PLACE = "unplaced"


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    business: bool = False  # partner types only: counts towards "business involvement" (C009)


@dataclass
class Row:
    outcome_id: str
    title: str
    counts: list[int]  # one per column, in column order
    total: int  # distinct actions under the outcome (an action can count in several columns)


@dataclass
class Matrix:
    id: str
    title: str
    columns: list[Column]
    rows: list[Row]

    def count(self, outcome_id: str, column_id: str) -> int:
        index = [c.id for c in self.columns].index(column_id)
        row = next(r for r in self.rows if r.outcome_id == outcome_id)
        return row.counts[index]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "columns": [{"id": c.id, "label": c.label, **({"business": True} if c.business else {})}
                        for c in self.columns],
            "rows": [{"outcome_id": r.outcome_id, "title": r.title, "total": r.total,
                      "counts": {c.id: n for c, n in zip(self.columns, r.counts)}} for r in self.rows],
        }


@dataclass
class OutcomeSummary:
    id: str
    title: str
    actions: int
    indicators: int
    actions_without_indicator: int
    action_ids: list[str] = field(default_factory=list)
    indicator_ids: list[str] = field(default_factory=list)
    unmeasured_action_ids: list[str] = field(default_factory=list)

    @property
    def lacks_actions(self) -> bool:
        return self.actions == 0

    @property
    def lacks_indicators(self) -> bool:
        return self.indicators == 0

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "actions": self.actions, "indicators": self.indicators,
            "actions_without_indicator": self.actions_without_indicator,
            "lacks_actions": self.lacks_actions, "lacks_indicators": self.lacks_indicators,
            "action_ids": self.action_ids, "indicator_ids": self.indicator_ids,
            "unmeasured_action_ids": self.unmeasured_action_ids,
        }


@dataclass
class Coverage:
    outcomes: list[OutcomeSummary]
    by_place: Matrix
    by_partner_type: Matrix
    unmeasured_action_ids: list[str] = field(default_factory=list)  # every action naming no indicator

    @property
    def outcomes_without_actions(self) -> list[str]:
        return [o.id for o in self.outcomes if o.lacks_actions]

    @property
    def outcomes_without_indicators(self) -> list[str]:
        return [o.id for o in self.outcomes if o.lacks_indicators]

    @property
    def outcomes_without_business(self) -> list[str]:
        """Outcomes with actions, none of them led or supported by a business partner (no business
        partner type in the rules: none)."""
        business = [c.id for c in self.by_partner_type.columns if c.business]
        if not business:
            return []
        return [r.outcome_id for r in self.by_partner_type.rows
                if r.total and not any(self.by_partner_type.count(r.outcome_id, b) for b in business)]

    @property
    def places_without_action(self) -> list[tuple[str, str]]:
        """(local place, outcome) pairs with no place-based action, in place then outcome order."""
        local = [c.id for c in self.by_place.columns if c.id not in (SYSTEM_WIDE, NO_PLACE)]
        return [(pid, r.outcome_id) for pid in local for r in self.by_place.rows
                if not self.by_place.count(r.outcome_id, pid)]

    def to_json(self) -> dict:
        return {
            "outcomes": [o.to_json() for o in self.outcomes],
            "by_place": self.by_place.to_json(),
            "by_partner_type": self.by_partner_type.to_json(),
            "unmeasured_action_ids": self.unmeasured_action_ids,
        }


def local_places(rules: Rules) -> list:
    """The places directly under the whole-system place (the HCPs in the default rules)."""
    roots = {p.id for p in rules.places if p.parent is None}
    return [p for p in rules.places if p.parent in roots]


def place_and_descendants(rules: Rules, place_id: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for p in rules.places:
        if p.parent is not None:
            children.setdefault(p.parent, []).append(p.id)
    out, todo = {place_id}, [place_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _actions_by_outcome(rules: Rules, plan: Plan) -> dict[str, list[Action]]:
    out: dict[str, list[Action]] = {o.id: [] for o in rules.outcomes}
    for a in plan.actions:
        for oid in dict.fromkeys(a.outcome_ids):
            if oid in out:
                out[oid].append(a)
    return out


def outcome_summaries(rules: Rules, plan: Plan) -> list[OutcomeSummary]:
    """Per outcome: its actions, the indicators measuring it, and its actions no indicator measures."""
    by_outcome = _actions_by_outcome(rules, plan)
    result = []
    for o in rules.outcomes:
        actions = by_outcome[o.id]
        indicators = [i.id for i in plan.indicators if o.id in i.outcome_ids]
        unmeasured = [a.id for a in actions if not a.indicator_ids]
        result.append(OutcomeSummary(o.id, o.title, len(actions), len(indicators), len(unmeasured),
                                     [a.id for a in actions], indicators, unmeasured))
    return result


def place_matrix(rules: Rules, plan: Plan) -> Matrix:
    """Outcomes x (local places + system-wide); an "unplaced" column only when some action names no place."""
    roots = {p.id for p in rules.places if p.parent is None}
    locals_ = local_places(rules)
    areas = [place_and_descendants(rules, p.id) for p in locals_]
    columns = [Column(p.id, p.name) for p in locals_]
    columns.append(Column(SYSTEM_WIDE, "System-wide"))
    unplaced_any = any(not a.place_ids for a in plan.actions)
    if unplaced_any:
        columns.append(Column(NO_PLACE, "No place given"))
    by_outcome = _actions_by_outcome(rules, plan)
    rows = []
    for o in rules.outcomes:
        row = Row(o.id, o.title, [0] * len(columns), len(by_outcome[o.id]))
        rows.append(row)
        for a in by_outcome[o.id]:
            places = set(a.place_ids)
            for index, area in enumerate(areas):
                if places & area:
                    row.counts[index] += 1
            if places & roots:
                row.counts[len(areas)] += 1
            if unplaced_any and not places:
                row.counts[len(areas) + 1] += 1
    return Matrix("by_place", "Actions by outcome and place", columns, rows)


def partner_type_matrix(rules: Rules, plan: Plan) -> Matrix:
    """Outcomes x partner types: actions with a lead or supporting partner of each type."""
    columns = [Column(t.id, t.label, t.business) for t in rules.partner_types]
    index = {c.id: n for n, c in enumerate(columns)}
    by_outcome = _actions_by_outcome(rules, plan)
    rows = []
    for o in rules.outcomes:
        counts = [0] * len(columns)
        for a in by_outcome[o.id]:
            types = set()
            for pid in ([a.lead_id] if a.lead_id else []) + list(a.partner_ids):
                partner = rules.partner(pid)
                if partner is not None and partner.type in index:
                    types.add(partner.type)
            for t in types:
                counts[index[t]] += 1
        rows.append(Row(o.id, o.title, counts, len(by_outcome[o.id])))
    return Matrix("by_partner_type", "Actions by outcome and partner type", columns, rows)


def coverage(rules: Rules, plan: Plan) -> Coverage:
    return Coverage(outcome_summaries(rules, plan), place_matrix(rules, plan), partner_type_matrix(rules, plan),
                    [a.id for a in plan.actions if not a.indicator_ids])
