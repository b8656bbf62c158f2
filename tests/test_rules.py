"""The rules loader: every problem in a rules folder is reported clearly, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compiler.ruleset import RulesError, load_rules
from tests.conftest import REPO


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(REPO / "rules", target)
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules(folder)
    return info.value.problems


def test_default_rules_load():
    rules = load_rules(REPO / "rules")
    assert [o.id for o in rules.outcomes] == ["SO1", "SO2", "SO3", "SO4", "SO5", "SO6"]
    assert all(3 <= len(o.priorities) <= 5 for o in rules.outcomes)
    assert len([p for p in rules.partners if p.type == "district-council"]) == 12
    assert len([p for p in rules.places if p.type == "hcp"]) == 4
    assert rules.period.start.isoformat() == "2024-04-01" and rules.period.end.isoformat() == "2026-03-31"


def test_unknown_key_names_file_key_and_the_key_meant(rules_copy):
    _edit(rules_copy, "outcomes.toml", 'title = "Give children', 'titel = "Give children')
    problems = _problems(rules_copy)
    assert any("outcomes.toml" in p and "titel" in p and "did you mean 'title'" in p for p in problems), problems


def test_wrong_type_is_reported(rules_copy):
    _edit(rules_copy, "checks.toml", "fuzzy_accept = 88", 'fuzzy_accept = "high"')
    problems = _problems(rules_copy)
    assert any("checks.toml" in p and "thresholds.fuzzy_accept" in p and "whole number" in p for p in problems)


def test_dangling_place_of_a_partner(rules_copy):
    _edit(rules_copy, "partners.toml", 'place = "canterbury"', 'place = "canterbery"')
    problems = _problems(rules_copy)
    assert any("partners.toml" in p and "canterbery" in p and "did you mean 'canterbury'" in p for p in problems)


def test_duplicate_ids_and_missing_required(rules_copy):
    _edit(rules_copy, "outcomes.toml", 'id = "SO2"\n', 'id = "SO1"\n')
    _edit(rules_copy, "system.toml", 'name = "Kent and Medway"\n', "")
    problems = _problems(rules_copy)
    assert any("duplicate outcome ID 'SO1'" in p for p in problems), problems
    assert any("system.toml" in p and "system.name" in p and "required" in p for p in problems), problems


def test_all_problems_at_once(rules_copy):
    _edit(rules_copy, "places.toml", 'parent = "hcp-east-kent"', 'parent = "hcp-eest-kent"')
    _edit(rules_copy, "headers.toml", "ref = [", "reff = [")
    problems = _problems(rules_copy)
    assert len(problems) >= 2


def test_invalid_toml_and_missing_folder(tmp_path, rules_copy):
    (rules_copy / "limits.toml").write_text("[limits\nmax_members = 3", encoding="utf-8")
    assert any("limits.toml" in p and "not valid TOML" in p for p in _problems(rules_copy))
    assert any("does not exist" in p for p in _problems(tmp_path / "nowhere"))


def test_bad_regular_expression(rules_copy):
    _edit(rules_copy, "references.toml", "indicator = '^[A-Z]{1,6}", "indicator = '^([A-Z]{1,6}")
    assert any("ids.indicator" in p and "regular expression" in p for p in _problems(rules_copy))


def test_digest_changes_with_the_rules(rules_copy):
    before = load_rules(rules_copy).digest
    _edit(rules_copy, "checks.toml", "fuzzy_accept = 88", "fuzzy_accept = 90")
    assert load_rules(rules_copy).digest != before


# --------------------------------------------------------------------------- codes in checks.toml

@pytest.mark.parametrize("old, new, key, meant", [
    ("ignore = []", 'ignore = ["D11"]', "checks.ignore[0]", "D011"),
    ("ignore = []", 'ignore = ["c004"]', "checks.ignore[0]", "C004"),
    ('select = ["I", "R", "C", "D"]', 'select = ["I", "R", "C", "Q"]', "checks.select[3]", None),
    ('[checks.severity]   # code = "error" | "warning" | "info"',
     '[checks.severity]\nC0O4 = "error"', "checks.severity.C0O4", "C004"),
    ('[checks.per_file_ignores]   # glob over submission paths = [codes or prefixes]',
     '[checks.per_file_ignores]\n"*.xlsx" = ["I0007"]', 'checks.per_file_ignores."*.xlsx"[0]', "I007"),
])
def test_unknown_code_names_file_key_and_the_code_meant(rules_copy, old, new, key, meant):
    _edit(rules_copy, "checks.toml", old, new)
    problems = _problems(rules_copy)
    mine = [p for p in problems if p.startswith(f"checks.toml: {key}: ")]
    assert len(mine) == 1, problems
    if meant:
        assert mine[0].endswith(f"did you mean '{meant}'?"), mine
    else:
        assert "sdp explain" in mine[0], mine


def test_a_prefix_is_not_a_code_for_a_severity(rules_copy):
    _edit(rules_copy, "checks.toml", '[checks.severity]   # code = "error" | "warning" | "info"',
          '[checks.severity]\nD01 = "info"')
    assert _problems(rules_copy) == [
        "checks.toml: checks.severity.D01: is a prefix, but a severity is set per code (for example 'D010')"]


def test_valid_prefixes_and_codes_load(rules_copy):
    _edit(rules_copy, "checks.toml", 'select = ["I", "R", "C", "D"]', 'select = ["I", "R", "C", "D01", "A"]')
    _edit(rules_copy, "checks.toml", "ignore = []", 'ignore = ["C00", "D011", "R0"]')
    _edit(rules_copy, "checks.toml", '[checks.severity]   # code = "error" | "warning" | "info"',
          '[checks.severity]\nC004 = "error"\nR006 = "warning"')
    rules = load_rules(rules_copy)
    assert rules.checks.select == ["I", "R", "C", "D01", "A"] and rules.checks.severity["C004"] == "error"


def test_bad_priority_pattern_is_reported_not_raised(rules_copy):
    """The priorities are checked against ids.priority; a pattern that does not compile is one
    problem in the list (exit 2 with a message), never a re.error traceback from the loader."""
    _edit(rules_copy, "references.toml", "priority = '^SO(?P<n>\\d+)\\.(?P<p>\\d+)$'",
          "priority = '^SO(?P<n>\\d+)\\.(?P<p>\\d+$'")
    problems = _problems(rules_copy)
    assert any(p.startswith("references.toml: ids.priority: is not a valid regular expression") for p in problems), problems
