"""annotated/<submission>: read back every annotated copy of the sample and check each diagnostic.

Word: every diagnostic located in the file is a comment by sdp whose text
holds its code and message, anchored on the paragraph its location names (or
a paragraph of the table row it names). Excel: a note on the named cell (or
column A of the named row). The originals are untouched, the copies are
byte-identical across compiles, and a file that cannot be annotated (Strict,
damaged) is skipped without failing the compile.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from compiler.diagnostics import Location, diag
from compiler.ooxml.wordml import anchor_elements
from compiler.writers.annotated import annotate_docx, annotate_xlsx, annotated_copy, anchor_key
from tests.conftest import REPO, compile_dir
from tests.fixtures.ooxml import docx_bytes, heading, p, tbl, xlsx_bytes

INPUTS = REPO / "inputs"


def sha256_tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    before = sha256_tree(INPUTS)
    tmp = tmp_path_factory.mktemp("annotated")
    _, plan = compile_dir(INPUTS, tmp)
    after = sha256_tree(INPUTS)
    return tmp / "out", plan, before, after


def located(plan: dict, path: str) -> list[dict]:
    return [d for d in plan["diagnostics"] if d["location"] and d["location"]["path"] == path]


def paragraph_text(p_el) -> str:
    return "".join(t.text or "" for t in p_el.iter(qn("w:t")))


def open_docx(data: bytes):
    doc = docx.Document(io.BytesIO(data))
    try:
        numbering = doc.part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering = None
    return doc, anchor_elements(doc.element, doc.styles.element, numbering)


def comment_anchors(doc) -> dict[int, object]:
    """Comment id -> the w:p its range starts in."""
    return {int(el.get(qn("w:id"))): el.getparent() for el in doc.element.body.iter(qn("w:commentRangeStart"))}


def expected_text(d: dict) -> str:
    """What a comment must say: the message (as a sentence) and, at its end, the code and severity."""
    return d["message"][0].upper() + d["message"][1:]


def says_it(d: dict, text: str) -> bool:
    return expected_text(d) in text and f"({d['code']}, {d['severity']})" in text and "To fix it: " in text


def words(el) -> str:
    return " ".join(paragraph_text(el).split()).casefold()


def under_header(anchored, row, column: str) -> bool:
    """Whether the paragraph `anchored` is in the cell of `row` under a header cell reading `column`."""
    cells = [tc for tc in row.iter(qn("w:tc"))]
    cell = next(a for a in anchored.iterancestors(qn("w:tc")))
    index = cells.index(cell)
    table = next(row.iterancestors(qn("w:tbl")))
    for above in table.iter(qn("w:tr")):
        if above is row:
            return False
        above_cells = list(above.iter(qn("w:tc")))
        if index < len(above_cells) and words(above_cells[index]) == " ".join(column.split()).casefold():
            return True
    return False


def test_originals_untouched(sample):
    out, plan, before, after = sample
    assert before == after
    for sub in plan["submissions"]:
        assert hashlib.sha256((INPUTS / sub["path"]).read_bytes()).hexdigest() == sub["sha256"]


def test_an_annotated_copy_for_every_file_with_diagnostics(sample):
    out, plan, _, _ = sample
    expected = sorted(s["path"] for s in plan["submissions"]
                      if s["readable"] and located(plan, s["path"]) and s["path"].endswith((".docx", ".xlsx")))
    written = sorted(p.relative_to(out / "annotated").as_posix() for p in (out / "annotated").rglob("*") if p.is_file())
    assert expected and written == expected


def test_word_comments_on_the_right_paragraphs(sample):
    out, plan, _, _ = sample
    docs = [s["path"] for s in plan["submissions"] if s["path"].endswith(".docx") and located(plan, s["path"])]
    assert len(docs) >= 10
    checked = precise = 0
    for path in docs:
        doc, anchors = open_docx((out / "annotated" / path).read_bytes())
        original, _ = open_docx((INPUTS / path).read_bytes())
        starts = comment_anchors(doc)
        comments = list(doc.comments)
        assert len(comments) == len(located(plan, path)) + len(list(original.comments)), path
        ours = [c for c in comments if c.author == "sdp"]
        unused = {c.comment_id: c for c in ours}
        for d in located(plan, path):
            match = [c for c in unused.values() if says_it(d, c.text)]
            assert match, (path, d)
            comment = match[0]
            del unused[comment.comment_id]
            assert comment.initials == "sdp" and comment.timestamp is None
            for s in d["suggestions"]:
                assert s in comment.text
            anchored = starts[comment.comment_id]
            el = anchors.get(anchor_key(d["location"]["text"]))
            if el is None:
                assert anchored is next(doc.element.body.iter(qn("w:p"))), (path, d)
            elif el.tag == qn("w:p"):
                assert anchored is el, (path, d["location"]["text"], paragraph_text(anchored))
                assert not comment.text.startswith(d["location"]["text"] + ":"), "on the paragraph: no location"
            else:
                assert any(anchored is q for q in el.iter(qn("w:p"))), (path, d["location"]["text"])
                column = d["location"]["column"]
                if column and under_header(anchored, el, column):
                    precise += 1      # on the cell under the column that holds the problem
                    assert not comment.text.startswith(d["location"]["text"] + ":")
                else:
                    assert anchored is next(el.iter(qn("w:p")))
            checked += 1
        assert not unused, path
    assert checked >= 80
    assert precise >= 20, "diagnostics about one column of a row sit on that column's cell"


def test_r002_comment_on_the_paragraph_naming_lf3_9(sample):
    out, plan, _, _ = sample
    path = "kcc/public-health.docx"
    r002 = [d for d in located(plan, path) if d["code"] == "R002"]
    assert r002 and r002[0]["location"]["text"] == "paragraph 14"
    doc, _ = open_docx((out / "annotated" / path).read_bytes())
    starts = comment_anchors(doc)
    comment = next(c for c in doc.comments if "R002" in c.text)
    assert comment.text.startswith("Unknown indicator 'LF3.9'. Did you mean ")
    assert "To fix it: use the logframe's indicator ID" in comment.text and comment.text.endswith("(R002, error)")
    assert "LF3.9" in paragraph_text(starts[comment.comment_id])


def test_table_row_comment_on_that_row(sample):
    out, plan, _, _ = sample
    path = "districts/swale.docx"
    r003 = [d for d in located(plan, path) if d["code"] == "R003"]
    assert r003 and r003[0]["location"]["text"].startswith("table 1, row 2")
    doc, anchors = open_docx((out / "annotated" / path).read_bytes())
    comment = next(c for c in doc.comments if "R003" in c.text)
    anchored = comment_anchors(doc)[comment.comment_id]
    row = anchors["table 1, row 2"]
    assert any(anchored is q for q in row.iter(qn("w:p")))
    assert under_header(anchored, row, "Related strategy"), "on the Related strategy cell, not the row's first"
    assert "Swale Health Inequalities Action Plan" in paragraph_text(anchored)
    assert "Swale Health Inequalities Action Plan" in comment.text


def test_excel_notes_on_the_right_cells(sample):
    out, plan, _, _ = sample
    books = [s["path"] for s in plan["submissions"] if s["path"].endswith(".xlsx") and located(plan, s["path"])]
    assert len(books) >= 3
    for path in books:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(out / "annotated" / path)
        for d in located(plan, path):
            loc = d["location"]
            ws = wb[loc["sheet"]] if loc["sheet"] in wb.sheetnames else wb.worksheets[0]
            coord = loc["cell"] or (f"A{loc['row']}" if loc["row"] else "A1")
            note = ws[coord].comment
            assert note is not None, (path, loc["text"])
            assert note.author == "sdp"
            assert says_it(d, note.text), (path, loc["text"], note.text)
            if loc["cell"]:
                assert f"{loc['text']}: " not in note.text, "on its cell, the note needs no location"
    wb = openpyxl.load_workbook(out / "annotated" / "partners/medway-council-action-tracker.xlsx")
    assert "MC-01" in wb["Outcomes 1 and 2"]["G5"].comment.text


def test_annotated_copies_are_byte_identical(sample, tmp_path):
    out, _, _, _ = sample
    _, _ = compile_dir(INPUTS, tmp_path)
    again = tmp_path / "out" / "annotated"
    first = sha256_tree(out / "annotated")
    assert first and first == sha256_tree(again)


def test_document_properties_are_the_originals(sample):
    out, plan, _, _ = sample
    for path in ("kcc/public-health.docx", "partners/medway-council-action-tracker.xlsx"):
        with zipfile.ZipFile(INPUTS / path) as a, zipfile.ZipFile(out / "annotated" / path) as b:
            assert a.read("docProps/core.xml") == b.read("docProps/core.xml")


# --------------------------------------------------------------------------- small fixtures, direct

def _d(code: str, text: str, path: str = "x.docx", **loc) -> object:
    return diag(code, "warning", f"message for {code}", location=Location(path, text=text, **loc),
                suggestions=["'A'"] if code == "R002" else [])


def test_no_precise_place_goes_on_the_first_paragraph():
    body = heading("Outcome 1: Best start") + p("First action text") + tbl([["Lead", "Measure"], ["KCC", "LF1.1"]])
    data = docx_bytes(body)
    out = annotate_docx(data, [_d("I001", "file"), _d("C099", "document properties"),
                               _d("R002", "table 1, row 2 (Measure)", table=1, row=2, column="Measure"),
                               _d("C005", "paragraph 2", paragraph=2)])
    doc, anchors = open_docx(out)
    starts = comment_anchors(doc)
    by_code = {re.search(r"[A-Z]\d{3}", c.text).group(): c for c in doc.comments}
    first = next(doc.element.body.iter(qn("w:p")))
    assert starts[by_code["I001"].comment_id] is first
    assert starts[by_code["C099"].comment_id] is first
    assert starts[by_code["C005"].comment_id] is anchors["paragraph 2"]
    assert paragraph_text(starts[by_code["R002"].comment_id]) == "LF1.1", "on the Measure cell, not the row's first"
    assert "Did you mean 'A'?" in by_code["R002"].text
    assert by_code["R002"].text.startswith("Message for R002. Did you mean 'A'? To fix it: ")
    assert by_code["C099"].text.startswith("Message for C099"), "a whole-file place needs no words"


def test_empty_paragraph_gets_a_run_for_its_comment():
    data = docx_bytes(p("") + p("Second"))
    doc, anchors = open_docx(annotate_docx(data, [_d("I006", "paragraph 1", paragraph=1)]))
    comment = next(iter(doc.comments))
    assert "I006" in comment.text


def test_xlsx_note_on_a_merged_cell_and_existing_sheet_fallback():
    book = xlsx_bytes({"Tracker": [["Title", None, None], ["Ref", "Action", "Lead"], ["A1", "Do it", "KCC"]]},
                      merges={"Tracker": ["A1:C1"]})
    diags = [_d("I006", "Tracker!B1", path="t.xlsx", sheet="Tracker", cell="B1"),
             _d("C005", "Tracker!3:3", path="t.xlsx", sheet="Tracker", row=3),
             _d("I001", "file", path="t.xlsx"),
             _d("R004", "Gone!C3", path="t.xlsx", sheet="Gone", cell="C3")]
    wb = openpyxl.load_workbook(io.BytesIO(annotate_xlsx(book, diags)))
    ws = wb["Tracker"]
    assert "I006" in ws["A1"].comment.text and "I001" in ws["A1"].comment.text and "R004" in ws["A1"].comment.text
    assert "C005" in ws["A3"].comment.text


def test_unopenable_files_are_skipped_quietly():
    d = _d("I006", "paragraph 1", paragraph=1)
    assert annotated_copy(docx_bytes(p("Strict text"), strict=True), "s.docx", [d]) is None
    assert annotated_copy(xlsx_bytes({"S": [["a"]]}, strict=True), "s.xlsx", [d]) is None
    assert annotated_copy(b"not a zip at all", "broken.docx", [d]) is None
    assert annotated_copy(b"PK\x03\x04 truncated", "broken.xlsx", [d]) is None
    assert annotated_copy(docx_bytes(p("x")), "x.pdf", [d]) is None
    assert annotated_copy(docx_bytes(p("x")), "x.docx", []) is None


def test_compile_with_a_strict_submission_still_succeeds(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    body = heading("Outcome 1: Give children and young people the best start in life") + \
        p("Deliver a new service with an unknown measure LF9.9")
    (inputs / "strict.docx").write_bytes(docx_bytes(body, strict=True))
    (inputs / "plain.docx").write_bytes(docx_bytes(body))
    code, plan = compile_dir(inputs, tmp_path)
    assert code in (0, 1)
    assert located(plan, "strict.docx") and located(plan, "plain.docx")
    out = tmp_path / "out" / "annotated"
    assert (out / "plain.docx").exists()
    assert not (out / "strict.docx").exists(), "python-docx cannot open Strict: no annotated copy, no failure"


def test_libreoffice_opens_annotated_copies(sample, tmp_path):
    import subprocess

    from tests.tools import soffice as find_soffice

    soffice = find_soffice("writer", "calc")
    out, _, _, _ = sample
    files = []
    for path in ("kcc/public-health.docx", "hcp/east-kent.docx", "partners/medway-council-action-tracker.xlsx"):
        target = tmp_path / path.replace("/", "--")
        target.write_bytes((out / "annotated" / path).read_bytes())
        files.append(target)
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *map(str, files)],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    for f in files:
        pdf = tmp_path / "pdf" / (f.stem + ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), proc.stdout + proc.stderr


def test_text_box_paragraph_comment_goes_on_the_host_paragraph():
    from tests.fixtures.ooxml import r, textbox

    box = p("Inside the box") + p("Second line in the box")
    body = heading("Outcome 3") + p(runs=r("Host paragraph text.") + textbox(box)) + p("After")
    data = docx_bytes(body)
    doc, anchors = open_docx(data)
    boxed = [label for label, el in anchors.items()
             if el.tag == qn("w:p") and paragraph_text(el) == "Second line in the box"]
    assert boxed, list(anchors)
    out = annotate_docx(data, [_d("D011", boxed[0], paragraph=int(boxed[0].split()[-1]))])
    doc, _ = open_docx(out)
    anchored = comment_anchors(doc)[next(iter(doc.comments)).comment_id]
    assert paragraph_text(anchored).startswith("Host paragraph text.")
    assert not list(anchored.iterancestors(qn("w:txbxContent")))


def test_control_characters_in_a_message_do_not_lose_the_copy():
    bad = diag("R002", "error", "unknown indicator 'LF\x013.9\x0b'", location=Location("x.docx", text="paragraph 1"))
    out = annotated_copy(docx_bytes(p("Text")), "x.docx", [bad])
    assert out is not None
    comment = next(iter(docx.Document(io.BytesIO(out)).comments))
    assert "Unknown indicator 'LF3.9'" in comment.text
    book = xlsx_bytes({"S": [["a"]]})
    bad_x = diag("R002", "error", "bad \x02 text", location=Location("t.xlsx", sheet="S", cell="A1", text="S!A1"))
    wb = openpyxl.load_workbook(io.BytesIO(annotated_copy(book, "t.xlsx", [bad_x])))
    assert "Bad  text" in wb["S"]["A1"].comment.text
