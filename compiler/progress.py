"""Progress against target: one analysis of the plan, computed once per compilation (`Compilation.progress`).

For each indicator: the latest value's achievement, (latest − baseline) / (target − baseline), against
the target for the latest period, else the final target; a RAG status against the target's
trajectory (straight from the baseline period to the target period), with the amber tolerance in
rules/checks.toml [progress]; and the direction of travel against the previous period and against
the baseline, polarity-aware, with a no-change tolerance. What cannot be judged is said so
("no data", "no target", "no baseline"), never guessed. For each action, the status its partner
gave, in one of five words (rules/references.toml [status] words).

Pure functions over the plan and the rules: the writers show the result, they do not recompute it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Action, Indicator, IndicatorValue, Plan
from .ruleset import Rules
from .values import period_end, period_sort_key

# RAG values, and what they mean in a sentence.
GREEN, AMBER, RED = "green", "amber", "red"
NO_DATA, NO_NEW_DATA, NO_TARGET, NO_BASELINE = "no data", "no new data", "no target", "no baseline"
RAG_LABELS = {GREEN: "On track", AMBER: "Slightly off track", RED: "Off track", NO_DATA: "No data",
              NO_NEW_DATA: "No data since the baseline", NO_TARGET: "No target", NO_BASELINE: "No baseline"}

# Direction of travel: with a polarity, improving / no change / worsening; without one, the
# numbers only (rising / no change / falling), never a judgement the rules do not support.
IMPROVING, NO_CHANGE, WORSENING, RISING, FALLING = "improving", "no change", "worsening", "rising", "falling"
DIRECTION_ARROWS = {IMPROVING: "↑ improving", WORSENING: "↓ worsening", NO_CHANGE: "→ no change",
                    RISING: "↗ rising", FALLING: "↘ falling"}

# Action statuses.
COMPLETE, ON_TRACK, DELAYED, NOT_STARTED, NOT_REPORTED = "complete", "on track", "delayed", "not started", "not reported"
ACTION_STATUSES = (COMPLETE, ON_TRACK, DELAYED, NOT_STARTED, NOT_REPORTED)

PRECISION = 9  # decimal places kept before comparing, so a value exactly on a threshold is on it


@dataclass(frozen=True)
class IndicatorProgress:
    indicator_id: str
    latest: IndicatorValue | None          # the latest value with a number, or None
    target: IndicatorValue | None          # the target judged against
    achievement: float | None              # share of the baseline-to-target gap closed (1.0 = target met)
    expected: float | None                 # the share the trajectory expects by the latest period
    rag: str                               # a key of RAG_LABELS
    target_met: bool | None                # None when it cannot be said
    direction_previous: str | None         # against the previous period; None: no previous value
    previous: IndicatorValue | None
    direction_baseline: str | None         # against the baseline; None: no baseline or no latest
    series: tuple[IndicatorValue, ...] = ()  # the whole system's numeric values in period order

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    def to_json(self) -> dict:
        def v(x: IndicatorValue | None) -> dict | None:
            return None if x is None else {"period": x.period, "value": x.value.number}

        return {"rag": self.rag, "achievement": _round(self.achievement), "expected": _round(self.expected),
                "target_met": self.target_met, "latest": v(self.latest), "target": v(self.target),
                "previous": v(self.previous), "direction_previous": self.direction_previous,
                "direction_baseline": self.direction_baseline}


@dataclass(frozen=True)
class Progress:
    indicators: dict[str, IndicatorProgress] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)  # action id -> one of ACTION_STATUSES

    def indicator(self, indicator_id: str) -> IndicatorProgress | None:
        return self.indicators.get(indicator_id)

    def action(self, action_id: str) -> str:
        return self.actions.get(action_id, NOT_REPORTED)

    def action_counts(self, action_ids: list[str]) -> dict[str, int]:
        """How many of these actions are in each status, in ACTION_STATUSES order."""
        counts = {s: 0 for s in ACTION_STATUSES}
        for aid in action_ids:
            counts[self.action(aid)] += 1
        return counts

    def rag_counts(self, indicator_ids: list[str]) -> dict[str, int]:
        counts = {r: 0 for r in RAG_LABELS}
        for iid in indicator_ids:
            p = self.indicators.get(iid)
            if p is not None:
                counts[p.rag] += 1
        return counts


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3) + 0.0  # + 0.0: never -0.0


def _number(v: IndicatorValue | None) -> float | None:
    return None if v is None else v.value.number


def series(ind: Indicator) -> tuple[IndicatorValue, ...]:
    """The whole system's values with a number, one a period (the first given wins), in period order,
    the latest value and the baseline included."""
    by_period: dict[str, IndicatorValue] = {}
    for v in [*ind.values, *([ind.latest] if ind.latest else []), *([ind.baseline] if ind.baseline else [])]:
        if v.period and not v.geography and v.value.number is not None and v.period not in by_period:
            by_period[v.period] = v
    return tuple(sorted(by_period.values(), key=lambda v: period_sort_key(v.period)))


def judged_target(ind: Indicator, latest: IndicatorValue | None) -> IndicatorValue | None:
    """The target for the latest value's period, else the final target (the last in period order)."""
    numeric = [t for t in ind.targets if t.value.number is not None]
    if latest is not None:
        same = next((t for t in numeric if t.period == latest.period), None)
        if same is not None:
            return same
    return max(numeric, key=lambda t: period_sort_key(t.period), default=None)


def expected_share(baseline: IndicatorValue, target: IndicatorValue, latest: IndicatorValue) -> float:
    """The share of the baseline-to-target gap a straight trajectory expects by the latest period: 0 at
    the baseline period, 1 at the target period and after; 1 when the periods name no dates (the
    target itself is then the bar)."""
    start, end, now = period_end(baseline.period), period_end(target.period), period_end(latest.period)
    if start is None or end is None or now is None or end <= start:
        return 1.0
    return min(1.0, max(0.0, (now - start).days / (end - start).days))


def better(a: float, b: float, polarity: str | None) -> bool | None:
    """Whether a is at least as good as b; None without a polarity."""
    if polarity == "higher":
        return a >= b
    if polarity == "lower":
        return a <= b
    return None


def direction(earlier: float, later: float, polarity: str | None, tolerance: float) -> str:
    """Improving / no change / worsening (rising / falling without a polarity). A change no larger than
    `tolerance` times the earlier value's size is no change (an earlier zero: any change counts)."""
    change = round(later - earlier, PRECISION)
    if abs(change) <= round(abs(earlier) * tolerance, PRECISION):
        return NO_CHANGE
    up = change > 0
    if polarity == "higher":
        return IMPROVING if up else WORSENING
    if polarity == "lower":
        return WORSENING if up else IMPROVING
    return RISING if up else FALLING


def rag(achievement: float, expected: float, tolerance: float) -> str:
    a, e = round(achievement, PRECISION), round(expected, PRECISION)
    if a >= e:
        return GREEN
    return AMBER if a >= round(e - tolerance, PRECISION) else RED


def indicator_progress(ind: Indicator, rules: Rules) -> IndicatorProgress:
    settings = rules.progress
    values = series(ind)
    latest = ind.latest if _number(ind.latest) is not None else (values[-1] if values else None)
    polarity = ind.polarity if ind.polarity in ("higher", "lower") else None
    previous = None
    if latest is not None:
        earlier = [v for v in values if period_sort_key(v.period) < period_sort_key(latest.period)]
        previous = earlier[-1] if earlier else None
    base = ind.baseline if _number(ind.baseline) is not None else None
    target = judged_target(ind, latest)
    tol = settings.no_change_tolerance
    dir_prev = direction(_number(previous), _number(latest), polarity, tol) if previous and latest else None
    dir_base = None
    if base is not None and latest is not None and base.period != latest.period:
        dir_base = direction(_number(base), _number(latest), polarity, tol)

    def result(rag_value: str, achievement=None, expected=None, met=None) -> IndicatorProgress:
        return IndicatorProgress(ind.id, latest, target, achievement, expected, rag_value, met, dir_prev, previous,
                                 dir_base, values)

    if latest is None:
        return result(NO_DATA)
    if target is None:
        return result(NO_TARGET)
    met = better(_number(latest), _number(target), polarity)
    if base is not None and period_sort_key(latest.period) <= period_sort_key(base.period):
        return result(NO_NEW_DATA)  # the latest value is the baseline: nothing to judge progress on yet
    if base is None:
        # No baseline, no trajectory: only a target met can be said (green), nothing else is guessed.
        return result(GREEN if met else NO_BASELINE, met=met)
    gap = _number(target) - _number(base)
    if gap == 0:
        # The target is to hold the baseline: met or not, by polarity.
        if met is None:
            return result(NO_TARGET)
        return result(GREEN if met else RED, met=met)
    achievement = (_number(latest) - _number(base)) / gap
    if met is None:
        met = round(achievement, PRECISION) >= 1
    expected = expected_share(base, target, latest)
    return result(rag(achievement, expected, settings.amber_tolerance), achievement, expected, met)


def action_status(action: Action, rules: Rules) -> str:
    """The status a partner gave, in one of five words: complete, on track, delayed, not started (the
    rules' status words, as D011 reads them: `StatusWords.action_status`), else not reported."""
    return rules.references.status.action_status(action.status) or NOT_REPORTED


def progress(rules: Rules, plan: Plan) -> Progress:
    return Progress({i.id: indicator_progress(i, rules) for i in plan.indicators},
                    {a.id: action_status(a, rules) for a in plan.actions})

