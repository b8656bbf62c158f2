"""`sdp templates`: submission templates a partner fills in and the compiler reads back, entry for entry.

The round trips fill a generated template as a partner would (choosing from the
drop-downs, typing into the fields and table cells, as Word and Excel store
them), put it among the fictional system's inputs, compile, and find every
entry in plan.json as chosen or typed, with no I or R diagnostic about the file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from compiler.a11y import lint_docx
from compiler.cli.templates import GUIDANCE, template_files
from compiler.model import natural_key
from compiler.pipeline import compile_plan
from compiler.present.format import long_date
from compiler.present.templates import date_forms, template_content
from compiler.ruleset import RulesError, load_rules
from compiler.values import parse_due
from tests.conftest import REPO, compile_dir, run_sdp

FICTIONAL = REPO / "tests" / "fictional"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _templates(inputs: Path, rules: Path, partner: str | None = None) -> dict[str, bytes]:
    comp = compile_plan(inputs, load_rules(rules))
    return template_files(comp, template_content(comp, partner), partner)


@pytest.fixture(scope="module")
def fictional_templates() -> dict[str, bytes]:
    return _templates(FICTIONAL / "inputs", FICTIONAL / "rules")


# --------------------------------------------------------------------------- filling in a Word template


class WordForm:
    """A Word template's body with its content controls, filled in as Word stores a filled-in control:
    the placeholder flag removed, the content replaced by the text, a list's choice as its last value."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.root = etree.fromstring(self.zip.read("word/document.xml"))
        self.body = self.root.find(w("body"))

    def fields(self, scope: etree._Element) -> list[etree._Element]:
        return list(scope.iter(w("sdt")))

    @staticmethod
    def label(sdt: etree._Element) -> str:
        return sdt.find(f"{w('sdtPr')}/{w('alias')}").get(w("val"))

    @staticmethod
    def choices(sdt: etree._Element) -> list[str]:
        return [i.get(w("displayText")) for i in sdt.iter(w("listItem"))]

    @staticmethod
    def kind(sdt: etree._Element) -> str:
        pr = sdt.find(w("sdtPr"))
        for tag, kind in (("dropDownList", "list"), ("comboBox", "combo"), ("date", "date")):
            if pr.find(w(tag)) is not None:
                return kind
        return "text"

    def fill(self, sdt: etree._Element, text: str, *, choose: bool = False) -> None:
        if choose:
            assert text in self.choices(sdt), f"{text!r} is not a choice of {self.label(sdt)}"
        else:
            assert self.kind(sdt) != "list", f"{self.label(sdt)} is a strict list: nothing can be typed"
        pr = sdt.find(w("sdtPr"))
        flag = pr.find(w("showingPlcHdr"))
        if flag is not None:
            pr.remove(flag)
        for tag in ("dropDownList", "comboBox"):
            control = pr.find(w(tag))
            if control is not None:
                control.set(w("lastValue"), text)
        content = sdt.find(w("sdtContent"))
        for child in list(content):
            content.remove(child)
        run = etree.SubElement(content, w("r"))
        etree.SubElement(run, w("t")).text = text

    def metadata(self, key: str) -> etree._Element:
        for p in self.body.iter(w("p")):
            texts = "".join(t.text or "" for t in p.iter(w("t")) if t.getparent().getparent().tag != w("sdtContent"))
            if texts.startswith(f"{key}: "):
                return self.fields(p)[0]
        raise AssertionError(f"no '{key}:' line")

    def section(self, heading_starts: str) -> tuple[etree._Element, etree._Element]:
        """The prompt paragraph's field and the actions table of the section whose heading starts so."""
        children = list(self.body)
        for i, el in enumerate(children):
            if el.tag == w("p") and "".join(t.text or "" for t in el.iter(w("t"))).startswith(heading_starts):
                return self.fields(children[i + 1])[0], children[i + 2]
        raise AssertionError(f"no section '{heading_starts}'")

    def row(self, table: etree._Element, n: int) -> dict[str, etree._Element]:
        """Data row n (1 = the first below the header): column heading -> the cell's field."""
        rows = table.findall(w("tr"))
        header = ["".join(t.text or "" for t in tc.iter(w("t"))) for tc in rows[0].findall(w("tc"))]
        return {h: self.fields(tc)[0] for h, tc in zip(header, rows[n].findall(w("tc")))}

    def save(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.zip.namelist():
                data = self.zip.read(name)
                if name == "word/document.xml":
                    data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
                z.writestr(name, data)
        return out.getvalue()


def _diagnostics_about(plan: dict, path: str) -> list[dict]:
    return [d for d in plan["diagnostics"] if (d.get("location") or {}).get("path") == path]


# What a template holds that is not plan content, and is accounted for as ignored (I006, info): the Word
# template's title and guidance (its front matter), the Excel template's Guidance and Lists sheets, and
# the rows of a partner's Word template left unused (their lead is pre-filled, they have no action).
GUIDANCE_IGNORED = ("ignored: front matter (before the first outcome section)",
                    "ignored: sheet without a recognised header row", "ignored: row with no action text")


def _reading_problems(plan: dict, path: str) -> list[dict]:
    """Every I or R diagnostic about the file but the note that the template's own guidance was not read."""
    problems = [d for d in _diagnostics_about(plan, path)
                if d["code"][0] == "R" or (d["code"][0] == "I" and not (
                    d["code"] == "I006" and d["message"].endswith(GUIDANCE_IGNORED)))]
    ignored = next(a for a in plan["accounting"] if a["path"] == path)["ignored"]
    outside = [i for i in ignored if i["location"]["sheet"] not in (None, "Guidance", "Lists")]
    return problems + outside


def _actions_of(plan: dict, path: str) -> list[dict]:
    return [a for a in plan["actions"] if a["source"]["path"] == path]


def test_a_filled_in_word_template_compiles_with_every_entry_read(fictional_templates, tmp_path):
    form = WordForm(fictional_templates["submission-template.docx"])
    form.fill(form.metadata("Organisation"), "Vale Homes Association", choose=True)
    form.fill(form.metadata("Contact"), "Sam Ortiz, sam.ortiz@vale-homes.example")
    form.fill(form.metadata("Date"), "14/06/2025")

    about, table = form.section("O2 ")
    form.fill(about, "We will make homes in the Vale warmer and cheaper to heat.")
    row = form.row(table, 1)
    assert {h: form.kind(f) for h, f in row.items()} == {
        "Action": "text", "Outcome": "list", "Lead": "list", "Partners": "combo", "Strategy": "combo",
        "Measure": "combo", "Milestones": "text"}
    form.fill(row["Action"], "Insulate 400 homes in fuel poverty")
    form.fill(row["Outcome"], "O2.1 \u2013 " + load_rules(FICTIONAL / "rules").outcome("O2").priorities[0].title,
              choose=True)
    form.fill(row["Lead"], "Vale Homes Association", choose=True)
    form.fill(row["Partners"], "Wessex Vale Council; Vale Voices VCSE Network")  # typed into the combo box
    form.fill(row["Strategy"], "Warm Homes for the Vale Plan", choose=True)
    form.fill(row["Measure"], "WV03", choose=True)
    form.fill(row["Milestones"], "Survey complete by 30/09/2025; 400 homes insulated by Q4 2026/27")
    row = form.row(table, 2)
    form.fill(row["Action"], "Run a winter warmth advice line")
    form.fill(row["Outcome"], "O2 \u2013 Build warm homes and good jobs", choose=True)
    form.fill(row["Lead"], "Vale Homes Association", choose=True)
    form.fill(row["Partners"], "Wessex Vale Council", choose=True)
    form.fill(row["Measure"], "WV03; WV04")
    form.fill(row["Milestones"], "Advice line open by November 2025")

    _, table = form.section("E1 ")
    row = form.row(table, 1)
    form.fill(row["Action"], "Share housing repair data with the shared care record")
    form.fill(row["Lead"], "Vale Homes Association", choose=True)
    form.fill(row["Milestones"], "Data sharing agreement signed by March 2026")

    inputs = tmp_path / "inputs"
    shutil.copytree(FICTIONAL / "inputs", inputs)
    (inputs / "vale-homes-return.docx").write_bytes(form.save())
    _, plan = compile_dir(inputs, tmp_path, FICTIONAL / "rules")

    path = "vale-homes-return.docx"
    assert _reading_problems(plan, path) == []
    submission = next(s for s in plan["submissions"] if s["path"] == path)
    assert submission["partner_id"] == "vale-homes"
    assert submission["metadata"] == {"partner": "Vale Homes Association",
                                      "contact": "Sam Ortiz, sam.ortiz@vale-homes.example", "date": "14/06/2025"}
    got = [{k: a[k] for k in ("text", "outcome_ids", "priority_ids", "enabler_ids", "lead_id", "partner_ids",
                              "strategy_ids", "indicator_ids")}
           | {"milestones": [(m["text"], m["due"]) for m in a["milestones"]]}
           for a in _actions_of(plan, path)]
    assert got == [
        {"text": "Insulate 400 homes in fuel poverty", "outcome_ids": ["O2"], "priority_ids": ["O2.1"],
         "enabler_ids": [], "lead_id": "vale-homes", "partner_ids": ["wvc", "vale-voices"],
         "strategy_ids": ["warm-homes-for-the-vale-plan"], "indicator_ids": ["WV03"],
         "milestones": [("Survey complete by 30/09/2025", "2025-09-30"),
                        ("400 homes insulated by Q4 2026/27", "2027-03-31")]},
        {"text": "Run a winter warmth advice line", "outcome_ids": ["O2"], "priority_ids": [], "enabler_ids": [],
         "lead_id": "vale-homes", "partner_ids": ["wvc"], "strategy_ids": [], "indicator_ids": ["WV03", "WV04"],
         "milestones": [("Advice line open by November 2025", "2025-11-30")]},
        {"text": "Share housing repair data with the shared care record", "outcome_ids": [], "priority_ids": [],
         "enabler_ids": ["E1"], "lead_id": "vale-homes", "partner_ids": [], "strategy_ids": [], "indicator_ids": [],
         "milestones": [("Data sharing agreement signed by March 2026", "2026-03-31")]},
    ]
    narrative = [n for n in plan["narrative"] if n["source"]["path"] == path]
    assert [(n["section"], n["text"]) for n in narrative] == [
        ("O2", "We will make homes in the Vale warmer and cheaper to heat.")]
    # Nothing of the template's guidance was read as content: no other narrative, action or metadata.
    assert len(_actions_of(plan, path)) == 3


def test_an_untouched_template_adds_nothing_to_the_plan(fictional_templates, tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(FICTIONAL / "inputs", inputs)
    (inputs / "blank.docx").write_bytes(fictional_templates["submission-template.docx"])
    (inputs / "blank.xlsx").write_bytes(fictional_templates["submission-template.xlsx"])
    _, plan = compile_dir(inputs, tmp_path, FICTIONAL / "rules")
    for path in ("blank.docx", "blank.xlsx"):
        assert _actions_of(plan, path) == []
        assert [n for n in plan["narrative"] if n["source"]["path"] == path] == []
        assert [d["code"] for d in _diagnostics_about(plan, path) if d["code"][0] == "R"] == []
    assert next(s for s in plan["submissions"] if s["path"] == "blank.docx")["metadata"] == {}


def test_a_template_for_one_partner_is_filled_in_for_it(tmp_path):
    files = _templates(FICTIONAL / "inputs", FICTIONAL / "rules", "vale-homes")
    assert set(files) == {"vale-homes-association-submission.docx", "vale-homes-association-submission.xlsx",
                          GUIDANCE}
    form = WordForm(files["vale-homes-association-submission.docx"])
    organisation = form.metadata("Organisation")
    assert organisation.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is None
    assert "".join(t.text for t in organisation.iter(w("t"))) == "Vale Homes Association"
    _, table = form.section("O3 ")
    lead = form.row(table, 2)["Lead"]
    assert "".join(t.text for t in lead.iter(w("t"))) == "Vale Homes Association"
    # Filled in with the action only, the row is read with the partner as its lead.
    row = form.row(table, 1)
    form.fill(row["Action"], "Adapt 50 homes for people at risk of falls")
    inputs = tmp_path / "inputs"
    shutil.copytree(FICTIONAL / "inputs", inputs)
    (inputs / "vale-homes-association-submission.docx").write_bytes(form.save())
    _, plan = compile_dir(inputs, tmp_path, FICTIONAL / "rules")
    actions = _actions_of(plan, "vale-homes-association-submission.docx")
    assert [(a["text"], a["lead_id"], a["outcome_ids"]) for a in actions] == [
        ("Adapt 50 homes for people at risk of falls", "vale-homes", ["O3"])]
    sub = next(s for s in plan["submissions"] if s["path"] == "vale-homes-association-submission.docx")
    assert sub["partner_id"] == "vale-homes"


# --------------------------------------------------------------------------- filling in the Excel template


def _list_values(wb, ws, coordinate: str) -> list[str] | None:
    """The drop-down list a cell offers: its data validation's range on the Lists sheet, read."""
    for dv in ws.data_validations.dataValidation:
        if coordinate in dv.sqref and dv.type == "list":
            sheet, ref = dv.formula1.lstrip("=").split("!")
            return [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]
    return None


def _validation(ws, coordinate: str):
    return next(dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref)


def test_a_filled_in_excel_template_compiles_with_every_entry_read(tmp_path):
    files = _templates(FICTIONAL / "inputs", FICTIONAL / "rules", "vale-homes")
    wb = load_workbook(io.BytesIO(files["vale-homes-association-submission.xlsx"]))
    assert wb.sheetnames == ["Guidance", "Actions", "Indicator updates", "Strategies", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    actions = wb["Actions"]
    header = [c.value for c in actions[1]]
    assert header == ["Action", "Outcome", "Lead", "Partners", "Strategy", "Measure", "Milestones"]
    col = {h: chr(ord("A") + i) for i, h in enumerate(header)}

    def choose(ws, coordinate: str, value: str) -> None:
        assert value in (_list_values(wb, ws, coordinate) or []), f"{value!r} is not offered in {coordinate}"
        ws[coordinate] = value

    assert _validation(actions, "B2").errorStyle == "stop" and _validation(actions, "B2").showErrorMessage
    assert _validation(actions, "C2").errorStyle == "warning"
    assert not _validation(actions, "D2").showErrorMessage  # several partners may be typed

    rules = load_rules(FICTIONAL / "rules")
    actions[f"{col['Action']}2"] = "Fit smart thermostats in 200 older people's homes"
    choose(actions, f"{col['Outcome']}2", "O2.1 \u2013 " + rules.outcome("O2").priorities[0].title)
    choose(actions, f"{col['Lead']}2", "Vale Homes Association")
    actions[f"{col['Partners']}2"] = "Wessex Vale Council; Vale Community Health CIC"
    actions[f"{col['Strategy']}2"] = "Vale Homes Retrofit Programme"  # registered on the Strategies sheet
    choose(actions, f"{col['Measure']}2", "WV03")
    actions[f"{col['Milestones']}2"] = "Pilot in 20 homes by 31/12/2025\nAll 200 homes by Q4 2026/27"
    actions[f"{col['Action']}3"] = "Train housing officers to spot frailty"
    choose(actions, f"{col['Outcome']}3", "O3 \u2013 " + rules.outcome("O3").title)
    choose(actions, f"{col['Lead']}3", "Vale Homes Association")
    choose(actions, f"{col['Partners']}3", "Vale Community Health CIC")
    choose(actions, f"{col['Measure']}3", "WV06")
    actions[f"{col['Milestones']}3"] = "Training complete by Mar-26"

    updates = wb["Indicator updates"]
    assert [c.value for c in updates[1]] == ["Indicator ID", "Period", "Value", "Geography"]
    choose(updates, "A2", "WV03")
    updates["B2"] = "2025/26"
    updates["C2"] = 11.2
    strategies = wb["Strategies"]
    assert [c.value for c in strategies[1]] == ["Strategy", "Lead", "Status", "Period", "Link", "Outcomes"]
    strategies["A2"] = "Vale Homes Retrofit Programme"
    choose(strategies, "B2", "Vale Homes Association")
    choose(strategies, "C2", "published")
    strategies["D2"] = "2025–2028"
    choose(strategies, "F2", "O2 \u2013 " + rules.outcome("O2").title)

    inputs = tmp_path / "inputs"
    shutil.copytree(FICTIONAL / "inputs", inputs)
    path = "vale-homes-association-submission.xlsx"
    wb.save(inputs / path)
    _, plan = compile_dir(inputs, tmp_path, FICTIONAL / "rules")

    assert _reading_problems(plan, path) == []
    assert next(s for s in plan["submissions"] if s["path"] == path)["partner_id"] == "vale-homes"
    strategy = next(s for s in plan["strategies"] if s["name"] == "Vale Homes Retrofit Programme")
    assert (strategy["owner_id"], strategy["status"], strategy["period"], strategy["outcome_ids"]) == (
        "vale-homes", "published", "2025–2028", ["O2"])
    got = [(a["text"], a["outcome_ids"], a["priority_ids"], a["lead_id"], a["partner_ids"], a["strategy_ids"],
            a["indicator_ids"], [(m["text"], m["due"]) for m in a["milestones"]]) for a in _actions_of(plan, path)]
    assert got == [
        ("Fit smart thermostats in 200 older people's homes", ["O2"], ["O2.1"], "vale-homes", ["wvc", "vch"],
         [strategy["id"]], ["WV03"],
         [("Pilot in 20 homes by 31/12/2025", "2025-12-31"), ("All 200 homes by Q4 2026/27", "2027-03-31")]),
        ("Train housing officers to spot frailty", ["O3"], [], "vale-homes", ["vch"], [], ["WV06"],
         [("Training complete by Mar-26", "2026-03-31")]),
    ]
    wv03 = next(i for i in plan["indicators"] if i["id"] == "WV03")
    assert [v["value"] for v in wv03["values"] if v["period"] == "2025/26"] == [11.2]


# --------------------------------------------------------------------------- reproducible, accessible


def test_templates_are_byte_reproducible():
    first = _templates(FICTIONAL / "inputs", FICTIONAL / "rules", "wvc")
    second = _templates(FICTIONAL / "inputs", FICTIONAL / "rules", "wvc")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs"


def test_the_command_writes_the_same_bytes_twice(tmp_path):
    outs = []
    for n in (1, 2):
        out = tmp_path / f"t{n}"
        proc = run_sdp("templates", str(FICTIONAL / "inputs"), "--rules", str(FICTIONAL / "rules"), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert set(outs[0]) == {"submission-template.docx", "submission-template.xlsx", GUIDANCE}
    assert outs[0] == outs[1]


def test_an_unknown_partner_is_refused_with_a_suggestion(tmp_path):
    proc = run_sdp("templates", str(FICTIONAL / "inputs"), "--rules", str(FICTIONAL / "rules"),
                   "-o", str(tmp_path / "t"), "--partner", "vale-home")
    assert proc.returncode == 2
    assert "no partner has the ID 'vale-home'" in proc.stderr and "'vale-homes'" in proc.stderr
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("system", ["sample", "fictional"])
def test_word_documents_pass_the_accessibility_check(system):
    inputs, rules = (REPO / "inputs", REPO / "rules") if system == "sample" else (FICTIONAL / "inputs", FICTIONAL / "rules")
    files = _templates(inputs, rules, "wvc" if system == "fictional" else "kcc")
    docs = [name for name in files if name.endswith(".docx")]
    assert len(docs) == 2
    for name in docs:
        assert lint_docx(files[name], name) == [], name


# --------------------------------------------------------------------------- the partner guidance


def _guidance_tables(data: bytes) -> tuple[str, dict[str, list[list[list[str]]]]]:
    """The guidance's text, and its tables under each heading (by the heading's text): rows of cells."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = docx.Document(io.BytesIO(data))
    tables: dict[str, list[list[list[str]]]] = {}
    heading, text = "", []
    for child in document.element.body.iterchildren():
        if child.tag == w("p"):
            para = DocxParagraph(child, document)
            text.append(para.text)
            if para.style.name.startswith("Heading"):
                heading = para.text
        elif child.tag == w("tbl"):
            rows = [[c.text for c in row.cells] for row in DocxTable(child, document).rows]
            tables.setdefault(heading, []).append(rows)
    return "\n".join(text), tables


@pytest.mark.parametrize("system", ["sample", "fictional"])
def test_the_guidance_lists_exactly_what_the_rules_and_inputs_accept(system):
    inputs, rules_dir = (REPO / "inputs", REPO / "rules") if system == "sample" else (FICTIONAL / "inputs", FICTIONAL / "rules")
    rules = load_rules(rules_dir)
    comp = compile_plan(inputs, rules)
    files = template_files(comp, template_content(comp), None)
    text, tables = _guidance_tables(files[GUIDANCE])

    [outcomes] = tables["Outcomes and priorities"]
    assert outcomes[0] == ["ID", "Outcome or priority", "Also accepted"]
    assert [(r[0], r[1]) for r in outcomes[1:]] == [
        pair for o in rules.outcomes for pair in [(o.id, o.title)] + [(p.id, p.title) for p in o.priorities]]
    [enablers] = tables["Conditions for successful delivery"]
    assert [(r[0], r[1]) for r in enablers[1:]] == [(e.id, e.title) for e in rules.enablers]

    headings = {"metadata": "Who you are", "action": "Actions table", "inline": "Fields written after a bulleted action",
                "strategy": "Strategies and plans table", "data_update": "Indicator updates"}
    for kind, heading in headings.items():
        [columns] = tables[heading]
        listed = [(r[1], [] if r[2] == "–" else r[2].split("; ")) for r in columns[1:]]
        assert listed == [(words[0], words[1:]) for words in rules.headers[kind].values()], kind

    [measures] = tables["Measures you may cite"]
    assert [r[0] for r in measures[1:]] == [i.id for i in sorted(comp.plan.indicators, key=lambda i: natural_key(i.id))]
    assert {r[0] for r in measures[1:]} == {i.id for i in comp.plan.indicators} and len(measures) > 2
    [strategies] = tables["Strategies and plans you may cite"]
    assert sorted(r[0] for r in strategies[1:]) == sorted(s.name for s in comp.plan.strategies)

    [dates] = tables["Dates"]
    for form, example, read_as in dates[1:]:
        due = parse_due(example)
        # dates in tables are kept whole with no-break spaces (writers/wrapping.py)
        assert due is not None and long_date(due) == read_as.replace("\xa0", " "), (form, example)
    assert rules.system.contact and rules.system.contact in text
    assert long_date(rules.system.submission_deadline) in text
    assert lint_docx(files[GUIDANCE], GUIDANCE) == []


def test_the_date_forms_are_read_as_the_guidance_says():
    """The fictional plan starts in April 2025: its examples are about 30 September 2025."""
    forms = {f.example: f.read_as for f in date_forms(date(2025, 9, 30))}
    assert forms == {"30/09/2025": date(2025, 9, 30), "01/10/2025": date(2025, 10, 1),
                     "30 September 2025": date(2025, 9, 30), "2025-09-30": date(2025, 9, 30),
                     "September 2025": date(2025, 9, 30), "Sep-25": date(2025, 9, 30),
                     "Q2 2025/26": date(2025, 9, 30), "2025/26": date(2026, 3, 31)}


# --------------------------------------------------------------------------- the rules' system keys


@pytest.fixture
def fictional_rules(tmp_path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(FICTIONAL / "rules", target)
    return target


def _edit_system(folder: Path, old: str, new: str) -> None:
    path = folder / "system.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_deadline_and_contact_are_loaded_from_the_rules():
    system = load_rules(FICTIONAL / "rules").system
    assert system.submission_deadline == date(2025, 6, 30)
    assert system.contact == "Vale Partnership Office, plan-returns@wessex-vale.example"
    assert load_rules(REPO / "rules").system.submission_deadline is not None


@pytest.mark.parametrize("old, new, message", [
    ("submission_deadline = 2025-06-30", 'submission_deadline = "end of June"', "system.submission_deadline: should be a date"),
    ("submission_deadline = 2025-06-30", "submission_deadline = 2027-06-30", "not before the plan period ends"),
    ('contact = "Vale', 'contact = " Vale', "system.contact: has spaces"),
    ("contact = ", "contcat = ", "did you mean 'contact'"),
])
def test_a_wrong_deadline_or_contact_is_reported(fictional_rules, old, new, message):
    _edit_system(fictional_rules, old, new)
    with pytest.raises(RulesError) as info:
        load_rules(fictional_rules)
    assert any(message in p and p.startswith("system.toml") for p in info.value.problems), info.value.problems


def test_the_deadline_and_contact_are_optional(fictional_rules):
    _edit_system(fictional_rules, "submission_deadline = 2025-06-30\n", "")
    _edit_system(fictional_rules, 'contact = "Vale Partnership Office, plan-returns@wessex-vale.example"\n', "")
    rules = load_rules(fictional_rules)
    assert rules.system.submission_deadline is None and rules.system.contact == ""
    comp = compile_plan(FICTIONAL / "inputs", rules)
    text, _ = _guidance_tables(template_files(comp, template_content(comp), None)[GUIDANCE])
    assert "Send it" not in text


# --------------------------------------------------------------------------- LibreOffice shows the drop-downs


def _soffice(*components: str) -> str:
    from tests.tools import soffice

    return soffice(*components)


def _convert(soffice: str, source: Path, target: str, out: Path, profile: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", target, "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=300)
    converted = out / f"{source.stem}.{target.split(':')[0]}"
    assert proc.returncode == 0 and converted.is_file(), proc.stdout + proc.stderr
    return converted


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_word_templates_drop_downs(fictional_templates, tmp_path):
    soffice = _soffice("writer")
    source = tmp_path / "submission-template.docx"
    source.write_bytes(fictional_templates["submission-template.docx"])
    form = WordForm(source.read_bytes())
    lists = [form.choices(s) for s in form.fields(form.body) if form.kind(s) in ("list", "combo")]
    assert len(lists) > 20
    partners = tuple(p.name for p in load_rules(FICTIONAL / "rules").partners)

    odt = _convert(soffice, source, "odt", tmp_path / "odt", tmp_path / "profile")
    content = etree.fromstring(zipfile.ZipFile(odt).read("content.xml"))
    loext = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
    controls = [[i.get(f"{{{loext}}}display-text") for i in c.iter(f"{{{loext}}}list-item")]
                for c in content.iter(f"{{{loext}}}content-control")]
    assert [c for c in controls if c] == lists
    assert list(partners) in controls

    resaved = _convert(soffice, source, "docx:MS Word 2007 XML", tmp_path / "docx", tmp_path / "profile")
    body = etree.fromstring(zipfile.ZipFile(resaved).read("word/document.xml"))
    again = [[i.get(w("displayText")) for i in sdt.iter(w("listItem"))] for sdt in body.iter(w("sdt"))
             if sdt.find(f"{w('sdtPr')}/{w('dropDownList')}") is not None
             or sdt.find(f"{w('sdtPr')}/{w('comboBox')}") is not None]
    assert again == lists
    # The prompts stay prompts (placeholders), so they are still not read as content.
    prompts = [s for s in form.fields(form.body) if s.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None]
    assert sum(1 for s in body.iter(w("sdt")) if s.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None) == len(prompts)


def _offered(wb) -> dict[tuple[str, str], list[str] | None]:
    """(sheet, cells) -> the list a drop-down offers there, for every list validation of the workbook."""
    return {(ws.title, str(dv.sqref)): _list_values(wb, ws, str(dv.sqref).split(":")[0])
            for ws in wb.worksheets for dv in ws.data_validations.dataValidation if dv.type == "list"}


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_excel_templates_drop_downs(fictional_templates, tmp_path):
    soffice = _soffice("calc")
    source = tmp_path / "submission-template.xlsx"
    source.write_bytes(fictional_templates["submission-template.xlsx"])
    original = load_workbook(source)
    offered = _offered(original)
    assert len(offered) >= 10 and all(offered.values())

    ods = _convert(soffice, source, "ods", tmp_path / "ods", tmp_path / "profile")
    content = zipfile.ZipFile(ods).read("content.xml").decode()
    assert content.count("cell-content-is-in-list([$Lists.") == len(offered)

    resaved = _convert(soffice, source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx", tmp_path / "profile")
    wb = load_workbook(resaved)
    assert wb["Lists"].sheet_state == "hidden"
    assert _offered(wb) == offered


def test_the_example_rows_typed_in_as_shown_compile_cleanly_on_the_sample(tmp_path):
    """Each section's example row, typed in as its grey prompts show it, is read without an I or R
    diagnostic: the examples teach only what the compiler accepts."""
    files = _templates(REPO / "inputs", REPO / "rules", "kcc")
    form = WordForm(files["kent-county-council-submission.docx"])
    rules = load_rules(REPO / "rules")
    sections = [o.id for o in rules.outcomes] + [e.id for e in rules.enablers]
    expected = []
    for sid in sections:
        _, table = form.section(f"{sid} ")
        row = form.row(table, 1)
        shown = {}
        for heading, sdt in row.items():
            prompt = "".join(t.text or "" for t in sdt.iter(w("t")))
            if heading == "Lead":
                assert prompt == "Kent County Council"  # pre-filled, not a prompt
                continue
            assert prompt.startswith("Example: "), (sid, heading, prompt)
            shown[heading] = prompt.removeprefix("Example: ")
            form.fill(sdt, shown[heading], choose=form.kind(sdt) == "list")
        expected.append((sid, shown))
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    path = "kcc-return.docx"
    (inputs / path).write_bytes(form.save())
    _, plan = compile_dir(inputs, tmp_path)
    assert _reading_problems(plan, path) == []
    actions = _actions_of(plan, path)
    assert [a["text"] for a in actions] == [shown["Action"] for _, shown in expected]
    for action, (sid, shown) in zip(actions, expected):
        assert action["lead_id"] == "kcc"
        assert sid in action["outcome_ids"] + action["enabler_ids"]
        assert len(action["milestones"]) == 2 and all(m["due"] for m in action["milestones"])
        if "Measure" in shown and shown["Measure"] != "a measure ID":
            assert action["indicator_ids"] == [shown["Measure"]]
