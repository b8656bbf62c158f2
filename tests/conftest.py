"""Shared helper: compile an inputs folder through the CLI and return plan.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RULES = REPO / "rules"
SDP = Path(sys.executable).with_name("sdp")
SCHEMA = REPO / "compiler" / "schema" / "plan.schema.json"


def check_plan(plan: dict) -> None:
    """Invariants every compiled plan must hold: accounting balances; schema-valid when a schema exists."""
    for entry in plan.get("accounting", []):
        assert entry["units_read"] == entry["units_used"] + entry["units_ignored"], entry["path"]
        assert len(entry["ignored"]) == entry["units_ignored"], entry["path"]
    accounted = {entry["path"] for entry in plan.get("accounting", [])}
    for sub in plan.get("submissions", []):
        assert sub["path"] in accounted, f"no accounting for submission {sub['path']}"
    if SCHEMA.exists():
        import jsonschema

        jsonschema.validate(plan, json.loads(SCHEMA.read_text(encoding="utf-8")))


def run_sdp(*args: str) -> subprocess.CompletedProcess:
    """Run `sdp ARGS` in this process (click's test runner): the same command-line code as the
    console script, without paying interpreter start-up and imports for every compile. An
    exception escaping the command is rendered as the traceback the user would have seen.
    Set SDP_TESTS_SUBPROCESS=1 to run the installed console script instead."""
    if os.environ.get("SDP_TESTS_SUBPROCESS"):
        return subprocess.run([str(SDP), *args], capture_output=True, text=True, timeout=300)
    from click.testing import CliRunner

    from compiler.cli import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["sdp", *args], result.exit_code, result.stdout, stderr)


def compile_dir(inputs_dir: Path, tmp_path: Path, rules: Path | None = None) -> tuple[int, dict]:
    """Run `sdp compile INPUTS --rules RULES -o OUT`; return (exit code, plan.json as a dict)."""
    out = tmp_path / "out"
    n = 1
    while out.exists():
        n += 1
        out = tmp_path / f"out{n}"
    proc = run_sdp("compile", str(inputs_dir), "--rules", str(rules or DEFAULT_RULES), "-o", str(out))
    detail = f"exit {proc.returncode}\nstdout:\n{proc.stdout[-2000:]}\nstderr:\n{proc.stderr[-2000:]}"
    if "Traceback" in proc.stderr + proc.stdout:
        pytest.fail("a traceback reached the user\n" + detail, pytrace=False)
    if proc.returncode not in (0, 1):
        pytest.fail("compile did not run\n" + detail, pytrace=False)
    plan_path = out / "plan.json"
    if not plan_path.exists():
        pytest.fail("no plan.json written\n" + detail, pytrace=False)
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    check_plan(plan)
    return proc.returncode, plan


# ----------------------------------------------------------------- snapshots (tests/test_snapshots.py)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots", action="store_true", default=False,
        help="Rewrite the reviewed snapshot and golden files under tests/snapshots/ from what the code produces "
             "now (and delete stale ones) instead of failing on a difference; review the result with git diff.")


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    serialise = sys.modules.get("tests.snapshots.serialise")
    if serialise is not None and serialise.UPDATED:
        terminalreporter.section("snapshots rewritten (review with: git diff -- tests/snapshots)")
        for rel in serialise.UPDATED:
            terminalreporter.write_line(rel)
