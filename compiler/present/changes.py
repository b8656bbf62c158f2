"""The change report (changes.docx, changes.md) as members' papers read it, laid out from the report
that `compiler.changes.compare` makes: a summary, then actions added, removed and changed (field by
field, before and after), measures, strategies, each partner's contribution, submissions, and the
issues resolved and new. Sections with nothing in them are left out."""

from __future__ import annotations

from datetime import date

from ..blocks import DocTitle, Document
from .format import plural
from .plan_data import PlanNames, milestone_lines, value_text

ID_FIELDS = {"partners", "strategies", "measures", "outcomes", "priorities", "enablers", "places", "depends on"}


def _field_value(field: str, value: object, names: PlanNames, unit: str | None = None) -> object:
    """A changed field's value as a cell: names for ids, milestones one a line, values with periods."""
    if value in (None, "", []):
        return "None"
    if field == "lead":
        return names.partner(value)  # type: ignore[arg-type]
    if field == "owner":
        return names.partners.get(value, value)  # type: ignore[arg-type]
    if field == "milestones":
        return milestone_lines(value)  # type: ignore[arg-type]
    if field in ("baseline", "latest"):
        return value_text(value, unit)  # type: ignore[arg-type]
    if field == "targets":
        return [value_text(t, unit) for t in value] or "None"  # type: ignore[union-attr]
    if field in ID_FIELDS and isinstance(value, list):
        lookup = {"partners": names.partners, "strategies": names.strategies, "places": names.places}.get(field)
        if field == "measures":
            return [names.indicator(i) for i in value]
        if field in ("outcomes", "priorities", "enablers"):
            return [names.outcomes.get(i, i) for i in value]
        return [lookup.get(i, i) if lookup else i for i in value]
    return str(value)


def _action_rows(actions: list[dict], names: PlanNames) -> list[list[object]]:
    return [[a["id"], a["text"], names.partner(a.get("lead_id")), names.partner_list(a.get("partner_ids")),
             names.outcome_list(a.get("outcome_ids"))] for a in actions]


def _about(side: dict) -> str:
    return (f"{plural(side['submissions'], 'submission')}, {plural(side['actions'], 'action')}, "
            f"{plural(side['indicators'], 'measure')}, {plural(side['strategies'], 'strategy', 'strategies')}; "
            f"{plural(side['errors'], 'error')} and {plural(side['warnings'], 'warning')}")


def change_document(report: dict, old: dict, new: dict) -> Document:
    """changes.docx / changes.md: what changed from plan `old` to plan `new` (plan.json documents)."""
    names = PlanNames(new, old)
    title_of = report["new"]["plan_title"] or report["old"]["plan_title"] or "the plan"
    title = f"Changes to the {title_of}"
    start = (new.get("period") or {}).get("start")
    doc = Document(title, subject="Changes between two compilations of the plan", author=title_of,
                   keywords="Shared Delivery Plan, changes", created=date.fromisoformat(start) if start else None)
    doc.blocks.append(DocTitle(title))
    doc.para(f"This report sets out what changed between two compilations of the plan: the earlier one "
             f"({_about(report['old'])}) and this one ({_about(report['new'])}). Actions are matched by "
             f"their reference and, where that changed, by their wording, so a re-worded action is shown "
             f"as changed rather than removed and added.")
    _summary(doc, report)
    _actions(doc, report["actions"], names)
    _indicators(doc, report["indicators"], names)
    _strategies(doc, report["strategies"], names)
    _partners(doc, report["partners"])
    _submissions(doc, report["submissions"])
    _diagnostics(doc, report["diagnostics"])
    return doc


def _summary(doc: Document, report: dict) -> None:
    s = report["summary"]
    doc.heading("Summary", 1)
    if not any(s.values()):
        doc.para("Nothing changed: the two compilations hold the same actions, measures, strategies, "
                 "partners' contributions and issues.")
        return
    doc.table(["What", "Added", "Removed", "Changed"],
              [[label, str(s[f"{kind}_added"]), str(s[f"{kind}_removed"]), str(s[f"{kind}_changed"])]
               for label, kind in (("Actions", "actions"), ("Logframe measures", "indicators"),
                                   ("Strategies and plans", "strategies"))], widths=[4, 2, 2, 2])
    doc.para(f"{plural(s['partners_affected'], 'partner')} gained or lost a part in an action; "
             f"{plural(s['diagnostics_resolved'], 'issue')} resolved and {plural(s['diagnostics_new'], 'new issue')}; "
             f"{plural(s['submissions_added'], 'submission')} added, {s['submissions_removed']} removed and "
             f"{s['submissions_revised']} revised.")


def _actions(doc: Document, actions: dict, names: PlanNames) -> None:
    header = ["ID", "Action", "Lead", "Partners", "Outcome"]
    widths = [1.3, 5.5, 2.2, 3, 2.2]
    if actions["added"]:
        doc.heading("Actions added", 1)
        doc.table(header, _action_rows(actions["added"], names), widths=widths)
    if actions["removed"]:
        doc.heading("Actions removed", 1)
        doc.table(header, _action_rows(actions["removed"], names), widths=widths)
    if actions["changed"]:
        doc.heading("Actions changed", 1)
        doc.para("One row for each thing that changed in an action, before and after.")
        rows = []
        for a in actions["changed"]:
            label = a["id"] if a["old_id"] == a["id"] else f"{a['id']} (was {a['old_id']})"
            for f in a["fields"]:
                rows.append([label, f["field"].capitalize(), _field_value(f["field"], f["old"], names),
                             _field_value(f["field"], f["new"], names)])
        doc.table(["Action", "What changed", "Before", "After"], rows, widths=[1.8, 1.6, 4.5, 4.5])


def _indicators(doc: Document, indicators: dict, names: PlanNames) -> None:
    if not any(indicators.values()):
        return
    doc.heading("Logframe measures", 1)
    if indicators["changed"]:
        rows = [[names.indicator(i["id"]), f["field"].capitalize(),
                 _field_value(f["field"], f["old"], names, i.get("unit")),
                 _field_value(f["field"], f["new"], names, i.get("unit"))]
                for i in indicators["changed"] for f in i["fields"]]
        doc.table(["Measure", "What changed", "Before", "After"], rows, widths=[4, 1.6, 3, 3])
    for what in ("added", "removed"):
        if indicators[what]:
            doc.para(f"Measures {what}: " + "; ".join(names.indicator(i["id"]) for i in indicators[what]) + ".")


def _strategies(doc: Document, strategies: dict, names: PlanNames) -> None:
    if not any(strategies.values()):
        return
    doc.heading("Strategies and plans", 1)
    rows = [[s["name"], "Added", names.partners.get(s.get("owner_id"), s.get("owner_id") or "Not known")]
            for s in strategies["added"]]
    rows += [[s["name"], "Removed", names.partners.get(s.get("owner_id"), s.get("owner_id") or "Not known")]
             for s in strategies["removed"]]
    rows += [[s["name"], "; ".join(f"{f['field']}: {_field_value(f['field'], f['old'], names)} → "
                                   f"{_field_value(f['field'], f['new'], names)}" for f in s["fields"]),
              names.partners.get(s.get("owner_id"), s.get("owner_id") or "Not known")]
             for s in strategies["changed"]]
    doc.table(["Strategy or plan", "Change", "Owner"], rows, widths=[5, 4, 3])


def _entry(e: dict) -> str:
    state = {"added": " (new action)", "removed": " (action removed)"}.get(e["action"], "")
    return f"{e['role'].capitalize()}: {e['action_id']}{state} – {e['text']}"


def _partners(doc: Document, partners: list[dict]) -> None:
    if not partners:
        return
    doc.heading("Partners' contributions", 1)
    doc.para("For each partner, the actions it now leads or supports that it did not, and those it no longer does.")
    doc.table(["Partner", "Gained", "Lost"],
              [[p["name"], [_entry(e) for e in p["gained"]] or "Nothing", [_entry(e) for e in p["lost"]] or "Nothing"]
               for p in partners], widths=[3, 5, 5])


def _submissions(doc: Document, submissions: dict) -> None:
    if not any(submissions.values()):
        return
    doc.heading("Submissions", 1)
    for what in ("added", "removed", "revised"):
        if submissions[what]:
            doc.para(f"{what.capitalize()}: " + "; ".join(submissions[what]) + ".")


def _diagnostics(doc: Document, diagnostics: dict) -> None:
    for what, heading in (("resolved", "Issues resolved"), ("new", "New issues")):
        items = diagnostics[what]
        if not items:
            continue
        doc.heading(heading, 1)
        doc.table(["Code", "Severity", "Issue", "Where"],
                  [[d["code"], d["severity"], d["message"],
                    ", ".join(x for x in (d.get("path"), d.get("location")) if x) or "The plan as a whole"]
                   for d in items], widths=[1, 1.3, 6, 3])
