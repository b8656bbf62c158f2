"""The shipped Kent and Medway sample compiles to exactly what its hand-written expectation says."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest

from tests.conftest import REPO, compile_dir

EXPECTATION = json.loads((REPO / "tests" / "expected" / "sample_expectation.json").read_text(encoding="utf-8"))
ACTION_FIELDS = ("text", "outcome_ids", "priority_ids", "enabler_ids", "lead_id", "partner_ids", "strategy_ids",
                 "indicator_ids", "milestones", "timescale", "status")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    code, plan = compile_dir(REPO / "inputs", tmp)
    return {"code": code, "plan": plan, "out": tmp / "out"}


def _actions_by_key(plan):
    return {(a["source"]["path"], a["id"]): a for a in plan["actions"]}


def test_every_action_and_nothing_else(sample):
    got = set(_actions_by_key(sample["plan"]))
    expected = {(a["source_path"], a["id"]) for a in EXPECTATION["actions"]}
    assert sorted(got - expected) == [], "actions compiled that the expectation does not list"
    assert sorted(expected - got) == [], "actions in the inputs that the compiler missed"


@pytest.mark.parametrize("expected", EXPECTATION["actions"], ids=lambda a: a["id"])
def test_action_fields(sample, expected):
    action = _actions_by_key(sample["plan"])[(expected["source_path"], expected["id"])]
    for field in ACTION_FIELDS:
        assert action[field] == expected[field], f"{expected['id']}.{field}"


def _close(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _value_eq(got, want):
    if want is None or got is None:
        return got == want
    return got["period"] == want["period"] and _close(got["value"], want["value"])


def test_every_indicator_and_nothing_else(sample):
    assert sorted(i["id"] for i in sample["plan"]["indicators"]) == sorted(i["id"] for i in EXPECTATION["indicators"])


@pytest.mark.parametrize("expected", EXPECTATION["indicators"], ids=lambda i: i["id"])
def test_indicator_fields(sample, expected):
    ind = next(i for i in sample["plan"]["indicators"] if i["id"] == expected["id"])
    assert ind["outcome_ids"] == expected["outcome_ids"]
    assert _value_eq(ind["baseline"], expected["baseline"]), ind["baseline"]
    assert len(ind["targets"]) == len(expected["targets"])
    assert all(_value_eq(g, w) for g, w in zip(ind["targets"], expected["targets"])), ind["targets"]
    assert ind["status"] == expected["status"]


def test_strategies(sample):
    got = {s["id"]: s for s in sample["plan"]["strategies"]}
    for expected in EXPECTATION["strategies"]:
        assert expected["id"] in got, expected["id"]
        assert got[expected["id"]]["name"] == expected["name"]
        assert got[expected["id"]]["owner_id"] == expected["owner_id"], expected["id"]


def test_submitters(sample):
    got = {s["path"]: s["partner_id"] for s in sample["plan"]["submissions"]}
    assert got == EXPECTATION["submitters"]


@pytest.mark.parametrize("ref", EXPECTATION["unresolved_references"], ids=lambda r: r["text"])
def test_unresolved_references_are_reported_where_written(sample, ref):
    code = {"indicator": "R002", "strategy": "R003", "partner": "R004", "outcome": "R001"}[ref["kind"]]
    hits = [d for d in sample["plan"]["diagnostics"]
            if d["code"] == code and d["location"] and d["location"]["path"] == ref["source_path"]
            and f"'{ref['text']}'" in d["message"]]
    assert hits, f"no {code} for {ref['text']!r} in {ref['source_path']}"
    linked = [a for a in sample["plan"]["actions"] if a["source"]["path"] == ref["source_path"]]
    assert not any(ref["text"] in a["indicator_ids"] + a["strategy_ids"] + a["partner_ids"] for a in linked)


def test_no_reference_is_silently_fuzzy(sample):
    """Every fuzzy match the compiler accepted is reported as R006, naming what was written."""
    for d in sample["plan"]["diagnostics"]:
        if d["code"] == "R006":
            assert "taken to" in d["message"] and d["location"]


def test_every_input_is_a_submission_with_accounting(sample):
    files = sorted(p.relative_to(REPO / "inputs").as_posix() for p in (REPO / "inputs").rglob("*") if p.is_file())
    assert [s["path"] for s in sample["plan"]["submissions"]] == files
    assert [a["path"] for a in sample["plan"]["accounting"]] == files
    for entry in sample["plan"]["accounting"]:
        assert entry["units_read"] > 0, entry["path"]


def test_manifest_hashes_inputs_and_outputs(sample):
    manifest = json.loads((sample["out"] / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["inputs"]:
        data = (REPO / "inputs" / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    outputs = {e["path"]: e["sha256"] for e in manifest["outputs"]}
    assert "plan.json" in outputs
    assert hashlib.sha256((sample["out"] / "plan.json").read_bytes()).hexdigest() == outputs["plan.json"]
    assert manifest["rules"]["digest"] == sample["plan"]["system"]["rules_digest"]


def test_compiled_twice_is_byte_identical(sample, tmp_path):
    _, _ = compile_dir(REPO / "inputs", tmp_path)
    assert (tmp_path / "out" / "plan.json").read_bytes() == (sample["out"] / "plan.json").read_bytes()
