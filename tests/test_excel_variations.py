"""Excel readers: one test per variation of input-formats.md §2–5.

Logframe matrices, action trackers, strategy registers and data updates are
built from raw SpreadsheetML (tests/fixtures/ooxml.py), compiled through the
CLI, and checked on plan.json. `compile_dir` also checks the accounting
invariant and the JSON Schema on every plan.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import compile_dir
from tests.fixtures.ooxml import Cell, E, F, N, Rich, xlsx_bytes

HEADER = ["Indicator ID", "Outcome", "Indicator", "Unit", "Polarity", "Baseline", "Baseline period",
          "Target 2025/26", "Data source", "Owner"]
ROW1 = ["LF1.1", "SO1", "Good level of development at age 5", "%", "Higher", 65.2, "2022/23", 68, "DfE EYFSP", "KCC"]
ROW3 = ["LF3.1", "SO3", "Smoking prevalence in adults", "%", "Lower", 12.9, "2022/23", 11, "APS", "KCC"]
ROW5 = ["LF5.1", "SO5", "A&E attendances seen within 4 hours", "%", "Higher", 71.0, "2022/23", 78, "NHSE", "ICB"]


def compile_books(tmp_path: Path, books: dict[str, bytes]) -> dict:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, data in books.items():
        (inputs / name).write_bytes(data)
    _, plan = compile_dir(inputs, tmp_path)
    return plan


def indicator(plan: dict, ident: str) -> dict:
    found = [i for i in plan["indicators"] if i["id"] == ident]
    assert len(found) == 1, f"indicator {ident}: {[i['id'] for i in plan['indicators']]}"
    return found[0]


def action(plan: dict, ident: str) -> dict:
    found = [a for a in plan["actions"] if a["id"] == ident]
    assert len(found) == 1, f"action {ident}: {[a['id'] for a in plan['actions']]}"
    return found[0]


def diags(plan: dict, code: str) -> list[dict]:
    return [d for d in plan["diagnostics"] if d["code"] == code]


def value_at(ind: dict, period: str, geography=None):
    vals = [v["value"] for v in ind["values"] if v["period"] == period and v.get("geography") == geography]
    assert len(vals) <= 1, ind["values"]
    return vals[0] if vals else None


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


# ---------------------------------------------------------------------------
# logframe detection
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("shared_strings", [True, False], ids=["shared-strings", "inline-strings"])
def test_logframe_sheet_detected(tmp_path, shared_strings):
    book = xlsx_bytes({
        "Glossary": [["Indicator", "Meaning"], ["Healthy life expectancy", "Years lived in good health"]],
        "Logframe": [HEADER, ROW1, ROW3],
    }, shared_strings=shared_strings)
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF1.1", "LF3.1"]
    assert not [i for i in plan["indicators"] if "Healthy life expectancy" in i["name"]]
    ind = indicator(plan, "LF1.1")
    assert ind["name"] == "Good level of development at age 5"
    assert ind["outcome_ids"] == ["SO1"]
    assert ind["unit"] == "%"
    assert ind["polarity"] == "higher"
    assert ind["baseline"] == {"value": 65.2, "period": "2022/23"}
    assert ind["targets"] == [{"period": "2025/26", "value": 68}]
    assert ind["data_source"] == "DfE EYFSP"
    assert ind["owner_id"] == "kcc"
    assert indicator(plan, "LF3.1")["polarity"] == "lower"
    assert ind["source"]["path"] == "logframe.xlsx" and ind["source"]["sheet"] == "Logframe"


def test_header_below_title_block(tmp_path):
    book = xlsx_bytes({"Logframe": [
        ["Kent and Medway Shared Delivery Plan \u2013 logframe matrix"],
        ["Version 3, October 2024. Owner: KCC Public Health analysts"],
        [],
        HEADER, ROW1, ROW5,
    ]}, merges={"Logframe": ["A1:J1", "A2:J2"]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF1.1", "LF5.1"]
    assert indicator(plan, "LF5.1")["baseline"] == {"value": 71.0, "period": "2022/23"}
    assert indicator(plan, "LF5.1")["source"]["sheet"] == "Logframe"
    assert not [i for i in plan["indicators"] if "Version 3" in i["name"] or "logframe matrix" in i["name"]]


def test_two_row_merged_header(tmp_path):
    book = xlsx_bytes({"Logframe": [
        ["Indicator ID", "Outcome", "Indicator", "Baseline", None, "Targets", None, "Trend", None, "Data source"],
        [None, None, None, "Value", "Period", "2024/25", "2025/26", "2020/21", "2021/22", None],
        ["LF3.1", "SO3", "Smoking prevalence in adults", 12.9, "2022/23", 12, 11, 13.8, 13.2, "APS"],
    ]}, merges={"Logframe": ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1", "H1:I1", "J1:J2"]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF3.1")
    assert ind["baseline"] == {"value": 12.9, "period": "2022/23"}
    assert ind["targets"] == [{"period": "2024/25", "value": 12}, {"period": "2025/26", "value": 11}]
    assert value_at(ind, "2020/21") == 13.8 and value_at(ind, "2021/22") == 13.2
    assert ind["data_source"] == "APS"


def test_header_synonyms_any_order(tmp_path):
    header = ["Data source", "Good is", "Measure", "Measure ID", "Shared outcome", "Baseline value", "Baseline year",
              "Ambition", "Lead analyst", "Why this measure", "Update frequency"]
    row = ["APS", "Lower", "Smoking prevalence in adults", "LF3.1", "Outcome 3", 12.9, "2022/23", "11%", "KCC",
           "Smoking is the largest preventable cause of death", "Annual"]
    plan = compile_books(tmp_path, {"logframe.xlsx": xlsx_bytes({"Measures": [header, row]})})
    ind = indicator(plan, "LF3.1")
    assert ind["name"] == "Smoking prevalence in adults" and ind["outcome_ids"] == ["SO3"]
    assert ind["polarity"] == "lower" and ind["data_source"] == "APS" and ind["owner_id"] == "kcc"
    assert ind["baseline"] == {"value": 12.9, "period": "2022/23"}
    assert [t["value"] for t in ind["targets"]] == [11]
    assert (ind["frequency"] or "").lower() == "annual"
    assert "largest preventable cause" in dump(ind)


def test_header_cells_with_asides_line_breaks_and_marks(tmp_path):
    header = ["Indicator ID ", "Shared\noutcome", "Indicator\nname", "Baseline (latest available)", "Baseline year",
              "Target(s) 2025/26", "Data source*"]
    row = ["LF5.1", "SO5", "A&E within 4 hours", 71.0, "2022/23", 78, "NHSE"]
    plan = compile_books(tmp_path, {"logframe.xlsx": xlsx_bytes({"Logframe": [header, row]})})
    ind = indicator(plan, "LF5.1")
    assert ind["name"] == "A&E within 4 hours" and ind["outcome_ids"] == ["SO5"]
    assert ind["baseline"] == {"value": 71.0, "period": "2022/23"}
    assert ind["targets"] == [{"period": "2025/26", "value": 78}]
    assert ind["data_source"] == "NHSE"


def test_merged_outcome_cell_belongs_to_every_row(tmp_path):
    book = xlsx_bytes({"Logframe": [
        ["Outcome", "Indicator ID", "Indicator", "Baseline", "Baseline period", "Data source"],
        ["SO3", "LF3.1", "Smoking prevalence", 12.9, "2022/23", "APS"],
        [None, "LF3.2", "Physically active adults", 67.0, "2022/23", "Active Lives"],
        [None, "LF3.3", "Alcohol-related admissions", 480, "2022/23", "OHID"],
        ["SO5", "LF5.1", "A&E within 4 hours", 71.0, "2022/23", "NHSE"],
    ]}, merges={"Logframe": ["A2:A4"]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert {i["id"]: i["outcome_ids"] for i in plan["indicators"]} == {
        "LF3.1": ["SO3"], "LF3.2": ["SO3"], "LF3.3": ["SO3"], "LF5.1": ["SO5"]}


def test_latest_value_columns(tmp_path):
    header = ["Indicator ID", "Outcome", "Indicator", "Baseline", "Baseline period", "Latest value", "Latest period",
              "Data source"]
    book = xlsx_bytes({"Logframe": [header, ["LF5.1", "SO5", "A&E within 4 hours", 71.0, "2022/23", "73.5%", "2023-24",
                                             "NHSE"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF5.1")["latest"] == {"value": 73.5, "period": "2023/24"}


def test_hidden_column_read(tmp_path):
    book = xlsx_bytes({"Logframe": [HEADER, ROW1, ROW3]}, hidden_cols={"Logframe": ["F", "G"]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF1.1")["baseline"] == {"value": 65.2, "period": "2022/23"}


def test_filtered_rows_read(tmp_path):
    book = xlsx_bytes({"Logframe": [HEADER, ROW1, ROW3, ROW5]},
                      autofilter={"Logframe": "A1:J4"}, hidden_rows={"Logframe": [3]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF1.1", "LF3.1", "LF5.1"]


# ---------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------

LF_VALUE_HEADER = ["Indicator ID", "Outcome", "Indicator", "Baseline", "Baseline period", "Data source"]


@pytest.mark.parametrize("cell, expected, unit", [
    (62.3, 62.3, None),
    (N(0.623, "0.0%"), 62.3, "%"),
    (N(0.6, "0%"), 60, "%"),
    ("62.3%", 62.3, "%"),
    ("1,234", 1234, None),
    ("12.5 per 1,000", 12.5, None),
    (F('TEXT(0.623,"0.0%")', "62.3%"), 62.3, "%"),
    (" 62.3 ", 62.3, None),
], ids=["number", "percent-format", "percent-format-int", "percent-text", "thousands", "rate-text",
        "formula-cached-text", "padded-text"])
def test_value_forms(tmp_path, cell, expected, unit):
    book = xlsx_bytes({"Logframe": [LF_VALUE_HEADER, ["LF2.1", "SO2", "Adults in employment", cell, "2022/23", "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF2.1")
    assert ind["baseline"]["value"] == pytest.approx(expected)
    assert ind["baseline"]["period"] == "2022/23"
    if unit:
        assert ind["unit"] == unit
    assert not diags(plan, "I008")


@pytest.mark.parametrize("mark", ["*", "n/a", "-", "..", None], ids=["star", "n/a", "dash", "dots", "blank"])
def test_suppression_marks_kept_as_missing(tmp_path, mark):
    header = LF_VALUE_HEADER + ["2021/22", "2022/23"]
    book = xlsx_bytes({"Logframe": [header, ["LF2.1", "SO2", "Adults in employment", mark, "2022/23", "APS", mark, 74.2]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF2.1")
    assert ind["baseline"] is None or ind["baseline"]["value"] is None
    assert value_at(ind, "2021/22") is None
    assert value_at(ind, "2022/23") == 74.2
    assert not diags(plan, "I008"), "a suppression mark is not an unparseable number"


@pytest.mark.parametrize("mark", ["*", "n/a", "..", "-"], ids=["star", "n/a", "dots", "dash"])
def test_suppression_mark_recorded(tmp_path, mark):
    book = xlsx_bytes({"Logframe": [LF_VALUE_HEADER, ["LF2.1", "SO2", "Adults in employment", mark, "2022/23", "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF2.1")
    related = [d for d in plan["diagnostics"] if d["subject"] == "indicator:LF2.1"]
    assert json.dumps(mark) in dump(ind) + dump(related) or f"'{mark}'" in dump(related), \
        f"the mark {mark!r} is recorded with the missing value"


def test_cached_formula_value_used(tmp_path):
    book = xlsx_bytes({"Logframe": [LF_VALUE_HEADER + ["Target 2025/26"],
                                    ["LF2.1", "SO2", "Adults in employment", F("0.623*100", 62.3), "2022/23", "APS",
                                     F("D2+2", 64.3)]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF2.1")
    assert ind["baseline"]["value"] == pytest.approx(62.3)
    assert ind["targets"][0]["value"] == pytest.approx(64.3)
    assert not diags(plan, "I007")


def test_formula_cached_text_in_id_and_name(tmp_path):
    book = xlsx_bytes({"Logframe": [LF_VALUE_HEADER,
                                    [F('"LF"&2&"."&1', "LF2.1"), "SO2", F("Names!A1", "Adults in employment"), 75.0,
                                     "2022/23", "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF2.1")["name"] == "Adults in employment"


def test_formula_without_cached_value_is_i007(tmp_path):
    book = xlsx_bytes({"Logframe": [LF_VALUE_HEADER + ["Target 2025/26"],
                                    ["LF2.1", "SO2", "Adults in employment", 62.3, "2022/23", "APS", F("D2+2")],
                                    ["LF2.2", "SO2", "Economic inactivity", F("SUM(X1:X9)"), "2022/23", "APS", 20]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF2.1")["baseline"]["value"] == 62.3
    assert indicator(plan, "LF2.1")["targets"] == [] or indicator(plan, "LF2.1")["targets"][0]["value"] is None
    lf22 = indicator(plan, "LF2.2")
    assert lf22["baseline"] is None or lf22["baseline"]["value"] is None
    found = diags(plan, "I007")
    cells = {(d["location"] or {}).get("cell") for d in found}
    assert {"G2", "D3"} <= cells, found
    assert all(d["location"]["path"] == "logframe.xlsx" and d["location"]["sheet"] == "Logframe" for d in found)


def test_shared_formulas_use_cached_values(tmp_path):
    header = ["Indicator ID", "Outcome", "Indicator", "Numerator", "Denominator", "Baseline", "Baseline period", "Data source"]
    book = xlsx_bytes({"Logframe": [
        header,
        ["LF2.1", "SO2", "Adults in employment", 750, 1000, Cell(
            value=75.0, formula="D2/E2*100", formula_attrs='t="shared" ref="F2:F3" si="0"'), "2022/23", "APS"],
        ["LF2.2", "SO2", "Economic inactivity", 210, 1000, Cell(value=21.0, formula="", formula_attrs='t="shared" si="0"'),
         "2022/23", "APS"],
    ]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF2.1")["baseline"]["value"] == pytest.approx(75.0)
    assert indicator(plan, "LF2.2")["baseline"]["value"] == pytest.approx(21.0)
    assert not diags(plan, "I007")


def test_error_value_is_missing_not_a_number(tmp_path):
    book = xlsx_bytes({"Logframe": [LF_VALUE_HEADER + ["Target 2025/26"],
                                    ["LF2.1", "SO2", "Adults in employment", E("#DIV/0!"), "2022/23", "APS", 77]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF2.1")
    assert ind["baseline"] is None or ind["baseline"]["value"] is None
    assert ind["targets"] == [{"period": "2025/26", "value": 77}]


@pytest.mark.parametrize("shared_strings", [True, False], ids=["shared-strings", "inline-strings"])
def test_rich_text_cells(tmp_path, shared_strings):
    name = Rich((("Smoking", True), (" prevalence in ", False), ("adults", True)))
    book = xlsx_bytes({"Logframe": [[Rich((("Indicator", True), (" ID", True))), "Outcome", "Indicator", "Baseline",
                                     "Baseline period", "Data source"],
                                    ["LF3.1", "SO3", name, 12.9, "2022/23", "APS"]]}, shared_strings=shared_strings)
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF3.1")["name"] == "Smoking prevalence in adults"


def test_wrong_sheet_dimension_does_not_truncate(tmp_path):
    book = xlsx_bytes({"Logframe": [HEADER, ROW1, ROW3, ROW5]}, dimension={"Logframe": "A1"})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF1.1", "LF3.1", "LF5.1"]
    assert indicator(plan, "LF5.1")["owner_id"] == "icb"


def test_cells_without_references(tmp_path):
    row = ["LF3.1", "SO3", "Smoking prevalence in adults", None, "Lower", 12.9, "2022/23", 11, "APS", "KCC"]
    book = xlsx_bytes({"Logframe": [HEADER, row, ROW5]}, omit_refs=True, dimension={"Logframe": "A1"})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF3.1")
    assert ind["baseline"] == {"value": 12.9, "period": "2022/23"} and ind["polarity"] == "lower"
    assert ind["targets"] == [{"period": "2025/26", "value": 11}] and ind["owner_id"] == "kcc"
    assert indicator(plan, "LF5.1")["data_source"] == "NHSE"


def test_baseline_with_period_in_text(tmp_path):
    book = xlsx_bytes({"Logframe": [["Indicator ID", "Outcome", "Indicator", "Baseline", "Target 2025/26", "Data source"],
                                    ["LF2.2", "SO2", "Adults in employment", "62.3% (2022/23)", "65%", "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF2.2")
    assert ind["baseline"] == {"value": 62.3, "period": "2022/23"}
    assert ind["unit"] == "%"
    assert ind["targets"] == [{"period": "2025/26", "value": 65}]


def test_trend_columns_and_financial_year_periods(tmp_path):
    header = ["Indicator ID", "Outcome", "Indicator", "Baseline", "Baseline period", "2019/20", "2020-21", "2021/22",
              "Data source"]
    book = xlsx_bytes({"Logframe": [header, ["LF3.1", "SO3", "Smoking prevalence", 12.9, "2022-23", 14.1, 13.8, 13.2, "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF3.1")
    assert value_at(ind, "2019/20") == 14.1
    assert value_at(ind, "2020/21") == 13.8, "2020-21 is written 2020/21"
    assert value_at(ind, "2021/22") == 13.2
    assert "2020-21" not in {v["period"] for v in ind["values"]}
    assert ind["baseline"] == {"value": 12.9, "period": "2022/23"}


def test_calendar_year_trend_columns(tmp_path):
    header = ["Indicator ID", "Outcome", "Indicator", 2019, 2020, 2021, "Target 2025/26", "Data source"]
    book = xlsx_bytes({"Logframe": [header, ["LF1.1", "SO1", "Under-18 conceptions", 14.2, 13.1, 12.6, 11, "ONS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    ind = indicator(plan, "LF1.1")
    assert value_at(ind, "2019") == 14.2 and value_at(ind, "2020") == 13.1 and value_at(ind, "2021") == 12.6


# ---------------------------------------------------------------------------
# outcomes from sheets
# ---------------------------------------------------------------------------

NO_OUTCOME_HEADER = ["Indicator ID", "Indicator", "Baseline", "Baseline period", "Data source"]


def test_outcome_from_sheet_name(tmp_path):
    book = xlsx_bytes({"Outcome 2": [NO_OUTCOME_HEADER, ["LF2.1", "Adults in employment", 75.0, "2022/23", "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF2.1")["outcome_ids"] == ["SO2"]


def test_outcome_from_sheet_title(tmp_path):
    book = xlsx_bytes({"Sheet1": [["Outcome 4: Empower people to best manage their health conditions"], [],
                                  NO_OUTCOME_HEADER, ["LF4.1", "NHS Health Checks delivered", 31000, "2022/23", "OHID"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF4.1")["outcome_ids"] == ["SO4"]


def test_all_indicators_sheet_repeating_outcome_sheets(tmp_path):
    # Logframes often hold an "All indicators" sheet and the same rows again on a sheet per outcome.
    row3 = ["LF3.1", "SO3", "Smoking prevalence", 12.9, "2022/23", "APS"]
    row5 = ["LF5.1", "SO5", "A&E within 4 hours", 71.0, "2022/23", "NHSE"]
    header = ["Indicator ID", "Outcome", "Indicator", "Baseline", "Baseline period", "Data source"]
    book = xlsx_bytes({"All indicators": [header, row3, row5], "Outcome 3": [header, row3], "Outcome 5": [header, row5]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF3.1", "LF5.1"]
    assert not diags(plan, "R007") and not diags(plan, "D010")


def test_same_indicator_with_different_content_is_reported(tmp_path):
    header = ["Indicator ID", "Outcome", "Indicator", "Baseline", "Baseline period", "Data source"]
    book = xlsx_bytes({"All indicators": [header, ["LF3.1", "SO3", "Smoking prevalence", 12.9, "2022/23", "APS"]],
                       "Outcome 3": [header, ["LF3.1", "SO3", "Smoking prevalence", 14.0, "2022/23", "APS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert len([i for i in plan["indicators"] if i["id"] == "LF3.1"]) == 1
    assert [d for d in diags(plan, "R007") + diags(plan, "D010") if d["subject"] == "indicator:LF3.1"]


def test_one_sheet_per_outcome(tmp_path):
    book = xlsx_bytes({
        "SO1": [NO_OUTCOME_HEADER, ["LF1.1", "Good level of development", 65.2, "2022/23", "DfE"]],
        "Outcome 3 \u2013 Healthy living": [NO_OUTCOME_HEADER, ["LF3.1", "Smoking prevalence", 12.9, "2022/23", "APS"],
                                          ["LF3.2", "Physically active adults", 67.0, "2022/23", "Active Lives"]],
        "Shared outcome 5": [NO_OUTCOME_HEADER, ["LF5.1", "A&E within 4 hours", 71.0, "2022/23", "NHSE"]],
    })
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert {i["id"]: i["outcome_ids"] for i in plan["indicators"]} == {
        "LF1.1": ["SO1"], "LF3.1": ["SO3"], "LF3.2": ["SO3"], "LF5.1": ["SO5"]}


# ---------------------------------------------------------------------------
# action trackers and strategy registers
# ---------------------------------------------------------------------------

LOGFRAME = xlsx_bytes({"Logframe": [HEADER, ROW1, ROW3, ROW5,
                                    ["LF4.1", "SO4", "NHS Health Checks delivered", "count", "Higher", 31000, "2022/23",
                                     40000, "OHID", "KCC"]]})


def test_action_tracker_sheet(tmp_path):
    tracker = xlsx_bytes({
        "Tracker": [["Ref", "Action", "Outcome", "Lead", "Partners", "Milestone", "Measure", "Status", "Comments"],
                    ["KCC-A1", "Expand NHS Health Checks in deprived wards", "SO4", "KCC", "ICB\nMedway Council; Kent Police",
                     dt.date(2025, 3, 31), "LF4.1", "On track", "Funded from the public health grant"],
                    ["KCC-A2", "Whole-system healthy weight programme", "Outcome 3", "Kent County Council",
                     "Dartford, Gravesham and Swanley HCP", "Q2 2025/26", "LF3.1", "Amber", None],
                    [None, None, None, None, None, None, None, None, None]],
        "Tracker (acute)": [["Action ID", "Deliverable", "Shared outcome", "Owner", "Timescale"],
                            ["ICB-7", "Same-day emergency care in every acute trust", "Improve health and care services",
                             "ICB", "2024\u20132026"]],
    })
    plan = compile_books(tmp_path, {"logframe.xlsx": LOGFRAME, "kcc-action-tracker.xlsx": tracker})
    a1 = action(plan, "KCC-A1")
    assert a1["text"] == "Expand NHS Health Checks in deprived wards"
    assert a1["outcome_ids"] == ["SO4"] and a1["lead_id"] == "kcc"
    assert sorted(a1["partner_ids"]) == ["icb", "kent-police", "medway-council"]
    assert [m["due"] for m in a1["milestones"]] == ["2025-03-31"]
    assert a1["indicator_ids"] == ["LF4.1"] and a1["status"] == "On track"
    assert "Funded from the public health grant" in dump(a1)
    assert a1["source"]["path"] == "kcc-action-tracker.xlsx" and a1["source"]["sheet"] == "Tracker"
    a2 = action(plan, "KCC-A2")
    assert a2["outcome_ids"] == ["SO3"] and a2["lead_id"] == "kcc" and a2["partner_ids"] == ["hcp-dgs"]
    assert a2["milestones"] == [{"text": "Q2 2025/26", "due": "2025-09-30"}]
    a3 = action(plan, "ICB-7")
    assert a3["outcome_ids"] == ["SO5"] and a3["lead_id"] == "icb"
    assert a3["timescale"] == "2024\u20132026" and a3["milestones"] == []
    assert "KCC-A1" in indicator(plan, "LF4.1")["action_ids"]
    assert "kcc-action-tracker.xlsx" not in {i["source"]["path"] for i in plan["indicators"]}


def test_tracker_month_only_date_cell(tmp_path):
    # Typing "Mar-25" into Excel stores 01/03/2025 formatted mmm-yy: the cell shows a month, not a day.
    tracker = xlsx_bytes({"Tracker": [
        ["Ref", "Action", "Outcome", "Lead", "Milestone"],
        ["KCC-C1", "Month-only date typed as Mar-25", "SO4", "KCC", N(dt.date(2025, 3, 1), "mmm-yy")],
        ["KCC-C5", "Month-only date formatted as a month name", "SO4", "KCC", N(dt.date(2025, 6, 1), "mmmm yyyy")]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": LOGFRAME, "kcc-tracker.xlsx": tracker})
    assert [m["due"] for m in action(plan, "KCC-C1")["milestones"]] == ["2025-03-31"], "Mar-25 means the month's end"
    assert [m["due"] for m in action(plan, "KCC-C5")["milestones"]] == ["2025-06-30"]


def test_tracker_dates_and_unknown_outcome(tmp_path):
    tracker = xlsx_bytes({"Tracker": [
        ["Ref", "Action", "Outcome", "Lead", "Milestone"],
        ["KCC-C2", "Day-first text date", "SO4", "KCC", "01/10/2024"],
        ["KCC-C3", "Date cell", "SO4", "KCC", dt.date(2024, 10, 1)],
        ["KCC-C4", "Action under an outcome that does not exist", "Outcome 9", "KCC", "2025/26"],
    ]})
    plan = compile_books(tmp_path, {"logframe.xlsx": LOGFRAME, "kcc-tracker.xlsx": tracker})
    assert [m["due"] for m in action(plan, "KCC-C2")["milestones"]] == ["2024-10-01"]
    assert [m["due"] for m in action(plan, "KCC-C3")["milestones"]] == ["2024-10-01"]
    c4 = action(plan, "KCC-C4")
    assert c4["outcome_ids"] == [] and c4["milestones"] == [{"text": "2025/26", "due": "2026-03-31"}]
    assert [d for d in diags(plan, "R001") if "Outcome 9" in d["message"]]


def test_strategy_register_sheet(tmp_path):
    register = xlsx_bytes({"Register": [
        ["Strategy", "Owner", "Status", "Period", "Link", "Outcomes"],
        ["Kent Drug and Alcohol Strategy (KDAS)", "KCC", "Published", "2023\u20132028",
         "https://www.kent.gov.uk/kdas", "SO3"],
        ["Medway Joint Health and Wellbeing Strategy", "Medway Council", "In development", "2025\u20132030", None,
         "SO2, SO3"],
    ]})
    tracker = xlsx_bytes({"Actions": [["Ref", "Action", "Outcome", "Lead", "Strategy"],
                                      ["KCC-B1", "Recovery housing for people leaving treatment", "SO3", "KCC", "KDAS"]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": LOGFRAME, "strategy-register.xlsx": register,
                                    "kcc-tracker.xlsx": tracker})
    by_id = {s["id"]: s for s in plan["strategies"]}
    kdas = by_id["kent-drug-and-alcohol-strategy"]
    assert kdas["owner_id"] == "kcc" and (kdas["status"] or "").lower() == "published"
    assert kdas["outcome_ids"] == ["SO3"]
    medway = by_id["medway-joint-health-and-wellbeing-strategy"]
    assert medway["owner_id"] == "medway-council" and sorted(medway["outcome_ids"]) == ["SO2", "SO3"]
    assert action(plan, "KCC-B1")["strategy_ids"] == ["kent-drug-and-alcohol-strategy"]
    assert not diags(plan, "R003")
    assert not [a for a in plan["actions"] if a["source"]["path"] == "strategy-register.xlsx"]


# ---------------------------------------------------------------------------
# data updates
# ---------------------------------------------------------------------------

TREND_HEADER = ["Indicator ID", "Outcome", "Indicator", "Unit", "Baseline", "Baseline period", "2021/22", "2022/23",
                "Data source"]
TREND_LOGFRAME = xlsx_bytes({"Logframe": [
    TREND_HEADER,
    ["LF3.1", "SO3", "Smoking prevalence in adults", "%", 13.2, "2021/22", 13.2, 12.9, "APS"],
    ["LF5.1", "SO5", "A&E within 4 hours", "%", 70.1, "2021/22", 70.1, 71.0, "NHSE"],
]})


def test_data_update_long_format(tmp_path):
    update = xlsx_bytes({"Update": [["Indicator ID", "Period", "Value", "Geography"],
                                    ["LF3.1", "2023/24", 12.1, None],
                                    ["LF3.1", "2023/24", 15.3, "Medway"],
                                    ["LF5.1", "2023-24", 72.4, None]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": TREND_LOGFRAME, "data-update-2024.xlsx": update})
    lf31 = indicator(plan, "LF3.1")
    assert value_at(lf31, "2022/23") == 12.9, "update adds to the trend, does not replace it"
    assert value_at(lf31, "2023/24") == 12.1
    assert value_at(lf31, "2023/24", "Medway") == 15.3 or any(
        v["period"] == "2023/24" and v["value"] == 15.3 and v["geography"] for v in lf31["values"])
    assert lf31["latest"] == {"value": 12.1, "period": "2023/24"}
    assert value_at(indicator(plan, "LF5.1"), "2023/24") == 72.4
    assert not diags(plan, "D010")
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF3.1", "LF5.1"]


def test_data_update_wide_format(tmp_path):
    update = xlsx_bytes({"Data": [["Indicator ID", "Indicator name", "2023/24", "2024/25"],
                                  ["LF3.1", "Smoking prevalence in adults", 12.1, 11.8],
                                  ["LF5.1", "A&E within 4 hours", N(0.724, "0.0%"), None]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": TREND_LOGFRAME, "data-update-wide.xlsx": update})
    lf31 = indicator(plan, "LF3.1")
    assert value_at(lf31, "2023/24") == 12.1 and value_at(lf31, "2024/25") == 11.8
    assert lf31["latest"] == {"value": 11.8, "period": "2024/25"}
    assert value_at(indicator(plan, "LF5.1"), "2023/24") == pytest.approx(72.4)
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF3.1", "LF5.1"]


def test_suppressed_update_value_adds_nothing(tmp_path):
    update = xlsx_bytes({"Update": [["Indicator ID", "Period", "Value"], ["LF3.1", "2022/23", "*"],
                                    ["LF3.1", "2023/24", ".."], ["LF5.1", "2023/24", 72.4]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": TREND_LOGFRAME, "data-update.xlsx": update})
    lf31 = indicator(plan, "LF3.1")
    assert value_at(lf31, "2022/23") == 12.9 and value_at(lf31, "2023/24") is None
    assert not diags(plan, "D010") and not diags(plan, "I008")
    assert value_at(indicator(plan, "LF5.1"), "2023/24") == 72.4


def test_update_for_unknown_indicator_is_r002(tmp_path):
    update = xlsx_bytes({"Update": [["Indicator ID", "Period", "Value"], ["LF9.9", "2023/24", 1.0],
                                    ["LF5.1", "2023/24", 72.4]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": TREND_LOGFRAME, "data-update.xlsx": update})
    assert [d for d in diags(plan, "R002") if "LF9.9" in d["message"]
            and (d["location"] or {}).get("path") == "data-update.xlsx"]
    assert "LF9.9" not in {i["id"] for i in plan["indicators"]}


def test_conflicting_update_value_is_d010(tmp_path):
    update = xlsx_bytes({"Update": [["Indicator ID", "Period", "Value"], ["LF3.1", "2022/23", 13.4],
                                    ["LF5.1", "2022/23", 71.0]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": TREND_LOGFRAME, "data-update-2024.xlsx": update})
    found = diags(plan, "D010")
    assert [d for d in found if d["subject"] == "indicator:LF3.1"], found
    assert not [d for d in found if d["subject"] == "indicator:LF5.1"], "an equal value is no conflict"
    assert found[0]["severity"] == "error"


def test_equal_representations_are_not_a_conflict(tmp_path):
    logframe = xlsx_bytes({"Logframe": [TREND_HEADER, ["LF3.1", "SO3", "Smoking prevalence", "%", "13.2%", "2021/22",
                                                       "13.2%", "12.9%", "APS"]]})
    update = xlsx_bytes({"Update": [["Indicator ID", "Period", "Value"], ["LF3.1", "2022/23", N(0.129, "0.0%")]]})
    plan = compile_books(tmp_path, {"logframe.xlsx": logframe, "data-update.xlsx": update})
    assert not diags(plan, "D010")
    assert value_at(indicator(plan, "LF3.1"), "2022/23") == pytest.approx(12.9)


# ---------------------------------------------------------------------------
# package variants
# ---------------------------------------------------------------------------

def test_strict_open_xml_workbook(tmp_path):
    book = xlsx_bytes({"Logframe": [HEADER, ROW1, ROW3]}, strict=True)
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF1.1", "LF3.1"], "Strict workbook read, not silently empty"
    assert indicator(plan, "LF1.1")["baseline"] == {"value": 65.2, "period": "2022/23"}
    assert not [d for d in plan["diagnostics"] if d["code"] in ("I001", "I004")]


def test_strict_open_xml_workbook_inline_strings(tmp_path):
    book = xlsx_bytes({"Logframe": [HEADER, ROW5]}, strict=True, shared_strings=False)
    plan = compile_books(tmp_path, {"logframe.xlsx": book})
    assert indicator(plan, "LF5.1")["owner_id"] == "icb"


def test_macro_enabled_workbook(tmp_path):
    book = xlsx_bytes({"Logframe": [HEADER, ROW1, ROW5]}, macro=True)
    plan = compile_books(tmp_path, {"logframe.xlsm": book})
    assert sorted(i["id"] for i in plan["indicators"]) == ["LF1.1", "LF5.1"]
    assert indicator(plan, "LF5.1")["source"]["path"] == "logframe.xlsm"
    assert "logframe.xlsm" in {s["path"] for s in plan["submissions"]}
