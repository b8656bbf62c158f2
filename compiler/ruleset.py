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
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from pathlib import Path

from .text import normal


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


ACTION_STATUSES = ("complete", "on track", "delayed", "not started")


@dataclass(frozen=True)
class StatusWords:
    """Status words (references.toml [status]). An action's status, as a partner writes it in a
    Status, RAG or Progress column or an inline `Status:` field, falls in one of ACTION_STATUSES by
    `action_status`."""
    complete: list[str] = field(default_factory=list)
    on_track: list[str] = field(default_factory=list)
    delayed: list[str] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)
    indicator_in_development: list[str] = field(default_factory=list)
    strategy_statuses: list[str] = field(default_factory=list)

    def action_status(self, written: str | None) -> str | None:
        """The category of a written status (`Amber – recruitment behind` -> "delayed"), or None:
        the word it is or starts with, the longest such word of any category winning (so `not
        started` is not `started`)."""
        text = normal(written or "")
        best: tuple[int, str] | None = None
        for category, words in self._status_words():
            for word in words:
                starts = len(word) > 1 and text.startswith(word + " ")      # a lone letter (RAG "A") only whole
                if word and (text == word or starts) and (best is None or len(word) > best[0]):
                    best = (len(word), category)
        return best[1] if best else None

    def _status_words(self) -> list[tuple[str, list[str]]]:
        """Each category's words, normalised once (every action's status is classified)."""
        cached = self.__dict__.get("_normal_words")
        if cached is None:
            cached = [(category, [normal(w) for w in words]) for category, words in
                      zip(ACTION_STATUSES, (self.complete, self.on_track, self.delayed, self.not_started))]
            object.__setattr__(self, "_normal_words", cached)
        return cached


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
class ProgressRules:
    """How progress against target is judged (compiler.progress).

    `amber_tolerance`: how far behind the target's trajectory, as a share of the baseline-to-target
    gap, an indicator may be and still be amber (0.1: ten per cent of the gap); on or ahead is green.
    `no_change_tolerance`: a change no larger than this share of the earlier value is "no change".
    """

    amber_tolerance: float = 0.1
    no_change_tolerance: float = 0.01


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
    progress: ProgressRules = field(default_factory=ProgressRules)

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
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.add(file, key, f"should be a number, not {value!r}")
            return 0.0
        return float(value)
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
    _check_top_keys(docs["checks.toml"], {"checks", "thresholds", "progress"}, "checks.toml", problems)
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
    progress = _section(docs["checks.toml"], "progress", ProgressRules, "checks.toml", problems, required=False)
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
                  checks, thresholds, limits, strategies, digest.hexdigest(), reference_docx, front_matter, topics, progress)
    from .rules_integrity import check_integrity

    check_integrity(rules, problems)
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
