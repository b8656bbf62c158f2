"""Deliberately corrupted copies of every sample input (made in tmp, never in the repository):
truncated at several points, seeded random byte flips, a zip member removed, [Content_Types].xml
altered, the main sheet or document made invalid XML. Each copy is read on its own: it yields one
I001 naming it (or reads partially), never a traceback, and the accounting balances; then a compile
of all the copies beside the originals compiles the originals exactly as alone.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from compiler.readers import read_submission
from compiler.ruleset import load_rules
from compiler.vocabulary import Vocabulary
from tests.robustness import INPUTS, actions_by_file, clean_plan, load_plan, problems_of, run_compile, sample_files
from tests.robustness.hostile import parts_of, zip_of

pytestmark = pytest.mark.robustness


def _main_part(parts: list[tuple[str, bytes]]) -> str:
    names = [n for n, _ in parts]
    for candidate in ("word/document.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml"):
        if candidate in names:
            return candidate
    return names[-1]


def corruptions(data: bytes, seed: int) -> dict[str, bytes]:
    """name -> corrupted bytes, deterministic for a given file and seed."""
    rng = random.Random(seed)
    out: dict[str, bytes] = {}
    for frac in (0.0, 0.01, 0.25, 0.5, 0.9, 0.99):
        out[f"truncated-{int(frac * 100):02d}"] = data[: int(len(data) * frac)]
    out["truncated-last-byte"] = data[:-1]
    for flips in (1, 8, 64):
        for k in range(2):
            buf = bytearray(data)
            for _ in range(flips):
                i = rng.randrange(len(buf))
                buf[i] ^= 1 << rng.randrange(8)
            out[f"flipped-{flips}-{k}"] = bytes(buf)
    parts = parts_of(data)
    main = _main_part(parts)
    for name in ("[Content_Types].xml", "_rels/.rels", main,
                 next((n for n, _ in parts if n.endswith(".rels") and n != "_rels/.rels"), main)):
        out[f"without-{name.replace('/', '_')}"] = zip_of([(n, d) for n, d in parts if n != name])
    ct = dict(parts)["[Content_Types].xml"]
    altered = {
        "ct-garbage": b"this is not xml",
        "ct-empty": b"",
        "ct-wrong-main-type": ct.replace(b"wordprocessingml.document.main+xml", b"presentationml.presentation.main+xml")
                                .replace(b"spreadsheetml.sheet.main+xml", b"presentationml.presentation.main+xml"),
        "ct-no-overrides": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "ct-truncated": ct[: len(ct) // 2],
    }
    for label, new in altered.items():
        out[label] = zip_of([(n, new if n == "[Content_Types].xml" else d) for n, d in parts])
    body = dict(parts)[main]
    broken = {
        "main-truncated-xml": body[: len(body) // 2],
        "main-unclosed-tag": body.replace(b"</", b"<", 1),
        "main-bad-bytes": body[:200] + b"\xff\xfe\x00<<>>&&" + body[200:],
        "main-empty": b"",
        "main-not-xml": b"\x00" * 64,
        "main-wrong-root": b'<?xml version="1.0"?><nothing/>',
    }
    for label, new in broken.items():
        out[label] = zip_of([(n, new if n == main else d) for n, d in parts])
    return out


SAMPLES = sample_files()


@pytest.fixture(scope="module")
def vocab():
    return Vocabulary(load_rules(INPUTS.parent / "rules"))


@pytest.mark.parametrize("source", SAMPLES, ids=[p.relative_to(INPUTS).as_posix() for p in SAMPLES])
def test_corrupted_copies_are_reported_or_read(source: Path, vocab):
    data = source.read_bytes()
    failures = []
    for label, bad in corruptions(data, seed=sum(data[:64]) + len(data)).items():
        rel = f"{source.stem}--{label}{source.suffix}"
        rec = read_submission(rel, bad, vocab)
        for problem in problems_of(rec):
            failures.append(f"{label}: {problem}")
        if not rec.readable and [d.code for d in rec.diagnostics] != ["I001"]:
            failures.append(f"{label}: unreadable but not one I001: {[d.code for d in rec.diagnostics]}")
    assert failures == []


def test_compile_of_corrupted_copies_beside_the_originals(tmp_path):
    """All the corrupted copies in one folder with the sample inputs: the originals compile as alone."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    bad_folder = inputs / "corrupted"
    bad_folder.mkdir()
    for source in SAMPLES:
        data = source.read_bytes()
        chosen = corruptions(data, seed=len(data))
        for label in ("truncated-50", "flipped-8-0", "without-[Content_Types].xml", "ct-wrong-main-type",
                      "main-truncated-xml"):
            (bad_folder / f"{source.stem}--{label}{source.suffix}").write_bytes(chosen[label])
    proc = run_compile(inputs, tmp_path / "out")
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    plan = load_plan(tmp_path / "out")
    for entry in plan["accounting"]:
        assert entry["units_read"] == entry["units_used"] + entry["units_ignored"], entry["path"]
    subs = {s["path"]: s for s in plan["submissions"]}
    unreadable = {d["location"]["path"] for d in plan["diagnostics"] if d["code"] == "I001" and d.get("location")}
    for path in (p.relative_to(inputs).as_posix() for p in bad_folder.iterdir()):
        assert path in subs, f"{path} is missing from the plan's submissions"
        assert subs[path]["readable"] or path in unreadable, f"{path} is unreadable without an I001"
    mixed = actions_by_file(plan)
    for path, count in actions_by_file(clean_plan()).items():
        assert mixed.get(path) == count, f"{path}: {mixed.get(path)} actions beside the corrupted copies, {count} alone"
