#!/usr/bin/env python
"""Build the Kent and Medway sample inputs under ``inputs/``.

Run from anywhere as ``python tests/builders/build_sample_inputs.py`` (optionally
``--out DIR`` to write somewhere else). The script is deterministic: every file
is rewritten with fixed zip entry dates and core-property dates, so a rerun
gives byte-identical files (on one machine image; see tests/builders/README.md).

What it writes is a believable sample of what Kent and Medway partners send
for the 2024-26 Shared Delivery Plan: Word contributions from Health and Care
Partnerships, district councils, KCC directorates, the housing group, the VCSE
alliance, the OPCC and the chamber of commerce; the analysts' logframe; an
action tracker; a strategy register; and an indicator data update. Between
them they cover the format families and variations of
``/work/shared/spec/input-formats.md`` sections 1-5, plus a handful of
deliberate gaps for the gap report (listed in tests/builders/README.md).

The expected reading of these files is written by hand, independently of
this script, in ``tests/expected/sample_expectation.json``. If you change the
content here, change the expectation by hand too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import docx  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Pt  # noqa: E402
from lxml import etree  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font, PatternFill  # noqa: E402

from compiler.writers.deterministic import make_deterministic  # noqa: E402

# Fixed dates for core properties (make_deterministic pins them again anyway).
CREATED = dt.datetime(2024, 3, 1, 9, 0, 0)
MODIFIED = dt.datetime(2024, 4, 8, 17, 30, 0)
# Fixed author/date for tracked changes.
TRACK_AUTHOR = "Sarah Whitfield"
TRACK_DATE = "2024-03-12T10:15:00Z"


# --------------------------------------------------------------------------
# Rich-text segments for Word paragraphs and cells
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ins:
    """A tracked insertion (w:ins): counts as text."""

    text: str


@dataclass(frozen=True)
class Del:
    """A tracked deletion (w:del / w:delText): does not count as text."""

    text: str


@dataclass(frozen=True)
class Link:
    """An external hyperlink; its displayed text counts."""

    text: str
    url: str


@dataclass(frozen=True)
class SdtRun:
    """A run-level content control (w:sdt around a run)."""

    text: str
    tag: str = "text"


@dataclass(frozen=True)
class BR:
    """A cell holding several values on separate lines of ONE paragraph (w:br)."""

    lines: tuple[str, ...]


def _t(text: str):
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    return t


def _r(text: str, bold: bool = False, underline_link: bool = False, deleted: bool = False):
    r = OxmlElement("w:r")
    if bold or underline_link:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if underline_link:
            color = OxmlElement("w:color")
            color.set(qn("w:val"), "0563C1")
            rpr.append(color)
            u = OxmlElement("w:u")
            u.set(qn("w:val"), "single")
            rpr.append(u)
        r.append(rpr)
    if deleted:
        dt_ = OxmlElement("w:delText")
        dt_.set(qn("xml:space"), "preserve")
        dt_.text = text
        r.append(dt_)
    else:
        r.append(_t(text))
    return r


def _sdt(content_children, alias: str, tag: str, sdt_id: int, plain_text: bool = False):
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    a = OxmlElement("w:alias")
    a.set(qn("w:val"), alias)
    pr.append(a)
    tg = OxmlElement("w:tag")
    tg.set(qn("w:val"), tag)
    pr.append(tg)
    i = OxmlElement("w:id")
    i.set(qn("w:val"), str(sdt_id))
    pr.append(i)
    if plain_text:
        pr.append(OxmlElement("w:text"))
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    for child in content_children:
        content.append(child)
    sdt.append(content)
    return sdt


class WordDoc:
    """A thin builder over python-docx with the XML tricks partners' files contain."""

    def __init__(self, *, title: str, author: str, last_modified_by: str | None = None,
                 subject: str = "", company: str | None = None):
        self.doc = docx.Document()
        cp = self.doc.core_properties
        cp.title = title
        cp.author = author
        cp.subject = subject
        cp.comments = ""
        cp.keywords = "Shared Delivery Plan; Integrated Care Strategy"
        cp.category = ""
        cp.last_modified_by = last_modified_by or author
        cp.revision = 3
        cp.created = CREATED
        cp.modified = MODIFIED
        self.company = company
        self._change_id = 100
        self._sdt_id = 5000
        self._bullet_num_id: int | None = None
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)

    # ---- paragraphs -----------------------------------------------------

    def title(self, text: str):
        self.doc.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int):
        self.doc.add_heading(text, level=level)

    def bold_heading(self, text: str):
        """A short paragraph that is entirely bold, used as a heading."""
        p = self.doc.add_paragraph()
        p.add_run(text).bold = True

    def para(self, *segments):
        p = self.doc.add_paragraph()
        self._fill(p, list(segments))
        return p

    def kv(self, key: str, value: str):
        """A `Key: value` metadata line, key in bold."""
        p = self.doc.add_paragraph()
        p.add_run(f"{key}:").bold = True
        p.add_run(f" {value}")

    def bullet(self, *segments, style: str = "List Bullet"):
        p = self.doc.add_paragraph(style=style)
        self._fill(p, list(segments))
        return p

    def numbered(self, *segments, style: str = "List Number"):
        return self.bullet(*segments, style=style)

    def list_item(self, *segments, level: int = 0):
        """A bullet with direct numbering (numPr on the paragraph, style List
        Paragraph), as Word writes when the bullet button is used."""
        if self._bullet_num_id is None:
            self._bullet_num_id = self._add_bullet_numbering()
        p = self.doc.add_paragraph(style="List Paragraph")
        numpr = p._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = level
        numpr.get_or_add_numId().val = self._bullet_num_id
        self._fill(p, list(segments))
        return p

    def _add_bullet_numbering(self) -> int:
        numbering = self.doc.part.numbering_part.element
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        new_abstract = max(abstract_ids) + 1
        xml = (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{new_abstract}">'
            '<w:multiLevelType w:val="hybridMultilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="o"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>'
            "</w:abstractNum>"
        )
        abstract = parse_xml(xml)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = numbering.add_num(new_abstract)
        return int(num.numId)

    # ---- rich text ------------------------------------------------------

    def _fill(self, p, segments):
        for seg in segments:
            if isinstance(seg, str):
                p.add_run(seg)
            elif isinstance(seg, Ins):
                ins = OxmlElement("w:ins")
                ins.set(qn("w:id"), str(self._next_change()))
                ins.set(qn("w:author"), TRACK_AUTHOR)
                ins.set(qn("w:date"), TRACK_DATE)
                ins.append(_r(seg.text))
                p._p.append(ins)
            elif isinstance(seg, Del):
                d = OxmlElement("w:del")
                d.set(qn("w:id"), str(self._next_change()))
                d.set(qn("w:author"), TRACK_AUTHOR)
                d.set(qn("w:date"), TRACK_DATE)
                d.append(_r(seg.text, deleted=True))
                p._p.append(d)
            elif isinstance(seg, Link):
                r_id = p.part.relate_to(seg.url, RT.HYPERLINK, is_external=True)
                h = OxmlElement("w:hyperlink")
                h.set(qn("r:id"), r_id)
                h.set(qn("w:history"), "1")
                h.append(_r(seg.text, underline_link=True))
                p._p.append(h)
            elif isinstance(seg, SdtRun):
                p._p.append(_sdt([_r(seg.text)], alias=seg.tag, tag=seg.tag,
                                 sdt_id=self._next_sdt(), plain_text=True))
            else:  # pragma: no cover - builder misuse
                raise TypeError(seg)

    def _next_change(self) -> int:
        self._change_id += 1
        return self._change_id

    def _next_sdt(self) -> int:
        self._sdt_id += 1
        return self._sdt_id

    def _fill_cell(self, cell, spec, bold: bool = False):
        p = cell.paragraphs[0]
        if spec is None or spec == "":
            return
        if isinstance(spec, BR):
            for i, line in enumerate(spec.lines):
                run = p.add_run(line)
                if bold:
                    run.bold = True
                if i < len(spec.lines) - 1:
                    run.add_break()
            return
        if isinstance(spec, list):
            self._fill(p, spec)
            return
        lines = spec.split("\n")
        for i, line in enumerate(lines):
            if i:
                p = cell.add_paragraph()
            run = p.add_run(line)
            if bold:
                run.bold = True

    # ---- tables ---------------------------------------------------------

    def meta_table(self, pairs):
        """The two-column metadata block near the top of a contribution."""
        t = self.doc.add_table(rows=0, cols=2)
        t.style = self.doc.styles["Table Grid"]
        for key, value in pairs:
            cells = t.add_row().cells
            self._fill_cell(cells[0], key, bold=True)
            self._fill_cell(cells[1], value)
        self.doc.add_paragraph()
        return t

    def table(self, header, rows, *, title: str | None = None, vmerge=(), block_sdt: str | None = None,
              cell_sdt=(), repeat_header_before: int | None = None):
        """An actions (or strategies) table.

        rows: list of lists of cell specs; a spec is str (new lines -> paragraphs),
        BR (new lines -> w:br), list (rich segments) or None.
        vmerge: (first_data_row, last_data_row, column) to merge vertically; the
        text sits in the first row's cell.
        block_sdt: wrap the whole table in a content control with this alias.
        cell_sdt: (data_row, column) cells to wrap in a cell-level content control.
        repeat_header_before: data row index before which the header row is repeated
        (as happens when a table is pasted together from two documents).
        """
        ncols = len(header)
        t = self.doc.add_table(rows=0, cols=ncols)
        t.style = self.doc.styles["Table Grid"]
        offset = 0
        if title is not None:
            cells = t.add_row().cells
            merged = cells[0].merge(cells[-1])
            self._fill_cell(merged, title, bold=True)
            offset += 1
        hdr = t.add_row()
        for cell, text in zip(hdr.cells, header):
            self._fill_cell(cell, text, bold=True)
        hdr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        offset += 1
        data_row_index = {}
        for i, row in enumerate(rows):
            if repeat_header_before is not None and i == repeat_header_before:
                again = t.add_row()
                for cell, text in zip(again.cells, header):
                    self._fill_cell(cell, text, bold=True)
                offset += 1
            assert len(row) == ncols, (row, header)
            cells = t.add_row().cells
            data_row_index[i] = offset + i
            for cell, spec in zip(cells, row):
                self._fill_cell(cell, spec)
        for first, last, col in vmerge:
            top = t.cell(data_row_index[first], col)
            bottom = t.cell(data_row_index[last], col)
            top.merge(bottom)
        for data_row, col in cell_sdt:
            tc = t.rows[data_row_index[data_row]].cells[col]._tc
            parent = tc.getparent()
            idx = parent.index(tc)
            sdt = _sdt([tc], alias="Lead partner", tag="lead", sdt_id=self._next_sdt())
            parent.insert(idx, sdt)
        if block_sdt is not None:
            tbl = t._tbl
            parent = tbl.getparent()
            idx = parent.index(tbl)
            sdt = _sdt([tbl], alias=block_sdt, tag="actions", sdt_id=self._next_sdt())
            parent.insert(idx, sdt)
        self.doc.add_paragraph()
        return t

    # ---- saving ---------------------------------------------------------

    def save(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(path))
        if self.company is not None:
            company = self.company

            def set_company(data: bytes) -> bytes:
                return data.replace(b"<Company/>", f"<Company>{company}</Company>".encode())

            patch_zip(path, {"docProps/app.xml": set_company})
        make_deterministic(path)


def patch_zip(path: Path, patches) -> None:
    """Rewrite members of the package at `path` through the given functions,
    keeping member order (make_deterministic normalises everything else)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in patches:
                data = patches[info.filename](data)
            dst.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


# ==========================================================================
# Word contributions
# ==========================================================================

L2 = "List Bullet 2"


def east_kent(out: Path):
    d = WordDoc(title="East Kent HCP – Shared Delivery Plan contribution 2024–26",
                author="Sarah Whitfield", last_modified_by="EK HCP Programme Office")
    d.title("East Kent HCP: contribution to the Shared Delivery Plan 2024–26")
    d.meta_table([
        ("Organisation", "East Kent Health and Care Partnership"),
        ("Contact", "Sarah Whitfield, Head of Partnership Development"),
        ("Date", "15/03/2024"),
        ("Version", "1.2"),
        ("Status", "Final draft for HCP Board"),
    ])
    d.heading("Introduction", 1)
    d.para("This document sets out how the East Kent Health and Care Partnership (HCP) will contribute to the "
           "shared outcomes of the Kent and Medway Integrated Care Strategy during 2024–26. Delivery remains "
           "with the sovereign organisations named against each action.")
    d.para("Our priorities for 2024/25 were agreed by the HCP Board in February 2024 and draw on:")
    d.bullet("the East Kent chapter of the joint strategic needs assessment, including coastal communities;")
    d.bullet("feedback from the Integrated Care Partnership shared outcome workshop in October 2023;")
    d.bullet("our HCP-wide programmes for prevention, frailty, mental health and children and young people.")

    header = ["Ref", "Priority", "Key area of joint working", "Lead", "Supporting partners",
              "Delivered through", "Key milestones", "Logframe measure"]

    d.heading("Outcome 1 – Give children and young people the best start in life", 1)
    d.para("Too many children in East Kent start school without a good level of development, and smoking in "
           "pregnancy remains well above the England average in Thanet and Dover.")
    d.heading("Key areas of joint working", 2)
    d.table(header, [
        ["EK-01", "SO1.1",
         "Deliver the tobacco dependency service for pregnant women in all East Kent maternity units, with "
         "carbon monoxide screening at booking",
         "EKHUFT", "KCC; Kent and Medway VCSE Alliance",
         "Local Maternity and Neonatal System Equity Action Plan",
         "Service live at QEQM and WHH – Mar 2025\nReview of quit rates at delivery – Q2 2025/26",
         "LF1.1"],
        ["EK-02", "SO1.2",
         "Expand the Family Hubs offer in Thanet and Dover, bringing health visiting, infant feeding and "
         "perinatal mental health support together",
         "KCC", "KCHFT; EK VCSE Alliance", "",
         "Two further family hubs open – 30/09/2024\nEarly years outcomes reviewed by HCP Board – Mar-25",
         "LF1.4"],
        ["EK-03", "SO1.3",
         ["Work with schools in Thanet and Folkestone and Hythe to implement the whole-school approach to "
          "emotional wellbeing",
          Del(" in primary schools only"),
          Ins(" in primary and secondary schools, alongside Mental Health Support Teams")],
         "KCC", "KMPT; NHS Kent and Medway",
         "Children and Young People's Mental Health Local Transformation Plan",
         "Mental Health Support Teams extended to further schools – Sep 2025",
         "LF1.5"],
    ])

    d.heading("Outcome 3 – Support happy and healthy living for all", 1)
    d.para("Smoking, physical inactivity and suicide rates are all higher in our coastal towns than in the "
           "rest of Kent.")
    d.heading("Key areas of joint working", 2)
    d.table(header, [
        ["EK-04", "SO3.1",
         "Target smoking cessation support at routine and manual workers in coastal communities through the "
         "NHS Tobacco Dependency Programme and community stop smoking services",
         "KCC", "EKHUFT; EK VCSE Alliance", "Kent and Medway Tobacco Control Strategy",
         "Community pharmacy stop smoking offer in Thanet – Q3 2024/25", "LF3.1"],
        ["EK-05", "SO3.4",
         "Deliver the East Kent suicide prevention programme, including real-time surveillance and "
         "bereavement support",
         "KCC", "KMPT; Kent Police", "Kent and Medway Suicide Prevention Strategy",
         "Bereavement support service recommissioned – 31/03/2025", "LF3.5"],
        ["EK-06", "SO3.2",
         ["Promote ", Link("One You Kent", "https://www.kent.gov.uk/oneyoukent"),
          " healthy lifestyle services through primary care networks and East Kent social prescribing teams"],
         "KCC", "KCHFT", "Kent Healthy Weight Strategy",
         "Referral pathway agreed with all East Kent PCNs – Jun 2024", "LF3.2; LF3.7"],
    ])

    d.heading("Outcome 5 – Improve health and care services", 1)
    d.heading("Key areas of joint working", 2)
    d.table(header, [
        ["EK-07", "SO5.2",
         "Reduce avoidable emergency admissions through the East Kent frailty virtual ward and urgent "
         "community response",
         "KCHFT", "EKHUFT; SECAmb; KCC", "Kent and Medway Urgent and Emergency Care Plan",
         "Frailty virtual ward at full capacity – Dec 2024\n"
         "Urgent community response available seven days a week – 2025/26",
         "LF5.7"],
        ["EK-08", "SO5.1",
         "Improve same-day access to primary care by developing integrated neighbourhood teams in each "
         "primary care network",
         "NHS Kent and Medway", "KCHFT; EK VCSE Alliance", "Kent and Medway Primary Care Strategy",
         "Integrated neighbourhood teams in all PCNs – Mar 2026", "LF5.1"],
        ["", "", "", "", "", "", "", ""],
    ])

    d.heading("Appendix: contacts", 1)
    d.para("For queries about this contribution please contact:")
    d.bullet("Sarah Whitfield, Head of Partnership Development – sarah.whitfield@nhs.net")
    d.bullet("East Kent HCP programme office – kmicb.ekhcp@nhs.net")
    d.save(out / "hcp" / "east-kent.docx")


def west_kent(out: Path):
    d = WordDoc(title="West Kent HCP priorities 2024/25", author="Priya Raman")
    d.title("West Kent Health and Care Partnership")
    d.kv("Organisation", "West Kent Health and Care Partnership")
    d.kv("Contact", "Dr Priya Raman, Clinical Chair")
    d.kv("Date", "22 March 2024")
    d.kv("Version", "0.4 (draft)")
    d.para("West Kent HCP’s priorities for 2024/25 were co-produced with the West Kent VCSE Alliance and the "
           "four district and borough councils. Headline commitments:")
    d.bullet("a single frailty pathway across Maidstone, Tonbridge and Malling, Tunbridge Wells and Sevenoaks;")
    d.bullet("closing the gap in hypertension detection in our most deprived neighbourhoods.")

    d.heading("Shared Outcome Three", 1)
    d.para("Healthy weight, alcohol harm and physical inactivity are the biggest lifestyle risks identified "
           "by our population health management work.")
    d.numbered("Roll out the West Kent healthy weight programme for families, linking weight management "
               "services with leisure providers (Lead: KCC; Partners: Tonbridge and Malling Borough Council, "
               "Tunbridge Wells Borough Council, Sevenoaks District Council; Plan: Kent Healthy Weight Strategy; "
               "Measures: LF1.2, LF3.2)")
    d.bullet("Family weight management contract awarded – July 2024", style=L2)
    d.bullet("First cohort completes programme – Q4 2024/25", style=L2)
    d.numbered("Establish alcohol care teams at Maidstone and Tunbridge Wells hospitals (Lead: MTW; "
               "Partners: KCC, KMPT; Plan: KDAS; Measure: LF3.3)")
    d.bullet("Alcohol care team recruited at Maidstone Hospital – 30/09/2024", style=L2)
    d.bullet("Second team operational at Tunbridge Wells Hospital – Q1 2025/26", style=L2)

    d.heading("Outcome 4 – Empower people to best manage their health conditions", 1)
    d.heading("Key areas of joint working", 2)
    d.bullet("Close the gap in hypertension detection through blood pressure checks in pharmacies, workplaces "
             "and community venues in our most deprived neighbourhoods (Lead: NHS Kent and Medway; Partners: "
             "KCC, WK VCSE Alliance; Plan: Kent and Medway Primary Care Strategy; Measures: LF4.1, LF4.2; "
             "By: March 2026)")
    d.bullet("Extend social prescribing link workers into hospital discharge teams (Lead: West Kent HCP; "
             "Partners: MTW, WK VCSE Alliance; Measure: LF4.5)")
    d.bullet("Link workers in place at Maidstone Hospital – end of March 2025", style=L2)

    d.heading("Conditions for successful delivery", 1)
    d.para("Delivery depends on strong partnerships with our district and borough councils and the "
           "voluntary sector.")
    d.heading("Partnership working", 2)
    d.bullet("Agree a West Kent partnership memorandum of understanding setting out shared governance with the "
             "district health alliances (Lead: West Kent HCP; Partners: Maidstone Borough Council, Tonbridge "
             "and Malling Borough Council, Tunbridge Wells Borough Council, Sevenoaks District Council; "
             "By: Q2 2024/25)")
    d.save(out / "hcp" / "west-kent.docx")


def dgs(out: Path):
    d = WordDoc(title="DGS HCP submission to the Shared Delivery Plan", author="Mark Osei")
    d.title("Dartford, Gravesham and Swanley HCP – Shared Delivery Plan submission")
    d.meta_table([
        ("Lead organisation", "Dartford, Gravesham and Swanley HCP"),
        ("Contact", "Mark Osei, HCP Director"),
        ("Date", "08/04/2024"),
        ("Version", "2"),
    ])
    d.para("This submission summarises the actions agreed by the DGS HCP Board for 2024/25. Actions are "
           "listed by shared outcome; numbering follows our HCP delivery plan.")

    d.heading("Outcome 2", 1)
    d.para("Cost of living pressures and poor-quality private rented housing are driving ill health across "
           "Dartford, Gravesham and Swanley.")
    d.table(
        ["Action", "No.", "Owner", "Partners", "Timescale", "Measures", "Milestones", "Funding"],
        [
            ["Deliver a cost of living support hub in Gravesend and Swanley, offering debt advice, benefits "
             "checks and warm spaces",
             "1", "Gravesham Borough Council",
             BR(("Sevenoaks District Council", "DGS VCSE Alliance", "KCC")),
             "2024–26", "LF2.1",
             "Hub opens in Gravesend – Jun 2024\nWeekly outreach sessions in Swanley – Sep 2024",
             "Household Support Fund"],
            ["Work with private landlords to improve damp and mould in private rented homes, prioritising "
             "families with children with respiratory conditions",
             "2", "Dartford Borough Council", "Gravesham Borough Council; Dartford and Gravesham NHS Trust",
             "2024/25", "LF2.2", "Landlord forum established – 30/06/2024", ""],
            ["Provide targeted home energy advice and referrals to retrofit schemes for households in fuel "
             "poverty",
             "3", None, "KHG", "2024–26", "LF2.2", "", "ECO4 Flex"],
        ],
        title="DGS HCP – key areas of joint working 2024/25",
        vmerge=[(1, 2, 2)],
    )

    d.heading("Outcome 5", 1)
    d.table(
        ["No.", "Activity", "Priority", "Responsible", "Delivered with", "Key milestones", "KPI", "Status"],
        [
            ["4", "Reduce discharge delays at Darent Valley Hospital through a single transfer of care hub",
             "SO5.5", "Dartford and Gravesham NHS Trust",
             "KCC; KCHFT; Dartford, Gravesham and Swanley VCSE Alliance",
             "Transfer of care hub live – Oct 2024\nFewer patients with no criteria to reside – Q4 2024/25",
             "LF5.6", "On track"],
            ["5", "Improve the physical health of people with severe mental illness through annual health "
                  "checks in GP practices",
             "SO5.4", "", "KMPT\nDGS VCSE Alliance",
             "Annual health check uptake target met – 31/03/2026", "LF5.5", "Not started"],
        ],
    )
    d.save(out / "hcp" / "dgs.docx")


def medway_swale(out: Path):
    d = WordDoc(title="M&S HCP SDP return", author="Medway and Swale HCP programme team")
    d.kv("Partner", "Medway and Swale HCP")
    d.kv("Contact", "Medway and Swale HCP programme team")
    d.kv("Status", "Draft v0.2")
    d.para("Medway and Swale HCP has agreed three system priorities for 2024/25: tobacco, healthy weight and "
           "flow through our urgent care pathways.")

    d.bold_heading("Support healthy and happy living for all")
    d.para("Smoking prevalence in Medway and Swale is the highest in Kent and Medway, and adult obesity "
           "continues to rise.")
    d.table(
        ["What we will do", "Lead partner", "Contributing partners", "Strategy / plan", "Milestone / date",
         "How we will measure impact"],
        [
            ["Deliver the stop smoking offer in acute and mental health inpatient settings across Medway and "
             "Swale",
             "Medway NHS Foundation Trust", "Medway Council; KMPT", "Kent and Medway Tobacco Control Strategy",
             "Inpatient tobacco dependency service at Medway Maritime Hospital – Apr 2024", "LF3.1"],
            ["Launch a Swale community wellbeing programme tackling loneliness among older people, using "
             "village agents and befriending",
             "Swale Borough Council", "M&S VCSE Alliance; KCC", "",
             "Village agents recruited – Q3 2024/25", "LF3.6"],
            ["Expand the Medway healthy weight service for adults and families",
             "Medway Council", "MCH", "JHWS", "Service retendered – 2025/26", "LF3.2"],
        ],
        block_sdt="Actions – Outcome 3",
        cell_sdt=[(2, 1)],
    )

    d.bold_heading("Shared outcome 5")
    d.para("Flow through Medway Maritime Hospital remains the HCP’s most pressing service challenge.")
    d.list_item("Reduce ambulance handover delays at Medway Maritime Hospital – Lead: Medway NHS Foundation "
                "Trust; Partners: SECAmb; Plan: Kent and Medway Urgent and Emergency Care Plan; Measure: LF5.2; "
                "By: Mar 2025")
    d.list_item("Open a ", SdtRun("mental health crisis café", tag="service"),
                " in Sittingbourne – Lead: KMPT; Partners: Swale Borough Council, M&S VCSE Alliance; "
                "Measure: LF5.5")
    d.save(out / "hcp" / "medway-swale.docx")


def canterbury(out: Path):
    # Identified only by its core properties (title, and the company in app.xml):
    # no metadata block, and a file name that names nobody.
    d = WordDoc(title="Canterbury City Council – health and wellbeing contribution to the Shared Delivery Plan",
                author="Health Improvement Team", company="Canterbury City Council")
    d.title("Health and wellbeing priorities for our district 2024–26")
    d.para("These priorities were agreed by the district health alliance in March 2024. They build on the "
           "district’s housing and community safety plans and will be reviewed annually.")
    header = ["#", "Action", "Lead", "Partners", "Plan", "Due", "Indicator"]
    d.heading("Tackle the wider determinants of health", 1)
    d.table(header, [
        ["CCC 1",
         "Deliver the Canterbury homelessness prevention and rough sleeping programme, including a hospital "
         "discharge pathway for people with no fixed abode",
         "Canterbury City Council", "KHG; EKHUFT", "Kent and Medway Housing Strategy", "2024/25", "LF2.3"],
        ["CCC 2",
         "Support residents into work through the Canterbury and Whitstable employment hub, with targeted "
         "help for adults with learning disabilities",
         "Canterbury City Council", "KCC; Kent Invicta Chamber of Commerce", "Kent and Medway Economic Strategy",
         "2024–26", "LF2.4\nLF2.6"],
    ])
    d.heading("Support happy and healthy living", 1)
    d.table(header, [
        ["CCC 3",
         "Increase physical activity in the least active wards through free ‘Active Canterbury’ sessions in "
         "parks and community centres",
         "Canterbury City Council", "KCC", "Kent Healthy Weight Strategy", "April 2024 – March 2026", "LF3.2"],
    ])
    d.save(out / "districts" / "health-and-wellbeing-plan-2024-26.docx")


def tunbridge_wells(out: Path):
    # Identified only by its file name: no metadata block, neutral core properties.
    d = WordDoc(title="Health and wellbeing priorities 2024-26", author="Policy and Partnerships Team")
    d.heading("Our health and wellbeing priorities", 1)
    d.para("The borough’s health and wellbeing board agreed these priorities in February 2024. They are "
           "grouped below by the shared outcome they support.")
    d.bullet("They reflect the borough’s ageing population and rural isolation;")
    d.bullet("they build on work already under way with housing associations.")

    d.heading("SO2 – Tackle the wider determinants to prevent ill health", 2)
    d.bullet("Bring empty homes back into use and increase the supply of affordable housing in Tunbridge Wells "
             "(Lead: Tunbridge Wells Borough Council; Partners: KHG; Plan: Kent and Medway Housing Strategy; "
             "Measure: LF2.3; By: 31/03/2026)")
    d.bullet("Support households in fuel poverty through the Warm Homes scheme and the Household Support Fund "
             "(Lead: Tunbridge Wells Borough Council; Partners: KCC; Plan: Kent and Medway Warm Homes Plan; "
             "Measure: LF2.2)")
    d.bullet("Warm Homes scheme open for applications – Oct 2024", style=L2)
    d.bullet("Scheme evaluation reported to the health alliance – 2025/26", style=L2)

    d.heading("SO3", 2)
    d.bullet("Deliver a dementia-friendly and loneliness reduction programme in Tunbridge Wells town centre "
             "( Lead: Tunbridge Wells Borough Council; Partners: WK VCSE Alliance; Measure: LF3.6; "
             "Timescale: 2024–26 )")

    d.heading("Contacts", 2)
    d.para("Health and Wellbeing Lead, Policy and Partnerships Team")
    d.bullet("healthandwellbeing@tunbridgewells.gov.uk")
    d.bullet("01892 526121")
    d.save(out / "districts" / "tunbridge-wells-borough-council.docx")


def swale(out: Path):
    d = WordDoc(title="Swale health and wellbeing actions", author="Community Services")
    d.title("Health and wellbeing actions 2024–26")
    d.kv("Submitted by", "Swale Borough Council")
    d.kv("Contact", "Community Services Manager")
    d.kv("Date", "02/04/2024")
    d.para("Swale’s health inequalities are concentrated in Sheerness, Sittingbourne and the Isle of Sheppey. "
           "Our contribution focuses on housing and community safety.")
    d.heading("Tackle the wider determinants to prevent ill-health", 1)
    d.table(
        ["Ref", "Commitment", "Lead organisation", "Partners involved", "Related strategy", "Target date",
         "Logframe indicator", "Area"],
        [
            ["SW-01",
             "Deliver the Sheerness and Sittingbourne healthy homes project, tackling damp, cold and "
             "overcrowding in private rented housing",
             "Swale Borough Council", "Medway and Swale HCP; KHG", "Swale Health Inequalities Action Plan",
             "March 2025", "LF2.2", "Swale"],
            ["SW-02",
             "Tackle anti-social behaviour and serious violence in Sheerness town centre through the "
             "Community Safety Partnership",
             "Kent Police", "Swale Borough Council; OPCC", "Police and Crime Plan", "2024/25", "LF2.5",
             "Swale"],
        ],
    )
    d.save(out / "districts" / "swale.docx")


def kcc_public_health(out: Path):
    d = WordDoc(title="KCC Public Health – SDP contribution v3", author="Health Improvement Team",
                last_modified_by="Consultant in Public Health")
    d.title("Kent County Council Public Health – Shared Delivery Plan contribution")
    d.meta_table([
        ("Submitted by", "Kent County Council Public Health"),
        ("Contact", "Consultant in Public Health, Health Improvement"),
        ("Date", "28/03/2024"),
        ("Version", "3.0"),
    ])
    d.para("Public Health commissions and leads a range of prevention programmes that deliver the shared "
           "outcomes. The strategies below are the main vehicles for delivery; the actions that follow are "
           "the key areas of joint working for 2024–26.")
    d.heading("Strategies and plans we lead", 2)
    d.table(
        ["Strategy", "Lead", "Status", "Period", "Link"],
        [
            ["Kent Drug and Alcohol Strategy (KDAS)", "KCC", "Published", "2023–2028",
             [Link("kent.gov.uk/drugandalcoholstrategy", "https://www.kent.gov.uk/drugandalcoholstrategy")]],
            ["Kent and Medway Suicide Prevention Strategy", "KCC", "Published", "2021–2025",
             "kent.gov.uk/suicideprevention"],
            ["Kent and Medway Tobacco Control Strategy", "KCC", "In development", "2024–2029", ""],
            ["Kent Healthy Weight Strategy", "KCC", "In development", "2024–2027", ""],
        ],
    )

    d.heading("SO1 – Best start in life", 1)
    d.bullet("Recommission the 0–19 public health service (health visiting and school nursing) with a stronger "
             "focus on school readiness and healthy weight (Lead: KCC; Partners: KCHFT; Measures: LF1.2, "
             "LF1.3, LF1.4; By: 01/10/2025)")
    d.bullet("Increase uptake of Healthy Start vitamins and breastfeeding support in the most deprived areas "
             "(Lead: KCC; Partners: NHS Kent and Medway, KCHFT; Plan: Local Maternity and Neonatal System "
             "Equity Action Plan)")
    d.bullet("Breastfeeding peer support extended to all Family Hubs – 2024/25", style=L2)

    d.heading("SO3", 1)
    d.para("Drug and alcohol harm, suicide and smoking account for much of the gap in life expectancy "
           "between the most and least deprived parts of Kent.")
    d.heading("Key areas of joint working", 2)
    d.bullet("Reduce drug and alcohol related deaths by expanding naloxone provision and improving continuity "
             "of care from prison to community treatment (Lead: KCC; Partners: Medway Council, KHG; Plan: Kent "
             "Drug and Alcohol Strategy; Measure: LF3.4; By: March 2025)")
    d.bullet("Deliver the Kent and Medway suicide prevention programme, including training for frontline staff "
             "and support for people bereaved by suicide (Lead: KCC; Partners: Medway Council, KMPT, Kent "
             "Police; Plan: Kent and Medway Suicide Prevention Strategy; Measure: LF3.5)")
    d.bullet("Suicide prevention training offered to all frontline staff – 2025/26", style=L2)
    d.bullet("Pilot a targeted lung health and smoking cessation offer for people with serious mental illness "
             "(Lead: KCC; Partners: KMPT; Plan: Kent and Medway Tobacco Control Strategy; Measures: LF3.1, "
             "LF3.9; By: Q3 2025/26)")

    d.heading("SO4", 1)
    d.bullet("Deliver NHS Health Checks through community outreach in areas of highest CVD prevalence – "
             "Lead: KCC; Partners: NHS Kent and Medway; Measure: LF4.2; By: Q4 2025/26")

    d.heading("Contacts", 1)
    d.para("Public Health Health Improvement Team – publichealth@kent.gov.uk")
    d.save(out / "kcc" / "public-health.docx")


def kcc_asch(out: Path):
    d = WordDoc(title="ASCH contribution to the Shared Delivery Plan", author="ASCH Strategy Team")
    d.title("Adult Social Care and Health – contribution to the Shared Delivery Plan 2024–26")
    d.meta_table([
        ("Organisation", "KCC Adult Social Care and Health"),
        ("Contact", "Director of Adult Social Care"),
        ("Date", "03/04/2024"),
        ("Status", "Approved by ASCH DMT"),
    ])
    d.para("This contribution is drawn from the directorate business plan. Actions are owned by the named "
           "lead organisation and monitored through the directorate’s own governance.")
    header = ["Ref", "Priority", "Action", "Lead", "Partners", "Strategy", "Milestones", "Measures", "Status"]

    d.heading("Outcome 4 – Empower people to best manage their health conditions", 1)
    d.table(header, [
        ["ASC-01", "SO4.3",
         "Refresh the carers' support offer, including carers' assessments and short breaks, with a single "
         "front door for unpaid carers",
         "KCC", "NHS Kent and Medway; Kent and Medway VCSE Alliance", "Kent and Medway Carers Strategy",
         "New carers' support contracts start – 01/04/2025", "LF4.6", "Delayed – procurement extended to June 2025"],
        ["ASC-02", "SO4.2",
         "Expand technology enabled care and direct payments so people can manage their own care and support",
         "KCC", "NHS Kent and Medway", "Kent Adult Social Care Strategy",
         "Technology enabled care service extended countywide – Dec 2024", "LF4.7", "Complete"],
        ["ASC-03", "",
         "Deliver a countywide falls prevention pathway with strength and balance classes and a community "
         "falls response",
         "KCHFT", "KCC; SECAmb", "Kent Adult Social Care Strategy",
         "Falls response service in all HCPs – Q2 2025/26", "LF4.4", "On track"],
    ])

    d.heading("Outcome 5 – Improve health and care services", 1)
    d.table(header, [
        ["ASC-04", "SO5.5",
         "Increase reablement capacity and home-first discharge so more older people remain at home 91 days "
         "after leaving hospital",
         "KCC", "NHS Kent and Medway; KCHFT; Medway Council", "Kent and Medway Urgent and Emergency Care Plan",
         "Reablement capacity increase in place – Mar 2025", "LF5.6", "Completed March 2025"],
    ])

    d.heading("Outcome 6 – Support and grow our workforce", 1)
    d.para("Adult social care vacancy rates in Kent remain above the regional average.")
    d.table(header, [
        ["ASC-05", "SO6.1",
         "Deliver the adult social care recruitment and retention campaign, including international "
         "recruitment support for care providers",
         "KCC", "NHS Kent and Medway", "Kent and Medway People Strategy", "Campaign launched – Sep 2024",
         "LF6.4", "Complete"],
    ])

    d.heading("Conditions for successful delivery", 1)
    d.heading("Joint commissioning", 2)
    d.table(header, [
        ["ASC-06", "",
         "Develop a joint commissioning framework for community-based care",
         "KCC", "NHS Kent and Medway", "",
         "Framework agreed by the Health and Wellbeing Board – 2025/26", "", "Not started"],
    ])
    d.save(out / "kcc" / "adult-social-care.docx")


def khg(out: Path):
    d = WordDoc(title="Kent Housing Group SDP contribution", author="KHG Health and Housing Sub-group")
    d.title("Kent Housing Group – Shared Delivery Plan contribution")
    d.meta_table([
        ("Partner", "Kent Housing Group"),
        ("Contact", "KHG Health and Housing Sub-group"),
        ("Date", "12/03/2024"),
        ("Version", "1.0"),
    ])
    d.para("Kent Housing Group brings together the district and borough councils, Medway Council and housing "
           "associations. Our contribution is delivered through the strategies below.")
    d.table(
        ["Strategy or plan", "Owner", "Status", "Period"],
        [
            ["Kent and Medway Housing Strategy", "Kent Housing Group", "Refresh due", "2020–2025"],
            ["Kent and Medway Warm Homes Plan", "Kent Housing Group", "In development", "2024–2026"],
        ],
    )
    d.heading("Tackle the wider determinants to prevent ill health", 1)
    d.para("Good housing is fundamental to health: cold, damp and insecure homes drive admissions, and "
           "homelessness shortens lives.")
    d.table(
        ["ID", "Action", "Lead", "Partners", "Strategy", "Milestones", "Indicator", "Risks"],
        [
            ["H1",
             "Reduce homelessness through a countywide homelessness prevention protocol with hospitals and "
             "mental health services",
             "KHG", "KCC; NHS Kent and Medway; KMPT", "Kent and Medway Housing Strategy",
             "Protocol signed by all district councils and Medway – 30/09/2024", "LF2.3",
             "Capacity in district housing teams"],
            ["H2",
             "Improve the energy efficiency of social housing through the Social Housing Decarbonisation "
             "Fund, targeting households in fuel poverty",
             "KHG", "Kent County Council\nMedway Council", "Kent and Medway Warm Homes Plan",
             "Retrofit programme complete – Mar 2026", "LF2.2", "Supply chain capacity"],
            ["H3",
             "Develop a supported housing pathway for people leaving hospital or prison with nowhere safe to go",
             "KHG", "OPCC; KCC; Medway Council", "Kent and Medway Housing Strategy",
             "Pathway agreed – Q1 2025/26", "LF2.3", ""],
        ],
        repeat_header_before=2,
    )
    d.save(out / "partners" / "kent-housing-group.docx")


def vcse(out: Path):
    d = WordDoc(title="VCSE Alliance contribution", author="Alliance coordinator")
    d.meta_table([
        ("Submitting organisation", "Kent & Medway VCSE Alliance"),
        ("Contact", "Alliance coordinator"),
        ("Date", "20/03/2024"),
    ])
    d.para("The VCSE Alliance brings together the four HCP voluntary sector alliances. Our members include:")
    d.list_item("local charities and community groups working in every district;")
    d.list_item("carers’ organisations, befriending services and social enterprises.")

    d.bold_heading("Happy and healthy living")
    d.list_item("Expand befriending and community connector services for people at risk of loneliness "
                "(Lead: Kent and Medway VCSE Alliance; Partners: KCC, Medway Council; Measure: LF3.6; "
                "By: Q4 2024/25; Status: complete)")

    d.bold_heading("Outcome 4: Empower people to best manage their health conditions")
    d.list_item("Grow social prescribing referrals from GP practices into VCSE-run community activities, with "
                "shared referral tools across all four HCPs (Lead: Kent and Medway VCSE Alliance; Partners: NHS "
                "Kent and Medway, KCC; Measure: LF4.5)")
    d.list_item("Shared referral platform live in two HCPs – Sep 2024", level=1)
    d.list_item("Platform live in all HCPs – Q2 2025/26", level=1)
    d.list_item("Provide a carers’ peer support network run by local carers’ organisations (Lead: Kent and "
                "Medway VCSE Alliance; Partners: KCC; Measure: LF4.6; Timescale: 2024–26)")

    d.bold_heading("Engagement with communities")
    d.list_item("Run community conversations in the most deprived neighbourhoods to shape HCP priorities "
                "(Lead: Kent and Medway VCSE Alliance; Partners: East Kent HCP, West Kent HCP, Medway and Swale "
                "HCP, DGS HCP; By: Dec 2024; Status: Done)")
    d.save(out / "partners" / "vcse-alliance.docx")


def opcc(out: Path):
    d = WordDoc(title="OPCC contribution to the SDP", author="Head of Partnerships and Commissioning")
    d.title("Office of the Police and Crime Commissioner")
    d.kv("Organisation", "Office of the Police and Crime Commissioner")
    d.kv("Contact", "Head of Partnerships and Commissioning")
    d.kv("Date", "19/03/2024")
    d.kv("Version", "Final")
    d.para("The Police and Crime Commissioner’s contribution focuses on violence reduction, domestic abuse and "
           "the links between drugs and crime.")
    d.heading("Shared Outcome 2: Tackle the wider determinants to prevent ill health", 1)
    d.heading("Our commitments", 2)
    d.table(
        ["Ref", "Deliverable", "Lead", "Delivered with", "Signposted plan", "By when", "Measure", "Priority",
         "Progress"],
        [
            ["PCC-01",
             "Commission the Kent and Medway Violence Reduction Unit to refresh the serious violence needs "
             "assessment and response strategy",
             "OPCC", "Kent Police; KCC; Medway Council\nKent Fire and Rescue Service", "Police and Crime Plan",
             "Response strategy refreshed – 31/01/2025", "LF2.5", "SO2.4", "Complete"],
            ["PCC-02",
             "Fund domestic abuse advocacy and support services, including independent domestic violence "
             "advisers based in hospitals",
             "OPCC", "KCC\nMedway Council\nEKHUFT", "Kent and Medway Domestic Abuse Strategy",
             "Hospital IDVA service at all acute sites – Q1 2025/26", "LF2.5", "SO2.4", "On track"],
        ],
    )
    d.para("In addition, with Kent Police we will:")
    d.numbered("Deliver a combined policing and treatment approach to drug-related offending in Thanet and "
               "Medway (Lead: Kent Police; Partners: KCC, Medway Council; Plan: KDAS; Measure: LF3.4; "
               "Status: delayed)")
    d.bullet("Joint drug market profile agreed – Mar-25", style=L2)
    d.heading("Appendix: glossary", 1)
    d.bullet("IDVA – independent domestic violence adviser")
    d.bullet("VRU – Violence Reduction Unit")
    d.save(out / "partners" / "opcc.docx")


def kicc(out: Path):
    d = WordDoc(title="Kent Invicta Chamber of Commerce – business contribution", author="Policy and Skills Director")
    d.title("Kent Invicta Chamber of Commerce – business contribution")
    d.meta_table([
        ("Organisation name", "Kent Invicta Chamber of Commerce"),
        ("Contact", "Policy and Skills Director"),
        ("Date", "05/04/2024"),
    ])
    d.para("Businesses are among the largest influences on health through the jobs, pay and working "
           "conditions they offer. The Chamber leads the Local Skills Improvement Plan for Kent and Medway.")
    header = ["Ref", "Priority", "Action", "Lead", "Partners", "Strategy", "Milestones", "Measure"]
    d.heading("Wider determinants", 1)
    d.table(header, [
        ["KICC-01", "SO2.3",
         "Through the Local Skills Improvement Plan, work with employers and colleges to create routes into "
         "good work for people with long-term health conditions and disabilities",
         "Kent Invicta Chamber of Commerce", "KCC; Kent and Medway Economic Partnership", "LSIP",
         "Employer health and work pledge launched – Nov 2024", "LF2.6"],
        ["KICC-02", "",
         "Promote workplace health through a healthy workplace charter, including blood pressure checks and "
         "mental health first aid for small businesses",
         "Kent Invicta Chamber of Commerce", "FSB; KCC", "KMES",
         "First employers signed up to the charter – 2025/26", "LF4.1"],
    ])
    d.heading("Outcome 6: Support and grow our workforce", 1)
    d.table(header, [
        ["KICC-03", "SO6.2",
         "Develop health and care career pathways with employers and further education colleges, including "
         "T Levels and apprenticeships",
         "NHS Kent and Medway", "Kent Invicta Chamber of Commerce; KCC", "Kent and Medway People Strategy",
         "Health and care careers fair in each HCP – Mar 2025", "LF6.5; LF6.1"],
    ])
    d.save(out / "partners" / "kent-invicta-chamber.docx")


def introduction(out: Path):
    """The plan's narrative front matter: no partner, no actions; copied into the plan document."""
    d = WordDoc(title="Shared Delivery Plan 2024–26: introduction", author="ICS Strategy Team")
    d.heading("Introduction", 1)
    d.para("This Shared Delivery Plan sets out how partners across Kent and Medway will deliver the six shared "
           "outcomes of the Integrated Care Strategy over 2024 to 2026. It is also the NHS Joint Forward Plan "
           "and the delivery plan of Kent's Joint Local Health and Wellbeing Strategy.")
    d.para("Partners take collective responsibility for delivering the actions in this plan, and will use its "
           "outcomes and milestones to control progress. Delivery and its ownership sit with sovereign "
           "organisations: the plan is a composite of actions owned by partners across the system.")
    d.heading("How to read this plan", 2)
    d.para("Each chapter covers one shared outcome: the key areas of joint working, the strategies and plans "
           "that deliver it and who leads them, how impact will be measured through the logframe, and the "
           "milestones in date order. The plan sits alongside partners' own strategies and signposts them.")
    d.save(out / "narrative" / "introduction.docx")


# ==========================================================================
# Excel workbooks
# ==========================================================================

PCT = "0.0%"
THOUSANDS = "#,##0"
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def _props(wb: Workbook, *, title: str, creator: str):
    p = wb.properties
    p.title = title
    p.creator = creator
    p.lastModifiedBy = creator
    p.created = CREATED
    p.modified = MODIFIED


def _save_xlsx(wb: Workbook, path: Path, patches=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    if patches:
        patch_zip(path, patches)
    make_deterministic(path)


def _header(ws, row: int, values):
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        c = ws.cell(row=row, column=col, value=value)
        c.font = BOLD
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")


# ---- logframe -------------------------------------------------------------

OUTCOME_TITLES = {
    1: "Give children and young people the best start in life",
    2: "Tackle the wider determinants to prevent ill health",
    3: "Support happy and healthy living for all",
    4: "Empower people to best manage their health conditions",
    5: "Improve health and care services",
    6: "Support and grow our workforce",
}

TREND_PERIODS = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
TARGET_PERIODS = ["2024/25", "2025/26"]

# Each indicator row:
# (id, name, definition, unit, polarity, baseline_value, baseline_period, trend[5], targets[2],
#  source, frequency, owner, status, rationale)
# A value written as a Python float in a "%" sheet is stored %-formatted (0.623 shows 62.3%).
LOGFRAME = {
    1: [
        ("LF1.1", "Smoking status at time of delivery",
         "Maternities where the mother is a known smoker at the time of delivery, as a % of all maternities",
         "%", "Lower", 0.114, "2022/23", [0.131, 0.125, 0.119, 0.114, None], [0.105, 0.095],
         "NHS England – Smoking status at time of delivery (SATOD)", "Quarterly", "NHS Kent and Medway",
         "Agreed", "Trajectory towards the national ambition of 6% or less"),
        ("LF1.2", "Reception: prevalence of healthy weight",
         "Children in Reception (age 4-5) classified as healthy weight, % of children measured",
         "%", "Higher", 0.771, "2022/23", [0.768, "*", 0.752, 0.771, None], [0.775, 0.78],
         "National Child Measurement Programme (NCMP)", "Annual", "KCC Public Health", "Agreed",
         "2020/21 not published for Kent: measurement paused during the pandemic"),
        ("LF1.3", "Year 6: prevalence of healthy weight",
         "Children in Year 6 (age 10-11) classified as healthy weight, % of children measured",
         "%", "Higher", 0.623, "2022/23", [0.635, "*", 0.598, 0.623, None], [0.63, 0.645],
         "National Child Measurement Programme (NCMP)", "Annual", "KCC Public Health", "Agreed",
         "Ambition is to reverse recent increases in obesity and return to pre-pandemic levels"),
        ("LF1.4", "School readiness: good level of development at the end of Reception",
         "Children achieving a good level of development at the end of the EYFS, % of all children",
         "%", "Higher", 0.672, "2022/23", ["n/a", "n/a", 0.655, 0.672, None], [0.68, 0.69],
         "DfE Early years foundation stage profile", "Annual", "KCC Children, Young People and Education",
         "Agreed", "Profile not collected in 2019/20 or 2020/21"),
        ("LF1.5", "Hospital admissions as a result of self-harm (10-24 years)",
         "Emergency admissions for intentional self-harm, directly standardised rate per 100,000 aged 10-24",
         "rate per 100,000", "Lower", 498.2, "2022/23", [512.4, 468.0, 530.1, 498.2, None], [480, 465],
         "OHID Fingertips – Child and maternal health profile", "Annual", "KCC Public Health", "Agreed", ""),
        ("LF1.6", "Education, health and care plans issued within 20 weeks",
         "New EHC plans issued within 20 weeks, excluding exception cases, % of all new plans",
         "%", "Higher", 0.395, "2022/23", [0.52, 0.47, 0.41, 0.395, None], [0.5, 0.6],
         "DfE SEN2 return", "Annual", "KCC Children, Young People and Education", "Agreed", ""),
        ("LF1.7", "Children subject to a child protection plan",
         "Children subject to a child protection plan at 31 March, rate per 10,000 children under 18",
         "rate per 10,000", "n/a", 38.2, "2022/23", [41.0, 39.5, 37.9, 38.2, None], [None, None],
         "DfE Characteristics of children in need", "Annual", "KCC Children, Young People and Education",
         "In development", "No target: a fall is not necessarily an improvement"),
    ],
    2: [
        ("LF2.1", "Children in absolute low income families (under 16s)",
         "Children under 16 living in absolute low income families before housing costs, %",
         "%", "Lower", "15.8%", "2022/23", ["13.9%", "12.7%", "14.6%", "15.8%", None], ["15.0%", "14.0%"],
         "DWP Children in low income families", "Annual", "KCC Public Health", "Agreed", ""),
        ("LF2.2", "Households in fuel poverty",
         "Households in fuel poverty under the low income low energy efficiency (LILEE) measure, %",
         "%", "Lower", "11.9%", 2022, [None, None, None, None, None], ["11.5%", "11.0%"],
         "DESNZ Sub-regional fuel poverty statistics", "Annual", "Kent Housing Group", "Agreed",
         "Calendar-year statistics"),
        ("LF2.3", "Homelessness acceptances",
         "Households owed a prevention or relief duty under the Homelessness Reduction Act, rate per 1,000 "
         "households",
         "rate per 1,000 households", "Lower", "12.5 per 1,000", "2022/23", [11.2, 10.8, 11.9, 12.5, None],
         [12.3, 12.0], "DLUHC Homelessness statistics (H-CLIC)", "Quarterly", "Kent Housing Group",
         "Awaiting sign-off by Kent Housing Group", "Definition to be confirmed by the KHG board"),
        ("LF2.4", "Adults with a learning disability in paid employment",
         "Adults with a learning disability known to social services who are in paid employment, %",
         "%", "Higher", "5.1% (2022/23)", None, ["5.6%", "4.9%", "4.8%", "5.1%", None], ["5.5%", "6.0%"],
         "NHS England ASCOF 1E", "Annual", "KCC Adult Social Care and Health", "Agreed", ""),
        ("LF2.5", "Hospital admissions for violence (including sexual violence)",
         "Emergency admissions for violence, directly standardised rate per 100,000",
         "rate per 100,000", "Lower", "31.4", "2022/23", ["..", "35.2", "29.8", "31.4", None], ["30.0", "28.5"],
         "OHID Fingertips – Public health outcomes framework", "Annual",
         "Office of the Police and Crime Commissioner", "Agreed", ""),
        ("LF2.6", "Employment rate, people aged 16-64",
         "People aged 16-64 in employment, % of the population aged 16-64",
         "%", "Higher", "75.6%", "2023", [None, None, None, None, None], ["76.0%", "76.5%"],
         "ONS Annual Population Survey", "Annual", "Kent and Medway Economic Partnership", "Agreed", ""),
        ("LF2.7", "Mortality attributable to particulate air pollution",
         "Fraction of adult mortality attributable to particulate air pollution (PM2.5), %",
         "%", "Lower", "5.6%", "2022", [None, None, None, None, None], ["5.4%", "5.2%"],
         "OHID Fingertips – Public health outcomes framework", "Annual",
         "KCC Growth, Environment and Transport", "Agreed", ""),
    ],
    3: [
        ("LF3.1", "Smoking prevalence in adults (18+)",
         "Adults aged 18+ who currently smoke, % (Annual Population Survey)",
         "%", "Lower", 13.2, 2022, [None, None, None, None, None], [12.0, 11.0],
         "ONS Annual Population Survey", "Annual", "KCC Public Health", "Agreed", ""),
        ("LF3.2", "Physically active adults",
         "Adults doing at least 150 moderate intensity equivalent minutes of physical activity a week, %",
         "%", "Higher", 66.8, "2021/22", [65.9, 63.1, 66.8, "..", None], [67.5, 68.5],
         "Sport England Active Lives Adult Survey", "Annual", "KCC Public Health", "Agreed", ""),
        ("LF3.3", "Admission episodes for alcohol-specific conditions",
         "Admission episodes for alcohol-specific conditions, directly standardised rate per 100,000",
         "rate per 100,000", "Lower", 412, "2022/23", [455, 402, 420, 412, None], [400, 390],
         "OHID Local Alcohol Profiles for England", "Annual", "KCC Public Health", "Agreed", ""),
        ("LF3.4", "Successful completion of drug treatment: opiate users",
         "Opiate users who left treatment successfully and did not re-present within 6 months, % of all in "
         "treatment",
         "%", "Higher", 5.2, "2022/23", [5.9, 5.5, 5.0, 5.2, None], [5.8, 6.5],
         "National Drug Treatment Monitoring System (NDTMS)", "Quarterly", "KCC Public Health", "Agreed", ""),
        ("LF3.5", "Suicide rate",
         "Deaths from suicide and injury of undetermined intent, age-standardised rate per 100,000",
         "rate per 100,000", "Lower", 11.3, "2022", [None, None, None, None, None], [10.8, 10.4],
         "ONS Suicides in England and Wales", "Annual", "KCC Public Health", "Agreed", ""),
        ("LF3.6", "Adults who feel lonely often or always",
         "Adults who report feeling lonely often or always, % of survey respondents",
         "%", "Lower", None, None, [None, None, None, None, None], [None, 6.0],
         "Kent and Medway residents' survey (in development)", "Annual", "KCC Public Health",
         "In development", "Baseline to be set from the first residents' survey in 2024/25"),
        ("LF3.7", "Self-reported wellbeing: people with a low happiness score",
         "Adults scoring 0-4 for happiness yesterday, % of respondents",
         "%", "Lower", 8.9, "2022/23", [7.8, 9.2, 9.0, 8.9, None], [8.5, 8.0],
         "ONS Annual Population Survey – personal wellbeing", "Annual", "KCC Public Health", "Agreed", ""),
    ],
    4: [
        ("LF4.1", "Patients with hypertension treated to target",
         "Patients with hypertension whose last blood pressure reading was at or below the age-appropriate "
         "threshold, %",
         "%", "Higher", 64.9, "2022/23", [None, None, 59.8, 64.9, None], [77.0, 80.0],
         "CVDPREVENT audit", "Quarterly", "NHS Kent and Medway", "Agreed", "National ambition for 2024/25"),
        ("LF4.2", "Recorded prevalence of hypertension (CVD prevalence)",
         "Patients on GP hypertension registers, % of registered patients",
         "%", "Higher", 14.6, "2022/23", [14.1, 14.2, 14.4, 14.6, None], [15.0, 15.4],
         "Quality and Outcomes Framework (QOF)", "Annual", "NHS Kent and Medway", "Agreed",
         "Higher recorded prevalence means more people found and treated"),
        ("LF4.3", "People with diabetes receiving all eight care processes",
         "People with diabetes who received all eight NICE care processes in the year, %",
         "%", "Higher", 44.1, "2022/23", ["..", 27.5, 38.9, 44.1, None], [50.0, 55.0],
         "National Diabetes Audit", "Annual", "NHS Kent and Medway", "Agreed", ""),
        ("LF4.4", "Emergency hospital admissions due to falls in people aged 65+",
         "Emergency admissions for falls injuries, people aged 65+, directly standardised rate per 100,000",
         "rate per 100,000", "Lower", "2,154", "2022/23", ["2,201", "1,964", "2,087", "2,154", None],
         [2200, "2,180"], "OHID Fingertips – Public health outcomes framework", "Annual", "KCC Public Health",
         "Agreed", "Target allows for demographic growth in the over-80s"),
        ("LF4.5", "Social prescribing referrals",
         "Referrals to social prescribing link workers recorded in GP systems, count per year",
         "count", "Higher", "41,250", "2023/24", [None, None, "31,480", "38,120", "41,250"], [45000, 50000],
         "NHS England GP appointment data", "Quarterly", "NHS Kent and Medway", "Agreed", ""),
        ("LF4.6", "Carers who are satisfied with social services",
         "Carers who are extremely or very satisfied with the support or services received, %",
         "%", "Higher", 36.0, "2021/22", ["-", "-", 36.0, "-", None], [38.0, 40.0],
         "Survey of Adult Carers in England (SACE)", "Biennial", "KCC Adult Social Care and Health", "Agreed",
         "Biennial survey"),
        ("LF4.7", "Personal health budgets",
         "People with a personal health budget in place, count at year end",
         "count", "Higher", 3112, "2022/23", [None, 2105, 2640, 3112, None], [3500, 4000],
         "NHS England personalised care returns", "Quarterly", "NHS Kent and Medway", "In development", ""),
    ],
    5: [
        ("LF5.1", "Overall experience of GP practice: good",
         "GP Patient Survey respondents describing their overall experience of their practice as good, %",
         "%", "Higher", 68.4, "2023", [None, None, None, None, None], [70.0, 72.0],
         "GP Patient Survey", "Annual", "NHS Kent and Medway", "Agreed", ""),
        ("LF5.2", "A&E attendances seen within four hours",
         "A&E attendances admitted, transferred or discharged within four hours of arrival, %",
         "%", "Higher", 71.2, "2022/23", [84.0, 81.5, 73.9, 71.2, 72.8], [76.0, 78.0],
         "NHS England A&E attendances and emergency admissions", "Monthly", "NHS Kent and Medway", "Agreed", ""),
        ("LF5.3", "Patients waiting more than 65 weeks for elective treatment",
         "Incomplete referral to treatment pathways over 65 weeks at month end, count",
         "count", "Lower", "1,234", "2023/24", [None, None, None, None, None], [0, 0],
         "NHS England referral to treatment waiting times", "Monthly", "NHS Kent and Medway", "Agreed", ""),
        ("LF5.4", "Cancer: 28-day faster diagnosis standard met",
         "Patients told they have cancer, or that cancer is ruled out, within 28 days of referral, %",
         "%", "Higher", 72.6, "2023/24", [None, None, None, None, None], [77.0, 80.0],
         "NHS England cancer waiting times", "Monthly", "NHS Kent and Medway", "Agreed", ""),
        ("LF5.5", "People with severe mental illness receiving a full annual physical health check",
         "People on the SMI register who received all six elements of a physical health check, %",
         "%", "Higher", 52.3, "2022/23", [None, None, 48.1, 52.3, None], [60.0, 65.0],
         "NHS England physical health checks for people with SMI", "Quarterly", "NHS Kent and Medway",
         "Agreed", ""),
        ("LF5.6", "Older people at home 91 days after discharge into reablement",
         "People aged 65+ still at home 91 days after discharge from hospital into reablement, %",
         "%", "Higher", 82.1, "2022/23", [80.5, 79.2, 81.0, 82.1, None], [83.0, 84.5],
         "NHS England ASCOF 2B", "Annual", "KCC Adult Social Care and Health", "Agreed", ""),
        ("LF5.7", "Emergency admissions for ambulatory care sensitive conditions",
         "Emergency admissions for chronic ambulatory care sensitive conditions, rate per 100,000",
         "rate per 100,000", "Lower", 1320.5, "2022/23", [1402.3, 1105.8, 1288.0, 1320.5, None], [1290, 1250],
         "NHS England – Secondary Uses Service", "Annual", "NHS Kent and Medway", "Agreed", ""),
    ],
    6: [
        ("LF6.1", "NHS staff vacancy rate",
         "Vacant whole-time equivalent posts, % of establishment, NHS trusts in Kent and Medway",
         "%", "Lower", 9.6, "2022/23", [None, None, 10.4, 9.6, None], [9.0, "=F6-1"],
         "NHS England NHS vacancy statistics", "Quarterly", "NHS Kent and Medway", "Agreed",
         "2025/26 target is one percentage point below baseline"),
        ("LF6.2", "NHS staff turnover rate",
         "Leavers in the year, % of average staff in post, NHS trusts in Kent and Medway",
         "%", "Lower", 11.8, "2022/23", [None, None, 13.1, 11.8, None], [11.0, 10.5],
         "NHS Electronic Staff Record", "Monthly", "NHS Kent and Medway", "Agreed", ""),
        ("LF6.3", "NHS staff sickness absence rate",
         "Full-time equivalent days lost to sickness absence, % of days available",
         "%", "Lower", 5.4, "2022/23", [4.9, 5.8, 5.9, 5.4, None], [5.0, 4.8],
         "NHS England NHS sickness absence rates", "Monthly", "NHS Kent and Medway", "In development",
         "Working group to revisit how sickness absence is presented"),
        ("LF6.4", "Adult social care vacancy rate",
         "Vacancies in adult social care, % of filled posts plus vacancies, Kent and Medway",
         "%", "Lower", 10.9, "2022/23", [8.2, 7.1, 11.5, 10.9, None], [9.5, 8.5],
         "Skills for Care – Adult social care workforce data set", "Annual",
         "KCC Adult Social Care and Health", "Agreed", ""),
        ("LF6.5", "Health and care apprenticeship starts",
         "Apprenticeship starts in health, public services and care, count per academic year",
         "count", "Higher", 1050, "2022/23", [None, None, 980, 1050, None], [1200, 1400],
         "DfE Apprenticeship statistics", "Annual", "Kent and Medway Economic Partnership", "Agreed", ""),
    ],
}

# The cached value Excel would have stored for each formula cell (openpyxl
# writes formulas with an empty <v/>; partners' files always have one).
FORMULA_CACHE = {(6, "=F6-1"): "8.6"}


def _put(ws, row: int, col: int, value, pct_sheet: bool, unit: str, is_value: bool = True):
    if value is None:
        return None
    c = ws.cell(row=row, column=col, value=value)
    if not is_value:
        return c
    if isinstance(value, float) and pct_sheet and unit == "%":
        c.number_format = PCT
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 1000:
        c.number_format = THOUSANDS
    return c


def logframe(out: Path):
    wb = Workbook()
    readme = wb.active
    readme.title = "Read me"
    readme["A1"] = "Kent and Medway Integrated Care Strategy – logframe matrix"
    readme["A1"].font = TITLE_FONT
    notes = [
        "Strategic indicators for the six shared outcomes, one sheet per outcome.",
        "Prepared by the ICS analysts' working group (KCC Public Health, Medway Council Public Health and "
        "NHS Kent and Medway).",
        "Baselines are the latest published values when the logframe was agreed. Targets are for the end of "
        "each financial year of the Shared Delivery Plan.",
        "Suppression marks: * not published, .. not available, n/a not collected, - not applicable in that "
        "year.",
        "Column C (Definition) is hidden on each sheet for printing.",
        "Version 1.3, March 2024.",
    ]
    for i, line in enumerate(notes, start=3):
        readme.cell(row=i, column=1, value=line)
    readme.column_dimensions["A"].width = 110

    headers = (["Indicator ID", "Indicator", "Definition", "Unit", "Polarity", "Value", "Period"]
               + TREND_PERIODS + TARGET_PERIODS
               + ["Data source", "Frequency", "Owner", "Status", "Rationale"])
    patches = {}
    for n in range(1, 7):
        ws = wb.create_sheet(f"Outcome {n}")
        ws["A1"] = f"Shared Outcome {n}: {OUTCOME_TITLES[n]}"
        ws["A1"].font = TITLE_FONT
        ws["A2"] = "Strategic indicators agreed by the ICS analysts' working group. Version 1.3, March 2024."
        # Two-row header: group headings over baseline, trend and targets.
        for col, text, span in ((6, "Baseline", 2), (8, "Trend", 5), (13, "Targets", 2)):
            c = ws.cell(row=4, column=col, value=text)
            c.font = BOLD
            c.fill = HEADER_FILL
            c.alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + span - 1)
        _header(ws, 5, headers)
        # Sheet 1 holds %-formatted numbers (0.623 shown as 62.3%), sheet 2 text such as
        # "62.3%" and "1,234", the others plain numbers with the unit "%".
        pct_sheet = n == 1
        row = 6
        for ind in LOGFRAME[n]:
            (iid, name, definition, unit, polarity, base_v, base_p, trend, targets,
             source, freq, owner, status, rationale) = ind
            ws.cell(row=row, column=1, value=iid)
            ws.cell(row=row, column=2, value=name)
            ws.cell(row=row, column=3, value=definition)
            ws.cell(row=row, column=4, value=unit)
            ws.cell(row=row, column=5, value=polarity)
            _put(ws, row, 6, base_v, pct_sheet, unit)
            _put(ws, row, 7, base_p, False, unit, is_value=False)
            for j, v in enumerate(trend):
                _put(ws, row, 8 + j, v, pct_sheet, unit)
            for j, v in enumerate(targets):
                c = _put(ws, row, 13 + j, v, pct_sheet, unit)
                if isinstance(v, str) and v.startswith("="):
                    c.number_format = "0.0"
            for j, v in enumerate((source, freq, owner, status, rationale)):
                if v:
                    ws.cell(row=row, column=15 + j, value=v)
            row += 1
        last_row = row - 1
        ws.auto_filter.ref = f"A5:S{last_row}"
        ws.freeze_panes = "C6"
        ws.column_dimensions["C"].hidden = True
        widths = {"A": 12, "B": 48, "C": 60, "D": 16, "E": 10, "O": 40, "P": 12, "Q": 34, "R": 22, "S": 50}
        for letter, w in widths.items():
            ws.column_dimensions[letter].width = w
        for letter in "FGHIJKLMN":
            ws.column_dimensions[letter].width = 11

        # Formula cells: add Excel's cached value to the sheet XML.
        sheet_member = f"xl/worksheets/sheet{wb.sheetnames.index(ws.title) + 1}.xml"
        cached = {}
        for r in range(6, last_row + 1):
            for col in range(1, 20):
                v = ws.cell(row=r, column=col).value
                if isinstance(v, str) and v.startswith("=") and (n, v) in FORMULA_CACHE:
                    cached[ws.cell(row=r, column=col).coordinate] = FORMULA_CACHE[(n, v)]
        if cached:
            patches[sheet_member] = _cache_formulas(cached)

    _props(wb, title="Integrated Care Strategy logframe matrix 2024–26", creator="ICS analysts' working group")
    _save_xlsx(wb, out / "logframe" / "logframe-matrix.xlsx", patches)


def _cache_formulas(cached: dict[str, str]):
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def patch(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for c in root.iter(f"{{{ns}}}c"):
            ref = c.get("r")
            if ref in cached and c.find(f"{{{ns}}}f") is not None:
                v = c.find(f"{{{ns}}}v")
                if v is None:
                    v = etree.SubElement(c, f"{{{ns}}}v")
                v.text = cached[ref]
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return patch


# ---- action tracker -------------------------------------------------------

TRACKER_HEADER = ["Ref", "Outcome", "Action", "Lead", "Supporting partners", "Strategy", "Milestones", "Measure",
                  "Place", "Depends on", "RAG"]


def medway_tracker(out: Path):
    wb = Workbook()
    sheets = [
        ("Outcomes 1 and 2", [
            ["MC-01", "SO1.2",
             "Deliver the Medway Family Hubs programme, including the Start for Life offer and parent-infant "
             "relationship support",
             "Medway Council", "MCH; Medway and Swale VCSE Alliance", "Medway Joint Health and Wellbeing Strategy",
             "Family Hubs open in every Medway locality – Mar 2025", "LF1.4", "Medway", None, "Green"],
            ["MC-02", "SO1.3",
             "Expand online and school-based emotional wellbeing support for children and young people in Medway",
             "Medway Council", "NHS Kent and Medway; KMPT", "LTP",
             "New service contract starts – 01/04/2025", "LF1.5", "Medway", None, "Amber"],
            ["MC-03", "SO1.1",
             "Reduce smoking in pregnancy through the Medway Smokefree Pregnancy incentive scheme",
             "Medway Council", "MFT", "LMNS",
             "Incentive scheme evaluation – Q4 2024/25", "LF1.1", "Medway", None, "Blue"],
            ["MC-04", "SO1.4",
             "Improve the timeliness of education, health and care needs assessments in Medway",
             "Medway Council", "NHS Kent and Medway", None,
             "Timeliness improvement plan agreed – Jul 2024", "LF1.6", "Medway", None, "Red"],
            None,  # a blank row, as trackers have
            ["MC-05", "SO2.1",
             "Deliver the Medway cost of living support programme, including the Household Support Fund and "
             "benefit maximisation campaigns",
             "Medway Council", "M&S VCSE Alliance", "JHWS",
             "Benefit take-up campaign – Oct 2024; Household Support Fund final round – 2025/26", "LF2.1",
             "Medway", None, "Green"],
            ["MC-06", "SO2.2",
             "Reduce the use of temporary accommodation through the Medway homelessness prevention service",
             "Medway Council", "KHG", "Kent and Medway Housing Strategy",
             "Prevention hub fully staffed – 30/06/2024", "LF2.3", "Medway", None, "Blue"],
        ]),
        ("Outcomes 3 to 5", [
            ["MC-07", "SO3.3",
             "Recommission adult substance misuse treatment services in Medway with an integrated alcohol and "
             "drugs pathway",
             "Medway Council", "Kent Police; MFT", "Medway Joint Health and Wellbeing Strategy",
             "New service mobilised – 1 April 2025", "LF3.3\nLF3.4", "Medway", None, "Green"],
            ["MC-08", "SO3",
             "Train community health champions to promote healthy lifestyles in Medway's most deprived wards",
             "Medway Council", "M&S VCSE Alliance", "Medway Joint Health and Wellbeing Strategy",
             "Community health champions trained in every ward – 2025/26", "LF3.7", "Medway", None, "Amber"],
            ["MC-09", "SO4.1",
             "Increase detection and management of hypertension and atrial fibrillation through community "
             "pharmacy and health checks outreach",
             "Medway Council", "NHS Kent and Medway; MCH", "JFP",
             "Pharmacy blood pressure checks in every Medway PCN – Sep 2024", "LF4.1, LF4.2", "Medway", None,
             "Complete"],
            ["MC-10", "SO5.5",
             "Integrate intermediate care and reablement services with Medway Community Healthcare to speed up "
             "hospital discharge",
             "Medway Council", "MCH; MFT", "Kent and Medway Urgent and Emergency Care Plan",
             "Integrated discharge team in place – Q3 2024/25", "LF5.6", "Medway", "ASC-04", "Amber"],
            ["MC-11", "SO4.4",
             "Expand social prescribing for people with long-term conditions through community link workers",
             "MCH", "M&S VCSE Alliance", None,
             "Link workers in every Medway PCN – Mar 2025", "LF4.5", "Medway", None, "Green"],
        ]),
    ]
    first = True
    for title, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title
        ws["A1"] = "Medway Council – Shared Delivery Plan action tracker 2024–26"
        ws["A1"].font = TITLE_FONT
        ws["A2"] = "Last updated 31/03/2025. BRAG as reported to the Medway Health and Wellbeing Board (Blue: complete)."
        _header(ws, 4, TRACKER_HEADER)
        r = 5
        for row in rows:
            if row is not None:
                for col, v in enumerate(row, start=1):
                    if v is not None:
                        c = ws.cell(row=r, column=col, value=v)
                        c.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
        ws.freeze_panes = "A5"
        for letter, w in {"A": 8, "B": 9, "C": 60, "D": 22, "E": 32, "F": 34, "G": 44, "H": 12, "I": 10,
                          "J": 11, "K": 8}.items():
            ws.column_dimensions[letter].width = w
    _props(wb, title="Medway Council – SDP action tracker", creator="Medway Council Public Health")
    _save_xlsx(wb, out / "partners" / "medway-council-action-tracker.xlsx")


# ---- strategy register ----------------------------------------------------

REGISTER = [
    ("Kent and Medway Integrated Care Strategy", "NHS Kent and Medway", "Published", "2023–2028",
     "https://www.kmhealthandcare.uk/about-us/integrated-care-strategy", "SO1, SO2, SO3, SO4, SO5, SO6"),
    ("NHS Kent and Medway Joint Forward Plan", "NHS Kent and Medway", "Published", "2023–2028",
     "https://www.kmhealthandcare.uk/about-us/joint-forward-plan", "SO5"),
    ("Medway Joint Health and Wellbeing Strategy (JHWS)", "Medway Council", "Refresh due", "2018–2023",
     "https://www.medway.gov.uk/jhws", "SO1, SO2, SO3"),
    ("Kent and Medway Housing Strategy", "Kent Housing Group", "Refresh due", "2020–2025", None, "SO2"),
    ("Police and Crime Plan", "Office of the Police and Crime Commissioner", "Published", "2022–2025",
     "https://www.kent-pcc.gov.uk/police-and-crime-plan", "SO2"),
    ("Kent and Medway Domestic Abuse Strategy", "Kent County Council", "Published", "2024–2029", None, "SO2"),
    ("Kent and Medway Economic Strategy (KMES)", "Kent and Medway Economic Partnership", "Published",
     "2024–2030", None, "SO2, SO6"),
    ("Kent and Medway Local Skills Improvement Plan (LSIP)", "Kent Invicta Chamber of Commerce", "Published",
     "2023–2026", None, "SO2, SO6"),
    ("Kent and Medway Energy and Low Emissions Strategy", "Kent County Council", "Published", "2020–2030", None,
     "SO2"),
    ("Kent and Medway Suicide Prevention Strategy", "Kent County Council", "Published", "2021–2025", None, "SO3"),
    ("Local Maternity and Neonatal System Equity Action Plan (LMNS)", "NHS Kent and Medway", "Published",
     "2022–2027", None, "SO1"),
    ("Children and Young People's Mental Health Local Transformation Plan (LTP)", "NHS Kent and Medway",
     "Published", "2023–2024", None, "SO1, SO5"),
    ("Kent SEND Strategy", "Kent County Council", "Published", "2021–2024", None, "SO1"),
    ("Kent and Medway Carers Strategy", "Kent County Council", "In development", "2024–2027", None, "SO4"),
    ("Kent Adult Social Care Strategy", "Kent County Council", "Published", "2022–2027", None, "SO4, SO5"),
    ("Kent and Medway Primary Care Strategy", "NHS Kent and Medway", "In development", "2024–2029", None, "SO5"),
    ("Kent and Medway Urgent and Emergency Care Plan", "NHS Kent and Medway", "Published", "2024/25", None,
     "SO5"),
    ("Kent and Medway People Strategy", "NHS Kent and Medway", "Refresh due", "2022–2025", None, "SO6"),
]


def strategy_register(out: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws["A1"] = "Shared Delivery Plan – register of signposted strategies and plans"
    ws["A1"].font = TITLE_FONT
    ws["A2"] = "Maintained by the ICS strategy team. Last reviewed March 2024."
    _header(ws, 4, ["Strategy / plan", "Lead organisation", "Status", "Period", "Link", "Outcomes served"])
    for i, (name, owner, status, period, link, outcomes) in enumerate(REGISTER, start=5):
        ws.cell(row=i, column=1, value=name)
        ws.cell(row=i, column=2, value=owner)
        ws.cell(row=i, column=3, value=status)
        ws.cell(row=i, column=4, value=period)
        if link:
            c = ws.cell(row=i, column=5, value=link)
            c.hyperlink = link
            c.font = Font(color="0563C1", underline="single")
        ws.cell(row=i, column=6, value=outcomes)
    ws.freeze_panes = "A5"
    for letter, w in {"A": 62, "B": 40, "C": 15, "D": 11, "E": 60, "F": 30}.items():
        ws.column_dimensions[letter].width = w
    _props(wb, title="Shared Delivery Plan strategy register", creator="ICS strategy team")
    _save_xlsx(wb, out / "registers" / "strategy-register.xlsx")


# ---- indicator data update -------------------------------------------------

def data_update(out: Path):
    wb = Workbook()
    long = wb.active
    long.title = "Long format"
    _header(long, 1, ["Indicator ID", "Indicator name", "Period", "Geography", "Value"])
    rows = [
        ("LF1.2", "Reception: prevalence of healthy weight", "2023/24", "Kent and Medway", 0.774),
        ("LF1.3", "Year 6: prevalence of healthy weight", "2022/23", "Kent and Medway", "62.3%"),
        ("LF1.3", "Year 6: prevalence of healthy weight", "2023/24", "Kent and Medway", 0.628),
        ("LF3.1", "Smoking prevalence in adults (18+)", "2023", "Kent and Medway", 12.4),
        ("LF3.1", "Smoking prevalence in adults (18+)", "2023", "Kent", 12.1),
        ("LF3.1", "Smoking prevalence in adults (18+)", "2023", "Medway", 14.6),
        ("LF2.5", "Hospital admissions for violence (including sexual violence)", "2023/24", "Kent and Medway",
         30.9),
        ("LF2.5", "Hospital admissions for violence (including sexual violence)", "2023/24", "Medway", "*"),
        ("LF4.5", "Social prescribing referrals", "2024/25", "Kent and Medway", "44,870"),
        ("LF5.2", "A&E attendances seen within four hours", "2024/25", "Kent and Medway", 74.9),
        ("LF5.2", "A&E attendances seen within four hours", "Q1 2025/26", "Kent and Medway", 76.1),
        ("LF6.1", "NHS staff vacancy rate", "2023/24", "Kent and Medway", 8.9),
    ]
    for r, row in enumerate(rows, start=2):
        for col, v in enumerate(row, start=1):
            c = long.cell(row=r, column=col, value=v)
            if col == 5 and isinstance(v, float) and row[0] in ("LF1.2", "LF1.3"):
                c.number_format = PCT
    long.auto_filter.ref = f"A1:E{len(rows) + 1}"
    long.freeze_panes = "A2"
    for letter, w in {"A": 12, "B": 56, "C": 12, "D": 18, "E": 10}.items():
        long.column_dimensions[letter].width = w

    wide = wb.create_sheet("Wide format")
    wide["A1"] = "Annual refresh – wide format (Kent and Medway)"
    wide["A1"].font = TITLE_FONT
    _header(wide, 3, ["Indicator ID", "Indicator", "2022/23", "2023/24", "2024/25"])
    wide_rows = [
        ("LF1.1", "Smoking status at time of delivery", 0.114, 0.108, ".."),
        ("LF3.4", "Successful completion of drug treatment: opiate users", 5.2, 5.6, None),
        ("LF5.6", "Older people at home 91 days after discharge into reablement", 82.1, 83.4, None),
        ("LF6.4", "Adult social care vacancy rate", 10.9, 9.9, None),
    ]
    for r, row in enumerate(wide_rows, start=4):
        for col, v in enumerate(row, start=1):
            if v is None:
                continue
            c = wide.cell(row=r, column=col, value=v)
            if row[0] == "LF1.1" and isinstance(v, float):
                c.number_format = PCT
    for letter, w in {"A": 12, "B": 56, "C": 10, "D": 10, "E": 10}.items():
        wide.column_dimensions[letter].width = w
    _props(wb, title="Logframe indicator data update 2024/25", creator="ICS analysts' working group")
    _save_xlsx(wb, out / "logframe" / "indicator-data-update-2024-25.xlsx")


# ==========================================================================

BUILDERS = [
    east_kent, west_kent, dgs, medway_swale,
    canterbury, tunbridge_wells, swale,
    kcc_public_health, kcc_asch,
    khg, vcse, opcc, kicc,
    logframe, medway_tracker, strategy_register, data_update, introduction,
]


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for builder in BUILDERS:
        builder(out)
    return sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in (".docx", ".xlsx"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "inputs",
                        help="folder to write the sample inputs into (default: inputs/ at the repository root)")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path.relative_to(args.out).as_posix())
    return 0


if __name__ == "__main__":
    sys.exit(main())
