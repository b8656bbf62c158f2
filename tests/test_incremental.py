"""The compile cache and the incremental compile: nothing read or rebuilt twice, and the same bytes.

Each test compiles real inputs through the command line and compares every output file byte for
byte with a compile made without the cache (`--no-cache`), so a kept file that a rebuild would
have written differently fails here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_RULES, REPO, run_sdp
from tests.fixtures.ooxml import with_part_replaced

INPUTS = REPO / "inputs"
CHANGED = "districts/swale.docx"  # a district's return, revised between compiles


def _compile(inputs: Path, out: Path, *extra: str):
    proc = run_sdp("compile", str(inputs), "--rules", str(DEFAULT_RULES), "-o", str(out), "--as-of", "2025-06-01",
                   *extra)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return proc


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def _revise(path: Path, old: bytes, new: bytes) -> None:
    """A partner's revision: one phrase of the Word document's text changed."""
    path.write_bytes(with_part_replaced(path.read_bytes(), "word/document.xml", old, new))


def _same_bytes(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    different = [name for name in fa if fa[name] != fb[name]]
    assert not different, f"not byte-identical: {different}"


@pytest.fixture
def inputs(tmp_path) -> Path:
    copy = tmp_path / "inputs"
    shutil.copytree(INPUTS, copy)
    return copy


def test_an_up_to_date_compile_rewrites_nothing_and_reports_the_same(inputs, tmp_path):
    out = tmp_path / "outputs"
    first = _compile(inputs, out)
    before, folder = _stats(out), out.stat().st_ino
    again = _compile(inputs, out)
    assert "up to date: nothing rewritten" in again.stderr
    assert _stats(out) == before and out.stat().st_ino == folder  # not one file touched, no swap
    assert again.returncode == first.returncode
    assert again.stdout == first.stdout
    strip = lambda err: [line.split(" in ")[0] for line in err.splitlines()]  # noqa: E731 - the time differs
    assert strip(again.stderr) == strip(first.stderr)


def test_one_changed_submission_rebuilds_what_depends_on_it_and_the_bytes_are_a_cold_compiles(inputs, tmp_path):
    out, cold = tmp_path / "outputs", tmp_path / "cold"
    _compile(inputs, out)
    before = _stats(out)
    _revise(inputs / CHANGED, b"healthy homes project", b"healthy homes programme")
    proc = _compile(inputs, out)
    assert "files kept from the last compile" in proc.stderr and "up to date" not in proc.stderr
    _compile(inputs, cold, "--no-cache")
    _same_bytes(out, cold)
    after = _stats(out)
    kept = {name for name in after if name in before and after[name][0] == before[name][0]}
    rebuilt = set(after) - kept
    # What depends on the revised return is rebuilt: the whole-plan documents, its annotated copy,
    # its partner's appendix; another partner's annotated copy whose diagnostics did not change is kept.
    assert {"plan.json", "shared-delivery-plan.docx", "manifest.json", f"annotated/{CHANGED}",
            "partners/swale-bc.docx"} <= rebuilt
    assert "annotated/districts/tunbridge-wells-borough-council.docx" in kept
    assert any(name.startswith("partners/") for name in kept)  # the appendices the revision did not change
    assert "logframe-matrix.docx" in kept  # the revision changed an action's wording, not the logframe


def test_outputs_are_the_same_with_and_without_the_cache_for_any_jobs(inputs, tmp_path):
    _compile(inputs, tmp_path / "serial", "--no-cache", "--jobs", "1")
    _compile(inputs, tmp_path / "cached", "--jobs", "2")
    _same_bytes(tmp_path / "serial", tmp_path / "cached")
    # a second folder compiled from the same cache: every submission's records come from it
    _compile(inputs, tmp_path / "from-cache", "--jobs", "2", "--cache", str(tmp_path / ".sdp-cache"))
    _same_bytes(tmp_path / "serial", tmp_path / "from-cache")


def test_an_output_changed_by_hand_is_rebuilt(inputs, tmp_path):
    out = tmp_path / "outputs"
    _compile(inputs, out)
    original = (out / "gap-report.md").read_bytes()
    (out / "gap-report.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "plan.json").unlink()
    proc = _compile(inputs, out)
    assert "up to date" not in proc.stderr
    assert (out / "gap-report.md").read_bytes() == original
    assert (out / "plan.json").exists()


def test_the_cache_is_safe_to_delete_or_damage(inputs, tmp_path):
    out, cold = tmp_path / "outputs", tmp_path / "cold"
    _compile(inputs, out)
    cache = tmp_path / ".sdp-cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    entries = [p for p in cache.rglob("*.pickle")]
    assert entries
    for entry in entries:  # every entry truncated: each is a miss, never a failure
        entry.write_bytes(entry.read_bytes()[:20])
    _revise(inputs / CHANGED, b"healthy homes project", b"healthy homes scheme")
    _compile(inputs, out)
    _compile(inputs, cold, "--no-cache")
    _same_bytes(out, cold)
    shutil.rmtree(cache)
    proc = _compile(inputs, out)
    assert "up to date" not in proc.stderr and "kept" not in proc.stderr
    _same_bytes(out, cold)


def test_a_changed_rules_file_rebuilds_the_plan(inputs, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, rules)
    out, cold = tmp_path / "outputs", tmp_path / "cold"
    run_sdp("compile", str(inputs), "--rules", str(rules), "-o", str(out), "--as-of", "2025-06-01")
    before = _stats(out)
    checks = rules / "checks.toml"
    checks.write_text(checks.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    proc = run_sdp("compile", str(inputs), "--rules", str(rules), "-o", str(out), "--as-of", "2025-06-01")
    assert "up to date" not in proc.stderr
    after = _stats(out)
    assert after["plan.json"][0] != before["plan.json"][0]  # rebuilt under the new rules
    run_sdp("compile", str(inputs), "--rules", str(rules), "-o", str(cold), "--as-of", "2025-06-01", "--no-cache")
    _same_bytes(out, cold)


def test_a_cache_others_can_write_to_is_not_used(inputs, tmp_path):
    if not hasattr(os, "getuid"):
        pytest.skip("POSIX permissions")
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    proc = _compile(inputs, tmp_path / "outputs", "--cache", str(cache))
    assert "not private to this user" in proc.stderr
    assert not any(cache.iterdir())


def test_a_cache_inside_the_inputs_is_refused(inputs, tmp_path):
    proc = run_sdp("compile", str(inputs), "--rules", str(DEFAULT_RULES), "-o", str(tmp_path / "out"),
                   "--cache", str(inputs / "cache"))
    assert proc.returncode == 2 and "inside the inputs folder" in proc.stderr


def test_records_come_from_the_cache_when_the_bytes_rules_and_code_are_the_same(inputs, tmp_path, monkeypatch):
    from compiler import cache as cache_module
    from compiler import pipeline
    from compiler.readers.inputs import input_tasks
    from compiler.ruleset import load_rules
    from compiler.vocabulary import Vocabulary

    cache, why = cache_module.Cache.open(tmp_path / "c")
    assert why is None
    vocab = Vocabulary(load_rules(DEFAULT_RULES))
    tasks = input_tasks(inputs)
    first = pipeline.read_through_cache(tasks, vocab, cache, {}, jobs=1)

    asked: list[list[str]] = []
    real = pipeline.read_files

    def counting(tasks, *args, **kwargs):
        asked.append([t.rel_path for t in tasks])
        return real(tasks, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_files", counting)
    again = pipeline.read_through_cache(tasks, vocab, cache, {}, jobs=1)
    assert asked == [] and [r.path for r in again] == [r.path for r in first]
    assert [len(r.actions) for r in again] == [len(r.actions) for r in first]

    _revise(inputs / CHANGED, b"healthy homes project", b"healthy homes scheme")
    pipeline.read_through_cache(tasks, vocab, cache, {}, jobs=1)
    assert asked == [[CHANGED]]  # only the revised file is read

    monkeypatch.setattr(cache_module, "code_digest", lambda: "an edited compiler")
    pipeline.read_through_cache(tasks, vocab, cache, {}, jobs=1)
    assert len(asked[-1]) == len(tasks)  # an edited reader reads everything again
