"""Scheduling and its visible parts: --jobs, --timings, progress bars, lazy imports, work items.

Whatever the number of processes reading and writing, the artefacts are the same bytes; the
timings line has one fixed shape; a progress bar is drawn only on a terminal; `sdp --help` and
`sdp explain` do not import the heavy libraries the compile needs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.readers.pool import Task, read_files
from compiler.ruleset import load_rules
from tests.conftest import DEFAULT_RULES, REPO, SDP, run_sdp

INPUTS = REPO / "inputs"
HEAVY = ("openpyxl", "networkx", "docx", "jinja2", "rapidfuzz")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_artefacts_are_the_same_bytes_for_any_number_of_jobs(tmp_path):
    outputs = {}
    for jobs in (1, 2, 3):
        out = tmp_path / f"out{jobs}"
        proc = run_sdp("compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(out), "--jobs", str(jobs),
                       "--exit-zero", "-q")
        assert proc.returncode == 0, proc.stderr[-2000:]
        outputs[jobs] = _tree(out)
    assert any(name.startswith("annotated/") for name in outputs[1])
    assert any(name.startswith("partners/") for name in outputs[1])
    assert outputs[1] == outputs[2] == outputs[3]


def test_write_outputs_streams_the_same_bytes_as_build_artefacts(tmp_path):
    """Work items written by forked workers straight into the staging folder are the bytes the
    writers produce in this process."""
    from compiler.pipeline import compile_plan
    from compiler.writers import WriteContext, build_artefacts, write_outputs

    comp = compile_plan(INPUTS, load_rules(DEFAULT_RULES), jobs=1)
    ctx = WriteContext(inputs_dir=INPUTS, as_of=comp.as_of)
    in_memory = build_artefacts(comp, ctx)
    seen = []
    digests = write_outputs(comp, tmp_path / "out", ctx, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert _tree(tmp_path / "out") == in_memory
    assert set(digests) == set(in_memory)
    total = seen[-1][1]
    assert seen == [(k, total) for k in range(1, total + 1)]


def test_annotated_copies_and_partner_appendices_are_separate_work_items():
    from compiler.pipeline import compile_plan
    from compiler.writers import WriteContext, load_writers
    from compiler.writers.annotated import located_diagnostics

    comp = compile_plan(INPUTS, load_rules(DEFAULT_RULES), jobs=1)
    ctx = WriteContext(inputs_dir=INPUTS, as_of=comp.as_of)
    writers = load_writers()
    located = located_diagnostics(comp)
    expected = [s.path for s in comp.plan.submissions if s.readable and located.get(s.path)]
    assert writers["annotated"].work(comp, ctx) == expected and len(expected) > 10
    batches = writers["partners"].work(comp, ctx)
    assert len(batches) > 1
    assert writers["plan"].work(comp, ctx) == [None]


def test_timings_line_after_the_summary(tmp_path):
    proc = run_sdp("compile", str(INPUTS), "--rules", str(DEFAULT_RULES), "-o", str(tmp_path / "out"), "--exit-zero",
                   "--timings", "--only", "gap-report")
    lines = proc.stderr.strip().splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("sdp: compiled "))
    assert summary < len(lines) - 1  # the summary (and the per-code counts) come first
    assert re.fullmatch(r"timings: read \d+\.\d\d s, resolve \d+\.\d\d s, check \d+\.\d\d s, "
                        r"write \d+\.\d\d s, total \d+\.\d\d s", lines[-1]), lines[-1]
    seconds = [float(x) for x in re.findall(r"(\d+\.\d\d) s", lines[-1])]
    assert sum(seconds[:-1]) <= seconds[-1] + 0.01


def test_check_takes_jobs_and_gives_the_same_diagnostics():
    one = run_sdp("check", str(INPUTS), "--rules", str(DEFAULT_RULES), "--jobs", "1", "--format", "json")
    two = run_sdp("check", str(INPUTS), "--rules", str(DEFAULT_RULES), "--jobs", "2", "--format", "json")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and '"code"' in one.stdout


def test_compile_drops_the_records_after_checking_when_asked():
    from compiler.pipeline import Timings, compile_plan

    timings = Timings()
    comp = compile_plan(INPUTS, load_rules(DEFAULT_RULES), jobs=1, timings=timings, keep_records=False)
    assert comp.records == [] and len(comp.plan.submissions) > 10
    assert list(timings) == ["read", "resolve", "check"]


_IMPORTS = """
import sys
from compiler.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("imported:", ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["explain"], ["explain", "R002"], ["compile", "--help"]])
def test_help_and_explain_import_no_heavy_library(args):
    proc = subprocess.run([sys.executable, "-c", _IMPORTS.format(heavy=HEAVY), *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    assert proc.stderr.splitlines()[-1] == "imported: ", proc.stderr


_LEFT_AT_EXIT = """
import os
import compiler.cli
class Cycle:
    def __del__(self, write=os.write):
        write(1, b"freed by the last collection")
c = Cycle(); c.me = c; del c
"""


def test_the_command_leaves_its_heap_to_the_operating_system_at_exit():
    """The interpreter's final collections would walk a compile's whole heap to free it (0.1-0.3 s):
    the command freezes the collector at exit instead (compiler/cli/__init__.py)."""
    proc = subprocess.run([sys.executable, "-c", _LEFT_AT_EXIT], capture_output=True, text=True, cwd=REPO,
                          timeout=60)
    assert proc.returncode == 0 and "freed" not in proc.stdout, proc.stdout + proc.stderr
    plain = subprocess.run([sys.executable, "-c", _LEFT_AT_EXIT.replace("import compiler.cli", "")],
                           capture_output=True, text=True, timeout=60)
    assert "freed by the last collection" in plain.stdout  # the test can see the difference


def _many_inputs(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO))
    from bench.national import build

    inputs = tmp_path / "inputs"
    counts = build(inputs, 0.012)
    assert counts["submissions"] >= 20
    return inputs


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    inputs = _many_inputs(tmp_path)
    proc = subprocess.run([str(SDP), "compile", str(inputs), "--rules", str(DEFAULT_RULES), "-o", str(tmp_path / "o"),
                           "--exit-zero"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "reading" not in proc.stderr and "writing" not in proc.stderr and "\r" not in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal as on Linux")
def test_progress_bar_on_a_terminal(tmp_path):
    import pty

    inputs = _many_inputs(tmp_path)
    argv = [str(SDP), "compile", str(inputs), "--rules", str(DEFAULT_RULES), "-o", str(tmp_path / "o"), "--exit-zero"]
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed: the compile finished
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=600) == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "reading" in shown and "writing" in shown, shown[-2000:]
    assert re.search(r"\d+/\d+", shown), shown[-2000:]


def test_reading_reports_progress_on_either_path(tmp_path):
    rules = load_rules(DEFAULT_RULES)
    tasks = [Task(p.relative_to(INPUTS).as_posix(), p) for p in sorted(INPUTS.rglob("*.docx"))]
    for jobs in (1, 2):
        seen = []
        read_files(tasks, rules, jobs=jobs, min_files_for_workers=1, progress=lambda d, t: seen.append((d, t)))
        assert seen == [(k, len(tasks)) for k in range(1, len(tasks) + 1)], jobs


def test_an_annotated_copy_over_its_time_budget_is_left_out(monkeypatch, tmp_path):
    """A copy stopped by the per-file time budget is not written; the others are, and nothing raises."""
    import dataclasses
    import time

    from compiler.pipeline import compile_plan
    from compiler.writers import WriteContext, annotated

    comp = compile_plan(INPUTS, load_rules(DEFAULT_RULES), jobs=1)
    limits = dataclasses.replace(comp.rules.limits, max_seconds_per_file=1)
    comp.rules = dataclasses.replace(comp.rules, limits=limits)
    ctx = WriteContext(inputs_dir=INPUTS, as_of=comp.as_of)
    paths = annotated.annotated_parts(comp, ctx)
    slow, real = paths[0], annotated.annotated_copy

    def copy(original, path, diagnostics, limits=None):
        if path == slow:
            time.sleep(30)
        return real(original, path, diagnostics, limits)

    monkeypatch.setattr(annotated, "annotated_copy", copy)
    start = time.monotonic()
    assert annotated.write_annotated_one(comp, ctx, slow) == {}
    assert time.monotonic() - start < 10
    assert list(annotated.write_annotated_one(comp, ctx, paths[1])) == [f"annotated/{paths[1]}"]
