"""How progress against target reads in every document: the progress cell, the direction of travel in
words, and a trend chart with alt text that states the same facts as the picture."""

from __future__ import annotations

from ..blocks import Image
from ..compilation import Compilation
from ..model import Indicator
from ..progress import (AMBER, DIRECTION_ARROWS, GREEN, NO_BASELINE, NO_DATA, NO_NEW_DATA, NO_TARGET, RED,
                        IndicatorProgress)
from .format import format_number, format_value

def direction_text(p: IndicatorProgress) -> str:
    """`↑ improving since 2023/24`, `→ no change since the baseline`; empty when nothing to compare."""
    if p.direction_previous and p.previous is not None:
        return f"{DIRECTION_ARROWS[p.direction_previous]} since {p.previous.period}"
    if p.direction_baseline:
        return f"{DIRECTION_ARROWS[p.direction_baseline]} since the baseline"
    return ""

def rag_sentence(ind: Indicator, p: IndicatorProgress) -> str:
    """The status in words a reader can act on, with the facts that decide it."""
    target = format_value(p.target, ind.unit) if p.target else ""
    if p.rag == NO_DATA:
        return "No data: no value has been reported yet"
    if p.rag == NO_NEW_DATA:
        return "No data since the baseline"
    if p.rag == NO_TARGET:
        return "No target set"
    if p.rag == NO_BASELINE:
        return f"No baseline: progress towards the target of {target} cannot be measured"
    if p.achievement is None:
        return f"{p.rag_label}: target of {target} met"
    share = f"{format_number(round(p.achievement * 100))}%"
    gap = f"{share} of the way from the baseline to the target of {target}"
    if p.target_met:
        return f"{p.rag_label}: target of {target} met ({share} of the way)"
    if p.rag == GREEN:
        return f"{p.rag_label}: {gap}, on or ahead of the trajectory"
    if p.rag == AMBER:
        return f"{p.rag_label}: {gap}, a little behind the trajectory"
    assert p.rag == RED
    return f"{p.rag_label}: {gap}, behind the trajectory"

def progress_cell(ind: Indicator, p: IndicatorProgress | None) -> list[str]:
    """The Progress cell: the status sentence, then the direction of travel."""
    if p is None:
        return ["No data"]
    return [x for x in (rag_sentence(ind, p), direction_text(p)) if x]

def chart_alt(ind: Indicator, p: IndicatorProgress) -> str:
    """Alt text that gives a screen-reader user the chart's facts: every value, the targets, the
    direction of travel and the status."""
    unit = "%" if (ind.unit or "").strip() == "%" else ""
    values = "; ".join(f"{v.period}: {format_number(v.value.number)}{unit}" for v in p.series)
    text = f"Trend chart of {ind.id} {ind.name or ''}".rstrip()
    text += f" ({ind.unit})" if ind.unit and not unit else ""
    text += f". Values: {values}."
    targets = [t for t in ind.targets if t.value.number is not None]
    if targets:
        text += " Targets: " + "; ".join(f"{t.period}: {format_number(t.value.number)}{unit}" for t in targets) + "."
    if ind.polarity in ("higher", "lower"):
        text += f" {ind.polarity.capitalize()} is better."
    direction = direction_text(p).split(" ", 1)[-1] if direction_text(p) else ""
    if direction:
        text += f" Direction of travel: {direction}."
    return text + f" Status: {rag_sentence(ind, p)}."

def chart_image(comp: Compilation, ind: Indicator) -> Image | None:
    """The indicator's trend chart, for one with three values or more; None otherwise."""
    from ..charts import has_chart, size_emu

    p = comp.progress.indicator(ind.id)
    if not has_chart(p):
        return None
    width, height = size_emu()
    return Image(comp.charts.png_for(ind, p), "image/png", chart_alt(ind, p), width, height, key=f"chart:{ind.id}")


def chart_svg_for(comp: Compilation, ind: Indicator) -> str | None:
    """The indicator's trend chart as inline SVG for an HTML edition, titled with its alt text; None
    for an indicator with fewer than three values."""
    from ..charts import has_chart

    p = comp.progress.indicator(ind.id)
    return comp.charts.svg_for(ind, p, chart_alt(ind, p)) if has_chart(p) else None


def chart_svgs(comp: Compilation):
    """For an HTML edition: an Image's key -> the chart as inline SVG (None when it is not a chart)."""
    indicators = {i.id: i for i in comp.plan.indicators}

    def svg_for(key: str) -> str | None:
        kind, _, ident = key.partition(":")
        ind = indicators.get(ident) if kind == "chart" else None
        return chart_svg_for(comp, ind) if ind is not None else None
    return svg_for
