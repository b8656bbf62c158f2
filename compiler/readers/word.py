"""Word (.docx) package -> a `WordDocument`: the body's paragraphs and tables in reading order
(walked by `compiler.ooxml.wordml`), its page headers and descriptive properties."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..ooxml.namespaces import DC, EXT_PROPS, w
from ..ooxml.package import Package, PackageError, parse_xml
from ..ooxml.styles import Numbering, StyleSheet
from ..ooxml.wordml import Block, Paragraph, Table, Walker, numbered_blocks

__all__ = ["Block", "Paragraph", "Table", "WordDocument", "numbered_blocks", "read_word"]

@dataclass
class WordDocument:
    blocks: list[Block]
    title: str = ""
    creator: str = ""
    company: str = ""
    header_texts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # content that exists but is not read, in plain words
    # Where the body came from, for a second reader of the same document (the narrative's).
    package: Package | None = field(default=None, repr=False, compare=False)
    part: str = ""


_STYLES_CACHE: dict[bytes, StyleSheet] = {}


def _styles_of(data: bytes, part: str, max_depth: int) -> StyleSheet:
    """A styles part, parsed once per distinct content: partners' files share their council's
    template, so most submissions carry the same styles.xml."""
    key = hashlib.sha1(data).digest()
    styles = _STYLES_CACHE.get(key)
    if styles is None:
        styles = StyleSheet(parse_xml(data, part, max_depth))
        if len(_STYLES_CACHE) > 256:
            _STYLES_CACHE.clear()
        _STYLES_CACHE[key] = styles
    return styles


def read_word(pkg: Package, main: str) -> WordDocument:
    """The body of the main document part as blocks, with the package's descriptive properties."""
    root = pkg.xml(main)
    body = root.find(w("body"))
    if body is None:
        raise PackageError(f"part '{main}' has no document body: the file is damaged")
    styles: StyleSheet | None = None
    numbering_root = None
    headers: list[str] = []
    for _, rtype, target, mode in pkg.rels(main):
        if mode == "External":
            continue
        kind = rtype.rsplit("/", 1)[-1]
        try:
            if kind == "styles" and pkg.has(target):
                styles = _styles_of(pkg.read(target), target, pkg.limits.max_xml_depth)
            elif kind == "numbering" and pkg.has(target):
                numbering_root = pkg.xml(target)
            elif kind == "header" and pkg.has(target):
                headers.append(pkg.text_of(target))
        except PackageError:
            continue
    walker = Walker(styles or StyleSheet(None), Numbering(numbering_root))
    blocks = walker.blocks(body)
    doc = WordDocument(blocks=blocks, header_texts=[h for h in headers if h.strip()], skipped=walker.skipped,
                       package=pkg, part=main)
    for _, rtype, target, mode in pkg.rels(None):
        kind = rtype.rsplit("/", 1)[-1]
        if mode == "External" or not pkg.has(target):
            continue
        try:
            if kind == "core-properties" or target.endswith("core.xml"):
                core = pkg.xml(target)
                doc.title = (core.findtext(f"{{{DC}}}title") or "").strip()
                doc.creator = (core.findtext(f"{{{DC}}}creator") or "").strip()
            elif kind == "extended-properties":
                app = pkg.xml(target)
                doc.company = (app.findtext(f"{{{EXT_PROPS}}}Company") or "").strip()
        except PackageError:
            continue
    return doc
