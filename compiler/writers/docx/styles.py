"""WordprocessingML styles for the generated documents: the house style names the writers use,
their fallback definitions, the document language, and settings.

Names are Word's built-in names, so Word and LibreOffice map them to their own.
"""

from __future__ import annotations

import functools
import re

from docx.oxml.ns import qn
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Characters XML 1.0 cannot hold: text from inputs is written as text, never as markup.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Text from inputs, made safe to put in a w:t (no XML-invalid characters)."""
    if text is None:
        return ""
    return _XML_INVALID.sub("", str(text))


# Styles a generated document may use, with the definition added when the base lacks them.
# Names are Word's built-in names, so Word and LibreOffice map them to their own.
_STYLE_DEFS: dict[str, str] = {
    "Title": '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>'
             '<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="300"/></w:pPr>'
             '<w:rPr><w:sz w:val="52"/></w:rPr></w:style>',
    "Subtitle": '<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>'
                '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
                '<w:rPr><w:sz w:val="32"/></w:rPr></w:style>',
    "List Bullet": '<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>'
                   '<w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:style>',
    "Header": '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/>'
              '<w:basedOn w:val="Normal"/></w:style>',
    "Footer": '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
              '<w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>',
    "Table Source": '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableSource">'
                    '<w:name w:val="Table Source"/><w:basedOn w:val="Normal"/><w:qFormat/>'
                    '<w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>'
                    '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>',
    "TOC Heading": '<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/>'
                   '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
                   '<w:pPr><w:keepNext/><w:spacing w:before="480" w:after="120"/><w:outlineLvl w:val="9"/></w:pPr>'
                   '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>',
    "toc 1": '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/>'
             '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
             '<w:pPr><w:spacing w:after="100"/></w:pPr></w:style>',
    "toc 2": '<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/>'
             '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
             '<w:pPr><w:spacing w:after="100"/><w:ind w:left="220"/></w:pPr></w:style>',
    "toc 3": '<w:style w:type="paragraph" w:styleId="TOC3"><w:name w:val="toc 3"/><w:basedOn w:val="Normal"/>'
             '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
             '<w:pPr><w:spacing w:after="100"/><w:ind w:left="440"/></w:pPr></w:style>',
    "Table Text": '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/>'
                  '<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr>'
                  '</w:style>',
    "SDP Table": '<w:style w:type="table" w:customStyle="1" w:styleId="SDPTable"><w:name w:val="SDP Table"/>'
                 '<w:basedOn w:val="TableNormal"/><w:qFormat/>'
                 '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
                 '<w:tblPr><w:tblBorders>'
                 '<w:top w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
                 '<w:left w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
                 '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
                 '<w:right w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
                 '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
                 '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
                 '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
                 '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
                 '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
                 '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr></w:tblStylePr>'
                 '</w:style>',
}
for _n, _suffix in ((1, ""), (2, " 2"), (3, " 3")):
    _indent = 360 * _n
    _STYLE_DEFS[f"List Bullet{_suffix}"] = (
        f'<w:style w:type="paragraph" w:styleId="ListBullet{_suffix.strip()}"><w:name w:val="List Bullet{_suffix}"/>'
        f'<w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="{_indent}" w:hanging="360"/></w:pPr></w:style>')
    _STYLE_DEFS[f"List Number{_suffix}"] = (
        f'<w:style w:type="paragraph" w:styleId="ListNumber{_suffix.strip()}"><w:name w:val="List Number{_suffix}"/>'
        f'<w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="{_indent}" w:hanging="360"/></w:pPr></w:style>')
# Character styles for the little inline formatting a plan keeps (never direct formatting).
_STYLE_DEFS["Strong"] = ('<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:qFormat/>'
                         '<w:rPr><w:b/><w:bCs/></w:rPr></w:style>')
_STYLE_DEFS["Emphasis"] = ('<w:style w:type="character" w:styleId="Emphasis"><w:name w:val="Emphasis"/><w:qFormat/>'
                           '<w:rPr><w:i/><w:iCs/></w:rPr></w:style>')
_STYLE_DEFS["Strong Emphasis"] = ('<w:style w:type="character" w:customStyle="1" w:styleId="StrongEmphasis">'
                                  '<w:name w:val="Strong Emphasis"/><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr>'
                                  '</w:style>')
_STYLE_DEFS["Hyperlink"] = ('<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
                            '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>')
for _n in (1, 2, 3, 4, 5, 6):
    _STYLE_DEFS[f"heading {_n}"] = (
        f'<w:style w:type="paragraph" w:styleId="Heading{_n}"><w:name w:val="heading {_n}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{360 - 80 * _n}" w:after="120"/>'
        f'<w:outlineLvl w:val="{_n - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{max(24, 36 - 4 * _n)}"/></w:rPr></w:style>')

_NEEDED = ["Title", "Subtitle", "heading 1", "heading 2", "heading 3", "List Bullet", "Header", "Footer", "TOC Heading",
           "toc 1", "toc 2", "toc 3", "Table Text", "SDP Table"]

# A plain, accessible house style for the built-in default (no reference document).
_DEFAULT_TUNING = {
    "Normal": '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
              '<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>',
}


@functools.lru_cache(maxsize=None)
def _w(tag: str) -> str:
    return qn(tag)


def _frag(xml: str) -> etree._Element:
    return etree.fromstring(f'<root xmlns:w="{W_NS}">{xml}</root>')[0]


def _style_name(style: etree._Element) -> str:
    name = style.find(_w("w:name"))
    return (name.get(_w("w:val")) if name is not None else "") or ""


class StyleMap:
    """The styles of one document by lower-cased name and by id; adds what is missing."""

    def __init__(self, styles_el: etree._Element):
        self.el = styles_el
        self.by_name: dict[str, etree._Element] = {}
        self.by_id: dict[str, etree._Element] = {}
        for st in styles_el.iterchildren(_w("w:style")):
            self.by_name.setdefault(_style_name(st).casefold(), st)
            sid = st.get(_w("w:styleId"))
            if sid:
                self.by_id.setdefault(sid, st)

    def ensure(self, name: str) -> str:
        """The style id of the named style, adding our definition if the document lacks it."""
        st = self.by_name.get(name.casefold())
        if st is None:
            st = _frag(_STYLE_DEFS[name])
            sid = st.get(_w("w:styleId"))
            if sid in self.by_id:  # the id is taken by a differently named style: pick a free one
                n = 2
                while f"{sid}{n}" in self.by_id:
                    n += 1
                st.set(_w("w:styleId"), f"{sid}{n}")
            self.el.append(st)
            self.by_name[name.casefold()] = st
            self.by_id[st.get(_w("w:styleId"))] = st
        return st.get(_w("w:styleId"))

    def add_definition(self, xml: str) -> str | None:
        """Add a style from its `w:style` XML (a source document's own style); its id made unique."""
        try:
            st = etree.fromstring(xml)
        except etree.XMLSyntaxError:
            return None
        if st.tag != _w("w:style"):
            return None
        name = _style_name(st)
        if not name or name.casefold() in self.by_name:
            return self.id_of(name) if name else None
        sid = st.get(_w("w:styleId")) or "Imported"
        base, n = sid, 2
        while sid in self.by_id:
            sid, n = f"{base}{n}", n + 1
        st.set(_w("w:styleId"), sid)
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = st.find(_w(ref))
            if el is not None and el.get(_w("w:val")) not in self.by_id:
                st.remove(el)
        self.el.append(st)
        self.by_name[name.casefold()] = st
        self.by_id[sid] = st
        return sid

    def id_of(self, name: str) -> str | None:
        st = self.by_name.get(name.casefold())
        return st.get(_w("w:styleId")) if st is not None else None


def _set_language(styles_el: etree._Element, language: str) -> None:
    """w:lang in docDefaults (and on Normal, if it sets its own), so every run has the document language."""
    defaults = styles_el.find(_w("w:docDefaults"))
    if defaults is None:
        defaults = etree.Element(_w("w:docDefaults"))
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(_w("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(_w("w:rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(_w("w:rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, _w("w:rPr"))
    _put_lang(rpr, language)
    for st in styles_el.iterchildren(_w("w:style")):
        if st.get(_w("w:type")) == "paragraph" and st.get(_w("w:default")) in ("1", "true", "on"):
            srpr = st.find(_w("w:rPr"))
            if srpr is not None and srpr.find(_w("w:lang")) is not None:
                _put_lang(srpr, language)


# rPr children in schema order, to place w:lang correctly.
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def _insert_ordered(parent: etree._Element, child: etree._Element, order: list[str]) -> None:
    local = etree.QName(child).localname
    after = set(order[order.index(local) + 1:]) if local in order else set()
    for i, existing in enumerate(parent):
        if etree.QName(existing).namespace == W_NS and etree.QName(existing).localname in after:
            parent.insert(i, child)
            return
    parent.append(child)


def _put_lang(rpr: etree._Element, language: str) -> None:
    lang = rpr.find(_w("w:lang"))
    if lang is None:
        lang = etree.Element(_w("w:lang"))
        _insert_ordered(rpr, lang, _RPR_ORDER)
    lang.set(_w("w:val"), language)


def _clear_update_fields(settings_el: etree._Element) -> None:
    """No `w:updateFields`: it makes Word ask, on every opening, to update the fields. The contents list is
    written complete (its entries are the document's headings, linked to them) and the footer's page
    numbers are PAGE fields that Word and LibreOffice lay out themselves, so nothing needs that prompt. A
    reference document that carries the setting loses it too."""
    for el in settings_el.findall(_w("w:updateFields")):
        settings_el.remove(el)
