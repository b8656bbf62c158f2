"""Outputs are replaced in one step: a compile that fails or is killed leaves the previous ones whole."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_RULES, REPO, SDP, run_sdp

INPUTS = REPO / "inputs"


def _whole(out: Path) -> dict[str, str]:
    """Every file the manifest lists, with its sha256 checked: the folder is one compile's output."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, f"{name} is not from this compile"
    return listed


def _compile(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_sdp("compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(out), *extra)


def test_two_compiles_are_byte_identical_and_notes_survive(tmp_path):
    out = tmp_path / "outputs"
    assert _compile(out).returncode in (0, 1)
    (out / "README.md").write_text("kept by the policy team\n", encoding="utf-8")
    first = _whole(out)
    assert _compile(out).returncode in (0, 1)
    assert _whole(out) == first
    assert (out / "README.md").read_text(encoding="utf-8") == "kept by the policy team\n"


def test_a_writer_that_fails_leaves_the_previous_outputs(tmp_path, monkeypatch):
    out = tmp_path / "outputs"
    assert _compile(out).returncode in (0, 1)
    before = _whole(out)

    from compiler import writers

    def broken(comp, ctx):
        raise RuntimeError("disk on fire")

    writers.load_writers()
    monkeypatch.setitem(writers.WRITERS, "broken", writers.Writer("broken", "fails on purpose", broken))
    proc = _compile(out, "--no-cache")  # the broken writer is not in the compiler's code: the cache cannot see it
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "disk on fire" in proc.stderr
    assert _whole(out) == before
    assert not list(tmp_path.glob(".outputs.sdp-*")), "the staging folder was left behind"


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15])
def test_killing_a_compile_while_it_writes_leaves_whole_outputs(tmp_path, delay):
    out = tmp_path / "outputs"
    assert _compile(out).returncode in (0, 1)
    before = _whole(out)
    proc = subprocess.Popen([str(SDP), "compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(out),
                             "--as-of", "2025-06-01", "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not list(tmp_path.glob(".outputs.sdp-new-*")):
        time.sleep(0.005)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    after = _whole(out)  # whichever compile it is, it is one compile's outputs, whole
    assert set(after) == set(before)
    assert _compile(out).returncode in (0, 1)
    assert not list(tmp_path.glob(".outputs.sdp-*")), "stale staging folders are cleaned by the next compile"
    assert _whole(out) == before


def test_exit_zero_reports_errors_but_exits_zero(tmp_path):
    out = tmp_path / "outputs"
    plain = _compile(out)
    assert plain.returncode == 1 and "error R002" in plain.stdout
    relaxed = _compile(out, "--exit-zero")
    assert relaxed.returncode == 0 and "error R002" in relaxed.stdout
    assert run_sdp("compile", str(tmp_path / "missing"), "-o", str(out), "--exit-zero").returncode == 2


def test_only_writes_the_named_artefacts_and_removes_stale_ones(tmp_path):
    out = tmp_path / "outputs"
    assert _compile(out).returncode in (0, 1)
    (out / "README.md").write_text("kept\n", encoding="utf-8")
    from compiler.cli import main
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(out),
                                       "--as-of", "2025-06-01", "--only", "gap-report", "--exit-zero"])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["README.md", "gap-report.html", "gap-report.json", "gap-report.md", "manifest.json",
                       "plan.json"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [o["path"] for o in manifest["outputs"]] == ["gap-report.html", "gap-report.json", "gap-report.md",
                                                        "plan.json"]


def test_only_with_an_unknown_artefact_stops_before_compiling(tmp_path):
    from click.testing import CliRunner

    from compiler.cli import main

    result = CliRunner().invoke(main, ["compile", str(INPUTS), "--rules", str(DEFAULT_RULES),
                                       "-o", str(tmp_path / "out"), "--only", "gap-reprot"])
    assert result.exit_code == 2
    assert "did you mean 'gap-report'" in result.output
    assert not (tmp_path / "out").exists()
