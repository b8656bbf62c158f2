"""A Word styles part and numbering part, read once: names, `basedOn` chains, heading levels, lists.

The one heading-style resolver of the compiler (readers, the narrative reader
and the accessibility check use it):

- a style named `Title` is level 0, `heading N` is level N (names compare
  case-insensitively, `Heading1` as well as `heading 1`);
- otherwise a style's outline level (`w:outlineLvl` 0-8) is level 1-9;
- otherwise the style it is based on decides, and so on up the chain;
- a paragraph's own outline level comes before its style's;
- a style id the styles part does not define is body text, as Word shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .namespaces import w

_TRUE_OFF = {"0", "false", "off", "none"}
_HEADING_NAME = re.compile(r"heading\s*(\d)")
_LIST_STYLE_NAME = re.compile(r"list(?:\s*(?:bullet|number|continue|paragraph))?\s*(\d)?")
_PPR, _PSTYLE, _OUTLINE, _NUMPR, _NUMID, _ILVL, _IND, _VAL = (
    w(t) for t in ("pPr", "pStyle", "outlineLvl", "numPr", "numId", "ilvl", "ind", "val"))
_TWIPS_PER = {"in": 1440.0, "cm": 1440 / 2.54, "mm": 1440 / 25.4, "pt": 20.0, "pc": 240.0, "pi": 240.0}
INDENT_STEP = 120   # twips (about 2 mm): indentations closer than this are one level, as a reader sees them


def first_child(el: etree._Element, tag: str) -> etree._Element | None:
    """`el.find(tag)` for a Clark name, without lxml's path machinery (several times slower, and
    the Word walk asks this of every paragraph, run and cell): properties come first, so the loop
    usually ends at once."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def on(el: etree._Element | None) -> bool | None:
    """A WordprocessingML toggle (`<w:b/>`, `<w:b w:val="0"/>`): True, False, or None when absent."""
    if el is None:
        return None
    return (el.get(w("val")) or "true").lower() not in _TRUE_OFF


def outline_level(el: etree._Element | None) -> int | None:
    """`w:outlineLvl` 0-8 -> heading level 1-9; 9 (body text), absent or malformed -> None."""
    if el is None:
        return None
    val = el.get(w("val")) or ""
    return int(val) + 1 if val.isdigit() and int(val) < 9 else None


@dataclass
class Style:
    id: str = ""
    name: str = ""
    type: str = "paragraph"
    based_on: str | None = None
    outline: int | None = None      # raw w:outlineLvl value
    bold: bool | None = None
    italic: bool | None = None
    numbered: bool = False          # the style carries list numbering (w:numPr)
    num_id: str | None = None
    num_level: int | None = None    # the w:ilvl of the style's numbering, when it gives one
    indent: int | None = None       # the style's own left indentation (twips), when it sets one
    custom: bool = False
    element: etree._Element | None = None   # kept only when the sheet is built with keep_elements


class StyleSheet:
    """The styles of one document (an empty sheet when it has no styles part)."""

    def __init__(self, root: etree._Element | None, *, keep_elements: bool = False):
        self.styles: dict[str, Style] = {}
        self.default_para: str | None = None
        self.language: str | None = None   # w:lang of the document defaults, else of the default paragraph style
        # What each method answers for a style id, remembered: a sheet is shared by every file
        # with the same styles part (`readers.word`), and its paragraphs ask the same questions.
        self._memo: dict[tuple[str, str | None], object] = {}
        if root is None:
            return
        for st in root.iter(w("style")):
            sid = st.get(w("styleId")) or ""
            style = Style(id=sid, type=st.get(w("type")) or "paragraph",
                          custom=(st.get(w("customStyle")) or "").lower() in ("1", "true", "on"))
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
                    style.num_id = nid.get(w("val")) if nid is not None else None
                    style.num_level = _level(num.find(w("ilvl")))
                style.indent = left_indent(ppr.find(w("ind")))
            rpr = st.find(w("rPr"))
            if rpr is not None:
                style.bold = on(rpr.find(w("b")))
                style.italic = on(rpr.find(w("i")))
            if keep_elements:
                style.element = st
            self.styles[sid] = style
            if style.type == "paragraph" and st.get(w("default")) in ("1", "true", "on"):
                self.default_para = sid
        self.language = _lang(root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}"))
        if self.language is None and self.default_para is not None:
            for st in root.iter(w("style")):
                if st.get(w("styleId")) == self.default_para:
                    self.language = _lang(st.find(f"{w('rPr')}/{w('lang')}"))
                    break

    def chain(self, sid: str | None) -> Iterator[Style]:
        """The style and the styles it is based on, nearest first (a cycle ends the chain)."""
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid].based_on

    def name(self, sid: str | None) -> str:
        st = self.styles.get(sid or "")
        return st.name if st else (sid or "")

    def _remembered(self, what: str, sid: str | None, compute):
        key = (what, sid)
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute(sid)
            return value

    def heading_level(self, sid: str | None) -> int | None:
        """0 for Title, n for Heading n (by name, else outline level), None for body text; via basedOn."""
        return self._remembered("heading", sid, self._heading_level)

    def _heading_level(self, sid: str | None) -> int | None:
        for st in self.chain(sid):
            lname = st.name.lower().strip()
            if lname == "title":
                return 0
            m = _HEADING_NAME.fullmatch(lname)
            if m:
                return int(m.group(1))
            if st.outline is not None and st.outline < 9:
                return st.outline + 1
        return None

    def bold(self, sid: str | None) -> bool | None:
        return self._remembered("bold", sid, lambda s: next((st.bold for st in self.chain(s) if st.bold is not None), None))

    def italic(self, sid: str | None) -> bool | None:
        return next((st.italic for st in self.chain(sid) if st.italic is not None), None)

    def numbered(self, sid: str | None) -> bool:
        """The style makes its paragraphs list items (its own numbering, or a List Bullet/Number name)."""
        return self._remembered("numbered", sid, self._numbered)

    def _numbered(self, sid: str | None) -> bool:
        for st in self.chain(sid):
            if st.numbered:
                return True
            if st.name.lower().startswith(("list bullet", "list number")):
                return True
        return False

    def num_id(self, sid: str | None) -> str | None:
        return self._remembered("num id", sid, lambda s: next((st.num_id for st in self.chain(s) if st.num_id), None))

    def num_level(self, sid: str | None) -> int | None:
        return self._remembered("num level", sid, lambda s: next(
            (st.num_level for st in self.chain(s) if st.num_level is not None), None))

    def indent(self, sid: str | None) -> int | None:
        """The left indentation the style (or the style it is based on) sets, in twips."""
        return self._remembered("indent", sid, lambda s: next(
            (st.indent for st in self.chain(s) if st.indent is not None), None))

    def list_style_level(self, sid: str | None) -> int:
        """The level a list style's name declares: `List Bullet 2`, `List Number 2`, `List 2` -> 1."""
        return self._remembered("list level", sid, self._list_style_level)

    def _list_style_level(self, sid: str | None) -> int:
        for st in self.chain(sid):
            m = _LIST_STYLE_NAME.fullmatch(st.name.lower().strip())
            if m:
                return int(m.group(1)) - 1 if m.group(1) else 0
        return 0

    def paragraph_style(self, p: etree._Element) -> str | None:
        """The style id of a `w:p` (its `w:pStyle`, else the default paragraph style)."""
        ppr = first_child(p, _PPR)
        ps = first_child(ppr, _PSTYLE) if ppr is not None else None
        sid = ps.get(_VAL) if ps is not None else None
        return sid or self.default_para

    def paragraph_level(self, p: etree._Element) -> int | None:
        """A `w:p`'s heading level: its own outline level, else its style's (0 = Title)."""
        ppr = first_child(p, _PPR)
        own = outline_level(first_child(ppr, _OUTLINE)) if ppr is not None else None
        return own if own is not None else self.heading_level(self.paragraph_style(p))


def _level(el: etree._Element | None) -> int | None:
    val = (el.get(w("val")) or "") if el is not None else ""
    return min(int(val), 8) if val.isdigit() else None


def twips(value: str | None) -> int | None:
    """A WordprocessingML measure (`720`, `-360`, `1.27cm`, `0.5in`, `36pt`) in twips; None if unreadable."""
    if not value:
        return None
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(in|cm|mm|pt|pc|pi)?\s*", value)
    if not m:
        return None
    return round(float(m.group(1)) * _TWIPS_PER.get(m.group(2) or "", 1.0))


def left_indent(ind: etree._Element | None) -> int | None:
    """The left (start) indentation a `w:ind` sets, in twips; None when it sets none."""
    if ind is None:
        return None
    return twips(ind.get(w("start"))) if ind.get(w("start")) is not None else twips(ind.get(w("left")))


def _lang(el: etree._Element | None) -> str | None:
    val = (el.get(w("val")) or "").strip() if el is not None else ""
    return val or None


class Numbering:
    """The numbering part: which lists are bullets and which numbers, and how far each level is indented."""

    def __init__(self, root: etree._Element | None):
        self.num_to_abstract: dict[str, str] = {}
        self.formats: dict[tuple[str, int], str] = {}
        self.indents: dict[tuple[str, int], int] = {}            # (abstractNumId, level) -> twips
        self.override_indents: dict[tuple[str, int], int] = {}   # (numId, level) -> twips, from w:lvlOverride
        if root is None:
            return
        for absn in root.iter(w("abstractNum")):
            aid = absn.get(w("abstractNumId")) or ""
            for lvl in absn.iter(w("lvl")):
                ilvl = _lvl_of(lvl)
                fmt = lvl.find(w("numFmt"))
                self.formats[(aid, ilvl)] = (fmt.get(w("val")) if fmt is not None else "") or ""
                indent = left_indent(lvl.find(f"{w('pPr')}/{w('ind')}"))
                if indent is not None:
                    self.indents[(aid, ilvl)] = indent
        for num in root.iter(w("num")):
            nid = num.get(w("numId")) or ""
            an = num.find(w("abstractNumId"))
            if an is not None:
                self.num_to_abstract[nid] = an.get(w("val")) or ""
            for lvl in num.iter(w("lvl")):   # inside w:lvlOverride
                indent = left_indent(lvl.find(f"{w('pPr')}/{w('ind')}"))
                if indent is not None:
                    self.override_indents[(nid, _lvl_of(lvl))] = indent

    def is_numbered(self, num_id: str, level: int) -> bool:
        fmt = self.formats.get((self.num_to_abstract.get(num_id, ""), level), "bullet")
        return fmt not in ("bullet", "none", "")

    def indent(self, num_id: str, level: int) -> int | None:
        """The left indentation of a list level, in twips (an override in the w:num first)."""
        if (num_id, level) in self.override_indents:
            return self.override_indents[(num_id, level)]
        return self.indents.get((self.num_to_abstract.get(num_id, ""), level))


def _lvl_of(lvl: etree._Element) -> int:
    val = lvl.get(w("ilvl")) or "0"
    return min(int(val), 8) if val.isdigit() else 0


@dataclass(frozen=True)
class ListMark:
    """What makes a paragraph a list item: its declared level (the `w:ilvl`, at least the level its
    style's name says: `List Bullet 2` is 1), bulleted or numbered, and its effective left
    indentation in twips (None when nothing sets one)."""
    level: int
    numbered: bool
    indent: int | None


def list_mark(p: etree._Element, styles: StyleSheet, numbering: Numbering) -> ListMark | None:
    """A `w:p`'s list mark, or None when it is not a list item.

    The indentation is what the reader sees: the paragraph's own `w:ind`, else (numbering set on
    the paragraph) the numbering level's, then the style's; (numbering from the style) the style's,
    then the numbering level's, as Word applies them."""
    ppr = first_child(p, _PPR)
    sid = styles.paragraph_style(p)
    if ppr is None:
        return list_mark_of(sid, None, None, styles, numbering)
    return list_mark_of(sid, first_child(ppr, _NUMPR), first_child(ppr, _IND), styles, numbering)


def list_mark_of(sid: str | None, num: etree._Element | None, ind: etree._Element | None, styles: StyleSheet,
                 numbering: Numbering) -> ListMark | None:
    """`list_mark` from what the paragraph's properties hold: its style id, its `w:numPr` and its
    `w:ind` (None when absent), for a walker that has read the properties already."""
    direct = num is not None
    if direct:
        nid_el = first_child(num, _NUMID)
        nid = nid_el.get(_VAL) if nid_el is not None else styles.num_id(sid)
        if nid == "0":
            return None
        ilvl = _level(first_child(num, _ILVL))
        if ilvl is None:
            ilvl = styles.num_level(sid) or 0
    elif styles.numbered(sid):
        nid = styles.num_id(sid)
        ilvl = styles.num_level(sid) or 0
    else:
        return None
    level = max(ilvl, styles.list_style_level(sid))
    if nid:
        numbered = numbering.is_numbered(nid, ilvl)
    else:
        numbered = "number" in styles.name(sid).lower()
    own = left_indent(ind)
    from_numbering = numbering.indent(nid, ilvl) if nid else None
    from_style = styles.indent(sid)
    order = (own, from_numbering, from_style) if direct else (own, from_style, from_numbering)
    indent = next((i for i in order if i is not None), None)
    return ListMark(level, numbered, indent)


def list_depths(marks: list[ListMark]) -> list[int]:
    """The depth (0 = outermost) of each item of one run of consecutive list paragraphs, as a reader
    sees it: by indentation first (indentations within INDENT_STEP of each other are one level),
    then by declared level. When some item has no indentation, by declared level alone.

    So a document whose editor wrote `List Bullet 2` items as level 0 of a list of their own,
    indented further (LibreOffice does), reads as one list with sub-items, as Word shows it."""
    if not marks:
        return []
    if all(m.indent is not None for m in marks):
        stops: list[int] = []
        for indent in sorted({m.indent for m in marks}):  # type: ignore[type-var]
            if not stops or indent - stops[-1] >= INDENT_STEP:
                stops.append(indent)
        def stop(indent: int) -> int:
            return max(i for i, s in enumerate(stops) if s <= indent)
        keys = [(stop(m.indent), m.level) for m in marks]  # type: ignore[arg-type]
    else:
        keys = [(0, m.level) for m in marks]
    rank = {k: i for i, k in enumerate(sorted(set(keys)))}
    return [rank[k] for k in keys]
