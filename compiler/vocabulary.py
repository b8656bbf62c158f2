"""What the rules let a submission name: outcomes, priorities, enablers, partners, places.

Built once from the rules and shared by the readers (to find outcome sections
and header columns) and the resolver (to resolve references). Nothing here
knows about any particular system: every word comes from the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .matching import Match, NameIndex
from .ruleset import Rules
from .text import id_key, normal, number_from_word

_LEADING_ID = re.compile(r"^\s*(?P<id>[A-Za-z]{1,6}\s?[-_]?\s?\d+(?:\.\d+)*)(?:\s*[:\-\u2013\u2014.)]\s*|\s+|$)(?P<rest>.*)$", re.S)
_SEPARATOR = re.compile(r"^\s*[:\-\u2013\u2014.)]*\s*")


@dataclass(frozen=True)
class StrategicRef:
    """A resolved reference to an outcome, priority or enabler."""

    kind: str  # "outcome" | "priority" | "enabler"
    id: str
    match: Match


class Vocabulary:
    def __init__(self, rules: Rules):
        self.rules = rules
        t = rules.thresholds
        self.strategic = NameIndex("outcome", t.fuzzy_accept, t.fuzzy_suggest, t.fuzzy_ambiguity_margin, t.max_suggestions)
        self.kind_of: dict[str, str] = {}
        self.outcome_by_number: dict[int, str] = {}
        for o in rules.outcomes:
            self.strategic.add(o.id, o.title, o.aliases, primary=o.title)
            self.kind_of[o.id] = "outcome"
            self.outcome_by_number[o.number] = o.id
            for p in o.priorities:
                self.strategic.add(p.id, p.title, p.aliases, primary=p.title)
                self.kind_of[p.id] = "priority"
        for e in rules.enablers:
            self.strategic.add(e.id, e.title, e.aliases, primary=e.title)
            self.kind_of[e.id] = "enabler"
        self.partners = NameIndex("partner", t.fuzzy_accept, t.fuzzy_suggest, t.fuzzy_ambiguity_margin, t.max_suggestions)
        for p in rules.partners:
            self.partners.add(p.id, p.name, p.aliases, primary=p.name)
        self.places = NameIndex("place", t.fuzzy_accept, t.fuzzy_suggest, t.fuzzy_ambiguity_margin, t.max_suggestions)
        for pl in rules.places:
            self.places.add(pl.id, pl.name, pl.aliases, primary=pl.name)
        words = sorted((normal(w) for w in rules.references.ids.outcome_number_words), key=len, reverse=True)
        self._number_phrase = re.compile(
            r"^(?:" + "|".join(re.escape(w) for w in words if w) + r")\s*(?P<n>\d+|[a-z]+)\b(?P<rest>.*)$")
        self._number_phrase_anywhere = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in words if w and w != "so") + r")\s+(?P<n>\d+|[a-z]+)\b")
        ids = rules.references.ids
        self._id_patterns = {"priority": re.compile(ids.priority), "outcome": re.compile(ids.outcome),
                             "enabler": re.compile(ids.enabler)}
        self.indicator_id_pattern = re.compile(ids.indicator)

    # ---------------------------------------------------------------- strategic references

    def strategic_ref(self, text: str, *, heading: bool = False) -> StrategicRef | Match:
        """Resolve text naming an outcome, priority or enabler.

        Returns a StrategicRef, or the failed Match (with suggestions) when nothing fits.
        In a heading, a bare number is not a reference and fuzzy titles need the stricter
        heading threshold, so that "Key areas of joint working" never names an outcome.
        """
        written = text.strip()
        accept = self.rules.thresholds.heading_match if heading else None
        key = id_key(written)
        if key in self.kind_of:
            return StrategicRef(self.kind_of[key], key, Match(written, key, "id", 100.0, key))
        if self._shape_of(key):
            # Shaped like an ID but not one: unknown, never read as "SO 1" + something.
            return Match(written, None, "none", 0.0, "", tuple(self.strategic.candidates(written)))
        numbered = self._by_number(written, heading)
        if numbered is not None:
            return numbered
        lead = _LEADING_ID.match(written)
        if lead and self._shape_of(id_key(lead.group("id"))):
            m = self.strategic.match(id_key(lead.group("id")))
            if m.resolved:
                return StrategicRef(self.kind_of[m.id], m.id, Match(written, m.id, "id", 100.0, m.id))
        m = self.strategic.match(written, accept=accept)
        if m.resolved:
            return StrategicRef(self.kind_of[m.id], m.id, m)
        return m

    def _shape_of(self, key: str) -> str | None:
        for kind, pattern in self._id_patterns.items():
            if pattern.match(key):
                return kind
        return None

    def _by_number(self, written: str, heading: bool) -> StrategicRef | None:
        n = normal(written)
        m = self._number_phrase.match(n)
        if m:
            number = number_from_word(m.group("n"))
            if number in self.outcome_by_number:
                oid = self.outcome_by_number[number]
                return StrategicRef("outcome", oid, Match(written, oid, "id", 100.0, oid))
            return None
        if not heading:
            bare = re.fullmatch(r"(\d+)(?:\.(\d+))?", written.strip())
            if bare:
                number = int(bare.group(1))
                oid = self.outcome_by_number.get(number)
                if oid and bare.group(2):
                    pid = next((p.id for o in self.rules.outcomes if o.id == oid for p in o.priorities
                                if p.id.endswith("." + bare.group(2))), None)
                    if pid:
                        return StrategicRef("priority", pid, Match(written, pid, "id", 100.0, pid))
                if oid:
                    return StrategicRef("outcome", oid, Match(written, oid, "id", 100.0, oid))
        return None

    def section_heading(self, text: str) -> StrategicRef | None:
        """The outcome or enabler a heading names, or None (priorities do not open sections).

        Besides a heading that is a reference (an ID, `Outcome 3 – …`, a title), a short heading
        that mentions one outcome by number or ID anywhere (`Our contribution to Outcome 3`) names it.
        """
        if len(text) > 200:
            return None
        ref = self.strategic_ref(text, heading=True)
        if isinstance(ref, StrategicRef):
            return ref if ref.kind in ("outcome", "enabler") else None
        if len(text.split()) > 14:
            return None
        named = set()
        n = normal(text)
        for m in self._number_phrase_anywhere.finditer(n):
            number = number_from_word(m.group("n"))
            if number in self.outcome_by_number:
                named.add(self.outcome_by_number[number])
        for token in re.findall(r"[A-Za-z]{1,6}[\s_-]?\d+(?:\.\d+)?", text):
            key = id_key(token)
            if self.kind_of.get(key) in ("outcome", "enabler"):
                named.add(key)
        if len(named) == 1:
            (oid,) = named
            return StrategicRef(self.kind_of[oid], oid, Match(text, oid, "id", 100.0, oid))
        return None

    def outcome_of(self, strategic_id: str) -> str | None:
        return self.priority_outcome.get(strategic_id, strategic_id if self.kind_of.get(strategic_id) == "outcome" else None)

    @cached_property
    def priority_outcome(self) -> dict[str, str]:
        return self.rules.priority_outcome()

    def outcome_in_name(self, name: str) -> str | None:
        """An outcome named in a sheet name or title: `Outcome 2`, an outcome ID, an ID and a title."""
        ref = self.strategic_ref(name, heading=True)
        if isinstance(ref, StrategicRef):
            return self.outcome_of(ref.id)
        return None
