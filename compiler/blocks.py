"""A small document tree shared by the narrative reader, the presentation layer and the writers.

Like pandoc's AST: a reader turns the narrative Word document into these
blocks (so the text enters the records and the plan like everything else),
the presentation layer lays each artefact out in them, and each writer renders
them in its own format (Word, HTML, Markdown). Blocks are plain frozen data:
they cross process boundaries and compare by value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Text:
    """A run of text with the little formatting a plan keeps: emphasis and links."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # an external address (http, https, mailto)


@dataclass(frozen=True)
class Field:
    """A form field in a template: a place the reader fills in (a content control in Word).

    `kind` is "list" (pick one of `choices`), "combo" (pick one or type something else),
    "text" (type anything) or "date" (pick a date or type one). `text` is
    the value already filled in; when it is empty the field shows `prompt`, which disappears
    as soon as something is chosen or typed (and is never read as content). `label` names the
    field for assistive technology and for whoever fills it in.
    """

    label: str
    kind: str = "list"
    choices: tuple[str, ...] = ()
    text: str = ""
    prompt: str = ""
    # A run's formatting, which a field has none of (so code that walks inlines needs no special case).
    bold = False
    italic = False
    link = None


Inline = Text | Field
Inlines = tuple[Inline, ...]


def inlines(value: str | Inline | Iterable[Inline] | None) -> Inlines:
    """Plain text (or runs) as inlines."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (Text(value),) if value else ()
    if isinstance(value, (Text, Field)):
        return (value,)
    return tuple(value)


def plain(content: Inlines) -> str:
    return "".join(t.text for t in content)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = chapter
    content: Inlines

    @property
    def text(self) -> str:
        return plain(self.content)


@dataclass(frozen=True)
class Para:
    content: Inlines
    style: str | None = None  # a named paragraph style (a house style, or one a StyleDef brings)

    @property
    def text(self) -> str:
        return plain(self.content)


@dataclass(frozen=True)
class ListItem:
    content: Inlines
    level: int = 0
    ordered: bool = False

    @property
    def text(self) -> str:
        return plain(self.content)


CellBlock = Para | ListItem
Cell = tuple[CellBlock, ...]


@dataclass(frozen=True)
class Table:
    """A table whose first row is a header row (repeated on every page in Word)."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths
    caption: str | None = None


@dataclass(frozen=True)
class Image:
    data: bytes
    content_type: str  # image/png, image/jpeg...
    alt: str
    width_emu: int | None = None
    height_emu: int | None = None
    key: str | None = None  # what it pictures (e.g. "chart:" and an indicator id), so an HTML edition can draw it as SVG


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Contents:
    """The table of contents, listing headings down to `levels`."""

    label: str = "Contents"
    levels: int = 2


@dataclass(frozen=True)
class DocTitle:
    text: str


@dataclass(frozen=True)
class Subtitle:
    text: str


Block = Heading | Para | ListItem | Table | Image | PageBreak | Contents | DocTitle | Subtitle


@dataclass(frozen=True)
class StyleDef:
    """A paragraph or character style a source document defined and its blocks use.

    `xml` is the style's WordprocessingML definition (a `w:style` element, namespace
    declared), kept so a Word writer can bring the partner's style along; other
    writers use only the name.
    """

    name: str
    kind: str  # "paragraph" | "character" | "table"
    xml: str = ""


@dataclass
class Document:
    """One generated document: its properties and its body."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    subject: str = ""
    author: str = ""
    keywords: str = ""
    language: str = "en-GB"
    created: date | None = None
    landscape: bool = False
    header_note: str | None = None  # e.g. "Draft – 3 unresolved issues", on every page
    styles: tuple[StyleDef, ...] = ()

    # Building helpers, so presentation code reads like the document it lays out.
    def heading(self, text: str, level: int) -> None:
        self.blocks.append(Heading(level, inlines(text)))

    def para(self, text: str | Inlines, style: str | None = None) -> None:
        self.blocks.append(Para(inlines(text) if isinstance(text, str) else text, style))

    def bullet(self, text: str) -> None:
        self.blocks.append(ListItem(inlines(text)))

    def table(self, header: Sequence[str], rows: Iterable[Sequence[object]],
              widths: Sequence[float] | None = None) -> None:
        self.blocks.append(table(header, rows, widths))

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    def extend(self, blocks: Iterable[Block]) -> None:
        self.blocks.extend(blocks)


def cell(value: object) -> Cell:
    """A cell from plain values: a string (one paragraph), a list of strings (one paragraph each),
    or blocks already made. Empty values give an empty cell."""
    if type(value) is str and "\n" not in value:  # the common case, without the general one's calls
        return (Para((Text(value),)),) if value else ()
    if value is None:
        return ()
    if isinstance(value, (Para, ListItem)):
        return (value,)
    if isinstance(value, (list, tuple)):
        out: list[CellBlock] = []
        for item in value:
            out.extend(cell(item))
        return tuple(out)
    text = str(value)
    return tuple(Para(inlines(line)) for line in text.split("\n")) if text != "" else ()


def table(header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[float] | None = None,
          caption: str | None = None) -> Table:
    """A table from plain values (see `cell`)."""
    return Table(tuple(cell(h) for h in header), tuple(tuple(cell(v) for v in row) for row in rows),
                 tuple(widths) if widths else None, caption)


def cell_text(c: Cell) -> str:
    """A cell's text, paragraphs joined by newlines (for Markdown, tests and search)."""
    return "\n".join(b.text for b in c)
