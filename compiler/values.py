"""UK dates, financial periods and indicator values, as partners write them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9

_MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR_RE = r"(?P<year>\d{4}|\d{2})"


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def fy_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


_FY = re.compile(r"(?<![\d/])(?:FY\s?)?(?P<a>\d{4})\s?[/\-\u2013]\s?(?P<b>\d{4}|\d{2})(?![\d/])", re.I)
_QUARTER = re.compile(r"\bQ(?P<q>[1-4])\s*(?:of\s*)?(?:FY\s?)?(?P<a>\d{4})\s?[/\-\u2013]\s?(?P<b>\d{4}|\d{2})\b", re.I)
_QUARTER_CAL = re.compile(r"\bQ(?P<q>[1-4])\s*(?P<a>\d{4})\b(?!\s?[/\-\u2013]\s?\d)", re.I)
_DMY = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"[\s,]+" + r"(?P<year>\d{4})\b", re.I)
_MONTH_YEAR = re.compile(r"\b" + _MONTH_RE + r"[\s\-']*(?:20)?(?P<year>\d{2})(?P<year2>\d{2})?\b", re.I)


def _valid_fy(a: str, b: str) -> int | None:
    start = int(a)
    end = int(b) if len(b) == 4 else (start // 100) * 100 + int(b)
    if len(b) == 2 and end < start:
        end += 100
    return start if end == start + 1 else None


def parse_due(text: str) -> date | None:
    """The due date a milestone's text names, by UK rules, or None.

    `01/10/2024` is 1 October; a month alone is its last day; `Q2 2025/26` is the last day of
    that financial quarter (30 September 2025); a financial year `2025/26` is 31 March 2026.
    The first date found wins.
    """
    found: list[tuple[int, date]] = []
    for m in _ISO.finditer(text):
        d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            found.append((m.start(), d))
    for m in _DMY.finditer(text):
        d = _safe_date(_year(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            found.append((m.start(), d))
    for m in _DAY_MONTH_YEAR.finditer(text):
        d = _safe_date(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("d")))
        if d:
            found.append((m.start(), d))
    taken = [(m.start(), m.end()) for m in _DAY_MONTH_YEAR.finditer(text)]
    for m in _QUARTER.finditer(text):
        start = _valid_fy(m.group("a"), m.group("b"))
        if start is not None:
            found.append((m.start(), quarter_end(start, int(m.group("q")))))
    for m in _QUARTER_CAL.finditer(text):
        y, q = int(m.group("a")), int(m.group("q"))
        found.append((m.start(), _month_end(y, q * 3)))
    for m in _MONTH_YEAR.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        year_text = m.group("year") + (m.group("year2") or "")
        if len(year_text) not in (2, 4):
            continue
        found.append((m.start(), _month_end(_year(year_text), MONTHS[m.group("month").lower()])))
    if not found:
        quarters = [(q.start(), q.end()) for q in _QUARTER.finditer(text)]
        for m in _FY.finditer(text):
            if any(s <= m.start() < e for s, e in quarters):
                continue
            start = _valid_fy(m.group("a"), m.group("b"))
            if start is not None:
                found.append((m.start(), date(start + 1, 3, 31)))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def quarter_end(fy_start: int, quarter: int) -> date:
    """Q1 is April–June of the financial year starting in `fy_start`."""
    month = 3 + quarter * 3
    year = fy_start
    if month > 12:
        month -= 12
        year += 1
    return _month_end(year, month)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def looks_like_date(text: str) -> bool:
    """Whether the text tries to state a date (so that failing to parse it is worth a diagnostic)."""
    return bool(re.search(r"\b(?:\d{1,2}[/.]\d{1,2}|" + _MONTH_RE + r"|Q[1-4]|20\d\d|spring|summer|autumn|fall|winter"
                          r"|christmas|easter|year[- ]end|end of (?:the )?year|mid[- ]year|tbc|tbd|ongoing)\b", text, re.I))


def normalise_period(value: object) -> str | None:
    """A period as written, with financial years normalised to `YYYY/YY`."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return str(int(value))
        return str(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    q = _QUARTER.search(text)
    if q:
        start = _valid_fy(q.group("a"), q.group("b"))
        if start is not None:
            return f"Q{q.group('q')} {fy_label(start)}"
    m = _FY.fullmatch(text) or re.fullmatch(r"(?:FY\s?)?(?P<a>\d{4})\s?[/\-\u2013]\s?(?P<b>\d{4}|\d{2})", text, re.I)
    if m:
        start = _valid_fy(m.group("a"), m.group("b"))
        if start is not None:
            return fy_label(start)
    return re.sub(r"\s+", " ", text)


def is_period_header(text: str) -> str | None:
    """A header naming a period (`2019/20`, `2019-20`, `2021`, `Q1 2024/25`), normalised, or None."""
    text = str(text).strip()
    if re.fullmatch(r"(?:FY\s?)?\d{4}\s?[/\-\u2013]\s?(?:\d{4}|\d{2})", text, re.I):
        start_m = _FY.search(text)
        if start_m and _valid_fy(start_m.group("a"), start_m.group("b")) is not None:
            return normalise_period(text)
        return None
    if re.fullmatch(r"(19|20)\d\d", text):
        return text
    if _QUARTER.fullmatch(text):
        return normalise_period(text)
    return None


def period_end(period: str | None) -> date | None:
    """The last day a period covers: `2023/24` -> 31 March 2024, `Q1 2024/25` -> 30 June 2024,
    `2023` -> 31 December 2023, `Q3 2024` -> 30 September 2024, `Mar 2025` -> 31 March 2025, an ISO
    date itself; None for text that names no period."""
    text = (period or "").strip()
    if not text:
        return None
    m = _ISO.fullmatch(text)
    if m:
        return _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    m = _QUARTER.fullmatch(text)
    if m:
        start = _valid_fy(m.group("a"), m.group("b"))
        return quarter_end(start, int(m.group("q"))) if start is not None else None
    m = _QUARTER_CAL.fullmatch(text)
    if m:
        return _month_end(int(m.group("a")), int(m.group("q")) * 3)
    m = re.fullmatch(r"(?:FY\s?)?(?P<a>\d{4})\s?[/\-\u2013]\s?(?P<b>\d{4}|\d{2})", text, re.I)
    if m:
        start = _valid_fy(m.group("a"), m.group("b"))
        return date(start + 1, 3, 31) if start is not None else None
    if re.fullmatch(r"(19|20)\d\d", text):
        return date(int(text), 12, 31)
    m = _MONTH_YEAR.fullmatch(text)
    if m and len(m.group("year") + (m.group("year2") or "")) in (2, 4):
        return _month_end(_year(m.group("year") + (m.group("year2") or "")), MONTHS[m.group("month").lower()])
    return None


def period_sort_key(period: str | None) -> tuple:
    """Periods in time order, by the day each ends (`2022/23` < `2023` < `2023/24`); a longer period
    before a shorter one that ends the same day (`2024/25` before `Q4 2024/25`); text that names no
    period after every period, by its text."""
    end = period_end(period)
    if end is None:
        return (1, date.max, 0, period or "")
    text = (period or "").strip()
    span = 0 if re.search(r"[/\-\u2013]\s?\d{2}", text) and not text.upper().startswith("Q") else 1
    return (0, end, span, text)


# --------------------------------------------------------------------------- measure bounds

def measure_bounds(unit: str | None, percent_units: list[str] | tuple[str, ...] = ("%",)) -> tuple[float | None, float | None]:
    """The values a measure can take, from its unit: a percentage lies in 0–100, a count or a rate
    (`per 1,000`, `rate`, `number`…) cannot go below zero; anything else is unbounded (None)."""
    raw = re.sub(r"\s+", " ", (unit or "").strip().casefold())
    if not raw:
        return (None, None)
    if raw in {u.strip().casefold() for u in percent_units} or raw.startswith("%") or raw in ("percent", "per cent",
                                                                                            "percentage"):
        return (0.0, 100.0)
    if re.search(r"\b(?:count|number|no\.?|rate|per|people|persons|households|patients|admissions|deaths|"
                 r"visits|episodes|ratio)\b", raw) or raw in ("n", "£", "$", "€", "pounds", "years", "days", "weeks"):
        return (0.0, None)
    return (None, None)


def clamp(value: float, bounds: tuple[float | None, float | None]) -> float:
    lo, hi = bounds
    if lo is not None and value < lo:
        return lo
    if hi is not None and value > hi:
        return hi
    return value


@dataclass(frozen=True)
class Value:
    """A number as the source shows it, or a missing value with its mark."""

    number: float | int | None
    unit: str | None = None
    mark: str | None = None      # suppression mark, when missing
    text: str | None = None      # the text, when it could not be read as a number
    period: str | None = None    # a period written beside the value: `62.3% (2022/23)`

    @property
    def missing(self) -> bool:
        return self.number is None


_NUMBER = re.compile(
    r"^\s*(?P<prefix>[£$€])?\s*(?P<num>[-+\u2212]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)\s*"
    r"(?P<unit>%|per\s?cent|percent|per\s+[\d,]+(?:\s*\w+)?|[a-zA-Z][\w\s/]*)?\s*"
    r"(?:\((?P<period>[^)]*)\))?\s*$", re.I)


def tidy_number(x: float) -> float | int:
    """Round away binary noise (0.623 * 100 = 62.300000000000004) and keep whole numbers whole."""
    value = round(float(x), 9)
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def parse_value(raw: object, *, percent_format: bool = False, suppression_marks: list[str] | tuple[str, ...] = ()) -> Value:
    """Read one indicator value from a cell or text."""
    if raw is None:
        return Value(None, mark="")
    if isinstance(raw, bool):
        return Value(None, text=str(raw))
    if isinstance(raw, (int, float)):
        if percent_format:
            return Value(tidy_number(raw * 100), "%")
        return Value(tidy_number(raw))
    if isinstance(raw, (datetime, date)):
        return Value(None, text=str(raw))
    text = str(raw).strip()
    if not text:
        return Value(None, mark="")
    marks = {m.casefold() for m in suppression_marks}
    if text.casefold() in marks:
        return Value(None, mark=text)
    m = _NUMBER.match(text.replace("\u00a0", " "))
    if not m:
        return Value(None, text=text)
    num_text = m.group("num").replace(",", "").replace(" ", "").replace("\u2212", "-")
    try:
        number = float(num_text)
    except ValueError:
        return Value(None, text=text)
    unit = (m.group("unit") or "").strip() or None
    if unit and unit.lower().replace(" ", "") in ("%", "percent", "percent"):
        unit = "%"
    elif m.group("prefix"):
        unit = m.group("prefix")
    period = normalise_period(m.group("period")) if m.group("period") else None
    return Value(tidy_number(number), unit, period=period)
