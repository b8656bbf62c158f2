"""The gap report (gap-report.html / .json / .md) against plan.json.

The sample and the fictional system are compiled in-process (the same
pipeline the CLI runs) and the gap report writer is called on the result, so
these tests exercise this artefact alone; one test runs the real CLI and
checks the three files land in the output folder. Every expectation is
recomputed here from plan.json, independently of compiler.coverage.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from compiler.pipeline import compile_plan
from compiler.ruleset import load_rules
from compiler.writers import WriteContext
from compiler.diagnostics_render import md_escape
from compiler.writers.gap_report import write_gap_report
from compiler.writers.plan_json import plan_document
from tests.conftest import DEFAULT_RULES, REPO, compile_dir
from tests.fixtures.ooxml import docx_bytes, heading, p, tbl, xlsx_bytes

AS_OF = date(2025, 6, 1)
FICTIONAL = REPO / "tests" / "fictional"
XSS = "<script>alert(1)</script>"


class Report:
    """One compile: plan.json as a dict and the three gap report artefacts."""

    def __init__(self, inputs: Path, rules: Path):
        comp = compile_plan(inputs, load_rules(rules), as_of=AS_OF)
        self.plan = json.loads(json.dumps(plan_document(comp.plan, comp.rules)))
        self.files = write_gap_report(comp, WriteContext(inputs_dir=inputs, as_of=AS_OF))
        self.html = self.files["gap-report.html"].decode("utf-8")
        self.md = self.files["gap-report.md"].decode("utf-8")
        self.json = json.loads(self.files["gap-report.json"])
        self.page = Page()
        self.page.feed(self.html)
        self.page.close()


class Page(HTMLParser):
    """The parts of the page the tests read: diagnostic rows, matrix cells, tags and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[dict] = []  # diagnostics table rows: data-* attributes and cell texts
        self.cells: dict[str, dict[tuple[str, str], int]] = {}  # matrix id -> (outcome, column) -> count
        self.titles: list[str] = []
        self.script_text = ""
        self._matrix: str | None = None
        self._outcome: str | None = None
        self._row: dict | None = None
        self._cell: list[str] | None = None
        self._in_script = False
        self._depth_table = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "title" in a:
            self.titles.append(a["title"] or "")
        if tag == "script":
            self._in_script = True
        if tag == "table":
            self._matrix = a.get("data-matrix")
        if tag == "tr":
            self._outcome = a.get("data-outcome")
            if "diag" in (a.get("class") or "").split():
                self._row = {**{k: v for k, v in a.items() if k.startswith("data-")}, "cells": []}
        if tag == "td":
            if self._matrix and "data-count" in a and self._outcome:
                self.cells.setdefault(self._matrix, {})[(self._outcome, a["data-column"])] = int(a["data-count"])
            if self._row is not None:
                self._cell = []

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "table":
            self._matrix = None
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_script:
            self.script_text += data
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def sample() -> Report:
    return Report(REPO / "inputs", DEFAULT_RULES)


@pytest.fixture(scope="module")
def fictional() -> Report:
    return Report(FICTIONAL / "inputs", FICTIONAL / "rules")


LOGFRAME = xlsx_bytes({
    "Logframe": [
        ["Indicator ID", "Outcome", "Indicator", "Unit", "Baseline", "Baseline period", "Target 2025/26", "Data source"],
        ["LF1.1", "SO1", "Good level of development at age 5", "%", 65.2, "2022/23", 68, "DfE EYFSP"],
        ["LF3.1", "SO3", f"Smoking prevalence {XSS}", "%", 12.9, "2022/23", 11, "APS"],
    ]
})

HOSTILE_NAME = "evil <b>&amp; 'quoted\".docx"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Report:
    inputs = tmp_path_factory.mktemp("hostile") / "inputs"
    inputs.mkdir()
    (inputs / "logframe.xlsx").write_bytes(LOGFRAME)
    body = (
        tbl([["Organisation", "Swale Borough Council"], ["Contact", "Jo Bloggs"]])
        + heading("Outcome 3")
        + p("Our contribution.")
        + tbl([["Ref", "Action", "Lead", "Partners", "Measure", "Related strategy"],
               ["SW1", f"Run stop smoking clinics {XSS} in Sittingbourne", XSS, "KCC", "LF3.7",
                f"The {XSS} plan"],
               ["SW2", "Expand health walks & <b>bold</b> claims", "Swale BC", "", "LF3.1", ""]],
              header_rows=1)
    )
    (inputs / HOSTILE_NAME).write_bytes(docx_bytes(body))
    return Report(inputs, DEFAULT_RULES)


# --------------------------------------------------------------------------- self-contained, escaped

GAP_SCHEMA = REPO / "compiler" / "schema" / "gap-report.schema.json"


@pytest.mark.parametrize("which", ["sample", "fictional", "hostile"])
def test_gap_report_json_validates_against_its_published_schema(which, request):
    """docs/contracts.md promises gap-report.json to compiler/schema/gap-report.schema.json."""
    import jsonschema

    schema = json.loads(GAP_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    r: Report = request.getfixturevalue(which)
    jsonschema.validate(r.json, schema)


def test_the_gap_report_schema_rejects_what_the_contract_excludes(sample):
    """The schema is strict enough to catch drift: an unknown top-level key, a wrong severity, a
    headline count that is not a count."""
    import copy

    import jsonschema

    schema = json.loads(GAP_SCHEMA.read_text(encoding="utf-8"))
    for mutate in (lambda d: d.update(extra=1), lambda d: d["diagnostics"][0].update(severity="fatal"),
                   lambda d: d["headline"].update(actions="many"), lambda d: d.pop("coverage"),
                   lambda d: d.update(schema_version=2)):
        bad = copy.deepcopy(sample.json)
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


@pytest.mark.parametrize("which", ["sample", "fictional", "hostile"])
def test_page_references_nothing_external(which, request):
    r: Report = request.getfixturevalue(which)
    for tag, attrs in r.page.tags:
        assert tag != "link", "a <link> element"
        assert "src" not in attrs, f"<{tag} src=...>"
        assert tag not in ("iframe", "img", "object", "embed", "base", "frame"), tag
        href = attrs.get("href")
        assert href is None or href.startswith("#"), f"<{tag} href={href!r}>"
        assert "url(" not in (attrs.get("style") or "")
    assert "src=" not in r.html
    assert "<link" not in r.html.lower()
    assert "@import" not in r.html and "url(" not in r.html
    if which != "hostile":  # the sample and fictional inputs contain no web address at all
        assert "http://" not in r.html and "https://" not in r.html
    scripts = [t for t, _ in r.page.tags if t == "script"]
    assert len(scripts) == 1, "the page's own inline script only"
    assert "fetch(" not in r.page.script_text and "XMLHttpRequest" not in r.page.script_text


def test_hostile_text_is_escaped(hostile):
    html = hostile.html
    assert XSS not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the hostile file name and texts come through as text, never as markup
    paths = {d["location"]["path"] for d in hostile.plan["diagnostics"] if d["location"]}
    assert HOSTILE_NAME in paths, paths
    cells = [c for row in hostile.page.rows for c in row["cells"]]
    assert any(HOSTILE_NAME in c for c in cells)
    assert any(XSS in c for c in cells), "the hostile text shown, as text"
    assert any(XSS in t for t in hostile.page.titles), "the action text in a title attribute, as text"
    # only the page's own tags
    assert {t for t, _ in hostile.page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "a", "header", "p", "h1", "h2", "h3", "nav", "ul", "li",
        "main", "section", "div", "span", "table", "caption", "colgroup", "col", "thead", "tbody", "tr", "th",
        "td", "br", "button", "form", "label", "select", "option", "input", "code", "footer", "script"}
    # Markdown: no raw HTML from the inputs
    assert XSS not in hostile.md and "<b>" not in hostile.md


# --------------------------------------------------------------------------- every diagnostic

def _location_text(d: dict) -> str:
    return d["location"]["path"] if d["location"] else "whole plan"


@pytest.mark.parametrize("which", ["sample", "fictional", "hostile"])
def test_every_diagnostic_is_a_row(which, request):
    r: Report = request.getfixturevalue(which)
    diags = r.plan["diagnostics"]
    assert diags, "the fixture should produce diagnostics"
    assert len(r.page.rows) == len(diags)
    rows = [(row["data-code"], row["data-severity"], row["cells"][6], row["cells"][5]) for row in r.page.rows]
    expected = [(d["code"], d["severity"], d["message"], d) for d in diags]
    remaining = list(rows)
    for code, severity, message, d in expected:
        match = next((x for x in remaining if x[0] == code and x[1] == severity and x[2] == " ".join(message.split())
                      and _location_text(d) in x[3]), None)
        assert match is not None, f"no row for {code} {message!r}"
        remaining.remove(match)
    assert not remaining


def test_rows_carry_outcome_and_partner(sample):
    plan = sample.plan
    subs = {s["path"]: s for s in plan["submissions"]}
    actions = {a["id"]: a for a in plan["actions"]}
    indicators = {i["id"]: i for i in plan["indicators"]}
    names = {p["id"]: p["name"] for p in plan["partners"]}
    rows = {int(row["data-plan-index"]): row for row in sample.page.rows}
    assert sorted(rows) == list(range(len(plan["diagnostics"])))
    checked_partner = checked_outcome = 0
    for index, d in enumerate(plan["diagnostics"]):
        row = rows[index]
        assert (row["data-code"], row["cells"][6]) == (d["code"], " ".join(d["message"].split()))
        kind, _, ident = (d["subject"] or ":").partition(":")
        if kind == "action" and ident in actions:
            expected = actions[ident]["outcome_ids"] + actions[ident]["enabler_ids"]
            assert row["data-outcomes"].split() == (expected or ["-"]), d
            checked_outcome += 1
        elif kind == "indicator" and ident in indicators:
            assert row["data-outcomes"].split() == indicators[ident]["outcome_ids"], d
            checked_outcome += 1
        elif kind == "outcome":
            assert row["data-outcomes"] == ident
        sub = subs.get(d["location"]["path"]) if d["location"] else None
        if sub and sub["partner_id"]:
            assert row["data-partner"] == sub["partner_id"], d
            assert names[sub["partner_id"]] in row["cells"][4]
            checked_partner += 1
        elif kind == "partner":
            assert row["data-partner"] == ident
    assert checked_partner > 50 and checked_outcome > 50
    # the code's summary is its tooltip
    r002 = next(row for row in sample.page.rows if row["data-code"] == "R002")
    assert r002["data-severity"] == "error"
    assert "unknown indicator" in sample.page.titles


def test_filters_offer_every_value(sample):
    options = [(a.get("value")) for t, a in sample.page.tags if t == "option"]
    for d in sample.plan["diagnostics"]:
        assert d["code"] in options and d["severity"] in options
    for row in sample.page.rows:
        assert row["data-partner"] in options
        for oid in row["data-outcomes"].split():
            assert oid in options
    labels = {a.get("for") for t, a in sample.page.tags if t == "label"}
    selects = {a.get("id") for t, a in sample.page.tags if t == "select"}
    assert selects <= labels and len(selects) == 4, "every filter has a label"
    assert "f-search" in labels


def test_accessible_tables(sample):
    assert sample.html.count("<table") == sample.html.count("<caption>")
    ths = [a for t, a in sample.page.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    assert '<html lang="en-GB"' in sample.html


# --------------------------------------------------------------------------- matrices

def _expected_matrices(plan: dict) -> tuple[dict, dict]:
    places = plan["places"]
    roots = {p["id"] for p in places if p["parent"] is None}
    local = [p["id"] for p in places if p["parent"] in roots]

    def area(pid: str) -> set[str]:
        out = {pid}
        while True:
            more = {p["id"] for p in places if p["parent"] in out} - out
            if not more:
                return out
            out |= more

    areas = {pid: area(pid) for pid in local}
    ptype = {p["id"]: p["type"] for p in plan["partners"]}
    types = list(dict.fromkeys(p["type"] for p in plan["partners"]))
    by_place, by_type = {}, {}
    for o in plan["outcomes"]:
        acts = [a for a in plan["actions"] if o["id"] in a["outcome_ids"]]
        for pid in local:
            by_place[(o["id"], pid)] = sum(1 for a in acts if set(a["place_ids"]) & areas[pid])
        by_place[(o["id"], "system-wide")] = sum(1 for a in acts if set(a["place_ids"]) & roots)
        by_place[(o["id"], "total")] = len(acts)
        for t in types:
            by_type[(o["id"], t)] = sum(
                1 for a in acts if any(ptype.get(x) == t for x in [a["lead_id"], *a["partner_ids"]] if x))
        by_type[(o["id"], "total")] = len(acts)
    return by_place, by_type


@pytest.mark.parametrize("which", ["sample", "fictional"])
def test_matrix_cells_match_plan(which, request):
    r: Report = request.getfixturevalue(which)
    by_place, by_type = _expected_matrices(r.plan)
    assert r.page.cells["by_place"] == by_place
    shown_types = {k: v for k, v in r.page.cells["by_partner_type"].items()}
    for key, n in by_type.items():
        assert shown_types[key] == n, key
    # zero cells are marked as gaps
    assert re.search(r'class="cell n0" data-column="[^"]+" data-count="0"', r.html)
    assert 'class="cell n0" data-column="total"' not in r.html or any(v == 0 for k, v in by_place.items()
                                                                      if k[1] == "total")
    # the JSON carries the same numbers
    cov = r.json["coverage"]
    for row in cov["by_place"]["rows"]:
        for col, n in row["counts"].items():
            assert by_place[(row["outcome_id"], col)] == n
        assert by_place[(row["outcome_id"], "total")] == row["total"]


def test_outcome_summary_and_headline(sample):
    plan = sample.plan
    h = sample.json["headline"]
    assert h["submissions"] == len(plan["submissions"])
    assert h["actions"] == len(plan["actions"])
    assert h["indicators"] == len(plan["indicators"])
    assert h["strategies"] == len(plan["strategies"])
    for sev, key in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        assert h[key] == sum(1 for d in plan["diagnostics"] if d["severity"] == sev)
    for o in sample.json["coverage"]["outcomes"]:
        acts = [a for a in plan["actions"] if o["id"] in a["outcome_ids"]]
        assert o["actions"] == len(acts)
        assert o["indicators"] == sum(1 for i in plan["indicators"] if o["id"] in i["outcome_ids"])
        assert o["actions_without_indicator"] == sum(1 for a in acts if not a["indicator_ids"])
        assert sample.page.cells.get("by_place")  # rendered
    # the outcome table is on the page with its counts
    summary = re.findall(r'<tr data-outcome="(SO\d)">\s*<th scope="row">.*?</th>\s*'
                         r'<td class="cell[^"]*" data-count="(\d+)"', sample.html, re.S)
    assert [(oid, int(n)) for oid, n in summary] == [(o["id"], o["actions"])
                                                      for o in sample.json["coverage"]["outcomes"]]
    assert "Draft – 1 unresolved issue" in sample.html


def _codes(report: Report, code: str) -> list[dict]:
    return [d for d in report.json["diagnostics"] if d["code"] == code]


@pytest.mark.parametrize("which", ["sample", "fictional", "hostile"])
def test_headline_agrees_with_the_diagnostics_it_lists(which, request):
    """The coverage figures and the coverage diagnostics come from one analysis: never two answers."""
    report: Report = request.getfixturevalue(which)
    h = report.json["headline"]
    listed = report.json["diagnostics"]
    for sev, key in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        assert h[key] == sum(1 for d in listed if d["severity"] == sev)
    assert h["actions_without_indicator"] == len(_codes(report, "C004"))
    assert h["outcomes_without_actions"] == [d["subject"].split(":", 1)[1] for d in _codes(report, "C001")]
    assert h["outcomes_without_indicators"] == [d["subject"].split(":", 1)[1] for d in _codes(report, "C002")]
    assert h["outcomes_without_business"] == [d["subject"].split(":", 1)[1] for d in _codes(report, "C009")]
    assert h["places_without_action"] == len(_codes(report, "C010"))
    n = h["actions_without_indicator"]
    if n:
        assert f"| Actions with no measure | {n} of {h['actions']} |" in report.md
        assert re.search(rf"\b{n} actions? names? no logframe measure", report.md)


@pytest.mark.parametrize("which", ["fictional", "hostile"])
def test_outcomes_lacking_actions_or_measures_are_flagged(which, request):
    r: Report = request.getfixturevalue(which)
    h = r.json["headline"]
    plan = r.plan
    no_action = [o["id"] for o in plan["outcomes"] if not any(o["id"] in a["outcome_ids"] for a in plan["actions"])]
    no_measure = [o["id"] for o in plan["outcomes"]
                  if not any(o["id"] in i["outcome_ids"] for i in plan["indicators"])]
    assert h["outcomes_without_actions"] == no_action
    assert h["outcomes_without_indicators"] == no_measure
    if which == "hostile":  # one Word submission under outcome 3 and a logframe for SO1 and SO3
        assert no_action == ["SO1", "SO2", "SO4", "SO5", "SO6"]
        assert no_measure == ["SO2", "SO4", "SO5", "SO6"]
    for oid in no_action:
        assert re.search(rf"No action delivers [^<]*\b{oid}\b", r.html), oid
        row = re.search(rf'<tr data-outcome="{oid}">.*?</tr>', r.html, re.S).group(0)
        assert 'class="cell n0" data-count="0"' in row
        assert ("No actions and no measures" if oid in no_measure else "No actions deliver it") in row
    for oid in no_measure:
        assert re.search(rf"No logframe indicator measures [^<]*\b{oid}\b", r.html), oid
    for oid in set(no_measure) - set(no_action):
        assert "Nothing measures it" in re.search(rf'<tr data-outcome="{oid}">.*?</tr>', r.html, re.S).group(0)


# --------------------------------------------------------------------------- json and markdown

@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_json_round_trips_the_diagnostics(which, request):
    r: Report = request.getfixturevalue(which)
    core = [{k: v for k, v in d.items() if k not in ("outcome_ids", "partner_id")} for d in r.json["diagnostics"]]
    assert core == r.plan["diagnostics"]
    assert all("outcome_ids" in d and "partner_id" in d for d in r.json["diagnostics"])
    assert set(r.json) >= {"headline", "coverage", "diagnostics", "issues_by_partner"}


@pytest.mark.parametrize("which", ["sample", "fictional", "hostile"])
def test_markdown_lists_every_error_and_warning(which, request):
    r: Report = request.getfixturevalue(which)
    for d in r.plan["diagnostics"]:
        if d["severity"] in ("error", "warning"):
            assert f"**{d['code']}** {md_escape(d['message'])}" in r.md, d
    errors = sum(1 for d in r.plan["diagnostics"] if d["severity"] == "error")
    if errors:
        assert f"## Errors ({errors})" in r.md


def test_artefacts_are_byte_stable(sample):
    again = Report(REPO / "inputs", DEFAULT_RULES)
    assert again.files == sample.files


def test_md_escape():
    assert md_escape("a | b\n<c> *d* [e](f) `g`") == r"a \| b \<c\> \*d\* \[e\](f) \`g\`"
    assert md_escape(None) == ""


# --------------------------------------------------------------------------- through the CLI

def test_compile_writes_the_gap_report(tmp_path):
    compile_dir(REPO / "inputs", tmp_path)
    out = tmp_path / "out"
    for name in ("gap-report.html", "gap-report.json", "gap-report.md"):
        assert (out / name).stat().st_size > 1000, name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {"gap-report.html", "gap-report.json", "gap-report.md"} <= {o["path"] for o in manifest["outputs"]}
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    report = json.loads((out / "gap-report.json").read_text(encoding="utf-8"))
    assert [{k: v for k, v in d.items() if k not in ("outcome_ids", "partner_id")} for d in report["diagnostics"]] \
        == plan["diagnostics"]
