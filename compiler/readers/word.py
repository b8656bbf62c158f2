"""Word (.docx) body -> neutral blocks: paragraphs and tables in reading order.

Walks the OOXML with lxml rather than python-docx's object API, because that
API skips tracked insertions, content controls and text boxes, and cannot
open Strict Open XML. The document is read as if every tracked change were
accepted: inserted and moved-to text counts, deleted and moved-from text does
not. Field codes are not text; their displayed result is.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

from .package import Package, PackageError, parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CORE_DC = "http://purl.org/dc/elements/1.1/"
EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_SKIP_SUBTREES = {w("del"), w("moveFrom"), w("instrText"), w("delText"), w("delInstrText"), w("rPr"), w("pPr"),
                  w("footnoteReference"), w("endnoteReference"), w("commentReference"), w("annotationRef"),
                  w("sdtPr"), w("sdtEndPr"), w("fldData"), w("tblPr"), w("trPr"), w("tcPr"), w("tblGrid"),
                  w("sectPr"), w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("lastRenderedPageBreak")}
_TRUE_OFF = {"0", "false", "off", "none"}


@dataclass
class Paragraph:
    text: str
    element: etree._Element | None = field(default=None, repr=False, compare=False)
    style: str = ""
    heading_level: int | None = None   # 0 for Title, 1.. for Heading n
    bold: bool = False
    list_level: int | None = None
    numbered: bool = False


@dataclass
class Table:
    rows: list[list[str]]
    spans: list[list[int]] = field(default_factory=list)  # gridSpan of the cell starting at each column (0: covered)
    element: etree._Element | None = field(default=None, repr=False, compare=False)
    row_elements: list[etree._Element] = field(default_factory=list, repr=False, compare=False)


Block = Paragraph | Table


@dataclass
class WordDocument:
    blocks: list[Block]
    title: str = ""
    creator: str = ""
    company: str = ""
    header_texts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # content that exists but is not read, in plain words


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    bold: bool | None = None
    numbered: bool = False


class _Styles:
    def __init__(self, root: etree._Element | None):
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        if root is None:
            return
        for st in root.iter(w("style")):
            sid = st.get(w("styleId")) or ""
            style = _Style()
            name = st.find(w("name"))
            style.name = (name.get(w("val")) if name is not None else sid) or sid
            based = st.find(w("basedOn"))
            style.based_on = based.get(w("val")) if based is not None else None
            ppr = st.find(w("pPr"))
            if ppr is not None:
                ol = ppr.find(w("outlineLvl"))
                if ol is not None and (ol.get(w("val")) or "").isdigit():
                    style.outline = int(ol.get(w("val")))
                num = ppr.find(w("numPr"))
                if num is not None:
                    nid = num.find(w("numId"))
                    style.numbered = nid is None or nid.get(w("val")) != "0"
            rpr = st.find(w("rPr"))
            if rpr is not None:
                b = rpr.find(w("b"))
                if b is not None:
                    style.bold = (b.get(w("val")) or "true").lower() not in _TRUE_OFF
            self.styles[sid] = style
            if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true"):
                self.default_para = sid

    def chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid].based_on

    def name(self, sid: str | None) -> str:
        st = self.styles.get(sid or "")
        return st.name if st else (sid or "")

    def heading_level(self, sid: str | None) -> int | None:
        for st in self.chain(sid):
            lname = st.name.lower().strip()
            if lname == "title":
                return 0
            m = re.fullmatch(r"heading\s*(\d)", lname)
            if m:
                return int(m.group(1))
            if st.outline is not None and st.outline < 9:
                return st.outline + 1
        return None

    def bold(self, sid: str | None) -> bool | None:
        for st in self.chain(sid):
            if st.bold is not None:
                return st.bold
        return None

    def numbered(self, sid: str | None) -> bool:
        for st in self.chain(sid):
            if st.numbered:
                return True
            if st.name.lower().startswith(("list bullet", "list number")):
                return True
        return False


class _Numbering:
    """Which numbering definitions are bullets and which are numbers."""

    def __init__(self, root: etree._Element | None):
        self.num_to_abstract: dict[str, str] = {}
        self.formats: dict[tuple[str, int], str] = {}
        if root is None:
            return
        for absn in root.iter(w("abstractNum")):
            aid = absn.get(w("abstractNumId")) or ""
            for lvl in absn.iter(w("lvl")):
                ilvl = int(lvl.get(w("ilvl")) or 0) if (lvl.get(w("ilvl")) or "0").isdigit() else 0
                fmt = lvl.find(w("numFmt"))
                self.formats[(aid, ilvl)] = (fmt.get(w("val")) if fmt is not None else "") or ""
        for num in root.iter(w("num")):
            an = num.find(w("abstractNumId"))
            if an is not None:
                self.num_to_abstract[num.get(w("numId")) or ""] = an.get(w("val")) or ""

    def is_numbered(self, num_id: str, level: int) -> bool:
        fmt = self.formats.get((self.num_to_abstract.get(num_id, ""), level), "bullet")
        return fmt not in ("bullet", "none", "")


def _on(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    return (el.get(w("val")) or "true").lower() not in _TRUE_OFF


class _Walker:
    def __init__(self, styles: _Styles, numbering: _Numbering):
        self.styles = styles
        self.numbering = numbering
        self.skipped: list[str] = []

    # ------------------------------------------------------------------ blocks

    def blocks(self, container: etree._Element) -> list[Block]:
        out: list[Block] = []
        self._blocks_into(container, out)
        return out

    def _blocks_into(self, container: etree._Element, out: list[Block]) -> None:
        for child in container:
            tag = child.tag
            if tag == w("p"):
                para, boxes = self.paragraph(child)
                out.append(para)
                for box in boxes:
                    self._blocks_into(box, out)
            elif tag == w("tbl"):
                self._table_into(child, out)
            elif tag == w("sdt"):
                content = self._sdt_content(child)
                if content is not None:
                    self._blocks_into(content, out)
            elif tag in (w("customXml"), w("ins"), w("moveTo"), w("smartTag")):
                self._blocks_into(child, out)
            elif tag == f"{{{MC}}}AlternateContent":
                chosen = _choose_alternate(child)
                if chosen is not None:
                    self._blocks_into(chosen, out)
            elif tag == w("altChunk"):
                self.skipped.append("embedded foreign content (altChunk) such as pasted HTML, which is not read")

    @staticmethod
    def _sdt_content(sdt: etree._Element) -> etree._Element | None:
        pr = sdt.find(w("sdtPr"))
        if pr is not None and pr.find(w("showingPlcHdr")) is not None:
            return None
        return sdt.find(w("sdtContent"))

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, p: etree._Element) -> tuple[Paragraph, list[etree._Element]]:
        pieces: list[str] = []
        boxes: list[etree._Element] = []
        runs_bold: list[bool] = []
        ppr = p.find(w("pPr"))
        sid = None
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            sid = ps.get(w("val")) if ps is not None else None
        sid = sid or self.styles.default_para
        para_bold = self.styles.bold(sid)
        self._inline(p, pieces, boxes, runs_bold, para_bold)
        text = "".join(pieces)
        para = Paragraph(text=text, style=self.styles.name(sid), element=p)
        level = None
        if ppr is not None:
            ol = ppr.find(w("outlineLvl"))
            if ol is not None and (ol.get(w("val")) or "").isdigit() and int(ol.get(w("val"))) < 9:
                level = int(ol.get(w("val"))) + 1
        para.heading_level = level if level is not None else self.styles.heading_level(sid)
        para.bold = bool(runs_bold) and all(runs_bold)
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is not None:
            nid_el, ilvl_el = num.find(w("numId")), num.find(w("ilvl"))
            nid = nid_el.get(w("val")) if nid_el is not None else None
            ilvl_text = ilvl_el.get(w("val")) if ilvl_el is not None else "0"
            ilvl = int(ilvl_text) if (ilvl_text or "").isdigit() else 0
            if nid != "0":
                para.list_level = ilvl
                para.numbered = self.numbering.is_numbered(nid or "", ilvl)
        elif self.styles.numbered(sid):
            para.list_level = _style_list_level(para.style)
            para.numbered = "number" in para.style.lower()
        return para, boxes

    def _inline(self, el: etree._Element, pieces: list[str], boxes: list[etree._Element],
                runs_bold: list[bool], para_bold: bool | None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_SUBTREES:
                continue
            if tag == w("r"):
                start = len(pieces)
                self._inline(child, pieces, boxes, runs_bold, para_bold)
                if "".join(pieces[start:]).strip():
                    runs_bold.append(self._run_bold(child, para_bold))
            elif tag == w("t"):
                pieces.append(child.text or "")
            elif tag == w("tab") or tag == w("ptab"):
                pieces.append("\t")
            elif tag in (w("br"), w("cr")):
                pieces.append("\n")
            elif tag == w("noBreakHyphen"):
                pieces.append("-")
            elif tag == w("sym"):
                continue
            elif tag == w("txbxContent"):
                boxes.append(child)
            elif tag == f"{{{MC}}}AlternateContent":
                chosen = _choose_alternate(child)
                if chosen is not None:
                    self._inline(chosen, pieces, boxes, runs_bold, para_bold)
            elif tag == w("sdt"):
                content = self._sdt_content(child)
                if content is not None:
                    self._inline(content, pieces, boxes, runs_bold, para_bold)
            else:
                self._inline(child, pieces, boxes, runs_bold, para_bold)

    def _run_bold(self, r: etree._Element, para_bold: bool | None) -> bool:
        rpr = r.find(w("rPr"))
        if rpr is not None:
            b = _on(rpr.find(w("b")))
            if b is not None:
                return b
            rs = rpr.find(w("rStyle"))
            if rs is not None:
                sb = self.styles.bold(rs.get(w("val")))
                if sb is not None:
                    return sb
        return bool(para_bold)

    # ------------------------------------------------------------------ tables

    def _table_into(self, tbl: etree._Element, out: list[Block]) -> None:
        rows_el = list(_rows(tbl))
        cells_el = [list(_cells(tr)) for tr in rows_el]
        if len(rows_el) == 1 and len(cells_el[0]) == 1:
            # A one-cell table is layout: a frame around ordinary content.
            self._blocks_into(cells_el[0][0], out)
            return
        width = 0
        grid = tbl.find(w("tblGrid"))
        if grid is not None:
            width = len(grid.findall(w("gridCol")))
        rows: list[list[str]] = []
        spans: list[list[int]] = []
        above: dict[int, str] = {}
        for tr, cells in zip(rows_el, cells_el):
            row: dict[int, str] = {}
            row_spans: dict[int, int] = {}
            col = 0
            trpr = tr.find(w("trPr"))
            if trpr is not None:
                gb = trpr.find(w("gridBefore"))
                if gb is not None and (gb.get(w("val")) or "").isdigit():
                    col = int(gb.get(w("val")))
            for tc in cells:
                tcpr = tc.find(w("tcPr"))
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(w("gridSpan"))
                    if gs is not None and (gs.get(w("val")) or "").isdigit():
                        span = max(1, min(int(gs.get(w("val"))), 64))
                    vm = tcpr.find(w("vMerge"))
                    if vm is not None:
                        vmerge = vm.get(w("val")) or "continue"
                if vmerge == "continue":
                    text = above.get(col, "")
                else:
                    text = self._cell_text(tc)
                row[col] = text
                row_spans[col] = span
                for c in range(col, col + span):
                    above[c] = text if c == col else ""
                col += span
            width = max(width, col)
            rows.append(row)  # type: ignore[arg-type]
            spans.append(row_spans)  # type: ignore[arg-type]
        table = Table(rows=[[r.get(c, "") for c in range(width)] for r in rows],  # type: ignore[union-attr]
                      spans=[[s.get(c, 0) for c in range(width)] for s in spans],  # type: ignore[union-attr]
                      element=tbl, row_elements=rows_el)
        out.append(table)

    def _cell_text(self, tc: etree._Element) -> str:
        lines: list[str] = []
        for block in self.blocks(tc):
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                for row in block.rows:
                    cells = [c.strip() for c in row if c.strip()]
                    if cells:
                        lines.append(" \u2013 ".join(cells))
        return "\n".join(lines).strip("\n")


def _style_list_level(style: str) -> int:
    m = re.search(r"(\d)\s*$", style)
    return max(int(m.group(1)) - 1, 0) if m else 0


def _choose_alternate(alt: etree._Element) -> etree._Element | None:
    """The first mc:Choice (else the mc:Fallback): the same content is never read twice."""
    choice = alt.find(f"{{{MC}}}Choice")
    return choice if choice is not None else alt.find(f"{{{MC}}}Fallback")


def _rows(tbl: etree._Element):
    for child in tbl:
        if child.tag == w("tr"):
            trpr = child.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                continue
            yield child
        elif child.tag in (w("sdt"),):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _rows(content)
        elif child.tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from _rows(child)


def _cells(tr: etree._Element):
    for child in tr:
        if child.tag == w("tc"):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _cells(content)
        elif child.tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from _cells(child)


_STYLES_CACHE: dict[bytes, _Styles] = {}


def _styles_of(data: bytes, part: str, max_depth: int) -> _Styles:
    """A styles part, parsed once per distinct content: partners' files share their council's
    template, so most submissions carry the same styles.xml."""
    key = hashlib.sha1(data).digest()
    styles = _STYLES_CACHE.get(key)
    if styles is None:
        styles = _Styles(parse_xml(data, part, max_depth))
        if len(_STYLES_CACHE) > 256:
            _STYLES_CACHE.clear()
        _STYLES_CACHE[key] = styles
    return styles


def read_word(pkg: Package, main: str) -> WordDocument:
    """The body of the main document part as blocks, with the package's descriptive properties."""
    root = pkg.xml(main)
    body = root.find(w("body"))
    if body is None:
        raise PackageError(f"part '{main}' has no document body: the file is damaged")
    styles: _Styles | None = None
    numbering_root = None
    headers: list[str] = []
    for _, rtype, target, mode in pkg.rels(main):
        if mode == "External":
            continue
        kind = rtype.rsplit("/", 1)[-1]
        try:
            if kind == "styles" and pkg.has(target):
                styles = _styles_of(pkg.read(target), target, pkg.limits.max_xml_depth)
            elif kind == "numbering" and pkg.has(target):
                numbering_root = pkg.xml(target)
            elif kind == "header" and pkg.has(target):
                headers.append(pkg.text_of(target))
        except PackageError:
            continue
    walker = _Walker(styles or _Styles(None), _Numbering(numbering_root))
    blocks = walker.blocks(body)
    doc = WordDocument(blocks=blocks, header_texts=[h for h in headers if h.strip()], skipped=walker.skipped)
    for _, rtype, target, mode in pkg.rels(None):
        kind = rtype.rsplit("/", 1)[-1]
        if mode == "External" or not pkg.has(target):
            continue
        try:
            if kind == "core-properties" or target.endswith("core.xml"):
                core = pkg.xml(target)
                doc.title = (core.findtext(f"{{{CORE_DC}}}title") or "").strip()
                doc.creator = (core.findtext(f"{{{CORE_DC}}}creator") or "").strip()
            elif kind == "extended-properties":
                app = pkg.xml(target)
                doc.company = (app.findtext(f"{{{EXT_PROPS}}}Company") or "").strip()
        except PackageError:
            continue
    return doc


def numbered_blocks(blocks: list[Block]):
    """(location text, block) in reading order, numbered as locations are everywhere:
    `paragraph N` counts paragraphs with text; `table T` counts tables."""
    paragraph_no = table_no = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                paragraph_no += 1
                yield f"paragraph {paragraph_no}", block
        else:
            table_no += 1
            yield f"table {table_no}", block


def anchor_elements(document_root: etree._Element, styles_root=None, numbering_root=None) -> dict[str, etree._Element]:
    """Location text -> the element it names (`paragraph 3` -> w:p, `table 2, row 4` -> w:tr).

    Walks the body exactly as the reader does, so a diagnostic's location finds its element in
    the original document (for annotated returns). Works on any lxml tree of a document part,
    python-docx's included.
    """
    body = document_root.find(w("body"))
    if body is None:
        return {}
    walker = _Walker(_Styles(styles_root), _Numbering(numbering_root))
    out: dict[str, etree._Element] = {}
    for label, block in numbered_blocks(walker.blocks(body)):
        if isinstance(block, Paragraph):
            if block.element is not None:
                out[label] = block.element
        else:
            if block.element is not None:
                out[label] = block.element
            for i, tr in enumerate(block.row_elements, start=1):
                out[f"{label}, row {i}"] = tr
    return out
