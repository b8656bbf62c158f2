"""A partner's Word contribution (blocks) -> actions, strategies, metadata, narrative.

Reads a Word contribution as docs/writing-a-submission.md describes it: who submitted it, outcome sections opened by
headings that name an outcome or enabler, actions as table rows or list
items with inline fields, strategies tables anywhere, everything else kept
as narrative or accounted for as ignored with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..codes import emit
from ..diagnostics import Location
from ..records import Narrative, RawAction, RawSection, RawStrategy, SubmissionRecords, SubmitterHint, Written
from ..text import normal, split_abbreviation, tidy
from ..vocabulary import Vocabulary
from .actions import action_from_row, add_milestone, set_action_field
from .columns import KEPT_AS_CUSTOM, NOT_READ, report_columns
from .headers import HeaderMatcher, header_matcher, split_values
from .narrative import read_narrative
from .word import Paragraph, Table, WordDocument, numbered_blocks

BOLD_HEADING_MAX_CHARS = 150
_KEY_VALUE = re.compile(r"^\s*(?P<key>[A-Za-z][^:\n]{0,40}?)\s*:\s*(?P<value>\S.*)$", re.S)
_MANUAL_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043\u25e6\u25a0\u25a1\u2219\u00b7\-\*\u2013\u2014]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


@dataclass
class _Sections:
    current: str | None = None       # the ID the open section's heading was recognised by (structure only)
    heading: Written | None = None   # that heading as written, which the resolver resolves and reports on
    level: int = 99
    seen_any: bool = False


class ContributionReader:
    def __init__(self, vocab: Vocabulary, records: SubmissionRecords):
        self.vocab = vocab
        self.rules = vocab.rules
        self.rec = records
        self.path = records.path
        self.acc = records.accounting
        self.action_headers = header_matcher(self.rules, "action", contains=True)
        self.strategy_headers = header_matcher(self.rules, "strategy", contains=True)
        self.metadata_headers = header_matcher(self.rules, "metadata")
        self.inline = _inline_fields(tuple((name, tuple(words)) for name, words in
                                           self.rules.headers.get("inline", {}).items()))
        self.sections = _Sections()
        self.list_action: RawAction | None = None
        self.list_base_level = 0

    # ------------------------------------------------------------------ entry

    def read(self, doc: WordDocument) -> None:
        for label, block in numbered_blocks(doc.blocks):
            number = int(label.rsplit(" ", 1)[1])
            if isinstance(block, Paragraph):
                self.paragraph(block, Location(self.path, paragraph=number, text=label))
            else:
                self.list_action = None
                self.table(block, number)
        self._submitter_hints(doc)
        self._narrative_document(doc)
        for what in doc.skipped:
            self.rec.diagnostics.append(emit("I006", f"not read: {what}", subject=f"submission:{self.path}",
                                             location=Location(self.path, text="document body")))

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, para: Paragraph, loc: Location) -> None:
        self.acc.read(loc)
        text = para.text
        in_front = self.sections.current is None
        if in_front and para.list_level is None and self._metadata_line(text, loc):
            return
        level = self._heading_level(para)
        if level is not None:
            self._heading(text, level, loc)
            return
        bullet = para.list_level is not None or bool(_MANUAL_BULLET.match(text))
        if self.sections.current is None:
            self.list_action = None
            reason = ("front matter (before the first outcome section)" if not self.sections.seen_any
                      else "outside the outcome sections (after a closing heading)")
            self.acc.ignore(loc, reason)
            return
        if bullet:
            level_no = para.list_level if para.list_level is not None else 0
            if self.list_action is not None and level_no > self.list_base_level:
                self._milestone(self.list_action, _MANUAL_BULLET.sub("", text, count=1), loc)
                self.acc.use(loc)
                return
            self.list_base_level = level_no
            self.list_action = self._bullet_action(_MANUAL_BULLET.sub("", text, count=1) if para.list_level is None else text, loc)
            return
        self.list_action = None
        self.rec.narrative.append(Narrative(self.sections.current, text.strip(), loc, self.sections.heading))
        self.acc.use(loc)

    def _heading_level(self, para: Paragraph) -> int | None:
        if para.list_level is not None:
            return None
        if para.heading_level is not None:
            return para.heading_level
        text = para.text.strip()
        if para.bold and len(text) <= BOLD_HEADING_MAX_CHARS and "\n" not in text and not text.endswith((".", ";", ",")):
            return 10
        return None

    def _heading(self, text: str, level: int, loc: Location) -> None:
        """A heading that names an outcome or enabler opens its section; one at the same level or
        above closes it. Which one it names, and how surely, is the resolver's to say (R006): the
        heading is recorded as written."""
        self.list_action = None
        ref = self.vocab.section_heading(text)
        if ref is not None:
            heading = Written(text, loc)
            self.sections.current = ref.id
            self.sections.heading = heading
            self.sections.level = level
            self.sections.seen_any = True
            if ref.id not in self.rec.sections:
                self.rec.sections.append(ref.id)
            self.rec.section_headings.append(RawSection(heading, "heading", level))
            self.acc.use(loc)
            return
        if self.sections.current is not None and level <= self.sections.level:
            self.sections.current = None
            self.sections.heading = None
            self.acc.ignore(loc, "heading that closes the outcome sections")
            return
        self.acc.ignore(loc, "heading (structure only)" if self.sections.current else
                        "front matter (before the first outcome section)" if not self.sections.seen_any
                        else "outside the outcome sections (after a closing heading)")

    def _metadata_line(self, text: str, loc: Location) -> bool:
        """`Organisation: …` lines; lines separated by line breaks (Shift+Enter) in one paragraph
        are read one by one, each its own key."""
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) > 1:
            found = [self._metadata_line(line, loc) for line in lines]
            return any(found)
        m = _KEY_VALUE.match(text.strip())
        if not m:
            return False
        field_name = self.metadata_headers.field(m.group("key"))
        if field_name is None:
            return False
        self._metadata(field_name, m.group("value").strip(), loc)
        self.acc.use(loc)
        return True

    def _metadata(self, field_name: str, value: str, loc: Location) -> None:
        self.rec.metadata.setdefault(field_name, tidy(value))
        if field_name == "partner":
            self.rec.submitter_hints.append(SubmitterHint("metadata", tidy(value), loc))

    # ------------------------------------------------------------------ bulleted actions

    def _bullet_action(self, text: str, loc: Location) -> RawAction | None:
        body, fields = self.inline.split(text)
        body = tidy(body)
        if not body:
            self.acc.ignore(loc, "list item with no action text")
            return None
        action = RawAction(text=body, location=loc, section=self.sections.current,
                           section_heading=self.sections.heading)
        for name, value in fields:
            self._set_field(action, name, value, loc)
        self.rec.actions.append(action)
        self.acc.use(loc)
        return action

    def _milestone(self, action: RawAction, text: str, loc: Location) -> None:
        add_milestone(action, text, loc, self.rec.diagnostics)

    def _set_field(self, action: RawAction, name: str, value: str, loc: Location) -> None:
        set_action_field(action, name, value, loc.with_column(name) if loc.row is None else loc, self.rec.diagnostics)

    # ------------------------------------------------------------------ tables

    def table(self, table: Table, table_no: int) -> None:
        rows = table.rows
        locs = [Location(self.path, table=table_no, row=i + 1, text=f"table {table_no}, row {i + 1}") for i in range(len(rows))]
        units = [i for i, row in enumerate(rows) if any(c.strip() for c in row)]
        for i in units:
            self.acc.read(locs[i])
        if self._action_card(rows, locs, units):
            return
        for header_at in range(min(3, len(rows))):
            mapping = self.action_headers.map_row(rows[header_at])
            filled = sum(1 for c in rows[header_at] if c.strip())
            if "action" in mapping.values() and (len(mapping) >= 2 or filled == 1):
                self._actions_table(rows, locs, header_at, mapping, units)
                return
        for header_at in range(min(3, len(rows))):
            mapping = self.strategy_headers.map_row(rows[header_at])
            if "name" in mapping.values() and "owner" in mapping.values():
                self._strategies_table(rows, locs, header_at, mapping, units)
                return
        if self._metadata_table(rows, locs, units):
            return
        looks_like = self.action_headers.map_row(rows[0]) if rows else {}
        fields = set(looks_like.values()) - {"ref", "status", "outcome", "place"}
        if len(fields) >= 2:
            self.rec.diagnostics.append(emit(
                "I005", f"table {table_no} looks like an actions table (columns for {', '.join(sorted(fields))}) "
                        "but has no action column; its rows were not read as actions",
                subject=f"submission:{self.path}", location=locs[0]))
        for i in units:
            self.acc.ignore(locs[i], "table that is not an actions, strategies or metadata table")

    def _action_card(self, rows: list[list[str]], locs: list[Location], units: list[int]) -> bool:
        """A two-column table describing one action, field by row (`Action | …`, `Lead | …`)."""
        if len(units) < 2 or not all(len([c for c in rows[i] if c.strip()]) <= 2 for i in units):
            return False
        fields: list[tuple[int, str, str, str]] = []
        for i in units:
            cells = [c for c in rows[i] if c.strip()]
            if len(cells) == 2:
                field_name = self.action_headers.field(cells[0].rstrip(":"))
                if field_name:
                    fields.append((i, field_name, cells[0].strip().rstrip(":"), cells[1]))
        names = [f for _, f, _, _ in fields]
        if "action" not in names or len(set(names)) < 2 or len(fields) * 2 < len(units):
            return False
        if self.sections.current is None and "outcome" not in names:
            for i in units:
                self.acc.ignore(locs[i], "action table outside the outcome sections, with no Outcome row")
            return True
        columns = [(f, label, value) for _, f, label, value in fields]
        rows_of = [i for i, _, _, _ in fields]
        action = action_from_row(columns, lambda c, label: locs[rows_of[c]].with_column(label),
                                 self.sections.current, locs[rows_of[names.index("action")]], self.rec.diagnostics,
                                 heading=self.sections.heading)
        if action is not None:
            self.rec.actions.append(action)
        for i in units:
            if i in rows_of and action is not None:
                self.acc.use(locs[i])
            else:
                self.acc.ignore(locs[i], "action table row with an unknown field")
        return True

    def _metadata_table(self, rows: list[list[str]], locs: list[Location], units: list[int]) -> bool:
        if not rows or not all(len([c for c in row if c.strip()]) <= 2 for row in rows):
            return False
        hits = []
        for i, row in enumerate(rows):
            cells = [c for c in row if c.strip()]
            if len(cells) == 2:
                field_name = self.metadata_headers.field(cells[0].rstrip(":"))
                if field_name:
                    hits.append((i, field_name, cells[1]))
        if not hits or len(hits) * 2 < len(units):
            return False
        used = set()
        for i, field_name, value in hits:
            self._metadata(field_name, value, locs[i])
            self.acc.use(locs[i])
            used.add(i)
        for i in units:
            if i not in used:
                self.acc.ignore(locs[i], "metadata table row with an unknown key")
        return True

    def _data_rows(self, rows, locs, header_at, units):
        """(index, location, row) of each data row below the header; title rows above the header,
        the header itself and rows that repeat it are accounted for here."""
        header_norm = [c.strip().casefold() for c in rows[header_at]]
        for i in units:
            if i < header_at:
                self.acc.ignore(locs[i], "title row above the table header")
            elif i == header_at:
                self.acc.use(locs[i])
            elif [c.strip().casefold() for c in rows[i]] == header_norm:
                self.acc.ignore(locs[i], "repeated header row")
            else:
                yield i, locs[i], rows[i]

    def _report_columns(self, matcher: HeaderMatcher, rows, locs, header_at: int, mapping: dict[int, str],
                        table_no: int, kept: str) -> None:
        headers = {i: text for i, text in enumerate(rows[header_at]) if text.strip()}
        self.rec.diagnostics.extend(report_columns(
            matcher, headers, mapping, where=f"table {table_no}",
            loc_for=lambda c, label: locs[header_at].with_column(label), kept=kept,
            subject=f"submission:{self.path}"))

    def _actions_table(self, rows, locs, header_at, mapping, units) -> None:
        names = {i: text.strip() for i, text in enumerate(rows[header_at])}
        readable = self.sections.current is not None or "outcome" in mapping.values()
        if readable:
            self._report_columns(self.action_headers, rows, locs, header_at, mapping, locs[0].table, KEPT_AS_CUSTOM)
        for _, loc, row in self._data_rows(rows, locs, header_at, units):
            if not readable:
                self.acc.ignore(loc, "actions table outside the outcome sections, with no Outcome column")
                continue
            columns = [(mapping.get(c), names.get(c) or f"column {c + 1}", cell) for c, cell in enumerate(row)]
            action = action_from_row(columns, lambda c, label, loc=loc: loc.with_column(label), self.sections.current,
                                     loc, self.rec.diagnostics, heading=self.sections.heading)
            if action is None:
                self.acc.ignore(loc, "row with no action text")
                continue
            self.rec.actions.append(action)
            self.acc.use(loc)

    def _strategies_table(self, rows, locs, header_at, mapping, units) -> None:
        self._report_columns(self.strategy_headers, rows, locs, header_at, mapping, locs[0].table, NOT_READ)
        for _, loc, row in self._data_rows(rows, locs, header_at, units):
            values = {mapping[c]: row[c].strip() for c in mapping if c < len(row) and row[c].strip()}
            if "name" not in values:
                self.acc.ignore(loc, "strategies table row with no strategy name")
                continue
            self.rec.strategies.append(strategy_from_fields(values, loc))
            self.acc.use(loc)

    def _narrative_document(self, doc: WordDocument) -> None:
        """A Word file with no plan content whose name or title says it is front matter is the
        plan's narrative (its introduction): its body is read into blocks, the plan's front matter."""
        if self.rec.sections or self.rec.actions or self.rec.strategies:
            return
        names = [normal(n) for n in self.rules.front_matter.names]
        first_heading = next((b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.strip()
                              and b.heading_level is not None), "")
        stem = self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ").replace("_", " ")
        said = " | ".join(normal(t) for t in (stem, doc.title, first_heading, self.rec.metadata.get("title", "")))
        if any(n and n in said for n in names):
            self.rec.kinds[:] = ["narrative"]
            front = read_narrative(doc)
            self.rec.front_matter, self.rec.front_matter_styles = front.blocks, front.styles
            for loc, reason in self.acc.ignored():
                if reason.startswith("front matter"):
                    self.acc.reclassify_used(loc)

    # ------------------------------------------------------------------ who submitted it

    def _submitter_hints(self, doc: WordDocument) -> None:
        whole = Location(self.path, text="document properties")
        if doc.title:
            self.rec.submitter_hints.append(SubmitterHint("core properties", doc.title, whole))
        if doc.company:
            self.rec.submitter_hints.append(SubmitterHint("core properties", doc.company, whole))
        for label, block in numbered_blocks(doc.blocks):
            if isinstance(block, Paragraph) and block.heading_level is not None:
                self.rec.submitter_hints.append(SubmitterHint("document title", block.text.strip(),
                                                              Location(self.path, text=label)))
                break
            if isinstance(block, Table) or label != "paragraph 1":
                break
        for text in doc.header_texts:
            self.rec.submitter_hints.append(SubmitterHint("header", text, Location(self.path, text="page header")))


def strategy_from_fields(values: dict[str, str], loc: Location) -> RawStrategy:
    name, abbr = split_abbreviation(tidy(values["name"]))
    owner = values.get("owner")
    return RawStrategy(
        name=name, abbreviation=abbr, location=loc,
        owner=Written(tidy(owner), loc.with_column("owner")) if owner else None,
        status=tidy(values["status"]) if values.get("status") else None,
        period=tidy(values["period"]) if values.get("period") else None,
        link=values.get("link"),
        outcomes=[Written(v, loc.with_column("outcomes")) for v in split_values(values.get("outcomes", ""))],
    )


@lru_cache(maxsize=8)
def _inline_fields(labels: tuple[tuple[str, tuple[str, ...]], ...]) -> _InlineFields:
    """The inline-field splitter for these labels, built (its pattern compiled) once, not per file."""
    return _InlineFields(dict(labels))


class _InlineFields:
    """`Action text (Lead: A; Partners: B, C; By: March 2025)` -> text and fields."""

    def __init__(self, labels: dict[str, tuple[str, ...]] | dict[str, list[str]]):
        self.by_label: dict[str, str] = {}
        for field_name, words in labels.items():
            for word in words:
                self.by_label[word.casefold()] = field_name
        alternatives = "|".join(re.escape(w) for w in sorted(self.by_label, key=len, reverse=True))
        self.pattern = re.compile(r"(?:(?<=^)|(?<=[\s(\[;,.|\u2013\u2014-]))(?P<label>" + alternatives + r")\s*:\s*", re.I) if alternatives else None

    def split(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        if self.pattern is None:
            return text, []
        matches = list(self.pattern.finditer(text))
        if not matches:
            return text, []
        body = text[: matches[0].start()]
        body = re.sub(r"[\s(\[\u2013\u2014:;,|-]+$", "", body)
        fields = []
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            value = text[m.end(): end]
            fields.append((self.by_label[m.group("label").casefold()], _field_value(value)))
        return body, fields


def _field_value(value: str) -> str:
    """An inline field's value without the closing bracket or separator that ends it."""
    value = value.strip()
    while True:
        stripped = value.rstrip(" .;,|\u2013\u2014-")
        if stripped.endswith(")") and stripped.count(")") > stripped.count("("):
            stripped = stripped[:-1]
        elif stripped.endswith("]") and stripped.count("]") > stripped.count("["):
            stripped = stripped[:-1]
        if stripped == value:
            return value
        value = stripped
