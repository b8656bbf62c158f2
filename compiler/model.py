"""The compiled plan: plain dataclasses with their provenance.

`plan.json` is these objects in the order documented in docs/contracts.md:
rules order for outcomes, enablers, partners and places; submissions by
path; actions by submission path then position in the file; strategies by
id; indicators by id in natural order (LF2 before LF10); diagnostics by
file, position, code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .blocks import Block, StyleDef
from .diagnostics import Diagnostic, Location
from .values import Value


@dataclass
class Milestone:
    text: str
    due: date | None
    location: Location


@dataclass(frozen=True)
class UnresolvedName:
    """A name written in an action's lead or partners that matches no registered partner: kept as
    written, with the code of the diagnostic that says so (R004 unknown, R005 ambiguous)."""

    role: str        # "lead" or "partner"
    text: str
    code: str


@dataclass
class Action:
    id: str
    text: str
    source: Location
    submitted_by: str | None
    outcome_ids: list[str] = field(default_factory=list)
    priority_ids: list[str] = field(default_factory=list)
    enabler_ids: list[str] = field(default_factory=list)
    lead_id: str | None = None
    partner_ids: list[str] = field(default_factory=list)
    strategy_ids: list[str] = field(default_factory=list)
    indicator_ids: list[str] = field(default_factory=list)
    place_ids: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    timescale: str | None = None
    status: str | None = None
    ref: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    lead_text: str | None = None            # the lead as written, when one was written
    unresolved: list[UnresolvedName] = field(default_factory=list)


@dataclass
class Strategy:
    id: str
    name: str
    owner_id: str | None = None
    status: str | None = None
    period: str | None = None
    link: str | None = None
    aliases: list[str] = field(default_factory=list)
    outcome_ids: list[str] = field(default_factory=list)
    sources: list[Location] = field(default_factory=list)


# Where an indicator value came from: the logframe's baseline, trend (period-named) or Latest
# columns, or a data update.
ORIGINS = ("baseline", "trend", "latest", "update")


@dataclass
class IndicatorValue:
    period: str | None
    value: Value
    geography: str | None = None   # None: the whole system (a value written for the system's own area too)
    source: Location | None = None
    origin: str | None = None      # one of ORIGINS; None for targets


@dataclass
class Indicator:
    id: str
    name: str | None
    source: Location
    outcome_ids: list[str] = field(default_factory=list)
    definition: str | None = None
    unit: str | None = None
    polarity: str | None = None
    baseline: IndicatorValue | None = None
    targets: list[IndicatorValue] = field(default_factory=list)
    values: list[IndicatorValue] = field(default_factory=list)
    latest: IndicatorValue | None = None
    data_source: str | None = None
    frequency: str | None = None
    owner_id: str | None = None
    status: str | None = None
    rationale: str | None = None
    action_ids: list[str] = field(default_factory=list)
    # Every value offered for the indicator from any source, in order (the logframe's baseline, trend
    # and Latest columns, then each data update by path), with its origin and source: kept in
    # `values` or not (a second value for a period and geography already given). D010 compares them.
    offered: list[IndicatorValue] = field(default_factory=list)


@dataclass
class Submission:
    path: str
    sha256: str
    kinds: list[str]
    partner_id: str | None
    metadata: dict[str, str]
    readable: bool
    units_read: int = 0
    units_used: int = 0
    ignored: list[tuple[Location, str]] = field(default_factory=list)


@dataclass
class NarrativeText:
    section: str
    text: str
    partner_id: str | None
    source: Location


@dataclass
class Plan:
    submissions: list[Submission] = field(default_factory=list)
    strategies: list[Strategy] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    narrative: list[NarrativeText] = field(default_factory=list)
    # The front matter: the narrative document's body as blocks, and the named styles they use.
    front_matter: list[Block] = field(default_factory=list)
    front_matter_styles: list[StyleDef] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


def natural_key(text: str) -> tuple:
    """`X2.10` after `X2.9`, `X10` after `X9`."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.split(r"(\d+)", text) if p)
