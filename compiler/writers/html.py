"""Render a presentation Document (compiler.blocks) as one accessible, self-contained HTML page.

GOV.UK publishes "HTML by default": a page that reflows, reads aloud well and
prints. This renderer is generic (the plan's HTML edition uses it; any other
Document can): one file with inline CSS, no script, font, image or link that
would reach the network (images are data: URLs), built as an lxml tree so every
text is escaped.

- `lang` and `<title>` from the Document; a skip link to the main content; the
  draft note in a banner; header, main and footer landmarks;
- the document title is the one `h1`, a Heading of level n is `h(n+1)`, each with
  an id; `Contents` becomes a nav with the headings down to its level, nested;
- a Table is a real table: its caption, `th scope="col"` header cells in a thead,
  the first cell of each row a `th scope="row"`; inside a region that scrolls on
  narrow screens and that a keyboard can reach;
- list items are grouped into ul/ol nested by level; a paragraph style becomes a
  class (`Table Source` -> `table-source`); short IDs and dates do not wrap
  (`wrapping.keep_together`);
- a print stylesheet: A4, chapters on a new page, table headers repeated, rows
  kept whole, link targets written out.

Same Document, same bytes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Sequence

from lxml import etree
from lxml import html as lxml_html

from .. import __version__
from ..blocks import (Contents, DocTitle, Document, Heading, Image, Inlines, ListItem, PageBreak, Para, Subtitle,
                      Table)
from .wrapping import keep_together

_SAFE_LINK = re.compile(r"(https?:|mailto:)", re.IGNORECASE)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

BASE_CSS = """
:root { --ink: #0b0c0c; --muted: #505a5f; --rule: #b1b4b6; --wash: #f3f2f1; --link: #1d70b8;
        --focus: #fd0; --banner: #fff4e5; --banner-ink: #6f3800; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 1.1875rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--link); text-underline-offset: .15em; }
a:focus { outline: 3px solid var(--focus); background: var(--focus); color: var(--ink); text-decoration: none; }
.skip { position: absolute; left: -9999px; top: 0; padding: .6rem 1rem; background: var(--focus); color: var(--ink); }
.skip:focus { left: 0; z-index: 10; }
.site-header { border-bottom: 10px solid var(--link); background: var(--ink); color: #fff; padding: .8rem 1.5rem; }
.site-header p { margin: 0; font-weight: 700; }
.banner p { margin: 0; max-width: none; }
.banner { margin: 0; padding: .8rem 1.5rem; background: var(--banner); color: var(--banner-ink);
          border-bottom: 2px solid var(--banner-ink); font-weight: 700; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 2.4rem; line-height: 1.1; margin: 1rem 0 .8rem; }
h2 { font-size: 1.8rem; line-height: 1.2; margin: 2.8rem 0 1rem; padding-top: .8rem; border-top: 2px solid var(--rule); }
h3 { font-size: 1.4rem; margin: 2rem 0 .8rem; }
h4 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
h5, h6 { font-size: 1rem; margin: 1.2rem 0 .5rem; }
p { margin: 0 0 1rem; max-width: 42em; }
.subtitle { font-size: 1.4rem; color: var(--muted); }
ul, ol { margin: 0 0 1rem; padding-left: 1.6rem; }
li { margin: 0 0 .35rem; }
nav.contents { background: var(--wash); padding: 1rem 1.5rem; margin: 1.5rem 0 2rem; border-left: 5px solid var(--rule); }
nav.contents h2 { margin: 0 0 .6rem; padding: 0; border: 0; font-size: 1.4rem; }
nav.contents ol { list-style: none; padding-left: 0; margin: 0; }
nav.contents ol ol { padding-left: 1.4rem; margin: .3rem 0 .5rem; font-size: .95em; }
.table-wrap { overflow-x: auto; margin: 0 0 1.6rem; }
.table-wrap:focus { outline: 3px solid var(--focus); }
table { border-collapse: collapse; width: 100%; font-size: 1rem; }
caption { text-align: left; font-weight: 700; padding: 0 0 .5rem; }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem .5rem 0; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); }
tbody th { font-weight: 700; }
td p, th p { margin: 0 0 .4rem; max-width: none; }
td p:last-child, th p:last-child { margin-bottom: 0; }
td ul, td ol { margin: 0; }
.nw { white-space: nowrap; }
.table-source { font-size: .9rem; color: var(--muted); }
img { max-width: 100%; height: auto; }
.page-break { display: none; }
.site-footer { border-top: 1px solid var(--rule); background: var(--wash); color: var(--muted); font-size: 1rem;
               padding: 1.2rem 1.5rem; }
.site-footer p { margin: 0; max-width: none; }
@media (max-width: 40rem) {
  body { font-size: 1rem; }
  main { padding: 1rem; }
  h1 { font-size: 1.9rem; }
  h2 { font-size: 1.45rem; }
}
@media print {
  @page { size: A4; margin: 18mm 15mm; }
  body { font: 10.5pt/1.4 Arial, "Helvetica Neue", Helvetica, sans-serif; color: #000; }
  .skip, .site-header { display: none; }
  .banner { border: 1px solid #000; color: #000; background: none; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 22pt; }
  h2 { font-size: 16pt; border: 0; padding: 0; margin-top: 0; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .page-break { display: block; break-after: page; page-break-after: always; }
  nav.contents { background: none; border: 0; padding: 0; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr, img { break-inside: avoid; page-break-inside: avoid; }
  caption { break-after: avoid; }
  a { color: #000; }
  main a[href^="http"]::after, main a[href^="mailto"]::after { content: " (" attr(href) ")"; font-size: .9em; }
  .site-footer { background: none; padding: 1rem 0 0; }
}
"""


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def slug(text: str) -> str:
    """An id from a heading's words: lower case, ASCII letters and digits joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60].strip("-") or "section"


class _Ids:
    """Unique element ids, in document order."""

    def __init__(self) -> None:
        self.taken: set[str] = {"main", "contents"}

    def new(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def _inlines(parent: etree._Element, content: Inlines) -> None:
    """Runs into an element: emphasis as strong/em, links as a (http, https, mailto only)."""
    for run in content:
        text = _clean(run.text)
        if not text:
            continue
        node: etree._Element | None = None
        outer: etree._Element | None = None

        def wrap(tag: str, **attrs: str) -> None:
            nonlocal node, outer
            el = etree.Element(tag, **attrs)
            if node is None:
                outer = el
            else:
                node.append(el)
            node = el

        if run.link and _SAFE_LINK.match(run.link):
            wrap("a", href=_clean(run.link))
        if run.bold:
            wrap("strong")
        if run.italic:
            wrap("em")
        if node is None:
            _append_text(parent, text)
        else:
            node.text = text
            parent.append(outer)


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _style_class(style: str | None) -> str | None:
    return slug(style) if style else None


def _para(parent: etree._Element, block: Para, tag: str = "p") -> etree._Element:
    p = etree.SubElement(parent, tag)
    classes = [c for c in (_style_class(block.style),
                           "nw" if len(block.content) == 1 and keep_together(block.text) else None) if c]
    if classes:
        p.set("class", " ".join(classes))
    _inlines(p, block.content)
    return p


def _lists(parent: etree._Element, items: Sequence[ListItem]) -> None:
    """Consecutive list items as nested ul/ol: a deeper item opens a list inside the previous item."""
    stack: list[tuple[int, etree._Element]] = []
    for item in items:
        level = max(0, item.level)
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack or stack[-1][0] < level:
            host = stack[-1][1][-1] if stack and len(stack[-1][1]) else parent
            stack.append((level, etree.SubElement(host, "ol" if item.ordered else "ul")))
        li = etree.SubElement(stack[-1][1], "li")
        _inlines(li, item.content)


def _cell(el: etree._Element, cell: Sequence[Para | ListItem]) -> None:
    """A cell's blocks: one plain paragraph as text, else paragraphs and lists."""
    if len(cell) == 1 and isinstance(cell[0], Para) and not cell[0].style:
        if len(cell[0].content) == 1 and keep_together(cell[0].text):
            el.set("class", "nw")
        _inlines(el, cell[0].content)
        return
    _blocks_into(el, list(cell))


def _table(parent: etree._Element, table: Table, ids: _Ids) -> None:
    wrap = etree.SubElement(parent, "div", {"class": "table-wrap"})
    t = etree.SubElement(wrap, "table")
    if table.caption:
        cap_id = ids.new("table-" + slug(table.caption))
        etree.SubElement(t, "caption", id=cap_id).text = _clean(table.caption)
        # a region a keyboard user can reach, so a table wider than the screen can be scrolled
        wrap.set("role", "region")
        wrap.set("aria-labelledby", cap_id)
        wrap.set("tabindex", "0")
    head = etree.SubElement(etree.SubElement(t, "thead"), "tr")
    for cell in table.header:
        th = etree.SubElement(head, "th", scope="col")
        _cell(th, cell)
    body = etree.SubElement(t, "tbody")
    for row in table.rows:
        tr = etree.SubElement(body, "tr")
        for i in range(len(table.header)):
            cell = row[i] if i < len(row) else ()
            el = etree.SubElement(tr, "th", scope="row") if i == 0 else etree.SubElement(tr, "td")
            _cell(el, cell)


def _image(parent: etree._Element, image: Image, svg_for: SvgFor | None = None, occurrence: int = 0) -> None:
    svg = svg_for(image.key) if svg_for is not None and image.key else None
    if svg:  # a chart drawn as inline SVG: sharp at any zoom, its title read out by screen readers
        from ..charts import unique_ids

        holder = etree.SubElement(parent, "figure", {"class": "chart"})
        # <svg role="img"> titled with the alt text; one chart may appear twice on a page: ids made unique
        holder.append(etree.fromstring(unique_ids(svg, f"figure-{occurrence}-")))
        return
    data = base64.b64encode(image.data).decode("ascii")
    attrs = {"src": f"data:{image.content_type};base64,{data}", "alt": _clean(image.alt)}
    if image.width_emu and image.height_emu:
        attrs["width"] = str(round(image.width_emu / 9525))
        attrs["height"] = str(round(image.height_emu / 9525))
    etree.SubElement(etree.SubElement(parent, "p"), "img", attrs)


def _contents(parent: etree._Element, block: Contents, headings: list[tuple[int, str, str]]) -> None:
    nav = etree.SubElement(parent, "nav", {"class": "contents", "aria-labelledby": "contents"})
    etree.SubElement(nav, "h2", id="contents").text = _clean(block.label)
    # (k, list): the list that holds the entries of level k + 1
    stack: list[tuple[int, etree._Element]] = [(0, etree.SubElement(nav, "ol"))]
    for level, text, anchor in headings:
        if level > block.levels:
            continue
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        if stack[-1][0] < level - 1 and len(stack[-1][1]):
            stack.append((level - 1, etree.SubElement(stack[-1][1][-1], "ol")))
        li = etree.SubElement(stack[-1][1], "li")
        etree.SubElement(li, "a", href=f"#{anchor}").text = _clean(text)


SvgFor = Callable[[str], "str | None"]


class _Renderer:
    def __init__(self, document: Document, svg_for: SvgFor | None = None):
        self.document = document
        self.svg_for = svg_for
        self.figures = 0
        self.ids = _Ids()
        self.anchors: dict[int, str] = {}
        self.headings: list[tuple[int, str, str]] = []
        for n, block in enumerate(document.blocks):
            if isinstance(block, Heading):
                anchor = self.ids.new(slug(block.text))
                self.anchors[n] = anchor
                self.headings.append((block.level, block.text, anchor))

    def render(self, parent: etree._Element) -> None:
        blocks = self.document.blocks
        n = 0
        while n < len(blocks):
            block = blocks[n]
            if isinstance(block, ListItem):
                run = n
                while run < len(blocks) and isinstance(blocks[run], ListItem):
                    run += 1
                _lists(parent, blocks[n:run])  # type: ignore[arg-type]
                n = run
                continue
            if isinstance(block, Heading):
                h = etree.SubElement(parent, f"h{min(6, max(1, block.level) + 1)}", id=self.anchors[n])
                _inlines(h, block.content)
            elif isinstance(block, Table):
                _table(parent, block, self.ids)
            elif isinstance(block, Contents):
                _contents(parent, block, self.headings)
            elif isinstance(block, Image):
                self.figures += 1
                _image(parent, block, self.svg_for, self.figures)
            else:
                _simple_block(parent, block)
            n += 1


def _simple_block(parent: etree._Element, block: object) -> None:
    if isinstance(block, Para):
        _para(parent, block)
    elif isinstance(block, DocTitle):
        etree.SubElement(parent, "h1").text = _clean(block.text)
    elif isinstance(block, Subtitle):
        etree.SubElement(parent, "p", {"class": "subtitle"}).text = _clean(block.text)
    elif isinstance(block, Image):
        _image(parent, block)
    elif isinstance(block, PageBreak):
        etree.SubElement(parent, "div", {"class": "page-break"})
    else:
        raise TypeError(f"no HTML rendering for {type(block).__name__}")


def _blocks_into(parent: etree._Element, blocks: list) -> None:
    """Blocks inside a table cell (paragraphs and lists only)."""
    n = 0
    while n < len(blocks):
        if isinstance(blocks[n], ListItem):
            run = n
            while run < len(blocks) and isinstance(blocks[run], ListItem):
                run += 1
            _lists(parent, blocks[n:run])
            n = run
            continue
        _para(parent, blocks[n])
        n += 1


def render_html(document: Document, *, site_name: str = "", css: str = BASE_CSS,
                footer: Iterable[str] = (), svg_for: SvgFor | None = None) -> bytes:
    """The document as one HTML page (UTF-8 bytes): deterministic, self-contained, no script.
    `svg_for(key)`: inline SVG for an image that has one (the trend charts), else the image itself."""
    root = etree.Element("html", lang=document.language or "en")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "meta", name="generator", content=f"sdp {__version__}")
    for name, value in (("description", document.subject), ("author", document.author),
                        ("keywords", document.keywords)):
        if value:
            etree.SubElement(head, "meta", name=name, content=_clean(value))
    etree.SubElement(head, "title").text = _clean(document.title)
    etree.SubElement(head, "style").text = css

    body = etree.SubElement(root, "body")
    etree.SubElement(body, "a", {"class": "skip", "href": "#main"}).text = "Skip to main content"
    header = etree.SubElement(body, "header", {"class": "site-header"})
    etree.SubElement(header, "p").text = _clean(site_name or document.author or document.title)
    if document.header_note:
        body.append(_banner(document.header_note))
    main = etree.SubElement(body, "main", id="main")
    _Renderer(document, svg_for).render(main)
    foot = etree.SubElement(body, "footer", {"class": "site-footer"})
    for line in footer:
        etree.SubElement(foot, "p").text = _clean(line)
    etree.SubElement(foot, "p").text = f"Generated by sdp {__version__}."
    text = lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html")
    return (text + "\n").encode("utf-8")


def _banner(note: str) -> etree._Element:
    """The draft note, in a region of its own on every page view (as in the Word header)."""
    region = etree.Element("div", {"class": "banner", "role": "region", "aria-label": "Document status"})
    etree.SubElement(region, "p").text = _clean(note)
    return region
