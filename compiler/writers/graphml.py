"""graph.graphml: the dependency graph with typed attribute keys (Gephi, yEd, networkx)."""

from __future__ import annotations

import io

import networkx as nx

from . import register


def _ordered(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with nodes and edges in sorted order, so the file is byte-stable."""
    out = nx.MultiDiGraph(name=g.graph.get("name", ""))
    for key in sorted(g.nodes):
        out.add_node(key, **dict(sorted(g.nodes[key].items())))
    edges = sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("kind", "")))
    for u, v, data in edges:
        out.add_edge(u, v, **data)
    return out


def graphml(comp, ctx) -> dict[str, bytes]:
    buf = io.BytesIO()
    nx.write_graphml_lxml(_ordered(comp.graph), buf, encoding="utf-8", prettyprint=True)
    return {"graph.graphml": buf.getvalue()}


register("graph", "graph.graphml: the dependency graph (Gephi, yEd, networkx)")(graphml)
