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
    custom: bool = False
    element: etree._Element | None = None   # kept only when the sheet is built with keep_elements


class StyleSheet:
    """The styles of one document (an empty sheet when it has no styles part)."""

    def __init__(self, root: etree._Element | None, *, keep_elements: bool = False):
        self.styles: dict[str, Style] = {}
        self.default_para: str | None = None
        self.language: str | None = None   # w:lang of the document defaults, else of the default paragraph style
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

    def heading_level(self, sid: str | None) -> int | None:
        """0 for Title, n for Heading n (by name, else outline level), None for body text; via basedOn."""
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
        return next((st.bold for st in self.chain(sid) if st.bold is not None), None)

    def italic(self, sid: str | None) -> bool | None:
        return next((st.italic for st in self.chain(sid) if st.italic is not None), None)

    def numbered(self, sid: str | None) -> bool:
        """The style makes its paragraphs list items (its own numbering, or a List Bullet/Number name)."""
        for st in self.chain(sid):
            if st.numbered:
                return True
            if st.name.lower().startswith(("list bullet", "list number")):
                return True
        return False

    def num_id(self, sid: str | None) -> str | None:
        return next((st.num_id for st in self.chain(sid) if st.num_id), None)

    def paragraph_style(self, p: etree._Element) -> str | None:
        """The style id of a `w:p` (its `w:pStyle`, else the default paragraph style)."""
        ppr = p.find(w("pPr"))
        ps = ppr.find(w("pStyle")) if ppr is not None else None
        sid = ps.get(w("val")) if ps is not None else None
        return sid or self.default_para

    def paragraph_level(self, p: etree._Element) -> int | None:
        """A `w:p`'s heading level: its own outline level, else its style's (0 = Title)."""
        ppr = p.find(w("pPr"))
        own = outline_level(ppr.find(w("outlineLvl"))) if ppr is not None else None
        return own if own is not None else self.heading_level(self.paragraph_style(p))


def _lang(el: etree._Element | None) -> str | None:
    val = (el.get(w("val")) or "").strip() if el is not None else ""
    return val or None


class Numbering:
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
