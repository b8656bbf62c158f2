"""An indicator's values from every source merged into one series, and its latest value.

Every value offered for an indicator is kept on `Indicator.offered`, in a fixed order: the
logframe's baseline, its trend (period-named) columns and its Latest column, then each data update
in path order. For one period and geography the first number offered is the one the plan keeps
(`values`); a different number offered later is a conflict, which the D010 check reports from
`offered` — resolution merges, checks judge. The baseline itself stays out of `values` (it is shown
as the baseline), but a later value that disagrees with it is not kept either.

A value written for the system's own area (the root place's name or an alias, the system's name or
short name, all from the rules) is the system value: its geography becomes None, so it merges with
the logframe's own figures and counts for the latest value. `system_area_names` is the one
definition of that area; the presentation relies on it through the plan (geography None).
"""

from __future__ import annotations

from ..model import Indicator, IndicatorValue
from ..ruleset import Rules
from ..text import normal
from ..values import period_end, period_sort_key


def system_area_names(rules: Rules) -> frozenset[str]:
    """Normalised names that mean the whole system: the root place's name and aliases, and the
    system's name and short name."""
    names = {normal(rules.system.name), normal(rules.system.short_name or "")}
    for place in rules.places:
        if place.parent is None:
            names.add(normal(place.name))
            names.update(normal(a) for a in place.aliases)
    return frozenset(n for n in names if n)


def system_geography(geography: str | None, system_names: frozenset[str]) -> str | None:
    """The geography as the plan keeps it: None for the whole system, else as written."""
    if geography is None or not geography.strip() or normal(geography) in system_names:
        return None
    return geography


def _key(v: IndicatorValue) -> tuple[str | None, str | None]:
    return (v.period, v.geography or None)


def _real(v: IndicatorValue) -> bool:
    """A value worth keeping: a number, or a missing value with its suppression mark."""
    return not v.value.missing or bool(v.value.mark)


def kept_values(offered: list[IndicatorValue]) -> list[IndicatorValue]:
    """The series the plan keeps from every value offered (see the module docstring): per period and
    geography, the first value offered whose number is the first number offered for it (or, with no
    number anywhere, the first suppression mark); never the baseline itself."""
    groups: dict[tuple, list[IndicatorValue]] = {}
    for v in offered:
        if v.period is not None:
            groups.setdefault(_key(v), []).append(v)
    out: list[IndicatorValue] = []
    for candidates in groups.values():
        numbers = [v for v in candidates if not v.value.missing]
        series = [v for v in candidates if v.origin != "baseline"]
        if numbers:
            first = numbers[0].value.number
            kept = next((v for v in series if not v.value.missing and v.value.number == first), None)
        else:
            kept = next((v for v in series if _real(v)), None)
        if kept is not None:
            out.append(kept)
    return sorted(out, key=lambda v: (period_sort_key(v.period), v.geography or ""))


def latest_value(ind: Indicator) -> IndicatorValue | None:
    """The most recent system value known from any source (`values`, already merged), or the
    logframe's Latest column when it is newer or is all there is.

    A Latest column with no period is taken to be at least as recent as the logframe's own dated
    figures, and gives way only to a value for a later period (from a data update). With no number
    at all, a Latest column's suppression mark is kept as written."""
    def rank(v: IndicatorValue) -> tuple:
        end = period_end(v.period)
        return (end is not None, period_sort_key(v.period) if end is not None else (), 0)

    dated = [v for v in ind.values if v.geography is None and not v.value.missing]
    undated = next((v for v in ind.offered if v.origin == "latest" and v.period is None and _real(v)), None)
    best = max(dated, key=rank) if dated else None
    if undated is not None and not undated.value.missing:
        own = [rank(v) for v in ind.offered if v.origin in ("baseline", "trend") and not v.value.missing
               and period_end(v.period) is not None]
        floor = max(own) if own else (False, (), 0)
        if best is None or rank(best) <= floor:
            return undated
    if best is not None:
        return best
    column = next((v for v in ind.offered if v.origin == "latest" and _real(v)), None)
    return column


def conflicts(offered: list[IndicatorValue]) -> list[tuple[IndicatorValue, IndicatorValue]]:
    """(first, later) pairs: a later number for a period and geography that differs from the first
    number offered for it. What D010 reports; `kept_values` keeps the first."""
    first: dict[tuple, IndicatorValue] = {}
    out: list[tuple[IndicatorValue, IndicatorValue]] = []
    for v in offered:
        if v.period is None or v.value.missing:
            continue
        ref = first.setdefault(_key(v), v)
        if ref is not v and ref.value.number != v.value.number:
            out.append((ref, v))
    return out


def merge(ind: Indicator) -> None:
    """Set the indicator's series and latest value from everything offered for it."""
    ind.values = kept_values(ind.offered)
    ind.latest = latest_value(ind)
