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
from .styles import ListMark, Numbering, StyleSheet, first_child, list_depths, list_mark_of, on, outline_level

# Clark names, computed once: the walk compares every element's tag with several of them.
(_P, _R, _T, _TAB, _PTAB, _BR, _CR, _NOBREAK, _SYM, _TXBX, _SDT, _SDTPR, _SDTCONTENT, _PLACEHOLDER, _TBL, _TR, _TC,
 _CUSTOMXML, _INS, _MOVETO, _SMARTTAG, _ALTCHUNK, _PPR, _RPR, _TRPR, _TCPR, _PSTYLE, _OUTLINE, _NUMPR, _IND, _B,
 _RSTYLE, _VAL, _DEL, _TBLGRID, _GRIDCOL, _GRIDBEFORE, _GRIDSPAN, _VMERGE) = (w(t) for t in (
    "p", "r", "t", "tab", "ptab", "br", "cr", "noBreakHyphen", "sym", "txbxContent", "sdt", "sdtPr", "sdtContent",
    "showingPlcHdr", "tbl", "tr", "tc", "customXml", "ins", "moveTo", "smartTag", "altChunk", "pPr", "rPr", "trPr",
    "tcPr", "pStyle", "outlineLvl", "numPr", "ind", "b", "rStyle", "val", "del", "tblGrid", "gridCol", "gridBefore",
    "gridSpan", "vMerge"))
_ALTERNATE, _CHOICE, _FALLBACK = (f"{{{MC}}}{t}" for t in ("AlternateContent", "Choice", "Fallback"))
_UNWRAP_BLOCKS = {_CUSTOMXML, _INS, _MOVETO, _SMARTTAG}
_UNWRAP_ROWS = {_CUSTOMXML, _INS, _MOVETO}

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
            if tag == _P:
                para, boxes = self.paragraph(child)
                out.append(para)
                for box in boxes:
                    self._blocks_into(box, out)
            elif tag == _TBL:
                self._table_into(child, out)
            elif tag == _SDT:
                content = self._sdt_content(child)
                if content is not None:
                    self._blocks_into(content, out)
            elif tag in _UNWRAP_BLOCKS:
                self._blocks_into(child, out)
            elif tag == _ALTERNATE:
                chosen = choose_alternate(child)
                if chosen is not None:
                    self._blocks_into(chosen, out)
            elif tag == _ALTCHUNK:
                self.skipped.append("embedded foreign content (altChunk) such as pasted HTML, which is not read")

    @staticmethod
    def _sdt_content(sdt: etree._Element) -> etree._Element | None:
        pr = first_child(sdt, _SDTPR)
        if pr is not None and first_child(pr, _PLACEHOLDER) is not None:
            return None
        return first_child(sdt, _SDTCONTENT)

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, p: etree._Element) -> tuple[Paragraph, list[etree._Element]]:
        pieces: list[str] = []
        boxes: list[etree._Element] = []
        runs: list[tuple[etree._Element, etree._Element | None]] = []   # (run with text, its w:rPr)
        props: list[etree._Element] = []
        self._inline(p, pieces, boxes, runs, props, _PPR)
        # The paragraph's properties, read in one pass: each first child of its kind, as find() gives.
        pstyle = outline = num = ind = None
        if props:
            for child in props[0]:
                tag = child.tag
                if tag == _PSTYLE:
                    pstyle = child if pstyle is None else pstyle
                elif tag == _OUTLINE:
                    outline = child if outline is None else outline
                elif tag == _NUMPR:
                    num = child if num is None else num
                elif tag == _IND:
                    ind = child if ind is None else ind
        styles = self.styles
        sid = (pstyle.get(_VAL) if pstyle is not None else None) or styles.default_para
        para = Paragraph(text="".join(pieces), style=styles.name(sid), element=p)
        own = outline_level(outline)
        para.heading_level = own if own is not None else styles.heading_level(sid)
        if runs:
            para_bold = styles.bold(sid)
            para.bold = all(self._run_bold(rpr, para_bold) for _, rpr in runs)
        mark = list_mark_of(sid, num, ind, styles, self.numbering)
        if mark is not None:
            para.list_mark = mark
            para.list_level = mark.level
            para.numbered = mark.numbered
        return para, boxes

    def _inline(self, el: etree._Element, pieces: list[str], boxes: list[etree._Element],
                runs: list[tuple[etree._Element, etree._Element | None]],
                props: list[etree._Element] | None = None, props_tag: str = "") -> None:
        """The text under `el` into `pieces`; text boxes into `boxes`; each run that has text, with
        its properties, into `runs`. `props` receives `el`'s first `props_tag` child (its w:pPr or
        w:rPr), which this pass meets anyway (and skips, as every properties element)."""
        for child in el:
            tag = child.tag
            if tag == _T:
                pieces.append(child.text or "")
            elif tag == _R:
                start = len(pieces)
                rpr: list[etree._Element] = []
                self._inline(child, pieces, boxes, runs, rpr, _RPR)
                if "".join(pieces[start:]).strip():
                    runs.append((child, rpr[0] if rpr else None))
            elif not isinstance(tag, str):
                continue
            elif tag in _SKIP_SUBTREES:
                if tag == props_tag and not props:
                    props.append(child)  # type: ignore[union-attr]
            elif tag == _TAB or tag == _PTAB:
                pieces.append("\t")
            elif tag == _BR or tag == _CR:
                pieces.append("\n")
            elif tag == _NOBREAK:
                pieces.append("-")
            elif tag == _SYM:
                continue
            elif tag == _TXBX:
                boxes.append(child)
            elif tag == _ALTERNATE:
                chosen = choose_alternate(child)
                if chosen is not None:
                    self._inline(chosen, pieces, boxes, runs)
            elif tag == _SDT:
                content = self._sdt_content(child)
                if content is not None:
                    self._inline(content, pieces, boxes, runs)
            else:
                self._inline(child, pieces, boxes, runs)

    def _run_bold(self, rpr: etree._Element | None, para_bold: bool | None) -> bool:
        """Whether a run with these properties (its w:rPr, or None) shows bold."""
        if rpr is not None:
            b_el = rs = None
            for child in rpr:
                tag = child.tag
                if tag == _B:
                    b_el = child if b_el is None else b_el
                elif tag == _RSTYLE:
                    rs = child if rs is None else rs
            b = on(b_el)
            if b is not None:
                return b
            if rs is not None:
                sb = self.styles.bold(rs.get(_VAL))
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
        grid = first_child(tbl, _TBLGRID)
        if grid is not None:
            width = sum(1 for col in grid if col.tag == _GRIDCOL)
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
    choice = first_child(alt, _CHOICE)
    return choice if choice is not None else first_child(alt, _FALLBACK)


def table_rows(tbl: etree._Element):
    for child in tbl:
        tag = child.tag
        if tag == _TR:
            trpr = first_child(child, _TRPR)
            if trpr is not None and first_child(trpr, _DEL) is not None:
                continue
            yield child
        elif tag == _SDT:
            content = first_child(child, _SDTCONTENT)
            if content is not None:
                yield from table_rows(content)
        elif tag in _UNWRAP_ROWS:
            yield from table_rows(child)


def row_cells(tr: etree._Element):
    for child in tr:
        tag = child.tag
        if tag == _TC:
            yield child
        elif tag == _SDT:
            content = first_child(child, _SDTCONTENT)
            if content is not None:
                yield from row_cells(content)
        elif tag in _UNWRAP_ROWS:
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
    trpr = first_child(tr, _TRPR)
    gb = first_child(trpr, _GRIDBEFORE) if trpr is not None else None
    if gb is not None and (gb.get(_VAL) or "").isdigit():
        return min(int(gb.get(_VAL)), 64)
    return 0


def cell_span(tc: etree._Element) -> tuple[int, str | None]:
    """(grid columns the cell spans, 1 to 64; its vertical merge: "restart", "continue" or None)."""
    tcpr = first_child(tc, _TCPR)
    span, vmerge = 1, None
    if tcpr is not None:
        gs = vm = None
        for child in tcpr:
            tag = child.tag
            if tag == _GRIDSPAN:
                gs = child if gs is None else gs
            elif tag == _VMERGE:
                vm = child if vm is None else vm
        if gs is not None and (gs.get(_VAL) or "").isdigit():
            span = max(1, min(int(gs.get(_VAL)), 64))
        if vm is not None:
            vmerge = vm.get(_VAL) or "continue"
    return span, vmerge
