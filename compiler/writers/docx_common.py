"""Shared machinery for the generated Word documents.

Every generated .docx is built the same way:

- the base document is the house-style reference .docx when one is given (its
  body is emptied, its final section properties, headers and styles kept), else
  python-docx's default template set to A4 with a plain accessible house style;
- any style the writers need and the base lacks is added, so the body uses
  named styles only (no direct formatting);
- paragraphs and tables are written as lxml elements straight into the body
  (fast: no python-docx proxy objects per cell), every table with a marked,
  repeating header row;
- headings are bookmarked and, where asked, listed in a table-of-contents
  field whose cached result already holds the entries (Word refreshes it on
  open because settings carry `w:updateFields`);
- title, language and fixed dates go into the core properties and styles, and
  the package is re-zipped deterministically.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import sys
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from .. import __version__
from .deterministic import deterministic_zip_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SHIPPED_REFERENCE = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

# Characters XML 1.0 cannot hold: text from inputs is written as text, never as markup.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# --------------------------------------------------------------------------- text helpers


def clean(text: object) -> str:
    """Text from inputs, made safe to put in a w:t (no XML-invalid characters)."""
    if text is None:
        return ""
    return _XML_INVALID.sub("", str(text))


def format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return format(value, ",.15g")


def format_value(value, unit: str | None = None, *, with_period: bool = True) -> str:
    """An IndicatorValue (or None) as a reader expects: `11.4% (2022/23)`, `2,154 (2022/23)`."""
    if value is None:
        return ""
    v = value.value
    if v.number is not None:
        text = format_number(v.number)
        if unit and unit.strip() == "%":
            text += "%"
    elif v.text:
        text = v.text
    elif v.mark:
        text = f"not available ({v.mark})"
    else:
        text = ""
    if with_period and value.period:
        text = f"{text} ({value.period})" if text else value.period
    return text


def long_date(d: date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


# --------------------------------------------------------------------------- styles

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
for _n in (1, 2, 3, 4, 5, 6):
    _STYLE_DEFS[f"heading {_n}"] = (
        f'<w:style w:type="paragraph" w:styleId="Heading{_n}"><w:name w:val="heading {_n}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{360 - 80 * _n}" w:after="120"/>'
        f'<w:outlineLvl w:val="{_n - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{max(24, 36 - 4 * _n)}"/></w:rPr></w:style>')

_NEEDED = ["Title", "Subtitle", "heading 1", "heading 2", "heading 3", "List Bullet", "Header", "TOC Heading",
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


# settings.xml children that must follow w:updateFields (CT_Settings sequence).
_AFTER_UPDATE_FIELDS = {"hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                        "listSeparator"}


def _set_update_fields(settings_el: etree._Element) -> None:
    if settings_el.find(_w("w:updateFields")) is not None:
        return
    el = etree.Element(_w("w:updateFields"))
    el.set(_w("w:val"), "true")
    for i, existing in enumerate(settings_el):
        q = etree.QName(existing)
        if q.namespace != W_NS or q.localname in _AFTER_UPDATE_FIELDS:
            settings_el.insert(i, el)
            return
    settings_el.append(el)


# --------------------------------------------------------------------------- the base document


def _open_reference(path: Path) -> docx.document.Document:
    """Open a house-style .docx (or .dotx, read as a document) as python-docx would."""
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            ct = z.read("[Content_Types].xml")
            if b"wordprocessingml.template.main+xml" in ct:
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as o:
                    for info in z.infolist():
                        member = z.read(info.filename)
                        if info.filename == "[Content_Types].xml":
                            member = member.replace(b"wordprocessingml.template.main+xml",
                                                    b"wordprocessingml.document.main+xml")
                        o.writestr(info, member)
                data = out.getvalue()
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(f"'{path}' is not a Word document ({exc})") from exc
    return docx.Document(io.BytesIO(data))


_DROP_RELS = {
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
}
_KEEP_TABLE_STYLES = {"TableNormal", "TableGrid"}
_BASE_CACHE: dict[object, bytes] = {}


def _drop_rels(rels) -> None:
    for rid in [rid for rid, rel in rels.items() if rel.reltype in _DROP_RELS]:
        del rels[rid]


def _prepared_base(reference: Path | None) -> bytes:
    """The base package with an empty body, as bytes, prepared once per process per reference."""
    key: object = None
    if reference is not None:
        st = reference.stat()
        key = (str(reference.resolve()), st.st_mtime_ns, st.st_size)
    cached = _BASE_CACHE.get(key)
    if cached is not None:
        return cached
    if reference is not None:
        doc = _open_reference(reference)
    else:
        doc = docx.Document()
        # The default template carries Word 2010 extras and 100 table styles nobody uses: leave them out.
        _drop_rels(doc.part.package.rels)
        _drop_rels(doc.part.rels)
        styles_el = doc.styles.element
        for st in list(styles_el.iterchildren(_w("w:style"))):
            if st.get(_w("w:type")) == "table" and st.get(_w("w:styleId")) not in _KEEP_TABLE_STYLES:
                styles_el.remove(st)
        smap = StyleMap(styles_el)
        for name, rpr_xml in _DEFAULT_TUNING.items():
            st = smap.by_name.get(name.casefold())
            if st is not None and st.find(_w("w:rPr")) is None:
                st.append(_frag(rpr_xml))
        for section in doc.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
            for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
                setattr(section, side, Mm(20))
            section.header_distance = section.footer_distance = Mm(10)
    body = doc.element.body
    for child in list(body):
        if child.tag != _w("w:sectPr"):
            body.remove(child)
    data = package_bytes(doc, compress=False)
    _BASE_CACHE[key] = data
    return data


def base_document(reference: Path | None) -> tuple[docx.document.Document, bool]:
    """(document with an empty body and the house styles, whether a reference document was used)."""
    for candidate in (reference, SHIPPED_REFERENCE if SHIPPED_REFERENCE.is_file() else None):
        if candidate is None:
            continue
        try:
            return docx.Document(io.BytesIO(_prepared_base(Path(candidate)))), True
        except Exception as exc:  # a broken house template must not cost the documents
            print(f"sdp: warning: the reference document '{candidate}' cannot be used ({exc}); "
                  "using the built-in style", file=sys.stderr)
    return docx.Document(io.BytesIO(_prepared_base(None))), False


def package_bytes(doc: docx.document.Document, *, compress: bool = True) -> bytes:
    """The document's package as bytes; compressed ones are deterministic (fixed dates and order)."""
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = doc.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)

        put(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        put(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            put(part.partname.membername, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri.membername, part.rels.xml)
    data = buf.getvalue()
    return deterministic_zip_bytes(data) if compress else data


# --------------------------------------------------------------------------- the builder


def _p(style_id: str | None, text: str = "") -> etree._Element:
    p = etree.Element(_w("w:p"))
    if style_id:
        ppr = etree.SubElement(p, _w("w:pPr"))
        etree.SubElement(ppr, _w("w:pStyle")).set(_w("w:val"), style_id)
    if text:
        _add_run(p, text)
    return p


def _add_run(parent: etree._Element, text: str) -> etree._Element:
    r = etree.SubElement(parent, _w("w:r"))
    t = etree.SubElement(r, _w("w:t"))
    t.text = clean(text)
    if t.text != t.text.strip() or "  " in t.text:
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


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

    def paragraph(self, text: str, style: str | None = None) -> etree._Element:
        sid = self.sid.get(style) if style else None
        if style and sid is None:
            sid = self.styles.id_of(style)
        return self._append(_p(sid, text))

    def bullet(self, text: str) -> etree._Element:
        return self.paragraph(text, "List Bullet")

    def doc_title(self, text: str) -> None:
        self.paragraph(text, "Title")

    def subtitle(self, text: str) -> None:
        self.paragraph(text, "Subtitle")

    def heading(self, text: str, level: int) -> etree._Element:
        p = _p(self.sid[f"heading {level}"])
        self.mark_heading(p, level, text)
        _add_run(p, text)
        return self._append(p)

    def mark_heading(self, p: etree._Element, level: int, text: str) -> None:
        """Bookmark a heading paragraph (already styled) and list it for the contents."""
        n, name = self.next_bookmark()
        start = etree.Element(_w("w:bookmarkStart"))
        start.set(_w("w:id"), str(n))
        start.set(_w("w:name"), name)
        end = etree.Element(_w("w:bookmarkEnd"))
        end.set(_w("w:id"), str(n))
        ppr = p.find(_w("w:pPr"))
        idx = 1 if ppr is not None else 0
        p.insert(idx, start)
        p.append(end)
        self.headings.append((level, clean(text), name))

    def page_break(self) -> None:
        p = _p(None)
        r = etree.SubElement(p, _w("w:r"))
        etree.SubElement(r, _w("w:br")).set(_w("w:type"), "page")
        self._append(p)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]],
              widths: Sequence[float] | None = None) -> etree._Element:
        """A table with a marked, repeating header row; a cell value may be a list (one paragraph each)."""
        headers = [clean(h).strip() or "-" for h in headers]
        n = len(headers)
        widths = list(widths or [1] * n)
        total = sum(widths)
        text_width = self._text_width_twips()
        grid = [max(300, int(text_width * w / total)) for w in widths]
        cell_style = self.sid["Table Text"]
        tbl = etree.Element(_w("w:tbl"))
        tblpr = etree.SubElement(tbl, _w("w:tblPr"))
        etree.SubElement(tblpr, _w("w:tblStyle")).set(_w("w:val"), self.sid["SDP Table"])
        tw = etree.SubElement(tblpr, _w("w:tblW"))
        tw.set(_w("w:w"), "5000")
        tw.set(_w("w:type"), "pct")
        look = etree.SubElement(tblpr, _w("w:tblLook"))
        for k, v in (("w:val", "04A0"), ("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "0"),
                     ("w:lastColumn", "0"), ("w:noHBand", "1"), ("w:noVBand", "1")):
            look.set(_w(k), v)
        tblgrid = etree.SubElement(tbl, _w("w:tblGrid"))
        for g in grid:
            etree.SubElement(tblgrid, _w("w:gridCol")).set(_w("w:w"), str(g))

        def add_row(values: Sequence[object], header: bool) -> None:
            tr = etree.SubElement(tbl, _w("w:tr"))
            trpr = etree.SubElement(tr, _w("w:trPr"))
            etree.SubElement(trpr, _w("w:cantSplit"))
            if header:
                etree.SubElement(trpr, _w("w:tblHeader"))
            for i in range(n):
                value = values[i] if i < len(values) else ""
                tc = etree.SubElement(tr, _w("w:tc"))
                tcpr = etree.SubElement(tc, _w("w:tcPr"))
                tcw = etree.SubElement(tcpr, _w("w:tcW"))
                tcw.set(_w("w:w"), str(grid[i]))
                tcw.set(_w("w:type"), "dxa")
                lines = value if isinstance(value, (list, tuple)) else [value]
                lines = [clean(x) for x in lines if x is not None and clean(x) != ""] or [""]
                for line in lines:
                    for part in line.split("\n"):
                        tc.append(_p(cell_style, part))

        add_row(headers, True)
        for row in rows:
            add_row(list(row), False)
        return self._append(tbl)

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
        even_odd = self.doc.settings.element.find(_w("w:evenAndOddHeaders")) is not None
        style = self.sid["Header"]
        for sec in self.doc.sections:
            headers = [sec.header]
            if sec.different_first_page_header_footer:
                headers.append(sec.first_page_header)
            if even_odd:
                headers.append(sec.even_page_header)
            for hdr in headers:
                hdr.is_linked_to_previous = False
                hdr._element.insert(0, _p(style, text))

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
        _set_update_fields(self.doc.settings.element)

    # ---- output

    def finish(self) -> bytes:
        self._fill_contents()
        return package_bytes(self.doc)


# --------------------------------------------------------------------------- front matter from a narrative document

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_RT_HYPERLINK = R_NS + "/hyperlink"
_RT_IMAGE = R_NS + "/image"
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)
# Markup that refers to parts of the source that are not copied, or that only matters in the source.
_DROP = {"sectPr", "commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "proofErr",
         "permStart", "permEnd", "rPrChange", "pPrChange", "tblPrChange", "trPrChange", "tcPrChange",
         "sectPrChange", "tblGridChange", "numberingChange", "customXmlInsRangeStart", "customXmlInsRangeEnd",
         "customXmlDelRangeStart", "customXmlDelRangeEnd", "moveFromRangeStart", "moveFromRangeEnd",
         "moveToRangeStart", "moveToRangeEnd"}
_DROP_RUN_OF = {"commentReference", "footnoteReference", "endnoteReference", "annotationRef"}


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    idx = parent.index(el)
    for child in list(el):
        parent.insert(idx, child)
        idx += 1
    parent.remove(el)


def _accept_changes_and_strip(block: etree._Element) -> None:
    """Accept tracked changes; drop comments, notes, bookmarks and other source-only markup."""
    for el in list(block.iter()):
        if not isinstance(el.tag, str) or etree.QName(el).namespace != W_NS:
            continue
        name = _local(el)
        if name in ("del", "moveFrom"):
            _remove(el)
        elif name in _DROP:
            _remove(el)
        elif name in _DROP_RUN_OF:
            run = el.getparent()
            _remove(run if run is not None and _local(run) == "r" else el)
    for el in list(block.iter(_w("w:ins"), _w("w:moveTo"))):
        _unwrap(el)
    for el in block.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            if attr.startswith("{http://schemas.microsoft.com/office/word/2010/wordml}") or \
                    attr in (_w("w:rsidR"), _w("w:rsidRPr"), _w("w:rsidRDefault"), _w("w:rsidP"), _w("w:rsidDel"),
                             _w("w:rsidTr"), _w("w:rsidSect")):
                del el.attrib[attr]


def _style_level(style: etree._Element | None, by_id: dict[str, etree._Element]) -> int | None:
    """A heading level from a style: its name (heading N, Title = 1) or its outline level, via basedOn."""
    seen = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        name = _style_name(style)
        m = _HEADING_NAME.match(name.strip())
        if m:
            return int(m.group(1))
        if name.strip().casefold() == "title":
            return 1
        outline = style.find(f"{_w('w:pPr')}/{_w('w:outlineLvl')}")
        if outline is not None:
            val = int(outline.get(_w("w:val"), "9") or 9)
            return val + 1 if val < 9 else None
        based = style.find(_w("w:basedOn"))
        style = by_id.get(based.get(_w("w:val"))) if based is not None else None
    return None


def _para_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(_w("w:t")))


def import_narrative(builder: DocBuilder, data: bytes) -> bool:
    """Copy the body of a narrative Word document, with the styles and lists it uses, into `builder`.

    Tracked changes are accepted; comments, notes and section breaks are left behind; hyperlinks
    and images come along (an image without alt text gets its title or a plain description);
    headings are put in order under the plan's own (no skipped level) in the house heading
    styles. Returns False if the document has no body content.
    """
    src = docx.Document(io.BytesIO(data))
    blocks = [copy.deepcopy(c) for c in src.element.body
              if isinstance(c.tag, str) and _local(c) in ("p", "tbl", "sdt")]
    if not any(_para_text(b).strip() or b.find(f".//{_w('w:drawing')}") is not None for b in blocks):
        return False
    src_styles = StyleMap(src.styles.element)
    target = builder.doc

    for block in blocks:
        _accept_changes_and_strip(block)

    # Relationships: hyperlinks and images come along, anything else is left behind.
    for block in blocks:
        for el in list(block.iter()):
            if not isinstance(el.tag, str):
                continue
            for attr, rid in list(el.attrib.items()):
                if not attr.startswith("{" + R_NS + "}"):
                    continue
                rel = src.part.rels.get(rid)
                new_rid = None
                try:
                    if rel is not None and rel.reltype == _RT_HYPERLINK and rel.is_external:
                        new_rid = target.part.relate_to(rel.target_ref, _RT_HYPERLINK, is_external=True)
                    elif rel is not None and rel.reltype == _RT_IMAGE and not rel.is_external:
                        new_rid, _ = target.part.get_or_add_image(io.BytesIO(rel.target_part.blob))
                except Exception:
                    new_rid = None
                if new_rid is not None:
                    el.set(attr, new_rid)
                elif _local(el) == "hyperlink":
                    del el.attrib[attr]
                else:
                    holder = el
                    while holder is not None and _local(holder) not in ("r", "p", "tbl", "sdt"):
                        holder = holder.getparent()
                    _remove(holder if holder is not None and _local(holder) == "r" else el)

    # Images: unique ids and alt text.
    next_id = 1000
    for block in blocks:
        for doc_pr in block.iter(f"{{{WP_NS}}}docPr"):
            next_id += 1
            doc_pr.set("id", str(next_id))
            if not (doc_pr.get("descr") or "").strip():
                doc_pr.set("descr", (doc_pr.get("title") or "").strip() or "Image from the plan's narrative document")

    # Tables: the first row is the header row, repeated on each page.
    for block in blocks:
        for tbl in block.iter(_w("w:tbl")):
            first = tbl.find(_w("w:tr"))
            if first is None:
                continue
            trpr = first.find(_w("w:trPr"))
            if trpr is None:
                trpr = etree.Element(_w("w:trPr"))
                anchor = first.find(_w("w:tblPrEx"))
                first.insert(first.index(anchor) + 1 if anchor is not None else 0, trpr)
            if trpr.find(_w("w:tblHeader")) is None:
                trpr.append(etree.Element(_w("w:tblHeader")))

    # Headings: in order under the plan's title, in the house heading styles.
    previous = 0
    for block in blocks:
        for p in block.iter(_w("w:p")):
            ppr = p.find(_w("w:pPr"))
            pstyle = ppr.find(_w("w:pStyle")) if ppr is not None else None
            style = src_styles.by_id.get(pstyle.get(_w("w:val"))) if pstyle is not None else None
            own = ppr.find(_w("w:outlineLvl")) if ppr is not None else None
            level = None
            if own is not None:
                val = int(own.get(_w("w:val"), "9") or 9)
                level = val + 1 if val < 9 else None
                ppr.remove(own)
            elif style is not None:
                level = _style_level(style, src_styles.by_id)
            text = _para_text(p).strip()
            if level is None or not text:
                continue
            level = max(1, min(level, previous + 1, 6))
            previous = level
            if ppr is None:
                ppr = etree.Element(_w("w:pPr"))
                p.insert(0, ppr)
            if pstyle is None:
                pstyle = etree.Element(_w("w:pStyle"))
                ppr.insert(0, pstyle)
            pstyle.set(_w("w:val"), builder.styles.ensure(f"heading {level}"))
            builder.mark_heading(p, level, text)

    # Styles the copied content uses that the house style lacks come from the narrative.
    copied_styles: list[etree._Element] = []

    def need(style_id: str) -> bool:
        if style_id in builder.styles.by_id:
            return True
        st = src_styles.by_id.get(style_id)
        if st is None:
            return False
        new = copy.deepcopy(st)
        builder.styles.el.append(new)
        builder.styles.by_id[style_id] = new
        copied_styles.append(new)
        for ref in ("w:basedOn", "w:next", "w:link"):
            r = new.find(_w(ref))
            if r is not None and not need(r.get(_w("w:val"))):
                new.remove(r)
        return True

    for block in blocks:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            for el in list(block.iter(_w(tag))):
                if not need(el.get(_w("w:val"), "")):
                    _remove(el)

    # Lists: the numbering definitions the copied paragraphs and styles use.
    _copy_numbering(src, target, blocks + copied_styles)

    for block in blocks:
        builder.append_element(block)
    return True


def _copy_numbering(src, target, elements: list[etree._Element]) -> None:
    used = []
    for el in elements:
        for num_id in el.iter(_w("w:numId")):
            val = num_id.get(_w("w:val"))
            if val and val != "0" and val not in used:
                used.append(val)
    if not used:
        return
    try:
        src_numbering = src.part.part_related_by(R_NS + "/numbering").element
    except (KeyError, AttributeError):
        src_numbering = None
    mapping: dict[str, str] = {}
    if src_numbering is not None:
        tgt = target.part.numbering_part.element
        nums = {n.get(_w("w:numId")): n for n in src_numbering.iterchildren(_w("w:num"))}
        abstracts = {a.get(_w("w:abstractNumId")): a for a in src_numbering.iterchildren(_w("w:abstractNum"))}
        next_num = max([int(n.get(_w("w:numId"))) for n in tgt.iterchildren(_w("w:num"))] + [0]) + 1
        next_abs = max([int(a.get(_w("w:abstractNumId"))) for a in tgt.iterchildren(_w("w:abstractNum"))] + [-1]) + 1
        abs_map: dict[str, str] = {}
        for val in used:
            num = nums.get(val)
            if num is None:
                continue
            abs_ref = num.find(_w("w:abstractNumId"))
            old_abs = abs_ref.get(_w("w:val")) if abs_ref is not None else None
            if old_abs not in abstracts:
                continue
            if old_abs not in abs_map:
                new_abs = copy.deepcopy(abstracts[old_abs])
                for link in list(new_abs.iter(_w("w:styleLink"), _w("w:numStyleLink"), _w("w:pStyle"))):
                    _remove(link)
                new_abs.set(_w("w:abstractNumId"), str(next_abs))
                abs_map[old_abs] = str(next_abs)
                next_abs += 1
                existing = list(tgt.iterchildren(_w("w:abstractNum")))
                if existing:
                    existing[-1].addnext(new_abs)
                else:
                    first_num = tgt.find(_w("w:num"))
                    if first_num is not None:
                        first_num.addprevious(new_abs)
                    else:
                        tgt.append(new_abs)
            new_num = copy.deepcopy(num)
            new_num.set(_w("w:numId"), str(next_num))
            new_num.find(_w("w:abstractNumId")).set(_w("w:val"), abs_map[old_abs])
            cleanup = tgt.find(_w("w:numIdMacAtCleanup"))
            if cleanup is not None:
                cleanup.addprevious(new_num)
            else:
                tgt.append(new_num)
            mapping[val] = str(next_num)
            next_num += 1
    for el in elements:
        for num_id in list(el.iter(_w("w:numId"))):
            val = num_id.get(_w("w:val"))
            if val in mapping:
                num_id.set(_w("w:val"), mapping[val])
            elif val and val != "0":
                num_pr = num_id.getparent()
                _remove(num_pr if num_pr is not None and _local(num_pr) == "numPr" else num_id)
