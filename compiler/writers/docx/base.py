"""The base package every generated document starts from, and deterministic packaging.

The base is the house-style reference .docx when one is given (its body emptied,
its final section properties, headers and styles kept), else python-docx's
default template set to A4 with a plain accessible house style. It is prepared
once per process per reference.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.shared import Mm

from ..deterministic import deterministic_zip_bytes
from .styles import _DEFAULT_TUNING, StyleMap, _frag, _w

SHIPPED_REFERENCE = Path(__file__).resolve().parent.parent.parent / "templates" / "reference.docx"

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
