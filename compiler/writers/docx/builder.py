"""DocBuilder: writes one generated document's body as WordprocessingML.

Paragraphs and tables are written as WordprocessingML text, parsed once per
table or paragraph and put straight into the body (no python-docx proxy
objects, no element-by-element building per cell), every table with a marked,
repeating header row; headings are bookmarked and, where asked, listed in a
table-of-contents field whose result already holds the entries, each linked to
its heading. Settings carry no `w:updateFields`, which would make Word ask to
update fields on every opening: the entries are right as written, and a reader
who wants page numbers in them updates the field once (F9), which the TOC
field's instruction allows. Every page
carries "Page N of M" in its footer (PAGE and NUMPAGES fields); short IDs and
dates in table cells do not break across lines; title, language and fixed dates
go into the core properties.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from lxml import etree

from ... import __version__
from ...blocks import Field, Inlines, ListItem, Para, StyleDef, Text, inlines, plain
from .base import base_document, package_bytes
from ..wrapping import keep_together
from .styles import _NEEDED, _STYLE_DEFS, W_NS, StyleMap, _clear_update_fields, _set_language, _w, clean

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R_ID = f"{{{_R_NS}}}id"
_RT_HYPERLINK = _R_NS + "/hyperlink"
_EMPHASIS = {(True, False): "Strong", (False, True): "Emphasis", (True, True): "Strong Emphasis"}
_PICTURE = (
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:docPr id="{id}" name="Picture {id}" descr="{alt}"/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="Picture {id}" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    '</wp:inline></w:drawing>')


# Content controls (w:sdt) for template fields: the control element of each Field kind. Text is a
# rich-text control (no type element): LibreOffice keeps its placeholder, where it turns a plain-text
# control (w:text) into an input field whose prompt becomes content.
_CONTROL = {"list": "w:dropDownList", "combo": "w:comboBox", "text": None, "date": "w:date"}
# Word's grey "Placeholder Text" character style, for a field's prompt (added when the base lacks it).
_PLACEHOLDER_STYLE = ('<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                      'w:type="character" w:styleId="PlaceholderText"><w:name w:val="Placeholder Text"/>'
                      '<w:uiPriority w:val="99"/><w:semiHidden/><w:rPr><w:color w:val="595959"/></w:rPr></w:style>')


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def list_style(item: ListItem) -> str:
    """The paragraph style of a list item: List Bullet / List Number, then 2 and 3 for deeper levels."""
    kind = "List Number" if item.ordered else "List Bullet"
    level = min(max(item.level, 0), 2)
    return kind if level == 0 else f"{kind} {level + 1}"


# Paragraphs, runs and tables are written as XML text and parsed once per table or paragraph: building
# them element by element through lxml cost most of a large document's time. The text parses to exactly
# the elements the element API would have built (same order, attributes and text), so the bytes are the
# same; `_parse` restores the one difference, an empty w:t (an empty text set, not none). The namespaces
# are declared on the element itself, not on a wrapper element: lxml then moves it into the document in
# one step (dropping the declarations the document already has); parsed under a wrapper, moving a large
# table took seconds, lxml resolving every node's namespace again.
_W_T = _w("w:t")
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
_DECLARE_W = f' xmlns:w="{W_NS}"'
_DECLARE_R = f' xmlns:r="{_R_NS}"'


_MARKUP = re.compile("[&<>\r]")


def _text(text: str) -> str:
    """Character data as XML text that parses back to exactly `text` (a CR would read as a line feed)."""
    if not _MARKUP.search(text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _value(text: str) -> str:
    """An attribute value as XML text that parses back to exactly `text` (whitespace is not normalised)."""
    return _text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _parse(xml: str) -> etree._Element:
    """The element written as `xml` (WordprocessingML, the w and r prefixes bound)."""
    head = xml.index(">")  # the end of the root's start tag (it has no attributes)
    declare = _DECLARE_W + (_DECLARE_R if 'r:id="' in xml else "")
    el = etree.fromstring(xml[:head] + declare + xml[head:], _PARSER)
    if "<w:t></w:t>" in xml:
        for t in el.iter(_W_T):
            if t.text is None:
                t.text = ""
    return el


@functools.lru_cache(maxsize=256)
def _p_open(style_id: str | None) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{_value(style_id)}"/></w:pPr>' if style_id else "<w:p>"


def _p_xml(style_id: str | None, inner: str = "") -> str:
    """A paragraph, in a style (by id) or none, holding `inner` (its runs, as XML)."""
    return f"{_p_open(style_id)}{inner}</w:p>"


def _run_xml(text: str, style_id: str | None = None) -> str:
    """A run of text, in a character style (by id) or none; spaces kept where Word would fold them."""
    text = clean(text)
    space = ' xml:space="preserve"' if text != text.strip() or "  " in text else ""
    rpr = f'<w:rPr><w:rStyle w:val="{_value(style_id)}"/></w:rPr>' if style_id is not None else ""
    return f"<w:r>{rpr}<w:t{space}>{_text(text)}</w:t></w:r>"


def _unbreakable_xml(text: str) -> str:
    """A short ID or a date kept on one line: hyphens as Word's non-breaking hyphen, spaces as no-break spaces."""
    out = []
    for i, piece in enumerate(clean(text).replace(" ", "\u00a0").split("-")):
        if i:
            out.append("<w:r><w:noBreakHyphen/></w:r>")
        if piece:
            out.append(_run_xml(piece))
    return "".join(out)


def _p(style_id: str | None, text: str = "") -> etree._Element:
    return _parse(_p_xml(style_id, _run_xml(text) if text else ""))


def _add_run(parent: etree._Element, text: str) -> etree._Element:
    r = _parse(_run_xml(text))
    parent.append(r)
    return r


def _field(instruction: str, result: str = "") -> list[etree._Element]:
    """The runs of a complex field: begin, instruction, separate, its current result, end."""
    def fld(kind: str) -> etree._Element:
        r = etree.Element(_w("w:r"))
        etree.SubElement(r, _w("w:fldChar")).set(_w("w:fldCharType"), kind)
        return r

    instr_run = etree.Element(_w("w:r"))
    instr = etree.SubElement(instr_run, _w("w:instrText"))
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    runs = [fld("begin"), instr_run, fld("separate")]
    if result:
        r = etree.Element(_w("w:r"))
        etree.SubElement(r, _w("w:t")).text = result
        runs.append(r)
    return runs + [fld("end")]


def _numbers_pages(story: etree._Element) -> bool:
    """Whether a header or footer already holds a PAGE field."""
    instructions = [t.text or "" for t in story.iter(_w("w:instrText"))]
    instructions += [f.get(_w("w:instr"), "") for f in story.iter(_w("w:fldSimple"))]
    return any(i.split()[:1] == ["PAGE"] for i in instructions)


class DocBuilder:
    """Writes one generated document: title, headings, paragraphs, tables, a contents field."""

    def __init__(self, reference: Path | None, *, title: str, language: str, subject: str = "",
                 author: str = "", created: date | None = None, keywords: str = ""):
        self.doc, self.used_reference = base_document(reference)
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(_w("w:sectPr"))
        self.styles = StyleMap(self.doc.styles.element)
        self.sid = {name: self.styles.ensure(name) for name in _NEEDED}
        self.title, self.language = title, language
        self.headings: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        self._bookmark = 0
        self._toc_at: etree._Element | None = None
        self._toc_levels = 2
        self._picture_id = 0
        self._field_id = 0
        _set_language(self.doc.styles.element, language)
        cp = self.doc.core_properties
        cp.title = clean(title)
        cp.language = language
        cp.subject = clean(subject)
        cp.author = clean(author)
        cp.last_modified_by = f"sdp {__version__}"
        cp.keywords = clean(keywords)
        cp.comments = ""
        cp.category = ""
        cp.content_status = ""
        cp.identifier = ""
        cp.version = __version__
        cp.revision = 1
        fixed = datetime.combine(created or date(2000, 1, 1), datetime.min.time(), tzinfo=timezone.utc)
        cp.created = cp.modified = fixed
        cp.last_printed = fixed

    # ---- low level

    def _append(self, el: etree._Element) -> etree._Element:
        if self.sect_pr is not None:
            self.sect_pr.addprevious(el)
        else:
            self.body.append(el)
        return el

    def append_element(self, el: etree._Element) -> etree._Element:
        return self._append(el)

    def next_bookmark(self) -> tuple[int, str]:
        self._bookmark += 1
        return self._bookmark, f"_Toc{self._bookmark:08d}"

    # ---- content

    def style_id(self, name: str) -> str | None:
        """The id of a named style: ours (added if the base lacks it), else one the base or a StyleDef has."""
        sid = self.sid.get(name)
        if sid is None:
            sid = self.styles.ensure(name) if name in _STYLE_DEFS else self.styles.id_of(name)
            if sid is not None:
                self.sid[name] = sid
        return sid

    def add_style(self, style: StyleDef) -> None:
        """A style a source document defined, added when the house style has none of that name."""
        if style.xml and self.styles.id_of(style.name) is None:
            self.styles.add_definition(style.xml)

    def runs_xml(self, content: Inlines) -> str:
        """Text runs of a paragraph, as XML: emphasis as character styles, links as hyperlinks."""
        if len(content) == 1 and type(content[0]) is Text and not (content[0].link or content[0].bold
                                                                    or content[0].italic):
            return _run_xml(content[0].text)  # most paragraphs: one plain run
        out = []
        for run in content:
            if isinstance(run, Field):
                out.append(self.form_field_xml(run))
                continue
            rid = self.doc.part.relate_to(run.link, _RT_HYPERLINK, is_external=True) if run.link else None
            style = "Hyperlink" if run.link else _EMPHASIS.get((run.bold, run.italic))
            r = _run_xml(run.text, self.style_id(style) if style else None)
            out.append(f'<w:hyperlink r:id="{_value(rid)}">{r}</w:hyperlink>' if rid is not None else r)
        return "".join(out)

    def form_field_xml(self, field: Field) -> str:
        """A run-level content control (w:sdt) titled with the field's label: a drop-down list, a
        combo box, text or a date picker. Empty, it shows its prompt as placeholder text
        (w:showingPlcHdr), which Word clears on the first keystroke and readers do not read."""
        self._field_id += 1
        pr = "".join(f'<{tag} w:val="{_value(clean(value))}"/>'
                     for tag, value in (("w:alias", field.label), ("w:tag", field.label), ("w:id", str(self._field_id))))
        if not field.text:
            pr += "<w:showingPlcHdr/>"
        kind = _CONTROL[field.kind]
        if kind:  # a text control has no element of its own
            attrs = items = ""
            if field.kind in ("list", "combo"):
                if field.text:
                    attrs = f' w:lastValue="{_value(clean(field.text))}"'
                items = "".join(f'<w:listItem w:displayText="{_value(clean(c))}" w:value="{_value(clean(c))}"/>'
                                for c in field.choices)
            elif field.kind == "date":
                items = "".join(f'<{tag} w:val="{_value(value)}"/>'
                                for tag, value in (("w:dateFormat", "dd/MM/yyyy"), ("w:lid", self.language),
                                                   ("w:storeMappedDataAs", "dateTime"), ("w:calendar", "gregorian")))
            pr += f"<{kind}{attrs}>{items}</{kind}>"
        style = None
        if not field.text:
            style = self.styles.id_of("Placeholder Text") or self.styles.add_definition(_PLACEHOLDER_STYLE)
        run = _run_xml(field.text or field.prompt or field.label, style or None)
        return f"<w:sdt><w:sdtPr>{pr}</w:sdtPr><w:sdtContent>{run}</w:sdtContent></w:sdt>"

    def para_xml(self, content: Inlines, style: str | None = None) -> str:
        return _p_xml(self.style_id(style) if style else None, self.runs_xml(content))

    def para_element(self, content: Inlines, style: str | None = None) -> etree._Element:
        return _parse(self.para_xml(content, style))

    def paragraph(self, text: str | Inlines, style: str | None = None) -> etree._Element:
        return self._append(self.para_element(inlines(text) if isinstance(text, str) else text, style))

    def bullet(self, text: str) -> etree._Element:
        return self.paragraph(text, "List Bullet")

    def doc_title(self, text: str) -> None:
        self.paragraph(text, "Title")

    def subtitle(self, text: str) -> None:
        self.paragraph(text, "Subtitle")

    def heading(self, text: str | Inlines, level: int) -> etree._Element:
        """A heading, bookmarked and listed for the contents."""
        level = max(1, min(level, 6))
        content = inlines(text) if isinstance(text, str) else text
        style_id = self.style_id(f"heading {level}")
        n, name = self.next_bookmark()
        self.headings.append((level, clean(plain(content)), name))
        inner = f'<w:bookmarkStart w:id="{n}" w:name="{name}"/>{self.runs_xml(content)}<w:bookmarkEnd w:id="{n}"/>'
        return self._append(_parse(_p_xml(style_id, inner)))

    def page_break(self) -> None:
        p = _p(None)
        r = etree.SubElement(p, _w("w:r"))
        etree.SubElement(r, _w("w:br")).set(_w("w:type"), "page")
        self._append(p)

    def image(self, data: bytes, alt: str, width_emu: int | None = None, height_emu: int | None = None) -> None:
        """An inline picture in a paragraph of its own, with its alt text; scaled to fit the text width."""
        rid, image = self.doc.part.get_or_add_image(io.BytesIO(data))
        cx = width_emu or image.width
        cy = height_emu or image.height
        limit = self._text_width_twips() * 635
        if cx > limit:
            cx, cy = limit, int(cy * limit / cx)
        self._picture_id += 1
        n = self._picture_id
        xml = _PICTURE.format(cx=int(cx), cy=int(cy), id=n, alt=_attr(clean(alt)), rid=rid)
        p = _p(None)
        r = etree.SubElement(p, _w("w:r"))
        r.append(etree.fromstring(xml))
        self._append(p)

    def table(self, headers: Sequence[object], rows: Iterable[Sequence[object]],
              widths: Sequence[float] | None = None, caption: str | None = None) -> etree._Element:
        """A table with a marked, repeating header row. A cell is a string, a list of strings (one
        paragraph each) or a tuple of blocks (Para / ListItem). A caption is the table's title for
        assistive technology (Word's alt-text title, `w:tblCaption`)."""
        n = len(headers)
        widths = list(widths or [1] * n)
        total = sum(widths)
        text_width = self._text_width_twips()
        grid = [max(300, int(text_width * w / total)) for w in widths]
        cell_style = self.sid["Table Text"]
        look = "".join(f' w:{k}="{v}"' for k, v in (("val", "04A0"), ("firstRow", "1"), ("lastRow", "0"),
                                                    ("firstColumn", "0"), ("lastColumn", "0"), ("noHBand", "1"),
                                                    ("noVBand", "1")))
        xml = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{_value(self.sid["SDP Table"])}"/>'
               f'<w:tblW w:w="5000" w:type="pct"/><w:tblLook{look}/>']
        if caption:
            xml.append(f'<w:tblCaption w:val="{_value(clean(caption)[:255])}"/>')
        xml.append("</w:tblPr><w:tblGrid>")
        xml += [f'<w:gridCol w:w="{g}"/>' for g in grid]
        xml.append("</w:tblGrid>")
        cells = [f'<w:tc><w:tcPr><w:tcW w:w="{g}" w:type="dxa"/></w:tcPr>' for g in grid]

        def fill(value: object, header: bool) -> None:
            if isinstance(value, tuple) and value and all(isinstance(b, (Para, ListItem)) for b in value):
                for block in value:
                    style = block.style if isinstance(block, Para) else list_style(block)
                    if not header and isinstance(block, Para) and len(block.content) == 1 \
                            and not block.content[0].link and keep_together(block.text):
                        xml.append(_p_xml(self.style_id(style or "Table Text"), _unbreakable_xml(block.text)))
                    else:
                        xml.append(self.para_xml(block.content, style or "Table Text"))
                return
            lines = value if isinstance(value, (list, tuple)) else [value]
            lines = [clean(x) for x in lines if x is not None and clean(x) != ""]
            if header:
                lines = [" ".join(" ".join(lines).split()) or "-"]
            for line in lines or [""]:
                for part in line.split("\n"):
                    if not header and keep_together(part):
                        xml.append(_p_xml(cell_style, _unbreakable_xml(part)))
                    else:
                        xml.append(_p_xml(cell_style, _run_xml(part) if part else ""))

        def add_row(values: Sequence[object], header: bool) -> None:
            xml.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for i in range(n):
                xml.append(cells[i])
                fill(values[i] if i < len(values) else "", header)
                xml.append("</w:tc>")
            xml.append("</w:tr>")

        add_row(list(headers), True)
        for row in rows:
            add_row(list(row), False)
        xml.append("</w:tbl>")
        return self._append(_parse("".join(xml)))

    def _text_width_twips(self) -> int:
        try:
            sec = self.doc.sections[-1]
            width = (sec.page_width or Mm(210)) - (sec.left_margin or 0) - (sec.right_margin or 0)
            return max(2000, int(width / 635))  # EMU -> twips
        except Exception:
            return 9000

    # ---- page layout

    def landscape(self) -> None:
        for sec in self.doc.sections:
            w, h = sec.page_width or Mm(210), sec.page_height or Mm(297)
            sec.orientation = WD_ORIENT.LANDSCAPE
            if h > w:
                sec.page_width, sec.page_height = h, w

    def header_note(self, text: str) -> None:
        """Put `text` in the header of every page of every section (default, first and even headers)."""
        style = self.sid["Header"]
        for hdr in self._margins("header"):
            hdr.is_linked_to_previous = False
            hdr._element.insert(0, _p(style, text))

    def _margins(self, kind: str) -> list:
        """Every header (or footer) a page of any section shows: the default, the first page's where
        sections have one, the even pages' where the document has them."""
        even_odd = self.doc.settings.element.find(_w("w:evenAndOddHeaders")) is not None
        out = []
        for sec in self.doc.sections:
            out.append(getattr(sec, kind))
            if sec.different_first_page_header_footer:
                out.append(getattr(sec, f"first_page_{kind}"))
            if even_odd:
                out.append(getattr(sec, f"even_page_{kind}"))
        return out

    def page_numbers(self) -> None:
        """"Page N of M" in the footer of every page of every section, unless the house style's footer
        already numbers its pages."""
        style = self.sid["Footer"]
        for ftr in self._margins("footer"):
            if not ftr.is_linked_to_previous and _numbers_pages(ftr._element):
                continue
            ftr.is_linked_to_previous = False
            for empty in [e for e in ftr._element.iterchildren(_w("w:p")) if not len(e.findall(f".//{_w('w:t')}"))]:
                ftr._element.remove(empty)
            p = _p(style, "Page ")
            for r in _field("PAGE", "1"):
                p.append(r)
            _add_run(p, " of ")
            for r in _field("NUMPAGES", "1"):
                p.append(r)
            ftr._element.append(p)

    # ---- contents

    def contents_here(self, label: str = "Contents", levels: int = 2) -> None:
        """Reserve the place of the table of contents; it is filled in by `finish`."""
        self.paragraph(label, "TOC Heading")
        self._toc_at = self._append(_p(None))
        self._toc_levels = levels

    def _fill_contents(self) -> None:
        placeholder = self._toc_at
        if placeholder is None:
            return
        entries = [(lvl, text, bm) for lvl, text, bm in self.headings if 1 <= lvl <= self._toc_levels]
        paras: list[etree._Element] = []
        for lvl, text, bm in entries:
            p = _p(self.sid[f"toc {lvl}"])
            link = etree.SubElement(p, _w("w:hyperlink"))
            link.set(_w("w:anchor"), bm)
            link.set(_w("w:history"), "1")
            _add_run(link, text)
            paras.append(p)
        if not paras:
            paras = [_p(self.sid["toc 1"], "No headings.")]

        def fld_run(kind: str) -> etree._Element:
            r = etree.Element(_w("w:r"))
            etree.SubElement(r, _w("w:fldChar")).set(_w("w:fldCharType"), kind)
            return r

        first, last = paras[0], paras[-1]
        ppr = first.find(_w("w:pPr"))
        at = (list(first).index(ppr) + 1) if ppr is not None else 0
        instr_run = etree.Element(_w("w:r"))
        instr = etree.SubElement(instr_run, _w("w:instrText"))
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = f' TOC \\o "1-{self._toc_levels}" \\h \\z \\u '
        for offset, el in enumerate((fld_run("begin"), instr_run, fld_run("separate"))):
            first.insert(at + offset, el)
        last.append(fld_run("end"))
        for p in paras:
            placeholder.addprevious(p)
        placeholder.getparent().remove(placeholder)

    # ---- output

    def finish(self) -> bytes:
        self._fill_contents()
        _clear_update_fields(self.doc.settings.element)
        return package_bytes(self.doc)
