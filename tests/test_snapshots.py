"""Snapshot and golden-file tests, in the style of black's and ruff's data-driven cases.

Each fixture set (the sample `inputs/` with `rules/`, the fictional system's
`tests/fictional/inputs` with `tests/fictional/rules`) has reviewed outputs under
tests/snapshots/:

    readers/<system>/<input path>.json   what `read_submission` returns for that file:
                                         every record, field and location, diagnostics, accounting
    resolution/<system>.json             the links the resolver made: for each action its outcomes,
                                         priorities, enablers, lead, partners, strategies, indicators,
                                         places, dependencies and milestones; for each indicator its
                                         actions; for each strategy its outcomes and owner; ...
    gap-report/<system>.md               gap-report.md of the compile (as of AS_OF)
    check/<system>.txt                   the terminal output of `sdp check -v` (no colour) and its exit

A difference fails with a unified diff; so does a missing or stale snapshot file.
After an intended change, rewrite them and review the diff:

    pytest tests/test_snapshots.py --update-snapshots
    git diff -- tests/snapshots

The test tests/test_checks.py can only assert that a diagnostic is absent; these
catch a reader or the resolver dropping a link (an action keeping one indicator of
three, a row lost at the end of a table).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from compiler.readers import read_submission
from compiler.resolve import resolve
from compiler.ruleset import load_rules
from compiler.vocabulary import Vocabulary
from tests.conftest import REPO, run_sdp
from tests.snapshots.serialise import (SNAPSHOTS, check_snapshot, dumps, remove_stale, resolution_view,
                                       to_data)

AS_OF = "2025-06-01"  # as tests/test_gap_report.py and tests/test_checks.py


@dataclass(frozen=True)
class System:
    name: str
    inputs: str  # relative to the repository, as a user would type it
    rules: str

    @property
    def inputs_dir(self) -> Path:
        return REPO / self.inputs

    @property
    def rules_dir(self) -> Path:
        return REPO / self.rules


SYSTEMS = {s.name: s for s in (System("sample", "inputs", "rules"),
                               System("fictional", "tests/fictional/inputs", "tests/fictional/rules"))}


def input_files(system: System) -> list[str]:
    """Every file under the inputs folder, as POSIX paths relative to it, in a stable order."""
    found = []
    for root, dirs, names in os.walk(system.inputs_dir):
        dirs.sort()
        for name in names:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(system.inputs_dir).as_posix())
    return sorted(found)


CASES = [(s.name, rel) for s in SYSTEMS.values() for rel in input_files(s)]


@cache
def vocabulary(name: str) -> Vocabulary:
    return Vocabulary(load_rules(SYSTEMS[name].rules_dir))


@cache
def records(name: str) -> dict[str, object]:
    """Every input of the system read in this process, one file at a time, in input order."""
    system, vocab = SYSTEMS[name], vocabulary(name)
    return {rel: read_submission(rel, (system.inputs_dir / rel).read_bytes(), vocab) for rel in input_files(system)}


def reader_snapshot(name: str, rel: str) -> Path:
    return SNAPSHOTS / "readers" / name / f"{rel}.json"


@pytest.fixture
def serial_reading(monkeypatch):
    """Compiles in these tests read in this process (jobs=1), not in a worker pool."""
    try:
        from compiler import isolation
    except ImportError:  # the read stage moved: it reads in process below its own threshold anyway
        return
    if hasattr(isolation, "default_jobs"):
        monkeypatch.setattr(isolation, "default_jobs", lambda: 1)


# --------------------------------------------------------------------------------- readers


@pytest.mark.parametrize("name, rel", CASES, ids=[f"{n}/{r}" for n, r in CASES])
def test_reader_snapshot(name, rel, update_snapshots):
    check_snapshot(reader_snapshot(name, rel), dumps(to_data(records(name)[rel])), update_snapshots)


@pytest.mark.parametrize("name", SYSTEMS)
def test_no_stale_reader_snapshots(name, update_snapshots):
    wanted = {reader_snapshot(name, rel) for rel in input_files(SYSTEMS[name])}
    remove_stale(SNAPSHOTS / "readers" / name, wanted, update_snapshots)


# --------------------------------------------------------------------------------- resolution


@pytest.mark.parametrize("name", SYSTEMS)
def test_resolution_snapshot(name, update_snapshots):
    plan = resolve(copy.deepcopy(list(records(name).values())), vocabulary(name))  # records stay as read
    check_snapshot(SNAPSHOTS / "resolution" / f"{name}.json", dumps(resolution_view(plan)), update_snapshots)


# --------------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("name", SYSTEMS)
def test_gap_report_markdown(name, update_snapshots, serial_reading):
    from compiler.pipeline import compile_plan
    from compiler.writers import WriteContext
    from compiler.writers.gap_report import write_gap_report

    system, as_of = SYSTEMS[name], date.fromisoformat(AS_OF)
    comp = compile_plan(system.inputs_dir, load_rules(system.rules_dir), as_of=as_of)
    md = write_gap_report(comp, WriteContext(inputs_dir=system.inputs_dir, as_of=as_of))["gap-report.md"]
    check_snapshot(SNAPSHOTS / "gap-report" / f"{name}.md", md.decode("utf-8"), update_snapshots)


@pytest.mark.parametrize("name", SYSTEMS)
def test_check_terminal_output(name, update_snapshots, serial_reading, monkeypatch):
    system = SYSTEMS[name]
    monkeypatch.chdir(REPO)  # paths print as the user typed them: inputs/..., not /home/.../inputs/...
    args = ["check", "-v", system.inputs, "--rules", system.rules, "--as-of", AS_OF]
    proc = run_sdp(*args)
    assert "Traceback" not in proc.stderr, proc.stderr
    text = f"$ sdp {' '.join(args)}\n{proc.stdout}[stderr]\n{proc.stderr}[exit {proc.returncode}]\n"
    check_snapshot(SNAPSHOTS / "check" / f"{name}.txt", text, update_snapshots)
