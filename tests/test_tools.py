"""The tool finder: a LibreOffice without Calc is not taken for one that converts spreadsheets."""

from __future__ import annotations

import os
import stat

import pytest

from tests import tools


def _fake_soffice(tmp_path, libraries):
    program = tmp_path / "program"
    program.mkdir()
    (program / "soffice.bin").write_bytes(b"")
    for name in libraries:
        (program / name).write_bytes(b"")
    exe = program / "soffice"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(exe)


def test_a_libreoffice_without_calc_has_no_calc(tmp_path):
    exe = _fake_soffice(tmp_path, ["libswlo.so"])
    assert tools.has_component(exe, "writer")
    assert not tools.has_component(exe, "calc")


def test_asking_for_a_missing_component_skips_outside_ci_and_fails_in_ci(tmp_path, monkeypatch):
    exe = _fake_soffice(tmp_path, ["libswlo.so"])
    monkeypatch.setenv("PATH", str(tmp_path / "program") + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Calc"):
        tools.soffice("writer", "calc")
    assert tools.soffice("writer") == exe
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Calc"):
        tools.soffice("calc")
