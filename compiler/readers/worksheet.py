"""One worksheet part -> a Grid of the cells it stores, read with lxml as it streams.

Rows are read as they end and then freed, so a large sheet never becomes one tree. A cell's value
is its stored one: a formula's cached value (a formula without one is listed, so the caller can
report it; nothing is evaluated), a shared or inline string, a number (a date or duration when its
format says so), a boolean, an error code. A merged range keeps only its top-left cell, as Excel
shows it; a vertically merged value belongs to every row it spans (in its own column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import NamedTuple

from ..ooxml.namespaces import S
from ..ooxml.package import Package, PackageError, iter_xml, refuse_oversized_sheet
from .numfmt import GENERAL, Format, from_excel, from_iso8601

_NS = f"{{{S}}}"
ROW, C, V, F, IS, T, R = (_NS + t for t in ("row", "c", "v", "f", "is", "t", "r"))
MERGE, COL, AUTO_FILTER = _NS + "mergeCell", _NS + "col", _NS + "autoFilter"
DIGITS = "0123456789"
VERTICAL_SPREAD_ROWS = 10_000  # a merge taller than this is a producer's mistake, not a heading


_new_cell = tuple.__new__  # a Cell without the keyword handling of its __new__ (cells are many)


class Cell(NamedTuple):
    """One stored, non-blank cell: its value, where it is, and whether its format shows a percentage."""

    value: object
    coordinate: str
    percent: bool = False
    column: int = 0  # 1-based column number (that of the coordinate)


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


@dataclass
class Book:
    """What every sheet of a workbook reads its cells with."""

    strings: list[str | None]  # shared strings by index; None for a blank one (its cells are skipped)
    formats: list[Format]
    date1904: bool = False


_LETTERS: list[str] = [""]
_NUMBERS: dict[str, int] = {}


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA (columns beyond XFD included, as producers sometimes write them)."""
    while len(_LETTERS) <= n:
        i, letters = len(_LETTERS), ""
        while i:
            i, rem = divmod(i - 1, 26)
            letters = chr(65 + rem) + letters
        _NUMBERS[letters] = len(_LETTERS)
        _LETTERS.append(letters)
    return _LETTERS[n]


def column_number(letters: str) -> int | None:
    """A -> 1; None unless one to three capital letters."""
    n = _NUMBERS.get(letters)
    if n is None and 0 < len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper():
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        column_letter(n)
    return n


def _reference(ref: str) -> tuple[int, int] | None:
    """'B12' -> (12, 2); None for anything else."""
    letters = ref.rstrip(DIGITS)
    digits = ref[len(letters):]
    col = column_number(letters)
    if col is None or not digits or not digits.isascii():
        return None
    return int(digits), col


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """'A1:C2' (or 'A1') -> (min_row, min_col, max_row, max_col)."""
    first, _, last = ref.replace("$", "").partition(":")
    a, b = _reference(first.strip()), _reference((last or first).strip())
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def rich_text(node) -> str:
    """A string item's text (<si> or <is>): its <t>, then each run's <t>; phonetic runs left out."""
    plain = None
    runs = []
    for ch in node:
        tag = ch.tag
        if tag == T:
            plain = ch.text
        elif tag == R:
            text = None
            for g in ch:
                if g.tag == T:
                    text = g.text
            if text is not None:
                runs.append(text)
    if not runs:
        return plain or ""
    return (plain or "") + "".join(runs)


class _SheetReader:
    """The state of one sheet's stream."""

    def __init__(self, book: Book, part: str):
        self.book, self.part = book, part
        self.strings, self.formats = book.strings, book.formats
        self.rows: dict[int, dict[int, Cell]] = {}
        self.uncached: list[str] = []
        self.row = 0

    def read_row(self, row) -> None:
        number = row.get("r")
        if number is None or not number.isdigit():
            self.row = _row_number(number, self.row)
        else:
            self.row = int(number)
        here = self.row
        col = 0
        cells = self.rows.get(here)
        if cells is None:
            cells = self.rows[here] = {}
        strings = self.strings
        for c in row:
            if c.tag != C:
                continue
            # where: the cell's own reference (its row may differ from the row's), else next to the last
            ref = c.get("r")
            r, coordinate = here, None
            if ref is not None:
                letters = ref.rstrip(DIGITS)
                n = _NUMBERS.get(letters) or column_number(letters)
                digits = ref[len(letters):]
                if n and digits:
                    col = n
                    if digits != number:
                        r = int(digits)
                    if digits[0] != "0":
                        coordinate = ref
                else:
                    col += 1
            else:
                col += 1
            v = None
            seen_v = formula = False
            inline = None
            for ch in c:
                tag = ch.tag
                if tag == V:
                    if not seen_v:
                        v, seen_v = ch.text, True
                elif tag == F:
                    formula = True
                elif tag == IS:
                    inline = ch
            if formula and not v:
                self.uncached.append(ref or "?")
            t = c.get("t")
            if coordinate is None:
                coordinate = f"{column_letter(col)}{r}"
            if t == "s" and v:  # a shared string, by far the most common cell: the short way
                try:
                    value = strings[int(v)] if v[0] != "-" else None
                except (ValueError, IndexError):
                    value = None
                if value is None:
                    value = self._shared(v, ref)
                    if value is None:
                        continue  # blank
                cell = _new_cell(Cell, (value, coordinate, False, col))
            else:
                fmt = GENERAL
                if t == "inlineStr":
                    if inline is None:
                        continue
                    value = rich_text(inline)
                elif not v:
                    continue
                else:
                    s = c.get("s")
                    if s is not None and s != "0":
                        try:
                            fmt = self.formats[int(s)]
                        except (ValueError, IndexError):
                            pass
                    value = self._value(t, v, fmt)
                if value.__class__ is str:
                    if not value.strip():  # type: ignore[attr-defined]
                        continue
                    cell = _new_cell(Cell, (value, coordinate, False, col))
                elif fmt is GENERAL:
                    cell = _new_cell(Cell, (value if isinstance(value, (int, float, str)) else _plain(value),
                                            coordinate, False, col))
                else:
                    cell = _formatted(value, fmt, coordinate, col)
            if r == here:
                cells[col] = cell
            else:
                self.rows.setdefault(r, {})[col] = cell

    def _shared(self, v: str, ref: str | None) -> str | None:
        """Shared string `v` (None when blank); PackageError when the workbook has no such string."""
        try:
            index = int(v)
            if index < 0:
                raise IndexError(index)
            return self.strings[index]
        except (ValueError, IndexError):
            raise PackageError(f"cell {ref or '?'} of part '{self.part}' refers to shared string {v.strip()[:20]}, "
                               f"but the workbook has {len(self.strings)}: the file is damaged; "
                               "open it in Excel and save it again") from None

    def _value(self, t: str | None, v: str, fmt: Format) -> object:
        if t is None or t == "n":
            try:
                number: float = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
            except ValueError:
                return v  # not a number: kept as the text it is
            if fmt.date:
                try:
                    return from_excel(number, self.book.date1904, fmt.duration)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if t == "s":
            return self._shared(v, None) or ""
        if t == "b":
            try:
                return bool(int(v))
            except ValueError:
                return v
        if t == "d":
            try:
                return from_iso8601(v)
            except (ValueError, TypeError):
                return v
        return v  # str (a formula's text result), e (an error code such as #N/A), or unknown: the text


def _plain(value: object) -> object:
    """A value as a Cell holds it: numbers, text, booleans, dates and times as they are; anything else
    (a duration) as its text."""
    return value if isinstance(value, (int, float, str, date, time)) else str(value)


def _formatted(value: object, fmt: Format, coordinate: str, col: int) -> Cell:
    if isinstance(value, date) and not fmt.day:
        value = f"{value:%B %Y}"  # a month-only date (Mar-25) means the month, not its first day
    else:
        value = _plain(value)
    percent = fmt.percent and isinstance(value, (int, float))
    return Cell(value, coordinate, percent, col)


def _row_number(text: str | None, last: int) -> int:
    """A row's number: its r (written 5.0 by some producers), else the one after the last."""
    try:
        return int(float(text)) if text is not None and float(text).is_integer() else last + 1
    except ValueError:
        return last + 1


def read_sheet(pkg: Package, name: str, part: str, book: Book, *, hidden: bool = False) -> Grid:
    """The Grid of one worksheet part; PackageError when it cannot be read or is over the limits."""
    data = pkg.read(part)
    refuse_oversized_sheet(part, data, pkg.limits)
    reader = _SheetReader(book, part)
    merged: dict[tuple[int, int, int, int], None] = {}  # in the part's order, each range once
    hidden_columns: dict[str, bool] = {}
    auto_filter = None
    for el in iter_xml(data, part, (ROW, MERGE, COL, AUTO_FILTER), pkg.limits.max_xml_depth):
        tag = el.tag
        if tag == ROW:
            reader.read_row(el)
        elif tag == MERGE:
            box = _range(el.get("ref") or "")
            if box is not None:
                merged[box] = None
        elif tag == COL:
            first = el.get("min")
            if first and first.isdigit():
                hidden_columns[column_letter(int(first))] = el.get("hidden", "") not in ("", "false", "f", "0")
        elif tag == AUTO_FILTER:
            auto_filter = el.get("ref") or None
    del data
    rows = reader.rows
    if sum(len(cells) for cells in rows.values()) > pkg.limits.max_sheet_cells:
        raise PackageError(f"sheet '{name}' holds over {pkg.limits.max_sheet_cells:,} cells, the limit in rules/limits.toml")
    if merged:
        _merge(rows, list(merged))
    return Grid(
        name=name,
        rows=[(r, [cells[c] for c in sorted(cells)]) for r, cells in sorted(rows.items()) if cells],
        merged=list(merged), hidden_columns=[k for k, v in hidden_columns.items() if v], hidden=hidden,
        uncached_formulas=reader.uncached, auto_filter=auto_filter)


def _merge(rows: dict[int, dict[int, Cell]], merged: list[tuple[int, int, int, int]]) -> None:
    """Keep each merged range's top-left cell only, as Excel shows it; then give a vertically merged
    value to every row it spans, in its own column."""
    for min_row, min_col, max_row, max_col in merged:
        for r in range(min_row, max_row + 1):
            cells = rows.get(r)
            if not cells:
                continue
            if max_col - min_col < len(cells):
                for c in range(min_col, max_col + 1):
                    if (r, c) != (min_row, min_col):
                        cells.pop(c, None)
            else:
                for c in [c for c in cells if min_col <= c <= max_col and (r, c) != (min_row, min_col)]:
                    del cells[c]
    for min_row, min_col, max_row, _ in merged:
        if 0 < max_row - min_row < VERTICAL_SPREAD_ROWS:
            top = rows.get(min_row, {}).get(min_col)
            if top is not None:
                for r in range(min_row + 1, max_row + 1):
                    rows.setdefault(r, {})[min_col] = top._replace(coordinate=f"{column_letter(min_col)}{r}")
