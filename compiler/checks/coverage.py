"""C — coverage gaps: outcomes, priorities, places and partners the plan leaves uncovered."""

from __future__ import annotations

from pathlib import PurePosixPath

from ..codes import emit
from ..diagnostics import Location
from .registry import check


def _outcome_label(comp, oid: str) -> str:
    o = comp.rules.outcome(oid)
    return f"{oid} '{o.title}'" if o else oid


@check("C001")
def outcome_without_action(comp):
    """An outcome no action contributes to."""
    for oid in comp.coverage.outcomes_without_actions:
        yield emit("C001", f"outcome {_outcome_label(comp, oid)} has no action in any submission",
                   subject=f"outcome:{oid}")


@check("C002")
def outcome_without_indicator(comp):
    """An outcome no indicator measures."""
    for oid in comp.coverage.outcomes_without_indicators:
        yield emit("C002", f"outcome {_outcome_label(comp, oid)} has no logframe indicator",
                   subject=f"outcome:{oid}")


@check("C003")
def priority_without_action(comp):
    named = {pid for a in comp.plan.actions for pid in a.priority_ids}
    for o in comp.rules.outcomes:
        for p in o.priorities:
            if p.id not in named:
                yield emit("C003", f"priority {p.id} '{p.title}' has no action naming it", subject=f"priority:{p.id}")


@check("C004")
def action_without_indicator(comp):
    for a in comp.plan.actions:  # the actions behind coverage.unmeasured_action_ids, with their locations
        if not a.indicator_ids:
            yield emit("C004", f"action {a.id} names no logframe measure, so its impact cannot be measured",
                       subject=f"action:{a.id}", location=a.source)


@check("C005")
def action_without_lead(comp):
    for a in comp.plan.actions:
        if a.lead_id is None:
            written = next((u.text for u in a.unresolved if u.role == "lead"), None)
            why = f" ('{written}', as written, is not recognised)" if written else ""
            yield emit("C005", f"action {a.id} has no lead partner{why}", subject=f"action:{a.id}", location=a.source)


@check("C006")
def action_without_milestone(comp):
    for a in comp.plan.actions:
        if not a.milestones and not a.timescale:
            yield emit("C006", f"action {a.id} has no milestone or timescale", subject=f"action:{a.id}",
                       location=a.source)


@check("C007")
def indicator_without_action(comp):
    for i in comp.plan.indicators:
        if not i.action_ids:
            yield emit("C007", f"indicator {i.id} ({i.name or 'unnamed'}) is not named by any action",
                       subject=f"indicator:{i.id}", location=i.source)


@check("C008")
def expected_partner_missing(comp):
    """An expected partner with no submission the compiler read: none at all, or only files it
    could not read (a .doc, an .odt, a damaged file), which are named with the reason."""
    submitted = {s.partner_id for s in comp.plan.submissions if s.partner_id}
    missing = [p for p in comp.rules.partners if p.expected and p.id not in submitted]
    unread = unread_files_by_partner(comp, {p.id for p in missing}) if missing else {}
    for p in missing:
        files = unread.get(p.id)
        if not files:
            yield emit("C008", f"expected partner {p.name} ({p.id}) has sent no submission", subject=f"partner:{p.id}")
            continue
        if len(files) == 1:
            [(path, why)] = files
            sent = f"sent {path}, which was not read: {why}"
        else:
            sent = f"sent {len(files)} files, none of which was read: " + "; ".join(f"{path} ({why})" for path, why in files)
        yield emit("C008", f"expected partner {p.name} ({p.id}) {sent}", subject=f"partner:{p.id}",
                   location=Location(files[0][0], text="file"))


_NOT_READ_PREFIXES = ("not read: ", "cannot be read: ")


def unread_files_by_partner(comp, partner_ids: set[str]) -> dict[str, list[tuple[str, str]]]:
    """partner id -> [(path, why it was not read)] for the input files that were not read (I001,
    I002, I009) and whose name or folder names that partner, as a file name names the submitter
    of a file that is read (`north-vale.doc`, `districts/north-vale/return.odt`)."""
    from ..resolve.references import contains_name
    from ..vocabulary import Vocabulary

    index = None
    out: dict[str, list[tuple[str, str]]] = {}
    for rec in comp.records:
        if rec.readable:
            continue
        why = next((d.message for d in rec.diagnostics if d.code in ("I001", "I002", "I009")), None)
        if why is None or why.startswith("not read: an Office lock file") or why == "not read: a hidden file":
            continue
        if index is None:
            index = Vocabulary(comp.rules).partners
        path = PurePosixPath(rec.path)
        for text in [path.stem, *reversed(path.parent.parts)]:
            found = index.lookup_exact(text) or contains_name(index, text)
            if found:
                break
        if found in partner_ids:
            for prefix in _NOT_READ_PREFIXES:
                why = why.removeprefix(prefix)
            out.setdefault(found, []).append((rec.path, why))
    return out


@check("C009")
def outcome_without_business(comp):
    for oid in comp.coverage.outcomes_without_business:
        yield emit("C009", f"no business or private-sector partner leads or supports any action under "
                           f"outcome {_outcome_label(comp, oid)}", subject=f"outcome:{oid}")


@check("C010")
def place_without_action(comp):
    for pid, oid in comp.coverage.places_without_action:
        place = comp.rules.place(pid)
        name = place.name if place else pid
        yield emit("C010", f"no action delivered in {name} under outcome {_outcome_label(comp, oid)} "
                           "(system-wide actions may still reach it)", subject=f"place:{pid}")


@check("C011")
def strategy_without_action(comp):
    used = {sid for a in comp.plan.actions for sid in a.strategy_ids}
    for s in comp.plan.strategies:
        if s.sources and s.id not in used:
            yield emit("C011", f"strategy '{s.name}' is listed but no action is delivered through it",
                       subject=f"strategy:{s.id}", location=s.sources[0] if s.sources else None)
