"""OOXML namespaces and relationship types, one definition for the whole compiler.

Strict Open XML (ISO 29500 strict) parts are mapped to the transitional
namespaces when they are parsed (`package.parse_xml`), so everything after
the package layer sees transitional names only.
"""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

REL = "http://schemas.openxmlformats.org/package/2006/relationships"          # a .rels part
CT = "http://schemas.openxmlformats.org/package/2006/content-types"           # [Content_Types].xml
DC = "http://purl.org/dc/elements/1.1/"                                      # core properties
EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

# Relationship types.
RT_OFFICE_DOCUMENT = R + "/officeDocument"
RT_STYLES = R + "/styles"
RT_NUMBERING = R + "/numbering"
RT_HYPERLINK = R + "/hyperlink"
RT_IMAGE = R + "/image"
RT_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_MARK = b"http://purl.oclc.org/ooxml/"
# Strict namespace -> transitional namespace.
STRICT_TO_TRANSITIONAL = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": W.encode(),
    b"http://purl.oclc.org/ooxml/spreadsheetml/main": S.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": R.encode(),
    b"http://purl.oclc.org/ooxml/drawingml/main": A.encode(),
    b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": WP.encode(),
    b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing": b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    b"http://purl.oclc.org/ooxml/drawingml/chart": b"http://schemas.openxmlformats.org/drawingml/2006/chart",
    b"http://purl.oclc.org/ooxml/drawingml/picture": PIC.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/math": b"http://schemas.openxmlformats.org/officeDocument/2006/math",
    b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes": b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties": EXT_PROPS.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/customProperties": b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes": b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}


def w(tag: str) -> str:
    """Clark name of a WordprocessingML element or attribute: w("p") -> {W}p."""
    return f"{{{W}}}{tag}"


def to_transitional(data: bytes) -> bytes:
    """A part's bytes with Strict namespaces replaced by transitional ones."""
    if STRICT_MARK in data:
        for strict, transitional in STRICT_TO_TRANSITIONAL.items():
            data = data.replace(strict, transitional)
    return data
