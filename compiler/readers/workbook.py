"""Excel (.xlsx/.xlsm) -> neutral grids of cells, read from the parts with lxml.

Only the parts that hold what is read are opened, through the package layer (safe parsing, limits):
the workbook part and its relationships (the sheets, in order, with their names and states; the
1900 or 1904 date system), the shared strings, the stylesheet's cell formats (which numbers are
dates, durations or percentages) and each worksheet (`worksheet.read_sheet`). Strict Open XML is
read as transitional (the package layer maps its namespaces). Nothing is evaluated.
"""

from __future__ import annotations

import re

from ..ooxml.namespaces import R, S
from ..ooxml.package import Package, PackageError, iter_xml
from .numfmt import Format, cell_formats
from .worksheet import Book, Cell, Grid, column_letter, read_sheet, rich_text

__all__ = ["Cell", "Grid", "column_letter", "read_workbook"]

RT_SHARED_STRINGS = R + "/sharedStrings"
RT_STYLES = R + "/styles"
SI = f"{{{S}}}si"


def read_workbook(pkg: Package, main: str) -> list[Grid]:
    """Every worksheet as a Grid, in the workbook's order; raises PackageError with the cause in plain words."""
    if "binary" in pkg.content_type(main) or main.lower().endswith(".bin"):
        raise PackageError("the file is an Excel binary workbook (.xlsb) under another name: open it in Excel and "
                           "save it as .xlsx")
    root = pkg.xml(main)
    rels = {rid: (rtype, target) for rid, rtype, target, mode in pkg.rels(main) if mode != "External"}
    props = root.find(f"{{{S}}}workbookPr")
    date1904 = props is not None and props.get("date1904", "false") not in ("", "false", "f", "0")
    sheets = []
    listed = root.findall(f"{{{S}}}sheets/{{{S}}}sheet")
    for sheet in listed:
        rtype, target = rels.get(sheet.get(f"{{{R}}}id", ""), ("", ""))
        if "chartsheet" in rtype or not target or not pkg.has(target):
            continue  # a chart sheet holds no cells; a sheet whose part is missing cannot be read
        sheets.append((sheet.get("name") or "Sheet", target, sheet.get("state", "visible") != "visible"))
    if not sheets:
        raise PackageError("the workbook lists sheets but none could be read" if listed else
                           "the workbook has no worksheets")
    book = Book(_shared_strings(pkg, rels), _formats(pkg, rels), date1904)
    grids: list[Grid] = []
    names: list[str] = []
    for name, part, hidden in sheets:
        name = _unique(names, name)
        names.append(name)
        grids.append(read_sheet(pkg, name, part, book, hidden=hidden))
    return grids


def _part_of(pkg: Package, rels: dict[str, tuple[str, str]], rtype: str, content_type: str, fallback: str) -> str | None:
    """The part related to the workbook by `rtype`; else the one declared with `content_type`; else `fallback`."""
    for kind, target in rels.values():
        if kind == rtype and pkg.has(target):
            return target
    for name, ctype in pkg.content_types.items():
        if ctype == content_type and pkg.has(name):
            return name.lstrip("/")
    return fallback if pkg.has(fallback) else None


def _shared_strings(pkg: Package, rels: dict[str, tuple[str, str]]) -> list[str | None]:
    """The shared strings by index, None for a blank one."""
    part = _part_of(pkg, rels, RT_SHARED_STRINGS,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml", "xl/sharedStrings.xml")
    if part is None:
        return []
    strings: list[str | None] = []
    for si in iter_xml(pkg.read(part), part, (SI,), pkg.limits.max_xml_depth):
        text = rich_text(si)
        if "x005F_" in text:
            text = text.replace("x005F_", "")
        strings.append(text if text.strip() else None)
    return strings


def _formats(pkg: Package, rels: dict[str, tuple[str, str]]) -> list[Format]:
    """The cell formats; none (every number General) when the workbook has no stylesheet. A stylesheet
    that cannot be read is a damaged file (PackageError), never a reason to misread its numbers."""
    part = _part_of(pkg, rels, RT_STYLES, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
                    "xl/styles.xml")
    return [] if part is None else cell_formats(pkg.xml(part))


def _unique(names: list[str], name: str) -> str:
    """A sheet name not already taken (case-insensitively): a number is added, as openpyxl did."""
    if not any(n.lower() == name.lower() for n in names):
        return name
    found = re.findall(f"(?P<title>{re.escape(name)})(?P<count>\\d*),?", ",".join(names), re.I)
    counts = [int(count) for _, count in found if count.isdigit()]
    return f"{name}{max(counts, default=0) + 1}"
