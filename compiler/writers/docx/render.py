"""Render a presentation Document (compiler.blocks) as a .docx: one function for every generated Word file."""

from __future__ import annotations

from pathlib import Path

from ...blocks import (Contents, DocTitle, Document, Heading, Image, ListItem, PageBreak, Para, Subtitle, Table)
from .builder import DocBuilder, list_style


def render_docx(document: Document, reference: Path | None) -> bytes:
    """The document's bytes, in the house style of `reference` (or the built-in one); deterministic."""
    doc = DocBuilder(reference, title=document.title, language=document.language, subject=document.subject,
                     author=document.author, created=document.created, keywords=document.keywords)
    if document.landscape:
        doc.landscape()
    if document.header_note:
        doc.header_note(document.header_note)
    doc.page_numbers()
    for style in document.styles:
        doc.add_style(style)
    for block in document.blocks:
        render_block(doc, block)
    return doc.finish()


def render_block(doc: DocBuilder, block: object) -> None:
    if isinstance(block, Para):
        doc.paragraph(block.content, block.style)
    elif isinstance(block, Heading):
        doc.heading(block.content, block.level)
    elif isinstance(block, ListItem):
        doc.paragraph(block.content, list_style(block))
    elif isinstance(block, Table):
        doc.table(block.header, block.rows, block.widths, block.caption)
    elif isinstance(block, PageBreak):
        doc.page_break()
    elif isinstance(block, Contents):
        doc.contents_here(block.label, block.levels)
    elif isinstance(block, DocTitle):
        doc.doc_title(block.text)
    elif isinstance(block, Subtitle):
        doc.subtitle(block.text)
    elif isinstance(block, Image):
        doc.image(block.data, block.alt, block.width_emu, block.height_emu)
    else:
        raise TypeError(f"no Word rendering for {type(block).__name__}")
