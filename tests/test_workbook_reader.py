"""The workbook reader (compiler/readers/workbook.py, worksheet.py, numfmt.py) at the level of the
Grids it gives: what each kind of cell reads as, merges, sheets, the 1900 and 1904 date systems,
damaged parts, streaming of large parts, and that reading needs no openpyxl.

The behaviour through the whole compiler (logframes, trackers, registers, updates) is in
test_excel_variations.py; these tests pin what the reader hands to it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.ooxml import package
from compiler.ooxml.package import PackageError, main_content_kind, open_package
from compiler.readers import read_submission
from compiler.readers.workbook import Grid, read_workbook
from compiler.ruleset import load_rules
from compiler.vocabulary import Vocabulary
from tests.fixtures.ooxml import R_NS, S_NS, E, F, N, Rich, xlsx_bytes
from tests.robustness.hostile import parts_of, replace_part

REPO = Path(__file__).resolve().parents[1]
RULES = load_rules(REPO / "rules")
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def grids_of(data: bytes) -> list[Grid]:
    pkg = open_package(data, RULES.limits, "Excel")
    kind, main = main_content_kind(pkg)
    assert kind == "excel"
    return read_workbook(pkg, main)


def cells(grid: Grid) -> dict[str, tuple[object, bool]]:
    """coordinate -> (value, percent), checking that each cell's column number matches its coordinate."""
    out = {}
    for r, row in grid.rows:
        for c in row:
            assert c.coordinate.endswith(str(r)) and c.coordinate.rstrip("0123456789") == _letters(c.column)
            out[c.coordinate] = (c.value, c.percent)
    return out


def _letters(n: int) -> str:
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def part(data: bytes, name: str) -> str:
    return dict(parts_of(data))[name].decode()


def sheet_with(rows_xml: str, extra: str = "") -> str:
    return (XML + f'<worksheet xmlns="{S_NS}" xmlns:r="{R_NS}"><sheetData>{rows_xml}</sheetData>{extra}</worksheet>')


# --- what each kind of cell reads as ------------------------------------------------------------------


def test_numbers_dates_durations_and_percentages_by_their_format():
    book = xlsx_bytes({"S": [[
        N(0.45, "0%"), N(0.125, '0.0%;[Red]-0.0%'), N(12, '0"%"'), N(1234.5, "#,##0.0"),
        dt.date(2025, 3, 14), N(dt.date(2025, 3, 1), "mmm-yy"), N(dt.date(2025, 3, 1), "mmmm yyyy"),
        N(1.5, "[h]:mm"), N(0.5, "h:mm"), N(59, "dd/mm/yyyy"), N(61, "dd/mm/yyyy"), 7, 2.5,
    ]]})
    got = cells(grids_of(book)[0])
    assert got == {
        "A1": (0.45, True), "B1": (0.125, True), "C1": (12, False), "D1": (1234.5, False),
        "E1": (dt.datetime(2025, 3, 14), False),
        "F1": ("March 2025", False), "G1": ("March 2025", False),  # a month-only date means the month
        "H1": ("1 day, 12:00:00", False),  # a duration, as its text
        "I1": (dt.time(12, 0), False),
        "J1": (dt.datetime(1900, 2, 28), False), "K1": (dt.datetime(1900, 3, 1), False),  # Lotus's 29 February 1900
        "L1": (7, False), "M1": (2.5, False),
    }
    assert type(got["L1"][0]) is int


def test_1904_date_system():
    book = xlsx_bytes({"S": [[dt.date(2025, 3, 14), N(0.5, "h:mm")]]})
    wb = part(book, "xl/workbook.xml").replace("<bookViews>", '<workbookPr date1904="1"/><bookViews>')
    got = cells(grids_of(replace_part(book, "xl/workbook.xml", wb))[0])
    # the serial written for 14 March 2025 in the 1900 system is 4 years and a day later in the 1904 one
    assert got == {"A1": (dt.datetime(2029, 3, 15), False), "B1": (dt.time(12, 0), False)}


def test_strings_booleans_errors_and_formula_results():
    for shared in (True, False):
        book = xlsx_bytes({"S": [["plain", Rich((("Bold", True), (" and not", False))), True, False, E("#N/A"),
                                  F("A1&\"!\"", cached="plain!"), F("1+1", cached=2), "  ", "x & <y>"]]},
                          shared_strings=shared)
        got = cells(grids_of(book)[0])
        assert got == {"A1": ("plain", False), "B1": ("Bold and not", False), "C1": (True, False),
                       "D1": (False, False), "E1": ("#N/A", False), "F1": ("plain!", False), "G1": (2, False),
                       "I1": ("x & <y>", False)}, shared  # H1, blank, is no cell


def test_shared_strings_without_phonetic_runs_and_with_escaped_underscores():
    book = xlsx_bytes({"S": [["one", "two"]]})
    sst = (XML + f'<sst xmlns="{S_NS}" count="2" uniqueCount="2">'
           '<si><r><t>Kanji</t></r><r><rPr><b/></rPr><t xml:space="preserve"> text</t></r>'
           '<rPh sb="0" eb="1"><t>phonetic</t></rPh></si>'
           "<si><t>a_x005F_x000D_b</t></si></sst>")
    got = cells(grids_of(replace_part(book, "xl/sharedStrings.xml", sst))[0])
    assert got == {"A1": ("Kanji text", False), "B1": ("a_x000D_b", False)}


def test_iso_date_cells():
    sheet = sheet_with('<row r="1"><c r="A1" t="d"><v>2024-03-31T10:30:00</v></c><c r="B1" t="d"><v>2024-03-31</v></c>'
                       '<c r="C1" t="d"><v>not a date</v></c></row>')
    got = cells(grids_of(replace_part(xlsx_bytes({"S": [["x"]]}), "xl/worksheets/sheet1.xml", sheet))[0])
    assert got == {"A1": (dt.datetime(2024, 3, 31, 10, 30), False), "B1": (dt.date(2024, 3, 31), False),
                   "C1": ("not a date", False)}


def test_formulas_without_cached_values_are_listed():
    book = xlsx_bytes({"S": [["ID", "Value"], ["A", F("1+1")], ["B", F("2+2", cached=4)], ["C", F("B2*2")]]})
    grid = grids_of(book)[0]
    assert grid.uncached_formulas == ["B2", "B4"]
    assert "B2" not in cells(grid) and cells(grid)["B3"] == (4, False)


def test_cells_and_rows_without_references():
    sheet = sheet_with('<row><c t="inlineStr"><is><t>a</t></is></c><c/><c><v>3</v></c></row>'
                       '<row><c r="B2"><v>1</v></c><c><v>2</v></c></row><row r="5"><c><v>5</v></c></row>'
                       '<row r="7"><c r="B8"><v>8</v></c></row>')  # a cell's own reference wins over its row's
    got = cells(grids_of(replace_part(xlsx_bytes({"S": [["x"]]}), "xl/worksheets/sheet1.xml", sheet))[0])
    assert got == {"A1": ("a", False), "C1": (3, False), "B2": (1, False), "C2": (2, False), "A5": (5, False),
                   "B8": (8, False)}


# --- merged cells ---------------------------------------------------------------------------------------


def test_merged_ranges_keep_the_top_left_cell_and_spread_it_down():
    book = xlsx_bytes({"S": [["Group", "stray", "stray", "x"],
                             [N(0.5, "0%"), "b2", None, None],
                             ["stray", "b3", None, None],
                             [None, "b4", None, None]]},
                      merges={"S": ["A1:C1", "A2:A4"]})
    grid = grids_of(book)[0]
    assert grid.merged == [(1, 1, 1, 3), (2, 1, 4, 1)]
    got = cells(grid)
    assert {k: v for k, v in got.items() if k.endswith("1")} == {"A1": ("Group", False), "D1": ("x", False)}
    # a vertically merged value belongs to every row it spans, shown as in its top cell
    assert [got[f"A{r}"] for r in (2, 3, 4)] == [(0.5, True)] * 3


# --- sheets ------------------------------------------------------------------------------------------


def test_sheets_in_order_with_states_and_unique_names():
    book = xlsx_bytes({"Zeta": [["z"]], "Alpha": [["a"]], "Data": [["d"]], "data": [["e"]]}, hidden_sheets=["Alpha"])
    grids = grids_of(book)
    assert [(g.name, g.hidden) for g in grids] == [("Zeta", False), ("Alpha", True), ("Data", False), ("data1", False)]


def test_chart_sheets_are_left_out():
    book = xlsx_bytes({"Data": [["d"]]})
    wb = part(book, "xl/workbook.xml").replace("</sheets>", '<sheet name="Chart" sheetId="9" r:id="rIdChart"/></sheets>')
    rels = part(book, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>", f'<Relationship Id="rIdChart" Type="{R_NS}/chartsheet" Target="chartsheets/sheet1.xml"/>'
        "</Relationships>")
    chart = XML + f'<chartsheet xmlns="{S_NS}"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>'
    book = replace_part(replace_part(replace_part(book, "xl/workbook.xml", wb), "xl/_rels/workbook.xml.rels", rels),
                        "xl/chartsheets/sheet1.xml", chart)
    assert [g.name for g in grids_of(book)] == ["Data"]


def test_hidden_columns_and_auto_filter():
    book = xlsx_bytes({"S": [["a", "b", "c"]]}, hidden_cols={"S": ["B"]}, autofilter={"S": "A1:C1"})
    grid = grids_of(book)[0]
    assert (grid.hidden_columns, grid.auto_filter) == (["B"], "A1:C1")


# --- damaged parts are reported, never misread --------------------------------------------------------


def _read(data: bytes):
    return read_submission("book.xlsx", data, Vocabulary(RULES))


def _i001(data: bytes) -> str:
    rec = _read(data)
    found = [d.message for d in rec.diagnostics if d.code == "I001"]
    assert len(found) == 1 and not rec.readable, [d.message for d in rec.diagnostics]
    return found[0]


def test_reference_to_a_missing_shared_string_is_i001():
    book = xlsx_bytes({"S": [["a", "b"]]})
    sheet = part(book, "xl/worksheets/sheet1.xml").replace("<v>1</v>", "<v>7</v>")
    assert "refers to shared string 7, but the workbook has 2" in _i001(replace_part(book, "xl/worksheets/sheet1.xml", sheet))


def test_unreadable_stylesheet_is_i001_and_a_missing_one_leaves_numbers_general():
    book = xlsx_bytes({"S": [[N(0.5, "0%"), dt.date(2025, 3, 14)]]})
    assert "xl/styles.xml" in _i001(replace_part(book, "xl/styles.xml", XML + f'<styleSheet xmlns="{S_NS}"><cellXfs>'))
    rels = part(book, "xl/_rels/workbook.xml.rels")
    rels = rels.replace(f'<Relationship Id="rId2" Type="{R_NS}/styles" Target="styles.xml"/>', "")
    bare = replace_part(replace_part(book, "xl/styles.xml", None), "xl/_rels/workbook.xml.rels", rels)
    assert cells(grids_of(bare)[0]) == {"A1": (0.5, False), "B1": (45730, False)}


def test_binary_workbook_under_an_xlsx_name_is_named():
    book = xlsx_bytes({"S": [["a"]]})
    ct = part(book, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.binary.macroEnabled.main")
    assert ".xlsb" in _i001(replace_part(book, "[Content_Types].xml", ct))


# --- large parts and imports ---------------------------------------------------------------------------


def test_streamed_parts_read_as_whole_ones(monkeypatch):
    """Parts over package.STREAM_ABOVE are streamed and freed row by row: the same grids."""
    book = xlsx_bytes({"S": [["ID", "Value", "When"]] + [[f"X{i}", N(i / 100, "0%"), dt.date(2024, 1, 1 + i % 28)]
                                                        for i in range(300)] + [["Merged"], [None]],
                       "T": [["t", F("1+1")]]}, merges={"S": ["A302:A303"]})
    whole = grids_of(book)
    monkeypatch.setattr(package, "STREAM_ABOVE", 0)
    streamed = grids_of(book)
    assert streamed == whole
    assert cells(whole[0])["A303"] == ("Merged", False) and whole[1].uncached_formulas == ["B1"]


def test_streamed_elements_are_freed_as_read(monkeypatch):
    """A streamed part keeps, of the elements already read, only the last one, emptied."""
    monkeypatch.setattr(package, "STREAM_ABOVE", 0)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 1001))
    kept = []
    for row in package.iter_xml(sheet_with(rows).encode(), "sheet.xml", (f"{{{S_NS}}}row",), 256):
        before = row.getprevious()
        kept.append(0 if before is None else 1 + len(before) + (before.getprevious() is not None))
    assert len(kept) == 1000 and max(kept) == 1


def test_reading_a_workbook_does_not_import_openpyxl(tmp_path):
    (tmp_path / "book.xlsx").write_bytes(xlsx_bytes({"Logframe": [["Indicator ID", "Indicator", "Baseline"],
                                                                  ["LF1", "Smoking", N(0.1, "0%")]]}))
    code = ("import sys; from pathlib import Path; from compiler.readers import read_submission; "
            "from compiler.ruleset import load_rules; from compiler.vocabulary import Vocabulary; "
            f"rec = read_submission('book.xlsx', Path({str(tmp_path / 'book.xlsx')!r}).read_bytes(), "
            f"Vocabulary(load_rules(Path({str(REPO / 'rules')!r})))); "
            "assert rec.readable and rec.indicators, rec.diagnostics; "
            "assert 'openpyxl' not in sys.modules, 'openpyxl imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


@pytest.mark.parametrize("strict", [False, True], ids=["transitional", "strict"])
def test_strict_workbooks_read_as_transitional(strict):
    book = xlsx_bytes({"S": [["a", N(0.5, "0%"), dt.date(2025, 3, 14)]]}, merges={"S": ["A1:A2"]}, strict=strict)
    grid = grids_of(book)[0]
    assert cells(grid) == {"A1": ("a", False), "B1": (0.5, True), "C1": (dt.datetime(2025, 3, 14), False),
                           "A2": ("a", False)}
