"""Cross-checks of a loaded rule set: IDs unique and well formed, every reference to an outcome,
partner or place known, ID patterns that compile, thresholds in range, diagnostic codes that
exist, topics that say something. Each problem names the file and key, with the value meant.
"""

from __future__ import annotations

import difflib
import re

from .ruleset import Rules, _Problems


def _dangling(problems: _Problems, file: str, key: str, value: str, known: list[str], what: str) -> None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    problems.add(file, key, f"names {what} '{value}', which is not defined{hint}")


def check_integrity(rules: Rules, problems: _Problems) -> None:
    """Cross-references inside the rules. Each check runs on what converted, so that every
    problem is reported in one go; a section that failed to convert was reported already."""
    for step in (_check_ids, _check_links, _check_patterns, _check_settings, _check_codes, _check_topics):
        try:
            step(rules, problems)
        except (AttributeError, TypeError):
            continue


def _check_ids(rules: Rules, problems: _Problems) -> None:
    if rules.period and rules.period.end <= rules.period.start:
        problems.add("system.toml", "period", "end must be after start")
    deadline = rules.system.submission_deadline if rules.system else None
    if deadline is not None and rules.period and deadline >= rules.period.end:
        problems.add("system.toml", "system.submission_deadline",
                     f"is {deadline.isoformat()}, not before the plan period ends ({rules.period.end.isoformat()})")
    if rules.system and rules.system.contact != rules.system.contact.strip():
        problems.add("system.toml", "system.contact", "has spaces at its start or end")
    place_ids = [p.id for p in rules.places]
    type_ids = [t.id for t in rules.partner_types]
    for kind, ids in (("outcome", [o.id for o in rules.outcomes] + [p.id for o in rules.outcomes for p in o.priorities]
                                  + [e.id for e in rules.enablers]),
                      ("partner", [p.id for p in rules.partners]), ("place", place_ids),
                      ("partner type", type_ids)):
        seen: set[str] = set()
        for item in ids:
            if item in seen:
                problems.add({"outcome": "outcomes.toml", "partner": "partners.toml", "place": "places.toml",
                              "partner type": "partners.toml"}[kind], item, f"duplicate {kind} ID '{item}'")
            seen.add(item)
    numbers = [o.number for o in rules.outcomes if o]
    if len(set(numbers)) != len(numbers):
        problems.add("outcomes.toml", "outcome.number", "two outcomes share a number")


def _check_links(rules: Rules, problems: _Problems) -> None:
    place_ids = [p.id for p in rules.places if p]
    type_ids = [t.id for t in rules.partner_types if t]
    for i, p in enumerate(rules.partners):
        if p.place not in place_ids:
            _dangling(problems, "partners.toml", f"partner[{i}].place ({p.id})", p.place, place_ids, "place")
        if p.type not in type_ids:
            _dangling(problems, "partners.toml", f"partner[{i}].type ({p.id})", p.type, type_ids, "partner type")
    for i, p in enumerate(rules.places):
        if p.parent is not None and p.parent not in place_ids:
            _dangling(problems, "places.toml", f"place[{i}].parent ({p.id})", p.parent, place_ids, "place")
    for i, s in enumerate(rules.strategies):
        if s.owner is not None and rules.partner(s.owner) is None:
            _dangling(problems, "strategies.toml", f"strategy[{i}].owner", s.owner, [p.id for p in rules.partners], "partner")


def _check_patterns(rules: Rules, problems: _Problems) -> None:
    valid = True
    for kind in ("outcome", "priority", "enabler", "indicator"):
        pattern = getattr(rules.references.ids, kind)
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.add("references.toml", f"ids.{kind}", f"is not a valid regular expression: {exc}")
            valid = valid and kind != "priority"
    if not valid:  # the priority IDs cannot be checked against a pattern that does not compile
        return
    for o in rules.outcomes:
        for p in o.priorities:
            m = re.match(rules.references.ids.priority, p.id.upper())
            if m is None:
                problems.add("outcomes.toml", p.id, "does not match references.toml ids.priority")


def _check_settings(rules: Rules, problems: _Problems) -> None:
    for code, severity in rules.checks.severity.items():
        if severity not in ("error", "warning", "info"):
            problems.add("checks.toml", f"checks.severity.{code}", f"should be error, warning or info, not '{severity}'")
    for name in ("fuzzy_accept", "fuzzy_suggest", "heading_match", "header_match", "near_duplicate_actions",
                 "same_action"):
        value = getattr(rules.thresholds, name)
        if not 0 <= value <= 100:
            problems.add("checks.toml", f"thresholds.{name}", f"should be between 0 and 100, not {value}")


def _code_hint(value: str) -> str:
    from .codes import similar_codes

    close = similar_codes(value, limit=1)
    return f"; did you mean '{close[0]}'?" if close else " ('sdp explain' lists the codes)"


def _check_codes(rules: Rules, problems: _Problems) -> None:
    """Every code or prefix the checks settings name must name at least one code in the code table:
    a typo (`ignore = ["D11"]`, `C0O4 = "error"`) would otherwise switch nothing on or off."""
    from .codes import all_codes, is_code, matches_any

    def prefix(key: str, value: object) -> None:
        if isinstance(value, str) and not matches_any(value):
            problems.add("checks.toml", key, f"'{value}' matches no diagnostic code{_code_hint(value)}")

    for name in ("select", "ignore"):
        for i, value in enumerate(getattr(rules.checks, name)):
            prefix(f"checks.{name}[{i}]", value)
    for code in rules.checks.severity:
        if is_code(code):
            continue
        if code and matches_any(code):
            first = next(c.code for c in all_codes() if c.code.startswith(code))
            problems.add("checks.toml", f"checks.severity.{code}",
                         f"is a prefix, but a severity is set per code (for example '{first}')")
        else:
            problems.add("checks.toml", f"checks.severity.{code}", f"is not a diagnostic code{_code_hint(code)}")
    for pattern, codes in rules.checks.per_file_ignores.items():
        for i, value in enumerate(codes):
            prefix(f'checks.per_file_ignores."{pattern}"[{i}]', value)


def _check_topics(rules: Rules, problems: _Problems) -> None:
    """A topic needs a name and terms that still say something once normalised; a term in two topics
    would make `--topic TERM` ambiguous, so it is reported (topic words are matched whole, see extract.py)."""
    from .text import normal

    owner: dict[str, str] = {}
    for i, topic in enumerate(rules.topics):
        if not topic.name.strip():
            problems.add("topics.toml", f"topic[{i}].name", "is empty")
        if not topic.terms:
            problems.add("topics.toml", f"topic[{i}].terms", f"topic '{topic.name}' lists no terms")
        for j, term in enumerate(topic.terms):
            key = normal(term.rstrip("*"))
            if not key:
                problems.add("topics.toml", f"topic[{i}].terms[{j}]", f"'{term}' has no letters or digits")
            elif "*" in term.rstrip("*"):
                problems.add("topics.toml", f"topic[{i}].terms[{j}]", f"'{term}': '*' may only end a term")
            elif key in owner and owner[key] != topic.name:
                problems.add("topics.toml", f"topic[{i}].terms[{j}]",
                             f"'{term}' is also a term of topic '{owner[key]}'")
            else:
                owner[key] = topic.name
