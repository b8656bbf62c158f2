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
from .progress_view import chart_image, progress_cell

COUNT_UNITS = {"count", "number", "no", "n", "people", "persons", "households"}

HEADERS = ["ID", "Indicator", "Baseline", "Latest", "Targets", "Progress", "Source", "Owner", "Status"]
WIDTHS = [0.9, 3.4, 1.6, 1.8, 1.8, 2.8, 2.2, 1.6, 1.4]


def source_name(v: IndicatorValue | None) -> str | None:
    """The file a value came from (its path in the inputs), or None."""
    return v.source.path if v is not None and v.source is not None else None


def latest_cell(ind: Indicator) -> list[str] | str:
    """The Latest cell: the value with its period, and the file it came from."""
    text = format_value(ind.latest, ind.unit)
    if not text:
        return "–"
    source = source_name(ind.latest)
    return [text, f"Source: {source}"] if source else text


@dataclass(frozen=True)
class UpdateChange:
    """A value a data update added to the logframe's figures, or changed in them."""

    indicator_id: str
    value: IndicatorValue
    change: str       # what it did, in words: "added", "replaces a suppressed value (*)", "+ new latest value"
    path: str         # the data update's file


def update_changes(ind: Indicator) -> list[UpdateChange]:
    """What data updates changed for one indicator, in series order: each value they added (a period or
    area the logframe had no figure for) or filled (a figure the logframe showed as suppressed), and
    whether it is now the latest value (saying which Latest figure of the logframe it replaces)."""
    out: list[UpdateChange] = []
    own = [v for v in ind.offered if v.origin in ("trend", "latest")]
    for v in ind.values:
        if v.origin != "update" or v.source is None:
            continue
        before = next((o for o in own if o.period == v.period and (o.geography or None) == (v.geography or None)), None)
        change = (f"replaces a suppressed value ({before.value.mark or before.value.text or 'blank'})"
                  if before is not None else "added")
        if v is ind.latest:
            written = next((o for o in own if o.origin == "latest"), None)
            change += "; now the latest value" + (
                f" (the logframe's Latest column gave {format_value(written, ind.unit)})" if written is not None else "")
        out.append(UpdateChange(ind.id, v, change, v.source.path))
    return out


def has_updates(comp: Compilation) -> bool:
    """Whether any data update offered a value for an indicator of the plan."""
    return any(v.origin == "update" for i in comp.plan.indicators for v in i.offered)


CHANGE_HEADERS = ["ID", "Period", "Area", "Value", "Change", "From"]
CHANGE_WIDTHS = [0.9, 1.6, 2.2, 1.8, 5, 3.5]


def change_rows(comp: Compilation) -> list[list[str]]:
    """Every change data updates made, indicator by indicator (the appendices' table)."""
    return [[c.indicator_id, c.value.period or "", c.value.geography or "Whole system",
             format_value(c.value, ind.unit, with_period=False), c.change, c.path]
            for ind in comp.plan.indicators for c in update_changes(ind)]


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
        latest_cell(ind),
        [format_value(t, ind.unit) for t in ind.targets] or ["No target set"],
        progress_cell(ind, view.comp.progress.indicator(ind.id)),
        [x for x in (ind.data_source, ind.frequency) if x] or ["–"],
        view.partner(ind.owner_id) or "–",
        ind.status or "–",
    ]


def trend_charts(doc: Document, comp: Compilation, measures: list[Indicator]) -> None:
    """A trend chart, with its targets marked, for each measure with three values or more."""
    charts = [(i, chart_image(comp, i)) for i in measures]
    charts = [(i, c) for i, c in charts if c is not None]
    if not charts:
        return
    doc.heading("Trends", 2)
    for ind, image in charts:
        doc.para(f"{ind.id} {ind.name or ''}".rstrip())
        doc.blocks.append(image)


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
            trend_charts(doc, comp, measures)
        else:
            doc.para("No logframe measure is defined for this outcome.")
    other = [i for i in plan.indicators if not any(o in outcome_ids for o in i.outcome_ids)]
    if other:
        doc.heading("Measures not linked to an outcome", 1)
        doc.table(HEADERS, [logframe_row(view, i) for i in other], widths=WIDTHS)
        trend_charts(doc, comp, other)
    if has_updates(comp):
        doc.heading("What the data updates changed", 1)
        rows = change_rows(comp)
        if rows:
            doc.para("Values the data updates added to the logframe's figures or filled in where the logframe "
                     "showed a suppressed value, and the latest values they now provide. A data update that "
                     "disagrees with a figure already given is listed as an issue (D010), not here.")
            doc.table(CHANGE_HEADERS, rows, widths=CHANGE_WIDTHS)
        else:
            doc.para("The data updates gave no value the logframe did not already have.")
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
    """An indicator's headline series: the whole system's values.

    Which geographies are the whole system is decided once, by the resolver
    (compiler.resolve.indicators.system_area_names: the root place's name and aliases, the system's
    name and short name), which keeps a system value with no geography; so the headline is the
    values with none."""

    def __init__(self, comp: Compilation):
        self.comp = comp

    @staticmethod
    def is_headline(v: IndicatorValue) -> bool:
        return not v.geography

    def series(self, ind: Indicator) -> dict[str, IndicatorValue]:
        """Period -> value; a number over a mark."""
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
        Column("Latest from", lambda i: source_name(i.latest), 30, True),
    ]
    cols += [Column(f"Target {p}", target(p), numeric=True) for p in target_periods]
    prog = comp.progress.indicators
    cols += [
        Column("Progress", lambda i: prog[i.id].rag_label, 18, True),
        Column("Achievement (% of the gap closed)",
               lambda i: None if prog[i.id].achievement is None else round(prog[i.id].achievement * 100, 1), 14, True),
        Column("Judged against", lambda i: prog[i.id].target.period if prog[i.id].target else None),
        Column("Since previous period", lambda i: prog[i.id].direction_previous),
        Column("Since baseline", lambda i: prog[i.id].direction_baseline),
    ]
    cols += [
        Column("Data source", lambda i: i.data_source, 36, True),
        Column("Frequency", lambda i: i.frequency),
        Column("Owner", owner, 28, True),
        Column("Status", lambda i: i.status, 24, True),
        Column("Rationale", lambda i: i.rationale, 44, True),
        Column("Actions", lambda i: ", ".join(i.action_ids) or None, 24, True),
    ]
    if has_updates(comp):
        cols.append(Column("Changed by data updates", update_note, 50, True))
    return cols


def update_note(ind: Indicator) -> str | None:
    """One cell's note of what data updates changed: `2023/24: 77.4 added (update.xlsx)`, one a line."""
    lines = [f"{c.value.period}" + (f" ({c.value.geography})" if c.value.geography else "")
             + f": {format_value(c.value, ind.unit, with_period=False)} {c.change} ({c.path})"
             for c in update_changes(ind)]
    return "\n".join(lines) or None


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
