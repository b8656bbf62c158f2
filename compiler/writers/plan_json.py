"""plan.json: the compiled plan, to the contract in docs/contracts.md (schema_version 1)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..blocks import Block, Heading, Image, ListItem, Para, Table, cell_text
from ..diagnostics import Location
from ..model import Indicator, IndicatorValue, Plan
from ..progress import Progress, progress as compute_progress
from ..ruleset import Rules
from ..values import Value

SCHEMA_VERSION = 1


def _loc(loc: Location | None) -> dict | None:
    return loc.to_json() if loc else None


def _value(value: Value) -> float | int | str | None:
    if value.number is not None:
        return value.number
    return None


def _ivalue(v: IndicatorValue | None, *, geography: bool = False) -> dict | None:
    if v is None:
        return None
    out: dict = {"period": v.period, "value": _value(v.value)}
    if geography:
        out["geography"] = v.geography
    if v.value.mark is not None and v.value.number is None:
        out["mark"] = v.value.mark
    if v.value.text is not None:
        out["text"] = v.value.text
    return out


def _indicator(ind: Indicator, prog: Progress) -> dict:
    return {
        "id": ind.id,
        "name": ind.name,
        "outcome_ids": ind.outcome_ids,
        "definition": ind.definition,
        "unit": ind.unit,
        "polarity": ind.polarity,
        "baseline": _ivalue(ind.baseline),
        "targets": [_ivalue(t) for t in ind.targets],
        "values": [_ivalue(v, geography=True) for v in ind.values],
        "latest": _ivalue(ind.latest),
        "latest_source": _loc(ind.latest.source) if ind.latest else None,
        "data_source": ind.data_source,
        "frequency": ind.frequency,
        "owner_id": ind.owner_id,
        "status": ind.status,
        "rationale": ind.rationale,
        "action_ids": ind.action_ids,
        "progress": prog.indicators[ind.id].to_json(),
        "source": _loc(ind.source),
    }


def _links(content) -> dict:
    links = [{"text": t.text, "href": t.link} for t in content if t.link]
    return {"links": links} if links else {}


def _block(block: Block) -> dict:
    """A front-matter block as text: images by their alt text and digest, never their bytes."""
    if isinstance(block, Heading):
        return {"type": "heading", "level": block.level, "text": block.text, **_links(block.content)}
    if isinstance(block, Para):
        return {"type": "paragraph", "text": block.text, "style": block.style, **_links(block.content)}
    if isinstance(block, ListItem):
        return {"type": "list_item", "text": block.text, "level": block.level, "ordered": block.ordered,
                **_links(block.content)}
    if isinstance(block, Table):
        return {"type": "table", "header": [cell_text(c) for c in block.header],
                "rows": [[cell_text(c) for c in row] for row in block.rows]}
    if isinstance(block, Image):
        return {"type": "image", "alt": block.alt, "content_type": block.content_type,
                "sha256": hashlib.sha256(block.data).hexdigest(),
                "width_emu": block.width_emu, "height_emu": block.height_emu}
    kind = "".join("_" + c.lower() if c.isupper() else c for c in type(block).__name__).lstrip("_")
    text = getattr(block, "text", None) or getattr(block, "label", None)
    return {"type": kind, **({"text": text} if text else {})}


def plan_document(plan: Plan, rules: Rules, progress: Progress | None = None) -> dict:
    """The plan as the JSON-ready dict of the contract, lists in their documented order; `progress` is
    the compilation's (computed here when not given)."""
    prog = progress if progress is not None else compute_progress(rules, plan)
    diagnostics = sorted(plan.diagnostics, key=lambda d: d.sort_key())
    return {
        "schema_version": SCHEMA_VERSION,
        "compiler": {"name": "sdp", "version": __version__},
        "system": {"name": rules.system.name, "plan_title": rules.system.plan_title, "rules_digest": rules.digest},
        "period": {"start": rules.period.start.isoformat(), "end": rules.period.end.isoformat()},
        "outcomes": [{"id": o.id, "number": o.number, "title": o.title,
                      "priorities": [{"id": p.id, "title": p.title} for p in o.priorities]} for o in rules.outcomes],
        "enablers": [{"id": e.id, "title": e.title} for e in rules.enablers],
        "partners": [{"id": p.id, "name": p.name, "type": p.type, "place": p.place, "expected": p.expected}
                     for p in rules.partners],
        "places": [{"id": p.id, "name": p.name, "type": p.type, "parent": p.parent} for p in rules.places],
        "submissions": [{"path": s.path, "sha256": s.sha256, "kinds": s.kinds, "partner_id": s.partner_id,
                         "metadata": s.metadata, "readable": s.readable} for s in plan.submissions],
        "strategies": [{"id": s.id, "name": s.name, "aliases": s.aliases, "owner_id": s.owner_id, "status": s.status,
                        "period": s.period, "link": s.link, "outcome_ids": s.outcome_ids,
                        "sources": [_loc(x) for x in s.sources]} for s in plan.strategies],
        "actions": [{
            "id": a.id, "text": a.text, "outcome_ids": a.outcome_ids, "priority_ids": a.priority_ids,
            "enabler_ids": a.enabler_ids, "lead_id": a.lead_id, "partner_ids": a.partner_ids,
            "strategy_ids": a.strategy_ids, "indicator_ids": a.indicator_ids, "place_ids": a.place_ids,
            "depends_on": a.depends_on,
            "milestones": [{"text": m.text, "due": m.due.isoformat() if m.due else None}
                           for m in a.milestones],
            "lead_text": a.lead_text,
            "unresolved": [{"role": u.role, "text": u.text, "code": u.code} for u in a.unresolved],
            "timescale": a.timescale, "status": a.status,
            "progress_status": prog.action(a.id), "ref": a.ref, "custom": a.custom,
            "submitted_by": a.submitted_by, "source": _loc(a.source),
        } for a in plan.actions],
        "indicators": [_indicator(i, prog) for i in plan.indicators],
        "narrative": [{"section": n.section, "text": n.text, "partner_id": n.partner_id, "source": _loc(n.source)}
                      for n in plan.narrative],
        "front_matter": [_block(b) for b in plan.front_matter],
        "diagnostics": [d.to_json() for d in diagnostics],
        "accounting": [{
            "path": s.path, "units_read": s.units_read, "units_used": s.units_used,
            "units_ignored": len(s.ignored),
            "ignored": [{"location": _loc(loc), "reason": reason} for loc, reason in s.ignored],
        } for s in plan.submissions],
    }


def dumps(document: dict) -> bytes:
    """`json.dumps(document, ensure_ascii=False, indent=2)` and a newline, as UTF-8: the same bytes, written
    faster. The standard library writes indented JSON in Python, a generator per level (its C encoder only
    writes JSON without indentation), which took a second for a national plan. Here each list or object is
    written by the C encoder, told to put each item on its own line at its depth, with a placeholder for
    each list or object in it, which are written the same way and put in the placeholders' places."""
    out: list[str] = []
    _encode(document, "\n", out)
    out.append("\n")
    return "".join(out).encode("utf-8")


_SCALARS = frozenset({str, int, float, bool, type(None)})
_SLOT = "\x00sdp:nested\x00"  # stands for a nested list or object while its container is written
_encode_str = json.encoder.encode_basestring  # the escaper json.dumps uses with ensure_ascii=False
_SLOT_JSON = _encode_str(_SLOT)
_FLAT: dict[str, Callable[[Any], str]] = {}  # a line break and indentation -> a writer separating items by it


def _flat(inner: str) -> Callable[[Any], str]:
    """A writer of a list or object in one line, its items separated by a comma and `inner`."""
    writer = _FLAT.get(inner)
    if writer is None:
        make = json.encoder.c_make_encoder  # the C encoder json.dumps itself uses when not indenting
        if make is not None:
            encode = make(None, _not_serializable, json.encoder.encode_basestring, None, ": ", "," + inner,
                          False, False, True)
            writer = _FLAT[inner] = lambda o: "".join(encode(o, 0))
        else:
            writer = _FLAT[inner] = json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": ")).encode
    return writer


def _not_serializable(o: object) -> None:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _encode(o: object, newline: str, out: list[str]) -> None:
    """Append `o` as indented JSON; `newline` is a line break and the indentation `o` starts at."""
    if type(o) is dict:
        nested = [v for v in o.values() if type(v) not in _SCALARS]  # type: ignore[union-attr]
        shallow: object = {k: _SLOT if type(v) not in _SCALARS else v for k, v in o.items()} if nested else o  # type: ignore[union-attr]
    elif type(o) is list or type(o) is tuple:
        nested = [v for v in o if type(v) not in _SCALARS]  # type: ignore[union-attr]
        shallow = [_SLOT if type(v) not in _SCALARS else v for v in o] if nested else o  # type: ignore[union-attr]
    else:  # a scalar, or anything else json.dumps writes its own way (or refuses)
        out.append(json.dumps(o, ensure_ascii=False, indent=2).replace("\n", newline))
        return
    if not o:
        out.append("{}" if type(o) is dict else "[]")
        return
    inner = newline + "  "
    pieces = _flat(inner)(shallow).split(_SLOT_JSON)
    if len(pieces) != len(nested) + 1:  # the placeholder's text was in the data itself: the long way round
        out.append(json.dumps(o, ensure_ascii=False, indent=2).replace("\n", newline))
        return
    pieces[0] = pieces[0][0] + inner + pieces[0][1:]  # after the opening bracket
    pieces[-1] = pieces[-1][:-1] + newline + pieces[-1][-1]  # before the closing one
    out.append(pieces[0])
    deeper = inner + "  "
    for child, piece in zip(nested, pieces[1:]):
        if type(child) is list and all(type(v) is str for v in child):  # most nested lists: ids, or empty
            out.append(f"[{deeper}{(',' + deeper).join(map(_encode_str, child))}{inner}]" if child else "[]")
        else:
            _encode(child, inner, out)
        out.append(piece)
