"""What changed between two compiled plans (`sdp diff`, `sdp compile --previous`): a pure comparison
of two plan.json documents, as loaded, giving the change report (schema compiler/schema/changes.schema.json).

Actions are paired in four passes, so that a re-worded action is *changed*, not removed and added,
and a renumbered one is not changed at all:

1. the same id and the same wording;
2. the same id and wording at least `threshold` similar (rules/checks.toml `thresholds.same_action`;
   rapidfuzz's token-set ratio on normalised text, so added or dropped words cost little);
3. the most similar remaining pairs whatever their ids, at least `threshold` similar, best first
   (an action without a reference of its own is numbered by position, so removing one renumbers
   those after it);
4. the same id where the partner gave the reference itself: re-worded beyond recognition, but the
   partner says it is the same action.

A changed action lists the fields that changed, old and new. An id that changed only because the
compiler numbered the action by position is not a change. Diagnostics are matched by code, subject
and message (not location, which moves whenever anything above it does); a subject naming a
paired action is compared under the action's new id.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

from .text import normal

REPORT_VERSION = 1

# field shown -> plan.json key(s); lists of ids compare as sets, milestones in date order
ACTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("text", "text"), ("outcomes", "outcome_ids"), ("priorities", "priority_ids"), ("enablers", "enabler_ids"),
    ("lead", "lead_id"), ("partners", "partner_ids"), ("strategies", "strategy_ids"),
    ("measures", "indicator_ids"), ("places", "place_ids"), ("depends on", "depends_on"),
    ("milestones", "milestones"), ("timescale", "timescale"), ("status", "status"),
)
INDICATOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"), ("baseline", "baseline"), ("targets", "targets"), ("latest", "latest"), ("status", "status"),
)
STRATEGY_FIELDS: tuple[tuple[str, str], ...] = (("name", "name"), ("owner", "owner_id"), ("status", "status"))


class PlanFileError(Exception):
    """OLD or NEW is not a readable compiled plan."""


def load_plan(path: Path | str) -> dict:
    """plan.json from a file or an output folder holding one; PlanFileError saying why not."""
    path = Path(path)
    file = path / "plan.json" if path.is_dir() else path
    try:
        plan = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanFileError(f"'{path}' is neither a plan.json file nor an output folder holding one") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanFileError(f"'{file}' cannot be read as a compiled plan ({exc})") from None
    if not isinstance(plan, dict) or plan.get("schema_version") != 1:
        raise PlanFileError(f"'{file}' is not a compiled plan (plan.json, schema_version 1)")
    for key in ("actions", "indicators", "strategies", "diagnostics", "submissions", "partners"):
        items = plan.get(key)
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
            raise PlanFileError(f"'{file}' is not a compiled plan: '{key}' is not a list of objects")
    return plan


# --------------------------------------------------------------------------- pairing actions


def _key(action: dict) -> str:
    return normal(action.get("text") or "")


def similarity(a: dict, b: dict) -> float:
    return fuzz.token_set_ratio(_key(a), _key(b))


def pair_actions(old: list[dict], new: list[dict], threshold: int) -> list[tuple[int, int, str, float]]:
    """(old index, new index, how, similarity) for every action pair, in new-plan order."""
    pairs: list[tuple[int, int, str, float]] = []
    free_old, free_new = set(range(len(old))), set(range(len(new)))

    def take(i: int, j: int, how: str, score: float) -> None:
        pairs.append((i, j, how, score))
        free_old.discard(i)
        free_new.discard(j)

    by_id: dict[str, list[int]] = {}
    for i, a in enumerate(old):
        by_id.setdefault(a["id"], []).append(i)

    def same_id(require) -> None:
        for j in sorted(free_new):
            for i in by_id.get(new[j]["id"], []):
                if i in free_old and require(old[i], new[j]):
                    take(i, j, "id", similarity(old[i], new[j]))
                    break

    same_id(lambda a, b: _key(a) == _key(b))
    same_id(lambda a, b: similarity(a, b) >= threshold)
    candidates = sorted(((-similarity(old[i], new[j]), i, j) for i in free_old for j in free_new), key=lambda t: t)
    for negative, i, j in candidates:
        if -negative < threshold:
            break
        if i in free_old and j in free_new:
            take(i, j, "id" if old[i]["id"] == new[j]["id"] else "wording", -negative)
    same_id(lambda a, b: bool(a.get("ref")) and bool(b.get("ref")))
    return sorted(pairs, key=lambda p: p[1])


# --------------------------------------------------------------------------- field comparison


def _comparable(key: str, value: object) -> object:
    if key == "milestones":
        return sorted(((m.get("due") or "9999-99-99"), m.get("text") or "") for m in value or [])
    if key.endswith("_ids") or key == "depends_on":
        return sorted(value or [])
    if key == "targets":
        return sorted(((t or {}).get("period") or "", _number(t)) for t in value or [])
    if key in ("baseline", "latest"):
        return None if not value else ((value.get("period") or ""), _number(value))
    return value


def _number(v: dict | None) -> object:
    if not v:
        return None
    return v.get("value") if v.get("value") is not None else v.get("mark") or v.get("text")


def field_changes(old: dict, new: dict, fields: tuple[tuple[str, str], ...]) -> list[dict]:
    return [{"field": shown, "old": old.get(key), "new": new.get(key)} for shown, key in fields
            if _comparable(key, old.get(key)) != _comparable(key, new.get(key))]


def action_summary(a: dict) -> dict:
    return {"id": a["id"], "text": a.get("text") or "", "lead_id": a.get("lead_id"),
            "partner_ids": list(a.get("partner_ids") or []), "outcome_ids": list(a.get("outcome_ids") or []),
            "submitted_by": a.get("submitted_by"), "path": (a.get("source") or {}).get("path")}


def _compare_by_id(old: list[dict], new: list[dict], fields, summary) -> dict:
    olds, news = {x["id"]: x for x in old}, {x["id"]: x for x in new}
    changed = []
    for x in new:
        if x["id"] in olds:
            diff = field_changes(olds[x["id"]], x, fields)
            if diff:
                changed.append({**summary(x), "fields": diff})
    return {"added": [summary(x) for x in new if x["id"] not in olds],
            "removed": [summary(x) for x in old if x["id"] not in news],
            "changed": changed}


def _indicator_summary(i: dict) -> dict:
    return {"id": i["id"], "name": i.get("name") or "", "unit": i.get("unit")}


def _strategy_summary(s: dict) -> dict:
    return {"id": s["id"], "name": s.get("name") or "", "owner_id": s.get("owner_id")}


# --------------------------------------------------------------------------- partners and diagnostics


def _roles(actions: list[dict], token) -> set[tuple[str, tuple[str, str], str]]:
    """(partner, the action's token, role) for every partner an action names; a token is
    ("kept" | "added" | "removed", id), the id as the new plan has it for a kept action."""
    out = set()
    for index, a in enumerate(actions):
        key = token(index, a)
        if a.get("lead_id"):
            out.add((a["lead_id"], key, "lead"))
        for p in a.get("partner_ids") or []:
            if p != a.get("lead_id"):
                out.add((p, key, "partner"))
    return out


def partner_changes(old: dict, new: dict, pairs: list[tuple[int, int, str, float]]) -> list[dict]:
    """Per partner, the actions it gained or lost a part in (lead or partner), in the new plan's partner order."""
    old_to_new = {i: j for i, j, _, _ in pairs}
    kept_new = set(old_to_new.values())
    news = new["actions"]
    before = _roles(old["actions"], lambda i, a: ("kept", news[old_to_new[i]]["id"]) if i in old_to_new
                    else ("removed", a["id"]))
    after = _roles(news, lambda j, b: ("kept" if j in kept_new else "added", b["id"]))
    texts = {("removed", a["id"]): a.get("text") or "" for i, a in enumerate(old["actions"]) if i not in old_to_new}
    texts.update({(("kept" if j in kept_new else "added"), b["id"]): b.get("text") or "" for j, b in enumerate(news)})
    names = {p["id"]: p.get("name") or p["id"] for p in old.get("partners", []) + new.get("partners", [])}
    order = {pid: n for n, pid in reversed(list(enumerate(p["id"] for p in new.get("partners", []) + old.get("partners", []))))}
    out = []
    for pid in sorted({p for p, _, _ in before ^ after}, key=lambda p: (order.get(p, len(order)), p)):
        def entries(roles: set) -> list[dict]:
            return [{"action_id": key[1], "action": key[0], "role": role, "text": texts.get(key, "")}
                    for _, key, role in sorted(r for r in roles if r[0] == pid)]
        out.append({"id": pid, "name": names.get(pid, pid), "gained": entries(after - before),
                    "lost": entries(before - after)})
    return out


_AS_OF = re.compile(r"\s*\(as of \d{4}-\d{2}-\d{2}\)")


def _diagnostic_key(d: dict, rename: dict[str, str]) -> tuple[str, str, str]:
    """code, subject, message; the date a compile judged milestones against ('as of') is not part of
    the issue, so an overdue milestone reported on two different days is the same issue."""
    subject, message = d.get("subject") or "", _AS_OF.sub("", d.get("message") or "")
    if subject.startswith("action:") and subject[7:] in rename:
        old_id, new_id = subject[7:], rename[subject[7:]]
        subject = "action:" + new_id
        message = re.sub(rf"(?<![\w-]){re.escape(old_id)}(?![\w-])", new_id, message)
    return d.get("code") or "", subject, message


def _diag(d: dict) -> dict:
    return {"code": d.get("code"), "severity": d.get("severity"), "message": d.get("message"),
            "subject": d.get("subject"), "location": (d.get("location") or {}).get("text"),
            "path": (d.get("location") or {}).get("path")}


def diagnostic_changes(old: list[dict], new: list[dict], rename_old: dict[str, str]) -> dict:
    """Resolved (in OLD, not in NEW) and new (in NEW, not in OLD), counted as multisets."""
    remaining = Counter(_diagnostic_key(d, {}) for d in new)
    resolved = []
    for d in old:
        k = _diagnostic_key(d, rename_old)
        if remaining[k]:
            remaining[k] -= 1
        else:
            resolved.append(_diag(d))
    previous = Counter(_diagnostic_key(d, rename_old) for d in old)
    fresh = []
    for d in new:
        k = _diagnostic_key(d, {})
        if previous[k]:
            previous[k] -= 1
        else:
            fresh.append(_diag(d))
    return {"resolved": resolved, "new": fresh}


# --------------------------------------------------------------------------- the report


def _about(plan: dict) -> dict:
    sev = Counter(d.get("severity") for d in plan["diagnostics"])
    return {"plan_title": (plan.get("system") or {}).get("plan_title") or "",
            "compiler_version": (plan.get("compiler") or {}).get("version") or "",
            "submissions": len(plan["submissions"]), "actions": len(plan["actions"]),
            "indicators": len(plan["indicators"]), "strategies": len(plan["strategies"]),
            "errors": sev["error"], "warnings": sev["warning"]}


def _submissions(old: dict, new: dict) -> dict:
    before = {s["path"]: s.get("sha256") for s in old["submissions"]}
    after = {s["path"]: s.get("sha256") for s in new["submissions"]}
    return {"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
            "revised": sorted(p for p in set(before) & set(after) if before[p] != after[p])}


def compare(old: dict, new: dict, threshold: int = 85) -> dict:
    """The change report from plan `old` to plan `new` (plan.json documents as loaded)."""
    olds, news = old["actions"], new["actions"]
    pairs = pair_actions(olds, news, threshold)
    paired_old, paired_new = {i for i, _, _, _ in pairs}, {j for _, j, _, _ in pairs}
    rename = {olds[i]["id"]: news[j]["id"] for i, j, _, _ in pairs if olds[i]["id"] != news[j]["id"]}
    changed = []
    for i, j, how, score in pairs:
        a, b = olds[i], news[j]
        diff = field_changes(a, b, ACTION_FIELDS)
        if a["id"] != b["id"] and a.get("ref") and b.get("ref"):
            diff.insert(0, {"field": "id", "old": a["id"], "new": b["id"]})
        if diff:
            changed.append({**action_summary(b), "old_id": a["id"], "matched_by": how,
                            "similarity": round(score), "fields": diff})
    actions = {"added": [action_summary(b) for j, b in enumerate(news) if j not in paired_new],
               "removed": [action_summary(a) for i, a in enumerate(olds) if i not in paired_old],
               "changed": changed}
    report = {
        "report_version": REPORT_VERSION,
        "old": _about(old), "new": _about(new),
        "submissions": _submissions(old, new),
        "actions": actions,
        "indicators": _compare_by_id(old["indicators"], new["indicators"], INDICATOR_FIELDS, _indicator_summary),
        "strategies": _compare_by_id(old["strategies"], new["strategies"], STRATEGY_FIELDS, _strategy_summary),
        "partners": partner_changes(old, new, pairs),
        "diagnostics": diagnostic_changes(old["diagnostics"], new["diagnostics"], rename),
    }
    report["summary"] = summary_counts(report)
    return report


def summary_counts(report: dict) -> dict[str, int]:
    out = {}
    for kind in ("actions", "indicators", "strategies"):
        for what in ("added", "removed", "changed"):
            out[f"{kind}_{what}"] = len(report[kind][what])
    out["partners_affected"] = len(report["partners"])
    out["diagnostics_resolved"] = len(report["diagnostics"]["resolved"])
    out["diagnostics_new"] = len(report["diagnostics"]["new"])
    for what in ("added", "removed", "revised"):
        out[f"submissions_{what}"] = len(report["submissions"][what])
    return out


def has_changes(report: dict) -> bool:
    return any(report["summary"].values())


def dumps(report: dict) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
