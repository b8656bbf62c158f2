"""Progress against target (compiler/progress.py) in plan.json, on fixtures with known answers:
polarity both ways, a missing baseline, a target already met, values exactly on the tolerances, the
target's trajectory, and action statuses in partners' words."""

from __future__ import annotations

import pytest

from tests.conftest import check_plan, compile_dir
from tests.fixtures.ooxml import xlsx_bytes
from tests.test_checks import act, contribution, make_rules

HEADER = ["Indicator ID", "Outcome", "Indicator", "Unit", "Polarity", "Baseline", "Baseline period",
          "2023/24", "2024/25", "Target 2024/25", "Target 2025/26", "Owner"]


def row(ident, polarity, baseline, prev, latest, target_24, target_25=None, name=None):
    return [ident, "SO1", name or f"Measure {ident}", "%", polarity, baseline, "2022/23" if baseline is not None else None,
            prev, latest, target_24, target_25, "KCC"]


ROWS = [
    row("LF1.1", "Higher", 50, 55, 60, 60),        # on target for the latest period: achievement 1, green
    row("LF1.2", "Lower", 20, 18, 15, 10),         # lower is better, half-way when the trajectory wants all: red
    row("LF1.3", "Higher", 50, 58, 59, 60),        # 0.9 of the gap: exactly on the amber tolerance (0.1)
    row("LF1.4", "Lower", 20, 21, 22, 10),         # moving away from the target: red, worsening
    row("LF1.5", "Higher", None, 66, 70, 65),      # no baseline, target met: green without an achievement
    row("LF1.6", "Higher", None, 58, 60, 65),      # no baseline, target not met: "no baseline", never guessed
    row("LF1.7", "Lower", 20, 12, 8, 10),          # target already met and passed: achievement 1.2
    row("LF1.8", "Higher", 40, 44, 45, None),      # no target
    row("LF1.9", "Higher", None, None, None, 30),  # no value at all
    row("LF1.10", "Higher", 45, 50, 50.5, 55),     # +0.5 on 50 is exactly the 1% no-change tolerance
    row("LF1.11", "Higher", 50, 55, None, None, 62),  # against the final target on its trajectory: a third of the way
    row("LF1.12", "Higher", 50, None, None, 60),   # only the baseline: no new data
]

STATUSES = {"KCC-01": "Complete", "KCC-02": "Green", "KCC-03": "Amber - slipped to autumn",
            "KCC-04": "Not yet started", "KCC-05": "", "KCC-06": "Awaiting a decision", "KCC-07": "In progress"}


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("progress")
    inputs = tmp / "inputs"
    inputs.mkdir()
    (inputs / "logframe.xlsx").write_bytes(xlsx_bytes({"Logframe": [HEADER] + ROWS}))
    so1 = [act(ref, f"Action {ref} for children", Status=status, Measure="LF1.1") for ref, status in STATUSES.items()]
    (inputs / "kcc.docx").write_bytes(contribution(so1, []))
    rules = make_rules(tmp)
    _, plan = compile_dir(inputs, tmp, rules)
    check_plan(plan)
    plan["_out"], plan["_again"] = tmp / "out", (inputs, rules, tmp)
    return plan


def progress(plan: dict, ident: str) -> dict:
    return next(i for i in plan["indicators"] if i["id"] == ident)["progress"]


@pytest.mark.parametrize("ident, rag, achievement, met, previous, baseline", [
    ("LF1.1", "green", 1.0, True, "improving", "improving"),
    ("LF1.2", "red", 0.5, False, "improving", "improving"),
    ("LF1.3", "amber", 0.9, False, "improving", "improving"),
    ("LF1.4", "red", -0.2, False, "worsening", "worsening"),
    ("LF1.5", "green", None, True, "improving", None),
    ("LF1.6", "no baseline", None, False, "improving", None),
    ("LF1.7", "green", 1.2, True, "improving", "improving"),
    ("LF1.8", "no target", None, None, "improving", "improving"),
    ("LF1.9", "no data", None, None, None, None),
    ("LF1.10", "red", 0.55, False, "no change", "improving"),
    ("LF1.12", "no new data", None, None, None, None),
])
def test_achievement_rag_and_direction_of_travel(plan, ident, rag, achievement, met, previous, baseline):
    p = progress(plan, ident)
    assert (p["rag"], p["achievement"], p["target_met"], p["direction_previous"], p["direction_baseline"]) == \
        (rag, achievement, met, previous, baseline), p


def test_judged_against_the_target_for_the_latest_period_else_the_final_target(plan):
    assert progress(plan, "LF1.1")["target"] == {"period": "2024/25", "value": 60}
    assert progress(plan, "LF1.1")["expected"] == 1.0
    p = progress(plan, "LF1.11")  # latest 2023/24, no 2024/25 target: the 2025/26 target, a third of the way there
    assert p["latest"] == {"period": "2023/24", "value": 55}
    assert p["target"] == {"period": "2025/26", "value": 62}
    assert p["expected"] == 0.334 and p["achievement"] == 0.417 and p["rag"] == "green"
    assert progress(plan, "LF1.4")["previous"] == {"period": "2023/24", "value": 21}


def test_action_statuses_in_five_words(plan):
    got = {a["id"]: a["progress_status"] for a in plan["actions"]}
    assert got == {"KCC-01": "complete", "KCC-02": "on track", "KCC-03": "delayed", "KCC-04": "not started",
                   "KCC-05": "not reported", "KCC-06": "not reported", "KCC-07": "on track"}


def test_the_tolerances_come_from_the_rules(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "logframe.xlsx").write_bytes(xlsx_bytes({"Logframe": [HEADER, ROWS[2], ROWS[9]]}))
    rules = make_rules(tmp_path, edits={"checks.toml": [("amber_tolerance = 0.1", "amber_tolerance = 0.05"),
                                                        ("no_change_tolerance = 0.01", "no_change_tolerance = 0.005")]})
    _, plan = compile_dir(inputs, tmp_path, rules)
    assert progress(plan, "LF1.3")["rag"] == "red"
    assert progress(plan, "LF1.10")["direction_previous"] == "improving"


def test_progress_report_reads_plainly_and_passes_the_accessibility_check(plan):
    import docx

    from compiler.a11y import lint_docx

    data = (plan["_out"] / "progress-report.docx").read_bytes()
    assert lint_docx(data) == []
    document = docx.Document(plan["_out"] / "progress-report.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "4 of 12 measures are on track." in text  # LF1.1, LF1.5, LF1.7, LF1.11
    assert "No new data for: LF1.9 Measure LF1.9; LF1.12 Measure LF1.12." in text
    assert "Of 7 actions: 1 complete, 2 on track, 1 delayed, 1 not started, 2 not reported." in text
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "On track: target of 60% (2024/25) met (100% of the way)" in cells
    assert any(s.startswith("Trend: LF1.1") for s in text.split("\n"))


def test_charts_and_documents_are_byte_identical_across_two_compiles(plan):
    inputs, rules, tmp = plan["_again"]
    compile_dir(inputs, tmp, rules)
    again = sorted(p for p in tmp.glob("out*") if p.name != "out")[-1]
    for name in ("plan.json", "progress-report.docx", "logframe-matrix.docx", "shared-delivery-plan.docx"):
        assert (plan["_out"] / name).read_bytes() == (again / name).read_bytes(), name


def test_gap_report_logframe_workbook_and_partner_appendix_show_progress(plan):
    import json

    import docx
    import openpyxl

    out = plan["_out"]
    gap = json.loads((out / "gap-report.json").read_text(encoding="utf-8"))
    so1 = next(r for r in gap["progress_by_outcome"] if r["outcome_id"] == "SO1")
    assert so1["measures"] == {"green": 4, "amber": 1, "red": 3, "no data": 1, "no new data": 1, "no target": 1,
                               "no baseline": 1}
    assert so1["actions"] == {"complete": 1, "on track": 2, "delayed": 1, "not started": 1, "not reported": 2}
    html = (out / "gap-report.html").read_text(encoding="utf-8")
    assert 'id="progress-table"' in html and "Progress against target" in html

    ws = openpyxl.load_workbook(out / "logframe-matrix.xlsx")["All indicators"]
    table = list(ws.iter_rows(values_only=True))
    at = next(n for n, r in enumerate(table) if r[0] == "ID")
    header = table[at]
    rows = {r[0]: dict(zip(header, r)) for r in table[at + 1:] if r[0]}
    assert rows["LF1.3"]["Progress"] == "Slightly off track"
    assert rows["LF1.3"]["Achievement (% of the gap closed)"] == 90
    assert rows["LF1.4"]["Since previous period"] == "worsening"

    appendix = docx.Document(out / "partners" / "kcc.docx")
    cells = [c.text for t in appendix.tables for r in t.rows for c in r.cells]
    assert any('Progress: delayed (reported as "Amber - slipped to autumn")' in c for c in cells)
    assert ("Off track: -20% of the way from the baseline to the target of 10% (2024/25), behind the trajectory\n"
            "↓ worsening since 2023/24") in cells
