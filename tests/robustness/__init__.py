"""Robustness suite: real-world, corrupted, hostile and fuzzed inputs (pytest marker `robustness`).

Shared helpers live here: a rules folder with a shorter time budget, a search of a whole output
folder (zip members included) for a string, and the invariants every read file must hold.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from compiler.records import SubmissionRecords

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"
INPUTS = REPO / "inputs"
SDP = Path(sys.executable).with_name("sdp")
ARTEFACTS = REPO / "tests" / "artefacts"
FAULT = "compiler fault"  # the readers' last-resort wording for an exception they did not expect


def rules_with_budget(folder: Path, seconds: float) -> Path:
    """A copy of rules/ in `folder` whose limits.max_seconds_per_file is `seconds`."""
    target = folder / "rules"
    shutil.copytree(RULES, target)
    limits = target / "limits.toml"
    text = limits.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^max_seconds_per_file\s*=.*$", f"max_seconds_per_file = {seconds:g}", text)
    if n == 0:
        text += f"\nmax_seconds_per_file = {seconds:g}\n"
    limits.write_text(text, encoding="utf-8")
    return target


def sample_files() -> list[Path]:
    return sorted(p for p in INPUTS.rglob("*") if p.is_file() and not p.name.startswith((".", "~$")))


def problems_of(rec: SubmissionRecords) -> list[str]:
    """What is wrong with one file's records, whatever the file was: [] when all is well.

    A file is either read (accounting balanced) or reported: I001 (cannot be read), I002 (not a kind
    the compiler reads), I009 is reported separately by the callers that allow it.
    """
    out = []
    codes = [d.code for d in rec.diagnostics]
    for d in rec.diagnostics:
        if FAULT in d.message:
            out.append(f"an unexpected exception reached the last-resort handler: {d.message}")
    acc = rec.accounting
    if acc.units_read != acc.used + len(acc.ignored()):
        out.append(f"accounting does not balance: read {acc.units_read}, used {acc.used}, ignored {len(acc.ignored())}")
    if rec.readable:
        if "I001" in codes or "I009" in codes:
            out.append("marked readable but reported as unreadable")
    else:
        reports = [c for c in codes if c in ("I001", "I002", "I009")]
        if len(reports) != 1:
            out.append(f"unreadable with {len(reports)} I001/I002/I009 reports (expected exactly one): {codes}")
        for d in rec.diagnostics:
            if d.code in ("I001", "I009") and (d.location is None or d.location.path != rec.path):
                out.append(f"{d.code} does not name the file: {d.location}")
    return out


def outcome_of(rec: SubmissionRecords) -> tuple[str, str]:
    """(outcome, cause) for the results table: read / I004 / I001 / I002 / I009, and the message."""
    for code in ("I009", "I001", "I002"):
        for d in rec.diagnostics:
            if d.code == code:
                return code, d.message
    if any(d.code == "I004" for d in rec.diagnostics):
        return "I004", "no plan content found"
    return "read", ""


def cause_class(message: str) -> str:
    """A short class for an I001/I002/I009 message, for the summary by cause."""
    m = message.lower()
    table = [
        ("password", "encrypted"), ("encrypted", "encrypted"),
        ("legacy", "legacy binary (.doc/.xls)"), ("empty (0 bytes)", "empty file"),
        ("cut short", "damaged or truncated zip"), ("truncated", "damaged or truncated zip"),
        ("damaged", "damaged part (CRC, bad data)"), ("zip bomb", "size limit (zip bomb)"),
        ("zip members", "too many members"), ("over the limit", "size limit"),
        ("dtd or entities", "DTD/entities refused"), ("nests", "nesting too deep"),
        ("not well-formed", "malformed XML"), ("pdf", "PDF"), ("rtf", "RTF"),
        ("plain xml", "plain XML (Word 2003 XML)"), ("powerpoint", "PowerPoint"),
        ("no [content_types]", "zip but not Office"), ("not an office", "zip but not Office"),
        ("no main document part", "no main part"), ("main part", "main part missing"),
        ("neither a word", "not Word or Excel"), ("structure could not be read", "workbook structure (openpyxl)"),
        ("a sheet could not be read", "sheet (openpyxl)"), ("no worksheets", "no worksheets"),
        ("none could be read", "no worksheets"), ("time budget", "time budget (I009)"),
        ("memory", "memory"), ("crashed", "worker crashed"), ("killed", "worker killed"),
        ("lock file", "Office lock file"), ("hidden file", "hidden file"),
        ("macro", "macro-enabled"), ("template", "template"), ("does not read", "other kind of file"),
        ("not read:", "other kind of file"),
    ]
    for needle, name in table:
        if needle in m:
            return name
    return "other: " + message[:60]


def strings_in_folder(folder: Path, needle: bytes) -> list[str]:
    """Every file under `folder` (and every member of every zip among them) containing `needle`."""
    hits = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if needle in data or needle.decode("utf-8").encode("utf-16-le") in data:
            hits.append(str(path))
        if data[:2] == b"PK":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    for info in z.infolist():
                        if needle in z.read(info):
                            hits.append(f"{path}!{info.filename}")
            except (zipfile.BadZipFile, OSError, ValueError):
                pass
    return hits


def run_compile(inputs: Path, out: Path, rules: Path = RULES, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(SDP), "compile", str(inputs), "--rules", str(rules), "-o", str(out)],
                          capture_output=True, text=True, timeout=timeout)


_CLEAN: dict[str, dict] = {}


def clean_plan() -> dict:
    """plan.json of the sample inputs compiled alone (once per test session)."""
    if "plan" not in _CLEAN:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            proc = run_compile(INPUTS, Path(tmp) / "out")
            assert proc.returncode in (0, 1), proc.stderr[-2000:]
            _CLEAN["plan"] = load_plan(Path(tmp) / "out")
    return _CLEAN["plan"]


def actions_by_file(plan: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for action in plan["actions"]:
        path = action["source"]["path"]
        counts[path] = counts.get(path, 0) + 1
    return counts


def load_plan(out: Path) -> dict:
    return json.loads((out / "plan.json").read_text(encoding="utf-8"))
