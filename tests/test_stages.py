"""Each stage does its own job (issue 8): readers read, the resolver resolves, checks check.

- A reader keeps a section heading as written (RawSection); the resolver decides what it names and
  reports a fuzzy match (R006) at the heading, as the compile always has.
- The resolver builds the dependency graph once; the compilation carries it; dependency cycles
  (R008, a resolution code) are found on it by the resolve stage, not by a check.
- D010 (conflicting values for one indicator) is a data-quality check over the plan, which keeps
  every value offered for an indicator with its source.
- The read stage (worker pool, time budget, memory cap) lives under compiler/readers/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.checks import run_checks
from compiler.compilation import Compilation
from compiler.readers import read_submission
from compiler.records import RawSection, Written
from compiler.resolve import resolve
from compiler.ruleset import load_rules
from compiler.vocabulary import Vocabulary
from tests.conftest import DEFAULT_RULES, compile_dir
from tests.fixtures.ooxml import bullet, docx_bytes, heading, tbl, xlsx_bytes

MISSPELT = "Support healthy and happy living for all"  # the title of SO3, two words swapped: a fuzzy match


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load_rules(DEFAULT_RULES))


def contribution(*sections: tuple[str, list[str]]) -> bytes:
    body = tbl([["Organisation", "Swale Borough Council"], ["Contact", "Jo Bloggs"]])
    for title, actions in sections:
        body += heading(title) + "".join(bullet(text) for text in actions)
    return docx_bytes(body)


# ------------------------------------------------------------------ readers only read

def test_reader_keeps_a_misspelt_heading_as_written_and_does_not_resolve_it(vocab):
    rec = read_submission("swale.docx", contribution((MISSPELT, ["Run a community health champions programme"])),
                          vocab)
    assert not [d for d in rec.diagnostics if d.code.startswith("R")], "readers emit no resolution codes"
    assert len(rec.section_headings) == 1
    section = rec.section_headings[0]
    assert isinstance(section, RawSection) and section.kind == "heading"
    assert section.heading.text == MISSPELT
    assert section.heading.location.path == "swale.docx"
    assert section.heading.location.paragraph is not None
    (action,) = rec.actions
    assert action.section_heading == section.heading, "the action points at its section's heading as written"


def test_compile_reports_the_fuzzy_heading_at_the_heading(tmp_path, vocab):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    data = contribution(("Outcome 1", ["Breastfeeding peer support in Swale"]),
                        (MISSPELT, ["Run a community health champions programme"]))
    (inputs / "swale.docx").write_bytes(data)
    _, plan = compile_dir(inputs, tmp_path)
    found = [d for d in plan["diagnostics"] if d["code"] == "R006" and MISSPELT in d["message"]]
    assert len(found) == 1, plan["diagnostics"]
    d = found[0]
    rec = read_submission("swale.docx", data, vocab)
    where = rec.section_headings[1].heading.location
    assert d["message"].startswith(f"heading '{MISSPELT}' taken to name outcome SO3 '")
    assert "(similarity " in d["message"]
    assert d["subject"] == "outcome:SO3"
    assert d["location"]["path"] == "swale.docx" and d["location"]["text"] == where.text
    assert [a["outcome_ids"] for a in plan["actions"]] == [["SO1"], ["SO3"]]


def test_resolver_reports_a_heading_that_names_nothing(vocab):
    """Records read under other rules may carry a heading these rules do not know: R001, not a crash."""
    rec = read_submission("swale.docx", contribution(("Outcome 1", ["Breastfeeding peer support in Swale"])), vocab)
    old = rec.section_headings[0].heading
    stale = Written("Outcome 9 \u2013 Somewhere over the rainbow", old.location)
    rec.section_headings[0] = RawSection(stale, "heading", 1)
    rec.actions[0].section_heading = stale
    plan = resolve([rec], vocab)
    r001 = [d for d in plan.diagnostics if d.code == "R001"]
    assert len(r001) == 1 and r001[0].location == old.location and "Outcome 9" in r001[0].message
    assert plan.actions[0].outcome_ids == [], "the resolver, not the reader, says what the section is"


def test_sheet_outcome_is_kept_as_written_and_resolved_by_the_resolver(vocab):
    book = xlsx_bytes({"Outcome 2": [["Indicator ID", "Indicator", "Baseline", "Data source"],
                                     ["LF2.1", "Households in temporary accommodation", 4.1, "DLUHC"]]})
    rec = read_submission("logframe.xlsx", book, vocab)
    (ind,) = rec.indicators
    assert ind.outcome_refs == [], "no outcome ID made up by the reader"
    assert ind.section_heading is not None and ind.section_heading.text == "Outcome 2"
    assert [s.kind for s in rec.section_headings] == ["sheet"]
    plan = resolve([rec], vocab)
    assert plan.indicators[0].outcome_ids == ["SO2"]
