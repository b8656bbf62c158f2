"""graph.graphml: the dependency graph with typed attribute keys (Gephi, yEd, networkx).

Nodes in sorted order, each with its attributes by name; edges sorted by source, target and kind
(edges that tie keep the graph's order, numbered from 0 between one source and target), so the file
is byte-stable. The text is what networkx's `write_graphml_lxml` writes for that ordered graph (a
test compares the two), written directly: copying the graph into sorted order and writing it
through networkx took seconds at national scale.
"""

from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx

from . import register

NS_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS_GRAPHML} {NS_GRAPHML}/1.0/graphml.xsd"
XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}  # GraphML's names, as networkx's

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR_SPECIAL = re.compile("[&<>\"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    """Element text, escaped as lxml writes it (and refused where lxml refuses it)."""
    text = str(value)
    if not _TEXT_SPECIAL.search(text):
        return text
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: object) -> str:
    """An attribute value, escaped as lxml writes it."""
    text = str(value)
    if not _ATTR_SPECIAL.search(text):
        return text
    return _text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class _Keys:
    """The attribute keys, numbered d0, d1... in the order first used (name, GraphML type, scope)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def data(self, scope: str, name: object, value: object) -> str:
        xml_type = XML_TYPES.get(type(value))
        if xml_type is None:
            raise TypeError(f"GraphML does not support type {type(value)} as data values.")
        key = (str(name), xml_type, scope)
        kid = self.ids.get(key)
        if kid is None:
            kid = self.ids[key] = f"d{len(self.ids)}"
        return f'<data key="{kid}">{_text(value)}</data>'

    def elements(self) -> list[str]:
        """The key elements, the last defined first (as networkx writes them)."""
        return [f'<key id="{kid}" for="{scope}" attr.name="{_attr(name)}" attr.type="{xml_type}"/>\n'
                for (name, xml_type, scope), kid in reversed(self.ids.items())]


def _element(tag: str, attrs: str, data: list[str]) -> str:
    if not data:
        return f"<{tag}{attrs}/>\n"
    return f"<{tag}{attrs}>\n" + "".join(f"  {d}\n" for d in data) + f"</{tag}>\n"


def graphml_bytes(g: nx.MultiDiGraph) -> bytes:
    """The graph as GraphML, nodes and edges in sorted order."""
    keys = _Keys()
    name = g.graph.get("name", "")
    body = [f'<graph edgedefault="directed">{keys.data("graph", "name", name)}\n']
    ids = {node: _attr(node) for node in g.nodes}  # each node's id escaped once, not once per edge
    for node in sorted(g.nodes):
        data = [keys.data("node", k, v) for k, v in sorted(g.nodes[node].items())]
        body.append(_element("node", f' id="{ids[node]}"', data))
    edges = sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("kind", "")))
    numbered: dict[tuple, int] = defaultdict(int)
    for u, v, attrs in edges:
        n = numbered[(u, v)]
        numbered[(u, v)] = n + 1
        data = [keys.data("edge", k, value) for k, value in attrs.items()]
        body.append(_element("edge", f' source="{ids[u]}" target="{ids[v]}" id="{n}"', data))
    head = (f"<?xml version='1.0' encoding='utf-8'?>\n<graphml xmlns=\"{NS_GRAPHML}\" xmlns:xsi=\"{NS_XSI}\" "
            f'xsi:schemaLocation="{SCHEMA_LOCATION}">')
    return "".join([head, *keys.elements(), *body, "</graph></graphml>"]).encode("utf-8")


def graphml(comp, ctx) -> dict[str, bytes]:
    return {"graph.graphml": graphml_bytes(comp.graph)}


register("graph", "graph.graphml: the dependency graph (Gephi, yEd, networkx)")(graphml)
