"""Ctrl-C (issue 9, point 8): one plain line, exit 130, no traceback from any process, the previous
outputs whole. The terminal sends SIGINT to the whole foreground process group, workers included."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_RULES, REPO, SDP, run_sdp

INPUTS = REPO / "inputs"


def _whole(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _wait_for(predicate, proc: subprocess.Popen, what: str) -> bool:
    """Poll for a state of the compile (never a fixed sleep); False if the compile ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    pytest.fail(f"the compile never reached {what}")


@pytest.mark.parametrize("phase", ["reading", "writing"])
def test_ctrl_c_stops_cleanly(tmp_path, phase):
    out = tmp_path / "outputs"
    assert run_sdp("compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(out),
                   "--as-of", "2025-06-01").returncode in (0, 1)
    before = _whole(out)
    proc = subprocess.Popen([str(SDP), "compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(out),
                             "--as-of", "2025-06-01", "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    if phase == "writing":
        reached = _wait_for(lambda: list(tmp_path.glob(".outputs.sdp-new-*")), proc, "the write phase")
    else:
        reached = _wait_for(lambda: proc.poll() is None and _children(proc.pid), proc, "its worker processes")
    if not reached:
        pytest.skip("the compile finished before it could be interrupted (a very fast machine)")
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted; previous outputs unchanged" in stderr
    assert "Traceback" not in stderr + stdout and "KeyboardInterrupt" not in stderr
    assert _whole(out) == before
    assert not list(tmp_path.glob(".outputs.sdp-new-*")), "the staging folder was left behind"


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]
