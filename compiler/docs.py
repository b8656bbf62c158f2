"""The generated parts of the user documentation in docs/, rendered from the code itself.

Like a linter whose rule pages are generated from its rule definitions, the
pages that list things the compiler defines are rendered here, so they cannot
drift from it:

- the diagnostics reference (docs/diagnostics.md, all of it) from the code
  table, compiler.codes; `sdp explain --format markdown` prints it;
- the header synonyms a partner may write, per kind of table, from a rules
  folder's headers.toml (docs/writing-a-submission.md);
- the keys of every rules file, their types and defaults, from the loader's
  dataclasses in compiler.ruleset (docs/configuring.md, docs/security.md).

Hand-written pages hold generated sections between two markers,

    <!-- generated: rules-keys -->
    ...
    <!-- end generated -->

which `sync_page` rewrites. tests/test_docs.py fails when a committed page
differs from what this module renders, and rewrites the pages with
`pytest tests/test_docs.py --update-snapshots`.
"""

from __future__ import annotations

import re
import typing
from dataclasses import MISSING, fields, is_dataclass
from datetime import date
from pathlib import Path

from . import ruleset as rs
from .codes import PREFIXES, CodeInfo, all_codes

BEGIN = "<!-- generated: {name} -->"
END = "<!-- end generated -->"
_SECTION = re.compile(r"<!-- generated: (?P<name>[a-z0-9-]+) -->\n.*?<!-- end generated -->", re.S)
_PARTS = ("What it finds", "Why it matters", "How to fix it")


def family_title(prefix: str) -> str:
    """'D' -> 'Data quality': the heading of a family of codes."""
    return PREFIXES[prefix][:1].upper() + PREFIXES[prefix][1:]


def md_text(text: str) -> str:
    """Prose from the code table made safe in Markdown: no raw HTML, no stray emphasis or pipes
    (code spans, between backticks, are kept as they are)."""
    parts = " ".join(text.split()).split("`")
    return "`".join(p if i % 2 else re.sub(r"([<>|*_\\])", r"\\\1", p) for i, p in enumerate(parts))


def _cell(text: str) -> str:
    """Text in a Markdown table cell: a pipe, even in a code span, would end the cell."""
    return text.replace("|", "\\|")


# --------------------------------------------------------------------------- diagnostics reference

def explanation_parts(info: CodeInfo) -> list[tuple[str, str]]:
    """The explanation split into (What it finds | Why it matters | How to fix it, text); an
    explanation written otherwise is one part with an empty label."""
    pattern = re.compile(r"^(" + "|".join(map(re.escape, _PARTS)) + r"):\s*", re.M)
    pieces = pattern.split(info.explanation)
    if len(pieces) < 3 or pieces[0].strip():
        return [("", info.explanation)]
    return [(pieces[i], pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2)]


def code_markdown(info: CodeInfo) -> str:
    """One code's entry: a heading (its anchor is the code in lower case), severity, summary, what/why/fix."""
    lines = [f"### {info.code}", "", f"**{md_text(info.summary)}** · default severity: *{info.severity.value}*", ""]
    for label, text in explanation_parts(info):
        lines.append(f"- **{label}:** {md_text(text)}" if label else md_text(text))
    return "\n".join(lines) + "\n"


def diagnostics_markdown(codes: list[CodeInfo] | None = None) -> str:
    """The diagnostics reference page: every code, grouped by family, each family with a summary table."""
    codes = all_codes() if codes is None else codes
    out = [
        "# Diagnostics reference",
        "",
        "<!-- Generated from compiler/codes.py by `sdp explain --format markdown`; do not edit by hand.",
        "     Regenerate: .venv/bin/python -m pytest tests/test_docs.py --update-snapshots -->",
        "",
        "Every problem the compiler reports has a stable code: a letter for its family and three digits.",
        "A code is never reused for another meaning. The terminal, the gap report, the annotated copies",
        "and the partner appendices all name the code, and `sdp explain CODE` prints its entry below.",
        "",
        "The severity shown is the default. `error` stops the plan being final (it is marked *Draft*",
        "and `sdp compile` exits 1); `warning` is a gap to look at; `info` is for the record (shown by",
        "`sdp check -v` and in the gap report). A system can change a code's severity, or switch codes",
        "off, in `rules/checks.toml` (see [Configuring another system](configuring.md#checkstoml));",
        "`--strict` makes every warning an error.",
        "",
    ]
    present = [p for p in PREFIXES if any(c.code.startswith(p) for c in codes)]
    out += [f"- [{p}: {family_title(p)}](#{p.lower()}-{PREFIXES[p].replace(' ', '-')})" for p in present]
    out.append("")
    for prefix in present:
        family = [c for c in codes if c.code.startswith(prefix)]
        out += [f"## {prefix}: {family_title(prefix)}", "", "| code | severity | summary |", "| --- | --- | --- |"]
        out += [f"| [{c.code}](#{c.code.lower()}) | {c.severity.value} | {md_text(c.summary)} |" for c in family]
        out.append("")
        for c in family:
            out.append(code_markdown(c))
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- header synonyms

# What each field of each kind of table holds: the compiler's vocabulary (ruleset.HEADER_FIELDS).
TABLE_KINDS: dict[str, str] = {
    "metadata": "Who submitted a Word contribution: a two-column table or `Key: value` lines at the top",
    "action": "Actions: a table in a Word contribution, or a sheet of an action tracker",
    "inline": "Fields written after a bulleted action, as `Label: value` (in brackets or after a dash)",
    "strategy": "Strategies and plans: a strategies table in Word, or a strategy register sheet",
    "logframe": "Logframe indicators: a sheet of the logframe matrix",
    "data_update": "Indicator data updates: a long-format sheet (one value per row)",
}
FIELD_NOTES: dict[str, str] = {
    "metadata.partner": "the submitting partner, by name or alias in partners.toml",
    "metadata.contact": "a contact, kept with the submission",
    "metadata.date": "the date of the submission, kept as written",
    "metadata.version": "the version, kept as written",
    "metadata.status": "the document's status, kept as written",
    "metadata.title": "the document's title",
    "metadata.period": "the period it covers, kept as written",
    "action.ref": "the action's own reference (one is made up when there is none)",
    "action.action": "the action itself: a table needs this column to be an actions table",
    "action.outcome": "the outcome, priority or enabler (ID, number or title); needed outside an outcome section",
    "action.lead": "the lead organisation; blank means no lead (C005), never the submitter",
    "action.partners": "supporting partners",
    "action.strategy": "the strategies or plans it is delivered through",
    "action.milestones": "milestones, one per line, each with a date",
    "action.timescale": "the overall timescale, kept as written",
    "action.indicators": "the logframe indicators that measure it, by ID or name",
    "action.place": "where it happens: the whole system, an HCP or locality, a district",
    "action.depends": "other actions it depends on, by their reference",
    "action.status": "progress: complete, on track, delayed, not started (RAG colours too)",
    "inline.lead": "as the actions table's lead",
    "inline.partners": "as the actions table's partners",
    "inline.strategy": "as the actions table's strategy",
    "inline.indicators": "as the actions table's indicators",
    "inline.milestones": "a milestone date (sub-bullets under the action are milestones too)",
    "inline.place": "as the actions table's place",
    "inline.timescale": "as the actions table's timescale",
    "inline.status": "as the actions table's status",
    "inline.depends": "as the actions table's depends on",
    "inline.ref": "the action's reference",
    "strategy.name": "the strategy's name; `Name (ABBR)` also registers ABBR",
    "strategy.owner": "the organisation that owns it",
    "strategy.status": "published, in development, refresh due…, kept as written",
    "strategy.period": "the years it covers",
    "strategy.link": "where to read it",
    "strategy.outcomes": "the outcomes it serves, by ID",
    "logframe.id": "the indicator's ID (the shape is set in references.toml)",
    "logframe.outcome": "the outcome it measures (else taken from the sheet's name or title)",
    "logframe.name": "the indicator's name",
    "logframe.definition": "how it is calculated",
    "logframe.unit": "%, rate per 100,000, count, years…",
    "logframe.polarity": "whether higher or lower is better (words in references.toml)",
    "logframe.baseline": "the starting value, optionally with its period: `62.3% (2022/23)`",
    "logframe.baseline_period": "the period of the baseline",
    "logframe.target": "a target; `Target 2025/26` names its period",
    "logframe.latest": "the most recent value",
    "logframe.latest_period": "the period of the most recent value",
    "logframe.source": "where the figures come from",
    "logframe.frequency": "how often it is updated",
    "logframe.owner": "who keeps it up to date",
    "logframe.status": "agreed, or in development / awaiting sign-off (D006)",
    "logframe.rationale": "why this measure and this ambition",
    "logframe.target_prefixes": "not a column: a header starting with one of these and naming a period is a target for that period",
    "logframe.trend_groups": "not a column: a group heading over period columns (`2019/20`, `2020/21`…) that hold the trend",
    "data_update.indicator": "the indicator's ID",
    "data_update.period": "the period of the value",
    "data_update.value": "the value",
    "data_update.geography": "the area; the system's own name (or alias) is the system value",
    "data_update.name": "the indicator's name, for the reader's benefit",
}


def header_synonyms_markdown(headers: dict[str, dict[str, list[str]]]) -> str:
    """A table per kind of table: field, what it holds, the headers accepted for it (from headers.toml)."""
    out = []
    for kind, allowed in rs.HEADER_FIELDS.items():
        names = headers.get(kind, {})
        out += [f"#### {TABLE_KINDS[kind]} (`[{kind}]`)", "", "| field | what it holds | headers accepted |",
                "| --- | --- | --- |"]
        for field_name in [f for f in names if f in allowed] + sorted(f for f in allowed if f not in names):
            words = ", ".join("`" + w.replace("|", "\\|") + "`" for w in names.get(field_name, [])) or "*(none)*"
            out.append(f"| `{field_name}` | {_cell(FIELD_NOTES[f'{kind}.{field_name}'])} | {words} |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- dates and values

DATE_EXAMPLES = ("31/03/2025", "1/10/2024", "2025-03-31", "1 April 2025", "March 2025", "Mar-25", "Sept 2025",
                 "Q2 2025/26", "Q1 2026", "2025/26", "FY 2025-26", "Pilot launched – March 2025", "Spring 2025",
                 "TBC")
# (as written, whether the cell is formatted as a percentage)
VALUE_EXAMPLES: tuple[tuple[object, bool], ...] = (
    ("62.3%", False), (0.623, True), (14.2, False), ("1,234", False), ("12.5 per 1,000", False),
    ("71.5% (2022/23)", False), ("*", False), ("n/a", False), ("about 60", False))


def date_forms_markdown() -> str:
    """How milestone dates are read: each example through the readers' own parser (compiler.values)."""
    from .values import looks_like_date, parse_due

    out = ["| written | read as |", "| --- | --- |"]
    for text in DATE_EXAMPLES:
        due = parse_due(text)
        if due is not None:
            meaning = f"{due.day} {due.strftime('%B %Y')}"
        else:
            meaning = "no date: kept as text" + (" and reported (I008)" if looks_like_date(text) else "")
        out.append(f"| `{text}` | {meaning} |")
    return "\n".join(out) + "\n"


def value_forms_markdown(suppression_marks: list[str]) -> str:
    """How indicator values are read: each example through the readers' own parser (compiler.values)."""
    from .values import parse_value

    out = ["| in the cell | read as |", "| --- | --- |"]
    for raw, percent in VALUE_EXAMPLES:
        v = parse_value(raw, percent_format=percent, suppression_marks=suppression_marks)
        written = f"`{raw}`" + (" formatted as a percentage" if percent else "")
        if v.number is not None:
            meaning = f"{v.number}" + (f", unit `{v.unit}`" if v.unit else "") + (f", period {v.period}" if v.period else "")
        elif v.mark:
            meaning = "missing on purpose (a suppression mark, recorded)"
        else:
            meaning = "not a number: kept as text, treated as missing and reported (I008)"
        out.append(f"| {written} | {meaning} |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- rules keys

# Where each part of a rules folder lives: file -> (TOML name, dataclass or key type, required).
RULES_LAYOUT: dict[str, list[tuple[str, object, bool]]] = {
    "system.toml": [("[system]", rs.SystemInfo, True), ("[period]", rs.Period, True),
                    ("reference_docx", str, False), ("[front_matter]", rs.FrontMatter, False)],
    "outcomes.toml": [("[[outcome]]", rs.Outcome, False), ("[[enabler]]", rs.Enabler, False)],
    "partners.toml": [("[[partner_type]]", rs.PartnerType, False), ("[[partner]]", rs.Partner, False)],
    "places.toml": [("[[place]]", rs.Place, False)],
    "headers.toml": [(f"[{kind}]", dict, False) for kind in rs.HEADER_FIELDS],
    "references.toml": [("[ids]", rs.IdShapes, True), ("[values]", rs.ValueMarks, False),
                        ("[status]", rs.StatusWords, False), ("[polarity]", rs.PolarityWords, False)],
    "checks.toml": [("[checks]", rs.CheckSelection, False), ("[thresholds]", rs.Thresholds, False),
                    ("[progress]", rs.ProgressRules, False)],
    "limits.toml": [("[limits]", rs.Limits, False)],
    "strategies.toml": [("[[strategy]]", rs.StrategyAlias, False)],
    "topics.toml": [("[[topic]]", rs.Topic, False)],
}
OPTIONAL_FILES = ("strategies.toml", "limits.toml", "checks.toml", "topics.toml")  # as the loader: absent means defaults

KEY_NOTES: dict[str, str] = {
    "SystemInfo.name": "the system's name, used in the documents and to recognise its own area in data updates",
    "SystemInfo.plan_title": "the plan's title: the title page and the title property of every document",
    "SystemInfo.short_name": "a short form of the name (an abbreviation), also recognised as the system's area",
    "SystemInfo.strategy_title": "the strategy the plan delivers: the plan's subtitle and document subject",
    "SystemInfo.publisher": "who publishes the plan: on the title page and as the documents' author",
    "SystemInfo.language": "the documents' language tag (for screen readers, A007)",
    "Period.start": "first day of the plan period (milestones before it: D008)",
    "Period.end": "last day of the plan period (after `start`)",
    "reference_docx": "a house-style Word document, relative to the rules folder, whose styles the documents use",
    "FrontMatter.names": "words in a file's name, title or first heading that mark the narrative (introduction) document",
    "Outcome.id": "a stable ID, of the shape `ids.outcome` in references.toml",
    "Outcome.number": "its number, so that `Outcome 3` or `Shared outcome three` names it",
    "Outcome.title": "its title, as the plan prints it; a close spelling is accepted",
    "Outcome.aliases": "other names partners use for it",
    "Outcome.priority": "its priorities, each a `[[outcome.priority]]` table",
    "Priority.id": "a stable ID, of the shape `ids.priority`",
    "Priority.title": "its title",
    "Priority.aliases": "other names partners use for it",
    "Enabler.id": "a stable ID, of the shape `ids.enabler`",
    "Enabler.title": "its title (a condition for successful delivery)",
    "Enabler.aliases": "other names partners use for it",
    "PartnerType.id": "an ID that partners name in `type`",
    "PartnerType.label": "the column heading in the coverage-by-partner-type matrix",
    "PartnerType.business": "partners of this type count as business involvement (C009)",
    "Partner.id": "a stable ID: the partner's appendix is `partners/<id>.docx`",
    "Partner.name": "its registered name",
    "Partner.type": "one of the `[[partner_type]]` IDs",
    "Partner.place": "one of the places.toml IDs: where it works",
    "Partner.aliases": "abbreviations and other names (a submission naming one of them is the partner's)",
    "Partner.expected": "a missing submission from this partner is a gap (C008)",
    "Place.id": "a stable ID",
    "Place.name": "its name",
    "Place.type": "a label for its kind (the root place's type marks system-wide actions)",
    "Place.parent": "the place it lies in; the root (no parent) is the whole system, its children are the coverage columns",
    "Place.aliases": "other names partners use for it",
    "IdShapes.outcome": "a regular expression an outcome ID matches after normalisation (upper case, no spaces)",
    "IdShapes.priority": "the same, for a priority ID; every priority in outcomes.toml must match it",
    "IdShapes.enabler": "the same, for an enabler ID",
    "IdShapes.indicator": "the same, for a logframe indicator ID written in free text",
    "IdShapes.outcome_number_words": "words that introduce an outcome by number: `outcome` makes `Outcome 3` name outcome 3",
    "ValueMarks.suppression_marks": "cell contents that mean a value is missing on purpose (kept as a mark, not an error)",
    "ValueMarks.percent_units": "units that mean a percentage",
    "StatusWords.complete": "action statuses that mean complete (a passed milestone is then no D011)",
    "StatusWords.on_track": "action statuses that mean on track (`Green`); said in D011's message",
    "StatusWords.delayed": "action statuses that mean delayed (`Amber`, `Red`, `At risk`); said in D011's message",
    "StatusWords.not_started": "action statuses that mean not started; said in D011's message",
    "StatusWords.indicator_in_development": "indicator statuses that mean not final (D006)",
    "StatusWords.strategy_statuses": "the statuses strategy registers use (shown as written)",
    "StatusWords.on_track": "action statuses that mean on track (progress: green, in progress)",
    "StatusWords.delayed": "action statuses that mean delayed (progress: amber, red, at risk)",
    "StatusWords.not_started": "action statuses that mean not started (tried before the others)",
    "ProgressRules.amber_tolerance": "how far behind the target's trajectory, as a share of the baseline-to-target "
                                     "gap, a measure may be and still be amber (on or ahead is green)",
    "ProgressRules.no_change_tolerance": "direction of travel: a change no larger than this share of the earlier "
                                         "value is \"no change\"",
    "PolarityWords.higher": "polarity words meaning higher is better",
    "PolarityWords.lower": "polarity words meaning lower is better",
    "PolarityWords.neutral": "polarity words meaning no direction (no D004/D005 on it)",
    "CheckSelection.select": "code prefixes to report (`C`, `D01`, `C004`)",
    "CheckSelection.ignore": "code prefixes not to report; the longest matching prefix wins, ignore beats select at equal length",
    "CheckSelection.severity": "`CODE = \"error\" | \"warning\" | \"info\"`: a code's severity in this system",
    "CheckSelection.per_file_ignores": "`\"glob\" = [codes or prefixes]`: codes switched off for submissions whose path matches",
    "Thresholds.fuzzy_accept": "0–100: a close spelling at or above this score is accepted (and reported, R006)",
    "Thresholds.fuzzy_suggest": "0–100: candidates at or above this are offered as suggestions",
    "Thresholds.fuzzy_ambiguity_margin": "two accepted candidates within this many points are ambiguous (R005)",
    "Thresholds.heading_match": "0–100: a heading names an outcome or enabler by title at or above this",
    "Thresholds.header_match": "0–100: a table header matches a synonym at or above this",
    "Thresholds.baseline_max_age_years": "D007: a baseline older than this many years before the plan starts",
    "Thresholds.near_duplicate_actions": "D009: the similarity (0–100) of two partners' actions that flags them",
    "Thresholds.max_suggestions": "the most suggestions a diagnostic offers",
    "Thresholds.same_action": "sdp diff: the similarity (0–100) at which an action with another id or wording "
                              "is taken to be the same action, changed",
    "SystemInfo.submission_deadline": "the date returns are due, printed in the partner guidance (before the "
                                      "plan period ends)",
    "SystemInfo.contact": "who partners send returns to and ask, printed in the partner guidance",
    "Topic.name": "the topic's name, as an extract's title says it",
    "Topic.terms": "words and phrases that mean the topic; whole words on normalised text, a final * matches "
                   "any ending",
    "Limits.max_file_bytes": "the largest input file, in bytes, on disk",
    "Limits.max_total_uncompressed_bytes": "the most a file may unpack to, all its parts together",
    "Limits.max_member_uncompressed_bytes": "the most one part of a file may unpack to",
    "Limits.max_compression_ratio": "the highest unpacked-to-packed ratio of one part over 1 MB (a zip bomb's mark)",
    "Limits.max_members": "the most parts (zip members) a file may hold",
    "Limits.max_xml_depth": "the deepest nesting of XML elements in a part",
    "Limits.max_sheet_cells": "the most cells (merged ranges included) a worksheet may hold",
    "Limits.max_seconds_per_file": "the time budget for reading one file, in seconds (I009 when it runs over)",
    "StrategyAlias.name": "a strategy's name",
    "StrategyAlias.aliases": "other names and abbreviations partners use for it",
    "StrategyAlias.owner": "the partner ID that owns it",
}


def _type_text(tp: object) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return "list of tables" if is_dataclass(item) else f"list of {_type_text(item)}"
    if origin is dict:
        return "table"
    if origin is not None:  # X | None
        return " or ".join(_type_text(a) for a in typing.get_args(tp) if a is not type(None))
    return {str: "text", int: "whole number", float: "number", bool: "true/false", date: "date (YYYY-MM-DD, no quotes)"}.get(tp, str(tp))


def _default_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if value >= 10_000 else str(value)
    if isinstance(value, str):
        return f'"{value}"' if value else '""'
    if isinstance(value, list):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, dict):
        return "{}"
    return "none" if value is None else str(value)


def keys_table(cls: type, prefix: str = "") -> list[str]:
    """One row per key of a rules dataclass: key, type, default (or required), what it does."""
    hints = typing.get_type_hints(cls)
    rows = ["| key | type | default | what it does |", "| --- | --- | --- | --- |"]
    for f in fields(cls):
        if f.default is not MISSING:
            default = f"`{_default_text(f.default)}`"
        elif f.default_factory is not MISSING:  # type: ignore[misc]
            default = f"`{_default_text(f.default_factory())}`"  # type: ignore[misc]
        else:
            default = "**required**"
        note = _cell(KEY_NOTES[f"{cls.__name__}.{f.name}"])
        rows.append(f"| `{prefix}{f.name}` | {_type_text(hints[f.name])} | {_cell(default)} | {note} |")
    return rows


def rules_keys_markdown(file: str) -> str:
    """Every key of one rules file, from the loader's dataclasses."""
    out = []
    if file in OPTIONAL_FILES:
        out += [f"`{file}` may be left out: every key then takes its default.", ""]
    for name, kind, required in RULES_LAYOUT[file]:
        if kind is dict:
            allowed = ", ".join(f"`{f}`" for f in sorted(rs.HEADER_FIELDS[name.strip("[]")]))
            out += [f"- `{name}`: fields {allowed}, each `field = [\"Header\", \"Synonym\", …]`"]
            continue
        if not is_dataclass(kind):
            out += [f"- `{name}` (top level, {_type_text(kind)}, optional): {KEY_NOTES[name]}", ""]
            continue
        out += [f"**`{name}`**{' (required)' if required else ''}", ""] + keys_table(kind) + [""]
        for f in fields(kind):
            item = typing.get_args(typing.get_type_hints(kind)[f.name])
            if item and is_dataclass(item[0]):
                out += [f"**`[[{name.strip('[]')}.{f.name}]]`**", ""] + keys_table(item[0]) + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- pages

def generated_sections(rules_dir: Path) -> dict[str, str]:
    """Every generated section by name, for the rules in `rules_dir` (the repository's default rules)."""
    rules = rs.load_rules(rules_dir)
    sections = {"header-synonyms": header_synonyms_markdown(rules.headers), "date-forms": date_forms_markdown(),
                "value-forms": value_forms_markdown(rules.references.values.suppression_marks)}
    for file in rs.RULE_FILES:
        sections[f"rules-{file.removesuffix('.toml')}"] = rules_keys_markdown(file)
    return sections


def sync_page(text: str, sections: dict[str, str]) -> str:
    """The page with each generated section rewritten; KeyError for a marker naming no section."""
    def replace(m: re.Match) -> str:
        name = m.group("name")
        return f"{BEGIN.format(name=name)}\n{sections[name]}{END}"
    return _SECTION.sub(replace, text)


def render_docs(docs_dir: Path, rules_dir: Path) -> dict[Path, str]:
    """What every generated page in `docs_dir` should hold: diagnostics.md whole, the others with their
    generated sections rewritten. Pages without markers are left out."""
    sections = generated_sections(rules_dir)
    pages = {docs_dir / "diagnostics.md": diagnostics_markdown()}
    for page in sorted(docs_dir.glob("*.md")):
        if page.name == "diagnostics.md":
            continue
        text = page.read_text(encoding="utf-8")
        if _SECTION.search(text):
            pages[page] = sync_page(text, sections)
    return pages
