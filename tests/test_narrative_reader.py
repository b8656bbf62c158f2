"""The narrative document (front matter) read into `compiler.blocks`, carried by the records and the plan."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import pickle

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from compiler.blocks import Heading, Image, ListItem, Para, Table, Text, cell_text
from compiler.readers import read_submission
from compiler.readers.narrative import DEFAULT_ALT
from compiler.resolve import resolve
from compiler.ruleset import load_rules
from compiler.vocabulary import Vocabulary
from compiler.writers.plan_json import dumps, plan_document

from .conftest import DEFAULT_RULES, SCHEMA
from .test_documents import _png

PATH = "narrative/introduction.docx"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load_rules(DEFAULT_RULES))


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _narrative() -> bytes:
    """Like test_documents' fixture, plus tracked changes, a comment, a hyperlink, a field link,
    emphasis, a nested and a numbered list, a Title and an image with a title but no description."""
    d = docx.Document()
    d.core_properties.title = "Introduction"
    body_style = d.styles.add_style("Council Body", WD_STYLE_TYPE.PARAGRAPH)
    body_style.base_style = d.styles["Normal"]
    body_style.font.name = "Georgia"
    d.add_paragraph("Introduction", style="Heading 2")   # first heading one level too deep
    d.add_paragraph("Partners take collective responsibility for this plan.", style="Council Body")

    tracked = d.add_paragraph("We will ")
    tracked._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a">{_run("jointly ")}</w:ins>'))
    tracked._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>never </w:delText>'
                                f'</w:r></w:del>'))
    tracked.add_run("deliver ")
    bold = tracked.add_run("together")
    bold.bold = True
    tracked.add_run(".")
    d.add_comment(tracked.runs[0], text="A reviewer's remark", author="rev", initials="r")

    linked = d.add_paragraph("See ")
    rid = d.part.relate_to("https://example.org/plan", RT.HYPERLINK, is_external=True)
    linked._p.append(parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}">{_run("the strategy")}</w:hyperlink>'))
    linked.add_run(" and ")
    for xml in (f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> HYPERLINK "mailto:plan@example.org" '
                f'</w:instrText></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {nsdecls("w")}><w:t>write to us</w:t></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'):
        linked._p.append(parse_xml(xml))
    italic = linked.add_run(" soon")
    italic.italic = True

    d.add_paragraph("A first point", style="List Bullet")
    d.add_paragraph("A nested point", style="List Bullet 2")
    d.add_paragraph("A second point", style="List Bullet")
    d.add_paragraph("Step one", style="List Number")
    d.add_paragraph("Detail", style="Heading 4")   # skips a level
    deleted = d.add_paragraph("Gone entirely")
    deleted_run = deleted._p.r_lst[0]
    wrapper = parse_xml(f'<w:del {nsdecls("w")} w:id="3" w:author="a"/>')
    deleted._p.replace(deleted_run, wrapper)
    wrapper.append(deleted_run)
    for t in deleted_run.iter(qn("w:t")):
        t.tag = qn("w:delText")

    table = d.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Board", "Date"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "ICP", "27 August 2024"
    table.rows[2].cells[0].merge(table.rows[2].cells[1]).text = "Both columns"
    d.add_paragraph("Plan on a page", style="Title")
    d.add_picture(io.BytesIO(_png()))
    d.add_picture(io.BytesIO(_png()))
    doc_pr = list(d.element.body.iter(qn("wp:docPr")))[-1]
    doc_pr.set("title", "A map of the places")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def records(vocab):
    return read_submission(PATH, _narrative(), vocab)


def _texts(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, (Heading, Para, ListItem))]


def test_the_narrative_document_is_read_into_blocks(records):
    assert records.kinds == ["narrative"] and records.readable
    blocks = records.front_matter
    headings = [(b.level, b.text) for b in blocks if isinstance(b, Heading)]
    # Heading 2 first -> 1; Heading 4 after it -> 2; the Title -> 1.
    assert headings == [(1, "Introduction"), (2, "Detail"), (1, "Plan on a page")]
    assert blocks[0] == Heading(1, (Text("Introduction"),))
    assert blocks[1] == Para((Text("Partners take collective responsibility for this plan."),), "Council Body")


def test_tracked_changes_are_accepted_and_comments_left_out(records):
    texts = _texts(records.front_matter)
    assert "We will jointly deliver together." in texts
    assert not any("never" in t or "Gone entirely" in t or "remark" in t for t in texts)
    para = next(b for b in records.front_matter if isinstance(b, Para) and b.text.startswith("We will"))
    assert para.content == (Text("We will jointly deliver "), Text("together", bold=True), Text("."))
    assert para.style is None


def test_hyperlinks_are_kept_on_the_text(records):
    para = next(b for b in records.front_matter if isinstance(b, Para) and b.text.startswith("See"))
    assert para.text == "See the strategy and write to us soon"
    assert Text("the strategy", link="https://example.org/plan") in para.content
    assert Text("write to us", link="mailto:plan@example.org") in para.content
    assert Text(" soon", italic=True) in para.content


def test_list_items_keep_their_level_and_kind(records):
    items = [(b.text, b.level, b.ordered) for b in records.front_matter if isinstance(b, ListItem)]
    assert items == [("A first point", 0, False), ("A nested point", 1, False), ("A second point", 0, False),
                     ("Step one", 0, True)]


def test_tables_keep_their_header_row_and_merged_cells(records):
    table = next(b for b in records.front_matter if isinstance(b, Table))
    assert [cell_text(c) for c in table.header] == ["Board", "Date"]
    assert [[cell_text(c) for c in row] for row in table.rows] == [["ICP", "27 August 2024"], ["Both columns", ""]]
    assert table.widths is not None and len(table.widths) == 2


def test_images_keep_their_bytes_and_alt_text(records):
    images = [b for b in records.front_matter if isinstance(b, Image)]
    assert [i.alt for i in images] == [DEFAULT_ALT, "A map of the places"]
    assert all(i.data == _png() and i.content_type == "image/png" and i.width_emu and i.height_emu for i in images)


def test_custom_styles_come_with_their_definition(records):
    (style,) = records.front_matter_styles
    assert style.name == "Council Body" and style.kind == "paragraph"
    el = etree.fromstring(style.xml)
    assert el.tag == qn("w:style")
    assert el.find(qn("w:basedOn")).get(qn("w:val")) == "Normal"
    assert el.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:ascii")) == "Georgia"


def test_the_narrative_paragraphs_are_used(records):
    ignored = records.accounting.ignored()
    assert records.accounting.used > 0
    assert not any(loc.paragraph is not None for loc, _ in ignored), ignored   # table rows: as before


def test_records_with_front_matter_cross_process_boundaries(records):
    again = pickle.loads(pickle.dumps(records))
    assert again.front_matter == records.front_matter
    assert again.front_matter_styles == records.front_matter_styles


def test_a_contribution_has_no_front_matter(vocab):
    d = docx.Document()
    d.add_paragraph("Some notes", style="Heading 1")
    d.add_paragraph("Nothing about the plan.")
    out = io.BytesIO()
    d.save(out)
    rec = read_submission("notes.docx", out.getvalue(), vocab)
    assert "narrative" not in rec.kinds and rec.front_matter == [] and rec.front_matter_styles == []


def test_the_plan_carries_the_front_matter_and_plan_json_shows_it_as_text(records, vocab):
    plan = resolve([copy.deepcopy(records)], vocab)
    assert plan.front_matter == records.front_matter
    assert [s.name for s in plan.front_matter_styles] == ["Council Body"]
    document = plan_document(plan, vocab.rules)
    front = document["front_matter"]
    assert front[0] == {"type": "heading", "level": 1, "text": "Introduction"}
    assert front[1] == {"type": "paragraph", "text": "Partners take collective responsibility for this plan.",
                        "style": "Council Body"}
    see = next(b for b in front if b.get("text", "").startswith("See"))
    assert see["links"] == [{"text": "the strategy", "href": "https://example.org/plan"},
                            {"text": "write to us", "href": "mailto:plan@example.org"}]
    image = next(b for b in front if b["type"] == "image")
    assert image["sha256"] == hashlib.sha256(_png()).hexdigest() and "data" not in image
    assert dumps(document) == dumps(plan_document(resolve([copy.deepcopy(records)], vocab), vocab.rules))
    import jsonschema

    jsonschema.validate(json.loads(dumps(document)), json.loads(SCHEMA.read_text(encoding="utf-8")))
