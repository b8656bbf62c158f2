"""logframe-matrix.xlsx: every indicator, for analysts (Appendix 2).

Sheets: *All indicators*, one per outcome that has indicators (in rules order),
and *Trends* with a native line chart per indicator that has three or more
numeric values. Each indicator sheet is one real Excel table (style, filter
buttons) under a title row, with the header row and the id column frozen,
widths set to the content, number formats by unit and the status column
highlighted by conditional formatting.

Trend columns are the plan's headline series: values with no geography or
with a geography that is the system's own name (rules/system.toml); values
for a single place (a county, a district) stay in plan.json. Text from the inputs is always stored as a
string cell (`excel_safe`), never a formula. The workbook's bytes are a
function of the plan alone: fixed properties, `deterministic_zip_bytes`.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.compat import safe_string
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..compilation import Compilation
from ..model import Indicator, IndicatorValue
from ..present.logframe import (CHANGE_HEADERS, Column, Headline, change_rows, columns, display, has_updates,
                                number_kind, trend_alt_text)
from ..values import period_sort_key
from .deterministic import deterministic_zip_bytes
from .excel_safe import clean_text, set_text, set_value

FILENAME = "logframe-matrix.xlsx"
FIXED_DATETIME = datetime(2000, 1, 1)

PERCENT_FORMAT = '0.0"%"'
COUNT_FORMAT = "#,##0"
OTHER_FORMAT = "0.0##"
FORMATS = {"percent": PERCENT_FORMAT, "count": COUNT_FORMAT, "other": OTHER_FORMAT}

TABLE_STYLE = "TableStyleMedium2"
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3

STATUS_STYLES = {
    # (fill, font colour): Excel's built-in "good / neutral / bad" palettes.
    "agreed": ("C6EFCE", "006100"),
    "in development": ("FFEB9C", "9C5700"),
    "awaiting sign-off": ("FCE4D6", "9C0006"),
}

_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


# --------------------------------------------------------------------------- sheets

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters), cut at a word where it must be shortened."""
    name = re.sub(r"\s+", " ", _BAD_SHEET_CHARS.sub(" ", text)).strip().strip("'").strip() or "Sheet"
    if name.casefold() == "history":
        name = "History (sheet)"
    if len(name) > 31:
        cut = name[:30]
        if " " in cut[10:]:
            cut = cut[: cut.rindex(" ")]
        name = cut.rstrip(" -–,;") + "\u2026"
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _fit_width(values: list[Any], header: str) -> float:
    longest = max([len(header)] + [len(display(v)) for v in values if v is not None])
    return float(min(max(longest + 2, 8), 60))


def _status_rules(ws, ref: str, top_left: str, in_development: list[str]) -> None:
    """Highlight status: awaiting sign-off, in development, agreed (first match wins)."""
    words = {
        "awaiting sign-off": ["awaiting"],
        "in development": [w for w in in_development if "awaiting" not in w.casefold()] or ["in development"],
        "agreed": ["agreed"],
    }
    for label, terms in words.items():
        fill, font = STATUS_STYLES[label]
        style = DifferentialStyle(fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid", bgColor=fill),
                                  font=Font(color=font))
        for term in terms:
            quoted = term.replace('"', '""')
            rule = Rule(type="containsText", operator="containsText", text=term, dxf=style, stopIfTrue=True,
                        formula=[f'NOT(ISERROR(SEARCH("{quoted}",{top_left})))'])
            ws.conditional_formatting.add(ref, rule)


class CellStyles:
    """Each distinct data-cell style (number format, alignment) prepared once per sheet, through openpyxl's own
    style descriptors, and copied into every cell that has it: assigning a style per cell hashes openpyxl's
    style objects each time (most of the workbook's cost at national scale). A style is prepared the first
    time a cell needs it, so the workbook's style tables hold the same entries in the same order."""

    def __init__(self, ws):
        self.ws = ws
        self.prepared: dict[tuple[str | None, bool], Any] = {}
        self.top = Alignment(vertical="top")
        self.wrapped = Alignment(vertical="top", wrap_text=True)

    def __call__(self, number_format: str | None, wrap: bool):
        key = (number_format, wrap)
        style = self.prepared.get(key)
        if style is None:
            scratch = Cell(self.ws)
            if number_format is not None:
                scratch.number_format = number_format
            scratch.alignment = self.wrapped if wrap else self.top
            style = self.prepared[key] = scratch._style
        return style


class _Stored:
    """Stands in for a cell while `excel_safe.set_value` decides what it stores (the one place that does)."""

    __slots__ = ("value", "data_type", "quotePrefix")

    def __init__(self) -> None:
        self.value: Any = None
        self.data_type = "n"
        self.quotePrefix = False


class SheetData:
    """The indicator sheets' data rows, written as worksheet XML text rather than as openpyxl cells.

    Making a cell per value and writing each through lxml at save was most of the workbook's time at
    national scale. Each sheet gets one empty placeholder cell on its last row (so its dimension spans the
    rows); after saving, the placeholder's empty row is replaced by the rows' text, which is what openpyxl
    writes for such cells (inline strings, numbers as "%.16g", ASCII with character references; a test
    compares the two). The rows' cell styles are registered, before saving, in the order openpyxl would
    register them as it writes the sheets, so the styles part is the same too."""

    def __init__(self) -> None:
        self.sheets: dict[str, tuple[int, list[list[tuple[str, Any, Any]]]]] = {}  # title -> (first row, rows)

    def add(self, ws, first_row: int, values: list[list[Any]], styles: list[list[Any]]) -> None:
        """Rows of values from `first_row` down, each cell with its prepared style (`CellStyles`)."""
        rows = []
        for row_values, row_styles in zip(values, styles):
            row = []
            for value, style in zip(row_values, row_styles):
                stored = _Stored()
                set_value(stored, value)
                if stored.quotePrefix:
                    style = StyleArray(style)
                    style.quotePrefix = 1
                row.append(("s" if stored.data_type == "s" else "n", stored.value, style))
            rows.append(row)
        self.sheets[ws.title] = (first_row, rows)
        ws.cell(first_row + len(rows) - 1, 1)  # the placeholder

    def register_styles(self, wb) -> None:
        """Every styled cell's style, in the order openpyxl's save would first meet it: sheet by sheet, row by row."""
        registry = wb._cell_styles
        for ws in wb.worksheets:
            first_row, rows = self.sheets.get(ws.title, (None, []))
            for (r, _c), cell in sorted(ws._cells.items()):
                if first_row is not None and r >= first_row:
                    break
                if cell.has_style:
                    registry.add(cell._style)
            for row in rows:
                for _kind, _value, style in row:
                    if any(style):
                        registry.add(style)

    def replacements(self, wb) -> dict[str, tuple[bytes, bytes]]:
        """Saved worksheet part -> (its placeholder row, the rows' XML)."""
        out = {}
        for n, ws in enumerate(wb.worksheets, start=1):
            if ws.title not in self.sheets:
                continue
            first_row, rows = self.sheets[ws.title]
            text = "".join(_row_xml(wb, r, row) for r, row in enumerate(rows, start=first_row))
            last = first_row + len(rows) - 1
            out[f"xl/worksheets/sheet{n}.xml"] = (f'<row r="{last}"></row>'.encode(),
                                                  text.encode("ascii", "xmlcharrefreplace"))
        return out


def _row_xml(wb, r: int, row: list[tuple[str, Any, Any]]) -> str:
    cells = []
    for c, (kind, value, style) in enumerate(row, start=1):
        if value is None and not any(style):
            continue
        ref = f"{get_column_letter(c)}{r}"
        s = f' s="{wb._cell_styles.add(style)}"' if any(style) else ""
        if value is None or value == "":
            cells.append(f'<c r="{ref}"{s} t="{"inlineStr" if kind == "s" else "n"}"></c>')
        elif kind == "s":
            space = ' xml:space="preserve"' if value != value.strip() else ""
            text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        else:
            cells.append(f'<c r="{ref}"{s} t="n"><v>{safe_string(value)}</v></c>')
    return f'<row r="{r}">{"".join(cells)}</row>'


def write_indicator_sheet(ws, title: str, indicators: list[Indicator], cols: list[Column], formats: dict[str, str],
                          table_name: str, in_development: list[str], data: SheetData) -> None:
    title_cell = ws.cell(TITLE_ROW, 1)
    set_text(title_cell, title)
    title_cell.font = Font(bold=True, size=14)
    if not indicators:
        set_text(ws.cell(HEADER_ROW, 1), "No indicators in the logframe for this outcome.")
        return
    for c, col in enumerate(cols, start=1):
        set_text(ws.cell(HEADER_ROW, c), col.header)
    prepare = CellStyles(ws)
    numeric = [col.numeric for col in cols]
    wraps = [col.wrap for col in cols]
    rows = [[col.get(ind) for col in cols] for ind in indicators]
    styles = [[prepare(formats[ind.id] if num and isinstance(value, (int, float)) else None, wrap)
               for value, num, wrap in zip(values, numeric, wraps)] for ind, values in zip(indicators, rows)]
    data.add(ws, FIRST_DATA_ROW, rows, styles)
    last_row = FIRST_DATA_ROW + len(indicators) - 1
    ref = f"A{HEADER_ROW}:{get_column_letter(len(cols))}{last_row}"
    table = Table(displayName=table_name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                          showFirstColumn=False, showLastColumn=False)
    table.autoFilter = AutoFilter(ref=ref)
    # The columns named as openpyxl would name them at save, from the header cells (it would otherwise
    # read them through ws[ref], making an empty cell for every value of the table).
    table.tableColumns = [TableColumn(id=c, name=str(ws.cell(HEADER_ROW, c).value)) for c in range(1, len(cols) + 1)]
    ws.add_table(table)
    ws.freeze_panes = f"{get_column_letter(2)}{FIRST_DATA_ROW}"
    for c, col in enumerate(cols, start=1):
        letter = get_column_letter(c)
        width = col.width or _fit_width([row[c - 1] for row in rows], col.header)
        ws.column_dimensions[letter].width = width
    status_col = next(c for c, col in enumerate(cols, start=1) if col.header == "Status")
    letter = get_column_letter(status_col)
    _status_rules(ws, f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}", f"{letter}{FIRST_DATA_ROW}", in_development)


# --------------------------------------------------------------------------- printing

PAGE_ROWS = 34      # default-height rows an A4 landscape page holds between the 1 cm margins below


def print_setup(ws, title_rows: str | None) -> None:
    """Landscape, fitted to one page wide (as many tall as it takes), header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.top = ws.page_margins.bottom = 0.4
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows


def chart_page_breaks(ws, blocks: list[tuple[int, int]]) -> None:
    """A row break before a chart block that would not fit on the page: a chart is never split across pages.

    `blocks` are (first row, rows taken) of each data-and-chart block, in order.
    """
    used = blocks[0][0] - 1 if blocks else 0  # the title above the first block
    for n, (first, height) in enumerate(blocks):
        if n and used + height > PAGE_ROWS:
            ws.row_breaks.append(Break(id=first - 1))  # the page ends after the row above this block
            used = 0
        used += height


# --------------------------------------------------------------------------- charts

CHART_ROWS = 17     # rows a chart block takes at least (a 7.5 cm chart is about 15 rows)


def write_trends(ws, comp: Compilation, charted: list[tuple[Indicator, dict[str, IndicatorValue]]],
                 formats: dict[str, str]) -> list[str]:
    """A data block and a line chart per indicator; returns each chart's alt text, in order."""
    title = ws.cell(1, 1)
    set_text(title, "Trends: indicators with three or more values")
    title.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 12
    if not charted:
        set_text(ws.cell(3, 1), "No indicator has three or more values yet.")
        return []
    descriptions = []
    blocks: list[tuple[int, int]] = []
    row = 3
    for ind, series in charted:
        targets = {t.period: t for t in ind.targets if t.period and t.value.number is not None}
        periods = sorted(set(series) | set(targets), key=period_sort_key)
        label = f"{ind.id} {ind.name}" if ind.name else ind.id
        heading = ws.cell(row, 1)
        set_text(heading, label)
        heading.font = Font(bold=True)
        for c, text in enumerate(("Period", "Value", "Target"), start=1):
            set_text(ws.cell(row + 1, c), text)
            ws.cell(row + 1, c).font = Font(bold=True)
        first = row + 2
        for k, period in enumerate(periods):
            r = first + k
            set_text(ws.cell(r, 1), period)
            v = series.get(period)
            number = v.value.number if v is not None else None
            set_value(ws.cell(r, 2), number)
            t = targets.get(period)
            set_value(ws.cell(r, 3), t.value.number if t else None)
            for c in (2, 3):
                ws.cell(r, c).number_format = formats[ind.id]
        last = first + len(periods) - 1

        chart = LineChart()
        chart.title = clean_text(label)[:250]
        chart.style = 2
        chart.height = 7.5
        chart.width = 16
        chart.y_axis.title = clean_text(ind.unit)[:100] if ind.unit else None
        chart.x_axis.title = "Period"
        chart.y_axis.number_format = formats[ind.id]
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.display_blanks = "gap"
        chart.legend.position = "b"
        cols = 3 if targets else 2
        chart.add_data(Reference(ws, min_col=2, max_col=cols, min_row=row + 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        for s in chart.series:
            s.smooth = False
            s.marker.symbol = "circle"
            s.marker.size = 6
            # Periods are text: categories must be a string reference, not openpyxl's default numRef.
            s.cat = AxDataSource(strRef=StrRef(f=s.cat.numRef.f))
        chart.x_axis.axPos = "b"
        if targets:
            chart.series[1].graphicalProperties.line.dashStyle = "dash"
        ws.add_chart(chart, f"E{row}")
        descriptions.append(clean_text(trend_alt_text(ind, series, targets, periods)))
        blocks.append((row, max(len(periods) + 3, CHART_ROWS)))
        row += blocks[-1][1]
    chart_page_breaks(ws, blocks)
    return descriptions


def _chart_alt_texts(package: zipfile.ZipFile, descriptions: list[str], titles: list[str]) -> dict[str, bytes]:
    """openpyxl names chart frames but gives them no description: the drawing parts with `descr` and `title`
    set on each chart frame, for screen readers."""
    out = {}
    for name in package.namelist():
        if descriptions and re.fullmatch(r"xl/drawings/drawing\d+\.xml", name):
            root = etree.fromstring(package.read(name))
            frames = root.findall(f".//{{{_DRAWING_NS}}}graphicFrame/{{{_DRAWING_NS}}}nvGraphicFramePr/"
                                  f"{{{_DRAWING_NS}}}cNvPr")
            for el, descr, title in zip(frames, descriptions, titles):
                el.set("descr", descr)
                el.set("title", title)
            out[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def _sheet_rows(package: zipfile.ZipFile, replacements: dict[str, tuple[bytes, bytes]]) -> dict[str, bytes]:
    """The worksheet parts with each placeholder row replaced by the data rows (`SheetData`)."""
    out = {}
    for name, (placeholder, rows) in replacements.items():
        part = package.read(name)
        if part.count(placeholder) != 1:
            raise ValueError(f"{name}: the data rows' placeholder is not where it should be")
        out[name] = part.replace(placeholder, rows)
    return out


# --------------------------------------------------------------------------- data updates

def write_changes(ws, rows: list[list[str]]) -> None:
    """What the data updates changed: one row per value added or filled, with the file it came from."""
    title = ws.cell(TITLE_ROW, 1)
    set_text(title, "What the data updates changed")
    title.font = Font(bold=True, size=14)
    if not rows:
        set_text(ws.cell(HEADER_ROW, 1), "The data updates gave no value the logframe did not already have.")
        return
    for c, header in enumerate(CHANGE_HEADERS, start=1):
        set_text(ws.cell(HEADER_ROW, c), header)
        ws.cell(HEADER_ROW, c).font = Font(bold=True)
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, text in enumerate(row, start=1):
            set_text(ws.cell(r, c), text)
            ws.cell(r, c).alignment = Alignment(vertical="top", wrap_text=True)
    for c, header in enumerate(CHANGE_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = _fit_width([row[c - 1] for row in rows], header)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1).coordinate


# --------------------------------------------------------------------------- workbook

def logframe_workbook(comp: Compilation) -> bytes:
    rules = comp.rules
    indicators = comp.plan.indicators
    headline = Headline(comp)
    series = {ind.id: headline.series(ind) for ind in indicators}
    trend_periods = sorted({p for s in series.values() for p in s}, key=period_sort_key)
    target_periods = sorted({t.period for i in indicators for t in i.targets if t.period}, key=period_sort_key)
    percent_units = rules.references.values.percent_units
    formats = {ind.id: FORMATS[number_kind(ind, percent_units)] for ind in indicators}
    cols = columns(comp, trend_periods, target_periods, series)
    in_development = rules.references.status.indicator_in_development

    wb = Workbook()
    taken: set[str] = set()
    ws = wb.active
    ws.title = sheet_name("All indicators", taken)
    data = SheetData()
    write_indicator_sheet(ws, f"All indicators \u2013 {rules.system.plan_title}", indicators, cols, formats,
                          "AllIndicators", in_development, data)
    for n, outcome in enumerate(rules.outcomes, start=1):
        members = [i for i in indicators if outcome.id in i.outcome_ids]
        ws = wb.create_sheet(sheet_name(f"{outcome.id} {outcome.title}", taken))
        write_indicator_sheet(ws, f"{outcome.id}: {outcome.title}", members, cols, formats,
                              f"Outcome{n}Indicators", in_development, data)

    charted = [(i, series[i.id]) for i in indicators
               if sum(1 for v in series[i.id].values() if v.value.number is not None) >= 3]
    trends = wb.create_sheet(sheet_name("Trends", taken))
    descriptions = write_trends(trends, comp, charted, formats)
    if has_updates(comp):
        write_changes(wb.create_sheet(sheet_name("Data updates", taken)), change_rows(comp))
    for sheet in wb.worksheets:
        print_setup(sheet, None if sheet is trends else f"{HEADER_ROW}:{HEADER_ROW}")
    titles = [clean_text(f"{i.id} {i.name}" if i.name else i.id) for i, _ in charted]

    props = wb.properties
    props.title = clean_text(f"{rules.system.plan_title} \u2013 logframe matrix")
    props.subject = "Logframe matrix: every indicator with its baseline, trend, targets and owner"
    props.creator = "sdp"
    props.lastModifiedBy = "sdp"
    props.language = rules.system.language
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME

    data.register_styles(wb)
    buf = io.BytesIO()
    wb.save(buf)
    saved = zipfile.ZipFile(buf)
    parts = _chart_alt_texts(saved, descriptions, titles) | _sheet_rows(saved, data.replacements(wb))
    return deterministic_zip_bytes(buf.getvalue(), replace=parts)
