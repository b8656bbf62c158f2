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
from ..ooxml.package import Package, PackageError, iter_xml, parse_xml
from .numfmt import Format, cell_formats
from .worksheet import Book, Cell, Grid, column_letter, read_sheet, rich_text

__all__ = ["Cell", "Grid", "column_letter", "read_workbook"]

RT_WORKSHEET_KINDS = ("/worksheet", "/dialogsheet", "/xlMacrosheet", "/xlIntlMacrosheet")
RT_SHARED_STRINGS = R + "/sharedStrings"
RT_STYLES = R + "/styles"
RT_CHARTSHEET = R + "/chartsheet"
SI = f"{{{S}}}si"
_STYLES_CACHE: dict[bytes, list[Format]] = {}  # styles part bytes -> its cell formats (producers repeat one stylesheet)


def read_workbook(pkg: Package, main: str) -> list[Grid]:
    """Every worksheet as a Grid, in the workbook's order; raises PackageError with the cause in plain words."""
    root = pkg.xml(main)
    rels = {rid: (rtype, target) for rid, rtype, target, mode in pkg.rels(main) if mode != "External"}
    props = root.find(f"{{{S}}}workbookPr")
    date1904 = props is not None and props.get("date1904", "false") not in ("", "false", "f", "0")
    sheets = []
    listed = 0
    for sheet in root.iterfind(f"{{{S}}}sheets/{{{S}}}sheet"):
        rel = rels.get(sheet.get(f"{{{R}}}id", ""))
        if rel is None:
            continue
        listed += 1
        rtype, target = rel
        if rtype == RT_CHARTSHEET or "chartsheet" in rtype or not pkg.has(target):
            continue
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


def _shared_strings(pkg: Package, rels: dict[str, tuple[str, str]]) -> list[str]:
    part = _part_of(pkg, rels, RT_SHARED_STRINGS,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml", "xl/sharedStrings.xml")
    if part is None:
        return []
    strings = []
    for si in iter_xml(pkg.read(part), part, (SI,), pkg.limits.max_xml_depth):
        text = rich_text(si)
        strings.append(text.replace("x005F_", "") if "x005F_" in text else text)
    return strings


def _formats(pkg: Package, rels: dict[str, tuple[str, str]]) -> list[Format]:
    """The cell formats; none (every number General) when the stylesheet is missing or unreadable:
    the values matter more than their formatting."""
    part = _part_of(pkg, rels, RT_STYLES, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
                    "xl/styles.xml")
    if part is None:
        return []
    try:
        data = pkg.read(part)
        formats = _STYLES_CACHE.get(data)
        if formats is None:
            formats = cell_formats(parse_xml(data, part, pkg.limits.max_xml_depth))
            if len(_STYLES_CACHE) > 64:
                _STYLES_CACHE.clear()
            _STYLES_CACHE[data] = formats
        return formats
    except PackageError:
        return []


def _unique(names: list[str], name: str) -> str:
    """A sheet name not already taken (case-insensitively): a number is added, as openpyxl did."""
    if not any(n.lower() == name.lower() for n in names):
        return name
    found = re.findall(f"(?P<title>{re.escape(name)})(?P<count>\\d*),?", ",".join(names), re.I)
    counts = [int(count) for _, count in found if count.isdigit()]
    return f"{name}{max(counts, default=0) + 1}"
