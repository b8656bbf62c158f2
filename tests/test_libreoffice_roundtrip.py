"""The same plan whoever saved the file (issue 9, point 3): every Word and Excel input of the shipped
sample, and of the fictional system, re-saved by LibreOffice, compiles to the same plan as the
originals: the same actions, fields, indicators, strategies, narrative and diagnostics. Only where
things sit in the files (source locations) and the files' digests may differ."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from compiler.pipeline import compile_plan
from compiler.ruleset import load_rules
from compiler.writers.plan_json import plan_document
from tests.conftest import REPO

AS_OF = date(2025, 6, 30)
# Where content sits in a file, and the file's bytes: what a re-save may change.
LOCATION_KEYS = {"source", "sources", "location", "sha256", "accounting"}


def _soffice() -> str:
    from tests.tools import soffice

    return soffice("writer", "calc")


def _resave(soffice: str, inputs: Path, tmp_path: Path) -> Path:
    """A copy of `inputs` with every .docx and .xlsx re-saved by LibreOffice (headless), in the
    same folders under the same names; other files copied as they are."""
    files = sorted(p for p in inputs.rglob("*") if p.is_file())
    office = [p for p in files if p.suffix.lower() in (".docx", ".xlsx")]
    names = [p.name for p in office]
    assert len(set(names)) == len(names), "re-saving needs distinct file names across the inputs' folders"
    flat = tmp_path / "resaved-flat"
    profile = tmp_path / "lo-profile"
    for suffix, target in ((".docx", "docx"), (".xlsx", "xlsx")):
        group = [p for p in office if p.suffix.lower() == suffix]
        if not group:
            continue
        proc = subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(flat), *map(str, group)],
            capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        missing = [p.name for p in group if not (flat / p.name).is_file()]
        if missing and suffix == ".xlsx" and not os.environ.get("CI"):
            pytest.skip(f"this LibreOffice cannot convert spreadsheets (no Calc?): {missing}")
        assert not missing, f"LibreOffice did not re-save {missing}: {proc.stdout}{proc.stderr}"
    out = tmp_path / "resaved"
    for path in files:
        rel = path.relative_to(inputs)
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        source = flat / path.name if path in office else path
        shutil.copyfile(source, out / rel)
    return out


def _without_locations(value):
    if isinstance(value, dict):
        return {k: _without_locations(v) for k, v in value.items() if k not in LOCATION_KEYS}
    if isinstance(value, list):
        return [_without_locations(v) for v in value]
    return value


def _plan(inputs: Path, rules) -> dict:
    comp = compile_plan(inputs, rules, as_of=AS_OF)
    doc = plan_document(comp.plan, rules)
    doc["diagnostics"] = sorted(doc["diagnostics"], key=lambda d: json.dumps(_without_locations(d), sort_keys=True))
    return _without_locations(doc)


def _differences(a: dict, b: dict) -> list[str]:
    """Readable differences, section by section (first few of each)."""
    out = []
    for key in a:
        if a[key] == b.get(key):
            continue
        if isinstance(a[key], list) and isinstance(b.get(key), list):
            left = [json.dumps(x, ensure_ascii=False, sort_keys=True) for x in a[key]]
            right = [json.dumps(x, ensure_ascii=False, sort_keys=True) for x in b[key]]
            only_a = [x for x in left if x not in right][:3]
            only_b = [x for x in right if x not in left][:3]
            out.append(f"{key}: {len(left)} vs {len(right)}\n  original only: {only_a}\n  re-saved only: {only_b}")
        else:
            out.append(f"{key}: {a[key]!r} vs {b.get(key)!r}")
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("inputs, rules", [("inputs", "rules"),
                                           ("tests/fictional/inputs", "tests/fictional/rules")],
                         ids=["sample", "fictional"])
def test_resaved_by_libreoffice_compiles_to_the_same_plan(inputs, rules, tmp_path):
    soffice = _soffice()
    original = REPO / inputs
    ruleset = load_rules(REPO / rules)
    resaved = _resave(soffice, original, tmp_path)
    for path in sorted(resaved.rglob("*.docx")) + sorted(resaved.rglob("*.xlsx")):
        assert path.read_bytes() != (original / path.relative_to(resaved)).read_bytes(), f"{path} was not re-saved"
    expected, got = _plan(original, ruleset), _plan(resaved, ruleset)
    assert expected["actions"], "the originals compile to a plan with actions"
    assert got == expected, "\n".join(_differences(expected, got))
