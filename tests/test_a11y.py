"""`compiler.a11y.lint_docx`: one failing document per accessibility rule, and one that passes.

Each finding is a Diagnostic with the rule's A code (declared in compiler.codes), located in the
document: the paragraph, the table and header cell, the story, or the document's properties."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest

from compiler.a11y import lint_docx
from compiler.codes import all_codes, code_info
from compiler.diagnostics import Diagnostic, Severity
from compiler.diagnostics_render import text

from .conftest import SDP
from .fixtures.ooxml import W_NS, docx_bytes, esc

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def styles(lang: str | None = "en-GB", normal_lang: str | None = None) -> str:
    lang_el = f'<w:lang w:val="{lang}"/>' if lang else ""
    normal_rpr = f'<w:rPr><w:lang w:val="{normal_lang}"/></w:rPr>' if normal_lang else ""
    headings = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
        f'<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr></w:style>' for n in (1, 2, 3))
    return (XML + f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{lang_el}</w:rPr>'
            '</w:rPrDefault></w:docDefaults>'
            f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>{normal_rpr}'
            '</w:style>'
            '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="Ueberschrift2"><w:name w:val="heading 2"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="My heading"/>'
            '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
            f'{headings}</w:styles>')


def para(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{esc(text)}</w:t></w:r></w:p>"


def cell(text: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{para(text)}</w:tc>"


def table(header: list[str], marked: bool = True, header_tcpr: dict[int, str] | None = None) -> str:
    header_tcpr = header_tcpr or {}
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if marked else ""
    cols = "".join('<w:gridCol w:w="2000"/>' for _ in header)
    head = "".join(cell(h, header_tcpr.get(i, "")) for i, h in enumerate(header))
    body = "".join(cell(f"value {i}") for i in range(len(header)))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>'
            f"<w:tr>{trpr}{head}</w:tr><w:tr>{body}</w:tr></w:tbl>")


def image(descr: str | None) -> str:
    attr = f' descr="{esc(descr)}"' if descr is not None else ""
    return ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/>'
            f'<wp:docPr id="1" name="Chart 1"{attr}/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic>'
            "</wp:inline></w:drawing></w:r></w:p>")


GOOD_BODY = (para("A plan", "Title") + para("Outcome 1", "Heading1") + para("Priorities", "Heading2")
             + para("System-wide", "Heading3") + para("Body text") + table(["ID", "Action"])
             + para("Outcome 2", "Heading1") + para("Detail", "Ueberschrift2") + para("More", "MyHeading")
             + image("A line chart of smoking prevalence falling from 13% to 11%"))


def build(body: str = GOOD_BODY, *, title: str | None = "A plan", lang: str | None = "en-GB",
          normal_lang: str | None = None, headers: list[str] | None = None) -> bytes:
    core = {"title": title} if title is not None else {}
    return docx_bytes(body, styles_xml=styles(lang, normal_lang), core=core, headers=headers)


def test_a_document_that_keeps_every_rule_passes():
    assert lint_docx(build()) == []


def test_language_on_the_normal_style_is_enough():
    assert lint_docx(build(lang=None, normal_lang="cy-GB")) == []


def test_first_heading_may_be_heading_1_without_a_title():
    assert lint_docx(build(para("Outcome 1", "Heading1") + para("Priorities", "Heading2"))) == []


def codes(findings: list[Diagnostic]) -> list[str]:
    return [d.code for d in findings]


def only(findings: list[Diagnostic], code: str) -> Diagnostic:
    """The single finding, which must have `code`."""
    assert codes(findings) == [code], [text(d) for d in findings]
    return findings[0]


@pytest.mark.parametrize("body, words, paragraph", [
    (para("Outcome 1", "Heading1") + para("Detail", "Heading3"), "'Detail' is Heading 3 after Heading 1", 2),
    (para("A plan", "Title") + para("Priorities", "Heading2"), "'Priorities' is Heading 2 after the Title", 2),
    (para("Priorities", "Heading2") + para("Outcome 1", "Heading1"), "the first heading 'Priorities'", 1),
    (para("Outcome 1", "Heading1") + para("Deep", "MyHeading"), "'Deep' is Heading 3", 2),  # outline level by style
    (para("Outcome 1", "Heading1")
     + '<w:p><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>Direct</w:t></w:r></w:p>', "'Direct' is Heading 4", 2),
])
def test_skipped_heading_level_is_found(body, words, paragraph):
    d = only(lint_docx(build(body), path="plan.docx"), "A001")
    assert words in d.message, d
    assert d.location.path == "plan.docx" and d.location.paragraph == paragraph
    assert d.location.text == f"paragraph {paragraph}"


def test_table_without_header_row_is_found():
    d = only(lint_docx(build(para("Outcome 1", "Heading1") + table(["ID", "Action"], marked=False))), "A002")
    assert d.location.table == 1 and d.location.text == "table 1" and "header row" in d.message


def test_header_row_marked_off_counts_as_unmarked():
    body = para("Outcome 1", "Heading1") + table(["ID", "Action"]).replace("<w:tblHeader/>",
                                                                          '<w:tblHeader w:val="false"/>')
    assert "A002" in codes(lint_docx(build(body)))


@pytest.mark.parametrize("tcpr", ['<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>"])
def test_merged_header_cell_is_found(tcpr):
    findings = lint_docx(build(para("Outcome 1", "Heading1") + table(["ID", "Action"], header_tcpr={1: tcpr})))
    d = only(findings, "A003")
    assert d.location.text == "table 1, header cell 2" and "merged" in d.message


def test_empty_header_cell_is_found():
    d = only(lint_docx(build(para("Outcome 1", "Heading1") + table(["ID", ""]))), "A004")
    assert d.location.text == "table 1, header cell 2" and "empty" in d.message


@pytest.mark.parametrize("descr", [None, "", "   "])
def test_image_without_alt_text_is_found(descr):
    d = only(lint_docx(build(para("Outcome 1", "Heading1") + image(descr))), "A005")
    assert "'Chart 1'" in d.message and "alt text" in d.message
    assert d.location.paragraph == 2 and d.location.text == "paragraph 2"


def test_image_in_a_header_without_alt_text_is_found():
    d = only(lint_docx(build(headers=[image(None)])), "A005")
    assert d.location.text == "page header, paragraph 1" and d.location.paragraph is None


@pytest.mark.parametrize("title", [None, "", "  "])
def test_missing_title_is_found(title):
    d = only(lint_docx(build(title=title)), "A006")
    assert d.location.text == "document properties" and "title" in d.message


def test_missing_language_is_found():
    d = only(lint_docx(build(lang=None)), "A007")
    assert "language" in d.message


def test_every_broken_rule_is_reported_at_once():
    body = (para("Detail", "Heading2") + table(["", "Action"], marked=False, header_tcpr={1: '<w:gridSpan w:val="2"/>'})
            + image(None))
    findings = lint_docx(build(body, title=None, lang=None))
    assert codes(findings) == ["A001", "A002", "A004", "A003", "A005", "A006", "A007"], findings


def rewrite_document(data: bytes, change) -> bytes:
    """The package with word/document.xml passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = src.read(info.filename)
            dst.writestr(info, change(member) if info.filename == "word/document.xml" else member)
    return out.getvalue()


def test_a_document_with_no_body_is_found():
    data = rewrite_document(build(), lambda xml: xml.replace(b"<w:body>", b"<w:bodx>").replace(b"</w:body>", b"</w:bodx>"))
    d = only(lint_docx(data), "A008")
    assert d.location.text == "word/document.xml"


def test_every_finding_has_a_declared_accessibility_code_at_its_default_severity():
    body = (para("Detail", "Heading2") + table(["", "Action"], marked=False, header_tcpr={1: '<w:gridSpan w:val="2"/>'})
            + image(None))
    for d in lint_docx(build(body, title=None, lang=None)):
        assert d.code.startswith("A") and d.severity is code_info(d.code).severity is Severity.ERROR
    a_codes = [c for c in all_codes() if c.code.startswith("A")]
    assert len(a_codes) >= 8
    for info in a_codes:
        assert all(part in info.explanation for part in ("What it finds:", "Why it matters:", "How to fix it:"))


@pytest.mark.parametrize("data", [
    b"", b"not a zip", b"PK\x03\x04broken",
    docx_bytes(para("x")).replace(b"word/document.xml", b"word/documenx.xml"),
])
def test_unreadable_files_raise_value_error(data):
    with pytest.raises(ValueError):
        lint_docx(data)


def test_entities_are_refused_not_expanded():
    good = build()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:document", b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
                                    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document', 1)
                data = data.replace(b"\n<!DOCTYPE", b"<!DOCTYPE")
            dst.writestr(info, data)
    with pytest.raises(ValueError):
        lint_docx(out.getvalue())


def test_lint_doc_command(tmp_path):
    good, bad = tmp_path / "good.docx", tmp_path / "bad.docx"
    good.write_bytes(build())
    bad.write_bytes(build(title=None))
    assert subprocess.run([str(SDP), "lint-doc", str(good)], capture_output=True).returncode == 0
    proc = subprocess.run([str(SDP), "lint-doc", str(good), str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [f"{bad}: document properties: error A006: the core properties give no title "
                                        "(File > Info > Properties > Title)"], proc.stdout
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"junk")
    proc = subprocess.run([str(SDP), "lint-doc", str(junk)], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
