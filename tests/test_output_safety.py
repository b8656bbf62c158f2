"""Output folders that cannot hurt (issue 9, point 7): never the inputs, never inside or around them,
never around the rules; one compile at a time per folder; a full disk is a plain message with the
previous outputs intact; the rules beside the inputs are found when none are in the current folder."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_RULES, REPO, SDP, run_sdp

INPUTS = REPO / "inputs"


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def project(tmp_path) -> Path:
    """A project folder as an officer has it: inputs/ and rules/ side by side."""
    shutil.copytree(INPUTS, tmp_path / "inputs")
    shutil.copytree(DEFAULT_RULES, tmp_path / "rules")
    return tmp_path


@pytest.mark.parametrize("output, says", [
    ("inputs", "is the inputs folder"),
    ("inputs/out", "is inside the inputs folder"),
    ("inputs/kcc", "is inside the inputs folder"),
    (".", "holds the inputs folder"),
    ("rules", "holds the rules folder"),
])
def test_an_output_folder_that_would_hurt_is_refused(project, monkeypatch, output, says):
    monkeypatch.chdir(project)
    before = _digest(project)
    proc = run_sdp("compile", "inputs", "--rules", "rules", "-o", output, "--as-of", "2025-06-01")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert _digest(project) == before, "the inputs or rules were touched"
    assert not (project / "inputs" / "out").exists()


def test_a_full_disk_is_a_plain_message_and_the_previous_outputs_stay(project, monkeypatch):
    out = project / "outputs"
    assert run_sdp("compile", str(project / "inputs"), "--rules", str(project / "rules"), "-o", str(out),
                   "--as-of", "2025-06-01").returncode in (0, 1)
    before = _digest(out)
    from compiler.writers import transaction

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(transaction.os, "fsync", full)
    proc = run_sdp("compile", str(project / "inputs"), "--rules", str(project / "rules"), "-o", str(out),
                   "--as-of", "2025-06-01", "--no-cache")  # a compile that writes (not an up-to-date one)
    assert proc.returncode == 2
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr
    assert _digest(out) == before
    assert not list(project.glob(".outputs.sdp-new-*")), "the staging folder was left behind"


def test_two_compiles_into_one_folder_leave_it_whole(project):
    out = project / "outputs"
    command = [str(SDP), "compile", str(project / "inputs"), "--rules", str(project / "rules"), "-o", str(out),
               "--as-of", "2025-06-01", "--exit-zero"]
    procs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    written = _digest(out)
    for entry in manifest["outputs"]:
        assert written[entry["path"]] == entry["sha256"], entry["path"]
    assert set(written) == {e["path"] for e in manifest["outputs"]} | {"manifest.json"}


def test_the_rules_beside_the_inputs_are_found_and_named(project, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    proc = run_sdp("compile", str(project / "inputs"), "-o", str(elsewhere / "out"), "--as-of", "2025-06-01")
    assert proc.returncode in (0, 1), proc.stderr
    assert f"using the rules beside the inputs: '{project / 'rules'}'" in proc.stderr
    assert f"(rules: {project / 'rules'})" in proc.stderr
    assert (elsewhere / "out" / "plan.json").is_file()
