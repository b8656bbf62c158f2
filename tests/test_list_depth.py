"""The same plan whoever saved the file: list depth as a reader sees it, and metadata lines split by
line breaks (issue 9, point 3).

LibreOffice writes a `List Bullet 2` paragraph as level 0 of a list of its own, indented further;
Word shows it as a sub-bullet, and so must the reader. The files here are built with python-docx
(as partners' templates are) and rewritten as LibreOffice and other editors write them.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx

from compiler.ooxml.styles import ListMark, list_depths
from tests.fixtures.ooxml import bullet, docx_bytes, heading, p, tbl
from tests.test_word_variations import actions_of, compile_word, diags, find_action, meta_table, no_action, write_inputs
from tests.conftest import compile_dir


def _python_docx_contribution() -> bytes:
    """A district's return written in Word's own list styles: actions as `List Bullet`, their
    milestones as `List Bullet 2` (no numbering on the paragraphs: the styles carry it)."""
    d = docx.Document()
    d.add_heading("Swale Borough Council: contribution", 0)
    d.add_paragraph("Organisation: Swale Borough Council")
    d.add_heading("Outcome 2: Tackle the wider determinants of health", 1)
    d.add_paragraph("Support households in fuel poverty through a warm homes scheme (Lead: Swale BC; "
                    "Measure: LF2.1)", style="List Bullet")
    d.add_paragraph("Scheme open for applications – Oct 2024", style="List Bullet 2")
    d.add_paragraph("Scheme evaluation reported – March 2026", style="List Bullet 2")
    d.add_paragraph("Run employment support clinics in Sheerness (Lead: Swale BC; Measure: LF2.2)",
                    style="List Bullet")
    d.add_paragraph("First clinic held – June 2025", style="List Bullet 2")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rewrite_document(data: bytes, change) -> bytes:
    """The same package with word/document.xml passed through `change`."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                body = change(body.decode("utf-8")).encode("utf-8")
            z.writestr(item, body)
    return out.getvalue()


def _as_libreoffice_writes_it(data: bytes) -> bytes:
    """Each list paragraph gets explicit numbering at level 0 of its style's own list, as
    LibreOffice writes `List Bullet` (numId 1) and `List Bullet 2` (numId 2) on saving."""
    def change(xml: str) -> str:
        for style, num_id in (("ListBullet", 1), ("ListBullet2", 2)):
            xml = xml.replace(f'<w:pStyle w:val="{style}"/>',
                              f'<w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="0"/>'
                              f'<w:numId w:val="{num_id}"/></w:numPr>')
        return xml
    return _rewrite_document(data, change)


def _milestones_read(plan: dict) -> None:
    warm = find_action(plan, "warm homes scheme")
    assert [m["text"] for m in warm["milestones"]] == ["Scheme open for applications – Oct 2024",
                                                      "Scheme evaluation reported – March 2026"]
    clinics = find_action(plan, "employment support clinics")
    assert [m["due"] for m in clinics["milestones"]] == ["2025-06-30"]
    no_action(plan, "Scheme open for applications")
    no_action(plan, "First clinic held")
    assert len(actions_of(plan)) == 2
    assert not diags(plan, "C006")


def test_style_levels_read_as_milestones(tmp_path):
    inputs = write_inputs(tmp_path, {"swale.docx": _python_docx_contribution()})
    _, plan = compile_dir(inputs, tmp_path)
    _milestones_read(plan)


def test_list_bullet_2_written_as_level_0_of_its_own_list_is_still_a_sub_bullet(tmp_path):
    original = _python_docx_contribution()
    resaved = _as_libreoffice_writes_it(original)
    assert b'<w:ilvl w:val="0"/><w:numId w:val="2"/>' in \
        zipfile.ZipFile(io.BytesIO(resaved)).read("word/document.xml")
    inputs = write_inputs(tmp_path, {"swale.docx": resaved})
    _, plan = compile_dir(inputs, tmp_path)
    _milestones_read(plan)


# Two lists of their own, each at level 0, told apart only by how far each is indented: the
# styles' names say nothing ("Bullets", "Sub bullets"), the numbering levels' indentation does.
_TWO_LISTS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    + "".join(
        f'<w:abstractNum w:abstractNumId="{aid}"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>'
        f'</w:lvl></w:abstractNum>'
        for aid, left in ((0, 360), (1, 1080)))
    + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
)


def _body(items: str) -> str:
    return meta_table() + heading("Outcome 2: Tackle the wider determinants of health") + items


def test_depth_from_the_numbering_levels_indentation(tmp_path):
    body = _body(
        bullet("Support households in fuel poverty (Lead: Swale BC; Measure: LF2.1)", num_id=1, style=None)
        + bullet("Scheme open for applications – Oct 2024", num_id=2, style=None)
        + bullet("Run employment support clinics (Lead: Swale BC; Measure: LF2.2)", num_id=1, style=None)
        + bullet("First clinic held – June 2025", num_id=2, style=None))
    plan = compile_word(tmp_path, body, numbering_xml=_TWO_LISTS)
    assert [a["text"] for a in actions_of(plan)] == ["Support households in fuel poverty",
                                                     "Run employment support clinics"]
    assert [m["text"] for m in find_action(plan, "fuel poverty")["milestones"]] == ["Scheme open for applications – Oct 2024"]
    assert [m["due"] for m in find_action(plan, "clinics")["milestones"]] == ["2025-06-30"]


def test_depth_from_the_paragraphs_own_indentation(tmp_path):
    """One list, every item at level 0; the milestones are indented by hand (direct w:ind)."""
    deeper = '<w:ind w:left="1440" w:hanging="360"/>'
    body = _body(
        bullet("Support households in fuel poverty (Lead: Swale BC; Measure: LF2.1)")
        + p("Scheme open for applications – Oct 2024", style="ListBullet", num=(1, 0), ppr=deeper)
        + p("Scheme evaluation reported – 2025/26", style="ListBullet", num=(1, 0), ppr=deeper))
    plan = compile_word(tmp_path, body)
    [action] = actions_of(plan)
    assert len(action["milestones"]) == 2


def test_equal_indentation_falls_back_to_the_declared_level(tmp_path):
    """A numbering whose levels are all indented alike: the `w:ilvl` still nests."""
    flat = _TWO_LISTS.replace('w:left="1080"', 'w:left="360"').replace(
        '</w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1">',
        '</w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>'
        '</w:abstractNum><w:abstractNum w:abstractNumId="1">', 1)
    body = _body(bullet("Support households in fuel poverty (Lead: Swale BC; Measure: LF2.1)", style=None)
                 + bullet("Scheme open for applications – Oct 2024", level=1, style=None))
    plan = compile_word(tmp_path, body, numbering_xml=flat)
    [action] = actions_of(plan)
    assert [m["text"] for m in action["milestones"]] == ["Scheme open for applications – Oct 2024"]


def test_list_depths_cluster_indentation_then_declared_level():
    marks = [ListMark(0, False, 360), ListMark(0, False, 720), ListMark(0, False, 740), ListMark(0, False, 360),
             ListMark(1, False, 360)]
    assert list_depths(marks) == [0, 2, 2, 0, 1]   # 720 and 740 are one stop; ilvl 1 nests within 360
    assert list_depths([ListMark(1, False, 720), ListMark(2, False, 1440)]) == [0, 1]   # depth within the run
    assert list_depths([ListMark(0, False, None), ListMark(1, False, 720)]) == [0, 1]   # indentation unknown
    # Deeper indentation wins over a lower declared level.
    assert list_depths([ListMark(1, False, 360), ListMark(0, False, 1080)]) == [0, 1]


def test_metadata_lines_separated_by_line_breaks_are_separate_keys(tmp_path):
    body = (p("Organisation: Swale Borough Council\nContact: Jo Bloggs\nVersion: 2.1")
            + heading("Outcome 2: Tackle the wider determinants of health")
            + bullet("Support households in fuel poverty (Lead: Swale BC; Measure: LF2.1; By: March 2026)"))
    plan = compile_word(tmp_path, body)
    sub = [s for s in plan["submissions"] if s["path"] == "swale.docx"][0]
    assert sub["partner_id"] == "swale-bc"
    assert sub["metadata"]["partner"] == "Swale Borough Council"
    assert sub["metadata"]["contact"] == "Jo Bloggs"
    assert sub["metadata"]["version"] == "2.1"
    assert not diags(plan, "I003")
    xml = docx_bytes(body)
    assert re.search(rb"Swale Borough Council</w:t><w:br/>", zipfile.ZipFile(io.BytesIO(xml)).read("word/document.xml"))
