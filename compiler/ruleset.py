"""Load and validate a rules folder.

Everything specific to one health and care system lives in its rules folder:
outcomes, partners, places, header synonyms, reference shapes, check
settings and limits. The loader checks every key and type against the
dataclasses below and every ID that points at another, and reports all
problems at once, naming the file, the key and, where close, the key meant.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from pathlib import Path


class RulesError(Exception):
    """The rules folder cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class SystemInfo:
    name: str
    plan_title: str
    short_name: str = ""
    strategy_title: str = ""
    publisher: str = ""
    language: str = "en-GB"
    # For the partner guidance and submission templates (`sdp templates`): when returns are due and
    # whom partners ask or send them to.
    submission_deadline: date | None = None
    contact: str = ""


@dataclass(frozen=True)
class FrontMatter:
    """How the optional narrative document (introduction, foreword) is recognised among the inputs."""

    names: list[str] = field(default_factory=lambda: ["front matter", "introduction", "foreword", "narrative"])


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    id: str
    number: int
    title: str
    aliases: list[str] = field(default_factory=list)
    priority: list[Priority] = field(default_factory=list)

    @property
    def priorities(self) -> list[Priority]:
        return self.priority


@dataclass(frozen=True)
class Enabler:
    id: str
    title: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PartnerType:
    id: str
    label: str
    business: bool = False


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    type: str
    place: str
    aliases: list[str] = field(default_factory=list)
    expected: bool = False


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    type: str
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StrategyAlias:
    name: str
    aliases: list[str] = field(default_factory=list)
    owner: str | None = None


@dataclass(frozen=True)
class IdShapes:
    outcome: str
    priority: str
    enabler: str
    indicator: str
    outcome_number_words: list[str] = field(default_factory=lambda: ["outcome"])


@dataclass(frozen=True)
class ValueMarks:
    suppression_marks: list[str] = field(default_factory=list)
    percent_units: list[str] = field(default_factory=lambda: ["%"])


@dataclass(frozen=True)
class StatusWords:
    complete: list[str] = field(default_factory=list)
    indicator_in_development: list[str] = field(default_factory=list)
    strategy_statuses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PolarityWords:
    higher: list[str] = field(default_factory=list)
    lower: list[str] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class References:
    ids: IdShapes
    values: ValueMarks = field(default_factory=ValueMarks)
    status: StatusWords = field(default_factory=StatusWords)
    polarity: PolarityWords = field(default_factory=PolarityWords)


@dataclass(frozen=True)
class CheckSelection:
    select: list[str] = field(default_factory=lambda: ["I", "R", "C", "D"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    fuzzy_accept: int = 88
    fuzzy_suggest: int = 60
    fuzzy_ambiguity_margin: int = 3
    heading_match: int = 85
    header_match: int = 90
    baseline_max_age_years: int = 4
    near_duplicate_actions: int = 92
    max_suggestions: int = 4
    same_action: int = 85  # sdp diff: an action re-worded or re-numbered is the same action at this similarity


@dataclass(frozen=True)
class Topic:
    """Words that name one agenda topic (`sdp extract --topic`): asking for any term finds them all."""

    name: str
    terms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 2**20
    max_total_uncompressed_bytes: int = 250 * 2**20
    max_member_uncompressed_bytes: int = 150 * 2**20
    max_compression_ratio: int = 200
    max_members: int = 5000
    max_xml_depth: int = 256
    max_sheet_cells: int = 2_000_000
    max_seconds_per_file: int = 60


# Fields each kind of table may name in headers.toml: the compiler's vocabulary, not a system's.
HEADER_FIELDS: dict[str, set[str]] = {
    "metadata": {"partner", "contact", "date", "version", "status", "title", "period"},
    "action": {"ref", "action", "outcome", "lead", "partners", "strategy", "milestones", "timescale",
               "indicators", "place", "depends", "status"},
    "strategy": {"name", "owner", "status", "period", "link", "outcomes"},
    "logframe": {"id", "outcome", "name", "definition", "unit", "polarity", "baseline", "baseline_period",
                 "target", "latest", "latest_period", "source", "frequency", "owner", "status", "rationale",
                 "target_prefixes", "trend_groups"},
    "data_update": {"indicator", "period", "value", "geography", "name"},
    "inline": {"lead", "partners", "strategy", "indicators", "milestones", "place", "timescale", "status",
               "depends", "ref"},
}


@dataclass(frozen=True)
class Rules:
    folder: Path
    system: SystemInfo
    period: Period
    outcomes: list[Outcome]
    enablers: list[Enabler]
    partner_types: list[PartnerType]
    partners: list[Partner]
    places: list[Place]
    headers: dict[str, dict[str, list[str]]]
    references: References
    checks: CheckSelection
    thresholds: Thresholds
    limits: Limits
    strategies: list[StrategyAlias]
    digest: str
    reference_docx: Path | None = None
    front_matter: FrontMatter = field(default_factory=FrontMatter)
    topics: list[Topic] = field(default_factory=list)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def partner(self, partner_id: str) -> Partner | None:
        return self._partners_by_id().get(partner_id)

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def partner_type(self, type_id: str) -> PartnerType | None:
        return next((t for t in self.partner_types if t.id == type_id), None)

    def _partners_by_id(self) -> dict[str, Partner]:
        cache = self.__dict__.get("_partner_index")
        if cache is None:
            cache = {p.id: p for p in self.partners}
            object.__setattr__(self, "_partner_index", cache)
        return cache

    def priority_outcome(self) -> dict[str, str]:
        return {p.id: o.id for o in self.outcomes for p in o.priorities}


# --------------------------------------------------------------------------- conversion

class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: str, key: str, message: str) -> None:
        self.items.append(f"{file}: {key}: {message}" if key else f"{file}: {message}")


def _type_name(tp: object) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return f"a list of {_type_name(typing.get_args(tp)[0])}s"
    if origin is dict:
        return "a table"
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        return "a table"
    return {str: "text", int: "a whole number", bool: "true or false", date: "a date (YYYY-MM-DD)",
            float: "a number"}.get(tp, str(tp))  # type: ignore[arg-type]


def _convert(tp: object, value: object, file: str, key: str, problems: _Problems) -> object:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(args[0], value, file, key, problems)
    if origin is list:
        if not isinstance(value, list):
            problems.add(file, key, f"should be {_type_name(tp)}, not {type(value).__name__}")
            return []
        (item_tp,) = typing.get_args(tp)
        return [_convert(item_tp, v, file, f"{key}[{i}]", problems) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            problems.add(file, key, f"should be a table, not {type(value).__name__}")
            return {}
        _, val_tp = typing.get_args(tp)
        return {k: _convert(val_tp, v, file, f"{key}.{k}", problems) for k, v in value.items()}
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        if not isinstance(value, dict):
            problems.add(file, key, f"should be a table, not {type(value).__name__}")
            return None
        return _build(tp, value, file, key, problems)
    if tp is bool:
        if not isinstance(value, bool):
            problems.add(file, key, f"should be true or false, not {value!r}")
        return bool(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.add(file, key, f"should be a whole number, not {value!r}")
            return 0
        return value
    if tp is date:
        if not isinstance(value, date):
            problems.add(file, key, f"should be a date written YYYY-MM-DD without quotes, not {value!r}")
            return date(1970, 1, 1)
        return value
    if tp is str:
        if not isinstance(value, str):
            problems.add(file, key, f"should be text, not {value!r}")
            return str(value)
        return value
    return value


def _build(cls: type, data: dict, file: str, prefix: str, problems: _Problems):
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(sorted(known))})"
            problems.add(file, f"{prefix}.{key}".lstrip("."), f"unknown key{hint}")
    kwargs = {}
    for f in fields(cls):
        path = f"{prefix}.{f.name}".lstrip(".")
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], file, path, problems)
        elif f.default is MISSING and f.default_factory is MISSING:  # type: ignore[misc]
            problems.add(file, path, "is required")
            kwargs[f.name] = None
    try:
        return cls(**kwargs)
    except TypeError as exc:  # pragma: no cover - guarded by the checks above
        problems.add(file, prefix, str(exc))
        return None


def _section(doc: dict, name: str, cls: type, file: str, problems: _Problems, required: bool = True):
    if name not in doc:
        if required:
            problems.add(file, name, "is required")
            return None
        return cls()
    return _convert(cls, doc[name], file, name, problems)


def _check_top_keys(doc: dict, allowed: set[str], file: str, problems: _Problems) -> None:
    for key in doc:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f" (expected: {', '.join(sorted(allowed))})"
            problems.add(file, key, f"unknown key{hint}")


RULE_FILES = ("system.toml", "outcomes.toml", "partners.toml", "places.toml", "headers.toml",
              "references.toml", "checks.toml", "limits.toml", "strategies.toml", "topics.toml")


def load_rules(folder: Path | str) -> Rules:
    """Read and validate every rules file in `folder`; raise RulesError listing all problems."""
    folder = Path(folder)
    problems = _Problems()
    if not folder.is_dir():
        raise RulesError([f"{folder}: the rules folder does not exist"])
    docs: dict[str, dict] = {}
    digest = hashlib.sha256()
    for name in RULE_FILES:
        path = folder / name
        if not path.is_file():
            if name in ("strategies.toml", "limits.toml", "checks.toml", "topics.toml"):
                docs[name] = {}
                continue
            problems.add(name, "", "is missing from the rules folder")
            docs[name] = {}
            continue
        raw = path.read_bytes()
        digest.update(name.encode() + b"\0" + raw + b"\0")
        try:
            docs[name] = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.add(name, "", f"is not valid TOML: {exc}")
            docs[name] = {}
    if problems.items:
        raise RulesError(problems.items)

    sysdoc, outdoc, partdoc, placedoc = docs["system.toml"], docs["outcomes.toml"], docs["partners.toml"], docs["places.toml"]
    _check_top_keys(sysdoc, {"system", "period", "reference_docx", "front_matter"}, "system.toml", problems)
    _check_top_keys(outdoc, {"outcome", "enabler"}, "outcomes.toml", problems)
    _check_top_keys(partdoc, {"partner", "partner_type"}, "partners.toml", problems)
    _check_top_keys(placedoc, {"place"}, "places.toml", problems)
    _check_top_keys(docs["references.toml"], {"ids", "values", "status", "polarity"}, "references.toml", problems)
    _check_top_keys(docs["checks.toml"], {"checks", "thresholds"}, "checks.toml", problems)
    _check_top_keys(docs["limits.toml"], {"limits"}, "limits.toml", problems)
    _check_top_keys(docs["strategies.toml"], {"strategy"}, "strategies.toml", problems)
    _check_top_keys(docs["headers.toml"], set(HEADER_FIELDS), "headers.toml", problems)
    _check_top_keys(docs["topics.toml"], {"topic"}, "topics.toml", problems)

    system = _section(sysdoc, "system", SystemInfo, "system.toml", problems)
    period = _section(sysdoc, "period", Period, "system.toml", problems)
    front_matter = _section(sysdoc, "front_matter", FrontMatter, "system.toml", problems, required=False)
    outcomes = _convert(list[Outcome], outdoc.get("outcome", []), "outcomes.toml", "outcome", problems)
    enablers = _convert(list[Enabler], outdoc.get("enabler", []), "outcomes.toml", "enabler", problems)
    partner_types = _convert(list[PartnerType], partdoc.get("partner_type", []), "partners.toml", "partner_type", problems)
    partners = _convert(list[Partner], partdoc.get("partner", []), "partners.toml", "partner", problems)
    places = _convert(list[Place], placedoc.get("place", []), "places.toml", "place", problems)
    references = _section(docs["references.toml"], "ids", IdShapes, "references.toml", problems)
    refs = References(
        ids=references,
        values=_section(docs["references.toml"], "values", ValueMarks, "references.toml", problems, required=False),
        status=_section(docs["references.toml"], "status", StatusWords, "references.toml", problems, required=False),
        polarity=_section(docs["references.toml"], "polarity", PolarityWords, "references.toml", problems, required=False),
    )
    checks = _section(docs["checks.toml"], "checks", CheckSelection, "checks.toml", problems, required=False)
    thresholds = _section(docs["checks.toml"], "thresholds", Thresholds, "checks.toml", problems, required=False)
    limits = _section(docs["limits.toml"], "limits", Limits, "limits.toml", problems, required=False)
    strategies = _convert(list[StrategyAlias], docs["strategies.toml"].get("strategy", []), "strategies.toml", "strategy", problems)
    headers = _load_headers(docs["headers.toml"], problems)
    topics = _convert(list[Topic], docs["topics.toml"].get("topic", []), "topics.toml", "topic", problems)

    reference_docx = None
    if "reference_docx" in sysdoc:
        if not isinstance(sysdoc["reference_docx"], str):
            problems.add("system.toml", "reference_docx", "should be text (a path relative to the rules folder)")
        else:
            reference_docx = folder / sysdoc["reference_docx"]
            if not reference_docx.is_file():
                problems.add("system.toml", "reference_docx", f"names '{sysdoc['reference_docx']}', which does not exist")

    rules = Rules(folder, system, period, outcomes, enablers, partner_types, partners, places, headers, refs,
                  checks, thresholds, limits, strategies, digest.hexdigest(), reference_docx, front_matter, topics)
    _check_integrity(rules, problems)
    if problems.items:
        raise RulesError(problems.items)
    return rules


def _load_headers(doc: dict, problems: _Problems) -> dict[str, dict[str, list[str]]]:
    headers: dict[str, dict[str, list[str]]] = {}
    for kind, allowed in HEADER_FIELDS.items():
        section = doc.get(kind, {})
        if not isinstance(section, dict):
            problems.add("headers.toml", kind, "should be a table of field = [synonyms]")
            continue
        for key, value in section.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f" (known fields: {', '.join(sorted(allowed))})"
                problems.add("headers.toml", f"{kind}.{key}", f"unknown field{hint}")
            elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.add("headers.toml", f"{kind}.{key}", "should be a list of text")
        headers[kind] = {k: list(v) for k, v in section.items() if k in allowed and isinstance(v, list)}
    return headers


def _dangling(problems: _Problems, file: str, key: str, value: str, known: list[str], what: str) -> None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    problems.add(file, key, f"names {what} '{value}', which is not defined{hint}")


def _check_integrity(rules: Rules, problems: _Problems) -> None:
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
