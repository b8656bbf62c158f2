"""Text from the inputs reaches a generated Word document exactly: the builder writes paragraphs and
tables as WordprocessingML text (compiler/writers/docx/builder.py), so every character that markup
or an XML parser would change (&, <, quotes, a carriage return, tabs and line feeds in attributes)
and an empty run must come back as written, in table cells as in paragraphs."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from compiler.blocks import Document, Field, Para, Text, table
from compiler.writers.docx import render_docx
from compiler.writers.docx.styles import clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
AWKWARD = ["a & b < c > d \"q\" 'x' ]]>", "tab\there", "cr\rhere", "crlf\r\nx", "  leading", "trailing  ",
           "two  spaces", "control\x01\x0bchars\x1f", "<w:t>not markup</w:t>", "&amp; already escaped",
           "no\u00a0break \U0001f600 \u2028"]


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def _texts(el: etree._Element) -> list[str]:
    return [t.text or "" for t in el.iter(f"{W}t")]


def test_awkward_text_comes_back_exactly_in_paragraphs_tables_and_attributes():
    doc = Document("Awkward text")
    for text in AWKWARD:
        doc.para(text)
        doc.blocks.append(Para((Text(text, bold=True), Text(""), Text(text, link="https://example.org/?a=1&b=2"))))
    caption = "Caption & \"quoted\"\n\ttab\rreturn"
    label = "Label & \"quoted\"\n\ttab"
    doc.blocks.append(table(["Text", "Blocks", "Field"],
                            [[text, (Para((Text(text), Text(""))),), (Para((Field(label, "combo", (text,), text),)),)]
                             for text in AWKWARD], caption=caption))
    xml = _document_xml(render_docx(doc, None))
    body = etree.fromstring(xml).find(f"{W}body")
    paragraphs = [p for p in body.iterchildren(f"{W}p") if p.find(f".//{W}t") is not None]
    expected = [clean(t) for t in AWKWARD]
    assert [_texts(p) for p in paragraphs[1::2]] == [[e, "", e] for e in expected]
    assert [_texts(p) for p in paragraphs[::2]] == [[e] for e in expected]
    tbl = body.find(f"{W}tbl")
    assert tbl.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") == clean(caption)
    rows = tbl.findall(f"{W}tr")[1:]
    assert [[_texts(tc) for tc in row.findall(f"{W}tc")] for row in rows] == \
        [[e.split("\n"), [e, ""], [e]] for e in expected]  # a plain string cell holds a paragraph a line
    sdt = rows[0].find(f".//{W}sdt")
    assert sdt.find(f"{W}sdtPr/{W}alias").get(f"{W}val") == label
    assert sdt.find(f"{W}sdtPr/{W}comboBox").get(f"{W}lastValue") == expected[0]
    assert all(link.get(f"{R}id", "").startswith("rId") for link in body.iter(f"{W}hyperlink"))
    assert xml.count(b"<w:t></w:t>") == 2 * len(AWKWARD)  # an empty run is written as Word writes it, not <w:t/>
