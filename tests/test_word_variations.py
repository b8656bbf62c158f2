"""Word contribution reader: one test per variation of input-formats.md §1.

Each test writes a tiny inputs folder (a logframe workbook so indicator
references resolve, plus one Word contribution built from raw OOXML),
compiles it through the CLI and asserts on plan.json. `compile_dir` also
checks the accounting invariant and the JSON Schema on every plan.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import compile_dir
from tests.fixtures.ooxml import (
    Raw, bullet, docx_bytes, esc, heading, p, r, tbl, tc, textbox, tr, vml_textbox, xlsx_bytes,
)

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

LOGFRAME = xlsx_bytes({
    "Logframe": [
        ["Indicator ID", "Outcome", "Indicator", "Unit", "Baseline", "Baseline period", "Target 2025/26", "Data source"],
        ["LF1.1", "SO1", "Good level of development at age 5", "%", 65.2, "2022/23", 68, "DfE EYFSP"],
        ["LF2.1", "SO2", "Households in temporary accommodation", "rate per 1,000", 4.1, "2022/23", 3.5, "DLUHC"],
        ["LF2.2", "SO2", "Adults in employment", "%", 75.0, "2022/23", 77, "APS"],
        ["LF3.1", "SO3", "Smoking prevalence in adults", "%", 12.9, "2022/23", 11, "APS"],
        ["LF4.1", "SO4", "NHS Health Checks delivered", "count", 31000, "2022/23", 40000, "OHID"],
        ["LF5.1", "SO5", "Patients seen within 4 hours in A&E", "%", 71.0, "2022/23", 78, "NHSE"],
        ["LF6.1", "SO6", "Staff vacancy rate", "%", 9.0, "2022/23", 7, "NHS workforce"],
    ]
})

DATE = 'w:author="Editor" w:date="2024-09-01T10:00:00Z"'


def meta_table(partner: str = "Swale Borough Council") -> str:
    return tbl([["Organisation", partner], ["Contact", "Jo Bloggs"], ["Version", "2.1"]])


def write_inputs(tmp_path: Path, files: dict[str, bytes], logframe: bool = True) -> Path:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    if logframe:
        (inputs / "logframe.xlsx").write_bytes(LOGFRAME)
    for name, data in files.items():
        (inputs / name).write_bytes(data)
    return inputs


def compile_word(tmp_path: Path, body: str, name: str = "swale.docx", logframe: bool = True, **docx_kw) -> dict:
    inputs = write_inputs(tmp_path, {name: docx_bytes(body, **docx_kw)}, logframe=logframe)
    _, plan = compile_dir(inputs, tmp_path)
    return plan


def actions_of(plan: dict, path: str = "swale.docx") -> list[dict]:
    return [a for a in plan["actions"] if a["source"]["path"] == path]


def find_action(plan: dict, phrase: str) -> dict:
    found = [a for a in plan["actions"] if phrase in a["text"]]
    assert len(found) == 1, f"expected one action containing {phrase!r}, got {[a['text'] for a in plan['actions']]}"
    return found[0]


def no_action(plan: dict, phrase: str) -> None:
    assert not [a for a in plan["actions"] if phrase in a["text"]], \
        f"{phrase!r} must not be an action: {[a['text'] for a in plan['actions']]}"


def diags(plan: dict, code: str) -> list[dict]:
    return [d for d in plan["diagnostics"] if d["code"] == code]


def submission(plan: dict, path: str = "swale.docx") -> dict:
    subs = [s for s in plan["submissions"] if s["path"] == path]
    assert len(subs) == 1, [s["path"] for s in plan["submissions"]]
    return subs[0]


def units_read(plan: dict, path: str = "swale.docx") -> int:
    """Text units read from one submission: every paragraph, list item and table row with text, once."""
    [entry] = [e for e in plan["accounting"] if e["path"] == path]
    return entry["units_read"]


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def sdt(content: str, tag: str = "cc", ident: int = 1) -> str:
    return (f'<w:sdt><w:sdtPr><w:alias w:val="{tag}"/><w:tag w:val="{tag}"/><w:id w:val="{ident}"/></w:sdtPr>'
            f"<w:sdtContent>{content}</w:sdtContent></w:sdt>")


ACTIONS_HEADER = ["Ref", "Action", "Lead", "Partners", "Measure"]


# ---------------------------------------------------------------------------
# tracked changes
# ---------------------------------------------------------------------------

def test_tracked_changes_read_as_accepted(tmp_path):
    inserted_para = (
        '<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        f'<w:rPr><w:ins w:id="20" {DATE}/></w:rPr></w:pPr>'
        f'<w:ins w:id="21" {DATE}>{r("Open a community wellbeing café in Faversham (Lead: Swale BC)")}</w:ins></w:p>'
    )
    deleted_para = (
        '<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        f'<w:rPr><w:del w:id="30" {DATE}/></w:rPr></w:pPr>'
        f'<w:del w:id="31" {DATE}><w:r><w:delText>Close the Sheerness walk-in kiosk (Lead: Swale BC)</w:delText></w:r></w:del></w:p>'
    )
    changed_runs = (
        r("Run ")
        + f'<w:ins w:id="10" {DATE}>{r("weekly")}</w:ins>'
        + f'<w:del w:id="11" {DATE}><w:r><w:delText>monthly</w:delText></w:r></w:del>'
        + r(" stop smoking clinics in Sittingbourne (Lead: KCC)")
    )
    changed_lead = tc(content=(f'<w:p><w:del w:id="60" {DATE}><w:r><w:delText>Kent County Council</w:delText></w:r></w:del>'
                               f'<w:ins w:id="61" {DATE}>{r("NHS Kent and Medway")}</w:ins></w:p>'))
    deleted_row = tr(
        [tc(content=f'<w:p><w:del w:id="{40 + i}" {DATE}><w:r><w:delText>{esc(t)}</w:delText></w:r></w:del></w:p>')
         for i, t in enumerate(["SW9", "Demolish the Queenborough day centre", "Swale BC", "", "LF3.1"])],
        trpr=f'<w:del w:id="49" {DATE}/>')
    body = (
        meta_table() + heading("Outcome 3")
        + bullet(runs=changed_runs) + inserted_para + deleted_para
        + bullet("Expand the Swale health walks programme (Lead: Swale BC)")
        + tbl([ACTIONS_HEADER, ["SW1", "Targeted lung health checks", changed_lead, "KCC", "LF3.1"], deleted_row],
              header_rows=1)
    )
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "stop smoking clinics")
    assert "Run weekly stop smoking clinics in Sittingbourne" in a["text"]
    assert "monthly" not in a["text"]
    assert find_action(plan, "community wellbeing café")["outcome_ids"] == ["SO3"]
    find_action(plan, "health walks")
    lung = find_action(plan, "lung health checks")
    assert lung["lead_id"] == "icb" and lung["partner_ids"] == ["kcc"]
    text = dump(plan)
    assert "walk-in kiosk" not in text
    assert "Queenborough day centre" not in text
    assert "SW9" not in {a["id"] for a in plan["actions"]}
    # metadata 3 rows + heading + 3 bullets left after the changes + health walks + table header and 1 row
    assert units_read(plan) == 9, "deleted paragraphs and rows are not units"


def test_tracked_moves_read_once_at_destination(tmp_path):
    moved = " with the Swale Youth Forum"
    first = bullet(runs=(
        r("Co-design a young people's mental health offer (Lead: KCC)")
        + f'<w:moveFromRangeStart w:id="1" {DATE} w:name="move1"/>'
        + f'<w:moveFrom w:id="2" {DATE}>{r(moved)}</w:moveFrom>'
        + '<w:moveFromRangeEnd w:id="1"/>'))
    second = bullet(runs=(
        r("Run a peer mentoring scheme")
        + f'<w:moveToRangeStart w:id="3" {DATE} w:name="move1"/>'
        + f'<w:moveTo w:id="4" {DATE}>{r(moved)}</w:moveTo>'
        + '<w:moveToRangeEnd w:id="3"/>' + r(" (Lead: Swale BC)")))
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 1") + first + second)
    a1 = find_action(plan, "mental health offer")
    a2 = find_action(plan, "peer mentoring scheme")
    assert "Youth Forum" not in a1["text"]
    assert "Run a peer mentoring scheme with the Swale Youth Forum" in a2["text"]
    assert sum(a["text"].count("Youth Forum") for a in plan["actions"]) == 1
    assert units_read(plan) == 6


def test_formatting_changes_read_with_current_properties(tmp_path):
    def was(props: str) -> str:
        return f'<w:pPrChange w:id="71" {DATE}><w:pPr>{props}</w:pPr></w:pPrChange>'
    old_bullet = '<w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    body = (meta_table() + heading("Outcome 3")
            + p("Outcome 4", ppr=was('<w:pStyle w:val="Heading1"/>'))
            + p("Quit smoking support for routine and manual workers (Lead: KCC)", style="ListBullet", num=(1, 0),
                ppr=was(""))
            + p("Swale's smoking rate fell by two points last year.", ppr=was(old_bullet))
            + bullet(runs=r("Vape-free school gates campaign", rpr=f'<w:b/><w:rPrChange w:id="72" {DATE}><w:rPr/></w:rPrChange>')
                     + r(" (Lead: Swale BC)")))
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "Quit smoking support")["outcome_ids"] == ["SO3"], "a heading style that was removed"
    assert find_action(plan, "Vape-free school gates")["outcome_ids"] == ["SO3"]
    no_action(plan, "smoking rate fell")


def test_tracked_inserted_table_row(tmp_path):
    inserted_row = tr(
        [tc(content=f'<w:p><w:ins w:id="{80 + i}" {DATE}>{r(t)}</w:ins></w:p>')
         for i, t in enumerate(["SW70", "Alcohol identification and brief advice in A&E", "MFT", "", "LF3.1"])],
        trpr=f'<w:ins w:id="89" {DATE}/>')
    rows = [ACTIONS_HEADER, ["SW71", "Community alcohol outreach", "KCC", "", "LF3.1"], inserted_row]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 3") + tbl(rows, header_rows=1))
    a = find_action(plan, "brief advice in A&E")
    assert a["id"] == "SW70" and a["lead_id"] == "mft" and a["indicator_ids"] == ["LF3.1"]


def test_smart_tags_and_custom_xml_wrappers_keep_text(tmp_path):
    runs = (r("Expand the ")
            + '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">' + r("Sheerness")
            + "</w:smartTag>" + r(" social prescribing hub (Lead: ")
            + '<w:customXml w:uri="http://example.org/sdp" w:element="lead">' + r("Kent County Council") + "</w:customXml>"
            + r(")"))
    block = ('<w:customXml w:uri="http://example.org/sdp" w:element="action">'
             + bullet("Befriending calls for isolated older people (Lead: Swale BC)") + "</w:customXml>")
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + bullet(runs=runs) + block)
    a = find_action(plan, "social prescribing hub")
    assert "Expand the Sheerness social prescribing hub" in a["text"] and a["lead_id"] == "kcc"
    assert find_action(plan, "Befriending calls")["lead_id"] == "swale-bc"


def test_section_break_does_not_close_outcome_section(tmp_path):
    landscape = ('<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                 '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>'
                 "</w:sectPr></w:pPr></w:p>")
    rows = [ACTIONS_HEADER, ["SW72", "Virtual wards for frailty", "ICB", "KCC", "LF5.1"]]
    body = meta_table() + heading("Outcome 5") + p("Our actions are in the table below.") + landscape + tbl(rows, header_rows=1)
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "Virtual wards for frailty")["outcome_ids"] == ["SO5"]


def test_text_split_across_runs_proofing_marks_and_bookmarks(tmp_path):
    rsid = ' w:rsidR="00A1B2C3" w:rsidRPr="00D4E5F6"'
    heading_runs = ('<w:bookmarkStart w:id="0" w:name="_Toc1"/>' + r("Out") + '<w:proofErr w:type="spellStart"/>'
                    + r("come") + '<w:proofErr w:type="spellEnd"/>' + r(" ") + r("3") + '<w:bookmarkEnd w:id="0"/>')
    action_runs = (r("Smoke") + '<w:r><w:lastRenderedPageBreak/><w:t xml:space="preserve">free </w:t></w:r>'
                   + r("homes ") + r("campaign", bold=True) + r(" (Lead: ") + r("Kent ") + r("County ")
                   + '<w:proofErr w:type="gramStart"/>' + r("Council") + '<w:proofErr w:type="gramEnd"/>' + r(")"))
    body = (meta_table() + p(runs=heading_runs, style="Heading1").replace("<w:p>", f"<w:p{rsid}>", 1)
            + bullet(runs=action_runs))
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "Smokefree homes campaign")
    assert a["outcome_ids"] == ["SO3"] and a["lead_id"] == "kcc"


# ---------------------------------------------------------------------------
# content controls
# ---------------------------------------------------------------------------

def test_content_control_block_level(tmp_path):
    body = meta_table() + sdt(heading("Outcome 2"), tag="heading", ident=7) + sdt(
        bullet("Deliver a debt advice outreach service in Sheerness (Lead: Swale BC; Measure: LF2.2)"))
    body += sdt(sdt(p("Swale has the highest rate of fuel poverty in Kent."), tag="inner", ident=8), tag="outer", ident=9)
    body += sdt(tbl([ACTIONS_HEADER, ["SW4", "Warm homes grants for private renters", "Swale BC", "KCC", "LF2.1"]],
                    header_rows=1), ident=2)
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "debt advice outreach")
    assert a["outcome_ids"] == ["SO2"] and a["lead_id"] == "swale-bc" and a["indicator_ids"] == ["LF2.2"]
    b = find_action(plan, "Warm homes grants")
    assert b["id"] == "SW4" and b["partner_ids"] == ["kcc"] and b["outcome_ids"] == ["SO2"]
    assert dump(plan).count("highest rate of fuel poverty") == 1, "nested content controls: narrative kept once"
    assert units_read(plan) == 8


def test_content_control_row_level(tmp_path):
    rows = [ACTIONS_HEADER,
            Raw(sdt(tr(["SW5", "Tenancy sustainment officers in Sittingbourne", "Swale BC", "Medway Council", "LF2.1"]))),
            Raw(sdt(tr(["SW6", "Rough sleeper outreach", "Swale BC", "Kent Police", "LF2.1"]), ident=2))]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 2") + tbl(rows, header_rows=1))
    a = find_action(plan, "Tenancy sustainment")
    assert a["id"] == "SW5" and a["lead_id"] == "swale-bc" and a["partner_ids"] == ["medway-council"]
    assert find_action(plan, "Rough sleeper outreach")["partner_ids"] == ["kent-police"]
    assert units_read(plan) == 7


def test_content_control_cell_level(tmp_path):
    rows = [ACTIONS_HEADER,
            ["SW7", Raw(sdt(tc(text="Falls prevention classes in Faversham"))), Raw(sdt(tc(text="Kent County Council"), ident=2)),
             "", Raw(sdt(tc(text="LF4.1"), ident=3))]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + tbl(rows, header_rows=1))
    a = find_action(plan, "Falls prevention classes")
    assert a["id"] == "SW7" and a["lead_id"] == "kcc" and a["indicator_ids"] == ["LF4.1"]
    assert a["outcome_ids"] == ["SO4"]


def test_content_control_run_level(tmp_path):
    runs = (r("Run a carers' café in Sheppey (Lead: ")
            + sdt(r("Kent County Council"), tag="lead")
            + r("; Measure: ") + sdt(r("LF4.1"), tag="measure", ident=2) + r(")"))
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + bullet(runs=runs))
    a = find_action(plan, "carers' café in Sheppey")
    assert a["lead_id"] == "kcc" and a["indicator_ids"] == ["LF4.1"]


# ---------------------------------------------------------------------------
# hyperlinks and fields
# ---------------------------------------------------------------------------

def test_hyperlink_display_text(tmp_path):
    runs = (r("Promote the ")
            + f'<w:hyperlink r:id="rIdLink1" w:history="1">{r("One You Kent")}</w:hyperlink>'
            + r(" lifestyle service and the ")
            + f'<w:hyperlink w:anchor="_Toc1">{r("Swale Healthy Living Hub")}</w:hyperlink>'
            + r(" (Lead: KCC)"))
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 3") + bullet(runs=runs),
                        hyperlinks={"rIdLink1": "https://www.kent.gov.uk/oneyou"})
    a = find_action(plan, "lifestyle service")
    assert "Promote the One You Kent lifestyle service and the Swale Healthy Living Hub" in a["text"]
    assert "kent.gov.uk" not in a["text"]
    assert a["lead_id"] == "kcc"


def test_simple_field_display_text(tmp_path):
    lead = tc(content=('<w:p><w:fldSimple w:instr=" DOCPROPERTY Company \\* MERGEFORMAT ">'
                       f'{r("Kent County Council")}</w:fldSimple></w:p>'))
    rows = [ACTIONS_HEADER, ["SW8", "Community diabetes prevention sessions", lead, "", "LF4.1"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + tbl(rows, header_rows=1))
    a = find_action(plan, "diabetes prevention")
    assert a["lead_id"] == "kcc"
    assert "DOCPROPERTY" not in dump(plan)


def test_complex_field_display_text_not_instruction(tmp_path):
    runs = (r("Signpost residents to ")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://www.livewellkent.org.uk" \\o "Live Well" </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + r("Live Well Kent")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + r(" mental wellbeing support (Lead: KCC; Measure: LF3.1)"))
    page_field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                  '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    split = (r("Offer ")
             + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             + '<w:r><w:instrText xml:space="preserve"> REF </w:instrText></w:r>'
             + '<w:r><w:instrText xml:space="preserve">_Ref12345 \\h </w:instrText></w:r>'
             + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             + r("NHS ") + r("Health Checks", bold=True)
             + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
             + r(" at community pharmacies") + page_field + r(" (Lead: KCC)"))
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 3") + bullet(runs=runs) + bullet(runs=split))
    b = find_action(plan, "at community pharmacies")
    assert "Offer NHS Health Checks at community pharmacies" in b["text"]
    assert "_Ref12345" not in dump(plan) and "PAGE" not in b["text"]
    a = find_action(plan, "mental wellbeing support")
    assert "Signpost residents to Live Well Kent mental wellbeing support" in a["text"]
    assert "HYPERLINK" not in a["text"] and "livewellkent.org.uk" not in a["text"]
    assert "HYPERLINK" not in dump(plan)
    assert a["lead_id"] == "kcc" and a["indicator_ids"] == ["LF3.1"]


# ---------------------------------------------------------------------------
# text boxes
# ---------------------------------------------------------------------------

def test_text_box_drawingml_with_vml_fallback_read_once(tmp_path):
    box = (p("Swale has the second highest adult smoking rate in Kent.")
           + bullet("Install outdoor gyms in three Swale parks (Lead: Swale BC; Measure: LF3.1)"))
    body = (meta_table() + heading("Outcome 3")
            + p(runs=r("Our commitments this year are set out opposite.") + textbox(box))
            + heading("Outcome 5") + bullet("Extend GP extended access hubs (Lead: ICB)"))
    plan = compile_word(tmp_path, body)
    gyms = [a for a in plan["actions"] if "outdoor gyms" in a["text"]]
    assert len(gyms) == 1, [a["text"] for a in plan["actions"]]
    assert gyms[0]["outcome_ids"] == ["SO3"], "a text box is read where it is anchored"
    assert gyms[0]["lead_id"] == "swale-bc"
    assert dump(plan).count("second highest adult smoking rate") == 1, "a text box paragraph is content, read once"
    assert units_read(plan) == 9, "Choice and Fallback of one text box are read once"


def test_grouped_shapes_with_text_read_once(tmp_path):
    def wsp(content: str) -> str:
        return ('<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/>'
                '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
                f'<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>')

    def vshape(content: str, n: int) -> str:
        return (f'<v:shape id="s{n}" type="#_x0000_t202" style="position:absolute;width:914400;height:914400">'
                f"<v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape>")
    one = bullet("Group box one: lung cancer screening roadshow (Lead: ICB)")
    two = bullet("Group box two: bowel screening uptake calls (Lead: KCC)")
    group = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wpg\"><w:drawing>"
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1828800" cy="914400"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="5" name="Group 5"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup">'
        '<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="914400"/>'
        '<a:chOff x="0" y="0"/><a:chExt cx="1828800" cy="914400"/></a:xfrm></wpg:grpSpPr>'
        + wsp(one) + wsp(two) +
        "</wpg:wgp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:group id="Group 5" style="position:absolute;width:144pt;height:72pt" '
        'coordsize="1828800,914400">' + vshape(one, 1) + vshape(two, 2) + "</v:group></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>")
    body = meta_table() + heading("Outcome 5") + p(runs=r("Screening commitments:") + group)
    plan = compile_word(tmp_path, body)
    for phrase, lead in (("lung cancer screening roadshow", "icb"), ("bowel screening uptake calls", "kcc")):
        found = [a for a in plan["actions"] if phrase in a["text"]]
        assert len(found) == 1, [a["text"] for a in plan["actions"]]
        assert found[0]["lead_id"] == lead and found[0]["outcome_ids"] == ["SO5"]
    assert units_read(plan) == 7


def test_two_submissions_from_one_partner_get_distinct_ids(tmp_path):
    first = docx_bytes(meta_table("Kent County Council") + heading("Outcome 3")
                       + bullet("Public health: stop smoking in pregnancy service (Lead: KCC)"))
    second = docx_bytes(meta_table("KCC Adult Social Care and Health") + heading("Outcome 4")
                        + bullet("Adult social care: carers' breaks (Lead: KCC)"))
    inputs = write_inputs(tmp_path, {"kcc-public-health.docx": first, "kcc-adult-social-care.docx": second})
    _, plan = compile_dir(inputs, tmp_path)
    ids = [a["id"] for a in plan["actions"]]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(i.startswith("kcc-") for i in ids), ids
    assert {a["submitted_by"] for a in plan["actions"]} == {"kcc"}
    assert not diags(plan, "R007")


def test_text_box_vml_only(tmp_path):
    box = bullet("Run a Swale tobacco enforcement campaign (Lead: Swale BC)")
    body = meta_table() + heading("Outcome 3") + p(runs=r("See box.") + vml_textbox(box))
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "tobacco enforcement")["outcome_ids"] == ["SO3"]
    assert units_read(plan) == 6


# ---------------------------------------------------------------------------
# comments, footnotes, headers, footers
# ---------------------------------------------------------------------------

def test_comments_footnotes_headers_footers_not_content(tmp_path):
    runs = ('<w:commentRangeStart w:id="1"/>' + r("Run a warm spaces network across Swale")
            + '<w:commentRangeEnd w:id="1"/>'
            + '<w:r><w:commentReference w:id="1"/></w:r>'
            + '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
            + r(" (Lead: Swale BC; Measure: LF2.1)"))
    comments = ('<w:comment w:id="1" w:author="Reviewer" w:date="2024-09-01T10:00:00Z" w:initials="R">'
                + bullet("Zanzibar check the budget line before publishing") + "</w:comment>")
    footnotes = '<w:footnote w:id="1">' + p("Quixotic annual monitoring report 2023") + "</w:footnote>"
    body = meta_table() + heading("Outcome 2") + bullet(runs=runs)
    plan = compile_word(
        tmp_path, body, comments_xml=comments, footnotes_xml=footnotes,
        headers=[p("Vermilion draft for partner review") + bullet("Header bullet about xylophones")],
        footers=[bullet("Footer bullet about marmalade") + p("Page 1")])
    a = find_action(plan, "warm spaces network")
    assert a["text"].startswith("Run a warm spaces network across Swale")
    assert a["lead_id"] == "swale-bc" and a["indicator_ids"] == ["LF2.1"]
    assert len(actions_of(plan)) == 1
    text = dump({k: v for k, v in plan.items() if k != "submissions"})
    for word in ("Zanzibar", "Quixotic", "Vermilion", "xylophones", "marmalade"):
        assert word not in text


def test_header_may_name_the_partner(tmp_path):
    body = heading("Outcome 2") + bullet("Deliver the Medway Warm Homes scheme (Lead: Medway Council)")
    plan = compile_word(tmp_path, body, name="contribution-2024.docx", headers=[p("Medway Council")])
    assert submission(plan, "contribution-2024.docx")["partner_id"] == "medway-council"
    assert not [d for d in diags(plan, "I003") if "contribution-2024.docx" in dump(d)]


# ---------------------------------------------------------------------------
# nested tables and merged cells
# ---------------------------------------------------------------------------

def test_actions_table_nested_in_layout_table(tmp_path):
    inner = tbl([ACTIONS_HEADER,
                 ["SW10", "Pharmacy blood pressure checks", "ICB", "KCC", "LF4.1"],
                 ["SW11", "Workplace health checks with employers", "KCC", "Swale BC", "LF4.1"]], header_rows=1)
    outer = tbl([[tc(content=p("Key areas of joint working", bold=True) + inner)]])
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + outer)
    a = find_action(plan, "Pharmacy blood pressure")
    assert a["id"] == "SW10" and a["lead_id"] == "icb" and a["partner_ids"] == ["kcc"]
    assert a["outcome_ids"] == ["SO4"] and a["indicator_ids"] == ["LF4.1"]
    assert find_action(plan, "Workplace health checks")["lead_id"] == "kcc"


def test_grid_span_keeps_columns_aligned(tmp_path):
    rows = [
        [tc(text="Outcome 5 actions", span=5)],
        ["Ref", tc(text="Action", span=2), "Lead", "Measure"],
        ["SW12", tc(text="Frailty virtual ward in Swale", span=2), "ICB", "LF5.1"],
        ["SW13", "Same-day urgent care hub", "at Sheppey Community Hospital", "KCC", "LF5.1"],
    ]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 5") + tbl(rows, cols=5))
    a = find_action(plan, "Frailty virtual ward")
    assert a["id"] == "SW12" and a["lead_id"] == "icb" and a["indicator_ids"] == ["LF5.1"]
    b = [a for a in plan["actions"] if a["id"] == "SW13"]
    assert len(b) == 1 and b[0]["lead_id"] == "kcc" and "Same-day urgent care hub" in b[0]["text"]


def test_grid_before_and_after_keep_columns_aligned(tmp_path):
    rows = [ACTIONS_HEADER,
            ["SW18", "Hospital discharge hub", "KCC", "ICB", "LF5.1"],
            tr(["Home first reablement service", "KCC", "MFT"], trpr='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>')]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 5") + tbl(rows, header_rows=1, cols=5))
    a = find_action(plan, "Home first reablement")
    assert a["text"] == "Home first reablement service"
    assert a["lead_id"] == "kcc" and a["partner_ids"] == ["mft"] and a["indicator_ids"] == []
    assert find_action(plan, "Hospital discharge hub")["id"] == "SW18"


def test_vertically_merged_lead_belongs_to_every_row(tmp_path):
    rows = [ACTIONS_HEADER,
            ["SW14", "Social prescribing link workers in every PCN", tc(text="Kent County Council", vmerge="restart"), "ICB", "LF4.1"],
            ["SW15", "Carers' assessments in primary care", tc(text="", vmerge="continue"), "ICB", "LF4.1"],
            ["SW16", "Self-management courses for diabetes", tc(text="", vmerge="continue"), "", "LF4.1"],
            ["SW17", "Community pharmacy hypertension case finding", "ICB", "", "LF4.1"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + tbl(rows, header_rows=1))
    leads = {a["id"]: a["lead_id"] for a in actions_of(plan)}
    assert leads == {"SW14": "kcc", "SW15": "kcc", "SW16": "kcc", "SW17": "icb"}


# ---------------------------------------------------------------------------
# normalisation for matching, text kept as written
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("Kent\u00a0County Council", "kcc"),
    ("Kent County\u00a0Council\u200b", "kcc"),
    ("Tonbridge & Malling BC", "tonbridge-malling-bc"),
    ("Gra\u00adves\u00adham Borough Council", "gravesham-bc"),
    ("East Kent\u200b HCP", "hcp-east-kent"),
    ("Kent & Medway ICB", "icb"),
    ("\u201cMedway Council\u201d", "medway-council"),
])
def test_lead_normalised_for_matching(tmp_path, written, expected):
    rows = [ACTIONS_HEADER, ["SW20", "Joint hoarding support pathway", written, "", "LF2.1"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 2") + tbl(rows, header_rows=1))
    assert find_action(plan, "hoarding support pathway")["lead_id"] == expected


def test_soft_hyphen_element_in_partner_name(tmp_path):
    runs = r("Healthy homes advice for private tenants (Lead: Gra") + "<w:r><w:softHyphen/></w:r>" + r("vesham BC)")
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 2") + bullet(runs=runs))
    assert find_action(plan, "Healthy homes advice")["lead_id"] == "gravesham-bc"


def test_text_kept_as_written(tmp_path):
    written = "Deliver \u2018Making Every Contact Count\u2019 training to 200\u00a0frontline staff"
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 3") + bullet(written + " (Lead: KCC)"))
    a = find_action(plan, "Making Every Contact Count")
    assert written in a["text"]


def test_smart_quotes_in_strategy_name_match(tmp_path):
    strategies = tbl([["Strategy", "Lead", "Status"],
                      ["Swale Children's Partnership Plan", "Swale Borough Council", "Published"]], header_rows=1)
    body = (meta_table() + strategies + heading("Outcome 1")
            + bullet("Holiday activities and food programme (Lead: Swale BC; Plan: Swale Children\u2019s Partnership Plan)"))
    plan = compile_word(tmp_path, body)
    [strategy] = [s for s in plan["strategies"] if "Children" in s["name"]]
    assert find_action(plan, "Holiday activities")["strategy_ids"] == [strategy["id"]]
    assert not diags(plan, "R003")


# ---------------------------------------------------------------------------
# who submitted it
# ---------------------------------------------------------------------------

ACTION = heading("Outcome 2") + bullet("Expand the household support fund outreach (Lead: KCC)")


@pytest.mark.parametrize("case, name, body, kw, expected", [
    ("metadata table beats core and file name", "thanet.docx",
     meta_table("Swale Borough Council") + ACTION, {"core": {"title": "Dover District Council"}}, "swale-bc"),
    ("key: value lines beat core and file name", "canterbury.docx",
     p("Submitted by: Dover District Council") + p("Contact: Jo Bloggs") + p("Date: 30/09/2024") + ACTION,
     {"core": {"title": "Thanet District Council"}, "app": {"Company": "Ashford Borough Council"}}, "dover-dc"),
    ("lead organisation key", "thanet.docx",
     p("Lead organisation: Kent Housing Group") + p("Version: 3") + ACTION, {}, "khg"),
    ("bold key in its own run", "thanet.docx",
     p(runs=r("Organisation:", bold=True) + r(" KCC Public Health")) + ACTION, {}, "kcc"),
    ("core title beats file name", "thanet.docx",
     ACTION, {"core": {"title": "Maidstone Borough Council"}}, "maidstone-bc"),
    ("author's company beats file name", "thanet.docx",
     ACTION, {"app": {"Company": "Ashford Borough Council"}}, "ashford-bc"),
    ("file name", "thanet.docx", ACTION, {}, "thanet-dc"),
    ("file name with an alias", "Tunbridge Wells BC.docx", ACTION, {}, "tunbridge-wells-bc"),
])
def test_partner_precedence(tmp_path, case, name, body, kw, expected):
    plan = compile_word(tmp_path, body, name=name, **kw)
    sub = submission(plan, name)
    assert sub["partner_id"] == expected, case
    a = find_action(plan, "household support fund")
    assert a["submitted_by"] == expected
    assert a["lead_id"] == "kcc"


def test_metadata_other_keys_kept(tmp_path):
    body = tbl([["Organisation", "Swale Borough Council"], ["Contact", "Jo Bloggs"], ["Version", "2.1"],
                ["Status", "Final draft"], ["Date", "30/09/2024"]]) + ACTION
    plan = compile_word(tmp_path, body, name="contribution.docx")
    sub = submission(plan, "contribution.docx")
    assert sub["partner_id"] == "swale-bc"
    values = dump(sub["metadata"])
    for value in ("Jo Bloggs", "2.1", "Final draft"):
        assert value in values, sub["metadata"]


def test_unknown_partner_still_read(tmp_path):
    plan = compile_word(tmp_path, ACTION + bullet("Hold a winter wellbeing fair"), name="our-contribution.docx")
    sub = submission(plan, "our-contribution.docx")
    assert sub["partner_id"] is None
    assert [d for d in diags(plan, "I003") if "our-contribution.docx" in dump(d)]
    a = find_action(plan, "household support fund")
    assert a["submitted_by"] is None and a["outcome_ids"] == ["SO2"]
    assert a["id"] == "our-contribution-01"
    assert find_action(plan, "winter wellbeing fair")["id"] == "our-contribution-02"


# ---------------------------------------------------------------------------
# outcome sections
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("heading_text, expected", [
    ("SO3", "SO3"),
    ("Outcome 3", "SO3"),
    ("Shared outcome 3", "SO3"),
    ("Shared Outcome Three", "SO3"),
    ("Support happy and healthy living for all", "SO3"),
    ("Support healthy and happy living for all", "SO3"),
    ("Outcome 3 \u2013 Support happy and healthy living", "SO3"),
    ("Outcome 4 \u2013 Empower people to manage their health conditions", "SO4"),
    ("Shared Outcome 6: Support and grow our workforce", "SO6"),
    ("SO 3", "SO3"),
    ("3. Support happy and healthy living for all", "SO3"),
    ("OUTCOME THREE: HAPPY AND HEALTHY LIVING", "SO3"),
])
def test_outcome_heading_forms(tmp_path, heading_text, expected):
    body = meta_table() + heading(heading_text) + bullet("Run a Swale community health champions programme (Lead: Swale BC)")
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "community health champions")
    assert a["outcome_ids"] == [expected]
    if heading_text == "Support healthy and happy living for all":
        assert [d for d in diags(plan, "R006") if heading_text in d["message"]], "a fuzzy match is accepted but reported"


@pytest.mark.parametrize("style", ["Heading1", "Heading2", "Heading3", "Title", "bold"])
def test_outcome_heading_styles(tmp_path, style):
    para = p("Outcome 2", bold=True) if style == "bold" else p("Outcome 2", style=style)
    body = (meta_table() + heading("Outcome 1") + bullet("Breastfeeding peer support in Swale (Lead: KCC)")
            + para + bullet("Affordable warmth advice for older residents (Lead: Swale BC)"))
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "Breastfeeding peer support")["outcome_ids"] == ["SO1"]
    assert find_action(plan, "Affordable warmth advice")["outcome_ids"] == ["SO2"]


def test_heading_style_recognised_by_name_not_id(tmp_path):
    # Word in another language, or a house template, gives the built-in style another styleId.
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/>'
        '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Standard"/>'
        '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
        "</w:styles>")
    body = (meta_table() + p("Outcome 5", style="berschrift1")
            + bullet("Community diagnostic centre in Sittingbourne (Lead: ICB)", style=None)
            + p("Outcome 6", style="berschrift2")
            + bullet("Health and care careers fair in Sheerness (Lead: Swale BC)", style=None))
    plan = compile_word(tmp_path, body, styles_xml=styles)
    assert find_action(plan, "Community diagnostic centre")["outcome_ids"] == ["SO5"]
    assert find_action(plan, "careers fair")["outcome_ids"] == ["SO6"]


def test_list_and_heading_styles_inherited(tmp_path):
    # Numbering can come from the paragraph style (List Bullet carries numPr) or a style based on it;
    # a house "Outcome heading" style can be based on Heading 1.
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Heading 1"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="OutcomeHeading"><w:name w:val="Outcome heading"/>'
        '<w:basedOn w:val="Heading1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="ActionBullet"><w:name w:val="Action bullet"/>'
        '<w:basedOn w:val="ListBullet"/></w:style>'
        "</w:styles>")
    body = (meta_table() + p("Outcome 1", style="Heading1")
            + p("Family hubs outreach in Sheppey (Lead: KCC)", style="ListBullet")
            + p("Outcome 2", style="OutcomeHeading")
            + p("Employment support for young people not in work (Lead: Swale BC)", style="ActionBullet"))
    plan = compile_word(tmp_path, body, styles_xml=styles)
    assert find_action(plan, "Family hubs outreach")["outcome_ids"] == ["SO1"]
    assert find_action(plan, "not in work")["outcome_ids"] == ["SO2"]


def test_long_or_partly_bold_paragraph_is_not_a_heading(tmp_path):
    body = (meta_table() + heading("Outcome 1")
            + p("We will also contribute to Outcome 2 and the wider determinants of health, working with housing "
                "providers, employers and the voluntary sector across the whole of Swale over the next two years.", bold=True)
            + bullet("Perinatal mental health peer support (Lead: KCC)")
            + p(runs=r("Note:", bold=True) + r(" Outcome 2"))
            + bullet("Speech and language support in nurseries (Lead: KCC)"))
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "Perinatal mental health")["outcome_ids"] == ["SO1"]
    assert find_action(plan, "Speech and language support")["outcome_ids"] == ["SO1"]


def test_enabler_heading_opens_section(tmp_path):
    body = (meta_table() + heading("Outcome 2") + bullet("Debt advice in GP surgeries (Lead: Swale BC)")
            + heading("Partnership working") + bullet("Hold a quarterly Swale health and wellbeing partnership board (Lead: Swale BC)"))
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "partnership board")
    assert a["enabler_ids"] == ["EN1"] and a["outcome_ids"] == []
    assert find_action(plan, "Debt advice in GP surgeries")["outcome_ids"] == ["SO2"]


def test_same_level_heading_closes_section_lower_does_not(tmp_path):
    body = (meta_table() + heading("Outcome 1", 1)
            + bullet("Family hubs in Sittingbourne and Sheerness (Lead: KCC)")
            + heading("Key areas of joint working", 2)
            + bullet("School readiness programme with early years settings (Lead: KCC)")
            + heading("Contacts", 1)
            + bullet("Jo Bloggs, Health Improvement Manager, jo.bloggs@swale.gov.uk"))
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "Family hubs")["outcome_ids"] == ["SO1"]
    assert find_action(plan, "School readiness programme")["outcome_ids"] == ["SO1"]
    no_action(plan, "Jo Bloggs")


def test_higher_level_heading_closes_section(tmp_path):
    body = (meta_table() + heading("Our contribution", 1) + heading("Outcome 5", 2)
            + bullet("Discharge to assess beds in Swale (Lead: KCC)")
            + heading("Hospital discharge", 3)
            + bullet("Home from hospital volunteer service (Lead: Swale BC)")
            + heading("Appendix A: Glossary", 1)
            + bullet("PCN: primary care network"))
    plan = compile_word(tmp_path, body)
    assert find_action(plan, "Discharge to assess")["outcome_ids"] == ["SO5"]
    assert find_action(plan, "Home from hospital")["outcome_ids"] == ["SO5"]
    no_action(plan, "primary care network")


def test_front_matter_bullets_and_tables_are_not_actions(tmp_path):
    body = (p("Swale Borough Council contribution", style="Title") + meta_table()
            + p("Our vision for Swale:")
            + bullet("Reduce health inequalities between Sheppey and the rest of the borough")
            + bullet("Make every contact count")
            + tbl([["Action", "Lead"], ["Refurbished the Milton Regis leisure centre", "Swale BC"]], header_rows=1)
            + heading("Outcome 3")
            + bullet("Free swimming for under-16s in the summer holidays (Lead: Swale BC)"))
    plan = compile_word(tmp_path, body)
    assert [a["text"] for a in actions_of(plan)] and all("Free swimming" in a["text"] for a in actions_of(plan))
    no_action(plan, "health inequalities between Sheppey")
    no_action(plan, "Milton Regis leisure centre")


# ---------------------------------------------------------------------------
# actions tables
# ---------------------------------------------------------------------------

def test_actions_table_header_under_merged_title_row_synonyms_any_order(tmp_path):
    header = ["Key area of joint working", "Owner", "Delivered with", "Signposted plan", "By when",
              "How we will measure impact", "Ref", "Budget", "RAG"]
    rows = [[tc(text="Table 2: Outcome 2 \u2013 key areas of joint working", span=len(header), bold=True)],
            header,
            ["Extend the warm homes scheme to private renters", "Swale Borough Council", "KCC; Medway Council",
             "Joint Forward Plan", "March 2025", "LF2.1", "sw 1", "\u00a350,000", "Green"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 2") + tbl(rows, cols=len(header)))
    a = find_action(plan, "warm homes scheme")
    assert a["id"] == "SW1"
    assert a["text"] == "Extend the warm homes scheme to private renters"
    assert a["outcome_ids"] == ["SO2"]
    assert a["lead_id"] == "swale-bc"
    assert sorted(a["partner_ids"]) == ["kcc", "medway-council"]
    assert a["strategy_ids"] == ["nhs-kent-and-medway-joint-forward-plan"]
    assert a["milestones"] == [{"text": "March 2025", "due": "2025-03-31"}]
    assert a["indicator_ids"] == ["LF2.1"]
    assert a["status"] == "Green"
    assert "\u00a350,000" in dump(a), "an extra column is kept as a custom field"
    assert a["source"]["path"] == "swale.docx"


def test_header_cells_with_asides_and_punctuation(tmp_path):
    header = ["No.", "What we will do", "Lead partner (one only)", "Partner(s)", "Measure(s) (logframe ID)",
              "Key milestones:"]
    rows = [header, ["7", "Schools mental health support teams", "KCC", "ICB", "LF1.1", "September 2025"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 1") + tbl(rows, header_rows=1))
    a = find_action(plan, "mental health support teams")
    assert a["id"] == "swale-bc-7"
    assert a["lead_id"] == "kcc" and a["partner_ids"] == ["icb"] and a["indicator_ids"] == ["LF1.1"]
    assert a["milestones"] == [{"text": "September 2025", "due": "2025-09-30"}]


def test_multi_value_cells_and_comma_names(tmp_path):
    rows = [ACTIONS_HEADER,
            ["A1", "Joint homelessness prevention pathway", "Swale BC", "Medway Council; KCC\nKent Police", "LF2.1, LF2.2"],
            ["A2", "North Kent falls response service", "KCC", "Dartford, Gravesham and Swanley HCP", "LF2.1"],
            ["A3", "Joint employment support for care leavers", "KCC", "KCC, Medway Council", "LF2.2"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 2") + tbl(rows, header_rows=1))
    a1 = find_action(plan, "homelessness prevention pathway")
    assert sorted(a1["partner_ids"]) == ["kcc", "kent-police", "medway-council"]
    assert sorted(a1["indicator_ids"]) == ["LF2.1", "LF2.2"]
    assert find_action(plan, "falls response service")["partner_ids"] == ["hcp-dgs"]
    a3 = find_action(plan, "care leavers")
    assert a3["lead_id"] == "kcc" and a3["partner_ids"] == ["medway-council"], "partner_ids exclude the lead"
    assert not diags(plan, "R004")


def test_line_breaks_places_and_dependencies(tmp_path):
    header = ["Ref", "Action", "Lead", "Partners", "Place", "Depends on"]
    rows = [header,
            ["B1", "Integrated neighbourhood team pilot", "ICB", tc(content=p(runs=r("KCC\nMedway Council"))),
             "Dartford, Gravesham and Swanley", ""],
            ["B2", "Roll out the pilot to two more districts", "ICB", "", "Ashford, Canterbury", "B1"],
            ["B3", "Evaluate the neighbourhood teams", "KCC", "", "Kent and Medway", "b1; B2"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 5") + tbl(rows, header_rows=1))
    b1 = find_action(plan, "neighbourhood team pilot")
    assert sorted(b1["partner_ids"]) == ["kcc", "medway-council"]
    assert b1["place_ids"] == ["hcp-dgs"]
    b2 = find_action(plan, "two more districts")
    assert sorted(b2["place_ids"]) == ["ashford", "canterbury"]
    assert b2["depends_on"] == ["B1"]
    b3 = find_action(plan, "Evaluate the neighbourhood teams")
    assert b3["place_ids"] == ["system"] and sorted(b3["depends_on"]) == ["B1", "B2"]


def test_blank_and_repeated_header_rows_skipped(tmp_path):
    rows = [ACTIONS_HEADER,
            ["SW30", "Community larder network", "Swale BC", "", "LF2.1"],
            ["", "", "", "", ""],
            ACTIONS_HEADER,
            ["SW31", "Fuel poverty home visits", "Swale BC", "KCC", "LF2.1"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 2") + tbl(rows, header_rows=1))
    assert sorted(a["id"] for a in actions_of(plan)) == ["SW30", "SW31"]
    assert units_read(plan) == 8, "a blank row is not a unit; a repeated header row is one, ignored"
    assert not diags(plan, "R002") and not diags(plan, "R004")


def test_blank_lead_is_no_lead(tmp_path):
    rows = [ACTIONS_HEADER, ["SW32", "Winter pressures communications campaign", "", "KCC", "LF5.1"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 5") + tbl(rows, header_rows=1))
    a = find_action(plan, "Winter pressures")
    assert a["lead_id"] is None, "a blank lead is no lead, never the submitter"
    assert [d for d in diags(plan, "C005") if d["subject"] == "action:SW32"]


def test_action_ids(tmp_path):
    rows = [["Ref", "Action", "Lead"],
            ["ek 3", "Lettered ref action", "KCC"],
            ["2", "Numbered ref action", "KCC"],
            ["", "First unreffed action", "KCC"],
            ["", "Second unreffed action", "KCC"]]
    body = (meta_table() + heading("Outcome 3") + tbl(rows, header_rows=1)
            + bullet("Third unreffed action (Lead: KCC)"))
    plan = compile_word(tmp_path, body)
    ids = {a["text"].split(" (")[0]: a["id"] for a in actions_of(plan)}
    assert ids == {
        "Lettered ref action": "EK3",
        "Numbered ref action": "swale-bc-2",
        "First unreffed action": "swale-bc-01",
        "Second unreffed action": "swale-bc-02",
        "Third unreffed action": "swale-bc-03",
    }


# ---------------------------------------------------------------------------
# bulleted actions
# ---------------------------------------------------------------------------

def test_bulleted_actions_inline_fields(tmp_path):
    body = (meta_table() + heading("Outcome 4")
            + bullet("Expand NHS Health Checks in deprived wards (Lead: KCC; Partners: ICB, Medway Council; "
                     "Plan: Joint Forward Plan; Measure: LF4.1; By: March 2025)")
            + bullet("Launch a carers hub in Sittingbourne \u2013 Lead: Swale BC; Measures: LF4.1")
            + bullet("Numbered list item for social prescribing (Lead: ICB)", num_id=2, style=None))
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "Expand NHS Health Checks")
    assert a["text"].startswith("Expand NHS Health Checks in deprived wards")
    assert "Lead:" not in a["text"]
    assert a["outcome_ids"] == ["SO4"]
    assert a["lead_id"] == "kcc"
    assert sorted(a["partner_ids"]) == ["icb", "medway-council"]
    assert a["strategy_ids"] == ["nhs-kent-and-medway-joint-forward-plan"]
    assert a["indicator_ids"] == ["LF4.1"]
    assert a["milestones"] == [{"text": "March 2025", "due": "2025-03-31"}]
    b = find_action(plan, "carers hub in Sittingbourne")
    assert b["lead_id"] == "swale-bc" and b["indicator_ids"] == ["LF4.1"]
    assert "Lead:" not in b["text"]
    c = find_action(plan, "Numbered list item for social prescribing")
    assert c["lead_id"] == "icb" and c["outcome_ids"] == ["SO4"]


def test_inline_field_label_synonyms(tmp_path):
    body = (meta_table() + heading("Outcome 4")
            + bullet("Diabetes structured education in Swale (Led by: ICB) (With: KCC; KPI: LF4.1; Due: June 2025)")
            + bullet("Blood pressure checks at football clubs – Owner: KCC – Indicators: LF4.1 – Milestone: 30/09/2025"))
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "Diabetes structured education")
    assert a["lead_id"] == "icb" and a["partner_ids"] == ["kcc"] and a["indicator_ids"] == ["LF4.1"]
    assert a["milestones"] == [{"text": "June 2025", "due": "2025-06-30"}]
    assert "KPI" not in a["text"] and "Led by" not in a["text"]
    b = find_action(plan, "Blood pressure checks at football clubs")
    assert b["lead_id"] == "kcc" and b["indicator_ids"] == ["LF4.1"]
    assert b["milestones"] == [{"text": "30/09/2025", "due": "2025-09-30"}]


def test_sub_bullets_are_milestones(tmp_path):
    body = (meta_table() + heading("Outcome 4")
            + bullet("Open a carers' hub in Sheerness (Lead: Swale BC)")
            + bullet("Site agreed \u2013 December 2024", level=1)
            + bullet("Hub open \u2013 Q2 2025/26", level=1)
            + bullet("Review of a young carers service (Lead: KCC)"))
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "carers' hub in Sheerness")
    assert a["milestones"] == [{"text": "Site agreed \u2013 December 2024", "due": "2024-12-31"},
                               {"text": "Hub open \u2013 Q2 2025/26", "due": "2025-09-30"}]
    no_action(plan, "Site agreed")
    no_action(plan, "Hub open")
    assert find_action(plan, "young carers service")["milestones"] == []


# ---------------------------------------------------------------------------
# strategies table
# ---------------------------------------------------------------------------

def test_strategies_table_registers_name_and_abbreviation(tmp_path):
    strategies = tbl([["Strategy / plan", "Lead", "Status", "Period"],
                      ["Swale Housing and Homelessness Strategy (SHHS)", "Swale Borough Council", "Published", "2024\u20132029"],
                      ["Swale Physical Activity Plan", "Swale BC", "In development", "2025\u20132030"]], header_rows=1)
    body = (meta_table() + strategies + heading("Outcome 2")
            + bullet("Prevent homelessness among prison leavers (Lead: Swale BC; Strategy: SHHS)")
            + bullet("Active travel routes to schools (Lead: KCC; Plan: Swale Physical Activity Plan)"))
    plan = compile_word(tmp_path, body)
    strategies_by_id = {s["id"]: s for s in plan["strategies"]}
    s = strategies_by_id["swale-housing-and-homelessness-strategy"]
    assert s["owner_id"] == "swale-bc" and (s["status"] or "").lower() == "published"
    assert strategies_by_id["swale-physical-activity-plan"]["owner_id"] == "swale-bc"
    assert find_action(plan, "prison leavers")["strategy_ids"] == ["swale-housing-and-homelessness-strategy"]
    assert find_action(plan, "Active travel routes")["strategy_ids"] == ["swale-physical-activity-plan"]
    assert not diags(plan, "R003")
    no_action(plan, "Swale Housing and Homelessness Strategy")


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, due", [
    ("01/10/2024", "2024-10-01"),
    ("31/03/2025", "2025-03-31"),
    ("March 2025", "2025-03-31"),
    ("Mar-25", "2025-03-31"),
    ("Q2 2025/26", "2025-09-30"),
    ("Q4 2024/25", "2025-03-31"),
    ("2025/26", "2026-03-31"),
    ("end of March 2025", "2025-03-31"),
])
def test_milestone_dates(tmp_path, written, due):
    rows = [["Ref", "Action", "Lead", "Milestones"], ["SW40", "Roll out digital weight management", "KCC", written]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 3") + tbl(rows, header_rows=1))
    assert find_action(plan, "digital weight management")["milestones"] == [{"text": written, "due": due}]
    assert not diags(plan, "I008")


def test_several_milestones_in_one_cell(tmp_path):
    rows = [["Ref", "Action", "Lead", "Milestone / date"],
            ["SW42", "Alcohol care team at Medway Maritime Hospital", "MFT",
             "Business case agreed – June 2024\nTeam in post – 31/01/2025; Evaluation – 2025/26"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 3") + tbl(rows, header_rows=1))
    assert find_action(plan, "Alcohol care team")["milestones"] == [
        {"text": "Business case agreed – June 2024", "due": "2024-06-30"},
        {"text": "Team in post – 31/01/2025", "due": "2025-01-31"},
        {"text": "Evaluation – 2025/26", "due": "2026-03-31"}]


def test_actions_table_with_outcome_column_outside_sections(tmp_path):
    rows = [["Ref", "Action", "Outcome", "Lead"],
            ["SW60", "Smokefree pregnancy incentives", "SO1", "KCC"],
            ["SW61", "Employment support for people with long-term conditions", "Outcome 4", "Swale BC"],
            ["SW62", "Apprenticeships in health and care", "Support and grow our workforce", "Swale BC"]]
    body = meta_table() + heading("Our actions") + tbl(rows, header_rows=1)
    plan = compile_word(tmp_path, body)
    assert {a["id"]: a["outcome_ids"] for a in actions_of(plan)} == {
        "SW60": ["SO1"], "SW61": ["SO4"], "SW62": ["SO6"]}


def test_timescale_is_text_not_milestone(tmp_path):
    rows = [["Ref", "Action", "Lead", "Timescale"], ["SW41", "Review community transport for appointments", "KCC", "2024\u20132026"]]
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 5") + tbl(rows, header_rows=1))
    a = find_action(plan, "community transport")
    assert a["timescale"] == "2024\u20132026"
    assert a["milestones"] == []


# ---------------------------------------------------------------------------
# unresolved references
# ---------------------------------------------------------------------------

def test_unresolved_references_are_diagnostics_not_links(tmp_path):
    body = (meta_table() + heading("Outcome 2")
            + bullet("Pilot a hoarding support service (Lead: Acme Widgets Ltd; Plan: Swale Hoarding Framework; Measure: LF9.9)"))
    plan = compile_word(tmp_path, body)
    a = find_action(plan, "hoarding support service")
    assert a["lead_id"] is None and a["strategy_ids"] == [] and a["indicator_ids"] == []
    for code, written in (("R004", "Acme Widgets Ltd"), ("R003", "Swale Hoarding Framework"), ("R002", "LF9.9")):
        found = [d for d in diags(plan, code) if written in d["message"]]
        assert found, f"{code} quoting {written!r}: {diags(plan, code)}"
        d = found[0]
        assert d["subject"] == f"action:{a['id']}" or (d["location"] or {}).get("path") == "swale.docx", d


# ---------------------------------------------------------------------------
# Strict Open XML
# ---------------------------------------------------------------------------

def test_tracked_changes_inside_controls_and_hyperlinks(tmp_path):
    runs = (r("Extend ")
            + sdt(f'<w:ins w:id="90" {DATE}>{r("free ")}</w:ins>'
                  f'<w:del w:id="91" {DATE}><w:r><w:delText>subsidised </w:delText></w:r></w:del>', tag="cc")
            + f'<w:hyperlink r:id="rIdLink1">{r("leisure ")}<w:del w:id="92" {DATE}><w:r><w:delText>centre </w:delText></w:r></w:del>'
            + f'<w:ins w:id="93" {DATE}>{r("pass ")}</w:ins></w:hyperlink>'
            + r("to young carers (Lead: Swale BC)"))
    plan = compile_word(tmp_path, meta_table() + heading("Outcome 4") + bullet(runs=runs),
                        hyperlinks={"rIdLink1": "https://www.swale.gov.uk/leisure"})
    a = find_action(plan, "young carers")
    assert "Extend free leisure pass to young carers" in a["text"]
    assert "subsidised" not in dump(plan) and "centre " not in a["text"]


def test_strict_open_xml_docx_header_text_box_and_hyperlink(tmp_path):
    box = bullet("Strict text box action: community defibrillator training (Lead: SECAmb)")
    body = (heading("Outcome 5") + p(runs=r("See the box.") + textbox(box))
            + bullet(runs=f'<w:hyperlink r:id="rIdLink1">{r("NHS 111 online")}</w:hyperlink>' + r(" promotion (Lead: ICB)")))
    plan = compile_word(tmp_path, body, name="strict-contribution.docx", strict=True,
                        headers=[p("Medway Council")], hyperlinks={"rIdLink1": "https://111.nhs.uk"})
    assert submission(plan, "strict-contribution.docx")["partner_id"] == "medway-council"
    assert len([a for a in plan["actions"] if "community defibrillator training" in a["text"]]) == 1
    assert find_action(plan, "community defibrillator")["lead_id"] == "secamb"
    assert "NHS 111 online promotion" in find_action(plan, "NHS 111 online")["text"]


def test_strict_open_xml_docx(tmp_path):
    rows = [ACTIONS_HEADER, ["SW50", "Urgent community response two-hour standard", "KCC", "ICB", "LF5.1"]]
    body = (meta_table() + heading("Outcome 5") + tbl(rows, header_rows=1)
            + bullet("Expand the Swale community nursing team (Lead: ICB)"))
    plan = compile_word(tmp_path, body, strict=True)
    assert submission(plan)["partner_id"] == "swale-bc"
    a = find_action(plan, "two-hour standard")
    assert a["id"] == "SW50" and a["lead_id"] == "kcc" and a["outcome_ids"] == ["SO5"] and a["indicator_ids"] == ["LF5.1"]
    assert find_action(plan, "community nursing team")["lead_id"] == "icb"
    assert not [d for d in plan["diagnostics"] if d["code"] in ("I001", "I004") and "swale.docx" in dump(d)]
