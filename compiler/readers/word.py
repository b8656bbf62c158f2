"""Word (.docx) package -> a `WordDocument`: the body's paragraphs and tables in reading order
(walked by `compiler.ooxml.wordml`), its page headers and descriptive properties."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ooxml.namespaces import DC, EXT_PROPS, w
from ..ooxml.package import Package, PackageError
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


def _properties(root, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The stripped text of each of a properties part's `fields` (Clark names)."""
    return tuple((root.findtext(name) or "").strip() for name in fields)


_CORE = (f"{{{DC}}}title", f"{{{DC}}}creator")
_APP = (f"{{{EXT_PROPS}}}Company",)


def read_word(pkg: Package, main: str) -> WordDocument:
    """The body of the main document part as blocks, with the package's descriptive properties."""
    root = pkg.xml(main)
    body = root.find(w("body"))
    if body is None:
        raise PackageError(f"part '{main}' has no document body: the file is damaged")
    styles: StyleSheet | None = None
    numbering: Numbering | None = None
    headers: list[str] = []
    for _, rtype, target, mode in pkg.rels(main):
        if mode == "External":
            continue
        kind = rtype.rsplit("/", 1)[-1]
        try:
            # Styles and numbering parsed once per distinct part: partners' files share their
            # council's template, so most submissions carry the same ones.
            if kind == "styles" and pkg.has(target):
                styles = pkg.parsed(target, "styles", StyleSheet)
            elif kind == "numbering" and pkg.has(target):
                numbering = pkg.parsed(target, "numbering", Numbering)
            elif kind == "header" and pkg.has(target):
                headers.append(pkg.text_of(target))
        except PackageError:
            continue
    walker = Walker(styles or StyleSheet(None), numbering or Numbering(None))
    blocks = walker.blocks(body)
    doc = WordDocument(blocks=blocks, header_texts=[h for h in headers if h.strip()], skipped=walker.skipped,
                       package=pkg, part=main)
    for _, rtype, target, mode in pkg.rels(None):
        kind = rtype.rsplit("/", 1)[-1]
        if mode == "External" or not pkg.has(target):
            continue
        try:
            if kind == "core-properties" or target.endswith("core.xml"):
                doc.title, doc.creator = pkg.parsed(target, "core properties", lambda root: _properties(root, _CORE))
            elif kind == "extended-properties":
                (doc.company,) = pkg.parsed(target, "extended properties", lambda root: _properties(root, _APP))
        except PackageError:
            continue
    return doc
