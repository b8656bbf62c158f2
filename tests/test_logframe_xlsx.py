"""logframe-matrix.xlsx: compiled through the CLI, read back with openpyxl and as raw XML.

Checks every indicator of plan.json against the workbook (All sheet and its
outcome's sheet: baseline, trend values, latest, targets), the Excel features
(tables with filters and a style, frozen panes, number formats, status
highlighting), the trend charts (one per indicator with three or more
values, none for fewer, titled and with alt text), formula injection from
hostile text, byte-identical output and a headless LibreOffice conversion.
"""

from __future__ import annotations

import io
import re
import subprocess
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from tests.conftest import REPO, compile_dir
from tests.fixtures.ooxml import xlsx_bytes

NAME = "logframe-matrix.xlsx"
SYSTEM_GEOGRAPHIES = {"kent and medway", "kent and medway (system-wide)"}
NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
      "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def compile_to(inputs: Path, tmp: Path) -> tuple[Path, dict]:
    tmp.mkdir(parents=True, exist_ok=True)
    _, plan = compile_dir(inputs, tmp)
    return tmp / "out", plan


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out, plan = compile_to(REPO / "inputs", tmp_path_factory.mktemp("sample"))
    return out, plan


def load(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def rows_by_id(ws) -> tuple[list[str], dict[str, dict]]:
    """The sheet's table as {id: {header: cell}}."""
    assert len(ws.tables) == 1, f"{ws.title}: {list(ws.tables)}"
    table = next(iter(ws.tables.values()))
    min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(table.ref)
    header = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    out = {}
    for r in range(min_row + 1, max_row + 1):
        cells = {h: ws.cell(r, c) for h, c in zip(header, range(min_col, max_col + 1))}
        out[cells["ID"].value] = cells
    return header, out


def shown(v: dict | None):
    if v is None:
        return None
    if v.get("value") is not None:
        return v["value"]
    return v.get("text") or v.get("mark") or None


def headline(ind: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for v in ind["values"]:
        geo = (v.get("geography") or "").casefold()
        if geo and geo not in SYSTEM_GEOGRAPHIES:
            continue
        old = out.get(v["period"])
        if old is None or (old["value"] is None and v["value"] is not None) or (old.get("geography") and not geo):
            out[v["period"]] = v
    return out


def outcome_sheet(wb, outcome_id: str):
    found = [ws for ws in wb.worksheets if ws.title.startswith(outcome_id + " ")]
    assert len(found) == 1, [ws.title for ws in wb.worksheets]
    return found[0]


def check_indicator_row(cells: dict, ind: dict, plan: dict) -> None:
    where = ind["id"]
    assert cells["Indicator"].value == ind["name"], where
    assert cells["Definition"].value == ind["definition"], where
    assert cells["Unit"].value == ind["unit"], where
    assert cells["Outcome"].value == (", ".join(ind["outcome_ids"]) or None), where
    assert cells["Baseline"].value == shown(ind["baseline"]), where
    assert cells["Baseline period"].value == (ind["baseline"]["period"] if ind["baseline"] else None), where
    assert cells["Latest"].value == shown(ind["latest"]), where
    assert cells["Latest period"].value == (ind["latest"]["period"] if ind["latest"] else None), where
    for t in ind["targets"]:
        assert cells[f"Target {t['period']}"].value == shown(t), (where, t)
    for period, v in headline(ind).items():
        assert cells[f"Trend {period}"].value == shown(v), (where, period)
    assert cells["Data source"].value == ind["data_source"], where
    assert cells["Status"].value == ind["status"], where
    assert cells["Rationale"].value == ind["rationale"], where
    assert cells["Actions"].value == (", ".join(ind["action_ids"]) or None), where
    owner = next((p["name"] for p in plan["partners"] if p["id"] == ind["owner_id"]), ind["owner_id"])
    assert cells["Owner"].value == owner, where


def numeric_count(ind: dict) -> int:
    return sum(1 for v in headline(ind).values() if v["value"] is not None)


def chart_titles(path: Path) -> list[str]:
    titles = []
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        for name in sorted(names, key=lambda n: int(re.search(r"\d+", n).group())):
            root = etree.fromstring(z.read(name))
            assert root.find(".//c:lineChart", NS) is not None, name
            titles.append("".join(root.xpath("./c:chart/c:title//a:t/text()", namespaces=NS)))
    return titles


def test_every_indicator_on_all_and_outcome_sheets(sample):
    out, plan = sample
    wb = load(out / NAME)
    assert wb.sheetnames[0] == "All indicators"
    assert "Trends" in wb.sheetnames
    _, all_rows = rows_by_id(wb["All indicators"])
    assert list(all_rows) == [i["id"] for i in plan["indicators"]]
    for ind in plan["indicators"]:
        check_indicator_row(all_rows[ind["id"]], ind, plan)
        for oid in ind["outcome_ids"]:
            _, rows = rows_by_id(outcome_sheet(wb, oid))
            assert ind["id"] in rows, (oid, ind["id"])
            check_indicator_row(rows[ind["id"]], ind, plan)
    for outcome in plan["outcomes"]:
        ws = outcome_sheet(wb, outcome["id"])
        assert len(ws.title) <= 31
        expected = [i["id"] for i in plan["indicators"] if outcome["id"] in i["outcome_ids"]]
        if expected:
            assert list(rows_by_id(ws)[1]) == expected


def test_trend_columns_are_every_period_sorted(sample):
    out, plan = sample
    header, _ = rows_by_id(load(out / NAME)["All indicators"])
    trend = [h[len("Trend "):] for h in header if h.startswith("Trend ")]
    periods = {p for i in plan["indicators"] for p in headline(i)}
    assert set(trend) == periods
    assert trend.index("2019/20") < trend.index("2022/23") < trend.index("2024/25")
    targets = [h for h in header if h.startswith("Target ")]
    assert targets == ["Target 2024/25", "Target 2025/26"]


def test_tables_filters_frozen_panes_formats_and_status(sample):
    out, plan = sample
    wb = load(out / NAME)
    indicator_sheets = [ws for ws in wb.worksheets if ws.title != "Trends"]
    names = set()
    for ws in indicator_sheets:
        if not ws.tables:
            continue
        table = next(iter(ws.tables.values()))
        names.add(table.displayName)
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref, ws.title
        assert table.tableStyleInfo is not None and table.tableStyleInfo.name, ws.title
        assert ws.freeze_panes == "B3", ws.title
        header, rows = rows_by_id(ws)
        status = header.index("Status") + 1
        letter = openpyxl.utils.get_column_letter(status)
        ranges = [str(cf.sqref) for cf in ws.conditional_formatting]
        assert any(r.startswith(letter) for r in ranges), (ws.title, ranges)
        rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
        texts = {rule.text for rule in rules}
        assert {"agreed", "in development", "awaiting"} <= texts, texts
        assert all(rule.dxf is not None and rule.dxf.fill is not None for rule in rules)
        for h in ("Indicator", "Definition"):
            assert ws.column_dimensions[openpyxl.utils.get_column_letter(header.index(h) + 1)].width >= 30
    assert len(names) == len([ws for ws in indicator_sheets if ws.tables]) >= 7

    _, rows = rows_by_id(wb["All indicators"])
    by_unit = {i["unit"]: i["id"] for i in plan["indicators"]}
    assert rows[by_unit["%"]]["Baseline"].number_format == '0.0"%"'
    count_id = next(i["id"] for i in plan["indicators"] if i["unit"] == "count" and i["baseline"])
    assert rows[count_id]["Baseline"].number_format == "#,##0"
    rate_id = next(i["id"] for i in plan["indicators"] if (i["unit"] or "").startswith("rate") and i["baseline"])
    assert rows[rate_id]["Baseline"].number_format == "0.0##"
    lf11 = rows["LF1.1"]
    assert lf11["Trend 2019/20"].value == 13.1 and lf11["Trend 2019/20"].number_format == '0.0"%"'


def test_a_line_chart_per_indicator_with_three_values(sample):
    out, plan = sample
    titles = chart_titles(out / NAME)
    charted = [i for i in plan["indicators"] if numeric_count(i) >= 3]
    assert charted and len(charted) < len(plan["indicators"])
    assert titles == [f"{i['id']} {i['name']}" for i in charted]
    uncharted = {i["id"] for i in plan["indicators"] if numeric_count(i) < 3}
    assert not [t for t in titles if t.split(" ")[0] in uncharted]
    with zipfile.ZipFile(out / NAME) as z:
        drawing = etree.fromstring(z.read("xl/drawings/drawing1.xml"))
    frames = drawing.findall(".//xdr:graphicFrame/xdr:nvGraphicFramePr/xdr:cNvPr", NS)
    assert len(frames) == len(charted)
    for el, ind in zip(frames, charted):
        assert el.get("title") == f"{ind['id']} {ind['name']}"
        assert el.get("descr", "").startswith(f"Line chart of {ind['id']} ")
    wb = load(out / NAME)
    assert wb["Trends"]["A3"].value == f"{charted[0]['id']} {charted[0]['name']}"


def test_the_workbook_prints(sample):
    """Every sheet prints landscape on A4, one page wide; indicator tables repeat their header row on every
    page; on Trends a row break falls between chart blocks, never inside one, so a chart stays with its data."""
    out, plan = sample
    wb = load(out / NAME)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        if ws.title != "Trends":
            assert ws.print_title_rows == "$2:$2", ws.title
    trends = wb["Trends"]
    # the chart blocks: each starts at a heading in column A naming a charted indicator
    charted = [i for i in plan["indicators"] if numeric_count(i) >= 3]
    labels = {f"{i['id']} {i['name']}" for i in charted}
    starts = [r for r in range(3, trends.max_row + 1) if trends.cell(r, 1).value in labels]
    assert len(starts) == len(charted) >= 3
    with zipfile.ZipFile(out / NAME) as z:
        drawing = etree.fromstring(z.read("xl/drawings/drawing1.xml"))
    anchors = [int(a.find("xdr:from/xdr:row", NS).text) + 1 for a in drawing.findall("xdr:oneCellAnchor", NS)
               + drawing.findall("xdr:twoCellAnchor", NS)]
    assert sorted(anchors) == starts  # each chart beside its own data block
    breaks = [b.id for b in trends.row_breaks.brk]
    assert breaks, "more charts than one page holds, yet no page break"
    assert all(b + 1 in starts for b in breaks)  # a page ends just before a block starts
    pages = [3] + [b + 1 for b in breaks] + [max(trends.max_row + 1, starts[-1] + 17)]
    for top, bottom in zip(pages, pages[1:]):
        assert bottom - top <= 34 or sum(1 for s in starts if top <= s < bottom) == 1


HOSTILE = {
    "name": '=HYPERLINK("http://x")',
    "definition": "+1",
    "data_source": "@SUM(A1)",
    "rationale": "-2+3",
    "owner": "=1+1",
}

FIXTURE_HEADER = ["Indicator ID", "Outcome", "Indicator", "Definition", "Unit", "Polarity", "Baseline",
                  "Baseline period", "2020/21", "2021/22", "2022/23", "Target 2025/26", "Data source", "Owner",
                  "Status", "Rationale"]


def hostile_inputs(tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "logframe.xlsx").write_bytes(xlsx_bytes({"Logframe": [
        FIXTURE_HEADER,
        ["LF1.1", "SO1", HOSTILE["name"], HOSTILE["definition"], "%", "Lower", 12.0, "2022/23", 14.0, 13.0, 12.0, 10,
         HOSTILE["data_source"], HOSTILE["owner"], "In development", HOSTILE["rationale"]],
        ["LF2.1", "SO2", "\tTabbed name", "@risk", "count", "Higher", 300, "2022/23", None, 290, 300, 350,
         "=cmd|' /C calc'!A0", "KCC", "Awaiting sign-off", "\rcarriage"],
    ]}))
    return inputs


def test_hostile_text_is_written_as_text(tmp_path):
    out, plan = compile_to(hostile_inputs(tmp_path), tmp_path / "run")
    lf11 = next(i for i in plan["indicators"] if i["id"] == "LF1.1")
    assert lf11["name"] == HOSTILE["name"] and lf11["definition"] == HOSTILE["definition"]
    with zipfile.ZipFile(out / NAME) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            root = etree.fromstring(z.read(name))
            assert root.find(".//s:f", NS) is None, f"a formula in {name}"
    wb = load(out / NAME)
    _, rows = rows_by_id(wb["All indicators"])
    for ind in plan["indicators"]:
        cells = rows[ind["id"]]
        for field, header in (("name", "Indicator"), ("definition", "Definition"), ("data_source", "Data source"),
                              ("rationale", "Rationale")):
            assert cells[header].value == ind[field], (ind["id"], field)
            assert cells[header].data_type == "s", (ind["id"], field)
    assert rows["LF1.1"]["Indicator"].value == '=HYPERLINK("http://x")'
    assert rows["LF1.1"]["Definition"].value == "+1"
    assert rows["LF1.1"]["Data source"].value == "@SUM(A1)"
    assert rows["LF2.1"]["Data source"].value.startswith("=cmd|")
    # three numeric values: a chart; two: none
    titles = chart_titles(out / NAME)
    assert titles == [f"LF1.1 {HOSTILE['name']}"]
    # an outcome with no indicators keeps its sheet, with a note and no (invalid, empty) table
    so3 = outcome_sheet(wb, "SO3")
    assert not so3.tables and "No indicators" in so3["A2"].value
    assert list(rows_by_id(outcome_sheet(wb, "SO1"))[1]) == ["LF1.1"]


def test_byte_identical_across_two_compiles(sample, tmp_path):
    first, _ = sample
    second, _ = compile_to(REPO / "inputs", tmp_path / "again")
    assert (first / NAME).read_bytes() == (second / NAME).read_bytes()
    with zipfile.ZipFile(first / NAME) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and "logframe matrix" in core


def test_libreoffice_converts_to_pdf(sample, tmp_path):
    from tests.tools import soffice as find_soffice

    soffice = find_soffice("calc")
    out, _ = sample
    src = tmp_path / NAME
    src.write_bytes((out / NAME).read_bytes())
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "logframe-matrix.pdf"
    assert proc.returncode == 0, proc.stderr
    assert pdf.exists() and pdf.stat().st_size > 10_000, proc.stdout + proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_workbook_reads_back_without_repair_warnings(sample):
    out, _ = sample
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wb = openpyxl.load_workbook(io.BytesIO((out / NAME).read_bytes()))
    assert wb.properties.creator == "sdp"
    assert wb.properties.title and "logframe matrix" in wb.properties.title
