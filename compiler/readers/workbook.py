"""Excel (.xlsx/.xlsm) -> neutral grids of cells, with openpyxl.

openpyxl gets a package it can trust: names normalised, Strict Open XML
mapped to transitional namespaces (openpyxl opens Strict workbooks as if they
had no sheets), and any part declaring a DTD refused. Formula cells use their
cached values; formulas without one are listed (openpyxl cannot tell them
from blank cells) so the caller can report them. Nothing is evaluated.
"""

from __future__ import annotations

import contextlib
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from lxml import etree

from ..ooxml.namespaces import R, S, to_transitional
from ..ooxml.package import Package, PackageError, refuse_oversized_sheet



@dataclass(frozen=True)
class Cell:
    value: object
    coordinate: str
    percent: bool = False


@dataclass
class Grid:
    """One worksheet: its rows of cells (1-based row numbers kept), merges and hidden columns."""

    name: str
    rows: list[tuple[int, list[Cell]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    hidden_columns: list[str] = field(default_factory=list)
    hidden: bool = False
    uncached_formulas: list[str] = field(default_factory=list)
    auto_filter: str | None = None


def _trusted_package(pkg: Package, *, without_styles: bool = False) -> bytes:
    """The workbook's bytes as openpyxl should see them.

    `without_styles` drops the stylesheet: openpyxl rejects stylesheets that some producers
    write (and Excel opens), and the values matter more than their formatting.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as target:
        seen: set[str] = set()
        for info in pkg.zf.infolist():
            name = info.filename.replace("\\", "/").lstrip("/")
            if name.endswith("/") or name.lower() in seen:
                continue
            seen.add(name.lower())
            data = pkg.read(info.filename)
            if without_styles and name.lower() == "xl/styles.xml":
                continue
            if name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml"):
                refuse_oversized_sheet(name, data, pkg.limits)
            if name.endswith((".xml", ".rels", ".vml")) or name == "[Content_Types].xml":
                head = data[:65536]
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise PackageError(f"part '{name}' declares a DTD or entities, which Office files never do (refused for safety)")
                data = to_transitional(data)
            target.writestr(name, data)
    return out.getvalue()


def _sheet_parts(pkg: Package, main: str) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships."""
    try:
        wb = pkg.xml(main)
    except PackageError:
        return {}
    targets = {rid: target for rid, _, target, mode in pkg.rels(main) if mode != "External"}
    out = {}
    for sheet in wb.iter(f"{{{S}}}sheet"):
        rid = sheet.get(f"{{{R}}}id")
        if rid in targets:
            out[sheet.get("name", "")] = targets[rid]
    return out


def _uncached_formulas(pkg: Package, part: str, max_depth: int) -> list[str]:
    try:
        data = pkg.read(part)
    except PackageError:
        return []
    if b"<f" not in data and b":f" not in data:
        return []
    found = []
    try:
        data = to_transitional(data)
        for _, el in etree.iterparse(io.BytesIO(data), tag=f"{{{S}}}c", resolve_entities=False, no_network=True,
                                     load_dtd=False, huge_tree=False):
            if el.find(f"{{{S}}}f") is not None:
                v = el.find(f"{{{S}}}v")
                if v is None or v.text is None or v.text == "":
                    found.append(el.get("r", "?"))
            el.clear()
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"part '{part}' is not well-formed XML ({str(exc)[:100]})") from None
    return found


def _is_percent(number_format: str | None) -> bool:
    if not number_format or "%" not in number_format:
        return False
    stripped = []
    quoted = False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            stripped.append(ch)
    return "%" in "".join(stripped).replace("\\%", "")


def _has_day(number_format: str | None) -> bool:
    fmt = (number_format or "").lower()
    if fmt in ("", "general"):
        return True
    return "d" in fmt.replace("[red]", "")


def _vertical_merge_values(ws, merged: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], object]:
    """A vertically merged cell's value belongs to every row it spans (in its own column)."""
    out: dict[tuple[int, int], object] = {}
    for min_row, min_col, max_row, max_col in merged:
        if max_row > min_row and max_row - min_row < 10_000:
            value = ws.cell(min_row, min_col).value
            for r in range(min_row + 1, max_row + 1):
                out[(r, min_col)] = value
    return out


def read_workbook(pkg: Package, main: str) -> list[Grid]:
    """Every worksheet as a Grid; raises PackageError with the cause in plain words."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    sheet_parts = _sheet_parts(pkg, main)
    wb = None
    first_error: Exception | None = None
    for without_styles in (False, True):
        data = _trusted_package(pkg, without_styles=without_styles)
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False,
                                            keep_vba=False, rich_text=False)
            break
        except PackageError:
            raise
        except Exception as exc:  # openpyxl raises many kinds on producer quirks; each becomes one plain diagnostic
            first_error = first_error or exc
    if wb is None:
        exc = first_error
        raise PackageError(f"the workbook's structure could not be read ({type(exc).__name__}: {str(exc)[:120]}); "
                           "open it in Excel and save it again")
    grids: list[Grid] = []
    try:
        if not wb.worksheets and sheet_parts:
            raise PackageError("the workbook lists sheets but none could be read")
        for ws in wb.worksheets:
            cells_total = len(ws._cells)  # noqa: SLF001 - the cells actually stored, not the declared extent
            if cells_total > pkg.limits.max_sheet_cells:
                raise PackageError(f"sheet '{ws.title}' spans {cells_total:,} cells, over the limit of "
                                   f"{pkg.limits.max_sheet_cells:,} in rules/limits.toml")
            merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
            spread = _vertical_merge_values(ws, merged)
            by_row: dict[int, list[Cell]] = {}
            # The cells the sheet stores, in order: never every position of its bounding box, which
            # two cells far apart make enormous.
            for (r, col), c in sorted(ws._cells.items()):  # noqa: SLF001
                v = spread.get((r, col), c.value)
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                number_format = getattr(c, "number_format", "General")
                if isinstance(v, (datetime, date)) and not _has_day(number_format):
                    v = f"{v:%B %Y}"  # a month-only date (Mar-25) means the month, not its first day
                elif not isinstance(v, (int, float, str, bool, datetime, date, time)):
                    v = str(v)
                percent = _is_percent(number_format) if isinstance(v, (int, float)) else False
                by_row.setdefault(r, []).append(Cell(v, f"{get_column_letter(col)}{r}", percent))
            rows: list[tuple[int, list[Cell]]] = sorted(by_row.items())
            hidden_cols = [key for key, dim in ws.column_dimensions.items() if dim.hidden]
            grids.append(Grid(
                name=ws.title, rows=rows, merged=merged, hidden_columns=hidden_cols,
                hidden=ws.sheet_state != "visible",
                uncached_formulas=_uncached_formulas(pkg, sheet_parts[ws.title], pkg.limits.max_xml_depth)
                if ws.title in sheet_parts else [],
                auto_filter=ws.auto_filter.ref if ws.auto_filter and ws.auto_filter.ref else None,
            ))
    except PackageError:
        raise
    except Exception as exc:
        raise PackageError(f"a sheet could not be read ({type(exc).__name__}: {str(exc)[:120]}); "
                           "open the workbook in Excel and save it again") from None
    finally:
        wb.close()
    if not grids and not sheet_parts:
        raise PackageError("the workbook has no worksheets")
    return grids
