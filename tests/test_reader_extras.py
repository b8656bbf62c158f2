"""Shapes partners use beyond the spec's two (tables and lists), read without inventing anything."""

from __future__ import annotations

import shutil

from docx import Document

from tests.conftest import REPO, compile_dir


def _compile(tmp_path, doc: Document, name: str = "swale-contribution.docx"):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(REPO / "inputs" / "logframe" / "logframe-matrix.xlsx", inputs / "logframe.xlsx")
    shutil.copy(REPO / "inputs" / "registers" / "strategy-register.xlsx", inputs / "register.xlsx")
    doc.save(inputs / name)
    return compile_dir(inputs, tmp_path)[1]


def _table(doc: Document, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value


def test_one_action_described_field_by_row(tmp_path):
    doc = Document()
    doc.add_paragraph("Organisation: Swale Borough Council")
    doc.add_heading("Shared Outcome 2: Tackle the wider determinants to prevent ill health", 1)
    _table(doc, [["Action", "Deliver a warm homes advice service for private tenants"],
                 ["Lead organisation", "Swale Borough Council"],
                 ["Supporting partners", "Kent Housing Group"],
                 ["Key milestones (with dates)", "Service launched – October 2024"],
                 ["Logframe measure", "LF2.1"]])
    plan = _compile(tmp_path, doc)
    assert [a["text"] for a in plan["actions"]] == ["Deliver a warm homes advice service for private tenants"]
    action = plan["actions"][0]
    assert action["lead_id"] == "swale-bc" and action["partner_ids"] == ["khg"]
    assert action["indicator_ids"] == ["LF2.1"] and action["outcome_ids"] == ["SO2"]
    assert action["milestones"] == [{"text": "Service launched – October 2024", "due": "2024-10-31"}]


def test_a_two_column_actions_table_is_not_a_card(tmp_path):
    doc = Document()
    doc.add_paragraph("Organisation: Swale Borough Council")
    doc.add_heading("Outcome 3", 1)
    _table(doc, [["Action", "Lead"], ["Promote the stop smoking service in workplaces", "KCC"],
                 ["Open two more parkrun-style walking groups", "Swale Borough Council"]])
    plan = _compile(tmp_path, doc)
    assert [(a["text"], a["lead_id"]) for a in plan["actions"]] == [
        ("Promote the stop smoking service in workplaces", "kcc"),
        ("Open two more parkrun-style walking groups", "swale-bc")]


def test_a_header_that_contains_one_fields_name(tmp_path):
    doc = Document()
    doc.add_paragraph("Organisation: Swale Borough Council")
    doc.add_heading("Outcome 2", 1)
    _table(doc, [["No.", "What will we do?", "Link to strategy", "Lead organisation contact"],
                 ["1", "Run debt advice clinics in GP surgeries", "Kent and Medway Housing Strategy", "KCC"]])
    plan = _compile(tmp_path, doc)
    (action,) = plan["actions"]
    assert action["id"] == "swale-bc-1" and action["text"] == "Run debt advice clinics in GP surgeries"
    assert action["strategy_ids"] == ["kent-and-medway-housing-strategy"]
    assert action["lead_id"] == "kcc"


def test_heading_that_mentions_an_outcome(tmp_path):
    doc = Document()
    doc.add_paragraph("Organisation: Swale Borough Council")
    doc.add_heading("Our contribution to Outcome 4", 1)
    doc.add_paragraph("Expand the community blood pressure checks in pharmacies (Lead: KCC)", style="List Bullet")
    plan = _compile(tmp_path, doc)
    (action,) = plan["actions"]
    assert action["outcome_ids"] == ["SO4"] and action["lead_id"] == "kcc"


def test_title_naming_two_partners_does_not_choose_one(tmp_path):
    doc = Document()
    doc.add_heading("Medway and Swale: a joint note", 0)
    doc.add_heading("Outcome 4", 1)
    doc.add_paragraph("Expand the community blood pressure checks (Lead: KCC)", style="List Bullet")
    plan = _compile(tmp_path, doc, name="joint-note.docx")
    assert {s["path"]: s["partner_id"] for s in plan["submissions"]}["joint-note.docx"] is None
    assert any(d["code"] == "I003" and d["location"]["path"] == "joint-note.docx" for d in plan["diagnostics"])
