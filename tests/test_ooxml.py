"""The shared OOXML layer: one heading-style resolver, and the layering the package enforces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from lxml import etree

from compiler.ooxml.styles import StyleSheet

from .conftest import REPO
from .fixtures.ooxml import W_NS


def _sheet(styles: str) -> StyleSheet:
    return StyleSheet(etree.fromstring(f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>'))


def _style(sid: str, name: str, based: str | None = None, outline: int | None = None, default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    return (f'<w:style w:type="paragraph" w:styleId="{sid}"{flag}>'
            f'<w:name w:val="{name}"/>' + (f'<w:basedOn w:val="{based}"/>' if based else "")
            + (f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else "") + "</w:style>")


SHEET = _sheet(
    _style("Normal", "Normal", default=True) + _style("Title", "Title", "Normal")
    + _style("Heading2", "heading 2", "Normal", 1) + _style("Ueberschrift3", "Heading3")
    + _style("Mine", "My heading", "Normal", 3) + _style("Below", "Below mine", "Mine")
    + _style("Body", "Body text", "Heading2", 9) + _style("Loop", "Loop", "Loop2") + _style("Loop2", "Loop 2", "Loop"))


@pytest.mark.parametrize("sid, level", [
    ("Title", 0), ("Heading2", 2), ("Ueberschrift3", 3),   # by name, in any language's style id
    ("Mine", 4), ("Below", 4),                              # by outline level, through basedOn
    ("Body", 2),                                            # outline 9 (body text) defers to the base style
    ("Normal", None), ("Loop", None),
    ("Heading1", None),                                     # an id the styles part does not define: body text
])
def test_one_heading_level_resolver(sid, level):
    assert SHEET.heading_level(sid) == level


def test_a_paragraphs_own_outline_level_comes_first():
    p = etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="Title"/><w:outlineLvl w:val="2"/></w:pPr></w:p>')
    assert SHEET.paragraph_level(p) == 3
    plain = etree.fromstring(f'<w:p xmlns:w="{W_NS}"/>')
    assert SHEET.paragraph_style(plain) == "Normal" and SHEET.paragraph_level(plain) is None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = (base + "." + node.module if node.module else base) if node.level else node.module
            out.add(module or "")
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


@pytest.mark.parametrize("folder, forbidden", [
    ("writers", ("compiler.readers",)),
    ("ooxml", ("compiler.readers", "compiler.writers", "compiler.pipeline", "compiler.a11y")),
])
def test_layers_do_not_reach_into_each_other(folder, forbidden):
    offenders = [f"{path.name}: {m}" for path in sorted((REPO / "compiler" / folder).glob("*.py"))
                 for m in _imports(path) if m.startswith(forbidden)]
    assert offenders == []
