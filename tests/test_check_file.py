"""`sdp check FILE`: one submission checked against the shipped context (issue 11, point 3).

The file is compiled with the logframe, registers and other submissions of the
inputs folder, in place of the input it revises or beside them, and only its
own diagnostics are printed: an indicator or strategy defined in another input
is not unknown, and the whole plan's coverage (C001-C003, C008-C010) is nobody's
file. `--annotate` writes its annotated copy.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from compiler.pipeline import compile_plan, file_diagnostics
from compiler.readers.inputs import version_free_stem
from compiler.ruleset import load_rules
from tests.conftest import DEFAULT_RULES, REPO, run_sdp

INPUTS = REPO / "inputs"
AS_OF = "2025-06-01"
PUBLIC_HEALTH = "kcc/public-health.docx"      # names logframe measures and register strategies, one a typo (R002)
PLAN_WIDE = {"C001", "C002", "C003", "C008", "C009", "C010"}


def check(*args: str) -> tuple[int, list[dict], str]:
    proc = run_sdp("check", *args, "--rules", str(DEFAULT_RULES), "--as-of", AS_OF, "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def without_path(diags: list[dict], path: str = PUBLIC_HEALTH) -> list[tuple]:
    """The diagnostics with the file's path taken out (a copy elsewhere carries its own)."""
    return sorted((d["code"], d["message"], (d["subject"] or "").replace(path, "FILE"),
                   (d["location"] or {}).get("text")) for d in diags)


@pytest.fixture(scope="module")
def whole() -> list[dict]:
    code, diags, _ = check(str(INPUTS))
    assert code == 1
    return diags


def test_one_sample_file_prints_only_its_own_diagnostics(whole):
    code, diags, _ = check(str(INPUTS / PUBLIC_HEALTH), "--inputs", str(INPUTS))
    assert diags, "the sample's public health return has diagnostics of its own"
    assert {d["location"]["path"] for d in diags} == {PUBLIC_HEALTH}
    assert not PLAN_WIDE & {d["code"] for d in diags}
    # exactly the diagnostics the whole folder's check places in this file
    assert without_path(diags) == without_path([d for d in whole if (d["location"] or {}).get("path") == PUBLIC_HEALTH])
    assert code == 1 and any(d["severity"] == "error" for d in diags)   # its own R002 'LF3.9'


def test_indicators_and_strategies_defined_elsewhere_are_not_unknown(tmp_path):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(INPUTS / PUBLIC_HEALTH, lone / "public-health.docx")
    _, alone, _ = check(str(lone))
    unknown_alone = [d for d in alone if d["code"] in ("R002", "R003")]
    assert len(unknown_alone) > 2, "without the logframe and register the file's references are unknown"
    _, in_context, _ = check(str(INPUTS / PUBLIC_HEALTH), "--inputs", str(INPUTS))
    unknown = [d["message"] for d in in_context if d["code"] in ("R002", "R003")]
    assert unknown == ["unknown indicator 'LF3.9'"]      # the sample's one typo; its suggestions are separate
    assert {d["code"] for d in alone} & PLAN_WIDE and not {d["code"] for d in in_context} & PLAN_WIDE


def test_a_revised_copy_outside_the_inputs_replaces_its_original(tmp_path, whole):
    revised = tmp_path / "Public Health v2 (1).docx"
    shutil.copy(INPUTS / PUBLIC_HEALTH, revised)
    rules = load_rules(DEFAULT_RULES)
    comp = compile_plan(INPUTS, rules, as_of=date.fromisoformat(AS_OF), file=revised)
    paths = [s.path for s in comp.plan.submissions]
    assert revised.as_posix() in paths and PUBLIC_HEALTH not in paths
    assert len(paths) == 18       # as many as the sample has: replaced, not added
    mine = file_diagnostics(comp, revised.as_posix())
    expected = [d for d in whole if (d["location"] or {}).get("path") == PUBLIC_HEALTH]
    assert without_path([d.to_json() for d in mine], revised.as_posix()) == without_path(expected)
    code, printed, stderr = check(str(revised), "--inputs", str(INPUTS))
    assert {d["location"]["path"] for d in printed} == {revised.as_posix()}
    assert without_path(printed, revised.as_posix()) == without_path(expected)


def test_a_new_file_outside_the_inputs_is_added(tmp_path):
    new = tmp_path / "another-return.docx"
    shutil.copy(INPUTS / "partners" / "opcc.docx", new)
    comp = compile_plan(INPUTS, load_rules(DEFAULT_RULES), as_of=date.fromisoformat(AS_OF), file=new)
    paths = [s.path for s in comp.plan.submissions]
    assert new.as_posix() in paths and "partners/opcc.docx" in paths and len(paths) == 19


def test_version_marks_are_ignored_when_matching_a_revision():
    assert version_free_stem("MBC return v2 (1).docx") == version_free_stem("mbc_return.docx") == "mbc return"
    assert version_free_stem("opcc FINAL 2025-01-31.xlsx") == "opcc"
    assert version_free_stem("kent-housing-group revised.docx") == version_free_stem("kent-housing-group.docx")


def test_exit_zero_when_none_of_its_diagnostics_is_an_error():
    code, diags, _ = check(str(INPUTS / "partners" / "opcc.docx"), "--inputs", str(INPUTS))
    assert code == 0 and diags and not any(d["severity"] == "error" for d in diags)


def test_annotate_writes_the_file_with_its_diagnostics_as_comments(tmp_path):
    out = tmp_path / "checked.docx"
    proc = run_sdp("check", str(INPUTS / PUBLIC_HEALTH), "--inputs", str(INPUTS), "--rules", str(DEFAULT_RULES),
                   "--as-of", AS_OF, "--annotate", str(out))
    assert proc.returncode == 1, proc.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert "(R002, error)" in comments and "LF3.9" in comments and "(C004, warning)" in comments
    # the text summary names the file and counts only its diagnostics
    assert f"sdp: checked {INPUTS / PUBLIC_HEALTH} against 17 other submissions" in proc.stderr
    assert "1 error," in proc.stderr


def test_annotate_needs_the_files_type_and_a_file(tmp_path):
    proc = run_sdp("check", str(INPUTS / PUBLIC_HEALTH), "--inputs", str(INPUTS), "--annotate",
                   str(tmp_path / "out.xlsx"))
    assert proc.returncode == 2 and "--annotate" in proc.stderr
    proc = run_sdp("check", str(INPUTS), "--annotate", str(tmp_path / "out.docx"))
    assert proc.returncode == 2 and "one file" in proc.stderr
    mine = tmp_path / "mine.docx"
    shutil.copy(INPUTS / PUBLIC_HEALTH, mine)
    proc = run_sdp("check", str(mine), "--inputs", str(INPUTS), "--annotate", str(mine))
    assert proc.returncode == 2 and "must not overwrite" in proc.stderr
    assert mine.read_bytes() == (INPUTS / PUBLIC_HEALTH).read_bytes()
    proc = run_sdp("check", str(tmp_path / "missing.docx"), "--inputs", str(INPUTS))
    assert proc.returncode == 2 and "the file" in proc.stderr and "does not exist" in proc.stderr


def test_the_summary_counts_by_code_in_text_mode_only():
    args = (str(INPUTS), "--rules", str(DEFAULT_RULES), "--as-of", AS_OF)
    text = run_sdp("check", *args)
    lines = text.stderr.splitlines()
    assert "; 1 error, " in lines[-2] and "1 errors" not in text.stderr
    assert lines[-1].startswith("sdp: by code: D011 36, C008 12, ") and "I006" not in lines[-1]   # info not printed
    assert "I006" in run_sdp("check", *args, "-v").stderr.splitlines()[-1]
    quiet = run_sdp("check", *args, "--quiet")
    assert "by code" not in quiet.stdout + quiet.stderr
    as_json = run_sdp("check", *args, "--format", "json")
    assert "by code" not in as_json.stdout + as_json.stderr and json.loads(as_json.stdout)


def test_the_summary_says_one_submission_and_no_errors_in_the_singular(tmp_path):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(INPUTS / "partners" / "opcc.docx", lone / "opcc.docx")
    proc = run_sdp("check", str(lone), "--rules", str(DEFAULT_RULES), "--as-of", AS_OF)
    assert "sdp: checked 1 submission, 3 actions, 0 indicators, " in proc.stderr
