"""What the gap report shows (gap-report.html, .json and .md), computed once from the compilation.

`report_data` is the report as data, JSON-ready: headline figures, the coverage
analysis (the same one the coverage checks report from, so the headline and the
diagnostics cannot disagree), and every diagnostic with the outcomes it
concerns and the partner who must act on it (`Concerns`). `report_view` adds
what the HTML and Markdown renderings need (names, labels, groupings, the key
gaps in words). Nothing depends on the clock or the machine.
"""

from __future__ import annotations

from .. import diagnostics_render as render
from ..compilation import Compilation
from ..coverage import Coverage
from .concerns import Concerns
from .format import long_iso_date, plural

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
NO_PARTNER = "-"  # filter value for diagnostics no partner is responsible for (plan-wide gaps)


def report_data(comp: Compilation) -> dict:
    """Everything the three artefacts show, in a stable order, JSON-ready."""
    rules, plan = comp.rules, comp.plan
    cov: Coverage = comp.coverage
    ctx = Concerns(rules, plan)
    diagnostics = sorted(plan.diagnostics, key=lambda d: d.sort_key())  # plan.json order

    outcome_titles = {o.id: o.title for o in rules.outcomes}
    outcome_titles.update({e.id: e.title for e in rules.enablers})
    outcome_order = {oid: n for n, oid in enumerate(outcome_titles)}

    entries = []
    for d in diagnostics:
        entry = d.to_json()
        entry["outcome_ids"] = ctx.outcomes(d)
        entry["partner_id"] = ctx.responsible(d)
        entries.append(entry)

    counts = {s: sum(1 for d in diagnostics if d.severity.value == s) for s in SEVERITIES}
    partners_named = {p.id: p for p in rules.partners}
    by_partner: dict[str | None, dict[str, int]] = {}
    files: dict[str | None, set[str]] = {}
    for e in entries:
        by_partner.setdefault(e["partner_id"], {s: 0 for s in SEVERITIES})[e["severity"]] += 1
        if e["location"]:
            files.setdefault(e["partner_id"], set()).add(e["location"]["path"])
    partner_rows = []
    for pid, sev in by_partner.items():
        p = partners_named.get(pid) if pid else None
        partner_rows.append({
            "partner_id": pid,
            "name": p.name if p else (pid or "No partner (plan-wide)"),
            "type": (rules.partner_type(p.type).label if p and rules.partner_type(p.type) else (p.type if p else "")),
            **sev,
            "total": sum(sev.values()),
            "files": sorted(files.get(pid, ())),
        })
    partner_rows.sort(key=lambda r: (-r["error"], -r["warning"], -r["info"], r["partner_id"] is None,
                                     r["name"].casefold()))

    issues_by_outcome = {oid: {s: 0 for s in SEVERITIES} for oid in outcome_titles}
    for e in entries:
        for oid in e["outcome_ids"]:
            if oid in issues_by_outcome:
                issues_by_outcome[oid][e["severity"]] += 1

    return {
        "report": "gap-report",
        "schema_version": 1,
        "system": {"name": rules.system.name, "plan_title": rules.system.plan_title},
        "period": {"start": rules.period.start.isoformat(), "end": rules.period.end.isoformat()},
        "as_of": comp.as_of.isoformat(),
        "headline": {
            "submissions": len(plan.submissions),
            "unreadable_submissions": sum(1 for s in plan.submissions if not s.readable),
            "actions": len(plan.actions),
            "indicators": len(plan.indicators),
            "strategies": len(plan.strategies),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "outcomes": len(rules.outcomes),
            "outcomes_without_actions": cov.outcomes_without_actions,
            "outcomes_without_indicators": cov.outcomes_without_indicators,
            "outcomes_with_unmeasured_actions": [o.id for o in cov.outcomes if o.actions_without_indicator],
            # every action naming no measure, enabling work included, as C004 reports them
            "actions_without_indicator": len(cov.unmeasured_action_ids),
            "outcomes_without_business": cov.outcomes_without_business,
            "unmeasured_enabling_actions": sum(1 for a in plan.actions
                                               if not a.indicator_ids and not a.outcome_ids and a.enabler_ids),
            "unmeasured_unassigned_actions": sum(1 for a in plan.actions if not a.indicator_ids
                                                 and not a.outcome_ids and not a.enabler_ids),
            "places_without_action": len(cov.places_without_action),
        },
        "coverage": cov.to_json(),
        "issues_by_outcome": [{"outcome_id": oid, **sev} for oid, sev in issues_by_outcome.items()],
        "progress_by_outcome": progress_by_outcome(comp),
        "issues_by_partner": partner_rows,
        "outcomes": [{"id": o.id, "title": o.title} for o in rules.outcomes],
        "enablers": [{"id": e.id, "title": e.title} for e in rules.enablers],
        "partners": [{"id": p.id, "name": p.name, "type": p.type} for p in rules.partners],
        "codes": {code: render.summary(code) for code in sorted({e["code"] for e in entries})},
        "diagnostics": entries,
        "_outcome_order": outcome_order,  # private keys (leading _) are for rendering, not in the JSON
        "_subject_texts": [ctx.subject_text(d) for d in diagnostics],
        "_diagnostics": diagnostics,
    }


def _shade(count: int) -> str:
    if count <= 0:
        return "n0"
    if count == 1:
        return "n1"
    if count <= 3:
        return "n2"
    if count <= 6:
        return "n3"
    return "n4"


def progress_by_outcome(comp: Compilation) -> list[dict]:
    """Per outcome: how many of its measures are at each RAG status, and its actions at each status
    (`Compilation.progress`)."""
    prog, plan = comp.progress, comp.plan
    return [{"outcome_id": o.id,
             "measures": prog.rag_counts([i.id for i in plan.indicators if o.id in i.outcome_ids]),
             "actions": prog.action_counts([a.id for a in plan.actions if o.id in a.outcome_ids])}
            for o in comp.rules.outcomes]


def _progress_rows(data: dict) -> list[dict]:
    titles = {o["id"]: o["title"] for o in data["outcomes"]}
    rows = []
    for r in data["progress_by_outcome"]:
        m = r["measures"]
        not_judged = sum(n for k, n in m.items() if k not in ("green", "amber", "red"))
        rows.append({"id": r["outcome_id"], "title": titles.get(r["outcome_id"], ""), "green": m["green"],
                     "amber": m["amber"], "red": m["red"], "not_judged": not_judged, "actions": r["actions"]})
    return rows


def _outcome_rows(data: dict) -> list[dict]:
    issues = {r["outcome_id"]: r for r in data["issues_by_outcome"]}
    rows = []
    for o in data["coverage"]["outcomes"]:
        sev = {s: issues[o["id"]][s] for s in SEVERITIES}
        if o["lacks_actions"] and o["lacks_indicators"]:
            flag, text = "gap", "No actions and no measures"
        elif o["lacks_actions"]:
            flag, text = "gap", "No actions deliver it"
        elif o["lacks_indicators"]:
            flag, text = "gap", "Nothing measures it"
        elif o["actions_without_indicator"]:
            flag, text = "attn", plural(o["actions_without_indicator"], "action") + " not measured"
        else:
            flag, text = "fine", "Delivered and measured"
        rows.append({**o, "issues": sev, "issue_total": sum(sev.values()), "flag": flag, "assessment": text})
    return rows


def _key_gaps(data: dict) -> list[dict]:
    """The few sentences a reviewer should read first."""
    h = data["headline"]
    cov = data["coverage"]
    titles = {o["id"]: o["title"] for o in data["outcomes"]}
    lines = []

    def named(ids: list[str]) -> str:
        return "; ".join(f"{oid} {titles.get(oid, '')}".strip() for oid in ids)

    if h["outcomes_without_actions"]:
        lines.append(("gap", f"No action delivers {named(h['outcomes_without_actions'])}."))
    else:
        lines.append(("fine", f"Every one of the {h['outcomes']} outcomes has at least one action."))
    if h["outcomes_without_indicators"]:
        lines.append(("gap", f"No logframe indicator measures {named(h['outcomes_without_indicators'])}."))
    else:
        lines.append(("fine", f"Every one of the {h['outcomes']} outcomes has at least one logframe indicator."))
    if h["actions_without_indicator"]:
        parts = [f"{o['id']} ({o['actions_without_indicator']})" for o in cov["outcomes"]
                 if o["actions_without_indicator"]]
        if h["unmeasured_enabling_actions"]:
            parts.append(f"the conditions for successful delivery ({h['unmeasured_enabling_actions']})")
        if h["unmeasured_unassigned_actions"]:
            parts.append(f"no outcome ({h['unmeasured_unassigned_actions']})")
        where = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
        lines.append(("gap", f"{plural(h['actions_without_indicator'], 'action')} "
                             f"{'names' if h['actions_without_indicator'] == 1 else 'name'} no logframe measure, so "
                             f"{'its' if h['actions_without_indicator'] == 1 else 'their'} impact cannot be measured"
                             + f": under {where}."))
    business = [c["id"] for c in cov["by_partner_type"]["columns"] if c.get("business")]
    if business:
        lacking = h["outcomes_without_business"]
        if lacking:
            lines.append(("gap", "No business or private-sector partner is involved in any action under "
                                 + ", ".join(lacking) + "."))
        else:
            lines.append(("fine", "Businesses are involved in actions under every outcome that has actions."))
    empty = h["places_without_action"]
    if empty:
        lines.append(("gap", f"{plural(empty, 'outcome and place pair')} {'has' if empty == 1 else 'have'} no "
                             "place-based action; system-wide actions may still reach them (see Coverage by place)."))
    with_errors = [p for p in data["issues_by_partner"] if p["error"]]
    if with_errors:
        lines.append(("gap", f"{plural(h['errors'], 'error')} to resolve before publication: "
                             + ", ".join(f"{p['name']} ({p['error']})" for p in with_errors) + "."))
    else:
        lines.append(("fine", "No errors: nothing blocks publication."))
    return [{"kind": k, "text": t} for k, t in lines]


def report_view(data: dict) -> dict:
    """Display helpers for the templates: names, labels, sort keys; the JSON does not carry these."""
    partners = {p["id"]: p["name"] for p in data["partners"]}
    outcomes = {o["id"]: o["title"] for o in data["outcomes"] + data["enablers"]}
    order = data["_outcome_order"]
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    rows = []
    for index, (e, d) in enumerate(zip(data["diagnostics"], data["_diagnostics"])):
        pid = e["partner_id"]
        rows.append({
            **e,
            **render.report_fields(d),
            "markdown": render.markdown_item(d, e["outcome_ids"]),
            "index": index,
            "rank": rank[e["severity"]],
            "partner_name": partners.get(pid, pid) if pid else "",
            "outcome_labels": [(oid, outcomes.get(oid, "")) for oid in e["outcome_ids"]],
            "outcome_key": min((order.get(o, len(order)) for o in e["outcome_ids"]), default=len(order) + 1),
            "subject_text": data["_subject_texts"][index],
            "outcomes_attr": " ".join(e["outcome_ids"]) or NO_PARTNER,
            "outcomes_sort": " ".join(e["outcome_ids"]),
            "partner_attr": pid or NO_PARTNER,
        })
    # Grouped by severity, then outcome, then partner; plan order within a group.
    rows.sort(key=lambda r: (r["rank"], r["outcome_key"], r["partner_name"] == "", r["partner_name"].casefold(),
                             r["index"]))
    used_partners = sorted({(r["partner_name"], r["partner_id"]) for r in rows if r["partner_id"]},
                           key=lambda t: t[0].casefold())
    used_outcomes = [oid for oid in outcomes if any(oid in r["outcome_ids"] for r in rows)]
    code_counts: dict[str, int] = {}
    for r in rows:
        code_counts[r["code"]] = code_counts.get(r["code"], 0) + 1
    return {
        "rows": rows,
        "partner_names": partners,
        "outcome_titles": outcomes,
        "filter_partners": used_partners,
        "has_unattributed": any(not r["partner_id"] for r in rows),
        "filter_outcomes": used_outcomes,
        "has_no_outcome": any(not r["outcome_ids"] for r in rows),
        "code_counts": sorted(code_counts.items()),
        "severity_counts": {s: data["headline"][k] for s, k in
                            (("error", "errors"), ("warning", "warnings"), ("info", "info"))},
        "severity_labels": SEVERITY_LABELS,
        "shade": _shade,
        "period_text": f"{long_iso_date(data['period']['start'])} to {long_iso_date(data['period']['end'])}",
        "as_of_text": long_iso_date(data["as_of"]),
        "outcome_rows": _outcome_rows(data),
        "progress_rows": _progress_rows(data),
        "key_gaps": _key_gaps(data),
        "no_partner": NO_PARTNER,
    }
