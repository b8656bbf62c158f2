"""The code table (compiler.codes) and the one renderer per format (compiler.diagnostics_render).

Every code is declared once, with a default severity, a summary and an explanation
(what it finds, why it matters, how to fix it); checks only bind to declared codes.
Every place a diagnostic is shown uses compiler.diagnostics_render; the expected
strings below are what the terminal, the annotated copies, the partner appendices
and the gap report showed before the renderers were one module.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from compiler import diagnostics_render as show
from compiler.codes import PREFIXES, all_codes, code_info, emit, similar_codes
from compiler.diagnostics import Diagnostic, Location, Severity
from tests.conftest import REPO, run_sdp

# --------------------------------------------------------------------------- the code table


def test_codes_are_importable_without_the_checks():
    code = ("import sys, compiler.codes as c; assert len(c.all_codes()) > 40; "
            "assert not [m for m in sys.modules if m.startswith('compiler.checks')], sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_every_code_is_declared_with_severity_summary_and_explanation():
    infos = all_codes()
    assert [i.code for i in infos] == sorted({i.code for i in infos})
    assert {i.code[0] for i in infos} == set(PREFIXES)
    for info in infos:
        assert isinstance(info.severity, Severity) and info.summary, info
        for part in ("What it finds:", "Why it matters:", "How to fix it:"):
            assert part in info.explanation, f"{info.code} lacks '{part}'"


def test_every_check_is_bound_to_a_declared_code_and_every_c_code_has_a_check():
    from compiler.checks.registry import CHECKS, load_checks

    load_checks()
    for code in CHECKS:
        code_info(code)
    assert {i.code for i in all_codes() if i.code.startswith("C")} <= set(CHECKS)


def test_a_check_for_an_undeclared_code_fails_at_import():
    from compiler.checks.registry import CheckRegistrationError, check

    with pytest.raises(CheckRegistrationError, match="C0O4.*compiler/codes.py"):
        check("C0O4")
    with pytest.raises(TypeError):
        check("C004", "warning", "a summary", "an explanation")  # codes are declared in the table only


def test_a_code_cannot_be_declared_twice():
    from compiler.codes import declare

    with pytest.raises(ValueError, match="twice"):
        declare("C004", "warning", "again", "What it finds: …")


def test_similar_codes():
    assert similar_codes("D11", limit=1) == ["D011"]
    assert similar_codes("C0O4", limit=1) == ["C004"]
    assert similar_codes("c004", limit=1) == ["C004"]
    assert similar_codes("Q") == []


def test_explain_an_accessibility_code_and_a_prefix():
    proc = run_sdp("explain", "A005")
    assert proc.returncode == 0 and proc.stdout.startswith("A005 (error by default): an image with no alt text")
    assert "How to fix it:" in proc.stdout
    listed = run_sdp("explain", "a").stdout.splitlines()
    assert listed[0] == "Accessibility (A)"  # the family's heading, then its codes
    assert [line.split()[0] for line in listed[1:]] == [i.code for i in all_codes() if i.code.startswith("A")]
    everything = run_sdp("explain").stdout.splitlines()
    by_family = [i.code for prefix in PREFIXES for i in all_codes() if i.code.startswith(prefix)]
    assert [line.split()[0] for line in everything if line.startswith("  ")] == by_family
    unknown = run_sdp("explain", "D11")
    assert unknown.returncode == 2 and "did you mean D011?" in unknown.stderr


# --------------------------------------------------------------------------- renderers

CELL = Location("kcc/actions.xlsx", sheet="Actions", cell="D4", row=4, column="Measure", text="Actions!D4")
ROW = Location("kcc/contribution.docx", table=2, row=4, column="Measure", text="table 2, row 4 (Measure)")
FILE = Location("kcc/contribution.docx")

R002 = Diagnostic("R002", Severity.ERROR, "unknown indicator 'X3.7'", "action:KCC-01", ROW, ("LF3.7", "LF3.1"))
C004 = Diagnostic("C004", Severity.WARNING, "action KCC-02 names no logframe measure", "action:KCC-02", CELL)
C001 = Diagnostic("C001", Severity.ERROR, "outcome SO2 'Healthy | *places*' has no action in any submission",
                  "outcome:SO2")
I003 = Diagnostic("I003", Severity.WARNING, "no partner named", None, FILE, ("Kent County Council",))
NASTY = Diagnostic("R004", Severity.INFO, "unknown partner 'A\x01B <b>#1</b>'", None, ROW, ("C_D",))


def test_text_is_the_terminal_line():
    assert show.text(R002) == ("kcc/contribution.docx: table 2, row 4 (Measure): error R002: unknown indicator "
                               "'X3.7'; did you mean one of LF3.7 or LF3.1?")
    assert show.text(R002, "inputs/") == "inputs/" + show.text(R002)
    assert show.text(C001, "inputs/") == "error C001: outcome SO2 'Healthy | *places*' has no action in any submission"
    assert show.text(I003) == "kcc/contribution.docx: warning I003: no partner named; did you mean Kent County Council?"
    assert R002.render("inputs/") == show.text(R002, "inputs/")


def test_message_and_where_are_a_partner_appendix_row():
    assert show.message(R002) == "unknown indicator 'X3.7'; did you mean one of LF3.7 or LF3.1?"
    assert show.message(C004) == C004.message
    assert show.where(R002) == "kcc/contribution.docx: table 2, row 4 (Measure)"
    assert show.where(I003) == "kcc/contribution.docx"
    assert show.where(C001) == "The plan as a whole"
    assert show.appendix_row(C004) == ["C004", "warning", C004.message, "kcc/actions.xlsx: Actions!D4"]


def test_comment_is_a_note_saying_what_is_wrong_and_how_to_fix_it():
    # on the cell itself, the note needs no location: what is wrong, the suggestion, the code table's fix
    assert show.comment(R002) == ("Unknown indicator 'X3.7'. Did you mean one of LF3.7 or LF3.1? To fix it: "
                                  + show.fix_text("R002") + " (R002, error)")
    assert show.fix_text("R002") and show.fix_text("R002")[0].islower() and show.fix_text("R002").endswith(".")
    # where the comment could not sit on the problem, it says where the problem is
    assert show.comment(I003, "page header").startswith("page header: No partner named. Did you mean Kent County "
                                                        "Council? To fix it: ")
    assert "\x01" not in show.comment(NASTY)


def test_explanation_is_the_code_tables_what_why_and_fix():
    parts = dict(show.explanation("R004"))
    assert list(parts) == ["What it finds", "Why it matters", "How to fix it"]
    assert parts["What it finds"].startswith("a lead or supporting partner")
    assert show.fix_text("R004") == parts["How to fix it"]
    assert show.explanation("Z999") == [] and show.fix_text("Z999") == ""


def test_to_json_and_the_json_document():
    assert show.to_json(C001) == {"code": "C001", "severity": "error", "message": C001.message,
                                  "subject": "outcome:SO2", "location": None, "suggestions": []}
    assert show.to_json(R002)["location"] == {"path": "kcc/contribution.docx", "sheet": None, "cell": None,
                                              "table": 2, "row": 4, "column": "Measure", "paragraph": None,
                                              "text": "table 2, row 4 (Measure)"}
    assert R002.to_json() == show.to_json(R002)
    assert json.loads(show.json_document([R002, C001])) == [show.to_json(R002), show.to_json(C001)]


def test_gap_report_pieces():
    assert show.report_where(R002) == "kcc/contribution.docx, table 2, row 4 (Measure)"
    assert show.report_where(I003) == "kcc/contribution.docx"
    assert show.report_where(C001) == "whole plan"
    assert show.severity_label(C004) == "Warning" and show.summary(C004) == "an action with no indicator"
    assert show.summary("Z999") == ""
    assert show.markdown_item(R002, ["SO3"]) == (
        "- **R002** unknown indicator 'X3.7' – did you mean one of LF3.7 or LF3.1?  \n"
        "  Where: kcc/contribution.docx, table 2, row 4 (Measure); subject: action:KCC-01; outcome: SO3.")
    assert show.markdown_item(C001) == (
        "- **C001** outcome SO2 'Healthy \\| \\*places\\*' has no action in any submission  \n"
        "  Where: whole plan; subject: outcome:SO2; outcome: none.")


# --------------------------------------------------------------------------- parity with the writers
# Until the writers and templates call compiler.diagnostics_render, their own rendering must agree
# with it byte for byte; these tests skip once the old helpers are gone.

@pytest.fixture(scope="module")
def compiled():
    from compiler.pipeline import compile_plan
    from compiler.ruleset import load_rules

    comp = compile_plan(REPO / "inputs", load_rules(REPO / "rules"), as_of=datetime.date(2025, 6, 1))
    extra = [R002, C004, C001, I003, NASTY, replace(R002, location=replace(ROW, path=comp.plan.submissions[0].path))]
    comp.plan.diagnostics.extend(extra)
    return comp


def test_cli_text_and_json_use_the_renderer(tmp_path):
    proc = run_sdp("check", str(REPO / "inputs"), "--rules", str(REPO / "rules"), "-v", "--as-of", "2025-06-01")
    prefix = str(REPO / "inputs") + "/"
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith(prefix) or line.split(" ", 1)[0] in ("error", "warning", "info")
                         for line in lines), lines[:5]
    as_json = run_sdp("check", str(REPO / "inputs"), "--rules", str(REPO / "rules"), "--format", "json",
                      "--as-of", "2025-06-01")
    diags = json.loads(as_json.stdout)
    expected = [show.text(Diagnostic(e["code"], Severity(e["severity"]), e["message"], e["subject"],
                                     Location(**e["location"]) if e["location"] else None,
                                     tuple(e["suggestions"])), prefix) for e in diags]
    assert lines == expected


def test_emit_uses_the_default_severity():
    d = emit("A002", "the table has no rows", location=Location("x.docx", table=1, text="table 1"))
    assert d.severity is Severity.ERROR and show.text(d) == "x.docx: table 1: error A002: the table has no rows"


def test_lint_doc_prints_through_the_renderer(tmp_path):
    from tests.test_a11y import build

    bad = tmp_path / "bad.docx"
    bad.write_bytes(build(title=None, lang=None))
    proc = run_sdp("lint-doc", str(bad))
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{bad}: document properties: error A006: the core properties give no title (File > Info > Properties > Title)",
        f"{bad}: document styles: error A007: no language is set in the default styles (w:lang in docDefaults or "
        "the Normal style)"]
    assert Path(bad).exists()
