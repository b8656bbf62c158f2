"""Worksheets -> logframe indicators, tracked actions, strategies, data updates.

The kind of each sheet is decided by its header row (docs/writing-a-submission.md, "Excel workbooks"),
found below any title block, possibly spanning two rows under merged group
headings (*Baseline* over *Value* / *Period*, *Targets* over years).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..codes import emit
from ..diagnostics import Location
from ..records import RawIndicator, RawSection, RawValueUpdate, SubmissionRecords, Written
from ..text import normal, tidy
from ..values import Value, is_period_header, normalise_period, parse_value
from ..vocabulary import Vocabulary
from .actions import action_from_row
from .columns import KEPT_AS_CUSTOM, NOT_READ, report_columns
from .contribution import strategy_from_fields
from .headers import header_matcher, header_key, split_values
from .workbook import Cell, Grid, column_letter

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Role:
    field: str | None
    period: str | None = None
    label: str = ""


class SheetReader:
    def __init__(self, vocab: Vocabulary, records: SubmissionRecords):
        self.vocab = vocab
        self.rules = vocab.rules
        self.rec = records
        self.acc = records.accounting
        self.matchers = {kind: header_matcher(self.rules, kind, exclude=("target_prefixes", "trend_groups"))
                         for kind in ("logframe", "action", "strategy", "data_update")}
        lf = self.rules.headers.get("logframe", {})
        self.target_prefixes = [normal(p) for p in lf.get("target_prefixes", [])]
        self.trend_groups = {normal(g) for g in lf.get("trend_groups", [])}
        self.marks = self.rules.references.values.suppression_marks

    # ------------------------------------------------------------------ entry

    def read(self, grid: Grid) -> None:
        cells_by_row = {r: {c.column: c for c in cells} for r, cells in grid.rows}
        for r in cells_by_row:
            self.acc.read(self._row_loc(grid, r))
        found = self._find_header(grid, cells_by_row)
        if found is None:
            miss = self._near_miss(cells_by_row)
            if miss is not None:
                r, what, lacking = miss
                self.rec.diagnostics.append(emit(
                    "I005", f"sheet '{grid.name}' looks like {what} but has no {lacking}; its rows were not read",
                    subject=f"submission:{self.rec.path}", location=self._row_loc(grid, r)))
            for r in cells_by_row:
                self.acc.ignore(self._row_loc(grid, r), "sheet without a recognised header row")
            return
        kind, header_rows, roles = found
        first_data = max(header_rows) + 1
        self._report_columns(grid, kind, max(header_rows), roles)
        # An outcome named by the sheet's name, a title row or a one-cell row between the data rows
        # gives the rows below it their outcome: recognised here, recorded as written (RawSection),
        # resolved by the resolver.
        sheet_outcome = self.vocab.outcome_in_name(grid.name)
        heading = Written(grid.name, Location(self.rec.path, sheet=grid.name, text=f"sheet {grid.name}")) if sheet_outcome else None
        for r in sorted(cells_by_row):
            if r in header_rows:
                self.acc.use(self._row_loc(grid, r))
            elif r < min(header_rows):
                title = " ".join(str(c.value) for c in cells_by_row[r].values())
                named = self.vocab.outcome_in_name(title) if len(title) < 200 else None
                if named:
                    sheet_outcome = named
                    heading = Written(title, self._row_loc(grid, r))
                    self.acc.use(self._row_loc(grid, r))
                else:
                    self.acc.ignore(self._row_loc(grid, r), "title block above the header row")
        if kind not in self.rec.kinds:
            self.rec.kinds.append(kind)
        for coord in grid.uncached_formulas:
            self.rec.diagnostics.append(emit(
                "I007", f"formula in {grid.name}!{coord} has no cached value; treated as missing "
                        "(open the workbook in Excel and save it to store the value)",
                location=Location(self.rec.path, sheet=grid.name, cell=coord, text=f"{grid.name}!{coord}")))
        reader = {"logframe": self._logframe_row, "action tracker": self._tracker_row,
                  "strategy register": self._register_row, "indicator data update": self._update_row}[kind]
        header_values = {r: [str(c.value).strip().casefold() for c in cells_by_row[r].values()] for r in header_rows}
        current = (sheet_outcome, heading)
        if heading is not None:
            self.rec.section_headings.append(RawSection(heading, "sheet"))
        for r in sorted(cells_by_row):
            if r < first_data:
                continue
            loc = self._row_loc(grid, r)
            cells = cells_by_row[r]
            if any([str(c.value).strip().casefold() for c in cells.values()] == v for v in header_values.values()):
                self.acc.ignore(loc, "repeated header row")
                continue
            section = self._section_row(cells, roles)
            if section is not None:
                current = (section, Written(str(next(iter(cells.values())).value), loc))
                self.rec.section_headings.append(RawSection(current[1], "sheet"))
                self.acc.use(loc)
                continue
            if reader(grid, r, cells, roles, current):
                self.acc.use(loc)

    _MATCHER_OF = {"logframe": "logframe", "action tracker": "action", "strategy register": "strategy",
                   "indicator data update": "data_update"}

    def _report_columns(self, grid: Grid, kind: str, header_row: int, roles: dict[int, Role]) -> None:
        """I010/I011 for the header row's columns (`compiler.readers.columns`)."""
        headers = {c: role.label for c, role in roles.items() if role.label.strip()}
        used = {c: role.field for c, role in roles.items() if role.field}
        self.rec.diagnostics.extend(report_columns(
            self.matchers[self._MATCHER_OF[kind]], headers, used, where=f"sheet '{grid.name}'",
            loc_for=lambda c, label: self._cell_loc(grid, header_row, c, label),
            kept=KEPT_AS_CUSTOM if kind == "action tracker" else NOT_READ, subject=f"submission:{self.rec.path}"))

    def _row_loc(self, grid: Grid, r: int) -> Location:
        return Location(self.rec.path, sheet=grid.name, row=r, text=f"{grid.name}!{r}:{r}")

    def _cell_loc(self, grid: Grid, r: int, col: int, label: str = "") -> Location:
        coord = f"{column_letter(col)}{r}"
        return Location(self.rec.path, sheet=grid.name, cell=coord, row=r, column=label or None, text=f"{grid.name}!{coord}")

    def _section_row(self, cells: dict[int, Cell], roles: dict[int, Role]) -> str | None:
        """A row with one text cell naming an outcome: the indicators below belong to it."""
        values = [c.value for c in cells.values()]
        if len(values) != 1 or not isinstance(values[0], str):
            return None
        return self.vocab.outcome_in_name(values[0])

    # ------------------------------------------------------------------ header detection

    def _find_header(self, grid: Grid, cells_by_row: dict[int, dict[int, Cell]]):
        """The first row (or pair of rows under merged group headings) that names a known kind of sheet."""
        rows = sorted(cells_by_row)[:HEADER_SEARCH_ROWS]
        for r in rows:
            texts = {c: str(cell.value).strip() for c, cell in cells_by_row[r].items() if str(cell.value).strip()}
            if len(texts) < 2:
                continue
            below = cells_by_row.get(r + 1)
            if below is not None:
                groups = self._group_labels(cells_by_row[r], grid.merged, r, r + 1)
                if groups:
                    subs = {c: str(cell.value).strip() for c, cell in below.items() if str(cell.value).strip()}
                    labels = {c: (groups.get(c), subs.get(c, "")) for c in sorted(set(groups) | set(subs))}
                    kind, roles = self._classify(labels)
                    if kind:
                        return kind, {r, r + 1}, roles
            kind, roles = self._classify({c: (None, t) for c, t in texts.items()})
            if kind:
                return kind, {r}, roles
        return None

    def _near_miss(self, cells_by_row: dict[int, dict[int, Cell]]) -> tuple[int, str, str] | None:
        """A header row that nearly names a kind of sheet: (row, what it looks like, what it lacks)."""
        for r in sorted(cells_by_row)[:HEADER_SEARCH_ROWS]:
            texts = [str(c.value) for c in cells_by_row[r].values() if isinstance(c.value, str)]
            if len(texts) < 2:
                continue
            lf = {self.matchers["logframe"].field(t) for t in texts} - {None}
            if lf & {"id", "name"} and len(lf) >= 3:
                return r, "a logframe", "baseline, target or data source column"
            actions = {self.matchers["action"].field(t) for t in texts} - {None, "ref", "status", "outcome", "place"}
            if len(actions) >= 2:
                return r, "an action tracker", "action column (Action, Key area of joint working, Commitment…)"
            update = {self.matchers["data_update"].field(t) for t in texts} - {None}
            if "indicator" in update and len(update) >= 2:
                return r, "an indicator data update", "period or value column"
        return None

    @staticmethod
    def _group_labels(prev_cells: dict[int, Cell], merges, prev: int, r: int) -> dict[int, str]:
        """Group headings of row `prev` spread over the columns their merged cells span, when at
        least one spans several columns (otherwise `prev` is not a group-heading row)."""
        out: dict[int, str] = {}
        spanned = False
        for min_row, min_col, max_row, max_col in merges:
            if min_row == prev:
                top = prev_cells.get(min_col)
                if top is not None:
                    for c in range(min_col, max_col + 1):
                        out[c] = str(top.value).strip()
                    spanned = spanned or max_col > min_col
        if not spanned:
            return {}
        for c, cell in prev_cells.items():
            out.setdefault(c, str(cell.value).strip())
        return out

    def _classify(self, labels: dict[int, tuple[str | None, str]]) -> tuple[str | None, dict[int, Role]]:
        action_roles = {c: Role(self.matchers["action"].field(sub or group or ""), None, sub or group or "")
                        for c, (group, sub) in labels.items()}
        if any(r.field == "action" for r in action_roles.values()):
            return "action tracker", _dedupe(action_roles)
        lf_roles = {c: self._logframe_role(group, sub) for c, (group, sub) in labels.items()}
        lf_fields = {r.field for r in lf_roles.values()}
        if ({"id", "name"} & lf_fields) and ({"baseline", "target", "source"} & lf_fields):
            return "logframe", _dedupe(lf_roles)
        st_roles = {c: Role(self.matchers["strategy"].field(sub or group or ""), None, sub or group or "")
                    for c, (group, sub) in labels.items()}
        st_fields = {r.field for r in st_roles.values()}
        if {"name", "owner"} <= st_fields:
            return "strategy register", _dedupe(st_roles)
        up_roles = {}
        for c, (group, sub) in labels.items():
            text = sub or group or ""
            period = is_period_header(text)
            up_roles[c] = Role("period_value", period, text) if period else Role(self.matchers["data_update"].field(text), None, text)
        up_fields = {r.field for r in up_roles.values()}
        if "indicator" in up_fields and ({"period", "value"} <= up_fields or "period_value" in up_fields):
            return "indicator data update", _dedupe(up_roles, second={"indicator": "name"})
        return None, {}

    def _logframe_role(self, group: str | None, sub: str) -> Role:
        m = self.matchers["logframe"]
        label = " ".join(x for x in (group, sub) if x)
        if group and sub:
            gkey, skey = header_key(group), header_key(sub)
            gfield = m.field(group)
            period = is_period_header(sub)
            if period and (gfield == "target" or any(gkey.startswith(p) for p in self.target_prefixes)):
                return Role("target", period, label)
            if period and (gkey in self.trend_groups or gfield is None or gfield in ("latest",)):
                return Role("trend", period, label)
            if gfield in ("baseline", "latest"):
                if skey in ("period", "year", "date", "baseline period", "baseline year", "latest period"):
                    return Role(f"{gfield}_period", None, label)
                if skey in ("value", "baseline", "latest", "rate", "figure", "number", "percentage", "%"):
                    return Role(gfield, None, label)
            if gfield == "target" and not period:
                sf = m.field(sub)
                return Role("target", normalise_period(sub) if sf is None else None, label) if sf is None else Role(sf, None, label)
            sf = m.field(sub)
            if sf:
                return Role(sf, None, label)
            cf = m.field(label)
            return Role(cf, None, label)
        text = sub or group or ""
        period = is_period_header(text)
        if period:
            return Role("trend", period, text)
        f = m.field(text)
        if f:
            paren = re.search(r"\(([^)]*)\)", text)
            return Role(f, is_period_header(paren.group(1)) if paren else None, text)
        key = header_key(text)
        for prefix in self.target_prefixes:
            if key.startswith(prefix + " "):
                rest = text.strip()[len(text.strip().split()[0]):].strip(" :-")
                p = is_period_header(rest) or (normalise_period(rest) if re.search(r"\d{4}", rest) else None)
                if p:
                    return Role("target", p, text)
        return Role(None, None, text)

    # ------------------------------------------------------------------ rows

    def _value(self, grid: Grid, r: int, col: int, cell: Cell, label: str) -> Value:
        v = parse_value(cell.value, percent_format=cell.percent, suppression_marks=self.marks)
        if v.text is not None:
            self.rec.diagnostics.append(emit(
                "I008", f"value '{v.text}' in {label or 'a value column'} could not be read as a number; kept as text",
                location=self._cell_loc(grid, r, col, label)))
        return v

    def _logframe_row(self, grid, r, cells, roles, section) -> bool:
        by_field: dict[str, tuple[int, Cell]] = {}
        for col, role in roles.items():
            if col in cells and role.field and role.field not in ("target", "trend"):
                by_field.setdefault(role.field, (col, cells[col]))
        ident = by_field.get("id")
        name = by_field.get("name")
        if ident is None:
            if name is not None:
                self.acc.ignore(self._row_loc(grid, r), "logframe row with no indicator ID")
                self.rec.diagnostics.append(emit(
                    "I005", f"indicator '{tidy(str(name[1].value))}' has no ID in the logframe; it cannot be referenced",
                    location=self._row_loc(grid, r)))
            else:
                self.acc.ignore(self._row_loc(grid, r), "logframe row with no indicator ID or name")
            return False
        text = lambda f: tidy(str(by_field[f][1].value)) if f in by_field else None  # noqa: E731
        ind = RawIndicator(id=tidy(str(ident[1].value)), location=self._cell_loc(grid, r, ident[0], roles[ident[0]].label))
        ind.name = text("name")
        ind.definition = text("definition")
        ind.unit = text("unit")
        ind.polarity = self._polarity(text("polarity"))
        ind.source = text("source")
        ind.frequency = text("frequency")
        ind.status = text("status")
        ind.rationale = text("rationale")
        if "owner" in by_field:
            col, cell = by_field["owner"]
            ind.owner = Written(tidy(str(cell.value)), self._cell_loc(grid, r, col, roles[col].label))
        if "outcome" in by_field:
            col, cell = by_field["outcome"]
            ind.outcome_refs = [Written(v, self._cell_loc(grid, r, col, roles[col].label)) for v in split_values(str(cell.value))]
        elif section[0]:
            ind.section_heading = section[1]
        percent_seen = False
        if "baseline" in by_field:
            col, cell = by_field["baseline"]
            v = self._value(grid, r, col, cell, roles[col].label)
            percent_seen |= v.unit == "%"
            period = normalise_period(by_field["baseline_period"][1].value) if "baseline_period" in by_field else None
            ind.baseline = (period or v.period or roles[col].period, v)
        if "latest" in by_field:
            col, cell = by_field["latest"]
            v = self._value(grid, r, col, cell, roles[col].label)
            percent_seen |= v.unit == "%"
            period = normalise_period(by_field["latest_period"][1].value) if "latest_period" in by_field else None
            ind.latest = (period or v.period, v)
        for col, role in sorted(roles.items()):
            if col not in cells or role.field not in ("target", "trend"):
                continue
            v = self._value(grid, r, col, cells[col], role.label)
            percent_seen |= v.unit == "%"
            if role.field == "target":
                ind.targets.append((role.period or v.period, v))
            else:
                ind.values.append((role.period or "", v, None))
        if ind.unit is None and percent_seen:
            ind.unit = "%"
        self.rec.indicators.append(ind)
        return True

    def _polarity(self, text: str | None) -> str | None:
        if not text:
            return None
        key = normal(text)
        words = self.rules.references.polarity
        for name, options in (("higher", words.higher), ("lower", words.lower)):
            if key in {normal(o) for o in options} or key.startswith(name):
                return name
        return None

    def _tracker_row(self, grid, r, cells, roles, section) -> bool:
        columns = [(roles[c].field, roles[c].label, cells[c].value) for c in sorted(cells) if c in roles]
        cols = [c for c in sorted(cells) if c in roles]
        action = action_from_row(columns, lambda i, label: self._cell_loc(grid, r, cols[i], label), section[0],
                                 self._row_loc(grid, r), self.rec.diagnostics, heading=section[1])
        if action is None:
            self.acc.ignore(self._row_loc(grid, r), "row with no action text")
            return False
        self.rec.actions.append(action)
        return True

    def _register_row(self, grid, r, cells, roles, section) -> bool:
        values = {}
        for col, cell in cells.items():
            role = roles.get(col)
            if role and role.field and role.field not in values:
                values[role.field] = tidy(str(cell.value))
        if not values.get("name"):
            self.acc.ignore(self._row_loc(grid, r), "register row with no strategy name")
            return False
        self.rec.strategies.append(strategy_from_fields(values, self._row_loc(grid, r)))
        return True

    def _update_row(self, grid, r, cells, roles, section) -> bool:
        ind_col = next((c for c, role in roles.items() if role.field == "indicator" and c in cells), None)
        if ind_col is None:
            self.acc.ignore(self._row_loc(grid, r), "update row with no indicator")
            return False
        indicator = Written(tidy(str(cells[ind_col].value)), self._cell_loc(grid, r, ind_col, roles[ind_col].label))
        geo_col = next((c for c, role in roles.items() if role.field == "geography" and c in cells), None)
        geography = tidy(str(cells[geo_col].value)) if geo_col else None
        added = False
        period_col = next((c for c, role in roles.items() if role.field == "period" and c in cells), None)
        value_col = next((c for c, role in roles.items() if role.field == "value" and c in cells), None)
        if period_col is not None and value_col is not None:
            v = self._value(grid, r, value_col, cells[value_col], roles[value_col].label)
            self.rec.updates.append(RawValueUpdate(indicator, normalise_period(cells[period_col].value) or "", v, geography,
                                                   self._cell_loc(grid, r, value_col, roles[value_col].label)))
            added = True
        for col, role in sorted(roles.items()):
            if role.field == "period_value" and col in cells:
                v = self._value(grid, r, col, cells[col], role.label)
                self.rec.updates.append(RawValueUpdate(indicator, role.period or "", v, geography,
                                                       self._cell_loc(grid, r, col, role.label)))
                added = True
        if not added:
            self.acc.ignore(self._row_loc(grid, r), "update row with no value")
        return added


def _dedupe(roles: dict[int, Role], second: dict[str, str] | None = None) -> dict[int, Role]:
    """A field named by two columns is read from the first; the second is kept as a custom column,
    or is the field `second` gives for it (in a data update, `Indicator ID` then `Indicator`: the
    second names the indicator)."""
    seen: set[str] = set()
    out = {}
    for col in sorted(roles):
        role = roles[col]
        if role.field and role.field not in ("target", "trend", "period_value"):
            if role.field in seen:
                other = (second or {}).get(role.field)
                role = Role(other, None, role.label) if other and other not in seen else Role(None, None, role.label)
                if role.field:
                    seen.add(role.field)
            else:
                seen.add(role.field)
        out[col] = role
    return out
