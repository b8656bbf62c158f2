"""The narrative document (the plan's front matter) -> the neutral document tree of `compiler.blocks`.

A Word file the contribution reader recognises as the narrative (see
`ContributionReader._narrative_document`) is read a second time, for its
content rather than for plan data, as pandoc's docx reader would:

- tracked changes are accepted: inserted and moved-to text counts, deleted and
  moved-from text (and deleted table rows) do not;
- comments, footnote and endnote references, bookmarks and field codes are left
  out (a field's displayed result is kept);
- bold and italic runs, and external hyperlinks (http, https, mailto; as a
  `w:hyperlink` or a HYPERLINK field) are kept on the text;
- images become `Image` blocks after their paragraph, with alt text (the
  picture's description, else its title, else a plain default) and size;
- headings are levelled so they start at 1 and never skip a level (a Heading 2
  first becomes 1, a Heading 4 after it becomes 2; the Title counts as a
  Heading 1), at most 6;
- list paragraphs become list items with their level and kind (bulleted or
  numbered); tables keep their rows (the first row is the header), covered
  cells of merged ranges are empty; a one-cell table is a frame and its content
  is read as ordinary content;
- a paragraph in a named style other than the default keeps the style's name,
  and the style's definition comes along as a `StyleDef` (with the styles it is
  based on), so a Word writer can bring the partner's style into the plan.

Content that cannot be carried (an image in a table cell, a damaged image
part) is listed in the document's `skipped` notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lxml import etree

from ..blocks import Block, CellBlock, Heading, Image, Inlines, ListItem, Para, StyleDef, Table, Text, plain
from ..ooxml.namespaces import A, MC, R, RT_IMAGE, RT_NUMBERING, RT_STYLES, V, WP, w
from ..ooxml.package import Package, PackageError
from ..ooxml.styles import ListMark, Numbering, StyleSheet, list_depths, list_mark, on
from ..ooxml.wordml import cell_span, choose_alternate, grid_before, row_cells, table_rows
from .word import WordDocument

DEFAULT_ALT = "Image from the plan's narrative document"
MAX_HEADING_LEVEL = 6
LINK_SCHEMES = ("http://", "https://", "mailto:")
EMU_PER_POINT = 12700

_SKIP = {w(t) for t in ("del", "moveFrom", "delText", "delInstrText", "rPr", "pPr", "footnoteReference",
                        "endnoteReference", "commentReference", "annotationRef", "commentRangeStart",
                        "commentRangeEnd", "sdtPr", "sdtEndPr", "fldData", "bookmarkStart", "bookmarkEnd",
                        "proofErr", "lastRenderedPageBreak", "permStart", "permEnd", "sym", "softHyphen",
                        "tblPr", "trPr", "tcPr", "tblGrid", "sectPr", "object")}
_UNWRAP = {w(t) for t in ("ins", "moveTo", "smartTag", "customXml")}
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+"?([^"\s]+)"?', re.I)


@dataclass
class FrontMatter:
    blocks: list[Block] = field(default_factory=list)
    styles: list[StyleDef] = field(default_factory=list)


def read_narrative(doc: WordDocument) -> FrontMatter:
    """The body of the document `read_word` opened, as blocks; notes on what was left out go to
    `doc.skipped`. Never raises on bad input: what cannot be read is left out."""
    if doc.package is None:
        return FrontMatter()
    try:
        return _NarrativeReader(doc.package, doc.part, doc.skipped).read()
    except PackageError as exc:
        doc.skipped.append(f"the narrative document's content, which cannot be carried into the plan ({exc})")
        return FrontMatter()


@dataclass
class _Run:
    bold: bool = False
    italic: bool = False


class _NarrativeReader:
    def __init__(self, pkg: Package, main: str, skipped: list[str]):
        self.pkg = pkg
        self.main = main
        self.skipped = skipped
        self.rels = {rid: (rtype, target, mode) for rid, rtype, target, mode in pkg.rels(main)}
        styles_root = numbering_root = None
        for rtype, target, mode in self.rels.values():
            if mode == "External" or not pkg.has(target):
                continue
            try:
                if rtype == RT_STYLES:
                    styles_root = pkg.xml(target)
                elif rtype == RT_NUMBERING:
                    numbering_root = pkg.xml(target)
            except PackageError:
                continue
        self.styles = StyleSheet(styles_root, keep_elements=True)
        self.numbering = Numbering(numbering_root)
        self.previous_heading = 0
        self.used_styles: list[str] = []
        self.fields: list[list] = []   # open complex fields: [instruction, link or None, in result]
        self.marks: dict[int, ListMark] = {}   # id(ListItem) -> its list mark, until runs are levelled

    def read(self) -> FrontMatter:
        body = self.pkg.xml(self.main).find(w("body"))
        if body is None:
            return FrontMatter()
        blocks: list[Block] = []
        self._container(body, blocks, in_cell=False)
        return FrontMatter(self._levelled(blocks), self._style_defs())

    def _levelled(self, blocks: list) -> list:
        """List items with the depth a reader sees within their run of consecutive items
        (`compiler.ooxml.styles.list_depths`), rather than the level their numbering declares."""
        out = list(blocks)
        run: list[int] = []

        def close() -> None:
            depths = list_depths([self.marks.pop(id(out[i])) for i in run])
            for i, depth in zip(run, depths):
                out[i] = replace(out[i], level=depth)
            run.clear()

        for i, block in enumerate(out):
            if isinstance(block, ListItem) and id(block) in self.marks:
                run.append(i)
            else:
                close()
        close()
        return out

    # ------------------------------------------------------------------ blocks

    def _container(self, container: etree._Element, out: list, *, in_cell: bool) -> None:
        for child in container:
            tag = child.tag
            if tag == w("p"):
                self._paragraph(child, out, in_cell=in_cell)
            elif tag == w("tbl"):
                self._table(child, out, in_cell=in_cell)
            elif tag == w("sdt"):
                content = _sdt_content(child)
                if content is not None:
                    self._container(content, out, in_cell=in_cell)
            elif tag in _UNWRAP:
                self._container(child, out, in_cell=in_cell)
            elif tag == f"{{{MC}}}AlternateContent":
                chosen = choose_alternate(child)
                if chosen is not None:
                    self._container(chosen, out, in_cell=in_cell)

    def _paragraph(self, p: etree._Element, out: list, *, in_cell: bool) -> None:
        items: list[Text | Image] = []
        boxes: list[etree._Element] = []
        self.fields = []
        self._inline(p, items, boxes, None)
        content = _trim(_merge([i for i in items if isinstance(i, Text)]))
        images = [i for i in items if isinstance(i, Image)]
        if plain(content).strip():
            out.append(self._text_block(p, content, in_cell))
        for image in images:
            if in_cell:
                self.skipped.append("an image inside a table cell of the narrative document, "
                                    "which is not carried into the plan")
            else:
                out.append(image)
        for box in boxes:
            self._container(box, out, in_cell=in_cell)

    def _text_block(self, p: etree._Element, content: Inlines, in_cell: bool) -> CellBlock | Heading:
        sid = self.styles.paragraph_style(p)
        level = self.styles.paragraph_level(p)
        if level is not None and not in_cell:
            level = max(1, min(level, self.previous_heading + 1, MAX_HEADING_LEVEL))
            self.previous_heading = level
            return Heading(level, content)
        mark = list_mark(p, self.styles, self.numbering)
        if mark is not None:
            item = ListItem(content, mark.level, mark.numbered)
            self.marks[id(item)] = mark
            return item
        if sid is None or sid == self.styles.default_para or sid not in self.styles.styles:
            return Para(content)
        if sid not in self.used_styles:
            self.used_styles.append(sid)
        return Para(content, self.styles.name(sid))

    # ------------------------------------------------------------------ inline content

    def _inline(self, el: etree._Element, items: list, boxes: list, link: str | None,
                run: _Run | None = None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == w("r"):
                self._inline(child, items, boxes, link, self._run_format(child))
            elif tag == w("t"):
                self._text(items, child.text or "", link, run)
            elif tag in (w("tab"), w("ptab")):
                self._text(items, "\t", link, run)
            elif tag in (w("br"), w("cr")):
                self._text(items, "\n", link, run)
            elif tag == w("noBreakHyphen"):
                self._text(items, "-", link, run)
            elif tag == w("fldChar"):
                self._field_char(child)
            elif tag == w("instrText"):
                if self.fields and not self.fields[-1][2]:
                    self.fields[-1][0] += child.text or ""
            elif tag == w("hyperlink"):
                self._inline(child, items, boxes, self._hyperlink(child) or link, run)
            elif tag == w("fldSimple"):
                self._inline(child, items, boxes, _field_link(child.get(w("instr")) or "") or link, run)
            elif tag == w("drawing"):
                self._drawing(child, items, boxes)
            elif tag == w("pict"):
                self._vml(child, items, boxes)
            elif tag == w("txbxContent"):
                boxes.append(child)
            elif tag == f"{{{MC}}}AlternateContent":
                chosen = choose_alternate(child)
                if chosen is not None:
                    self._inline(chosen, items, boxes, link, run)
            elif tag == w("sdt"):
                content = _sdt_content(child)
                if content is not None:
                    self._inline(content, items, boxes, link, run)
            else:
                self._inline(child, items, boxes, link, run)

    def _text(self, items: list, text: str, link: str | None, run: _Run | None) -> None:
        if self.fields and not self.fields[-1][2]:
            return   # inside a field's instruction
        field_link = next((f[1] for f in reversed(self.fields) if f[1]), None)
        run = run or _Run()
        items.append(Text(text, run.bold, run.italic, link or field_link))

    def _field_char(self, el: etree._Element) -> None:
        kind = el.get(w("fldCharType"))
        if kind == "begin":
            self.fields.append(["", None, False])
        elif kind == "separate" and self.fields:
            self.fields[-1][1] = _field_link(self.fields[-1][0])
            self.fields[-1][2] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _run_format(self, r: etree._Element) -> _Run:
        rpr = r.find(w("rPr"))
        bold = italic = None
        if rpr is not None:
            bold, italic = on(rpr.find(w("b"))), on(rpr.find(w("i")))
            rs = rpr.find(w("rStyle"))
            if rs is not None:
                sid = rs.get(w("val"))
                bold = bold if bold is not None else self.styles.bold(sid)
                italic = italic if italic is not None else self.styles.italic(sid)
        return _Run(bool(bold), bool(italic))

    def _hyperlink(self, el: etree._Element) -> str | None:
        rid = el.get(f"{{{R}}}id")
        rel = self.rels.get(rid or "")
        if rel is None or rel[2] != "External":
            return None
        return _safe_link(rel[1])

    # ------------------------------------------------------------------ images

    def _drawing(self, drawing: etree._Element, items: list, boxes: list) -> None:
        texts = list(drawing.iter(w("txbxContent")))
        if texts:
            boxes.extend(texts)
            return
        blip = next(drawing.iter(f"{{{A}}}blip"), None)
        if blip is None:
            return   # a chart, shape or other drawing: not carried (as before)
        doc_pr = next(drawing.iter(f"{{{WP}}}docPr"), None)
        extent = next(drawing.iter(f"{{{WP}}}extent"), None)
        alt = _alt(doc_pr.get("descr") if doc_pr is not None else None,
                   doc_pr.get("title") if doc_pr is not None else None)
        size = (_int(extent.get("cx")), _int(extent.get("cy"))) if extent is not None else (None, None)
        self._image(blip.get(f"{{{R}}}embed"), alt, size, items)

    def _vml(self, pict: etree._Element, items: list, boxes: list) -> None:
        texts = list(pict.iter(w("txbxContent")))
        if texts:
            boxes.extend(texts)
            return
        data = next(pict.iter(f"{{{V}}}imagedata"), None)
        if data is None:
            return
        shape = data.getparent()
        alt = _alt(shape.get("alt") if shape is not None else None,
                   data.get("{urn:schemas-microsoft-com:office:office}title"))
        style = shape.get("style", "") if shape is not None else ""
        size = (_points(style, "width"), _points(style, "height"))
        self._image(data.get(f"{{{R}}}id"), alt, size, items)

    def _image(self, rid: str | None, alt: str, size: tuple[int | None, int | None], items: list) -> None:
        rel = self.rels.get(rid or "")
        if rel is None or rel[0] != RT_IMAGE or rel[2] == "External":
            return   # a linked (external) picture has no bytes to carry
        try:
            data = self.pkg.read(rel[1])
        except PackageError as exc:
            self.skipped.append(f"an image of the narrative document ({exc})")
            return
        content_type = self.pkg.content_type(rel[1]) or _guess_type(rel[1])
        items.append(Image(data, content_type, alt, size[0], size[1]))

    # ------------------------------------------------------------------ tables

    def _table(self, tbl: etree._Element, out: list, *, in_cell: bool) -> None:
        rows_el = list(table_rows(tbl))
        cells_el = [list(row_cells(tr)) for tr in rows_el]
        if not rows_el:
            return
        if len(rows_el) == 1 and len(cells_el[0]) == 1:
            self._container(cells_el[0][0], out, in_cell=in_cell)   # a frame around ordinary content
            return
        if in_cell:   # a table in a table: its rows as paragraphs
            for cells in cells_el:
                texts = [" ".join(b.text for b in self._cell(tc)).strip() for tc in cells]
                line = " \u2013 ".join(t for t in texts if t)
                if line:
                    out.append(Para((Text(line),)))
            return
        grid: list[list[tuple[CellBlock, ...]]] = []
        for tr, cells in zip(rows_el, cells_el):
            row: list[tuple[CellBlock, ...]] = []
            row.extend(() for _ in range(grid_before(tr)))
            for tc in cells:
                span, vmerge = cell_span(tc)
                row.append(() if vmerge == "continue" else self._cell(tc))
                row.extend(() for _ in range(span - 1))
            grid.append(row)
        width = max(len(r) for r in grid)
        grid = [r + [()] * (width - len(r)) for r in grid]
        out.append(Table(tuple(grid[0]), tuple(tuple(r) for r in grid[1:]), _widths(tbl, width)))

    def _cell(self, tc: etree._Element) -> tuple[CellBlock, ...]:
        blocks: list = []
        self._container(tc, blocks, in_cell=True)
        return tuple(b if isinstance(b, (Para, ListItem)) else Para(b.content) for b in self._levelled(blocks)
                     if isinstance(b, (Para, ListItem, Heading)))

    # ------------------------------------------------------------------ styles

    def _style_defs(self) -> list[StyleDef]:
        """The definitions of the named styles the blocks use, each after the styles it is based on."""
        ordered: list[str] = []
        for sid in self.used_styles:
            chain = [st.id for st in self.styles.chain(sid) if st.id != self.styles.default_para]
            for base in reversed(chain):
                if base not in ordered:
                    ordered.append(base)
        out = []
        for sid in ordered:
            st = self.styles.styles[sid]
            xml = etree.tostring(st.element, encoding="unicode") if st.element is not None else ""
            out.append(StyleDef(st.name, st.type, xml))
        return out


# --------------------------------------------------------------------------- helpers

def _sdt_content(sdt: etree._Element) -> etree._Element | None:
    pr = sdt.find(w("sdtPr"))
    if pr is not None and pr.find(w("showingPlcHdr")) is not None:
        return None
    return sdt.find(w("sdtContent"))


def _field_link(instruction: str) -> str | None:
    m = _HYPERLINK_FIELD.match(instruction)
    return _safe_link(m.group(1)) if m and "\\l" not in instruction else None


def _safe_link(target: str) -> str | None:
    target = target.strip()
    return target if target.lower().startswith(LINK_SCHEMES) else None


def _alt(descr: str | None, title: str | None) -> str:
    return (descr or "").strip() or (title or "").strip() or DEFAULT_ALT


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _points(style: str, prop: str) -> int | None:
    m = re.search(rf"(?:^|;)\s*{prop}\s*:\s*([\d.]+)pt", style)
    return round(float(m.group(1)) * EMU_PER_POINT) if m else None


def _guess_type(part: str) -> str:
    ext = part.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
            "tif": "image/tiff", "tiff": "image/tiff", "svg": "image/svg+xml", "emf": "image/x-emf",
            "wmf": "image/x-wmf"}.get(ext, "application/octet-stream")


def _widths(tbl: etree._Element, width: int) -> tuple[float, ...] | None:
    """Relative column widths from the table grid, when it gives one for every column."""
    grid = tbl.find(w("tblGrid"))
    cols = [c.get(w("w")) or "" for c in grid.findall(w("gridCol"))] if grid is not None else []
    if len(cols) != width or not all(c.isdigit() and int(c) > 0 for c in cols):
        return None
    total = sum(int(c) for c in cols)
    return tuple(round(int(c) / total, 4) for c in cols)


def _merge(texts: list[Text]) -> list[Text]:
    """Adjacent runs with the same formatting as one."""
    out: list[Text] = []
    for t in texts:
        if not t.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].link) == (t.bold, t.italic, t.link):
            out[-1] = Text(out[-1].text + t.text, t.bold, t.italic, t.link)
        else:
            out.append(t)
    return out


def _trim(texts: list[Text]) -> Inlines:
    """Runs without leading and trailing white space (runs left empty are dropped)."""
    while texts and not texts[0].text.strip():
        texts = texts[1:]
    while texts and not texts[-1].text.strip():
        texts = texts[:-1]
    if not texts:
        return ()
    first, last = texts[0], texts[-1]
    texts[0] = Text(first.text.lstrip(), first.bold, first.italic, first.link)
    last = texts[-1]
    texts[-1] = Text(last.text.rstrip(), last.bold, last.italic, last.link)
    return tuple(texts)
