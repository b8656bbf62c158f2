"""graph.graphml is written directly (compiler/writers/graphml.py), not through networkx: it must be
exactly what networkx's GraphML writer gives for the graph in sorted order, awkward text included."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from compiler.writers.graphml import graphml_bytes


def _networkx(g: nx.MultiDiGraph) -> bytes:
    """networkx's own GraphML of the graph with nodes and edges in sorted order (what sdp wrote before)."""
    out = nx.MultiDiGraph(name=g.graph.get("name", ""))
    for key in sorted(g.nodes):
        out.add_node(key, **dict(sorted(g.nodes[key].items())))
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("kind", ""))):
        out.add_edge(u, v, **data)
    buf = io.BytesIO()
    nx.write_graphml_lxml(out, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _awkward_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="Plan & <partners> \"2024–26\"\r\n\t")
    g.add_node("action:B-2", kind="action", id="B-2", label="Fix 'a' & <b> \"c\"\r\nd\te", status="", count=3,
               share=0.5, done=True)
    g.add_node("action:A-1", kind="action", id="A-1", label="ünïcödé 😀", status="On track")
    g.add_node("partner:x", kind="partner", label="X & Co", count="3")  # the same name with another type
    g.add_node("place:bare")
    for u, v, kind in [("action:B-2", "partner:x", "led_by"), ("action:A-1", "partner:x", "supported_by"),
                       ("action:B-2", "partner:x", "delivered_in"), ("action:B-2", "partner:x", "led_by"),
                       ("action:A-1", "place:bare", "delivered_in"), ("action:A-1", "action:B-2", "depends_on")]:
        g.add_edge(u, v, kind=kind)
    g.add_edge("place:bare", "action:A-1")  # no attributes at all
    return g


def test_graphml_is_what_networkx_writes():
    g = _awkward_graph()
    assert graphml_bytes(g) == _networkx(g)


def test_graphml_of_an_empty_graph_is_what_networkx_writes():
    assert graphml_bytes(nx.MultiDiGraph()) == _networkx(nx.MultiDiGraph())


def test_graphml_refuses_text_xml_cannot_hold():
    g = nx.MultiDiGraph(name="plan")
    g.add_node("a", label="bad\x01")
    with pytest.raises(ValueError):
        graphml_bytes(g)
