"""Whom and what a diagnostic concerns, decided once for every document that shows diagnostics.

- `outcomes(d)`: the outcomes (then enablers) it concerns, from its subject;
- `responsible(d)`: the one partner who must act on it: the partner of the
  submission where it arose, else the subject's partner (a partner subject,
  an action's lead or submitter, an indicator's or strategy's owner);
- `partners(d)`: every partner whose appendix lists it: the partner of the
  submission where it arose, and every partner the subject involves (an
  action's lead, supporting partners and submitter; an owner; the partner
  itself);
- `subject_text(d)`: a readable description of the subject.

Indexes are built once, so placing every diagnostic of a national-scale plan stays linear.
"""

from __future__ import annotations

from collections import defaultdict

from ..diagnostics import Diagnostic
from ..model import Action, Plan
from ..ruleset import Rules


def _subject(d: Diagnostic) -> tuple[str, str] | None:
    if not d.subject or ":" not in d.subject:
        return None
    kind, _, ident = d.subject.partition(":")
    return kind, ident


class Concerns:
    def __init__(self, rules: Rules, plan: Plan):
        self.rules = rules
        self._actions: dict[str, list[Action]] = defaultdict(list)
        for a in plan.actions:
            self._actions[a.id].append(a)
        self._indicators: dict[str, list] = defaultdict(list)
        for i in plan.indicators:
            self._indicators[i.id].append(i)
        self._strategies: dict[str, list] = defaultdict(list)
        for s in plan.strategies:
            self._strategies[s.id].append(s)
        self._submissions = {s.path: s for s in plan.submissions}
        self._priority_outcome = rules.priority_outcome()
        self._titles: dict[str, str] = {o.id: o.title for o in rules.outcomes}
        self._titles.update({e.id: e.title for e in rules.enablers})
        self._priority_titles = {p.id: p.title for o in rules.outcomes for p in o.priorities}

    def _first(self, table: dict, ident: str):
        found = table.get(ident)
        return found[0] if found else None

    def outcomes(self, d: Diagnostic) -> list[str]:
        subject = _subject(d)
        if subject is None:
            return []
        kind, ident = subject
        ids: list[str] = []
        if kind == "action":
            a = self._first(self._actions, ident)
            if a is not None:
                ids = list(a.outcome_ids) + list(a.enabler_ids)
        elif kind == "indicator":
            i = self._first(self._indicators, ident)
            if i is not None:
                ids = list(i.outcome_ids)
        elif kind in ("outcome", "enabler"):
            ids = [ident]
        elif kind == "priority":
            oid = self._priority_outcome.get(ident)
            ids = [oid] if oid else []
        elif kind == "strategy":
            s = self._first(self._strategies, ident)
            if s is not None:
                ids = list(s.outcome_ids)
        return list(dict.fromkeys(ids))

    def _located_partner(self, d: Diagnostic) -> str | None:
        if d.location is None:
            return None
        sub = self._submissions.get(d.location.path)
        return sub.partner_id if sub is not None else None

    def responsible(self, d: Diagnostic) -> str | None:
        located = self._located_partner(d)
        if located:
            return located
        subject = _subject(d)
        if subject is None:
            return None
        kind, ident = subject
        if kind == "submission":
            sub = self._submissions.get(ident)
            return sub.partner_id if sub else None
        if kind == "partner":
            return ident
        if kind == "action":
            a = self._first(self._actions, ident)
            return (a.lead_id or a.submitted_by) if a else None
        if kind == "indicator":
            i = self._first(self._indicators, ident)
            return i.owner_id if i else None
        if kind == "strategy":
            s = self._first(self._strategies, ident)
            return s.owner_id if s else None
        return None

    def partners(self, d: Diagnostic) -> set[str]:
        out: set[str] = set()
        located = self._located_partner(d)
        if located:
            out.add(located)
        subject = _subject(d)
        if subject is None:
            return out
        kind, ident = subject
        if kind == "partner":
            out.add(ident)
        elif kind == "submission":
            sub = self._submissions.get(ident)
            if sub is not None and sub.partner_id:
                out.add(sub.partner_id)
        elif kind == "action":
            for a in self._actions.get(ident, ()):
                out.update(p for p in (a.lead_id, a.submitted_by, *a.partner_ids) if p)
        elif kind in ("indicator", "strategy"):
            table = self._indicators if kind == "indicator" else self._strategies
            out.update(x.owner_id for x in table.get(ident, ()) if x.owner_id)
        return out

    def subject_text(self, d: Diagnostic) -> str | None:
        subject = _subject(d)
        if subject is None:
            return None
        kind, ident = subject
        if kind == "action":
            a = self._first(self._actions, ident)
            return a.text if a else None
        if kind == "indicator":
            i = self._first(self._indicators, ident)
            return i.name if i else None
        if kind == "strategy":
            s = self._first(self._strategies, ident)
            return s.name if s else None
        if kind in ("outcome", "enabler"):
            return self._titles.get(ident)
        if kind == "partner":
            p = self.rules.partner(ident)
            return p.name if p else None
        if kind == "priority":
            return self._priority_titles.get(ident)
        return None
