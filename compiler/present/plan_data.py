"""Names and values over plan.json documents (dicts as loaded), for the documents made from a compiled
plan rather than a compilation: the change report and topic extracts. Values read as in every other
document (compiler.present.format)."""

from __future__ import annotations

from datetime import date

from .format import format_number, long_date


class PlanNames:
    """Display names for the ids one or more plans use; the first plan given wins on a clash."""

    def __init__(self, *plans: dict):
        self.partners: dict[str, str] = {}
        self.strategies: dict[str, str] = {}
        self.indicators: dict[str, str] = {}
        self.outcomes: dict[str, str] = {}
        self.places: dict[str, str] = {}
        for plan in plans:
            for p in plan.get("partners", []):
                self.partners.setdefault(p["id"], p.get("name") or p["id"])
            for s in plan.get("strategies", []):
                self.strategies.setdefault(s["id"], s.get("name") or s["id"])
            for i in plan.get("indicators", []):
                self.indicators.setdefault(i["id"], i.get("name") or i["id"])
            for o in plan.get("outcomes", []):
                self.outcomes.setdefault(o["id"], f"Outcome {o.get('number', '')}: {o.get('title', '')}".strip())
                for pr in o.get("priorities", []):
                    self.outcomes.setdefault(pr["id"], f"{pr['id']} {pr.get('title', '')}".strip())
            for e in plan.get("enablers", []):
                self.outcomes.setdefault(e["id"], e.get("title") or e["id"])
            for p in plan.get("places", []):
                self.places.setdefault(p["id"], p.get("name") or p["id"])

    def partner(self, pid: str | None) -> str:
        return self.partners.get(pid, pid) if pid else "No lead named"

    def partner_list(self, ids: list[str] | None) -> str:
        return "; ".join(self.partners.get(p, p) for p in ids or []) or "None named"

    def indicator(self, iid: str) -> str:
        name = self.indicators.get(iid)
        return f"{iid} {name}" if name and name != iid else iid

    def outcome_list(self, ids: list[str] | None) -> str:
        return "; ".join(self.outcomes.get(o, o) for o in ids or []) or "None"


def value_text(value: dict | None, unit: str | None = None, *, with_period: bool = True) -> str:
    """A plan.json value ({period, value, mark?, text?}) as the documents write one: `11.4% (2022/23)`."""
    if not value:
        return ""
    if value.get("value") is not None:
        text = format_number(value["value"])
        if unit and unit.strip() == "%":
            text += "%"
    elif value.get("text"):
        text = value["text"]
    elif value.get("mark"):
        text = f"not available ({value['mark']})"
    else:
        text = ""
    period = value.get("period")
    if with_period and period:
        text = f"{text} ({period})" if text else period
    return text


def milestone_text(m: dict) -> str:
    due = m.get("due")
    when = long_date(date.fromisoformat(due)) if due else "no date given"
    text = m.get("text") or ""
    return f"{when}: {text}" if any(c.isalpha() for c in text) else when  # '01/10/2025' says only the date


def milestone_lines(milestones: list[dict] | None) -> list[str]:
    ordered = sorted(milestones or [], key=lambda m: (m.get("due") or "9999-99-99", m.get("text") or ""))
    return [milestone_text(m) for m in ordered]


def trend_text(ind: dict) -> str:
    """The indicator's values over time, oldest first: `2019/20 76.8; 2021/22 75.2; 2022/23 77.1`."""
    by_period: dict[str, str] = {}
    for v in ind.get("values") or []:  # one value a period: a later data update replaces an earlier figure
        shown = value_text(v, ind.get("unit"), with_period=False)
        if shown:
            by_period[v.get("period") or ""] = shown
    return "; ".join(f"{period} {shown}".strip() for period, shown in by_period.items())
