"""Render a presentation Document (compiler.blocks) as Markdown (CommonMark with GFM tables).

One renderer for every Markdown artefact laid out as blocks (the change report, topic extracts):
headings, paragraphs, lists and tables, with text escaped so that what a partner wrote (a `*`, a
`|`, a leading `#` or `1.`) stays text. Images are given by their alt text; page breaks and the
table of contents have no Markdown form and are left out.
"""

from __future__ import annotations

import re

from ..blocks import (Block, Cell, Contents, DocTitle, Document, Heading, Image, Inlines, ListItem, PageBreak, Para,
                      Subtitle, Table)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")
_ORDERED_START = re.compile(r"^(\d+)(?=[.)](\s|$))")


def _escape_run(text: str) -> str:
    """A run's text with inline markup characters escaped and white space collapsed (not trimmed:
    the spaces between runs are the reader's)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _guard_start(line: str) -> str:
    """Escape a line start that Markdown would read as a list item, heading underline or rule."""
    if line[:1] in ("-", "+", "="):
        return "\\" + line
    return _ORDERED_START.sub(lambda m: m.group(1) + "\\", line)


def escape(text: str) -> str:
    """Text as Markdown shows it literally, on one line."""
    return _guard_start(_escape_run(text).strip())


def _link_target(href: str) -> str:
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def inline(content: Inlines) -> str:
    parts = []
    for t in content:
        text = _escape_run(t.text)
        if not text.strip():
            parts.append(text)
            continue
        core = text.strip()  # emphasis markers must touch the text: spaces stay outside them
        before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        if t.bold:
            core = f"**{core}**"
        if t.italic:
            core = f"*{core}*"
        if t.link:
            core = f"[{core}]({_link_target(t.link)})"
        parts.append(before + core + after)
    return _guard_start(re.sub(" +", " ", "".join(parts)).strip())


def _cell(cell: Cell) -> str:
    """A table cell on one line: paragraphs joined by <br>, list items as `•` lines."""
    lines = []
    for block in cell:
        text = inline(block.content)
        if isinstance(block, ListItem):
            text = "• " + text
        if text:
            lines.append(text)
    return "<br>".join(lines)


def table(block: Table) -> list[str]:
    width = max([len(block.header)] + [len(r) for r in block.rows])

    def row(cells: tuple[Cell, ...]) -> str:
        values = [_cell(c) for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(values) + " |"

    header = row(block.header) if block.header else "| " + " | ".join([" "] * width) + " |"
    lines = [f"*{escape(block.caption)}*", ""] if block.caption else []
    return lines + [header, "| " + " | ".join(["---"] * width) + " |"] + [row(r) for r in block.rows]


def render_block(block: Block) -> list[str]:
    """The Markdown lines of one block (without the blank line that separates blocks)."""
    if isinstance(block, DocTitle):
        return [f"# {escape(block.text)}"]
    if isinstance(block, Subtitle):
        return [f"*{escape(block.text)}*"]
    if isinstance(block, Heading):
        return [f"{'#' * min(block.level + 1, 6)} {inline(block.content)}"]
    if isinstance(block, Para):
        text = inline(block.content)
        return [text] if text else []
    if isinstance(block, ListItem):
        marker = "1." if block.ordered else "-"
        return [f"{'   ' * block.level}{marker} {inline(block.content)}"]
    if isinstance(block, Table):
        return table(block)
    if isinstance(block, Image):
        return [f"*Figure: {escape(block.alt)}*"]
    if isinstance(block, (PageBreak, Contents)):
        return []
    raise TypeError(f"no Markdown rendering for {type(block).__name__}")


def render_markdown(document: Document) -> bytes:
    """The document as Markdown: the title as the level-1 heading (document headings one level
    below it), a draft note first when there is one; consecutive list items stay one list."""
    out: list[str] = []
    if not any(isinstance(b, DocTitle) for b in document.blocks):
        out += [f"# {escape(document.title)}", ""]
    if document.header_note:
        out += [f"**{escape(document.header_note)}**", ""]
    previous_list = False
    for block in document.blocks:
        lines = render_block(block)
        if not lines:
            continue
        is_list = isinstance(block, ListItem)
        if previous_list and is_list and out and out[-1] == "":
            out.pop()
        out += lines + [""]
        previous_list = is_list
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
