"""The dependency graph: one networkx MultiDiGraph of the plan's things and links.

Node keys are `kind:id` (the same form as a diagnostic's subject); every node
has `kind` and `label`; every edge has `kind` (the links of docs/contracts.md's plan.json). The resolver
builds it once, finds dependency cycles on it (R008) and hands it on: the
Compilation carries it to the checks and writers that need it (graph.graphml).
"""

from __future__ import annotations

import networkx as nx

from ..codes import emit
from ..diagnostics import Diagnostic
from ..model import Action, Plan
from ..ruleset import Rules

EDGE_KINDS = ("contributes_to", "delivered_through", "measured_by", "led_by", "supported_by", "depends_on",
              "delivered_in", "measures", "owned_by", "provenance")


def build_graph(plan: Plan, rules: Rules) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name=rules.system.plan_title)

    def node(kind: str, ident: str, label: str, **attrs) -> str:
        key = f"{kind}:{ident}"
        if key not in g:
            g.add_node(key, kind=kind, id=ident, label=label, **{k: v for k, v in attrs.items() if v is not None})
        return key

    for o in rules.outcomes:
        node("outcome", o.id, o.title)
        for p in o.priorities:
            node("priority", p.id, p.title)
            g.add_edge(f"priority:{p.id}", f"outcome:{o.id}", kind="part_of")
    for e in rules.enablers:
        node("enabler", e.id, e.title)
    for p in rules.partners:
        node("partner", p.id, p.name, partner_type=p.type)
    for pl in rules.places:
        node("place", pl.id, pl.name, place_type=pl.type)
    for s in plan.submissions:
        node("submission", s.path, s.path)
    for s in plan.strategies:
        node("strategy", s.id, s.name, status=s.status)
        if s.owner_id:
            g.add_edge(f"strategy:{s.id}", f"partner:{s.owner_id}", kind="owned_by")
        for src in {loc.path for loc in s.sources}:
            g.add_edge(f"submission:{src}", f"strategy:{s.id}", kind="provenance")
    for i in plan.indicators:
        node("indicator", i.id, i.name or i.id, status=i.status)
        for oid in i.outcome_ids:
            g.add_edge(f"indicator:{i.id}", f"outcome:{oid}", kind="measures")
        g.add_edge(f"submission:{i.source.path}", f"indicator:{i.id}", kind="provenance")
    for a in plan.actions:
        key = node("action", a.id, a.text, status=a.status)
        for oid in a.outcome_ids:
            g.add_edge(key, f"outcome:{oid}", kind="contributes_to")
        for pid in a.priority_ids:
            g.add_edge(key, f"priority:{pid}", kind="contributes_to")
        for eid in a.enabler_ids:
            g.add_edge(key, f"enabler:{eid}", kind="contributes_to")
        for sid in a.strategy_ids:
            g.add_edge(key, f"strategy:{sid}", kind="delivered_through")
        for iid in a.indicator_ids:
            g.add_edge(key, f"indicator:{iid}", kind="measured_by")
        if a.lead_id:
            g.add_edge(key, f"partner:{a.lead_id}", kind="led_by")
        for pid in a.partner_ids:
            g.add_edge(key, f"partner:{pid}", kind="supported_by")
        for place in a.place_ids:
            g.add_edge(key, f"place:{place}", kind="delivered_in")
        g.add_edge(f"submission:{a.source.path}", key, kind="provenance")
    for a in plan.actions:
        for target in a.depends_on:
            g.add_edge(f"action:{a.id}", f"action:{target}", kind="depends_on")
    return g


def dependency_cycles(g: nx.MultiDiGraph, actions: list[Action]) -> list[Diagnostic]:
    """R008: one diagnostic per loop of `depends_on` links, naming each action in it from the
    smallest ID round, at the source of that first action."""
    depends = nx.DiGraph((u, v) for u, v, kind in g.edges(data="kind") if kind == "depends_on")
    by_id = {a.id: a for a in actions}
    out = []
    for cycle in sorted(nx.simple_cycles(depends), key=lambda c: sorted(c)):
        ids = [key.split(":", 1)[1] for key in cycle]
        start = ids.index(min(ids))
        ordered = ids[start:] + ids[:start]
        first = by_id[ordered[0]]
        out.append(emit("R008", f"actions depend on each other in a loop: {' -> '.join(ordered + [ordered[0]])}",
                        subject=f"action:{first.id}", location=first.source))
    return out
