"""Neutral records: what a reader found in one submission, before resolution.

References are kept as written, each with its location; the resolver turns
them into links. Records are plain data, so a reader's output can be cached
by the file's content hash and produced in another process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .blocks import Block, StyleDef
from .diagnostics import Diagnostic, Location
from .values import Value


@dataclass(frozen=True)
class Written:
    """A reference as a person wrote it, and where."""

    text: str
    location: Location


@dataclass(frozen=True)
class RawSection:
    """A heading (or sheet name, title row, section row) the reader took to open an outcome or
    enabler section, kept as written: the resolver decides what it names and reports on it.

    `kind` says how it is resolved: "heading" (a Word heading: outcome or enabler, fuzzy matches
    reported) or "sheet" (a sheet name, title row or one-cell row naming an outcome).
    """

    heading: Written
    kind: str = "heading"
    level: int | None = None


@dataclass
class RawMilestone:
    text: str
    due: date | None
    location: Location


@dataclass
class RawAction:
    text: str
    location: Location
    ref: str | None = None
    section: str | None = None              # outcome or enabler ID the reader recognised its section by
    outcome_refs: list[Written] = field(default_factory=list)
    lead: list[Written] = field(default_factory=list)
    partners: list[Written] = field(default_factory=list)
    strategies: list[Written] = field(default_factory=list)
    indicators: list[Written] = field(default_factory=list)
    places: list[Written] = field(default_factory=list)
    depends: list[Written] = field(default_factory=list)
    milestones: list[RawMilestone] = field(default_factory=list)
    timescale: str | None = None
    status: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    section_heading: Written | None = None  # the heading of that section, as written (resolved by the resolver)


@dataclass
class RawStrategy:
    name: str
    location: Location
    abbreviation: str | None = None
    owner: Written | None = None
    status: str | None = None
    period: str | None = None
    link: str | None = None
    outcomes: list[Written] = field(default_factory=list)


@dataclass
class RawIndicator:
    id: str
    location: Location
    name: str | None = None
    outcome_refs: list[Written] = field(default_factory=list)
    definition: str | None = None
    unit: str | None = None
    polarity: str | None = None
    baseline: tuple[str | None, Value] | None = None
    targets: list[tuple[str | None, Value]] = field(default_factory=list)
    values: list[tuple[str, Value, str | None]] = field(default_factory=list)  # period, value, geography
    latest: tuple[str | None, Value] | None = None
    source: str | None = None
    frequency: str | None = None
    owner: Written | None = None
    status: str | None = None
    rationale: str | None = None
    section_heading: Written | None = None  # with no Outcome column: the sheet name or row naming its outcome


@dataclass
class RawValueUpdate:
    indicator: Written
    period: str
    value: Value
    geography: str | None
    location: Location


@dataclass
class SubmitterHint:
    source: str   # "metadata", "core properties", "header", "file name"
    text: str
    location: Location


@dataclass
class Narrative:
    section: str
    text: str
    location: Location
    heading: Written | None = None  # the section's heading as written (the resolver resolves it)


class Accounting:
    """Every text unit read, and what became of it: used, or ignored with a reason."""

    def __init__(self) -> None:
        self._units: dict[str, tuple[Location, str | None]] = {}  # key -> (location, ignore reason or None)
        self._pending: set[str] = set()

    @staticmethod
    def key(location: Location) -> str:
        return location.text or repr(location)

    def read(self, location: Location) -> None:
        key = self.key(location)
        if key not in self._units:
            self._units[key] = (location, None)
            self._pending.add(key)

    def use(self, location: Location) -> None:
        key = self.key(location)
        self.read(location)
        self._units[key] = (self._units[key][0], None)
        self._pending.discard(key)

    def ignore(self, location: Location, reason: str) -> None:
        key = self.key(location)
        self.read(location)
        if key in self._pending:
            self._units[key] = (self._units[key][0], reason)
            self._pending.discard(key)

    def reclassify_used(self, location: Location) -> None:
        """A unit first set aside turns out to feed the plan (the narrative document's paragraphs)."""
        key = self.key(location)
        if key in self._units:
            self._units[key] = (self._units[key][0], None)
            self._pending.discard(key)

    def close(self, reason: str) -> None:
        """Everything read but neither used nor ignored is ignored with `reason`."""
        for key in list(self._pending):
            self._units[key] = (self._units[key][0], reason)
        self._pending.clear()

    @property
    def units_read(self) -> int:
        return len(self._units)

    @property
    def used(self) -> int:
        return sum(1 for key, (_, reason) in self._units.items() if reason is None and key not in self._pending)

    def ignored(self) -> list[tuple[Location, str]]:
        return [(loc, reason) for key, (loc, reason) in self._units.items() if reason is not None and key not in self._pending]


@dataclass
class SubmissionRecords:
    """Everything one reader found in one file."""

    path: str
    sha256: str
    kinds: list[str] = field(default_factory=list)
    readable: bool = True
    submitter_hints: list[SubmitterHint] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)  # IDs the reader recognised sections by (structure only)
    actions: list[RawAction] = field(default_factory=list)
    strategies: list[RawStrategy] = field(default_factory=list)
    indicators: list[RawIndicator] = field(default_factory=list)
    updates: list[RawValueUpdate] = field(default_factory=list)
    narrative: list[Narrative] = field(default_factory=list)
    # The narrative document's body (the plan's front matter) and the named styles its blocks use.
    front_matter: list[Block] = field(default_factory=list)
    front_matter_styles: list[StyleDef] = field(default_factory=list)
    accounting: Accounting = field(default_factory=Accounting)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    section_headings: list[RawSection] = field(default_factory=list)  # every section opened, in reading order
