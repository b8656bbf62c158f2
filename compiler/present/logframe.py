"""What the logframe appendices show: logframe-matrix.docx (a table per outcome) and the columns,
series and number kinds of logframe-matrix.xlsx."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ..blocks import DocTitle, Document
from ..compilation import Compilation
from ..model import Indicator, IndicatorValue
from ..text import normal
from .common import PlanView
from .format import format_value

COUNT_UNITS = {"count", "number", "no", "n", "people", "persons", "households"}

HEADERS = ["ID", "Indicator", "Baseline", "Latest", "Targets", "Source", "Owner", "Status"]
WIDTHS = [0.9, 4, 1.8, 1.8, 2, 2.6, 1.8, 1.6]


def logframe_row(view: PlanView, ind: Indicator) -> list[object]:
    name: list[str] = [ind.name or ""]
    if ind.unit and ind.unit.strip() != "%":
        name.append(f"Unit: {ind.unit}")
    if ind.polarity in ("higher", "lower"):
        name.append(f"{ind.polarity.capitalize()} is better")
    return [
        ind.id,
        name,
        format_value(ind.baseline, ind.unit) or "No baseline",
        format_value(ind.latest, ind.unit) or "–",
        [format_value(t, ind.unit) for t in ind.targets] or ["No target set"],
        [x for x in (ind.data_source, ind.frequency) if x] or ["–"],
        view.partner(ind.owner_id) or "–",
        ind.status or "–",
    ]


def logframe_document(comp: Compilation, view: PlanView | None = None) -> Document:
    view = view or PlanView(comp)
    rules, plan = comp.rules, comp.plan
    title = f"{rules.system.plan_title}: logframe matrix"
    doc = Document(title, subject="Logframe matrix", author=rules.system.publisher or rules.system.name,
                   keywords="logframe, indicators", language=rules.system.language, created=rules.period.start,
                   landscape=True, header_note=view.draft_note)
    doc.blocks.append(DocTitle(title))
    doc.para(f"The strategic indicators that show whether each shared outcome is being achieved, "
             f"for the plan period {view.period}: {len(plan.indicators)} measures.")
    outcome_ids = {o.id for o in rules.outcomes}
    for outcome in rules.outcomes:
        doc.heading(f"Outcome {outcome.number}: {outcome.title}", 1)
        measures = [i for i in plan.indicators if outcome.id in i.outcome_ids]
        if measures:
            doc.table(HEADERS, [logframe_row(view, i) for i in measures], widths=WIDTHS)
        else:
            doc.para("No logframe measure is defined for this outcome.")
    other = [i for i in plan.indicators if not any(o in outcome_ids for o in i.outcome_ids)]
    if other:
        doc.heading("Measures not linked to an outcome", 1)
        doc.table(HEADERS, [logframe_row(view, i) for i in other], widths=WIDTHS)
    return doc


# --------------------------------------------------------------------------- the workbook's content

def number_kind(ind: Indicator, percent_units: list[str]) -> str:
    """How an indicator's numbers read: "percent", "count" (whole numbers, thousands separated) or "other"."""
    raw = re.sub(r"\s+", " ", (ind.unit or "").strip().casefold())
    if raw and (raw in {u.strip().casefold() for u in percent_units} or raw.startswith("%")):
        return "percent"
    unit = normal(raw)
    if unit in COUNT_UNITS or unit.startswith(("count", "number of", "no of")):
        return "count"
    return "other"


def shown(v: IndicatorValue | None) -> Any:
    """What a cell shows for a value: the number, else its text or suppression mark, else nothing."""
    if v is None:
        return None
    if v.value.number is not None:
        return v.value.number
    if v.value.text:
        return v.value.text
    return v.value.mark or None


class Headline:
    """An indicator's headline series: values with no geography or the whole system's."""

    def __init__(self, comp: Compilation):
        # The system's own names only: a system-place alias naming one county is right for actions
        # delivered county-wide, but that county's value is not the whole system's figure.
        names = {normal(comp.rules.system.name), normal(comp.rules.system.short_name or "")}
        names.update(normal(place.name) for place in comp.rules.places if place.parent is None)
        self._system = {n for n in names if n}

    def is_headline(self, v: IndicatorValue) -> bool:
        return not v.geography or normal(v.geography) in self._system

    def series(self, ind: Indicator) -> dict[str, IndicatorValue]:
        """Period -> value; a value with no geography wins over the system's, a number over a mark."""
        out: dict[str, IndicatorValue] = {}
        for v in ind.values:
            if v.period is None or not self.is_headline(v):
                continue
            old = out.get(v.period)
            if old is None or _rank(v) < _rank(old):
                out[v.period] = v
        return out


def _rank(v: IndicatorValue) -> tuple:
    return (v.value.number is None, bool(v.geography))


@dataclass
class Column:
    header: str
    get: Callable[[Indicator], Any]
    width: float | None = None      # None: fit to content
    wrap: bool = False
    numeric: bool = False           # takes the indicator's number format


def columns(comp: Compilation, trend_periods: list[str], target_periods: list[str],
            series: dict[str, dict[str, IndicatorValue]]) -> list[Column]:
    rules = comp.rules

    def owner(ind: Indicator) -> str | None:
        if ind.owner_id is None:
            return None
        partner = rules.partner(ind.owner_id)
        return partner.name if partner else ind.owner_id

    def target(period: str) -> Callable[[Indicator], Any]:
        return lambda ind: shown(next((t for t in ind.targets if t.period == period), None))

    def trend(period: str) -> Callable[[Indicator], Any]:
        return lambda ind: shown(series[ind.id].get(period))

    cols = [
        Column("ID", lambda i: i.id),
        Column("Outcome", lambda i: ", ".join(i.outcome_ids) or None),
        Column("Indicator", lambda i: i.name, 40, True),
        Column("Definition", lambda i: i.definition, 50, True),
        Column("Unit", lambda i: i.unit, None, True),
        Column("Polarity", lambda i: f"{i.polarity.capitalize()} is better" if i.polarity else None),
        Column("Baseline", lambda i: shown(i.baseline), numeric=True),
        Column("Baseline period", lambda i: i.baseline.period if i.baseline else None),
    ]
    cols += [Column(f"Trend {p}", trend(p), numeric=True) for p in trend_periods]
    cols += [
        Column("Latest", lambda i: shown(i.latest), numeric=True),
        Column("Latest period", lambda i: i.latest.period if i.latest else None),
    ]
    cols += [Column(f"Target {p}", target(p), numeric=True) for p in target_periods]
    cols += [
        Column("Data source", lambda i: i.data_source, 36, True),
        Column("Frequency", lambda i: i.frequency),
        Column("Owner", owner, 28, True),
        Column("Status", lambda i: i.status, 24, True),
        Column("Rationale", lambda i: i.rationale, 44, True),
        Column("Actions", lambda i: ", ".join(i.action_ids) or None, 24, True),
    ]
    return cols


def display(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def trend_alt_text(ind: Indicator, series: dict[str, IndicatorValue], targets: dict[str, IndicatorValue],
              periods: list[str]) -> str:
    unit = "" if not ind.unit else ind.unit if ind.unit.strip() == "%" else f" {ind.unit}"
    points = [f"{p}: {display(series[p].value.number)}" for p in periods
              if p in series and series[p].value.number is not None]
    text = f"Line chart of {ind.id} {ind.name or ''}".rstrip() + f" ({ind.unit or 'value'}) by period. "
    text += "Values: " + "; ".join(points) + "."
    if targets:
        text += " Targets: " + "; ".join(f"{p}: {display(t.value.number)}{unit}" for p, t in targets.items()) + "."
    if ind.polarity:
        text += f" {ind.polarity.capitalize()} is better."
    return text
