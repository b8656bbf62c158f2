"""`sdp diff` and `sdp compile --previous`: the sample compiled, its inputs edited (one action re-worded,
one removed, a target changed, a submission added), compiled again; the change report says exactly that."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import jsonschema
import openpyxl
import pytest

from compiler.a11y import lint_docx
from compiler.changes import compare, load_plan
from tests.conftest import REPO, run_sdp

SCHEMA = json.loads((REPO / "compiler" / "schema" / "changes.schema.json").read_text(encoding="utf-8"))
AS_OF = "2024-04-02"  # before every milestone: overdue-milestone warnings do not depend on the day the test runs
TW = "districts/tunbridge-wells-borough-council.docx"
REWORDED = ("Deliver a dementia-friendly and loneliness reduction programme in Tunbridge Wells town centre "
            "and Paddock Wood")
NEW_ACTION = "Run free holiday swimming and activity sessions for children in Maidstone's most deprived wards"


def _edit_tunbridge_wells(path: Path) -> None:
    """Remove the first action (so the positional ids of the others shift) and re-word the last."""
    d = docx.Document(str(path))
    for p in d.paragraphs:
        if p.text.startswith("Bring empty homes back into use"):
            p._element.getparent().remove(p._element)
        elif p.text.startswith("Deliver a dementia-friendly"):
            run = p.runs[0]
            run.text = run.text.replace("Tunbridge Wells town centre (", "Tunbridge Wells town centre and Paddock Wood (")
    d.save(str(path))


def _edit_target(path: Path) -> None:
    """Change one target. openpyxl drops the cached results of formulas when it saves (Excel would
    recalculate them), so formula cells are saved as the values Excel last computed."""
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = cached[sheet.title][cell.coordinate].value
    ws = wb["Outcome 1"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "LF1.2")
    assert ws.cell(5, 14).value == "2025/26"
    ws.cell(row, 14).value = 0.79
    wb.save(path)


def _add_submission(path: Path) -> None:
    d = docx.Document()
    d.add_heading("Maidstone Borough Council – Shared Delivery Plan contribution", 0)
    meta = d.add_table(rows=3, cols=2)
    for r, (k, v) in enumerate([("Organisation name", "Maidstone Borough Council"), ("Contact", "Health lead"),
                                ("Date", "01/05/2025")]):
        meta.cell(r, 0).text, meta.cell(r, 1).text = k, v
    d.add_heading("Outcome 3: Support happy and healthy living for all", 1)
    header = ["Ref", "Action", "Lead", "Partners", "Strategy", "Milestones", "Measure"]
    table = d.add_table(rows=2, cols=len(header))
    row = ["MBC-01", NEW_ACTION, "Maidstone Borough Council", "KCC", "Kent Healthy Weight Strategy",
           "Sessions running in three leisure centres – Sep 2025", "LF3.2"]
    for c, (h, v) in enumerate(zip(header, row)):
        table.cell(0, c).text, table.cell(1, c).text = h, v
    d.save(str(path))


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("changes")
    inputs = tmp / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    first = run_sdp("compile", str(inputs), "--rules", str(REPO / "rules"), "-o", str(tmp / "out"), "--as-of", AS_OF,
                    "--exit-zero")
    assert first.returncode == 0, first.stderr
    shutil.copytree(tmp / "out", tmp / "before")
    _edit_tunbridge_wells(inputs / TW)
    _edit_target(inputs / "logframe" / "logframe-matrix.xlsx")
    _add_submission(inputs / "partners" / "maidstone.docx")
    # OLD is the output folder itself: it must be read before the folder is replaced
    second = run_sdp("compile", str(inputs), "--rules", str(REPO / "rules"), "-o", str(tmp / "out"), "--as-of", AS_OF,
                     "--exit-zero", "--previous", str(tmp / "out"))
    assert second.returncode == 0, second.stderr
    diff = run_sdp("diff", str(tmp / "before"), str(tmp / "out" / "plan.json"), "-o", str(tmp / "diff"),
                   "--rules", str(REPO / "rules"))
    return {"tmp": tmp, "out": tmp / "out", "diff": diff, "report": json.loads((tmp / "diff" / "changes.json").read_text())}


def test_diff_reports_exactly_the_edits(compiled):
    r = compiled["report"]
    assert compiled["diff"].returncode == 0, compiled["diff"].stderr
    assert [a["id"] for a in r["actions"]["added"]] == ["MBC-01"]
    assert [a["id"] for a in r["actions"]["removed"]] == ["tunbridge-wells-bc-01"]
    (changed,) = r["actions"]["changed"]
    # the positional ids shifted: the re-worded action was tunbridge-wells-bc-03 and is now -02
    assert (changed["old_id"], changed["id"], changed["matched_by"]) == ("tunbridge-wells-bc-03", "tunbridge-wells-bc-02",
                                                                         "wording")
    assert changed["fields"] == [{"field": "text", "old": REWORDED.removesuffix(" and Paddock Wood"), "new": REWORDED}]
    (target,) = r["indicators"]["changed"]
    assert target["id"] == "LF1.2"
    assert [f["field"] for f in target["fields"]] == ["targets"]
    assert [t["value"] for t in target["fields"][0]["new"]] == [77.5, 79]
    assert r["indicators"]["added"] == r["indicators"]["removed"] == []
    assert r["strategies"] == {"added": [], "removed": [], "changed": []}
    assert r["submissions"] == {"added": ["partners/maidstone.docx"], "removed": [],
                                "revised": ["districts/tunbridge-wells-borough-council.docx",
                                            "logframe/logframe-matrix.xlsx"]}


def test_partners_gain_and_lose_only_what_the_edits_moved(compiled):
    got = {p["id"]: ([(e["action_id"], e["role"], e["action"]) for e in p["gained"]],
                     [(e["action_id"], e["role"], e["action"]) for e in p["lost"]]) for p in compiled["report"]["partners"]}
    assert got == {
        "tunbridge-wells-bc": ([], [("tunbridge-wells-bc-01", "lead", "removed")]),
        "khg": ([], [("tunbridge-wells-bc-01", "partner", "removed")]),
        "maidstone-bc": ([("MBC-01", "lead", "added")], []),
        "kcc": ([("MBC-01", "partner", "added")], []),
    }


def test_diagnostics_resolved_and_new_follow_from_the_edits(compiled):
    d = compiled["report"]["diagnostics"]
    resolved = sorted((x["code"], x["subject"]) for x in d["resolved"])
    new = sorted((x["code"], x["subject"]) for x in d["new"])
    # Maidstone was expected and had sent nothing; its return is new and has a title paragraph the
    # reader does not use. The renumbered Tunbridge Wells actions keep their diagnostics.
    assert resolved == [("C008", "partner:maidstone-bc")]
    assert new == [("I006", "submission:partners/maidstone.docx")]


def test_compile_previous_writes_the_same_report_beside_the_artefacts(compiled):
    out = compiled["out"]
    for name in ("changes.docx", "changes.md", "changes.json"):
        assert (out / name).read_bytes() == (compiled["tmp"] / "diff" / name).read_bytes(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"changes.docx", "changes.md", "changes.json"} <= {o["path"] for o in manifest["outputs"]}


def test_change_report_is_accessible_valid_and_readable(compiled):
    folder = compiled["tmp"] / "diff"
    assert lint_docx((folder / "changes.docx").read_bytes(), path="changes.docx") == []
    jsonschema.validate(compiled["report"], SCHEMA)
    text = "\n".join(p.text for p in docx.Document(str(folder / "changes.docx")).paragraphs)
    md = (folder / "changes.md").read_text(encoding="utf-8")
    for heading in ("Actions added", "Actions removed", "Actions changed", "Logframe measures", "Partners' contributions",
                    "Issues resolved", "New issues"):
        assert heading in text and f"## {heading}" in md
    assert "tunbridge-wells-bc-02 (was tunbridge-wells-bc-03)" in md
    assert "| LF1.2 Reception: prevalence of healthy weight | Targets | 77.5% (2024/25)<br>78% (2025/26) | " \
           "77.5% (2024/25)<br>79% (2025/26) |" in md
    assert "MBC-01" in md and "Maidstone Borough Council" in md


def test_terminal_summary_is_short(compiled):
    lines = compiled["diff"].stdout.splitlines()
    assert lines[:3] == [f"+ action MBC-01: {NEW_ACTION[:69].rstrip()}…",
                         "- action tunbridge-wells-bc-01: Bring empty homes back into use and increase the supply of affordable…",
                         "~ action tunbridge-wells-bc-02 (was tunbridge-wells-bc-03): text changed"]
    assert lines[3] == "~ measure LF1.2: targets changed"
    assert lines[4].startswith("actions: 1 added, 1 removed, 1 changed; measures: 0 added, 0 removed, 1 changed;")
    assert len(lines) == 5


def test_same_plan_has_no_changes_and_outputs_are_byte_identical(compiled, tmp_path):
    plan = compiled["out"] / "plan.json"
    for n in (1, 2):
        proc = run_sdp("diff", str(plan), str(compiled["out"]), "-o", str(tmp_path / f"d{n}"))
        assert proc.returncode == 0
    report = json.loads((tmp_path / "d1" / "changes.json").read_text())
    assert not any(report["summary"].values())
    for name in ("changes.docx", "changes.md", "changes.json"):
        assert (tmp_path / "d1" / name).read_bytes() == (tmp_path / "d2" / name).read_bytes(), name
    assert lint_docx((tmp_path / "d1" / "changes.docx").read_bytes()) == []


@pytest.mark.parametrize("bad", ["missing-folder", "not-json", "not-a-plan"])
def test_unreadable_old_or_new_exits_2(compiled, tmp_path, bad):
    path = tmp_path / "x.json"
    if bad == "not-json":
        path.write_text("{", encoding="utf-8")
    elif bad == "not-a-plan":
        path.write_text('{"schema_version": 1, "actions": {}}', encoding="utf-8")
    else:
        path = tmp_path / "nowhere"
    for args in ((str(path), str(compiled["out"])), (str(compiled["out"]), str(path))):
        proc = run_sdp("diff", *args, "-o", str(tmp_path / "d"))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and "sdp: error:" in proc.stderr
    proc = run_sdp("compile", str(REPO / "inputs"), "--rules", str(REPO / "rules"), "-o", str(tmp_path / "o"),
                   "--previous", str(path))
    assert proc.returncode == 2 and "--previous" in proc.stderr and not (tmp_path / "o").exists()


def test_renumbering_alone_is_not_a_change():
    """An action numbered by position that moved up one place is the same action, unchanged."""
    def action(aid, text, ref=None):
        return {"id": aid, "text": text, "ref": ref, "lead_id": "p", "partner_ids": [], "outcome_ids": ["SO1"]}
    base = {"schema_version": 1, "indicators": [], "strategies": [], "diagnostics": [], "submissions": [],
            "partners": []}
    old = {**base, "actions": [action("x-01", "Open a warm space in every library"),
                               action("x-02", "Train community health champions in deprived wards")]}
    new = {**base, "actions": [action("x-01", "Train community health champions in deprived wards")]}
    report = compare(old, new)
    assert [a["id"] for a in report["actions"]["removed"]] == ["x-01"]
    assert report["actions"]["changed"] == [] and report["actions"]["added"] == []
    # a reference the partner gave is its own: a changed one is reported
    old = {**base, "actions": [action("AB1", "Train community health champions", ref="AB1")]}
    new = {**base, "actions": [action("AB2", "Train community health champions", ref="AB2")]}
    (changed,) = compare(old, new)["actions"]["changed"]
    assert changed["fields"] == [{"field": "id", "old": "AB1", "new": "AB2"}]


def test_load_plan_accepts_a_file_or_a_folder(compiled):
    assert load_plan(compiled["out"]) == load_plan(compiled["out"] / "plan.json")
