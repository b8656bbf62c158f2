"""Configuring diagnostics (spec/outputs.md, rules/checks.toml) and the command line's contract.

Select and ignore work by code prefix like a linter's: the more specific prefix
wins; at equal length ignore beats select. Severities can be overridden per
code, codes switched off per submission path (a glob), and `--strict` turns
warnings into errors. Exit codes: 0 compiled without errors, 1 compiled with
errors, 2 could not run. No traceback ever reaches a user.

Fixtures and the small rules folder come from tests/test_checks.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_RULES
from tests.test_checks import (
    AS_OF, clean_files, contribution, kcc_rows, kcc_with, lf_row, lf_rows, logframe, make_rules, run, sdp,
)

CHECKS_SECTION = '[checks]\nselect = ["I", "R", "C", "D"]\nignore = []\n'


def checks_rules(tmp_path: Path, select=("I", "R", "C", "D"), ignore=(), severity: dict | None = None,
                 per_file: dict | None = None, name: str = "rules") -> Path:
    """The small rules folder with rules/checks.toml's [checks] tables rewritten."""
    def toml_list(items) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"
    new = f"[checks]\nselect = {toml_list(select)}\nignore = {toml_list(ignore)}\n"
    sev = "\n".join(f'{k} = "{v}"' for k, v in (severity or {}).items())
    pfi = "\n".join(f"{json.dumps(k)} = {toml_list(v)}" for k, v in (per_file or {}).items())
    rules = make_rules(tmp_path, name=name)
    text = (rules / "checks.toml").read_text(encoding="utf-8")
    assert CHECKS_SECTION in text, "rules/checks.toml changed shape"
    text = text.replace(CHECKS_SECTION, new, 1)
    text = text.replace("[checks.severity]   # code = \"error\" | \"warning\" | \"info\"\n",
                        "[checks.severity]\n" + (sev + "\n" if sev else ""), 1)
    text = text.replace("[checks.per_file_ignores]   # glob over submission paths = [codes or prefixes]\n",
                        "[checks.per_file_ignores]\n" + (pfi + "\n" if pfi else ""), 1)
    (rules / "checks.toml").write_text(text, encoding="utf-8")
    return rules


def noisy_files() -> dict[str, bytes]:
    """C001 (SO2 has no action), C005 (KCC-01 has no lead), C004 (KCC-02 no measure) and D001 (LF1.1 no baseline)."""
    so1, _ = kcc_rows()
    so1[0]["Lead"] = ""
    so1[1]["Measure"] = ""
    rows = lf_rows()
    rows[0] = lf_row(baseline=None)
    return {"logframe.xlsx": logframe(rows), "kcc.docx": contribution(so1, [])}


def c_codes(res) -> list[str]:
    return [c for c in res.codes() if c.startswith("C")]


def assert_no_traceback(proc, what: str) -> None:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, f"{what}: a traceback reached the user:\n{out[-3000:]}"


# ---------------------------------------------------------------------------
# select / ignore by prefix
# ---------------------------------------------------------------------------

def test_default_selection_reports_every_prefix(tmp_path):
    res = run(tmp_path, noisy_files(), rules=checks_rules(tmp_path))
    assert {"C001", "C004", "C005", "D001"} <= set(res.codes()), res.listing()


def test_ignore_prefix_silences_every_c_code(tmp_path):
    res = run(tmp_path, noisy_files(), rules=checks_rules(tmp_path, ignore=["C"]))
    assert c_codes(res) == [], "ignore = ['C'] silences all C codes:\n" + res.listing()
    assert res.of("D001"), "other prefixes still reported:\n" + res.listing()
    assert res.code == 0, "the C001 error is ignored, so nothing is an error"


def test_more_specific_select_wins_over_ignore(tmp_path):
    res = run(tmp_path, noisy_files(), rules=checks_rules(tmp_path, select=["I", "R", "C", "D", "C004"],
                                                          ignore=["C"]))
    assert c_codes(res) == ["C004"], "select C004 (4 characters) beats ignore C (1):\n" + res.listing()


def test_more_specific_ignore_wins_over_select(tmp_path):
    res = run(tmp_path, noisy_files(), rules=checks_rules(tmp_path, select=["C"], ignore=["C00"]))
    assert res.codes() == ["C010"], "only C selected, C00x ignored by a longer prefix, C010 left:\n" + res.listing()


def test_select_only_some_codes(tmp_path):
    res = run(tmp_path, noisy_files(), rules=checks_rules(tmp_path, select=["C005", "D"]))
    assert res.codes() == ["C005", "D001"], res.listing()


def test_equal_length_ignore_beats_select(tmp_path):
    res = run(tmp_path, noisy_files(), rules=checks_rules(tmp_path, select=["I", "R", "C", "D", "C004"],
                                                          ignore=["C004"]))
    assert "C004" not in res.codes(), "C004 is both selected and ignored: ignore wins\n" + res.listing()
    assert {"C001", "C005"} <= set(res.codes()), res.listing()


# ---------------------------------------------------------------------------
# severity overrides, --strict, exit codes 0 and 1
# ---------------------------------------------------------------------------

def only_c004_files() -> dict[str, bytes]:
    return kcc_with({"Measure": ""})


def test_warning_only_exits_0(tmp_path):
    res = run(tmp_path, only_c004_files())
    assert res.codes() == ["C004"], res.listing()
    assert res.of("C004")[0]["severity"] == "warning"
    assert res.code == 0


def test_severity_override_to_error_exits_1(tmp_path):
    res = run(tmp_path, only_c004_files(), rules=checks_rules(tmp_path, severity={"C004": "error"}))
    assert [d["severity"] for d in res.of("C004")] == ["error"], res.listing()
    assert res.code == 1


def test_severity_override_to_info_exits_0(tmp_path):
    res = run(tmp_path, kcc_with(so2=[]), rules=checks_rules(tmp_path, severity={"C001": "info"}))
    assert [d["severity"] for d in res.of("C001")] == ["info"], res.listing()
    assert not [d for d in res.diagnostics if d["severity"] == "error"], res.listing()
    assert res.code == 0


def test_strict_turns_warnings_into_errors(tmp_path):
    res = run(tmp_path, only_c004_files(), args=("--strict",))
    assert [d["severity"] for d in res.of("C004")] == ["error"], res.listing()
    assert res.code == 1


def test_strict_leaves_info_alone(tmp_path):
    files = {**clean_files(), "notes.pdf": b"%PDF-1.4\n%%EOF\n"}  # I002 is info
    res = run(tmp_path, files, args=("--strict",))
    assert [d["severity"] for d in res.of("I002")] == ["info"], res.listing()
    assert res.code == 0


def test_clean_inputs_exit_0_and_errors_exit_1(tmp_path):
    assert run(tmp_path).code == 0
    res = run(tmp_path, kcc_with(so2=[]))
    assert [d["severity"] for d in res.of("C001")] == ["error"]
    assert res.code == 1


def test_compile_with_errors_exits_1_and_still_writes_artefacts(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name, data in kcc_with(so2=[]).items():
        (inputs / name).write_bytes(data)
    out = tmp_path / "out"
    proc = sdp("compile", str(inputs), "--rules", str(make_rules(tmp_path)), "-o", str(out), "--as-of", AS_OF)
    assert_no_traceback(proc, "compile")
    assert proc.returncode == 1, proc.stderr[-2000:]
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert [d["severity"] for d in plan["diagnostics"] if d["code"] == "C001"] == ["error"]
    assert (out / "shared-delivery-plan.docx").is_file() and (out / "gap-report.json").is_file(), \
        "all artefacts are still written"


# ---------------------------------------------------------------------------
# per-file ignores
# ---------------------------------------------------------------------------

def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    root.mkdir()
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def per_file_case(tmp_path: Path, per_file: dict) -> list[dict]:
    so1, so2 = kcc_rows()
    so1[0]["Lead"] = ""
    ek = [dict(so1[0], Ref="EK-01", Action="Recruit community health visitors for new parents in Thanet")]
    inputs = write_tree(tmp_path / "inputs", {
        "logframe.xlsx": logframe(),
        "kcc.docx": contribution(so1, so2),
        "hcp/east-kent.docx": contribution(ek, [], partner="East Kent Health and Care Partnership"),
    })
    rules = checks_rules(tmp_path, per_file=per_file)
    proc = sdp("check", str(inputs), "--rules", str(rules), "--format", "json", "--as-of", AS_OF)
    assert_no_traceback(proc, "check")
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return json.loads(proc.stdout)


def c005_paths(diags: list[dict]) -> list[str]:
    return sorted(d["location"]["path"] for d in diags if d["code"] == "C005")


def test_without_per_file_ignores_both_files_report(tmp_path):
    assert c005_paths(per_file_case(tmp_path, {})) == ["hcp/east-kent.docx", "kcc.docx"]


@pytest.mark.parametrize("pattern, codes", [("hcp/*", ["C005"]), ("hcp/*.docx", ["C"]), ("*/east-kent.docx", ["C00"])])
def test_per_file_ignore_by_glob(tmp_path, pattern, codes):
    diags = per_file_case(tmp_path, {pattern: codes})
    assert c005_paths(diags) == ["kcc.docx"], f"{pattern} = {codes} switches C005 off for hcp/east-kent.docx only"


def test_per_file_ignore_other_code_keeps_c005(tmp_path):
    diags = per_file_case(tmp_path, {"hcp/*": ["C004", "D"]})
    assert c005_paths(diags) == ["hcp/east-kent.docx", "kcc.docx"]


# ---------------------------------------------------------------------------
# exit code 2: could not run
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "compile"])
def test_missing_inputs_folder_exits_2(tmp_path, command):
    proc = sdp(command, str(tmp_path / "no-such-folder"), "--rules", str(make_rules(tmp_path)),
               *(["-o", str(tmp_path / "out")] if command == "compile" else []))
    assert_no_traceback(proc, "missing inputs")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "no-such-folder" in proc.stderr, f"names the folder: {proc.stderr}"


@pytest.mark.parametrize("command", ["check", "compile"])
def test_empty_inputs_folder_exits_2(tmp_path, command):
    (tmp_path / "inputs").mkdir()
    proc = sdp(command, str(tmp_path / "inputs"), "--rules", str(make_rules(tmp_path)),
               *(["-o", str(tmp_path / "out")] if command == "compile" else []))
    assert_no_traceback(proc, "empty inputs")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip(), "says why it cannot run"


def test_a_file_checked_against_a_missing_inputs_folder_exits_2(tmp_path):
    (tmp_path / "kcc.docx").write_bytes(contribution())
    proc = sdp("check", str(tmp_path / "kcc.docx"), "--inputs", str(tmp_path / "missing"),
               "--rules", str(make_rules(tmp_path)))
    assert_no_traceback(proc, "inputs folder missing")
    assert proc.returncode == 2 and "does not exist" in proc.stderr


@pytest.mark.parametrize("file, old, new, key, meant", [
    ("system.toml", "plan_title =", "plan_titel =", "titel", "plan_title"),
    ("checks.toml", "select = [", "selct = [", "selct", "select"),
    ("checks.toml", "baseline_max_age_years =", "baseline_max_age_yeras =", "baseline_max_age_yeras",
     "baseline_max_age_years"),
], ids=["system", "checks", "thresholds"])
def test_rules_with_unknown_key_exit_2(tmp_path, file, old, new, key, meant):
    rules = make_rules(tmp_path, edits={file: [(old, new)]})
    inputs = write_tree(tmp_path / "inputs", clean_files())
    proc = sdp("check", str(inputs), "--rules", str(rules))
    assert_no_traceback(proc, "rules with an unknown key")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    err = proc.stderr
    assert file in err, f"names the file {file}: {err}"
    assert key in err, f"names the key {key}: {err}"
    assert f"'{meant}'" in err and "did you mean" in err, f"suggests {meant!r}: {err}"


def test_rules_with_titel_key_suggests_title(tmp_path):
    # an unknown key `titel` in the metadata synonyms: did you mean 'title'?
    rules = make_rules(tmp_path, edits={"headers.toml": [('title = ["Title", "Document title"]',
                                                         'titel = ["Title", "Document title"]')]})
    inputs = write_tree(tmp_path / "inputs", clean_files())
    proc = sdp("check", str(inputs), "--rules", str(rules))
    assert_no_traceback(proc, "rules with titel")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "headers.toml" in proc.stderr and "titel" in proc.stderr, proc.stderr
    assert "did you mean 'title'" in proc.stderr, proc.stderr


def test_rules_with_titel_outcome_key_suggests_title(tmp_path):
    rules = make_rules(tmp_path)
    text = (rules / "outcomes.toml").read_text(encoding="utf-8")
    (rules / "outcomes.toml").write_text(text.replace('title = "Partnership working"', 'titel = "Partnership working"'),
                                         encoding="utf-8")
    inputs = write_tree(tmp_path / "inputs", clean_files())
    proc = sdp("check", str(inputs), "--rules", str(rules))
    assert_no_traceback(proc, "rules with titel")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "outcomes.toml" in proc.stderr and "titel" in proc.stderr, proc.stderr
    assert "did you mean 'title'" in proc.stderr, proc.stderr


def test_missing_rules_folder_exits_2(tmp_path):
    inputs = write_tree(tmp_path / "inputs", clean_files())
    proc = sdp("check", str(inputs), "--rules", str(tmp_path / "no-rules"))
    assert_no_traceback(proc, "missing rules")
    assert proc.returncode == 2
    assert "no-rules" in proc.stderr


def test_invalid_severity_value_exits_2(tmp_path):
    rules = checks_rules(tmp_path, severity={"C004": "fatal"})
    inputs = write_tree(tmp_path / "inputs", clean_files())
    proc = sdp("check", str(inputs), "--rules", str(rules))
    assert_no_traceback(proc, "bad severity")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "checks.toml" in proc.stderr and "C004" in proc.stderr, proc.stderr


# ---------------------------------------------------------------------------
# --format json
# ---------------------------------------------------------------------------

def json_diagnostics(tmp_path: Path, name: str, files: dict[str, bytes], order: list[str]) -> str:
    root = tmp_path / name
    root.mkdir()
    for fname in order:  # creation order differs between runs
        (root / fname).write_bytes(files[fname])
    proc = sdp("check", str(root), "--rules", str(make_rules(tmp_path, name=f"rules-{name}")), "--format", "json",
               "--as-of", AS_OF)
    assert_no_traceback(proc, "--format json")
    assert proc.returncode in (0, 1)
    return proc.stdout


def test_format_json_is_a_stable_list(tmp_path):
    so1, _ = kcc_rows()
    ek = [dict(r, Ref=r["Ref"].replace("KCC", "EK"), Action=r["Action"] + " (East Kent)", Place="Atlantis")
          for r in so1]
    files = {**noisy_files(), "east-kent.docx": contribution(ek, [], partner=None), "notes.pdf": b"%PDF-1.4\n%%EOF\n"}
    names = sorted(files)
    first = json_diagnostics(tmp_path, "a", files, names)
    second = json_diagnostics(tmp_path, "b", files, list(reversed(names)))
    data = json.loads(first)
    assert isinstance(data, list) and len(data) >= 8, first
    for d in data:
        assert {"code", "severity", "message", "subject", "location", "suggestions"} <= set(d), d
        assert d["severity"] in ("error", "warning", "info")
        assert re.fullmatch(r"[IRCD]\d{3}", d["code"])
    assert first == second, "two runs give byte-identical JSON"


def test_format_json_includes_info(tmp_path):
    res = run(tmp_path, {**clean_files(), "notes.pdf": b"%PDF-1.4\n%%EOF\n"})
    assert res.of("I002")


def test_text_format_reads_like_a_compiler(tmp_path):
    inputs = write_tree(tmp_path / "inputs", kcc_with({"Measure": "LF1.2"}))
    proc = sdp("check", str(inputs), "--rules", str(make_rules(tmp_path)), "--as-of", AS_OF)
    assert_no_traceback(proc, "check")
    assert proc.returncode == 1
    line = next((l for l in proc.stdout.splitlines() if "R002" in l), None)
    assert line is not None, proc.stdout
    # inputs/hcp/east-kent.docx: table 2, row 4 (Measure): error R002: unknown indicator 'LF3.7'; did you mean 'LF3.1' (...)?
    assert line.startswith(f"{inputs}/kcc.docx: table 2, row 2 (Measure): error R002: "), line
    assert "'LF1.2'" in line and "did you mean" in line and "'LF1.1' (Good level of development at age 5)" in line, line


# ---------------------------------------------------------------------------
# sdp explain
# ---------------------------------------------------------------------------

CHECKS_MD_CODES = (
    [f"I00{i}" for i in range(1, 9)] + [f"R00{i}" for i in range(1, 9)]
    + [f"C{i:03d}" for i in range(1, 12)] + [f"D{i:03d}" for i in range(1, 12)]
)
DEFAULTS = {
    "I001": "error", "I002": "info", "I003": "warning", "I004": "warning", "I005": "warning", "I006": "info",
    "I007": "warning", "I008": "warning",
    "R001": "error", "R002": "error", "R003": "warning", "R004": "warning", "R005": "warning", "R006": "info",
    "R007": "error", "R008": "error",
    "C001": "error", "C002": "error", "C003": "warning", "C004": "warning", "C005": "warning", "C006": "warning",
    "C007": "info", "C008": "warning", "C009": "warning", "C010": "info", "C011": "info",
    "D001": "warning", "D002": "warning", "D003": "warning", "D004": "warning", "D005": "warning", "D006": "info",
    "D007": "warning", "D008": "warning", "D009": "warning", "D010": "error", "D011": "warning",
}


def test_explain_r002(tmp_path):
    proc = sdp("explain", "R002")
    assert_no_traceback(proc, "explain R002")
    assert proc.returncode == 0
    out = proc.stdout
    assert "R002" in out and "error" in out and "unknown indicator" in out.lower(), out
    assert len(out.strip().splitlines()) >= 3, "what it means, why it matters and how to fix it"


def test_explain_lowercase_code(tmp_path):
    proc = sdp("explain", "r002")
    assert proc.returncode == 0 and "R002" in proc.stdout


def test_explain_lists_every_code_with_default_severity():
    proc = sdp("explain")
    assert_no_traceback(proc, "explain")
    assert proc.returncode == 0
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    for code in CHECKS_MD_CODES + ["R009", "R010"]:
        assert code in lines, f"{code} missing from `sdp explain`"
    for code, severity in DEFAULTS.items():
        assert re.search(rf"\b{severity}\b", lines[code]), f"{code}: default {severity}: {lines[code]}"


@pytest.mark.parametrize("code", CHECKS_MD_CODES + ["R009", "R010"])
def test_explain_every_code(code):
    proc = sdp("explain", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(code) and DEFAULTS.get(code, "") in proc.stdout


def test_explain_unknown_code_exits_2():
    proc = sdp("explain", "X999")
    assert_no_traceback(proc, "explain X999")
    assert proc.returncode == 2
    assert "X999" in proc.stderr, proc.stderr
    assert proc.stdout == ""


# ---------------------------------------------------------------------------
# bad arguments: exit 2, a message, never a traceback
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["check", "--format", "xml"],
    ["check", "--as-of", "2024-13-45"],
    ["check", "--as-of", "yesterday"],
    ["compile", "--no-such-option"],
    ["check", "inputs", "more", "arguments"],
    ["explain", "R002", "R003"],
    ["explain", ""],
    ["compile", "--reference-docx", "/no/such/file.docx"],
    ["diff"],
    ["extract", "--outcome"],
    ["lint-doc"],
], ids=lambda a: " ".join(a) or "empty")
def test_bad_arguments_exit_2_without_traceback(tmp_path, args):
    proc = sdp(*args)
    assert_no_traceback(proc, " ".join(args))
    assert proc.returncode == 2, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert proc.stderr.strip(), "says what is wrong"


def test_help_on_every_command_has_an_example():
    proc = sdp("--help")
    assert proc.returncode == 0
    commands = re.findall(r"^\s{2}([a-z][a-z-]+)\s", proc.stdout.split("Commands:")[-1], re.M)
    assert {"check", "compile", "explain"} <= set(commands), proc.stdout
    for command in commands:
        sub = sdp(command, "--help")
        assert_no_traceback(sub, f"{command} --help")
        assert sub.returncode == 0
        assert "Example" in sub.stdout, f"`sdp {command} --help` shows an example"


# ---------------------------------------------------------------------------
# codes in rules/checks.toml must name declared codes (compiler.codes): exit 2 with a did-you-mean
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("settings, key, meant", [
    ({"ignore": ["D11"]}, "checks.ignore[0]", "D011"),
    ({"select": ["I", "R", "C", "D", "C0O4"]}, "checks.select[4]", "C004"),
    ({"severity": {"C0O4": "error"}}, "checks.severity.C0O4", "C004"),
    ({"per_file": {"kcc*.docx": ["C004", "R02"]}}, 'checks.per_file_ignores."kcc*.docx"[1]', "R002"),
], ids=["ignore", "select", "severity", "per-file"])
@pytest.mark.parametrize("command", ["check", "compile"])
def test_unknown_code_in_checks_toml_exits_2_naming_file_key_and_code_meant(tmp_path, command, settings, key, meant):
    rules = checks_rules(tmp_path, **settings)
    inputs = write_tree(tmp_path / "inputs", clean_files())
    out = tmp_path / "out"
    proc = sdp(command, str(inputs), "--rules", str(rules), *(["-o", str(out)] if command == "compile" else []))
    assert_no_traceback(proc, f"unknown code in {settings}")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"checks.toml: {key}: " in proc.stderr, proc.stderr
    assert f"did you mean '{meant}'?" in proc.stderr, proc.stderr
    assert not out.exists(), "nothing is written when the rules cannot be used"


def test_valid_prefixes_and_codes_in_checks_toml_are_accepted(tmp_path):
    rules = checks_rules(tmp_path, select=["I", "R", "C", "D01", "D001"], ignore=["C01", "R"],
                         severity={"C004": "info", "A001": "warning"}, per_file={"*.xlsx": ["D", "I007"]})
    res = run(tmp_path, rules=rules)
    assert res.code == 0, res.listing()


def test_every_unknown_code_is_reported_at_once(tmp_path):
    rules = checks_rules(tmp_path, ignore=["D11", "X"], severity={"C0O4": "error", "C": "info"})
    inputs = write_tree(tmp_path / "inputs", clean_files())
    proc = sdp("check", str(inputs), "--rules", str(rules))
    assert proc.returncode == 2
    problems = [line.strip() for line in proc.stderr.splitlines() if line.startswith("  ")]
    assert len(problems) == 4, proc.stderr
    assert any("checks.severity.C:" in p and "per code" in p for p in problems), problems
