"""Excel number formats and date serials: what a cell's format says its number is.

A workbook stores every number as a number; its format says whether it is a date, a duration or a
percentage. The rules here are openpyxl's (the reader used openpyxl before it read the parts
itself, and cells must read as they did): a format is a date when its first section has a date or
time letter outside quotes and brackets; a duration when it has [h], [m] or [s]; the built-in
formats are those openpyxl knows (an unknown built-in id is General).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from ..ooxml.namespaces import S

# The built-in formats (ECMA-376 18.8.30) openpyxl knows; any other id below 164 is General.
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text; [..] except [h] [m] [s]
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def is_date_format(code: str | None) -> bool:
    if code is None:
        return False
    return _DATE_LETTER.search(_STRIP.sub("", code.split(";")[0])) is not None


def is_duration_format(code: str | None) -> bool:
    return code is not None and _DURATION.search(code.split(";")[0]) is not None


def is_percent(code: str | None) -> bool:
    """A % outside quotes and not escaped: the number is a fraction shown as a percentage."""
    if not code or "%" not in code:
        return False
    stripped = []
    quoted = False
    for ch in code:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            stripped.append(ch)
    return "%" in "".join(stripped).replace("\\%", "")


def has_day(code: str | None) -> bool:
    """Whether a date format shows the day: Mar-25 (mmm-yy) means the month, not its first day."""
    fmt = (code or "").lower()
    if fmt in ("", "general"):
        return True
    return "d" in fmt.replace("[red]", "")


@dataclass(frozen=True)
class Format:
    """What one cell format (an xf of cellXfs) makes of a number."""

    code: str
    date: bool = False
    duration: bool = False
    percent: bool = False
    day: bool = True


GENERAL = Format("General")


def format_of(code: str | None) -> Format:
    """`code` None is a built-in id openpyxl does not know: shown as General, never a date."""
    if code is None or code == "General":
        return GENERAL
    return Format(code, is_date_format(code), is_duration_format(code), is_percent(code), has_day(code))


def cell_formats(root: etree._Element | None) -> list[Format]:
    """The format of each cell style (cellXfs, by index) in a parsed styles part."""
    if root is None:
        return []
    custom: dict[int, str] = {}
    for nf in root.iterchildren(f"{{{S}}}numFmts"):
        for el in nf.iterchildren(f"{{{S}}}numFmt"):
            number, code = _int(el.get("numFmtId")), el.get("formatCode")
            if number is not None and code is not None:
                custom[number] = code
    known: dict[int, Format] = {}
    out = []
    for xfs in root.iterchildren(f"{{{S}}}cellXfs"):
        for xf in xfs.iterchildren(f"{{{S}}}xf"):
            number = _int(xf.get("numFmtId", "0"))
            number = 0 if number is None else number
            if number not in known:
                known[number] = format_of(custom[number] if number in custom else BUILTIN_FORMATS.get(number))
            out.append(known[number])
    return out


def _int(text: str | None) -> int | None:
    try:
        return int(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- dates

WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)


def from_excel(value: float, date1904: bool, duration: bool) -> datetime.datetime | datetime.time | datetime.timedelta:
    """An Excel date serial as a datetime (a time of day below 1; a timedelta for a duration).

    The 1900 date system counts the 29 February 1900 Lotus invented, so serials below 60 are a day off."""
    if duration:
        td = datetime.timedelta(days=value)
        if td.microseconds:  # to the millisecond
            td = datetime.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return datetime.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and not date1904:
        day += 1
    return (MAC_EPOCH if date1904 else WINDOWS_EPOCH) + datetime.timedelta(days=day) + diff


_ISO = re.compile(r"""
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?""", re.VERBOSE)
_ISO_DURATION = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def from_iso8601(text: str) -> object:
    """A t="d" cell's ISO 8601 value (date, time, datetime or duration); ValueError when it is none."""
    match = _ISO.match(text)
    if match and any(match.groups()):
        parts = match.groupdict(0)
        for key in ("year", "month", "day", "hour", "minute", "second"):
            if parts[key]:
                parts[key] = int(parts[key])
        if parts["microsecond"]:
            parts["microsecond"] = int(float(parts["microsecond"]) * 1_000_000)
        if not parts["date"]:
            return datetime.time(parts["hour"], parts["minute"], parts["second"], parts["microsecond"])
        if not parts["time"]:
            return datetime.date(parts["year"], parts["month"], parts["day"])
        del parts["time"], parts["date"]
        return datetime.datetime(**parts)
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        return datetime.timedelta(**{k: float(v) for k, v in match.groupdict(0).items() if v})
    raise ValueError(f"invalid ISO 8601 date {text!r}")
