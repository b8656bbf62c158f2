"""D — data quality: baselines, targets, trends, statuses and dates that need a second look."""

from __future__ import annotations

import re

from ..codes import emit
from ..resolve.indicators import conflicts
from ..text import normal
from ..values import clamp, measure_bounds
from .registry import check


def _year(period: str | None) -> int | None:
    m = re.search(r"(19|20)\d\d", period or "")
    return int(m.group(0)) if m else None


def _final_target(ind):
    numeric = [t for t in ind.targets if t.value.number is not None]
    if not numeric:
        return None
    return max(numeric, key=lambda t: (_year(t.period) or 0))


@check("D001")
def indicator_without_baseline(comp):
    for i in comp.plan.indicators:
        if i.baseline is None or i.baseline.value.number is None:
            yield emit("D001", f"indicator {i.id} has no baseline", subject=f"indicator:{i.id}", location=i.source)


@check("D002")
def indicator_without_target(comp):
    for i in comp.plan.indicators:
        if _final_target(i) is None:
            yield emit("D002", f"indicator {i.id} has no target", subject=f"indicator:{i.id}", location=i.source)


@check("D003")
def indicator_without_source_or_owner(comp):
    for i in comp.plan.indicators:
        missing = [what for what, value in (("data source", i.data_source), ("owner", i.owner_id)) if not value]
        if len(missing) == 2:
            yield emit("D003", f"indicator {i.id} has no data source and no owner", subject=f"indicator:{i.id}",
                       location=i.source)


@check("D004")
def target_not_ambitious(comp):
    for i in comp.plan.indicators:
        target = _final_target(i)
        if target is None or i.baseline is None or i.baseline.value.number is None or i.polarity is None:
            continue
        b, t = i.baseline.value.number, target.value.number
        if (i.polarity == "higher" and t <= b) or (i.polarity == "lower" and t >= b):
            better = "higher" if i.polarity == "higher" else "lower"
            yield emit("D004", f"indicator {i.id}: the {target.period or 'final'} target {t} is no better than the "
                               f"baseline {b} ({better} is better)", subject=f"indicator:{i.id}", location=i.source)


def _trend_projection(values, year: int) -> float | None:
    points = [(_year(v.period), v.value.number) for v in values
              if v.value.number is not None and v.geography is None and _year(v.period) is not None]
    points = sorted({p[0]: p for p in points}.values())
    if len(points) < 3:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my + slope * (year - mx)


@check("D005")
def target_behind_trend(comp):
    for i in comp.plan.indicators:
        target = _final_target(i)
        year = _year(target.period) if target else None
        if target is None or year is None or i.polarity is None:
            continue
        projected = _trend_projection(i.values, year)
        if projected is None:
            continue
        # A straight line runs on for ever; the measure does not (a rate stops at 0, a percentage at 100).
        projected = clamp(projected, measure_bounds(i.unit, comp.rules.references.values.percent_units))
        t = target.value.number
        if (i.polarity == "higher" and t < projected) or (i.polarity == "lower" and t > projected):
            yield emit("D005", f"indicator {i.id}: the {target.period} target {t} is less ambitious than the recent "
                               f"trend, which would reach about {projected:.1f} anyway",
                       subject=f"indicator:{i.id}", location=i.source)


@check("D006")
def indicator_in_development(comp):
    words = [normal(w) for w in comp.rules.references.status.indicator_in_development]
    for i in comp.plan.indicators:
        status = normal(i.status or "")
        if status and any(w and w in status for w in words):
            yield emit("D006", f"indicator {i.id} is not final: '{i.status}'", subject=f"indicator:{i.id}",
                       location=i.source)


@check("D007")
def baseline_too_old(comp):
    limit = comp.rules.period.start.year - comp.rules.thresholds.baseline_max_age_years
    for i in comp.plan.indicators:
        year = _year(i.baseline.period) if i.baseline else None
        if year is not None and year < limit:
            yield emit("D007", f"indicator {i.id}: the baseline ({i.baseline.period}) is older than "
                               f"{comp.rules.thresholds.baseline_max_age_years} years before the plan starts",
                       subject=f"indicator:{i.id}", location=i.source)


@check("D008")
def milestone_outside_period(comp):
    start, end = comp.rules.period.start, comp.rules.period.end
    for a in comp.plan.actions:
        for m in a.milestones:
            if m.due and not (start <= m.due <= end):
                yield emit("D008", f"action {a.id}: milestone '{m.text}' is due {m.due.isoformat()}, outside the plan "
                                   f"period {start.isoformat()} to {end.isoformat()}", subject=f"action:{a.id}",
                           location=m.location)


@check("D009")
def near_duplicate_actions(comp):
    """Pairs of actions in one outcome from different partners, nearly the same text. The pairs are
    found by an exact similarity join (compiler/similarity.py), not by scoring every pair."""
    from ..similarity import similar_pairs

    threshold = comp.rules.thresholds.near_duplicate_actions
    by_outcome: dict[str, list] = {}
    for a in comp.plan.actions:
        for oid in a.outcome_ids[:1] or a.enabler_ids[:1]:
            by_outcome.setdefault(oid, []).append(a)
    seen: set[tuple[str, str]] = set()
    for oid in sorted(by_outcome):
        group = by_outcome[oid]
        if len(group) < 2:
            continue
        for x, y, score in similar_pairs([normal(a.text) for a in group], threshold):
            a, b = group[x], group[y]
            if a.submitted_by == b.submitted_by or (a.id, b.id) in seen:
                continue
            seen.add((a.id, b.id))
            yield emit("D009", f"actions {a.id} and {b.id} from different partners are nearly the same "
                               f"({score:.0f}% similar): one joint action?", subject=f"action:{b.id}",
                       location=b.source, suggestions=(f"'{a.id}' ({a.text[:80]})",))


ORIGIN_TEXT = {"baseline": "its baseline", "trend": "its trend column", "latest": "its Latest column",
               "update": "a data update"}


def _described(v) -> str:
    return ORIGIN_TEXT.get(v.origin or "", "a value")


@check("D010")
def conflicting_values(comp):
    """Two different numbers for one indicator, period and geography, wherever they come from (the
    logframe's baseline, trend or Latest columns, a data update): every value offered is on
    `offered`, with its origin and source; the resolver kept the first number (indicators.conflicts)."""
    for ind in comp.plan.indicators:
        for first, new in conflicts(ind.offered):
            where = f"{first.source.path}: {first.source.text}" if first.source else "the logframe"
            kept = "the baseline is kept" if first.origin == "baseline" else "the first is kept"
            yield emit("D010", f"indicator {ind.id} has two values for {new.period}"
                               + (f" ({new.geography})" if new.geography else "")
                               + f": {first.value.number} in {_described(first)} at {where} and "
                                 f"{new.value.number} in {_described(new)} here; {kept}",
                       subject=f"indicator:{ind.id}", location=new.source)


@check("D011")
def milestone_overdue(comp):
    """A milestone past its date on an action not reported complete. The partner's status (a Status,
    RAG or Progress column, an inline `Status:`) is read through references.toml [status]: a complete
    action has no D011; any other status is said in the message, as the partner wrote it."""
    words = comp.rules.references.status
    for a in comp.plan.actions:
        category = words.action_status(a.status)
        if category == "complete":
            continue
        overdue = [m for m in a.milestones if m.due and m.due < comp.as_of]
        for m in overdue:
            yield emit("D011", f"action {a.id}: milestone '{m.text}' was due {m.due.isoformat()} and "
                               f"{_reported(a.status, category)} (as of {comp.as_of.isoformat()})",
                       subject=f"action:{a.id}", location=m.location)


def _reported(status: str | None, category: str | None) -> str:
    """What the partner said of an action that is not complete, for D011's message."""
    if not status:
        return "the action is not marked complete"
    if category is None:
        return f"the action's status '{status}' does not say it is complete"
    said = category if normal(status) == normal(category) else f"{category} ('{status}')"
    return f"the partner reports the action {said}"
