"""Action statuses as partners write them (issue 11, point 5): read from a Status, RAG or Progress
column or an inline `Status:`, placed in a category by rules/references.toml [status], and read by
D011 (no overdue milestone on a complete action; the status given said in the message)."""

from __future__ import annotations

from datetime import date

import pytest

from compiler.pipeline import compile_plan
from compiler.ruleset import load_rules
from tests.conftest import DEFAULT_RULES, REPO

RULES = load_rules(DEFAULT_RULES)


@pytest.mark.parametrize("written, category", [
    ("Complete", "complete"), ("Completed March 2025", "complete"), ("Blue", "complete"), ("done", "complete"),
    ("On track", "on track"), ("Green", "on track"), ("G", "on track"), ("In progress – phase 2", "on track"),
    ("Delayed – procurement extended", "delayed"), ("Amber", "delayed"), ("RED", "delayed"), ("At risk", "delayed"),
    ("Not started", "not started"), ("Not yet started", "not started"), ("Planned for 2025/26", "not started"),
    ("Under review", None), ("", None), (None, None), ("A new provider is being sought", None), ("Incomplete", None),
])
def test_written_statuses_fall_in_categories(written, category):
    assert RULES.references.status.action_status(written) == category


@pytest.fixture(scope="module")
def sample():
    return compile_plan(REPO / "inputs", RULES, as_of=date(2025, 6, 1))


def test_the_samples_statuses_are_read(sample):
    status = {a.id: RULES.references.status.action_status(a.status) for a in sample.plan.actions if a.status}
    assert status["ASC-02"] == status["MC-06"] == status["PCC-01"] == status["vcse-alliance-04"] == "complete"
    assert status["opcc-01"] == status["MC-04"] == status["ASC-01"] == "delayed"     # inline, RAG, column
    assert status["PCC-02"] == status["MC-01"] == "on track" and status["ASC-06"] == "not started"
    assert {"complete", "on track", "delayed", "not started"} == set(status.values())


def test_d011_spares_complete_actions_and_says_the_status_of_the_others(sample):
    d011 = {d.subject: d.message for d in sample.plan.diagnostics if d.code == "D011"}
    for complete in ("ASC-02", "ASC-04", "ASC-05", "MC-03", "MC-06", "MC-09", "PCC-01", "vcse-alliance-01",
                     "vcse-alliance-04"):
        assert f"action:{complete}" not in d011, complete
    assert "the partner reports the action delayed ('Red')" in d011["action:MC-04"]
    assert "the partner reports the action delayed" in d011["action:opcc-01"]
    assert "the partner reports the action delayed ('Delayed – procurement extended to June 2025')" \
        in d011["action:ASC-01"]
    assert "the action is not marked complete" in d011["action:vcse-alliance-02"]   # no status given
