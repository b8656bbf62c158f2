"""Resolve: neutral records from every submission -> one linked Plan.

Order matters and is fixed: submitters and section headings first (actions
need their prefix, place and section), then strategies and indicators (the
vocabularies actions refer to), then actions, then dependencies between
actions, then indicator values from data updates. Last, the dependency graph
is built once from the linked plan (`Resolver.graph`, carried on by the
Compilation) and dependency cycles are found on it (R008).
"""

from __future__ import annotations

import re

import networkx as nx

from ..codes import emit
from ..diagnostics import Diagnostic, Location
from ..matching import Match, NameIndex
from ..model import (Action, Indicator, IndicatorValue, Milestone, NarrativeText, Plan, Strategy, Submission,
                     UnresolvedName, natural_key)
from ..records import RawAction, RawIndicator, RawSection, SubmissionRecords, Written
from ..text import id_key, normal, slug, tidy
from ..vocabulary import StrategicRef, Vocabulary
from .graph import build_graph, dependency_cycles
from .indicators import merge, system_area_names, system_geography
from .references import contains_name, dedupe, report, resolve_names


class Resolver:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.rules = vocab.rules
        t = self.rules.thresholds
        self.strategy_index = NameIndex("strategy", t.fuzzy_accept, t.fuzzy_suggest, t.fuzzy_ambiguity_margin, t.max_suggestions)
        self.indicator_index = NameIndex("indicator", t.fuzzy_accept, t.fuzzy_suggest, t.fuzzy_ambiguity_margin, t.max_suggestions)
        self.diagnostics: list[Diagnostic] = []
        self.submitter: dict[str, str | None] = {}
        self.section_ids: dict[Written, str | None] = {}  # each section heading as written -> what it names
        self.graph: nx.MultiDiGraph | None = None          # built by resolve()
        roots = [p.id for p in self.rules.places if p.parent is None]
        self.root_place = roots[0] if roots else ""
        self.system_area = system_area_names(self.rules)

    # ------------------------------------------------------------------ entry

    def resolve(self, records: list[SubmissionRecords]) -> Plan:
        records = sorted(records, key=lambda r: r.path)
        plan = Plan()
        for rec in records:
            self.diagnostics.extend(rec.diagnostics)
            plan.submissions.append(self._submission(rec))
            for section in rec.section_headings:
                self.section_ids[section.heading] = self._section(section, rec.path)
        plan.strategies = self._strategies(records)
        plan.indicators = self._indicators(records)
        plan.actions = self._actions(records)
        self._dependencies(plan.actions, records)
        self._updates(plan.indicators, records)
        by_indicator: dict[str, list[str]] = {}
        for action in plan.actions:
            for iid in action.indicator_ids:
                by_indicator.setdefault(iid, []).append(action.id)
        for ind in plan.indicators:
            ind.action_ids = by_indicator.get(ind.id, [])
        plan.narrative = [NarrativeText(self._section_of(n.heading, n.section) or n.section, n.text,
                                        self.submitter.get(rec.path), n.location)
                          for rec in records for n in rec.narrative]
        front = _front_matter(records)
        if front is not None:
            plan.front_matter, plan.front_matter_styles = list(front.front_matter), list(front.front_matter_styles)
        self.graph = build_graph(plan, self.rules)
        self.diagnostics.extend(dependency_cycles(self.graph, plan.actions))
        plan.diagnostics = self.diagnostics
        return plan

    # ------------------------------------------------------------------ submissions

    def _submission(self, rec: SubmissionRecords) -> Submission:
        partner = self._submitter(rec) if rec.readable else None
        self.submitter[rec.path] = partner
        ignored = rec.accounting.ignored()
        return Submission(rec.path, rec.sha256, list(rec.kinds), partner, dict(rec.metadata), rec.readable,
                          rec.accounting.units_read, rec.accounting.used, ignored)

    def _submitter(self, rec: SubmissionRecords) -> str | None:
        """Who submitted it: metadata, then core properties, then page header, then file name."""
        index = self.vocab.partners
        for hint in rec.submitter_hints:
            if hint.source == "metadata":
                match = index.match(hint.text)
                if match.resolved:
                    report(match, "partner", Written(hint.text, hint.location), f"submission:{rec.path}", self.diagnostics)
                    return match.id
                found = contains_name(index, hint.text)
                if found:
                    return found
                report(match, "partner", Written(hint.text, hint.location), f"submission:{rec.path}", self.diagnostics)
        for source in ("core properties", "document title", "header", "file name"):
            for hint in rec.submitter_hints:
                if hint.source == source:
                    exact = index.lookup_exact(hint.text)
                    found = exact or contains_name(index, hint.text)
                    if found:
                        return found
        if rec.kinds and set(rec.kinds) & {"partner contribution", "action tracker"}:
            self.diagnostics.append(emit(
                "I003", "the submitting partner cannot be told: no Organisation line or table, document "
                        "property, page header or file name names a registered partner",
                subject=f"submission:{rec.path}", location=Location(rec.path, text="file")))
        return None

    # ------------------------------------------------------------------ sections

    def _section(self, section: RawSection, path: str) -> str | None:
        """The outcome or enabler a section's heading names (a sheet's: the outcome), reporting a
        fuzzy heading match (R006) and a heading that names nothing (R001, or R005 if ambiguous)."""
        text = section.heading.text
        if section.kind == "sheet":
            found = self.vocab.outcome_in_name(text)
            ref = None
        else:
            ref = self.vocab.section_heading(text)
            found = ref.id if ref is not None else None
        if ref is not None and ref.match.how == "fuzzy":
            self.diagnostics.append(emit(
                "R006", f"heading '{tidy(text)}' taken to name {ref.kind} {ref.id} "
                        f"'{self.vocab.strategic.label(ref.id)}' (similarity {ref.match.score:.0f}%)",
                subject=f"{ref.kind}:{ref.id}", location=section.heading.location))
        elif found is None:
            miss = self.vocab.strategic_ref(text, heading=True)
            if isinstance(miss, StrategicRef) or miss.how not in ("none", "ambiguous"):
                miss = Match(text, None, "none", 0.0, "", ())
            report(miss, "outcome", section.heading, f"submission:{path}", self.diagnostics)
        return found

    def _section_of(self, heading: Written | None, recognised: str | None) -> str | None:
        """The section a record sits in: what its heading names, as resolved from the submission's
        section headings (the ID the reader recognised it by only for records built without them)."""
        if heading is None or heading not in self.section_ids:
            return recognised
        return self.section_ids[heading]

    # ------------------------------------------------------------------ strategies

    def _strategies(self, records: list[SubmissionRecords]) -> list[Strategy]:
        by_id: dict[str, Strategy] = {}
        for alias in self.rules.strategies:
            sid = slug(alias.name)
            by_id[sid] = Strategy(sid, alias.name, alias.owner, aliases=list(alias.aliases))
            self.strategy_index.add(sid, alias.name, alias.aliases, primary=alias.name)
        registered: set[str] = set()
        for rec in records:
            for raw in rec.strategies:
                existing = self.strategy_index.lookup_exact(raw.name) or (
                    self.strategy_index.lookup_exact(raw.abbreviation) if raw.abbreviation else None)
                sid = existing or slug(raw.name)
                if not sid:
                    continue
                strategy = by_id.setdefault(sid, Strategy(sid, raw.name))
                registered.add(sid)
                if raw.abbreviation and raw.abbreviation not in strategy.aliases:
                    strategy.aliases.append(raw.abbreviation)
                self.strategy_index.add(sid, strategy.name, [raw.name] + ([raw.abbreviation] if raw.abbreviation else []),
                                        primary=strategy.name)
                subject = f"strategy:{sid}"
                if raw.owner and strategy.owner_id is None:
                    owners = resolve_names(raw.owner, self.vocab.partners, "partner", subject, self.diagnostics)
                    strategy.owner_id = owners[0] if owners else None
                strategy.status = strategy.status or raw.status
                strategy.period = strategy.period or raw.period
                strategy.link = strategy.link or raw.link
                for w in raw.outcomes:
                    for ref in self._strategic(w, subject):
                        oid = self.vocab.outcome_of(ref.id)
                        if oid and oid not in strategy.outcome_ids:
                            strategy.outcome_ids.append(oid)
                strategy.sources.append(raw.location)
        self._registered_strategies = registered
        return [by_id[k] for k in sorted(by_id)]

    # ------------------------------------------------------------------ indicators

    def _indicators(self, records: list[SubmissionRecords]) -> list[Indicator]:
        by_key: dict[str, Indicator] = {}
        raw_by_key: dict[str, RawIndicator] = {}
        for rec in records:
            for raw in rec.indicators:
                key = id_key(raw.id)
                if key in by_key:
                    if _indicator_signature(raw) != _indicator_signature(raw_by_key[key]):
                        first = by_key[key].source
                        self.diagnostics.append(emit(
                            "R007", f"indicator ID '{raw.id}' is used twice with different content "
                                    f"(first at {first.path}: {first.text}); the first is kept",
                            subject=f"indicator:{by_key[key].id}", location=raw.location))
                    continue
                raw_by_key[key] = raw
                by_key[key] = self._indicator(raw)
        indicators = sorted(by_key.values(), key=lambda i: natural_key(i.id))
        for ind in indicators:
            self.indicator_index.add(ind.id, ind.name or ind.id, [ind.name] if ind.name else [], primary=ind.name)
        return indicators

    def _indicator(self, raw: RawIndicator) -> Indicator:
        ind_id = tidy(raw.id)
        subject = f"indicator:{ind_id}"
        ind = Indicator(ind_id, raw.name, raw.location, definition=raw.definition, unit=raw.unit,
                        polarity=raw.polarity, data_source=raw.source, frequency=raw.frequency,
                        status=raw.status, rationale=raw.rationale)
        for w in raw.outcome_refs:
            for ref in self._strategic(w, subject):
                oid = self.vocab.outcome_of(ref.id)
                if oid and oid not in ind.outcome_ids:
                    ind.outcome_ids.append(oid)
        if not raw.outcome_refs and raw.section_heading is not None:  # no Outcome column: the sheet's outcome
            oid = self.vocab.outcome_of(self._section_of(raw.section_heading, None) or "")
            if oid:
                ind.outcome_ids.append(oid)
        if raw.owner:
            owners = resolve_names(raw.owner, self.vocab.partners, "partner", subject, self.diagnostics)
            ind.owner_id = owners[0] if owners else None
        # Everything the logframe offers, in order: baseline, trend columns, Latest column (see indicators.py).
        if raw.baseline and (not raw.baseline[1].missing or raw.baseline[1].mark):
            ind.baseline = IndicatorValue(raw.baseline[0], raw.baseline[1], None, raw.location, "baseline")
            ind.offered.append(ind.baseline)
        ind.targets = [IndicatorValue(p, v) for p, v in raw.targets if not (v.missing and not v.mark)]
        ind.offered.extend(IndicatorValue(p, v, system_geography(g, self.system_area), raw.location, "trend")
                           for p, v, g in raw.values if not (v.missing and not v.mark))
        if raw.latest and (not raw.latest[1].missing or raw.latest[1].mark):
            ind.offered.append(IndicatorValue(raw.latest[0], raw.latest[1], None, raw.location, "latest"))
        return ind

    def _updates(self, indicators: list[Indicator], records: list[SubmissionRecords]) -> None:
        """Offer each data update's values to its indicator, then merge every indicator's values
        (indicators.merge: the series and the latest value from all sources)."""
        by_id = {i.id: i for i in indicators}
        for rec in records:
            for up in rec.updates:
                ids = resolve_names(up.indicator, self.indicator_index, "indicator", f"submission:{rec.path}",
                                    self.diagnostics, id_pattern=self.vocab.indicator_id_pattern)
                if not ids or (up.value.missing and not up.value.mark):
                    continue
                by_id[ids[0]].offered.append(IndicatorValue(
                    up.period, up.value, system_geography(up.geography, self.system_area), up.location, "update"))
        for ind in indicators:
            merge(ind)

    # ------------------------------------------------------------------ actions

    def _actions(self, records: list[SubmissionRecords]) -> list[Action]:
        actions: list[Action] = []
        taken: dict[str, Action] = {}
        counters: dict[str, int] = {}
        first_raw: dict[str, RawAction | None] = {}
        for rec in records:
            submitter = self.submitter.get(rec.path)
            prefix = submitter or slug(rec.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]) or "action"
            for raw in rec.actions:
                ref = re.sub(r"\s+", "", raw.ref or "").strip(".:;,")
                if ref and any(ch.isalpha() for ch in ref):
                    action_id = ref.upper()
                elif ref:
                    action_id = f"{prefix}-{ref}"
                else:
                    # Numbered per partner across its submissions (in path order), so two files
                    # from one partner never produce the same generated ID.
                    counters[prefix] = counters.get(prefix, 0) + 1
                    action_id = f"{prefix}-{counters[prefix]:02d}"
                if action_id in taken:
                    first = taken[action_id]
                    if first_raw[action_id] is not None and _same_action(first_raw[action_id], raw):
                        continue  # the same action listed twice: one action
                    self.diagnostics.append(emit(
                        "R007", f"action ID '{action_id}' is used twice with different content (first at "
                                f"{first.source.path}: {first.source.text}); this one is renamed",
                        subject=f"action:{action_id}", location=raw.location))
                    n = 2
                    while f"{action_id}-{n}" in taken:
                        n += 1
                    action_id = f"{action_id}-{n}"
                action = self._action(raw, action_id, submitter)
                taken[action_id] = action
                first_raw[action_id] = raw
                actions.append(action)
        return actions

    def _action(self, raw: RawAction, action_id: str, submitter: str | None) -> Action:
        subject = f"action:{action_id}"
        a = Action(action_id, raw.text, raw.location, submitter, timescale=raw.timescale, status=raw.status,
                   ref=raw.ref, custom=dict(raw.custom))
        refs: list[StrategicRef] = []
        for w in raw.outcome_refs:
            refs.extend(self._strategic(w, subject))
        section = self._section_of(raw.section_heading, raw.section)
        if not refs and section:  # no Outcome column, or nothing in it resolved: the section it sits in
            kind = self.vocab.kind_of.get(section, "outcome")
            refs.append(StrategicRef(kind, section, None))  # type: ignore[arg-type]
        for ref in refs:
            if ref.kind == "outcome":
                a.outcome_ids.append(ref.id)
            elif ref.kind == "priority":
                a.priority_ids.append(ref.id)
                a.outcome_ids.append(self.vocab.priority_outcome[ref.id])
            else:
                a.enabler_ids.append(ref.id)
        a.outcome_ids, a.priority_ids, a.enabler_ids = dedupe(a.outcome_ids), dedupe(a.priority_ids), dedupe(a.enabler_ids)
        leads: list[str] = []
        missed: list[tuple[str, str]] = []
        for w in raw.lead:
            leads.extend(resolve_names(w, self.vocab.partners, "partner", subject, self.diagnostics, missed=missed))
        a.unresolved = [UnresolvedName("lead", text, code) for text, code in missed]
        a.lead_text = "; ".join(tidy(w.text) for w in raw.lead if tidy(w.text)) or None
        leads = dedupe(leads)
        a.lead_id = leads[0] if leads else None
        partners: list[str] = list(leads[1:])
        missed = []
        for w in raw.partners:
            partners.extend(resolve_names(w, self.vocab.partners, "partner", subject, self.diagnostics, missed=missed))
        a.unresolved += [UnresolvedName("partner", text, code) for text, code in missed]
        a.partner_ids = [p for p in dedupe(partners) if p != a.lead_id]
        for w in raw.strategies:
            a.strategy_ids.extend(resolve_names(w, self.strategy_index, "strategy", subject, self.diagnostics))
        a.strategy_ids = dedupe(a.strategy_ids)
        for w in raw.indicators:
            a.indicator_ids.extend(resolve_names(w, self.indicator_index, "indicator", subject, self.diagnostics,
                                                 id_pattern=self.vocab.indicator_id_pattern))
        a.indicator_ids = dedupe(a.indicator_ids)
        for w in raw.places:
            a.place_ids.extend(resolve_names(w, self.vocab.places, "place", subject, self.diagnostics))
        a.place_ids = dedupe(a.place_ids)
        if not raw.places:
            partner = self.rules.partner(submitter) if submitter else None
            a.place_ids = [p for p in [partner.place if partner else self.root_place] if p]
        a.milestones = [Milestone(m.text, m.due, m.location) for m in raw.milestones]
        return a

    def _strategic(self, written: Written, subject: str) -> list[StrategicRef]:
        text = tidy(written.text)
        if "," in text:
            pieces = [self.vocab.strategic_ref(p.strip()) for p in text.split(",") if p.strip()]
            if all(isinstance(p, StrategicRef) and p.match.how == "id" for p in pieces):
                return pieces  # type: ignore[return-value]
        ref = self.vocab.strategic_ref(text)
        if isinstance(ref, StrategicRef):
            if ref.match is not None and ref.match.how == "fuzzy":
                report(ref.match, "outcome", written, subject, self.diagnostics)
            return [ref]
        if "," in text:
            pieces = [self.vocab.strategic_ref(p.strip()) for p in text.split(",") if p.strip()]
            if pieces and all(isinstance(p, StrategicRef) for p in pieces):
                return pieces  # type: ignore[return-value]
        report(ref, "outcome", written, subject, self.diagnostics)
        return []

    def _dependencies(self, actions: list[Action], records: list[SubmissionRecords]) -> None:
        by_key: dict[str, str] = {}
        for a in actions:
            by_key.setdefault(id_key(a.id), a.id)
            if a.ref:
                by_key.setdefault(id_key(a.ref), a.id)
        raw_by_loc = {(rec.path, raw.location): raw for rec in records for raw in rec.actions}
        for a in actions:
            raw = raw_by_loc.get((a.source.path, a.source))
            if raw is None:
                continue
            for w in raw.depends:
                for piece in [p.strip() for p in tidy(w.text).split(",") if p.strip()]:
                    target = by_key.get(id_key(piece)) or by_key.get(id_key(f"{(a.submitted_by or '')}-{piece}"))
                    if target and target != a.id:
                        a.depends_on.append(target)
                    elif not target:
                        self.diagnostics.append(emit("R010", f"'depends on' names '{piece}', which no action has as its reference",
                                                     subject=f"action:{a.id}", location=w.location))
            a.depends_on = dedupe(a.depends_on)


def _same_action(a: RawAction, b: RawAction) -> bool:
    """Two rows that say the same thing in every field the plan uses."""
    def key(raw: RawAction) -> tuple:
        texts = lambda ws: tuple(normal(w.text) for w in ws)  # noqa: E731
        return (normal(raw.text), raw.section, texts(raw.outcome_refs), texts(raw.lead), texts(raw.partners),
                texts(raw.strategies), texts(raw.indicators), texts(raw.places), texts(raw.depends),
                tuple((normal(m.text), m.due) for m in raw.milestones), normal(raw.timescale or ""))
    return key(a) == key(b)


def _indicator_signature(raw: RawIndicator) -> tuple:
    return (normal(raw.name or ""), normal(raw.definition or ""),
            raw.baseline[1].number if raw.baseline else None,
            tuple(v.number for _, v in raw.targets))


def resolve(records: list[SubmissionRecords], vocab: Vocabulary) -> Plan:
    return Resolver(vocab).resolve(records)


def _front_matter(records: list[SubmissionRecords]) -> SubmissionRecords | None:
    """The narrative document whose body is the plan's front matter: the first by path, if any."""
    return next((rec for rec in records if "narrative" in rec.kinds and rec.readable
                 and rec.path.lower().endswith((".docx", ".docm"))), None)
