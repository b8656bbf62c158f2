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


# ------------------------------------------------------------------ the graph and R008 in the resolve stage

def looping_contribution() -> bytes:
    body = tbl([["Organisation", "Swale Borough Council"], ["Contact", "Jo Bloggs"]])
    body += heading("Outcome 1") + tbl([["Ref", "Action", "Depends on"],
                                        ["1", "Breastfeeding peer support in Swale", "2"],
                                        ["2", "Family hub outreach in Sittingbourne", "1"]])
    return docx_bytes(body)


def test_resolution_finds_a_dependency_cycle_and_builds_the_graph_once(vocab):
    from compiler.resolve import Resolver

    rec = read_submission("swale.docx", looping_contribution(), vocab)
    resolver = Resolver(vocab)
    plan = resolver.resolve([rec])
    r008 = [d for d in plan.diagnostics if d.code == "R008"]
    assert len(r008) == 1, [d.render() for d in plan.diagnostics]
    ids = sorted(a.id for a in plan.actions)
    assert r008[0].subject == f"action:{ids[0]}" and r008[0].location.path == "swale.docx"
    assert " -> ".join(ids + [ids[0]]) in r008[0].message
    g = resolver.graph
    assert g is not None and g.has_edge(f"action:{ids[0]}", f"action:{ids[1]}")
    comp = Compilation(vocab.rules, [rec], plan, graph=g)
    assert comp.graph is g, "the compilation carries the resolver's graph"
    assert not [d for d in run_checks(comp) if d.code == "R008"], "R008 is not a check"


def test_compilation_carries_the_graph_and_graphml_reads_it(tmp_path, vocab):
    from compiler.pipeline import compile_plan
    from compiler.writers.graphml import graphml

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "swale.docx").write_bytes(looping_contribution())
    comp = compile_plan(inputs, vocab.rules)
    assert comp.graph is not None and "outcome:SO1" in comp.graph
    assert [d.code for d in comp.plan.diagnostics].count("R008") == 1
    comp.graph.add_node("marker:x", kind="marker", id="x", label="only in this compilation's graph")
    assert b"only in this compilation's graph" in graphml(comp, None)["graph.graphml"]


def test_no_module_global_graph_cache():
    import compiler.resolve.graph as graph

    assert not hasattr(graph, "graph_of") and not hasattr(graph, "_CACHE")


# ------------------------------------------------------------------ D010 is a data-quality check over the plan

def test_conflicting_values_are_kept_on_the_plan_and_reported_by_the_check(vocab):
    logframe = xlsx_bytes({"Logframe": [
        ["Indicator ID", "Outcome", "Indicator", "Baseline", "Baseline period", "Data source"],
        ["LF1.1", "SO1", "Good level of development at age 5", 65.2, "2022/23", "DfE EYFSP"]]})
    update = xlsx_bytes({"Update": [["Indicator ID", "Period", "Value"],
                                    ["LF1.1", "2023/24", 66.0], ["LF1.1", "2023/24", 67.5],
                                    ["LF1.1", "2022/23", 66.8]]})
    records = [read_submission("logframe.xlsx", logframe, vocab), read_submission("update.xlsx", update, vocab)]
    plan = resolve(records, vocab)
    assert not [d for d in plan.diagnostics if d.code == "D010"], "the resolver merges; it does not judge"
    (ind,) = plan.indicators
    assert [(v.period, v.value.number) for v in ind.values] == [("2023/24", 66.0)], "the first value is kept"
    assert [(v.origin, v.period, v.value.number, v.source.path) for v in ind.offered] == [
        ("baseline", "2022/23", 65.2, "logframe.xlsx"), ("update", "2023/24", 66.0, "update.xlsx"),
        ("update", "2023/24", 67.5, "update.xlsx"), ("update", "2022/23", 66.8, "update.xlsx")]
    found = sorted((d for d in run_checks(Compilation(vocab.rules, records, plan)) if d.code == "D010"),
                   key=lambda d: d.sort_key())
    assert [d.location for d in found] == [ind.offered[2].source, ind.offered[3].source]
    assert found[0].message == (f"indicator LF1.1 has two values for 2023/24: 66 in a data update at update.xlsx: "
                                f"{ind.offered[1].source.text} and 67.5 in a data update here; the first is kept")
    assert found[1].message.startswith("indicator LF1.1 has two values for 2022/23: 65.2 in its baseline at "
                                       "logframe.xlsx")
    assert found[1].message.endswith("and 66.8 in a data update here; the baseline is kept")


# ------------------------------------------------------------------ the read stage lives under readers/

def test_read_stage_is_under_readers():
    import importlib.util

    from compiler import pipeline
    from compiler.readers import inputs, pool

    assert importlib.util.find_spec("compiler.isolation") is None
    assert pipeline.discover is inputs.discover and pipeline.InputsError is inputs.InputsError
    assert pool.read_files.__kwdefaults__["reader"] is read_submission

