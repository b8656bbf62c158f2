"""Issue 9, points 2, 5 and 6, on real files compiled with the shipped rules:

- a data update refreshes the figures: the latest value is the most recent period from any source,
  a value for the system's own area is the system value, two different values for one period and
  geography from any two sources are D010, and the logframe appendices say what the update changed;
- names are kept as written: a comma list is resolved name by name, an unrecognised lead is shown as
  written with its code (never "No lead named"), suggestions show names, D005 respects the bounds;
- the partner's appendix shows everything it submitted and explains each code in plain words, and
  the annotated comment sits on the cell that holds the problem.
"""

from __future__ import annotations

import io

import docx
import openpyxl
from docx.oxml.ns import qn

from compiler.matching import Candidate, Match
from compiler.resolve.references import suggestions
from tests.conftest import compile_dir
from tests.fixtures.ooxml import docx_bytes, heading, tbl, xlsx_bytes

LOGFRAME_HEADER = ["Indicator ID", "Outcome", "Indicator", "Unit", "Polarity", "Baseline", "Baseline period",
                   "2021/22", "2022/23", "Latest value", "Latest period", "Target 2025/26", "Data source"]


def write(tmp_path, files: dict[str, bytes]):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, data in files.items():
        (inputs / name).write_bytes(data)
    code, plan = compile_dir(inputs, tmp_path)
    return tmp_path / "out", plan


def indicator(plan: dict, ident: str) -> dict:
    return next(i for i in plan["indicators"] if i["id"] == ident)


def action(plan: dict, ident: str) -> dict:
    return next(a for a in plan["actions"] if a["id"] == ident)


def diags(plan: dict, code: str, subject: str | None = None) -> list[dict]:
    return [d for d in plan["diagnostics"] if d["code"] == code and (subject is None or d["subject"] == subject)]


def docx_text(path) -> str:
    doc = docx.Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


# --------------------------------------------------------------------------- 2. data updates

def update_inputs() -> dict[str, bytes]:
    logframe = xlsx_bytes({"Logframe": [
        LOGFRAME_HEADER,
        ["LF1.1", "SO1", "Good level of development at age 5", "%", "Higher", 65.2, "2021/22", 65.2, 66.0,
         66.0, "2022/23", 70, "DfE EYFSP"],
        ["LF2.1", "SO2", "Households in temporary accommodation", "rate per 1,000", "Lower", 4.5, "2021/22", 4.5,
         4.2, 4.0, "2023/24", 3.5, "DLUHC H-CLIC"],
        ["LF3.1", "SO3", "Smoking prevalence in adults", "%", "Lower", 13.5, "2021/22", 13.5, 13.0,
         12.5, "2022/23", 11, "APS"],
    ]})
    update = xlsx_bytes({"Update": [
        ["Indicator ID", "Period", "Geography", "Value"],
        ["LF1.1", "2023/24", "Kent and Medway", 67.1],     # the system's own area, by name: the system value
        ["LF1.1", "2023/24", "Medway", 60.0],              # a sub-area
        ["LF2.1", "2022/23", None, 4.9],                   # disagrees with the logframe's trend column: D010
        ["LF2.1", "2021/22", "Kent & Medway", 4.5],        # the system, by alias, agreeing: no conflict
    ]})
    return {"logframe.xlsx": logframe, "update.xlsx": update}


def test_an_update_refreshes_the_latest_value_and_counts_the_system_area_as_the_system(tmp_path):
    out, plan = write(tmp_path, update_inputs())
    lf11 = indicator(plan, "LF1.1")
    assert lf11["latest"] == {"value": 67.1, "period": "2023/24"}, "the update's period is the most recent"
    assert lf11["latest_source"]["path"] == "update.xlsx"
    assert {"period": "2023/24", "value": 67.1, "geography": None} in lf11["values"], "Kent and Medway is the system"
    assert {"period": "2023/24", "value": 60.0, "geography": "Medway"} in lf11["values"]
    assert {"period": "2022/23", "value": 66.0, "geography": None} in lf11["values"]
    lf21 = indicator(plan, "LF2.1")
    assert lf21["latest"] == {"value": 4.0, "period": "2023/24"}, "the logframe's Latest column is still newest"
    assert lf21["latest_source"]["path"] == "logframe.xlsx"
    assert not diags(plan, "D010", "indicator:LF1.1")


def test_two_values_for_one_period_from_any_two_sources_are_d010(tmp_path):
    _, plan = write(tmp_path, update_inputs())
    (trend_vs_update,) = diags(plan, "D010", "indicator:LF2.1")
    assert trend_vs_update["location"]["path"] == "update.xlsx"
    assert "2022/23" in trend_vs_update["message"] and "4.2 in its trend column" in trend_vs_update["message"]
    assert "4.9 in a data update here" in trend_vs_update["message"]
    (trend_vs_latest,) = diags(plan, "D010", "indicator:LF3.1")
    assert trend_vs_latest["location"]["path"] == "logframe.xlsx"
    assert "13 in its trend column" in trend_vs_latest["message"]
    assert "12.5 in its Latest column" in trend_vs_latest["message"]
    lf21 = indicator(plan, "LF2.1")
    assert {"period": "2022/23", "value": 4.2, "geography": None} in lf21["values"], "the first value is kept"


def test_the_logframe_appendices_show_what_the_update_changed(tmp_path):
    out, plan = write(tmp_path, update_inputs())
    text = docx_text(out / "logframe-matrix.docx")
    assert "What the data updates changed" in text
    assert ("LF1.1 | 2023/24 | Whole system | 67.1% | added; now the latest value (the logframe's Latest column "
            "gave 66% (2022/23)) | update.xlsx") in text
    assert "LF1.1 | 2023/24 | Medway | 60% | added | update.xlsx" in text
    assert "67.1% (2023/24)\nSource: update.xlsx" in text, "the Latest cell gives the value, period and source"
    wb = openpyxl.load_workbook(out / "logframe-matrix.xlsx")
    ws = wb["All indicators"]
    header = [c.value for c in ws[2]]
    row = {h: c.value for h, c in zip(header, next(r for r in ws.iter_rows(min_row=3) if r[0].value == "LF1.1"))}
    assert row["Latest"] == 67.1 and row["Latest period"] == "2023/24" and row["Latest from"] == "update.xlsx"
    assert row["Trend 2023/24"] == 67.1, "the system value is in the headline series"
    assert "2023/24: 67.1% added; now the latest value" in row["Changed by data updates"]
    assert "2023/24 (Medway): 60% added (update.xlsx)" in row["Changed by data updates"]
    changes = [[c.value for c in r] for r in wb["Data updates"].iter_rows(min_row=3)]
    assert ["LF1.1", "2023/24", "Medway", "60%", "added", "update.xlsx"] in changes


def test_a_logframe_alone_has_no_update_section(tmp_path):
    out, plan = write(tmp_path, {"logframe.xlsx": update_inputs()["logframe.xlsx"]})
    assert "What the data updates changed" not in docx_text(out / "logframe-matrix.docx")
    assert "Data updates" not in openpyxl.load_workbook(out / "logframe-matrix.xlsx").sheetnames
    assert indicator(plan, "LF1.1")["latest"] == {"value": 66.0, "period": "2022/23"}


# --------------------------------------------------------------------------- 5. names kept as written

def contribution() -> bytes:
    meta = tbl([["Organisation", "Kent County Council"], ["Contact", "Jo Bloggs"]])
    actions = tbl([["Ref", "Action", "Lead", "Partners", "Measure", "Milestones"],
                   ["KCC-01", "Expand family hubs across East Kent", "Medway Council",
                    "Kent Couny Council, Golding Homes", "LF1.1", "Pilot launched – March 2026"],
                   ["KCC-02", "Offer school readiness sessions in every primary school", "Golding Homes", "",
                    "LF1.1", "Sessions running – September 2025"]], header_rows=1)
    return docx_bytes(meta + heading("SO1 Give children and young people the best start in life") + actions)


def test_a_list_of_names_is_resolved_name_by_name(tmp_path):
    out, plan = write(tmp_path, {"kcc.docx": contribution(), "logframe.xlsx": update_inputs()["logframe.xlsx"]})
    a = action(plan, "KCC-01")
    assert a["lead_id"] == "medway-council" and a["partner_ids"] == ["kcc"]
    assert a["unresolved"] == [{"role": "partner", "text": "Golding Homes", "code": "R004"}]
    fuzzy = [d for d in diags(plan, "R006") if "Kent Couny Council" in d["message"]]
    assert fuzzy and "'Kent County Council'" in fuzzy[0]["message"] and "'kcc'" not in fuzzy[0]["message"]
    unknown = [d["message"] for d in diags(plan, "R004", "action:KCC-01")]
    assert unknown == ["unknown partner 'Golding Homes'"], "not one unknown partner made of both names"


def test_an_unrecognised_lead_is_shown_as_written(tmp_path):
    out, plan = write(tmp_path, {"kcc.docx": contribution(), "logframe.xlsx": update_inputs()["logframe.xlsx"]})
    a = action(plan, "KCC-02")
    assert a["lead_id"] is None and a["lead_text"] == "Golding Homes"
    assert a["unresolved"] == [{"role": "lead", "text": "Golding Homes", "code": "R004"}]
    (c005,) = diags(plan, "C005", "action:KCC-02")
    assert "'Golding Homes'" in c005["message"]
    plan_text = docx_text(out / "shared-delivery-plan.docx")
    assert "Golding Homes (not a registered partner, R004)" in plan_text
    assert "No lead named" not in plan_text
    appendix = docx_text(out / "partners" / "kcc.docx")
    assert "Golding Homes (not a registered partner, R004)" in appendix and "No lead named" not in appendix


def test_suggestions_show_names_not_internal_ids():
    match = Match("Kent Cnty", None, "none", 70.0, "", (Candidate("kcc", "Kent County Council", 70.0),))
    assert suggestions(match, "partner") == ["'Kent County Council'"]
    lf = Match("LF3.9", None, "none", 70.0, "", (Candidate("LF3.1", "Smoking prevalence", 70.0),))
    assert suggestions(lf, "indicator") == ["'LF3.1' (Smoking prevalence)"], "indicator IDs are written by people"


def test_trend_projections_respect_the_measures_bounds(tmp_path):
    header = ["Indicator ID", "Outcome", "Indicator", "Unit", "Polarity", "Baseline", "Baseline period",
              "2019/20", "2020/21", "2021/22", "2022/23", "Target 2025/26", "Data source"]
    logframe = xlsx_bytes({"Logframe": [
        header,
        ["LF1.1", "SO1", "Children ready for school", "%", "Higher", 99.5, "2022/23", 90, 94, 98, 99.5, 99,
         "DfE"],
        ["LF2.1", "SO2", "Households in temporary accommodation", "count", "Lower", 10, "2022/23", 40, 30, 20, 10,
         5, "DLUHC"],
    ]})
    _, plan = write(tmp_path, {"logframe.xlsx": logframe})
    (pct,) = diags(plan, "D005", "indicator:LF1.1")
    assert "about 100.0 anyway" in pct["message"], "a percentage cannot pass 100"
    (count,) = diags(plan, "D005", "indicator:LF2.1")
    assert "about 0.0 anyway" in count["message"], "a count cannot go below zero"


# --------------------------------------------------------------------------- 6. the partner's appendix, comments

def test_the_partner_appendix_shows_all_it_submitted_and_explains_each_code(tmp_path):
    out, plan = write(tmp_path, {"kcc.docx": contribution(), "logframe.xlsx": update_inputs()["logframe.xlsx"]})
    assert action(plan, "KCC-01")["submitted_by"] == "kcc" and action(plan, "KCC-01")["lead_id"] == "medway-council"
    appendix = docx_text(out / "partners" / "kcc.docx")
    assert "Other actions it submitted" in appendix
    assert "KCC-01 | Expand family hubs across East Kent" in appendix and "| Medway Council" in appendix
    assert "KCC-02 | Offer school readiness sessions" in appendix
    assert "sdp explain" not in appendix
    assert "R004: unknown partner" in appendix
    assert ("How to fix it: use the partner's registered name or abbreviation, or add it as an alias."
            in appendix)
    assert "What it finds: a lead or supporting partner that is not in" in appendix


def test_the_comment_sits_on_the_cell_that_holds_the_problem(tmp_path):
    out, plan = write(tmp_path, {"kcc.docx": contribution(), "logframe.xlsx": update_inputs()["logframe.xlsx"]})
    doc = docx.Document(io.BytesIO((out / "annotated" / "kcc.docx").read_bytes()))
    starts = {int(el.get(qn("w:id"))): el.getparent() for el in doc.element.body.iter(qn("w:commentRangeStart"))}
    r004 = [c for c in doc.comments if "(R004, warning)" in c.text]
    texts = sorted("".join(t.text or "" for t in starts[c.comment_id].iter(qn("w:t"))) for c in r004)
    assert texts == ["Golding Homes", "Kent Couny Council, Golding Homes"], "the Lead and Partners cells"
    note = next(c.text for c in r004 if "Partners" not in c.text)
    assert note.startswith("Unknown partner 'Golding Homes'.")
    assert "To fix it: use the partner's registered name" in note and "table " not in note
