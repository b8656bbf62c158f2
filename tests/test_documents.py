"""The generated Word documents, read back: they say what plan.json says, pass the accessibility
check, are byte-identical across compiles, take a house style and convert with LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from lxml import etree

from compiler.a11y import lint_docx

from .conftest import REPO, SDP, compile_dir

INPUTS = REPO / "inputs"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ACTION_HEADER = ["ID", "Action", "Lead", "Partners"]


# --------------------------------------------------------------------------- helpers


def _out(tmp_path: Path) -> Path:
    outs = sorted(p for p in tmp_path.iterdir() if p.is_dir() and p.name.startswith("out"))
    return outs[-1]


def _docxs(out: Path) -> list[Path]:
    return sorted(out.glob("*.docx")) + sorted((out / "partners").glob("*.docx"))


def _open(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def _header_row(table) -> list[str]:
    return [c.text.strip() for c in table.rows[0].cells]


def _chapters(document) -> dict[str, list]:
    """Heading 1 text -> the paragraphs and tables under it."""
    chapters: dict[str, list] = {"": []}
    current = ""
    for block in document.iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph) and block.style is not None \
                and block.style.name == "Heading 1":
            current = block.text.strip()
            chapters[current] = []
        else:
            chapters[current].append(block)
    return chapters


def _action_rows(blocks) -> list[list[str]]:
    rows = []
    for block in blocks:
        if isinstance(block, docx.table.Table) and _header_row(block) == ACTION_HEADER:
            rows += [[c.text for c in row.cells] for row in block.rows[1:]]
    return rows


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else format(value, ",.15g")


def _header_texts(document) -> list[str]:
    """The text of every header in use (the default one; the first-page and even-page ones when on)."""
    even = document.settings.element.find(f"{W}evenAndOddHeaders") is not None
    texts = []
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if even:
            headers.append(section.even_page_header)
        texts += ["\n".join(p.text for p in hdr.paragraphs) for hdr in headers]
    return texts


# --------------------------------------------------------------------------- the sample, compiled once


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample")
    code, plan = compile_dir(INPUTS, tmp)
    return code, plan, _out(tmp)


def test_every_document_is_written(sample):
    code, plan, out = sample
    assert (out / "shared-delivery-plan.docx").is_file()
    assert (out / "logframe-matrix.docx").is_file()
    expected = {s["partner_id"] for s in plan["submissions"] if s["partner_id"]}
    expected |= {a["lead_id"] for a in plan["actions"] if a["lead_id"]}
    expected |= {p for a in plan["actions"] for p in a["partner_ids"]}
    expected |= {x["owner_id"] for x in plan["strategies"] + plan["indicators"] if x["owner_id"]}
    expected |= {d["subject"].split(":", 1)[1] for d in plan["diagnostics"]
                 if (d["subject"] or "").startswith("partner:")}
    expected &= {p["id"] for p in plan["partners"]}
    assert {p.stem for p in (out / "partners").glob("*.docx")} == expected


def test_plan_sets_out_every_action_once_in_its_chapter_with_its_lead(sample):
    _, plan, out = sample
    document = _open(out / "shared-delivery-plan.docx")
    chapters = _chapters(document)
    partners = {p["id"]: p["name"] for p in plan["partners"]}
    outcome_chapter = {o["id"]: f"Outcome {o['number']}: {o['title']}" for o in plan["outcomes"]}
    for title in outcome_chapter.values():
        assert title in chapters, f"no chapter '{title}'"
    assert "Conditions for successful delivery" in chapters
    assert "Index of partner contributions" in chapters

    everywhere = Counter(row[0] for blocks in chapters.values() for row in _action_rows(blocks))
    for action in plan["actions"]:
        home = outcome_chapter[action["outcome_ids"][0]] if action["outcome_ids"] \
            else "Conditions for successful delivery"
        rows = [r for r in _action_rows(chapters[home]) if r[0] == action["id"]]
        assert len(rows) == 1, f"{action['id']} appears {len(rows)} times in '{home}'"
        assert everywhere[action["id"]] == 1, f"{action['id']} is set out in full more than once"
        assert rows[0][1].split("\n")[0] == action["text"]
        lead = partners.get(action["lead_id"], action["lead_id"]) if action["lead_id"] else "No lead named"
        assert rows[0][2] == lead
        for pid in action["partner_ids"]:
            assert partners.get(pid, pid) in rows[0][3]
    assert sum(everywhere.values()) == len(plan["actions"])


def test_plan_chapters_hold_priorities_measures_milestones_and_strategies(sample):
    _, plan, out = sample
    chapters = _chapters(_open(out / "shared-delivery-plan.docx"))
    strategies = {s["id"]: s for s in plan["strategies"]}
    for outcome in plan["outcomes"]:
        blocks = chapters[f"Outcome {outcome['number']}: {outcome['title']}"]
        text = "\n".join(b.text for b in blocks if isinstance(b, docx.text.paragraph.Paragraph))
        for pr in outcome["priorities"]:
            assert f"{pr['id']}: {pr['title']}" in text
        tables = {tuple(_header_row(t)): t for t in blocks if isinstance(t, docx.table.Table)}
        actions = [a for a in plan["actions"] if outcome["id"] in a["outcome_ids"]]
        wanted_ind = {i for a in actions for i in a["indicator_ids"]}
        if wanted_ind:
            rows = tables[("ID", "Measure", "Baseline", "Latest", "Target", "Progress", "Actions relying on it")].rows[1:]
            assert {r.cells[0].text for r in rows} == wanted_ind
            # traceable both ways: each measure names the actions that rely on it, each action its measures
            for r in rows:
                relying = sorted(a["id"] for a in actions if r.cells[0].text in a["indicator_ids"])
                assert sorted(r.cells[6].text.split(", ")) == relying
        cells = "\n".join(c.text for t in blocks if isinstance(t, docx.table.Table) for r in t.rows for c in r.cells)
        for a in actions:
            if a["indicator_ids"] and f"Outcome {outcome['number']}" == _home(a, plan):
                assert "Measured by: " + a["indicator_ids"][0] in cells, a["id"]
        said = [n for n in plan["narrative"] if n["section"] == outcome["id"]]
        for n in said:
            assert n["text"] in text
        assert ("What partners say" in text) and ("Business and private-sector involvement" in text)
        milestones = sorted((a["id"], m["text"]) for a in actions for m in a["milestones"])
        if milestones:
            rows = tables[("Due", "Action", "Milestone")].rows[1:]
            # a milestone that is just a date is kept on one line (no-break spaces)
            assert sorted((r.cells[1].text, r.cells[2].text.replace("\xa0", " ")) for r in rows) == milestones
        linked = {s for a in actions for s in a["strategy_ids"]} | \
            {s for s, v in strategies.items() if outcome["id"] in v["outcome_ids"]}
        if linked:
            rows = tables[("Strategy or plan", "Lead", "Status")].rows[1:]
            assert {r.cells[0].text for r in rows} == {strategies[s]["name"] for s in linked}


def _home(action: dict, plan: dict) -> str | None:
    """The chapter an action is set out in full: its first outcome's."""
    numbers = {o["id"]: o["number"] for o in plan["outcomes"]}
    first = next((o for o in action["outcome_ids"] if o in numbers), None)
    return f"Outcome {numbers[first]}" if first else None


def test_plan_milestones_are_in_date_order(sample):
    _, plan, out = sample
    document = _open(out / "shared-delivery-plan.docx")
    months = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"], 1)}
    for table in document.tables:
        if _header_row(table) != ["Due", "Action", "Milestone"]:
            continue
        dues = []
        for row in table.rows[1:]:
            due = row.cells[0].text
            m = re.fullmatch(r"(\d+)\xa0(\w+)\xa0(\d{4})", due)  # dates are kept on one line
            assert m or due == "No date given", due
            dues.append((int(m[3]), months[m[2]], int(m[1])) if m else (9999, 0, 0))
        assert dues == sorted(dues)


def test_plan_title_language_contents_and_front_matter(sample):
    _, plan, out = sample
    data = (out / "shared-delivery-plan.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    assert document.core_properties.title == plan["system"]["plan_title"]
    assert document.core_properties.language == "en-GB"
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == plan["system"]["plan_title"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        settings = z.read("word/settings.xml")
        body = z.read("word/document.xml")
    # the contents are written complete, so Word is not told to ask to update fields on every opening
    assert b"updateFields" not in settings
    assert b" TOC \\o" in body
    toc_entries = [p.text for p in paragraphs if re.fullmatch(r"toc \d", p.style.name.lower())]
    headings = [p.text for p in paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert toc_entries == headings
    narrative = [s for s in plan["submissions"] if "narrative" in s["kinds"]]
    if narrative:
        source = docx.Document(str(INPUTS / narrative[0]["path"]))
        text = "\n".join(p.text for p in paragraphs)
        for p in source.paragraphs:
            if p.text.strip():
                assert p.text in text
    # the period, not the wall clock, dates the document
    assert "1 April 2024 to 31 March 2026" in "\n".join(p.text for p in paragraphs[:6])


def test_logframe_lists_every_indicator_with_its_baseline(sample):
    _, plan, out = sample
    document = _open(out / "logframe-matrix.docx")
    section = document.sections[0]
    assert section.page_width > section.page_height
    header = ["ID", "Indicator", "Baseline", "Latest", "Targets", "Progress", "Source", "Owner", "Status"]
    rows = {}
    chapters = _chapters(document)
    for outcome in plan["outcomes"]:
        for table in chapters[f"Outcome {outcome['number']}: {outcome['title']}"]:
            if isinstance(table, docx.table.Table):
                assert _header_row(table) == header
                for row in table.rows[1:]:
                    rows[(outcome["id"], row.cells[0].text)] = [c.text for c in row.cells]
    for ind in plan["indicators"]:
        for oid in ind["outcome_ids"]:
            row = rows.get((oid, ind["id"]))
            assert row is not None, f"{ind['id']} missing under {oid}"
            if ind["baseline"] and ind["baseline"]["value"] is not None:
                assert _fmt(ind["baseline"]["value"]) in row[2]
                assert (ind["baseline"]["period"] or "") in row[2]
            else:
                assert row[2] == "No baseline"
            for target in ind["targets"]:
                if target["value"] is not None:
                    assert _fmt(target["value"]) in row[4]
    assert len(rows) == sum(len(i["outcome_ids"]) for i in plan["indicators"])


def test_partner_appendices_hold_exactly_their_own_actions(sample):
    _, plan, out = sample
    for path in sorted((out / "partners").glob("*.docx")):
        pid = path.stem
        document = _open(path)
        chapters = _chapters(document)
        led = {r[0] for t in chapters["Actions it leads"] if isinstance(t, docx.table.Table) for r in
               [[c.text for c in row.cells] for row in t.rows[1:]]}
        supported = {r[0] for t in chapters["Actions it supports"] if isinstance(t, docx.table.Table) for r in
                     [[c.text for c in row.cells] for row in t.rows[1:]]}
        assert led == {a["id"] for a in plan["actions"] if a["lead_id"] == pid}, pid
        said = "\n".join(b.text for b in chapters["What it says about the outcomes"]
                         if isinstance(b, docx.text.paragraph.Paragraph))
        for n in plan["narrative"]:
            if n["partner_id"] == pid:
                assert n["text"] in said and n["source"]["path"] in said, pid
        assert supported == {a["id"] for a in plan["actions"] if pid in a["partner_ids"] and a["lead_id"] != pid}, pid
        owned = {i["id"] for i in plan["indicators"] if i["owner_id"] == pid}
        shown = {row.cells[0].text for t in chapters["Logframe measures it owns"] if isinstance(t, docx.table.Table)
                 for row in t.rows[1:]}
        assert shown == owned, pid
        names = {s["name"] for s in plan["strategies"] if s["owner_id"] == pid}
        shown = {row.cells[0].text for t in chapters["Strategies and plans it owns"]
                 if isinstance(t, docx.table.Table) for row in t.rows[1:]}
        assert shown == names, pid


def test_partner_appendix_lists_the_diagnostics_in_its_submissions(sample):
    _, plan, out = sample
    kcc = _chapters(_open(out / "partners" / "kcc.docx"))
    rows = [[c.text for c in row.cells] for t in kcc["Issues to resolve"] if isinstance(t, docx.table.Table)
            for row in t.rows[1:]]
    r002 = [r for r in rows if r[0] == "R002"]
    assert r002 and "LF3.9" in r002[0][2] and r002[0][1] == "error"
    assert r002[0][3].startswith("kcc/public-health.docx: paragraph")
    paths = {s["path"] for s in plan["submissions"] if s["partner_id"] == "kcc"}
    shown = Counter((r[0], r[3]) for r in rows)
    expected = Counter((d["code"], f"{d['location']['path']}: {d['location']['text']}") for d in plan["diagnostics"]
                       if d["location"] and d["location"]["path"] in paths)
    assert not expected - shown
    other_paths = {s["path"] for s in plan["submissions"] if s["partner_id"] not in (None, "kcc")}
    kcc_subjects = {f"action:{a['id']}" for a in plan["actions"]
                    if a["lead_id"] == "kcc" or "kcc" in a["partner_ids"] or a["submitted_by"] == "kcc"}
    for d in plan["diagnostics"]:
        if d["location"] and d["location"]["path"] in other_paths and d["subject"] not in kcc_subjects \
                and d["subject"] != "partner:kcc" and not (d["subject"] or "").startswith(("strategy:", "indicator:")):
            assert (d["code"], f"{d['location']['path']}: {d['location']['text']}") not in shown or \
                d["subject"] in kcc_subjects


def test_every_generated_document_passes_the_accessibility_check(sample):
    _, _, out = sample
    files = _docxs(out)
    for path in files:
        assert lint_docx(path.read_bytes()) == [], path.name
    proc = subprocess.run([str(SDP), "lint-doc", *map(str, files)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pages_are_numbered_and_ids_dates_and_sources_read_whole(sample):
    """Every generated document numbers its pages in the footer ("Page N of M", PAGE and NUMPAGES fields);
    in the plan, short hyphenated IDs use non-breaking hyphens and dates no-break spaces, every action cell
    says which submission and place it came from, and every table has a caption for assistive technology."""
    _, plan, out = sample
    for path in _docxs(out):
        document = docx.Document(str(path))
        for section in document.sections:
            footer = section.footer._element
            instructions = [t.text.strip() for t in footer.iter(f"{W}instrText")]
            assert instructions == ["PAGE", "NUMPAGES"], path.name
            assert "".join(t.text for t in footer.iter(f"{W}t")).startswith("Page 1 of 1"), path.name
    document = _open(out / "shared-delivery-plan.docx")
    body = document.element.body
    tables = body.findall(f"{W}tbl")
    captions = [t.find(f"{W}tblPr/{W}tblCaption") for t in tables]
    assert tables and all(c is not None and c.get(f"{W}val") for c in captions)
    partners = {p["id"]: p["name"] for p in plan["partners"]}
    by_id = {a["id"]: a for a in plan["actions"]}
    seen = set()
    for table in document.tables:
        if _header_row(table) != ACTION_HEADER:
            continue
        for row in table.rows[1:]:
            action = by_id[row.cells[0].text]
            seen.add(action["id"])
            source = row.cells[1].paragraphs[-1]
            assert source.style.name == "Table Source"
            assert source.text.startswith(f"Source: {partners[action['submitted_by']]}, {action['source']['path']}, ")
            id_cell = row.cells[0]._tc
            if "-" in action["id"] and len(action["id"]) <= 14:
                assert id_cell.findall(f".//{W}noBreakHyphen"), action["id"]
                assert "-" not in "".join(t.text for t in id_cell.iter(f"{W}t"))
    assert seen == set(by_id)
    dues = [row.cells[0].text for t in document.tables if _header_row(t) == ["Due", "Action", "Milestone"]
            for row in t.rows[1:]]
    assert dues and all(" " not in d for d in dues if d != "No date given")


def test_draft_header_iff_errors(sample, tmp_path):
    code, plan, out = sample
    errors = sum(1 for d in plan["diagnostics"] if d["severity"] == "error")
    assert code == 1 and errors > 0
    for path in _docxs(out):
        texts = _header_texts(_open(path))
        assert all(re.search(rf"Draft – {errors} unresolved issues?", t) for t in texts), path.name

    clean = tmp_path / "inputs"
    shutil.copytree(INPUTS, clean)
    (clean / "kcc" / "public-health.docx").unlink()  # holds the sample's only error (LF3.9)
    code, plan = compile_dir(clean, tmp_path)
    assert code == 0 and not [d for d in plan["diagnostics"] if d["severity"] == "error"]
    for path in _docxs(_out(tmp_path)):
        assert not any("Draft" in t for t in _header_texts(_open(path))), path.name


def test_two_compiles_give_byte_identical_documents(sample, tmp_path):
    _, _, out = sample
    compile_dir(INPUTS, tmp_path)
    again = _out(tmp_path)
    first = {p.relative_to(out).as_posix(): p.read_bytes() for p in _docxs(out)}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in _docxs(again)}
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_reference_docx_styles_are_used(tmp_path):
    reference = docx.Document()
    heading = reference.styles["Heading 1"]
    heading.font.name = "Courier New"
    heading.font.size = Pt(23)
    reference.add_paragraph("Template body text that must not be copied")
    ref_path = tmp_path / "house.docx"
    reference.save(str(ref_path))
    out = tmp_path / "styled"
    proc = subprocess.run([str(SDP), "compile", str(INPUTS), "-o", str(out), "--reference-docx", str(ref_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    for path in [out / "shared-delivery-plan.docx", out / "logframe-matrix.docx", out / "partners" / "kcc.docx"]:
        document = _open(path)
        style = document.styles["Heading 1"]
        assert style.font.name == "Courier New" and style.font.size == Pt(23), path.name
        assert "Template body text" not in "\n".join(p.text for p in document.paragraphs)
        assert lint_docx(path.read_bytes()) == []


def test_documents_use_named_styles_only(sample):
    _, _, out = sample
    for path in _docxs(out):
        with zipfile.ZipFile(path) as z:
            body = etree.fromstring(z.read("word/document.xml"))
        for tag in ("rPr", "jc", "ind", "spacing", "shd"):
            found = [e for e in body.iter(f"{W}{tag}") if e.getparent().tag != f"{W}sectPr"]
            assert not found, f"{path.name}: direct formatting <w:{tag}>"


# --------------------------------------------------------------------------- narrative front matter


def _png() -> bytes:
    """A valid 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _narrative_fixture(path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "Introduction"
    body_style = d.styles.add_style("Council Body", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    body_style.base_style = d.styles["Normal"]
    body_style.font.name = "Georgia"
    d.add_paragraph("Introduction", style="Heading 2")  # first heading one level too deep
    d.add_paragraph("Partners take collective responsibility for this plan.", style="Council Body")
    d.add_paragraph("A first point", style="List Bullet")
    d.add_paragraph("A second point", style="List Bullet")
    d.add_paragraph("Detail", style="Heading 4")  # skips a level
    table = d.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Board", "Date"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "ICP", "27 August 2024"
    d.add_picture(io.BytesIO(_png()))
    d.save(str(path))


def test_narrative_front_matter_is_copied_with_its_styles(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    target = inputs / "narrative" / "introduction.docx"
    target.parent.mkdir(exist_ok=True)
    _narrative_fixture(target)
    code, plan = compile_dir(inputs, tmp_path)
    assert any("narrative" in s["kinds"] for s in plan["submissions"])
    path = _out(tmp_path) / "shared-delivery-plan.docx"
    data = path.read_bytes()
    assert lint_docx(data) == []
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    by_text = {p.text: p for p in paragraphs}
    assert by_text["Introduction"].style.name == "Heading 1"
    assert by_text["Detail"].style.name == "Heading 2"
    body = by_text["Partners take collective responsibility for this plan."]
    assert body.style.name == "Council Body" and body.style.font.name == "Georgia"
    assert by_text["A first point"].style.name == "List Bullet"
    assert any(t.rows[0].cells[0].text == "Board" for t in document.tables)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
        assert any(n.startswith("word/media/") for n in z.namelist())
    assert 'descr="' in xml and 'descr=""' not in xml
    toc = [p.text for p in paragraphs if re.fullmatch(r"toc \d", p.style.name.lower())]
    assert toc[0] == "Introduction"


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
def test_every_document_converts_to_pdf_with_libreoffice(sample, tmp_path):
    from tests.tools import soffice as find_soffice

    soffice = find_soffice("writer")
    _, _, out = sample
    files = _docxs(out)
    pdf_dir = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, files)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    for path in files:
        pdf = pdf_dir / (path.stem + ".pdf")
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), f"{path.name}: {proc.stdout}{proc.stderr}"
        assert pdf.stat().st_size > 1000
