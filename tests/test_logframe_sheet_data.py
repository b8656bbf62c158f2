"""The logframe workbook's data rows are written as worksheet XML text (`logframe_workbook.SheetData`), not
as openpyxl cells: the sheets and the styles part must be exactly what openpyxl writes for the same
cells, awkward values included (markup characters, a carriage return, leading spaces, text Excel would
take for a formula, non-ASCII, empty text, numbers of every kind)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from compiler.writers.excel_safe import set_text, set_value
from compiler.writers.logframe_workbook import CellStyles, SheetData, _sheet_rows

VALUES = ["plain", "a & b < c > d \"q\"", "cr\rhere", "lf\nand\ttab", "  leading", "trailing ", "=SUM(A1:A2)",
          "-5 people", "@home", "+1", "–dash ünïcödé 😀", "", None, 0, 7, -3, 10**18, 0.1, 1e-07, 2.5e20, 1 / 3,
          True, "#N/A", "x\x01y", float("nan"), float("inf")]
FORMATS = ['0.0"%"', "#,##0", None]


def _rows() -> tuple[list[list[object]], list[tuple[str | None, bool]]]:
    rows, kinds = [], []
    for n in range(len(VALUES)):
        rows.append([VALUES[(n + k) % len(VALUES)] for k in range(6)])
        kinds.append([(FORMATS[(n + k) % 3], bool(k % 2)) for k in range(6)])
    return rows, kinds


def _workbook(through_text: bool) -> dict[str, bytes]:
    wb = Workbook()
    data = SheetData()
    for s in range(3):
        ws = wb.active if s == 0 else wb.create_sheet(f"Sheet {s}")
        title = ws.cell(1, 1)
        set_text(title, f"Title {s}")
        title.font = Font(bold=True, size=14 + s)
        for c in range(1, 7):
            set_text(ws.cell(2, c), f"=Header {c}" if c == 3 else f"Header {c}")
        if s == 1:
            continue  # a sheet with no data rows between two with
        prepare = CellStyles(ws)
        rows, kinds = _rows()
        styles = [[prepare(fmt if isinstance(v, (int, float)) else None, wrap) for v, (fmt, wrap) in zip(row, kind)]
                  for row, kind in zip(rows, kinds)]
        if through_text:
            data.add(ws, 3, rows, styles)
            continue
        for row, row_styles in zip(rows, styles):
            cells = []
            for value, style in zip(row, row_styles):
                cell = Cell(ws, style_array=style)
                set_value(cell, value)
                cells.append(cell)
            ws.append(cells)
    if through_text:
        data.register_styles(wb)
    buf = io.BytesIO()
    wb.save(buf)
    package = zipfile.ZipFile(buf)
    parts = {name: package.read(name) for name in package.namelist()
             if name.startswith("xl/worksheets/") or name == "xl/styles.xml"}
    if through_text:
        parts.update(_sheet_rows(package, data.replacements(wb)))
    return parts


def test_sheet_data_text_is_what_openpyxl_writes_for_the_same_cells():
    expected, written = _workbook(through_text=False), _workbook(through_text=True)
    assert written.keys() == expected.keys()
    for name in expected:
        assert written[name] == expected[name], name
