"""Unrecognised columns are reported, not silently parked (issue 9, point 1).

A district's own actions table headed `Working with`, `Partner organisations` or `Deadline` gives
its partners and dates: they are read as fields (synonyms in rules/headers.toml), a header close to
a synonym is read and reported (I010), and a column that means no field is kept as a custom field,
shown in the partner's appendix, with a warning naming the line of rules/headers.toml that would
map it (I011). The same for Excel trackers.
"""

from __future__ import annotations

import io
import re
import shutil

import docx
import pytest

from compiler.ruleset import load_rules
from tests.conftest import DEFAULT_RULES, REPO, compile_dir
from tests.fixtures.ooxml import docx_bytes, heading, tbl, xlsx_bytes
from tests.test_word_variations import LOGFRAME, actions_of, diags, find_action, meta_table, write_inputs

OUTCOME_2 = "Outcome 2: Tackle the wider determinants of health"


def _headers_line(field: str, kind: str = "action") -> int:
    section = None
    for number, line in enumerate((DEFAULT_RULES / "headers.toml").read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("["):
            section = line.split("]")[0].strip("[")
        elif section == kind and re.match(rf"{field}\s*=", line):
            return number
    raise AssertionError(f"no {field} line under [{kind}]")


def _word_table(header: list[str], rows: list[list[str]]) -> bytes:
    return docx_bytes(meta_table() + heading(OUTCOME_2) + tbl([header, *rows]))


def test_working_with_partner_organisations_and_deadline_are_read_as_fields(tmp_path):
    data = _word_table(
        ["Action", "Lead", "Working with", "Deadline", "Measure"],
        [["Support households in fuel poverty", "Swale BC", "Kent Invicta Chamber; Golding Homes",
          "March 2026", "LF2.1"]])
    other = _word_table(
        ["Action", "Lead", "Partner organisations", "Completion date", "Measure"],
        [["Run employment support clinics", "Swale BC", "Kent Invicta Chamber", "June 2025", "LF2.2"]])
    inputs = write_inputs(tmp_path, {"swale.docx": data, "swale-employment.docx": other})
    _, plan = compile_dir(inputs, tmp_path)
    fuel = find_action(plan, "fuel poverty")
    assert "kicc" in fuel["partner_ids"], fuel
    assert [m["due"] for m in fuel["milestones"]] == ["2026-03-31"]
    assert fuel["custom"] == {}
    clinics = find_action(plan, "employment support clinics")
    assert clinics["partner_ids"] == ["kicc"]
    assert [m["due"] for m in clinics["milestones"]] == ["2025-06-30"]
    assert not diags(plan, "C006"), "the partners gave their dates: no false 'no milestone'"
    assert not diags(plan, "I011")
    assert not diags(plan, "I010"), "exact synonyms are not reported"


def test_a_header_close_to_a_synonym_is_read_and_reported(tmp_path):
    data = _word_table(["Action", "Lead", "Working wth", "Milestones / deadlines", "Measure"],
                       [["Support households in fuel poverty", "Swale BC", "Kent Invicta Chamber", "March 2026", "LF2.1"]])
    inputs = write_inputs(tmp_path, {"swale.docx": data})
    _, plan = compile_dir(inputs, tmp_path)
    action = find_action(plan, "fuel poverty")
    assert action["partner_ids"] == ["kicc"]
    assert [m["due"] for m in action["milestones"]] == ["2026-03-31"]
    reports = {d["location"]["column"]: d for d in diags(plan, "I010")}
    assert set(reports) == {"Working wth", "Milestones / deadlines"}, diags(plan, "I010")
    close = reports["Working wth"]
    assert close["severity"] == "info"
    assert "column 'Working wth' of table 2 taken to mean partners (close to 'Working with'" in close["message"]
    assert f"rules/headers.toml line {_headers_line('partners')} (partners = […] under [action])" in close["message"]
    assert "it contains 'Milestones'" in reports["Milestones / deadlines"]["message"]
    assert close["location"]["path"] == "swale.docx" and close["location"]["table"] == 2


def test_a_column_that_means_no_field_is_kept_shown_and_warned(tmp_path):
    data = _word_table(["Action", "Lead", "Partners", "Funding", "Milestones", "Measure"],
                       [["Support households in fuel poverty", "Swale BC", "Kent Invicta Chamber",
                         "£40,000 from the Household Support Fund", "March 2026", "LF2.1"]])
    inputs = write_inputs(tmp_path, {"swale.docx": data})
    out = tmp_path / "out"
    _, plan = compile_dir(inputs, tmp_path)
    action = find_action(plan, "fuel poverty")
    assert action["custom"] == {"Funding": "£40,000 from the Household Support Fund"}
    [warning] = diags(plan, "I011")
    assert warning["severity"] == "warning"
    assert warning["location"]["column"] == "Funding" and warning["location"]["table"] == 2
    message = warning["message"]
    assert "column 'Funding' of table 2 is not a field the compiler reads" in message
    assert "kept with each action as a custom field (shown in the partner's appendix)" in message
    assert f"rules/headers.toml line {_headers_line('ref') - 1} ([action])" in message
    # The partner's appendix shows it.
    appendix = docx.Document(io.BytesIO((out / "partners" / "swale-bc.docx").read_bytes()))
    cells = [c.text for t in appendix.tables for row in t.rows for c in row.cells]
    assert "Funding" in cells and "£40,000 from the Household Support Fund" in cells
    assert any(p.text == "Other details given with its actions" for p in appendix.paragraphs)


def test_excel_tracker_columns_reported_the_same_way(tmp_path):
    tracker = xlsx_bytes({"Actions": [
        ["Ref", "Outcome", "Action", "Lead", "Working with", "Deadline", "Measure", "Risks"],
        ["SW-01", "SO2", "Support households in fuel poverty", "Swale BC", "Kent Invicta Chamber", "March 2026",
         "LF2.1", "Take-up may be low"],
    ]})
    inputs = write_inputs(tmp_path, {"swale-tracker.xlsx": tracker})
    _, plan = compile_dir(inputs, tmp_path)
    action = find_action(plan, "fuel poverty")
    assert action["partner_ids"] == ["kicc"]
    assert [m["due"] for m in action["milestones"]] == ["2026-03-31"]
    assert action["custom"] == {"Risks": "Take-up may be low"}
    [warning] = diags(plan, "I011")
    assert "column 'Risks' of sheet 'Actions'" in warning["message"]
    assert warning["location"]["cell"] == "H1"
    assert not diags(plan, "C006")


def test_a_second_column_for_a_field_is_reported(tmp_path):
    data = _word_table(["Action", "Lead", "Partners", "Other partners", "Milestones", "Measure"],
                       [["Support households in fuel poverty", "Swale BC", "Kent Invicta Chamber", "Golding Homes",
                         "March 2026", "LF2.1"]])
    inputs = write_inputs(tmp_path, {"swale.docx": data})
    _, plan = compile_dir(inputs, tmp_path)
    [warning] = diags(plan, "I011")
    assert "column 'Other partners' of table 2 names partners again; partners is read from column 'Partners'" \
        in warning["message"]
    assert find_action(plan, "fuel poverty")["custom"] == {"Other partners": "Golding Homes"}


def test_logframe_column_that_means_nothing_is_reported_not_read(tmp_path):
    logframe = xlsx_bytes({"Logframe": [
        ["Indicator ID", "Outcome", "Indicator", "Unit", "Baseline", "Target 2025/26", "Data source", "RAG rating notes"],
        ["LF2.1", "SO2", "Households in temporary accommodation", "rate per 1,000", 4.1, 3.5, "DLUHC", "Amber"],
    ]})
    inputs = write_inputs(tmp_path, {"logframe.xlsx": logframe}, logframe=False)
    _, plan = compile_dir(inputs, tmp_path)
    [warning] = diags(plan, "I011")
    assert "column 'RAG rating notes' of sheet 'Logframe' is not a field the compiler reads; its values are not read" \
        in warning["message"]
    assert "rules/headers.toml line" in warning["message"] and "[logframe]" in warning["message"]


def test_the_shipped_sample_reports_every_column_it_does_not_read(tmp_path):
    """The sample's unread columns (Funding in DGS's table, Risks in Kent Housing Group's) are
    named, each once; every other header is a synonym."""
    _, plan = compile_dir(REPO / "inputs", tmp_path)
    unread = sorted((d["location"]["path"], d["location"]["column"]) for d in diags(plan, "I011"))
    assert unread == [("hcp/dgs.docx", "Funding"), ("partners/kent-housing-group.docx", "Risks")]
    assert not diags(plan, "I010")


@pytest.mark.parametrize("rules_dir", [DEFAULT_RULES, REPO / "tests" / "fictional" / "rules"], ids=["sample", "fictional"])
def test_officers_headers_are_synonyms_in_both_rule_sets(rules_dir):
    headers = load_rules(rules_dir).headers["action"]
    for field, words in {"partners": ["Working with", "Partner organisations"],
                         "milestones": ["Deadline", "By when"]}.items():
        for word in words:
            assert word in headers[field], (rules_dir, field, word)
