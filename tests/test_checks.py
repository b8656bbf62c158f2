"""The diagnostics catalogue (spec/checks.md): one trigger and one near miss per code.

Every test builds a tiny inputs folder in tmp_path (a logframe workbook and one
or two Word contributions, written as raw OOXML by tests/fixtures/ooxml.py) and
compiles it through the CLI against a small rules folder derived from the
shipped one: two outcomes (SO1 with priorities SO1.1 and SO1.2, SO2 with SO2.1),
one enabler, one HCP with one district, five partners of which none is
expected. The *clean* fixture covers that whole system, so it raises no
diagnostic at all: each trigger changes one thing, and its near miss changes
the same thing to something correct that must not raise the code.

Fixtures follow the spec's wording, not the implementation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_RULES, run_sdp
from tests.fixtures.ooxml import F, docx_bytes, heading, p, tbl, xlsx_bytes

AS_OF = "2024-10-01"  # inside the plan period 2024-04-01 .. 2026-03-31

# ---------------------------------------------------------------------------
# a small rules folder
# ---------------------------------------------------------------------------

OUTCOMES_TOML = """
[[outcome]]
id = "SO1"
number = 1
title = "Give children and young people the best start in life"
aliases = ["Best start in life"]

  [[outcome.priority]]
  id = "SO1.1"
  title = "Improve maternal and infant health"
  aliases = ["Maternity"]
  [[outcome.priority]]
  id = "SO1.2"
  title = "Give every child a healthy start and support school readiness"
  aliases = ["School readiness"]

[[outcome]]
id = "SO2"
number = 2
title = "Tackle the wider determinants to prevent ill health"
aliases = ["Wider determinants"]

  [[outcome.priority]]
  id = "SO2.1"
  title = "Improve housing and prevent homelessness"
  aliases = ["Housing"]

[[enabler]]
id = "EN1"
title = "Partnership working"
aliases = ["Working in partnership"]
"""

PARTNERS_TOML = """
[[partner_type]]
id = "county-council"
label = "County council"
[[partner_type]]
id = "hcp"
label = "Health and Care Partnerships"
[[partner_type]]
id = "vcse"
label = "Voluntary, community and social enterprise"
[[partner_type]]
id = "business"
label = "Business and economy"
business = true

[[partner]]
id = "kcc"
name = "Kent County Council"
aliases = ["KCC"]
type = "county-council"
place = "system"

[[partner]]
id = "hcp-east-kent"
name = "East Kent Health and Care Partnership"
aliases = ["East Kent HCP", "EK HCP"]
type = "hcp"
place = "hcp-east-kent"

[[partner]]
id = "kmep"
name = "Kent and Medway Economic Partnership"
aliases = ["KMEP"]
type = "business"
place = "system"

[[partner]]
id = "vcse-north"
name = "North Downs Community Trust"
type = "vcse"
place = "system"

[[partner]]
id = "vcse-south"
name = "South Downs Community Trust"
type = "vcse"
place = "system"
"""

PLACES_TOML = """
[[place]]
id = "system"
name = "Kent and Medway (system-wide)"
type = "system"
aliases = ["Kent and Medway", "System-wide"]

[[place]]
id = "hcp-east-kent"
name = "East Kent"
type = "hcp"
parent = "system"
aliases = ["East Kent HCP"]

[[place]]
id = "canterbury"
name = "Canterbury"
type = "district"
parent = "hcp-east-kent"
"""


def make_rules(tmp_path: Path, *, name: str = "rules", outcomes: str = OUTCOMES_TOML, partners: str = PARTNERS_TOML,
               places: str = PLACES_TOML, checks_extra: str = "", edits: dict[str, list[tuple[str, str]]] | None = None
               ) -> Path:
    """A copy of the shipped rules with the system cut down; `edits` replace text in any rules file."""
    rules = tmp_path / name
    shutil.copytree(DEFAULT_RULES, rules)
    (rules / "outcomes.toml").write_text(outcomes, encoding="utf-8")
    (rules / "partners.toml").write_text(partners, encoding="utf-8")
    (rules / "places.toml").write_text(places, encoding="utf-8")
    for file, replacements in (edits or {}).items():
        text = (rules / file).read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{old!r} not in {file}"
            text = text.replace(old, new, 1)
        (rules / file).write_text(text, encoding="utf-8")
    if checks_extra:
        with open(rules / "checks.toml", "a", encoding="utf-8") as fh:
            fh.write("\n" + checks_extra + "\n")
    return rules


# ---------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------

LF_HEADER = ["Indicator ID", "Outcome", "Indicator", "Unit", "Polarity", "Baseline", "Baseline period",
             "Target 2025/26", "Data source", "Owner", "Status"]


def lf_row(ident="LF1.1", outcome="SO1", name="Good level of development at age 5", unit="%", polarity="Higher",
           baseline=65.2, baseline_period="2022/23", target=68, source="DfE EYFSP", owner="KCC", status="Agreed"):
    return [ident, outcome, name, unit, polarity, baseline, baseline_period, target, source, owner, status]


def lf_rows() -> list[list]:
    return [
        lf_row(),
        lf_row("LF2.1", "SO2", "Households in temporary accommodation", "rate per 1,000", "Lower", 4.1, "2022/23",
               3.5, "DLUHC H-CLIC", "KCC", "Agreed"),
    ]


def logframe(rows: list[list] | None = None, header: list | None = None) -> bytes:
    return xlsx_bytes({"Logframe": [header or LF_HEADER] + (lf_rows() if rows is None else rows)})


ACTION_FIELDS = ["Ref", "Action", "Outcome", "Lead", "Partners", "Measure", "Milestones", "Place", "Status"]


def act(ref: str, text: str, **kw) -> dict:
    """One actions-table row; every field has a correct default."""
    row = {"Ref": ref, "Action": text, "Outcome": "SO1.1", "Lead": "KCC", "Partners": "KMEP", "Measure": "LF1.1",
           "Milestones": "Pilot launched – March 2025", "Place": "East Kent", "Status": "On track"}
    row.update({k.replace("_", " "): v for k, v in kw.items()})
    return row


def actions_table(rows: list[dict], columns: list[str] | None = None) -> str:
    columns = columns or ACTION_FIELDS
    extra = [k for r in rows for k in r if k not in columns]
    columns = columns + [k for i, k in enumerate(extra) if k not in extra[:i]]
    return tbl([columns] + [[r.get(c, "") for c in columns] for r in rows], header_rows=1)


def meta(partner: str = "Kent County Council") -> str:
    return tbl([["Organisation", partner], ["Contact", "Jo Bloggs"]])


SO1_HEADING = "SO1 Give children and young people the best start in life"
SO2_HEADING = "SO2 Tackle the wider determinants to prevent ill health"


def kcc_rows() -> tuple[list[dict], list[dict]]:
    so1 = [
        act("KCC-01", "Expand family hubs across East Kent", Outcome="SO1.1"),
        act("KCC-02", "Offer school readiness sessions in every Canterbury primary school", Outcome="SO1.2",
            Place="Canterbury", Milestones="Sessions running – September 2025"),
    ]
    so2 = [
        act("KCC-03", "Retrofit council homes with insulation to cut fuel poverty", Outcome="SO2.1", Measure="LF2.1",
            Milestones="500 homes retrofitted – December 2025"),
    ]
    return so1, so2


def contribution(so1: list[dict] | None = None, so2: list[dict] | None = None, *, partner: str | None = "Kent County Council",
                 before: str = "", after: str = "", core=None) -> bytes:
    """A Word contribution: metadata table, then one actions table under each outcome heading."""
    d1, d2 = kcc_rows()
    so1 = d1 if so1 is None else so1
    so2 = d2 if so2 is None else so2
    body = (meta(partner) if partner else "") + before
    if so1:
        body += heading(SO1_HEADING) + actions_table(so1)
    if so2:
        body += heading(SO2_HEADING) + actions_table(so2)
    body += after
    return docx_bytes(body, core=core)


def write_inputs(tmp_path: Path, files: dict[str, bytes], name: str = "inputs") -> Path:
    inputs = tmp_path / name
    inputs.mkdir()
    for fname, data in files.items():
        (inputs / fname).write_bytes(data)
    return inputs


def clean_files() -> dict[str, bytes]:
    return {"logframe.xlsx": logframe(), "kcc.docx": contribution()}


# ---------------------------------------------------------------------------
# running the compiler
# ---------------------------------------------------------------------------

@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    diagnostics: list[dict] = field(default_factory=list)

    def of(self, code: str) -> list[dict]:
        return [d for d in self.diagnostics if d["code"] == code]

    def codes(self) -> list[str]:
        return sorted({d["code"] for d in self.diagnostics})

    def listing(self) -> str:
        return "\n".join(f"  {d['code']} {d['severity']} {d['subject']} "
                         f"[{(d['location'] or {}).get('path')}: {(d['location'] or {}).get('text')}] {d['message']}"
                         for d in self.diagnostics) or "  (none)"


def sdp(*args: str) -> subprocess.CompletedProcess:
    return run_sdp(*args)


def run(tmp_path: Path, files: dict[str, bytes] | None = None, *, rules: Path | None = None,
        as_of: str | None = AS_OF, args: tuple[str, ...] = ()) -> Result:
    """`sdp check INPUTS --rules RULES --format json --as-of AS_OF` on `files` (default: the clean fixture).

    `check` runs the same read, resolve and check stages as `compile` and prints every diagnostic
    (all severities) as JSON, without writing artefacts."""
    n = 1
    while (tmp_path / f"case{n}").exists():
        n += 1
    case = tmp_path / f"case{n}"
    case.mkdir()
    inputs = write_inputs(case, clean_files() if files is None else files)
    rules = rules or make_rules(case)
    cmd = ["check", str(inputs), "--rules", str(rules), "--format", "json", *args]
    if as_of:
        cmd += ["--as-of", as_of]
    proc = sdp(*cmd)
    detail = f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stdout + proc.stderr, "a traceback reached the user\n" + detail
    assert proc.returncode in (0, 1), "check did not run\n" + detail
    diagnostics = json.loads(proc.stdout)
    return Result(proc.returncode, proc.stdout, proc.stderr, diagnostics)


def one(res: Result, code: str, **where) -> dict:
    """The single diagnostic `code` (optionally with a given subject), with the catalogue's default severity."""
    found = res.of(code)
    if "subject" in where:
        found = [d for d in found if d["subject"] == where["subject"]]
    assert len(found) == 1, f"expected one {code} {where}, got:\n{res.listing()}"
    return found[0]


def none_of(res: Result, code: str, subject: str | None = None) -> None:
    found = [d for d in res.of(code) if subject is None or d["subject"] == subject]
    assert not found, f"{code} must not be reported here, got:\n{res.listing()}"


def at(d: dict, path: str, **fields) -> None:
    loc = d["location"]
    assert loc is not None, f"{d['code']} has no location: {d}"
    assert loc["path"] == path, d
    for k, v in fields.items():
        assert loc[k] == v, f"{d['code']} location {k}: expected {v!r}, got {loc[k]!r} in {loc}"


# ---------------------------------------------------------------------------
# the clean fixture
# ---------------------------------------------------------------------------

def test_clean_fixture_raises_nothing(tmp_path):
    res = run(tmp_path)
    assert res.diagnostics == [], "the clean fixture must be clean:\n" + res.listing()
    assert res.code == 0


def lf_with(**changes) -> dict[str, bytes]:
    """The clean fixture with LF1.1 changed."""
    rows = lf_rows()
    rows[0] = lf_row(**changes)
    return {"logframe.xlsx": logframe(rows), "kcc.docx": contribution()}


def kcc_with(first: dict | None = None, so1: list[dict] | None = None, so2: list[dict] | None = None,
             **doc_kw) -> dict[str, bytes]:
    """The clean fixture with KCC-01's fields changed by `first` (or whole sections replaced)."""
    d1, d2 = kcc_rows()
    if first is not None:
        d1[0] = {**d1[0], **first}
    return {"logframe.xlsx": logframe(), "kcc.docx": contribution(d1 if so1 is None else so1,
                                                                 d2 if so2 is None else so2, **doc_kw)}


def sev(d: dict, expected: str) -> None:
    assert d["severity"] == expected, f"{d['code']}: default severity is {expected}, got {d['severity']}"


def action_at(d: dict, table: int = 2, row: int = 2, column: str | None = None, path: str = "kcc.docx") -> None:
    """Located on an action's row of a Word actions table (row 1 is the header row)."""
    at(d, path, table=table, row=row)
    if column is not None:
        assert d["location"]["column"] == column, f"{d['code']}: expected column {column!r}, got {d['location']}"


def indicator_at(d: dict, row: int = 2, path: str = "logframe.xlsx") -> None:
    at(d, path, sheet="Logframe", row=row)


# ===========================================================================
# I — reading inputs
# ===========================================================================

def _ole_bytes() -> bytes:
    """The start of a legacy (OLE2 compound) Word/Excel file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2040


@pytest.mark.parametrize("kind", ["truncated", "legacy-renamed", "not-a-zip"])
def test_i001_unopenable_file(tmp_path, kind):
    good = contribution()
    data = {"truncated": good[: len(good) // 2], "legacy-renamed": _ole_bytes(),
            "not-a-zip": b"This is not a Word document, it is plain text.\n" * 20}[kind]
    res = run(tmp_path, {**clean_files(), "broken.docx": data})
    d = one(res, "I001")
    sev(d, "error")
    assert d["subject"] == "submission:broken.docx"
    assert d["location"] and d["location"]["path"] == "broken.docx"
    assert len(d["message"]) > len("cannot be read: ") + 5, "the cause is named in plain words"
    if kind == "legacy-renamed":
        assert any(w in d["message"].lower() for w in ("legacy", ".doc", "older", "97", "old word", "ole")), d["message"]
    # the other submissions still compile
    none_of(res, "C001")


def test_i001_near_miss_intact_file(tmp_path):
    res = run(tmp_path, {**clean_files(), "broken.docx": contribution(partner="Kent County Council")})
    none_of(res, "I001")


@pytest.mark.parametrize("name, data", [
    ("minutes.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"),
    ("old-return.doc", _ole_bytes()),
    ("~$kcc.docx", b"\x0bJo Bloggs" + b"\x00" * 150),
    ("indicators.csv", b"Indicator ID,Value\nLF1.1,65.2\n"),
], ids=["pdf", "doc", "lock-file", "csv"])
def test_i002_file_not_read(tmp_path, name, data):
    res = run(tmp_path, {**clean_files(), name: data})
    d = one(res, "I002")
    sev(d, "info")
    assert d["subject"] == f"submission:{name}"
    assert d["location"]["path"] == name
    none_of(res, "I001")


def test_i002_near_miss_docx_is_read(tmp_path):
    res = run(tmp_path)  # kcc.docx and logframe.xlsx: both kinds the compiler reads
    none_of(res, "I002")


def test_i003_partner_cannot_be_told(tmp_path):
    files = {"logframe.xlsx": logframe(), "contribution-2024.docx": contribution(partner=None)}
    res = run(tmp_path, files)
    d = one(res, "I003")
    sev(d, "warning")
    assert d["subject"] == "submission:contribution-2024.docx"
    assert d["location"]["path"] == "contribution-2024.docx"


@pytest.mark.parametrize("how", ["file-name", "core-title", "key-value-line"])
def test_i003_near_miss_partner_told_another_way(tmp_path, how):
    if how == "file-name":
        files = {"logframe.xlsx": logframe(), "kcc.docx": contribution(partner=None)}
    elif how == "core-title":
        files = {"logframe.xlsx": logframe(),
                 "contribution-2024.docx": contribution(partner=None, core={"title": "Kent County Council"})}
    else:
        files = {"logframe.xlsx": logframe(),
                 "contribution-2024.docx": contribution(partner=None, before=p("Organisation: Kent County Council"))}
    res = run(tmp_path, files)
    none_of(res, "I003")


NOTHING_USABLE = (p("Thank you for the opportunity to contribute to the plan.")
                  + p("Our work this year has focused on supporting families and local communities.")
                  + p("We look forward to working with partners over the coming months."))


def test_i004_nothing_usable(tmp_path):
    files = {"logframe.xlsx": logframe(), "kcc.docx": contribution(),
             "letter.docx": docx_bytes(meta("Kent and Medway Economic Partnership") + NOTHING_USABLE)}
    res = run(tmp_path, files)
    d = one(res, "I004")
    sev(d, "warning")
    assert d["subject"] == "submission:letter.docx"
    assert d["location"]["path"] == "letter.docx"


def test_i004_near_miss_outcome_section(tmp_path):
    files = {"logframe.xlsx": logframe(), "kcc.docx": contribution(),
             "letter.docx": docx_bytes(meta("Kent and Medway Economic Partnership") + heading(SO1_HEADING)
                                       + NOTHING_USABLE)}
    res = run(tmp_path, files)
    none_of(res, "I004")


NO_ACTION_COLUMN = ["Ref", "Lead", "Partners", "Measure", "Milestones", "Place", "Status"]


def test_i005_actions_table_without_action_column(tmp_path):
    so1, so2 = kcc_rows()
    body = (meta() + heading(SO1_HEADING)
            + tbl([NO_ACTION_COLUMN] + [[r[c] for c in NO_ACTION_COLUMN] for r in so1], header_rows=1)
            + heading(SO2_HEADING) + actions_table(so2))
    res = run(tmp_path, {"logframe.xlsx": logframe(), "kcc.docx": docx_bytes(body)})
    d = one(res, "I005")
    sev(d, "warning")
    at(d, "kcc.docx", table=2)
    assert "action" in d["message"].lower(), f"says which column is missing: {d['message']}"


def test_i005_near_miss_actions_table_complete(tmp_path):
    res = run(tmp_path)
    none_of(res, "I005")


def test_i005_logframe_without_id_column(tmp_path):
    header = [h for h in LF_HEADER if h != "Indicator ID"]
    rows = [r[1:] for r in lf_rows()]
    res = run(tmp_path, {"logframe.xlsx": logframe(rows, header=header), "kcc.docx": contribution()})
    found = res.of("I005")
    assert found, "a logframe sheet without an indicator ID column is I005:\n" + res.listing()
    for d in found:
        sev(d, "warning")
        assert d["location"]["path"] == "logframe.xlsx" and d["location"]["sheet"] == "Logframe"
        assert "id" in d["message"].lower(), f"says which column is missing: {d['message']}"


def test_i006_content_ignored_with_reason(tmp_path):
    so1, so2 = kcc_rows()
    budget = tbl([["Budget line", "Amount"], ["Family hub staff", "£20,000"]], header_rows=1)
    body = (meta() + heading(SO1_HEADING) + actions_table(so1) + budget
            + heading(SO2_HEADING) + actions_table(so2))
    res = run(tmp_path, {"logframe.xlsx": logframe(), "kcc.docx": docx_bytes(body)})
    found = [d for d in res.of("I006") if d["location"] and d["location"]["path"] == "kcc.docx"]
    assert found, "the budget table is not plan content: it is ignored, with the reason\n" + res.listing()
    for d in found:
        sev(d, "info")
        assert d["subject"] == "submission:kcc.docx"
        assert len(d["message"]) > 10


def test_i006_near_miss_narrative_is_kept(tmp_path):
    so1, so2 = kcc_rows()
    narrative = p("We will put £20,000 into family hub staff this year.")
    body = (meta() + heading(SO1_HEADING) + narrative + actions_table(so1)
            + heading(SO2_HEADING) + actions_table(so2))
    res = run(tmp_path, {"logframe.xlsx": logframe(), "kcc.docx": docx_bytes(body)})
    assert not [d for d in res.of("I006") if d["location"] and d["location"]["path"] == "kcc.docx"], \
        "a paragraph inside an outcome section is the partner's narrative, kept:\n" + res.listing()


def test_i007_formula_without_cached_value(tmp_path):
    res = run(tmp_path, lf_with(baseline=F("G9*1")))
    d = one(res, "I007")
    sev(d, "warning")
    at(d, "logframe.xlsx", sheet="Logframe", cell="F2")


def test_i007_near_miss_formula_with_cached_value(tmp_path):
    res = run(tmp_path, lf_with(baseline=F("G9*1", cached=65.2)))
    none_of(res, "I007")
    none_of(res, "D001")


@pytest.mark.parametrize("written", ["Pilot launched – Spring 2025", "Pilot launched – Spring"],
                         ids=["season-and-year", "season"])
def test_i008_unparseable_milestone_date(tmp_path, written):
    # codes.py's own explanation of I008 gives "Spring" as its example of an unreadable date
    res = run(tmp_path, kcc_with({"Milestones": written}))
    found = res.of("I008")
    assert len(found) == 1, (f"milestone date {written!r} cannot be read: expected one I008 (kept as text), got:\n"
                             + res.listing())
    d = found[0]
    sev(d, "warning")
    action_at(d, column="Milestones")
    assert "Spring" in d["message"], "the text is kept and quoted"


def test_i008_unparseable_indicator_value(tmp_path):
    res = run(tmp_path, lf_with(baseline="about 60"))
    d = one(res, "I008")
    sev(d, "warning")
    at(d, "logframe.xlsx", sheet="Logframe", cell="F2")
    assert "about 60" in d["message"]


@pytest.mark.parametrize("changes", [{"Milestones": "Pilot launched – 31/03/2025"}, {"Milestones": "Q4 2024/25"}],
                         ids=["uk-date", "fy-quarter"])
def test_i008_near_miss_dates_that_parse(tmp_path, changes):
    res = run(tmp_path, kcc_with(changes))
    none_of(res, "I008")


def test_i008_near_miss_values_that_parse(tmp_path):
    res = run(tmp_path, lf_with(baseline="1,234"))
    none_of(res, "I008")


def test_i009_time_budget_exceeded(tmp_path):
    # a zero-second budget: reading any file takes longer than that
    rules = make_rules(tmp_path, edits={"limits.toml": [("max_seconds_per_file = 60", "max_seconds_per_file = 0")]})
    res = run(tmp_path, rules=rules)
    found = res.of("I009")
    assert found, "with limits.max_seconds_per_file = 0 every file exceeds its time budget (I009):\n" + res.listing()
    for d in found:
        sev(d, "warning")
        assert d["location"]["path"] in ("kcc.docx", "logframe.xlsx")


def test_i009_near_miss_within_budget(tmp_path):
    res = run(tmp_path)
    none_of(res, "I009")


# ===========================================================================
# R — resolving references
# ===========================================================================

@pytest.mark.parametrize("written", ["SO9", "SO1.7", "EN9"], ids=["outcome", "priority", "enabler"])
def test_r001_unknown_outcome_priority_or_enabler(tmp_path, written):
    res = run(tmp_path, kcc_with({"Outcome": written}))
    found = res.of("R001")
    assert len(found) == 1, (f"Outcome column {written!r} names no outcome, priority or enabler of rules/outcomes.toml: "
                             "expected one R001, got:\n" + res.listing())
    d = found[0]
    sev(d, "error")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Outcome")
    assert written in d["message"]


@pytest.mark.parametrize("written", ["SO1.2", "EN1", "Maternity"], ids=["priority", "enabler", "alias"])
def test_r001_near_miss_known(tmp_path, written):
    res = run(tmp_path, kcc_with({"Outcome": written}))
    none_of(res, "R001")


def test_r002_unknown_indicator(tmp_path):
    res = run(tmp_path, kcc_with({"Measure": "LF1.2"}))
    d = one(res, "R002")
    sev(d, "error")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Measure")
    assert "LF1.2" in d["message"]
    assert any("LF1.1" in s for s in d["suggestions"]), f"did you mean LF1.1? {d['suggestions']}"


def test_r002_near_miss_known_indicator(tmp_path):
    res = run(tmp_path, kcc_with({"Measure": "LF1.1; LF2.1"}))
    none_of(res, "R002")


STRATEGIES = tbl([["Strategy", "Lead", "Status"],
                  ["Healthy Homes Delivery Plan", "KCC", "Published"]], header_rows=1)


def test_r003_unknown_strategy(tmp_path):
    res = run(tmp_path, kcc_with({"Strategy": "Healthy Homes Delivery Plan"}))
    d = one(res, "R003")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Strategy")
    assert "Healthy Homes Delivery Plan" in d["message"]


@pytest.mark.parametrize("where", ["strategies-table", "rules"])
def test_r003_near_miss_registered_strategy(tmp_path, where):
    if where == "strategies-table":
        files = kcc_with({"Strategy": "Healthy Homes Delivery Plan"}, before=STRATEGIES)
    else:
        files = kcc_with({"Strategy": "Joint Forward Plan"})  # an alias in rules/strategies.toml
    res = run(tmp_path, files)
    none_of(res, "R003")


@pytest.mark.parametrize("column", ["Lead", "Partners"])
def test_r004_unknown_partner(tmp_path, column):
    res = run(tmp_path, kcc_with({column: "Acme Widgets Ltd", **({"Partners": "KMEP"} if column == "Lead" else {})}))
    d = one(res, "R004")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column=column)
    assert "Acme Widgets Ltd" in d["message"]


def test_r004_near_miss_known_partners(tmp_path):
    res = run(tmp_path, kcc_with({"Lead": "Kent County Council", "Partners": "KMEP; East Kent HCP"}))
    none_of(res, "R004")


def test_r005_ambiguous_reference(tmp_path):
    # "Nouth Downs Community Trust" is one letter from North Downs Community Trust and one from South Downs
    # Community Trust: two candidates above the acceptance threshold, equally close
    res = run(tmp_path, kcc_with({"Partners": "KMEP; Nouth Downs Community Trust"}))
    d = one(res, "R005")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Partners")
    assert "Nouth Downs Community Trust" in d["message"]
    text = " ".join(d["suggestions"]) + d["message"]
    assert "North Downs" in text and "South Downs" in text, "names the candidates"
    none_of(res, "R006")


def test_r005_near_miss_one_candidate(tmp_path):
    # one letter from North Downs Community Trust only: a fuzzy match (R006), not an ambiguous one
    res = run(tmp_path, kcc_with({"Partners": "KMEP; Norht Downs Community Trust"}))
    none_of(res, "R005")


def test_r006_fuzzy_match_accepted(tmp_path):
    res = run(tmp_path, kcc_with({"Lead": "Kent County Counci"}))
    d = one(res, "R006")
    sev(d, "info")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Lead")
    assert "Kent County Counci'" in d["message"] or "'Kent County Counci" in d["message"], "says what was written"
    assert "kcc" in d["message"] or "Kent County Council" in d["message"], "says what it was taken to mean"
    none_of(res, "R004")
    none_of(res, "C005")


def test_r006_near_miss_exact_name(tmp_path):
    res = run(tmp_path, kcc_with({"Lead": "Kent County Council"}))
    none_of(res, "R006")


@pytest.mark.parametrize("variant", ["different-text", "same-text-different-fields"])
def test_r007_duplicate_action_id(tmp_path, variant):
    so1, _ = kcc_rows()
    if variant == "different-text":
        so1[1] = {**so1[1], "Ref": "KCC-01"}  # same ID, a different action
    else:
        # same ID and wording, but another lead, measure and milestone: different content, not a repeat
        so1.append({**so1[0], "Lead": "EK HCP", "Measure": "LF2.1", "Milestones": "Hubs open – June 2025"})
    res = run(tmp_path, kcc_with(so1=so1))
    found = res.of("R007")
    assert len(found) == 1, ("two rows with the ID KCC-01 and different content: expected one R007, got:\n"
                             + res.listing())
    d = found[0]
    sev(d, "error")
    assert d["subject"] == "action:KCC-01"
    assert d["location"]["path"] == "kcc.docx" and d["location"]["table"] == 2
    assert d["location"]["row"] in (2, 3, 4)


def test_r007_near_miss_same_id_same_content(tmp_path):
    so1, _ = kcc_rows()
    so1.append(dict(so1[0]))  # repeated verbatim: one action, not a conflict
    res = run(tmp_path, kcc_with(so1=so1))
    none_of(res, "R007")


def test_r007_duplicate_indicator_id(tmp_path):
    rows = lf_rows() + [lf_row("LF1.1", name="Children achieving the expected level in phonics", baseline=75.0)]
    res = run(tmp_path, {"logframe.xlsx": logframe(rows), "kcc.docx": contribution()})
    d = one(res, "R007")
    sev(d, "error")
    assert d["subject"] == "indicator:LF1.1"
    assert d["location"]["path"] == "logframe.xlsx"


def test_r007_near_miss_distinct_indicator_ids(tmp_path):
    rows = lf_rows() + [lf_row("LF1.2", name="Children achieving the expected level in phonics", baseline=75.0)]
    res = run(tmp_path, {"logframe.xlsx": logframe(rows), "kcc.docx": contribution()})
    none_of(res, "R007")


def test_r008_dependency_cycle(tmp_path):
    so1, so2 = kcc_rows()
    so1[0]["Depends on"] = "KCC-02"
    so1[1]["Depends on"] = "KCC-03"
    so2[0]["Depends on"] = "KCC-01"
    res = run(tmp_path, kcc_with(so1=so1, so2=so2))
    d = one(res, "R008")
    sev(d, "error")
    assert d["subject"] and d["subject"].startswith("action:KCC-0")
    assert d["location"]["path"] == "kcc.docx"
    for ref in ("KCC-01", "KCC-02", "KCC-03"):
        assert ref in d["message"], "names every action in the loop"


def test_r008_near_miss_chain(tmp_path):
    so1, so2 = kcc_rows()
    so1[0]["Depends on"] = "KCC-02"
    so1[1]["Depends on"] = "KCC-03"
    so2[0]["Depends on"] = ""
    res = run(tmp_path, kcc_with(so1=so1, so2=so2))
    none_of(res, "R008")
    none_of(res, "R010")


def test_r009_unknown_place(tmp_path):
    res = run(tmp_path, kcc_with({"Place": "Atlantis"}))
    d = one(res, "R009")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Place")
    assert "Atlantis" in d["message"]


@pytest.mark.parametrize("place", ["Canterbury", "Kent and Medway", "East Kent HCP"])
def test_r009_near_miss_known_place(tmp_path, place):
    res = run(tmp_path, kcc_with({"Place": place}))
    none_of(res, "R009")


def test_r010_unknown_dependency(tmp_path):
    res = run(tmp_path, kcc_with({"Depends on": "KCC-99"}))
    d = one(res, "R010")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Depends on")
    assert "KCC-99" in d["message"]


def test_r010_near_miss_known_dependency(tmp_path):
    res = run(tmp_path, kcc_with({"Depends on": "KCC-03"}))
    none_of(res, "R010")


# ===========================================================================
# C — coverage gaps
# ===========================================================================

def test_c001_outcome_without_action(tmp_path):
    res = run(tmp_path, kcc_with(so2=[]))
    d = one(res, "C001")
    sev(d, "error")
    assert d["subject"] == "outcome:SO2"
    assert "SO2" in d["message"]
    assert res.code == 1, "an error-severity diagnostic: exit 1"


def test_c001_near_miss_every_outcome_has_an_action(tmp_path):
    so2 = [act("KCC-03", "Retrofit council homes with insulation to cut fuel poverty", Outcome="SO2.1",
               Measure="LF2.1")]
    res = run(tmp_path, kcc_with(so2=so2))
    none_of(res, "C001")


def test_c002_outcome_without_indicator(tmp_path):
    rows = lf_rows()[:1]
    _, so2 = kcc_rows()
    so2[0]["Measure"] = ""
    res = run(tmp_path, {"logframe.xlsx": logframe(rows), "kcc.docx": contribution(None, so2)})
    d = one(res, "C002")
    sev(d, "error")
    assert d["subject"] == "outcome:SO2"
    assert "SO2" in d["message"]


def test_c002_near_miss_indicator_in_development(tmp_path):
    # an indicator still in development measures the outcome (D006 says it is not final; no C002)
    rows = lf_rows()
    rows[1] = lf_row("LF2.1", "SO2", "Households in temporary accommodation", "rate per 1,000", "Lower", 4.1,
                     "2022/23", 3.5, "DLUHC H-CLIC", "KCC", "In development")
    res = run(tmp_path, {"logframe.xlsx": logframe(rows), "kcc.docx": contribution()})
    none_of(res, "C002")


def test_c003_priority_without_action(tmp_path):
    res = run(tmp_path, kcc_with(so1=[act("KCC-01", "Expand family hubs across East Kent", Outcome="SO1.1"),
                                      act("KCC-02", "Offer antenatal classes in every Canterbury ward",
                                          Outcome="SO1.1", Place="Canterbury")]))
    d = one(res, "C003")
    sev(d, "warning")
    assert d["subject"] == "priority:SO1.2"
    none_of(res, "C001")


def test_c003_near_miss_priority_named_by_alias(tmp_path):
    res = run(tmp_path, kcc_with(so1=[act("KCC-01", "Expand family hubs across East Kent", Outcome="SO1.1"),
                                      act("KCC-02", "Offer school readiness sessions in every Canterbury primary",
                                          Outcome="School readiness", Place="Canterbury")]))
    none_of(res, "C003")


def test_c004_action_without_indicator(tmp_path):
    res = run(tmp_path, kcc_with({"Measure": ""}))
    d = one(res, "C004")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d)


def test_c004_near_miss_measure_by_name(tmp_path):
    # an indicator named by its name rather than its ID still measures the action
    res = run(tmp_path, kcc_with({"Measure": "Good level of development at age 5"}))
    none_of(res, "C004")


def test_c004_enabler_action_without_indicator(tmp_path):
    # checks.md: C004 is "an action with no indicator (its impact cannot be measured)", with no exemption
    # for actions under an enabler (a condition for successful delivery)
    so1, so2 = kcc_rows()
    body = (meta() + heading(SO1_HEADING) + actions_table(so1) + heading(SO2_HEADING) + actions_table(so2)
            + heading("Partnership working")
            + actions_table([act("KCC-04", "Set up a joint partnership board for family services", Outcome="",
                                 Measure="", Place="Kent and Medway")]))
    res = run(tmp_path, {"logframe.xlsx": logframe(), "kcc.docx": docx_bytes(body)})
    found = [d for d in res.of("C004") if d["subject"] == "action:KCC-04"]
    assert len(found) == 1, ("KCC-04 (under enabler EN1 'Partnership working') names no measure: expected C004, got:\n"
                             + res.listing())
    sev(found[0], "warning")
    action_at(found[0], table=4)


def test_c005_action_without_lead(tmp_path):
    res = run(tmp_path, kcc_with({"Lead": ""}))
    d = one(res, "C005")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d)


def test_c005_near_miss_lead_named(tmp_path):
    # another partner named as lead (in the trigger the submitter, KCC, is not silently taken as lead)
    res = run(tmp_path, kcc_with({"Lead": "EK HCP"}))
    none_of(res, "C005")


def test_c006_action_without_milestone_or_timescale(tmp_path):
    res = run(tmp_path, kcc_with({"Milestones": ""}))
    d = one(res, "C006")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d)


def test_c006_near_miss_timescale_only(tmp_path):
    res = run(tmp_path, kcc_with({"Milestones": "", "Timescale": "2025/26"}))
    none_of(res, "C006")


def test_c007_indicator_no_action_relies_on(tmp_path):
    rows = lf_rows() + [lf_row("LF1.2", name="Children achieving the expected level in phonics", baseline=75.0,
                               target=78)]
    res = run(tmp_path, {"logframe.xlsx": logframe(rows), "kcc.docx": contribution()})
    d = one(res, "C007")
    sev(d, "info")
    assert d["subject"] == "indicator:LF1.2"
    indicator_at(d, row=4)


def test_c007_near_miss_indicator_named_by_an_action(tmp_path):
    rows = lf_rows() + [lf_row("LF1.2", name="Children achieving the expected level in phonics", baseline=75.0,
                               target=78)]
    so1, so2 = kcc_rows()
    so1[1]["Measure"] = "LF1.1, LF1.2"
    res = run(tmp_path, {"logframe.xlsx": logframe(rows), "kcc.docx": contribution(so1, so2)})
    none_of(res, "C007")


def _expected(partner_alias_line: str) -> str:
    return PARTNERS_TOML.replace(partner_alias_line, partner_alias_line + "\nexpected = true", 1)


def test_c008_expected_partner_without_submission(tmp_path):
    rules = make_rules(tmp_path, partners=_expected('aliases = ["KMEP"]'))
    res = run(tmp_path, rules=rules)
    d = one(res, "C008")
    sev(d, "warning")
    assert d["subject"] == "partner:kmep"
    assert "Kent and Medway Economic Partnership" in d["message"]


def test_c008_near_miss_expected_partner_submitted(tmp_path):
    rules = make_rules(tmp_path, partners=_expected('aliases = ["KCC"]'))
    res = run(tmp_path, rules=rules)
    none_of(res, "C008")


def test_c009_outcome_without_business_partner(tmp_path):
    res = run(tmp_path, kcc_with(so2=[act("KCC-03", "Retrofit council homes with insulation to cut fuel poverty",
                                          Outcome="SO2.1", Measure="LF2.1", Partners="East Kent HCP")]))
    d = one(res, "C009")
    sev(d, "warning")
    assert d["subject"] == "outcome:SO2"


def test_c009_near_miss_business_partner_leads(tmp_path):
    res = run(tmp_path, kcc_with(so2=[act("KCC-03", "Retrofit council homes with insulation to cut fuel poverty",
                                          Outcome="SO2.1", Measure="LF2.1", Lead="KMEP", Partners="East Kent HCP")]))
    none_of(res, "C009")


def test_c010_place_without_action_under_outcome(tmp_path):
    _, so2 = kcc_rows()
    so2[0]["Place"] = "Kent and Medway"  # system-wide only: nothing placed in East Kent under SO2
    res = run(tmp_path, kcc_with(so2=so2))
    d = one(res, "C010")
    sev(d, "info")
    assert d["subject"] in ("outcome:SO2", "place:hcp-east-kent"), d["subject"]
    assert "East Kent" in d["message"] and "SO2" in d["message"]


def test_c010_near_miss_action_in_a_district_of_the_hcp(tmp_path):
    _, so2 = kcc_rows()
    so2[0]["Place"] = "Canterbury"  # a district inside East Kent HCP
    res = run(tmp_path, kcc_with(so2=so2))
    none_of(res, "C010")


def test_c011_strategy_signposted_by_no_action(tmp_path):
    res = run(tmp_path, kcc_with(before=STRATEGIES))
    d = one(res, "C011")
    sev(d, "info")
    assert d["subject"] and d["subject"].startswith("strategy:")
    assert "Healthy Homes Delivery Plan" in d["message"]
    at(d, "kcc.docx", table=2)  # the strategies table, after the metadata table


def test_c011_near_miss_strategy_signposted(tmp_path):
    res = run(tmp_path, kcc_with({"Strategy": "Healthy Homes Delivery Plan"}, before=STRATEGIES))
    none_of(res, "C011")


# ===========================================================================
# D — data quality
# ===========================================================================

@pytest.mark.parametrize("baseline", [None, "*"], ids=["blank", "suppressed"])
def test_d001_indicator_without_baseline(tmp_path, baseline):
    res = run(tmp_path, lf_with(baseline=baseline))
    d = one(res, "D001")
    sev(d, "warning")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)


def test_d001_near_miss_baseline_zero(tmp_path):
    res = run(tmp_path, lf_with(baseline=0))
    none_of(res, "D001")


def test_d002_indicator_without_target(tmp_path):
    res = run(tmp_path, lf_with(target=None))
    d = one(res, "D002")
    sev(d, "warning")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)


def test_d002_near_miss_target_as_percent_text(tmp_path):
    res = run(tmp_path, lf_with(target="68%"))
    none_of(res, "D002")


def test_d003_indicator_without_source_or_owner(tmp_path):
    res = run(tmp_path, lf_with(source=None, owner=None))
    d = one(res, "D003")
    sev(d, "warning")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)


def test_d003_near_miss_source_and_owner(tmp_path):
    res = run(tmp_path, lf_with(source="DfE Early Years Foundation Stage Profile", owner="Kent County Council"))
    none_of(res, "D003")


@pytest.mark.parametrize("polarity, baseline, target", [("Higher", 65.2, 65.2), ("Higher", 65.2, 60),
                                                       ("Lower", 12.9, 13.5)],
                         ids=["equal", "higher-is-better-but-lower", "lower-is-better-but-higher"])
def test_d004_target_no_better_than_baseline(tmp_path, polarity, baseline, target):
    res = run(tmp_path, lf_with(polarity=polarity, baseline=baseline, target=target))
    d = one(res, "D004")
    sev(d, "warning")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)


@pytest.mark.parametrize("polarity, baseline, target", [("Higher", 65.2, 65.3), ("Lower", 12.9, 12.8)],
                         ids=["higher", "lower"])
def test_d004_near_miss_target_just_better(tmp_path, polarity, baseline, target):
    res = run(tmp_path, lf_with(polarity=polarity, baseline=baseline, target=target))
    none_of(res, "D004")


TREND_HEADER = LF_HEADER + ["2019/20", "2020/21", "2021/22", "2022/23"]


def trend_files(target) -> dict[str, bytes]:
    # rising two points a year, 60 -> 66: by 2025/26 the trend alone reaches about 72
    rows = lf_rows()
    rows[0] = lf_row(baseline=66, target=target) + [60, 62, 64, 66]
    rows[1] = rows[1] + [None, None, None, None]
    return {"logframe.xlsx": logframe(rows, header=TREND_HEADER), "kcc.docx": contribution()}


def test_d005_target_behind_trend(tmp_path):
    res = run(tmp_path, trend_files(68))
    d = one(res, "D005")
    sev(d, "warning")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)
    none_of(res, "D004")


def test_d005_near_miss_target_ahead_of_trend(tmp_path):
    res = run(tmp_path, trend_files(73))
    none_of(res, "D005")


def test_d006_indicator_awaiting_sign_off(tmp_path):
    res = run(tmp_path, lf_with(status="Awaiting sign-off by the ICB Quality Committee"))
    d = one(res, "D006")
    sev(d, "info")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)
    assert "ICB Quality Committee" in d["message"], "says by whom"


@pytest.mark.parametrize("status", ["In development", "Draft"])
def test_d006_indicator_in_development(tmp_path, status):
    res = run(tmp_path, lf_with(status=status))
    sev(one(res, "D006"), "info")


def test_d006_near_miss_signed_off(tmp_path):
    res = run(tmp_path, lf_with(status="Signed off by the ICB Quality Committee"))
    none_of(res, "D006")


def test_d007_baseline_too_old(tmp_path):
    # plan starts April 2024; threshold 4 years (rules/checks.toml): 2018/19 is too old
    res = run(tmp_path, lf_with(baseline_period="2018/19"))
    d = one(res, "D007")
    sev(d, "warning")
    assert d["subject"] == "indicator:LF1.1"
    indicator_at(d)


def test_d007_near_miss_recent_baseline(tmp_path):
    res = run(tmp_path, lf_with(baseline_period="2021/22"))
    none_of(res, "D007")


def test_d007_threshold_is_read_from_rules(tmp_path):
    # two years: 2021/22 (ended March 2022) is now too old, 2022/23 (LF2.1) is not
    rules = make_rules(tmp_path, edits={"checks.toml": [("baseline_max_age_years = 4", "baseline_max_age_years = 2")]})
    res = run(tmp_path, lf_with(baseline_period="2021/22"), rules=rules)
    sev(one(res, "D007"), "warning")
    assert one(res, "D007")["subject"] == "indicator:LF1.1"


def test_d008_milestone_outside_plan_period(tmp_path):
    res = run(tmp_path, kcc_with({"Milestones": "Service live – June 2026"}))
    d = one(res, "D008")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Milestones")


def test_d008_near_miss_last_day_of_period(tmp_path):
    res = run(tmp_path, kcc_with({"Milestones": "Service live – March 2026"}))
    none_of(res, "D008")


EK_ROWS = [
    act("EK-01", "Recruit community health visitors for new parents in Thanet", Lead="EK HCP"),
    act("EK-02", "Run school readiness play sessions in Canterbury libraries", Lead="EK HCP", Outcome="SO1.2",
        Place="Canterbury"),
]


def two_partners(ek_first_text: str, ek_partner: str = "East Kent Health and Care Partnership") -> dict[str, bytes]:
    ek = [dict(r) for r in EK_ROWS]
    ek[0]["Action"] = ek_first_text
    return {"logframe.xlsx": logframe(), "kcc.docx": contribution(),
            "east-kent.docx": contribution(ek, [], partner=ek_partner)}


def test_d009_near_duplicate_actions_from_two_partners(tmp_path):
    # KCC-01 is "Expand family hubs across East Kent"
    res = run(tmp_path, two_partners("Expand the family hubs across East Kent"))
    d = one(res, "D009")
    sev(d, "warning")
    assert d["subject"] in ("action:KCC-01", "action:EK-01")
    assert "KCC-01" in d["message"] + " ".join(d["suggestions"]) and "EK-01" in d["message"] + " ".join(d["suggestions"])
    assert d["location"]["path"] in ("kcc.docx", "east-kent.docx")


def test_d009_near_miss_different_actions(tmp_path):
    res = run(tmp_path, two_partners("Expand breastfeeding peer support across East Kent"))
    none_of(res, "D009")


def update_book(value) -> bytes:
    return xlsx_bytes({"Update": [["Indicator ID", "Period", "Value"], ["LF1.1", "2022/23", value],
                                  ["LF2.1", "2023/24", 4.0]]})


@pytest.mark.parametrize("where", ["baseline", "trend"])
def test_d010_conflicting_values(tmp_path, where):
    # the logframe gives LF1.1 a value for 2022/23: 65.2 as its baseline (baseline period 2022/23), or 66 in
    # its 2022/23 trend column; a data update says 66.8 for the same indicator, period and geography
    files = clean_files() if where == "baseline" else trend_files(73)
    res = run(tmp_path, {**files, "data-update.xlsx": update_book(66.8)})
    found = res.of("D010")
    written = "65.2 as its baseline (2022/23)" if where == "baseline" else "66 in its 2022/23 trend column"
    assert len(found) == 1, (f"the logframe gives LF1.1 {written}, the data update 66.8 for 2022/23: "
                             "expected one D010, got:\n" + res.listing())
    d = found[0]
    sev(d, "error")
    assert d["subject"] == "indicator:LF1.1"
    assert "2022/23" in d["message"]
    assert d["location"] and d["location"]["path"] in ("data-update.xlsx", "logframe.xlsx")


@pytest.mark.parametrize("value", [65.2, "65.2%"], ids=["same-number", "same-value-as-percent-text"])
def test_d010_near_miss_same_value(tmp_path, value):
    res = run(tmp_path, {**clean_files(), "data-update.xlsx": update_book(value)})
    none_of(res, "D010")


def test_d011_milestone_passed_not_complete(tmp_path):
    res = run(tmp_path, kcc_with({"Milestones": "Pilot launched – 31/03/2025", "Status": "On track"}),
              as_of="2025-06-01")
    d = one(res, "D011")
    sev(d, "warning")
    assert d["subject"] == "action:KCC-01"
    action_at(d, column="Milestones")
    assert "2025-03-31" in d["message"] or "31/03/2025" in d["message"] or "March 2025" in d["message"]


@pytest.mark.parametrize("status, as_of", [("Complete", "2025-06-01"), ("On track", "2025-03-31"),
                                             ("Blue", "2025-06-01"), ("Completed March 2025", "2025-06-01")],
                         ids=["marked-complete", "not-yet-due", "brag-blue", "complete-with-a-date"])
def test_d011_near_miss(tmp_path, status, as_of):
    res = run(tmp_path, kcc_with({"Milestones": "Pilot launched – 31/03/2025", "Status": status}), as_of=as_of)
    none_of(res, "D011")


@pytest.mark.parametrize("status, said", [
    ("Delayed – procurement extended", "the partner reports the action delayed ('Delayed – procurement extended')"),
    ("Amber", "the partner reports the action delayed ('Amber')"),
    ("Not started", "the partner reports the action not started"),
    ("Green", "the partner reports the action on track ('Green')"),
    ("Under review", "the action's status 'Under review' does not say it is complete"),
    ("", "the action is not marked complete"),
], ids=["delayed", "amber", "not-started", "green", "unknown-word", "none"])
def test_d011_says_what_status_the_partner_gave(tmp_path, status, said):
    res = run(tmp_path, kcc_with({"Milestones": "Pilot launched – 31/03/2025", "Status": status}), as_of="2025-06-01")
    assert said in one(res, "D011")["message"]

