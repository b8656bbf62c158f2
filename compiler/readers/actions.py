"""Filling an action's fields from cells or inline text: shared by Word tables, lists and trackers."""

from __future__ import annotations

from ..codes import emit
from ..diagnostics import Diagnostic, Location
from ..records import RawAction, RawMilestone, Written
from ..text import tidy
from ..values import looks_like_date, parse_due
from .headers import split_values

_LIST_FIELDS = ("outcome", "lead", "partners", "strategy", "indicators", "place", "depends")


def add_milestone(action: RawAction, text: str, loc: Location, diagnostics: list[Diagnostic]) -> None:
    text = tidy(text)
    if not text:
        return
    due = parse_due(text)
    if due is None and looks_like_date(text):
        diagnostics.append(emit("I008", f"milestone date in '{text}' could not be read; kept as text", location=loc))
    action.milestones.append(RawMilestone(text, due, loc))


def set_action_field(action: RawAction, name: str, value: object, loc: Location, diagnostics: list[Diagnostic]) -> None:
    """Put one field's value, as written, on the action."""
    if value is None:
        return
    if not isinstance(value, str):
        value = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    value = value.strip()
    if not value:
        return
    if name == "milestones":
        for line in split_values(value):
            add_milestone(action, line, loc, diagnostics)
    elif name == "timescale":
        action.timescale = tidy(value)
    elif name == "status":
        action.status = tidy(value)
    elif name == "ref":
        action.ref = tidy(value)
    elif name == "action":
        action.text = tidy(value)
    elif name in _LIST_FIELDS:
        target = {"outcome": action.outcome_refs, "lead": action.lead, "partners": action.partners,
                  "strategy": action.strategies, "indicators": action.indicators, "place": action.places,
                  "depends": action.depends}[name]
        target.extend(Written(v, loc) for v in split_values(value))


def action_from_row(columns: list[tuple[str | None, str, object]], loc_for, section: str | None, base: Location,
                    diagnostics: list[Diagnostic], *, heading: Written | None = None) -> RawAction | None:
    """An action from a table or sheet row.

    `columns` is (field or None, header label, value) per column; `loc_for(i, label)` gives the
    location of column i; `section` and `heading` are the section it sits in (the ID it was
    recognised by, and its heading as written). Returns None when the row has no action text.
    """
    text = ""
    for field_name, _, value in columns:
        if field_name == "action" and value is not None:
            text = tidy(str(value))
            break
    if not text:
        return None
    action = RawAction(text=text, location=base, section=section, section_heading=heading if section else None)
    for i, (field_name, label, value) in enumerate(columns):
        if field_name == "action" or value is None or (isinstance(value, str) and not value.strip()):
            continue
        if field_name is None:
            if label:
                action.custom[label] = str(value).strip()
            continue
        set_action_field(action, field_name, value, loc_for(i, label), diagnostics)
    return action
