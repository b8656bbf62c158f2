"""Look-ups and rows shared by the documents: names for ids, where an action is grouped, the draft
note, milestone and measure rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ..compilation import Compilation
from ..model import Action, Indicator, UnresolvedName, natural_key
from .format import format_value, long_date, period_text


@dataclass
class PartnerWork:
    """What the plan holds for one partner, in plan order."""

    leads: list = field(default_factory=list)
    supports: list = field(default_factory=list)  # actions it is a partner in, led by another
    submitted: list = field(default_factory=list)  # actions it sent that another leads and it does not support
    sent: list = field(default_factory=list)  # every action it sent
    strategies: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    paths: list = field(default_factory=list)
    narrative: list = field(default_factory=list)  # what it wrote about the outcomes


class PlanView:
    """Names and groupings over the compiled plan, built once per document set."""

    def __init__(self, comp: Compilation):
        self.comp, self.rules, self.plan = comp, comp.rules, comp.plan
        self.partner_names = {p.id: p.name for p in self.rules.partners}
        self.place_names = {p.id: p.name for p in self.rules.places}
        roots = [p for p in self.rules.places if p.parent is None]
        root_types = {p.type for p in roots}
        self.system_places = {p.id for p in self.rules.places if p.type in root_types}
        self.strategies = {s.id: s for s in self.plan.strategies}
        self.indicators = {i.id: i for i in self.plan.indicators}
        self.outcome_labels = {o.id: f"Outcome {o.number}" for o in self.rules.outcomes}
        self.outcome_labels.update({e.id: e.title for e in self.rules.enablers})

    @cached_property
    def partner_work(self) -> dict[str, PartnerWork]:
        """Each partner's actions, strategies, measures and submissions, indexed in one pass over the
        plan (an appendix per partner then costs its own share, not a scan of the whole plan)."""
        work: dict[str, PartnerWork] = defaultdict(PartnerWork)
        for a in self.plan.actions:
            if a.lead_id:
                work[a.lead_id].leads.append(a)
            for pid in dict.fromkeys(a.partner_ids):
                if pid != a.lead_id:
                    work[pid].supports.append(a)
            if a.submitted_by and a.submitted_by != a.lead_id and a.submitted_by not in a.partner_ids:
                work[a.submitted_by].submitted.append(a)
            if a.submitted_by:
                work[a.submitted_by].sent.append(a)
        for s in self.plan.strategies:
            if s.owner_id:
                work[s.owner_id].strategies.append(s)
        for i in self.plan.indicators:
            if i.owner_id:
                work[i.owner_id].indicators.append(i)
        for sub in self.plan.submissions:
            if sub.partner_id:
                work[sub.partner_id].paths.append(sub.path)
        for n in self.plan.narrative:
            if n.partner_id:
                work[n.partner_id].narrative.append(n)
        return dict(work)

    def partner(self, pid: str | None) -> str:
        if not pid:
            return ""
        return self.partner_names.get(pid, pid)

    def lead(self, action: Action) -> str:
        """The lead's name; a lead written but not recognised as written, with its diagnostic's code
        (`Golding Homes (not a registered partner, R004)`); "No lead named" only when none was written."""
        if action.lead_id:
            return self.partner(action.lead_id)
        written = [u for u in action.unresolved if u.role == "lead"]
        if written:
            return as_written(written[0])
        return action.lead_text or "No lead named"

    def partners(self, action: Action) -> str:
        """Supporting partners by name, then those written but not recognised, as written."""
        shown_lead = None if action.lead_id else next((u for u in action.unresolved if u.role == "lead"), None)
        unknown = [as_written(u) for u in action.unresolved if u is not shown_lead]
        return "; ".join([self.partner(p) for p in action.partner_ids] + unknown)

    def place_of(self, action: Action) -> str | None:
        """The place an action is grouped under: None for system-wide."""
        for pid in action.place_ids:
            if pid in self.system_places:
                return None
        return action.place_ids[0] if action.place_ids else None

    def strategy_name(self, sid: str) -> str:
        s = self.strategies.get(sid)
        return s.name if s else sid

    def outcome_label(self, oid: str) -> str:
        return self.outcome_labels.get(oid, oid)

    @property
    def period(self) -> str:
        return period_text(self.rules.period.start, self.rules.period.end)

    @property
    def draft_note(self) -> str | None:
        """`Draft – N unresolved issues` while errors remain, on every page of every document."""
        n = self.comp.error_count
        if not n:
            return None
        return f"Draft – {n} unresolved issue{'s' if n != 1 else ''}"


NOT_RECOGNISED = {"R004": "not a registered partner", "R005": "matches several partners"}


def as_written(name: UnresolvedName) -> str:
    """A name kept as written, saying why it is not linked: `Golding Homes (not a registered partner, R004)`."""
    return f"{name.text} ({NOT_RECOGNISED.get(name.code, 'not recognised')}, {name.code})"


def milestone_rows(actions: list[Action]) -> list[list[str]]:
    """Milestones of these actions in date order (undated last), then by action id."""
    items = []
    for a in actions:
        for m in a.milestones:
            items.append((m.due or date.max, natural_key(a.id), m.text, a.id, m.due))
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    return [[long_date(due) if due else "No date given", aid, text] for _, _, text, aid, due in items]


def measure_row(ind: Indicator, progress: list[str] | None = None, actions: list[str] | None = None) -> list[object]:
    """ID, measure (with its unit), baseline, latest, targets, progress, the actions that rely on it:
    the plan's 'how impact will be measured'. The measure's own status follows its name when given."""
    targets = [format_value(t, ind.unit) for t in ind.targets] or ["No target set"]
    name = ind.name or ""
    if ind.unit and ind.unit.strip() != "%":
        name = f"{name} ({ind.unit})" if name else ind.unit
    name_cell = [name] + ([f"Measure status: {ind.status}"] if ind.status else [])
    return [ind.id, name_cell, format_value(ind.baseline, ind.unit) or "No baseline",
            format_value(ind.latest, ind.unit) or "No data", targets, progress or ["No data"],
            ", ".join(actions or []) or "None yet"]
