"""Accessibility check of a Word document against the rules for published documents.

`lint_docx(data, path)` returns one Diagnostic per broken rule occurrence (an
empty list when the document passes), with an A code from the code table
(compiler.codes; `sdp explain A001`) and a location in the document named `path`:

- A001 headings in order with no skipped level: the first heading is Heading 1
  or the Title, and a Heading n follows at most a Heading n-1 (Title counts as 0);
- A002 every table's first row is marked as a header row (`w:tblHeader`), so it
  is announced and repeated on each page;
- A003, A004 no header cell is merged (`w:gridSpan` > 1, `w:vMerge`, `w:hMerge`)
  or empty;
- A005 every image or drawing has alt text (`wp:docPr/@descr`, or `v:shape/@alt`);
- A006 the core properties give a title; A007 a document language is set (w:lang
  in the styles' defaults or the default paragraph style); A008 the document has
  a body.

The package is read with zipfile and lxml only, without resolving entities or
fetching anything, with limits on member sizes. A file that is not a readable
.docx raises ValueError.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from posixpath import dirname, join, normpath

from lxml import etree

from .codes import emit
from .diagnostics import Diagnostic, Location

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
R_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
R_STRICT_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE_PROPS = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

MAX_MEMBER = 200 * 2**20
MAX_MEMBERS = 10000
_HEADING = re.compile(r"^heading\s*([1-9])$", re.I)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _parse(z: zipfile.ZipFile, name: str) -> etree._Element:
    info = z.getinfo(name)
    if info.file_size > MAX_MEMBER:
        raise ValueError(f"the part '{name}' is too large to check ({info.file_size} bytes)")
    data = z.read(name)
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise ValueError(f"the part '{name}' declares a DTD or entities, which a Word document never does")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"the part '{name}' is not well-formed XML ({exc})") from exc
    if root is None:
        raise ValueError(f"the part '{name}' is empty")
    return root


def _targets(z: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
    """{rId: (type, member name)} from the relationships of `source` ('' for the package)."""
    rels_name = join(dirname(source), "_rels", source.rsplit("/", 1)[-1] + ".rels") if source else "_rels/.rels"
    if rels_name not in z.namelist():
        return {}
    root = _parse(z, rels_name)
    out = {}
    for rel in root.iter(f"{{{PKG_RELS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else normpath(join(dirname(source), target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), name)
    return out


class _Styles:
    def __init__(self, root: etree._Element | None):
        self.by_id: dict[str, etree._Element] = {}
        self.default_para: etree._Element | None = None
        self.root = root
        if root is None:
            return
        for st in root.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if sid:
                self.by_id.setdefault(sid, st)
            if st.get(_w("type")) == "paragraph" and st.get(_w("default")) in ("1", "true", "on"):
                self.default_para = st

    def name(self, st: etree._Element) -> str:
        n = st.find(_w("name"))
        return (n.get(_w("val")) if n is not None else "") or ""

    def level(self, style_id: str | None) -> int | None:
        """0 for Title, n for Heading n (by name, else outline level), None for body text; via basedOn."""
        st = self.by_id.get(style_id or "")
        if st is None and style_id:  # a style id that names the style (no styles part)
            m = _HEADING.match(re.sub(r"(?i)^heading(\d)$", r"heading \1", style_id))
            if m:
                return int(m.group(1))
            return 0 if style_id.casefold() == "title" else None
        seen = set()
        while st is not None and id(st) not in seen:
            seen.add(id(st))
            name = self.name(st).strip()
            m = _HEADING.match(name)
            if m:
                return int(m.group(1))
            if name.casefold() == "title":
                return 0
            outline = st.find(f"{_w('pPr')}/{_w('outlineLvl')}")
            if outline is not None:
                return _outline(outline)
            based = st.find(_w("basedOn"))
            st = self.by_id.get(based.get(_w("val"), "")) if based is not None else None
        return None

    def language(self) -> str | None:
        if self.root is None:
            return None
        for path in (f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('lang')}",):
            el = self.root.find(path)
            if el is not None and (el.get(_w("val")) or "").strip():
                return el.get(_w("val"))
        st = self.default_para
        if st is not None:
            el = st.find(f"{_w('rPr')}/{_w('lang')}")
            if el is not None and (el.get(_w("val")) or "").strip():
                return el.get(_w("val"))
        return None


def _outline(el: etree._Element) -> int | None:
    try:
        val = int(el.get(_w("val"), "9"))
    except ValueError:
        return None
    return val + 1 if 0 <= val < 9 else None


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(_w("t"))).strip()


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValueError(f"not a Word document: not a zip package ({exc})") from exc
    if len(z.infolist()) > MAX_MEMBERS:
        raise ValueError("not a Word document the checker will open: too many parts")
    return z


def lint_docx(data: bytes, path: str = "document.docx") -> list[Diagnostic]:
    """Diagnostics, one per broken rule occurrence, located in `path` (the document's name as the
    user gave it); [] when the document passes. ValueError if the document is unreadable."""
    z = _open(data)
    try:
        pkg = _targets(z, "")
        main = next((name for t, name in pkg.values() if t in (R_DOC, R_STRICT_DOC)), None)
        if main is None or main not in z.namelist():
            raise ValueError("not a Word document: the package has no main document part")
        document = _parse(z, main)
        if document.tag.startswith(f"{{{STRICT_W}}}"):
            raise ValueError("a Strict Open XML document: save it as a standard Word document to check it")
        if document.tag != _w("document"):
            raise ValueError("not a Word document: the main part is not a WordprocessingML document")
        doc_rels = _targets(z, main)
        styles_name = next((n for t, n in doc_rels.values() if t.endswith("/styles")), None)
        styles = _Styles(_parse(z, styles_name) if styles_name and styles_name in z.namelist() else None)
        core_name = next((n for t, n in pkg.values() if t == CORE_PROPS), None)
        core = _parse(z, core_name) if core_name and core_name in z.namelist() else None
        stories = [document] + [_parse(z, n) for t, n in sorted(doc_rels.values(), key=lambda x: x[1])
                                if t.rsplit("/", 1)[-1] in ("header", "footer", "footnotes", "endnotes")
                                and n in z.namelist()]
    except (KeyError, zipfile.BadZipFile, RuntimeError, EOFError, OSError, zlib.error) as exc:
        raise ValueError(f"not a readable Word document ({exc})") from exc

    findings: list[Diagnostic] = []
    findings += _check_headings(document, styles, path, main)
    findings += _check_tables(document, path)
    for story in stories:
        findings += _check_images(story, path)
    title = core.find(f"{{{DC}}}title") if core is not None else None
    if title is None or not (title.text or "").strip():
        findings.append(emit("A006", "the core properties give no title (File > Info > Properties > Title)",
                             location=Location(path, text="document properties")))
    if not styles.language():
        findings.append(emit("A007", "no language is set in the default styles (w:lang in docDefaults "
                                     "or the Normal style)", location=Location(path, text="document styles")))
    return findings


def _paragraph_at(path: str, n: int) -> Location:
    return Location(path, paragraph=n, text=f"paragraph {n}")


def _check_headings(document: etree._Element, styles: _Styles, path: str, part: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    previous: int | None = None
    body = document.find(_w("body"))
    if body is None:
        return [emit("A008", "the document has no body", location=Location(path, text=part))]
    n = 0
    for p in body.iter(_w("p")):
        n += 1
        ppr = p.find(_w("pPr"))
        level = None
        own = ppr.find(_w("outlineLvl")) if ppr is not None else None
        pstyle = ppr.find(_w("pStyle")) if ppr is not None else None
        style_level = styles.level(pstyle.get(_w("val")) if pstyle is not None else None)
        if own is not None and style_level != 0:
            level = _outline(own)
        else:
            level = style_level
        if level is None:
            continue
        label = "Title" if level == 0 else f"Heading {level}"
        text = _short(_text(p))
        if level == 0:
            previous = 0
            continue
        if previous is None:
            if level != 1:
                findings.append(emit("A001", f"the first heading '{text}' is {label}; the first heading must be "
                                             "Heading 1 (or the Title)", location=_paragraph_at(path, n)))
        elif level > previous + 1:
            was = "the Title" if previous == 0 else f"Heading {previous}"
            findings.append(emit("A001", f"'{text}' is {label} after {was}: a heading level is skipped",
                                 location=_paragraph_at(path, n)))
        previous = level
    return findings


def _check_tables(document: etree._Element, path: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for t_index, tbl in enumerate(document.iter(_w("tbl")), start=1):
        first = tbl.find(_w("tr"))
        where = Location(path, table=t_index, text=f"table {t_index}")
        if first is None:
            findings.append(emit("A002", "the table has no rows, so no header row", location=where))
            continue
        header = first.find(f"{_w('trPr')}/{_w('tblHeader')}")
        marked = header is not None and header.get(_w("val"), "true") not in ("0", "false", "off")
        if not marked:
            findings.append(emit("A002", "the first row is not marked as a header row that repeats on each page "
                                         "(Table Properties > Row > Repeat as header row)", location=where))
        for c_index, tc in enumerate(first.findall(_w("tc")), start=1):
            cell = Location(path, table=t_index, row=1, text=f"table {t_index}, header cell {c_index}")
            tcpr = tc.find(_w("tcPr"))
            if tcpr is not None:
                span = tcpr.find(_w("gridSpan"))
                if (span is not None and span.get(_w("val"), "1") not in ("1", "")) \
                        or tcpr.find(_w("vMerge")) is not None or tcpr.find(_w("hMerge")) is not None:
                    findings.append(emit("A003", "the header cell is merged; header cells must not be merged",
                                         location=cell))
            if not _text(tc):
                findings.append(emit("A004", "the header cell is empty; every column needs a header",
                                     location=cell))
    return findings


_STORIES = {"document": "", "hdr": "page header", "ftr": "page footer", "footnotes": "footnotes",
            "endnotes": "endnotes"}


def _image_location(story: etree._Element, element: etree._Element, numbers: dict, path: str) -> Location:
    """Where an image is: the paragraph holding it (numbered as the heading check numbers them, within
    its story), after the story's name when it is not the body (page header, page footer, notes)."""
    story_name = _STORIES.get(etree.QName(story).localname, "")
    n = next((numbers[p] for p in element.iterancestors(_w("p")) if p in numbers), None)
    parts = [story_name] if story_name else []
    if n is not None:
        parts.append(f"paragraph {n}")
    return Location(path, paragraph=n if not story_name else None, text=", ".join(parts))


def _check_images(story: etree._Element, path: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    numbers = {p: n for n, p in enumerate(story.iter(_w("p")), start=1)}
    for i, doc_pr in enumerate(story.iter(f"{{{WP}}}docPr"), start=1):
        if not (doc_pr.get("descr") or "").strip():
            name = doc_pr.get("name") or f"drawing {i}"
            findings.append(emit("A005", f"image '{name}' has no alt text (Format Picture > Alt Text)",
                                 location=_image_location(story, doc_pr, numbers, path)))
    for shape in story.iter(f"{{{V}}}shape"):
        if shape.find(f"{{{V}}}imagedata") is not None and not (shape.get("alt") or "").strip():
            findings.append(emit("A005", f"image '{shape.get('id') or 'VML picture'}' has no alt text",
                                 location=_image_location(story, shape, numbers, path)))
    return findings
