"""How values, dates, periods and counts read in every document (one place, so they never disagree)."""

from __future__ import annotations

from datetime import date

from ..model import IndicatorValue

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def format_number(value: float | int | None) -> str:
    """`2,154`, `11.4`: thousands separated, no float noise."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return format(value, ",.15g")


def format_value(value: IndicatorValue | None, unit: str | None = None, *, with_period: bool = True) -> str:
    """An indicator value as a reader expects: `11.4% (2022/23)`, `2,154 (2022/23)`; suppressed values say so."""
    if value is None:
        return ""
    v = value.value
    if v.number is not None:
        text = format_number(v.number)
        if unit and unit.strip() == "%":
            text += "%"
    elif v.text:
        text = v.text
    elif v.mark:
        text = f"not available ({v.mark})"
    else:
        text = ""
    if with_period and value.period:
        text = f"{text} ({value.period})" if text else value.period
    return text


def long_date(d: date | None) -> str:
    """`31 March 2025` (no leading zero, month in full, in English whatever the machine's locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else ""


def long_iso_date(iso: str) -> str:
    return long_date(date.fromisoformat(iso))


def period_text(start: date, end: date) -> str:
    return f"{long_date(start)} to {long_date(end)}"


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """`1 action`, `3 actions`."""
    return f"{n} {word if n == 1 else (plural_form or word + 's')}"
