"""Build the sample inputs of the fictional Wessex Vale system, deterministically.

Run from the repository root:

    .venv/bin/python tests/fictional/build_inputs.py [OUT_DIR]

It (re)writes tests/fictional/inputs/ (or OUT_DIR): three Word partner contributions and one
Excel logframe workbook, each byte-identical from one run to the next. The
expected compiled plan is written out by hand in test_fictional_system.py;
change both together.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import docx
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from compiler.writers.deterministic import make_deterministic  # noqa: E402

INPUTS = HERE / "inputs"
OUT = INPUTS  # where the builders write; main() may point it elsewhere
FIXED = datetime(2025, 3, 1, 9, 0, 0)


# --------------------------------------------------------------------- Word helpers
def new_document(title: str, author: str) -> docx.Document:
    doc = docx.Document()
    cp = doc.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = author
    cp.created = FIXED
    cp.modified = FIXED
    cp.revision = 1
    cp.comments = ""
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    doc.styles["Normal"].font.size = Pt(11)
    return doc


def cell_lines(cell, text: str, bold: bool = False) -> None:
    """Write `text` into `cell`, one paragraph per line."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        para = first if i == 0 else cell.add_paragraph()
        if line:
            run = para.add_run(line)
            run.bold = bold


def add_table(doc, rows: list[list[str]], header: bool = True):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell_lines(table.cell(r, c), value, bold=header and r == 0)
    return table


def save_docx(doc, name: str) -> Path:
    path = OUT / name
    doc.save(path)
    make_deterministic(path)
    return path


# --------------------------------------------------------------------- submissions
def wessex_vale_council() -> Path:
    """Metadata table; outcome headings by ID and by number; a standard actions
    table (letter ref, numeric ref, no ref, blank lead, lead among partners);
    bulleted actions with inline fields in brackets and after a dash, sub-bullets."""
    doc = new_document("Shared Delivery Plan contribution", "Wessex Vale Council")
    doc.add_heading("Wessex Vale Council – contribution to the Shared Delivery Plan 2025–27", level=0)
    add_table(doc, [
        ["Organisation", "Wessex Vale Council"],
        ["Contact", "Priya Hallam, Head of Partnerships"],
        ["Date", "14/03/2025"],
        ["Version", "1.0"],
    ], header=False)
    doc.add_paragraph(
        "This is the council's contribution to the Wessex Vale Shared Delivery Plan. "
        "It sets out what we will do, with our partners, for each shared outcome."
    )

    doc.add_heading("O1 – Give every child a confident and healthy start", level=1)
    doc.add_paragraph(
        "Children in the Vale's market towns start school less ready than their peers; "
        "we will bring services for families together in one place."
    )
    add_table(doc, [
        ["Ref", "Action", "Lead", "Partners", "Measure", "Milestones"],
        ["cy 1", "Extend the family hubs programme to every market town", "Wessex Vale Council",
         "NHS Wessex Vale; Vale Voices VCSE Network", "WV01",
         "Hubs open in four towns – December 2025\nAll towns covered – 2026/27"],
        ["12", "Offer a stop-smoking pathway to every pregnant smoker at booking",
         "Wessex Vale Hospitals NHS Foundation Trust",
         "Wessex Vale Council; Wessex Vale Hospitals NHS Foundation Trust", "WV02",
         "Pathway live – 01/10/2025"],
        ["", "Train early years staff in speech and language screening", "",
         "Vale Voices VCSE Network", "WV01", "Q3 2025/26"],
    ])

    doc.add_heading("Outcome 2: Build warm homes and good jobs", level=1)
    doc.add_paragraph("Cold, damp homes and insecure work are the biggest drivers of ill health in the Vale.")
    doc.add_paragraph(
        "Retrofit 1,500 council and housing association homes with insulation and heat pumps "
        "(Lead: Wessex Vale Council; Partners: Vale Homes Association; Measure: WV03; By: June 2026)",
        style="List Bullet",
    )
    doc.add_paragraph(
        "Create a supported employment service for people with long-term conditions – "
        "Lead: Wessex Vale Council; Partners: Vale Chamber of Commerce, Riverside Works Ltd; Measure: WV04",
        style="List Bullet",
    )
    doc.add_paragraph("Service commissioned – March 2026", style="List Bullet 2")
    doc.add_paragraph("First 200 people supported – Q2 2026/27", style="List Bullet 2")

    doc.add_heading("Contacts", level=1)
    doc.add_paragraph("Partnerships team: partnerships@wessexvale.example")
    return save_docx(doc, "wessex-vale-council.docx")


def north_vale_locality_partnership() -> Path:
    """`Key: value` metadata; outcome headings by a rules-defined number word
    ("Ambition 3") and "Shared outcome 4"; a sub-heading inside a section; an
    actions table with this system's own header synonyms; partners by alias;
    bulleted actions with sub-bullet milestones (day-first date, quarter)."""
    doc = new_document("North Vale contribution", "North Vale Locality Partnership")
    doc.add_paragraph("North Vale Locality Partnership: our part in the Shared Delivery Plan", style="Title")
    doc.add_paragraph("Partner: North Vale Locality Partnership")
    doc.add_paragraph("Contact: Dr Tom Ashdown")
    doc.add_paragraph("Status: Final")
    doc.add_paragraph("The locality partnership brings together practices, the council and community groups in North Vale.")

    doc.add_heading("Ambition 3 – Help people live well for longer", level=1)
    doc.add_paragraph("Falls are the most common reason older people in North Vale are admitted to hospital.")
    doc.add_heading("Key initiatives", level=2)
    add_table(doc, [
        ["Ref", "Initiative", "Lead body", "Working with", "Tracked by", "Checkpoints"],
        ["NV-01", "Run a falls prevention programme with strength and balance classes in every village hall",
         "North Vale Locality Partnership",
         "Vale Community Health CIC\nWessex Vale Fire and Rescue Service", "WV06; WV05",
         "Classes running in 10 halls – November 2025\nEvaluation reported – Q1 2026/27"],
        ["NV-02", "Offer social prescribing link workers in all North Vale practices", "WVC",
         "Vale Voices; North Vale Locality Partnership", "WV05", "Sep-25"],
    ])

    doc.add_heading("Shared outcome 4 – Join up care closer to home", level=1)
    doc.add_paragraph(
        "Open two community diagnostic centres in North Vale "
        "(Lead: WVH; Partners: NHS Wessex Vale; Measure: WV07)",
        style="List Bullet",
    )
    doc.add_paragraph("First centre open – 30/11/2025", style="List Bullet 2")
    doc.add_paragraph("Second centre open – Q1 2026/27", style="List Bullet 2")
    doc.add_paragraph(
        "Set up a virtual ward for frail older people "
        "(Lead: Vale Community Health CIC; Partners: Wessex Vale Hospitals NHS Foundation Trust, "
        "Wessex Vale Council; Measure: WV08; By: Q4 2025/26)",
        style="List Bullet",
    )
    return save_docx(doc, "north-vale-locality-partnership.docx")


def vale_chamber_of_commerce() -> Path:
    """A business partner. Metadata table keyed "Submitted by"; outcome heading by
    title only; an actions table with columns in another order and an extra column;
    an unmeasured bulleted action; an action under an enabler heading; an appendix whose bullets are not actions."""
    doc = new_document("Vale Chamber of Commerce – Shared Delivery Plan", "Vale Chamber of Commerce")
    add_table(doc, [
        ["Submitted by", "Vale Chamber of Commerce"],
        ["Date", "28/02/2025"],
    ], header=False)
    doc.add_paragraph("Local employers want a healthier workforce and a stronger Vale economy.")

    doc.add_heading("Build warm homes and good jobs", level=1)
    add_table(doc, [
        ["Action", "Ref", "Lead organisation", "Supporting partners", "KPI", "By when", "Notes"],
        ["Run a Healthy Workplaces charter for employers across the Vale", "VCC-1", "Vale Chamber of Commerce",
         "Riverside Works Ltd; Wessex Vale Council", "WV04",
         "Charter launched – July 2025\n50 employers signed up – 31/03/2026",
         "Builds on the 2024 pilot with twelve employers"],
    ])
    doc.add_paragraph(
        "Publish a healthy homes guide for private landlords (Lead: Vale Chamber of Commerce; By: December 2025)",
        style="List Bullet",
    )

    doc.add_heading("E2 One workforce across the Vale", level=1)
    doc.add_paragraph(
        "Offer 40 health and care apprenticeships through local employers "
        "(Lead: Vale Chamber of Commerce; Partners: Wessex Vale Hospitals NHS Foundation Trust; By: 2026/27)",
        style="List Bullet",
    )

    doc.add_heading("Appendix: about the Chamber", level=1)
    doc.add_paragraph("The Chamber speaks for businesses of every size across the Vale.")
    doc.add_paragraph("Founded in 1892", style="List Bullet")
    doc.add_paragraph("Six hundred member businesses", style="List Bullet")
    return save_docx(doc, "vale-chamber-of-commerce.docx")


# --------------------------------------------------------------------- logframe
LOGFRAME_HEADER = ["KPI no.", "Outcome", "Indicator", "Unit", "Good is", "Baseline", "Baseline period",
                   "Target 2025/26", "Target 2026/27", "Data source", "Owner", "Status"]

# (row values, {column letter: number format}) — percentages appear in every form:
# %-formatted fractions, text "9.8%", plain numbers with unit %, "71.5% (2022/23)".
LOGFRAME_ROWS = [
    (["WV01", "O1", "Children achieving a good level of development at age 5", "%", "higher",
      0.623, "2023/24", 0.65, 0.675, "Early years foundation stage profile", "Wessex Vale Council", "Agreed"],
     {"F": "0.0%", "H": "0.0%", "I": "0.0%"}),
    (["WV02", "O1", "Mothers smoking at time of delivery", "%", "lower",
      "9.8%", "2023/24", "9.0%", "8.0%", "Maternity dataset", "NHS Wessex Vale", "Agreed"], {}),
    (["WV03", "O2", "Households in fuel poverty", "%", "lower",
      14.2, 2023, 13, 12, "Sub-regional fuel poverty statistics", "Wessex Vale Council", "Agreed"], {}),
    (["WV04", "O2", "Working-age adults in employment", "%", "higher",
      "71.5% (2022/23)", None, 72.5, 73.5, "Annual Population Survey", "Wessex Vale Council", "Agreed"], {}),
    (["WV05", "O3", "Adults who are physically active", "%", "higher",
      64.1, "2023-24", 66, 68, "Active Lives Survey", "Wessex Vale Council", "Agreed"], {}),
    (["WV06", "O3; O4", "Emergency admissions for falls, people aged 65 and over", "rate per 100,000", "lower",
      "2,134", "2023/24", 2050, 1980, "Hospital episode statistics", "NHS Wessex Vale", "Agreed"], {}),
    (["WV07", "Outcome 4", "Patients waiting less than six weeks for a diagnostic test", "%", "higher",
      0.781, "2024/25", 0.85, 0.95, "Diagnostics waiting times", "NHS Wessex Vale", "Agreed"],
     {"F": "0.0%", "H": "0%", "I": "0%"}),
    (["WV08", "O4", "Older people still at home 91 days after discharge into reablement", "%", "higher",
      82.4, "2023/24", 84, 85, "Adult social care outcomes framework", "Wessex Vale Council", "In development"], {}),
]


def logframe() -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Logframe"
    ws["A1"] = "Wessex Vale logframe matrix 2025–27"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Strategic indicators for the four shared outcomes. Draft for the Integrated Care Partnership."
    header_row = 4
    for col, name in enumerate(LOGFRAME_HEADER, start=1):
        cell = ws.cell(row=header_row, column=col, value=name)
        cell.font = Font(bold=True)
    for i, (values, formats) in enumerate(LOGFRAME_ROWS, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            ws.cell(row=i, column=col, value=value)
        for letter, fmt in formats.items():
            ws[f"{letter}{i}"].number_format = fmt
    ws.freeze_panes = f"A{header_row + 1}"
    for letter, width in {"A": 9, "B": 10, "C": 60, "D": 16, "E": 9, "F": 16, "G": 15,
                          "H": 14, "I": 14, "J": 38, "K": 22, "L": 15}.items():
        ws.column_dimensions[letter].width = width
    props = wb.properties
    props.title = "Logframe matrix"
    props.creator = "Public health intelligence"
    props.lastModifiedBy = "Public health intelligence"
    props.created = FIXED
    props.modified = FIXED
    path = OUT / "logframe-matrix.xlsx"
    wb.save(path)
    make_deterministic(path)
    return path


def build(out_dir: Path = INPUTS) -> list[Path]:
    """Write every input file into `out_dir` and return their paths."""
    global OUT
    OUT = Path(out_dir)
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        return [wessex_vale_council(), north_vale_locality_partnership(), vale_chamber_of_commerce(), logframe()]
    finally:
        OUT = INPUTS


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    for path in build(Path(argv[0]) if argv else INPUTS):
        print(path)


if __name__ == "__main__":
    main()
