"""WordprocessingML body -> paragraphs and tables in reading order, each with its element.

The one walk of a Word body in the compiler: the contribution reader reads
the text it yields, and annotated copies find a diagnostic's paragraph or row
with `anchor_elements`, which numbers the body exactly as the reader does.

Walks the XML with lxml rather than python-docx's object API, because that
API skips tracked insertions, content controls and text boxes, and cannot
open Strict Open XML. The document is read as if every tracked change were
accepted: inserted and moved-to text counts, deleted and moved-from text does
not. Field codes are not text; their displayed result is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .namespaces import MC, w
from .styles import ListMark, Numbering, StyleSheet, list_depths, list_mark, on

_SKIP_SUBTREES = {w("del"), w("moveFrom"), w("instrText"), w("delText"), w("delInstrText"), w("rPr"), w("pPr"),
                  w("footnoteReference"), w("endnoteReference"), w("commentReference"), w("annotationRef"),
                  w("sdtPr"), w("sdtEndPr"), w("fldData"), w("tblPr"), w("trPr"), w("tcPr"), w("tblGrid"),
                  w("sectPr"), w("bookmarkStart"), w("bookmarkEnd"), w("proofErr"), w("lastRenderedPageBreak")}


@dataclass
class Paragraph:
    text: str
    element: etree._Element | None = field(default=None, repr=False, compare=False)
    style: str = ""
    heading_level: int | None = None   # 0 for Title, 1.. for Heading n
    bold: bool = False
    list_level: int | None = None      # depth in its list as a reader sees it (0 = outermost); see list_depths
    numbered: bool = False
    list_mark: ListMark | None = field(default=None, repr=False, compare=False)


@dataclass
class Table:
    rows: list[list[str]]
    spans: list[list[int]] = field(default_factory=list)  # gridSpan of the cell starting at each column (0: covered)
    element: etree._Element | None = field(default=None, repr=False, compare=False)
    row_elements: list[etree._Element] = field(default_factory=list, repr=False, compare=False)


Block = Paragraph | Table


class Walker:
    def __init__(self, styles: StyleSheet, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering
        self.skipped: list[str] = []

    # ------------------------------------------------------------------ blocks

    def blocks(self, container: etree._Element) -> list[Block]:
        out: list[Block] = []
        self._blocks_into(container, out)
        set_list_depths(out)
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
                chosen = choose_alternate(child)
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
        sid = self.styles.paragraph_style(p)
        para_bold = self.styles.bold(sid)
        self._inline(p, pieces, boxes, runs_bold, para_bold)
        text = "".join(pieces)
        para = Paragraph(text=text, style=self.styles.name(sid), element=p)
        para.heading_level = self.styles.paragraph_level(p)
        para.bold = bool(runs_bold) and all(runs_bold)
        mark = list_mark(p, self.styles, self.numbering)
        if mark is not None:
            para.list_mark = mark
            para.list_level = mark.level
            para.numbered = mark.numbered
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
                chosen = choose_alternate(child)
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
            b = on(rpr.find(w("b")))
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
        rows_el = list(table_rows(tbl))
        cells_el = [list(row_cells(tr)) for tr in rows_el]
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
            col = grid_before(tr)
            for tc in cells:
                span, vmerge = cell_span(tc)
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


def set_list_depths(blocks: list[Block]) -> None:
    """Each list paragraph's `list_level` becomes its depth within its run of consecutive list
    paragraphs (empty paragraphs between them do not end a run; text or a table does)."""
    run: list[Paragraph] = []

    def close() -> None:
        for para, depth in zip(run, list_depths([q.list_mark for q in run if q.list_mark is not None])):
            para.list_level = depth
        run.clear()

    for block in blocks:
        if isinstance(block, Paragraph) and block.list_mark is not None:
            run.append(block)
        elif isinstance(block, Paragraph) and not block.text.strip():
            continue
        else:
            close()
    close()


def choose_alternate(alt: etree._Element) -> etree._Element | None:
    """The first mc:Choice (else the mc:Fallback): the same content is never read twice."""
    choice = alt.find(f"{{{MC}}}Choice")
    return choice if choice is not None else alt.find(f"{{{MC}}}Fallback")


def table_rows(tbl: etree._Element):
    for child in tbl:
        if child.tag == w("tr"):
            trpr = child.find(w("trPr"))
            if trpr is not None and trpr.find(w("del")) is not None:
                continue
            yield child
        elif child.tag in (w("sdt"),):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from table_rows(content)
        elif child.tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from table_rows(child)


def row_cells(tr: etree._Element):
    for child in tr:
        if child.tag == w("tc"):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from row_cells(content)
        elif child.tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from row_cells(child)


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
    walker = Walker(StyleSheet(styles_root), Numbering(numbering_root))
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


def grid_before(tr: etree._Element) -> int:
    """Grid columns skipped before a row's first cell (w:gridBefore), at most 64."""
    trpr = tr.find(w("trPr"))
    gb = trpr.find(w("gridBefore")) if trpr is not None else None
    if gb is not None and (gb.get(w("val")) or "").isdigit():
        return min(int(gb.get(w("val"))), 64)
    return 0


def cell_span(tc: etree._Element) -> tuple[int, str | None]:
    """(grid columns the cell spans, 1 to 64; its vertical merge: "restart", "continue" or None)."""
    tcpr = tc.find(w("tcPr"))
    span, vmerge = 1, None
    if tcpr is not None:
        gs = tcpr.find(w("gridSpan"))
        if gs is not None and (gs.get(w("val")) or "").isdigit():
            span = max(1, min(int(gs.get(w("val"))), 64))
        vm = tcpr.find(w("vMerge"))
        if vm is not None:
            vmerge = vm.get(w("val")) or "continue"
    return span, vmerge
