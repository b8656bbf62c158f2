"""The Excel submission template: an action tracker, indicator updates and a strategies register,
with drop-down lists, as the sheet readers expect (docs/writing-a-submission.md, "Excel workbooks").

Not an artefact of `sdp compile`: `sdp templates` writes it. The content is
`compiler.present.templates.TemplateContent`, shared with the Word template.

Sheets: *Guidance* (one line a row, so it is never taken for a table), *Actions*
(the canonical headings of rules/headers.toml in row 1), *Indicator updates*,
*Strategies*, and a hidden *Lists* sheet holding every list one under another
in column A, which the data validations reference by range. Where a cell may
hold something the list cannot (several partners, a strategy not yet
registered) the validation only offers the list (no error, or a warning the
partner may accept). Each column's input message says what to write. A
workbook's submitter is told by its file name, so the guidance says to keep
the partner's name in it. The bytes are a function of the content alone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..present.templates import COLUMN_HELP, TemplateContent, example_values, send_sentence
from .deterministic import deterministic_zip_bytes
from .excel_safe import clean_text, set_text

FIXED_DATETIME = datetime(2000, 1, 1)
DATA_ROWS = 500          # rows below the header that carry the drop-downs
LISTS = "Lists"
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


@dataclass(frozen=True)
class Column:
    kind: str                  # the headers.toml table the heading comes from
    field: str
    help: str
    choices: str | None = None  # a list on the Lists sheet
    strict: str | None = None   # "stop" (only the list), "warning" (the list, or confirm another), None (free)
    width: float = 22


def _columns(content: TemplateContent) -> dict[str, list[Column]]:
    action_lists = {"outcome": ("strategic", "stop"), "lead": ("partners", "warning"),
                    "partners": ("partners", None), "strategy": ("strategies", None),
                    "indicators": ("indicators", None)}
    actions = [Column("action", f, COLUMN_HELP[f], *action_lists.get(f, (None, None)),
                      width={"action": 50, "milestones": 40, "outcome": 34}.get(f, 24))
               for f in content.action_fields]
    updates = [Column("data_update", "indicator", "The logframe measure's ID", "indicators", "stop", 16),
               Column("data_update", "period", "The period the value is for: 2025/26, Q2 2025/26 or 2025", width=16),
               Column("data_update", "value", "The value as a number; a percentage as 62.3 or 62.3%", width=14),
               Column("data_update", "geography", "The place the value is for; leave empty for the whole system",
                      "places", "warning", 28)]
    strategies = [Column("strategy", "name", "The strategy's or plan's full name; 'Name (ABBR)' also registers ABBR",
                         width=50),
                  Column("strategy", "owner", "The organisation that owns it", "partners", "warning", 30),
                  Column("strategy", "status", "Published, in development, refresh due…", "statuses", "warning", 18),
                  Column("strategy", "period", "The years it covers, such as 2025–2030", width=16),
                  Column("strategy", "link", "Where to read it (a web address)", width=30),
                  Column("strategy", "outcomes", "The outcomes it serves; several separated by ;", "strategic", None, 34)]
    keep = lambda cols: [c for c in cols if content.heading(c.kind, c.field)]  # noqa: E731
    return {"Actions": keep(actions), "Indicator updates": keep(updates), "Strategies": keep(strategies)}


def _lists(content: TemplateContent) -> dict[str, tuple[str, ...]]:
    return {"strategic": content.strategic, "partners": content.partners, "strategies": content.strategies,
            "indicators": content.indicators, "places": content.places, "statuses": content.strategy_statuses}


def _write_lists(ws, content: TemplateContent) -> dict[str, str]:
    """Every list one under another in column A (one value a row: never read as a table);
    returns list name -> its absolute range for a validation formula."""
    titles = {"strategic": "Outcomes, priorities and enablers", "partners": "Partners",
              "strategies": "Strategies and plans", "indicators": "Logframe measure IDs", "places": "Places",
              "statuses": "Strategy statuses"}
    ranges: dict[str, str] = {}
    row = 1
    for name, values in _lists(content).items():
        if not values:
            continue
        set_text(ws.cell(row, 1), titles[name])
        ws.cell(row, 1).font = Font(bold=True)
        for i, value in enumerate(values, start=1):
            set_text(ws.cell(row + i, 1), value)
        ranges[name] = f"{LISTS}!$A${row + 1}:$A${row + len(values)}"
        row += len(values) + 2
    ws.column_dimensions["A"].width = 70
    return ranges


def _validation(column: Column, ranges: dict[str, str], label: str, cells: str) -> DataValidation:
    formula = ranges.get(column.choices or "")
    if formula is None:
        dv = DataValidation(allow_blank=True)
    else:
        dv = DataValidation(type="list", formula1=f"={formula}", allow_blank=True)
        dv.showErrorMessage = column.strict is not None
        if column.strict:
            dv.errorStyle = column.strict
            dv.errorTitle = clean_text(label)[:32]
            dv.error = ("Choose from the list." if column.strict == "stop"
                        else "This is not in the list. Keep it anyway?")
    dv.showInputMessage = True
    dv.promptTitle = clean_text(label)[:32]
    dv.prompt = clean_text(column.help)[:255]
    dv.add(cells)
    return dv


def _write_table_sheet(ws, content: TemplateContent, columns: list[Column], ranges: dict[str, str]) -> None:
    for c, column in enumerate(columns, start=1):
        label = content.heading(column.kind, column.field) or column.field
        cell = ws.cell(1, c)
        set_text(cell, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = column.width
        ws.add_data_validation(_validation(column, ranges, label, f"{letter}2:{letter}{DATA_ROWS + 1}"))
    ws.freeze_panes = "A2"


def _guidance_lines(content: TemplateContent, columns: dict[str, list[Column]]) -> list[tuple[str, bool]]:
    """(line, is a heading) for the Guidance sheet."""
    who = f" \u2013 {content.partner}" if content.partner else ""
    lines = [(f"{content.plan_title}: submission template{who}", True),
             (f"Use this workbook to send your organisation's contribution to the {content.plan_title}. "
              + send_sentence(content), False)]
    if content.partner:
        lines.append((f"This workbook is for {content.partner}. Keep its file name when you save it: the file "
                      "name says who sent it.", False))
    else:
        lines.append(("Put your organisation's name in the file name when you save it (for example "
                      "'<your organisation> submission.xlsx'): the file name says who sent it.", False))
    lines += [("How to fill it in", True),
              ("Actions: one action a row. Click a cell to see what to write; where a cell offers a list, "
               "choose from it. Several partners, strategies or measures go in one cell, separated by ;.", False),
              ("Indicator updates: new values for logframe measures, one value a row.", False),
              ("Strategies: strategies and plans you cite that the lists do not hold, with their owner.", False),
              ("Rows left empty are not read. Keep the headings in row 1 as they are.", False),
              ("The partner guidance (partner-guidance.docx) lists every outcome, measure, strategy and partner "
               "you may name and the date forms that are read.", False),
              ("An example row of the Actions sheet", True)]
    example = example_values(content, content.sections[0] if content.sections else None)
    for column in columns["Actions"]:
        label = content.heading(column.kind, column.field) or column.field
        lines.append((f"{label}: {example[column.field]}", False))
    return lines


def template_workbook(content: TemplateContent) -> bytes:
    """The Excel submission template's bytes (deterministic)."""
    wb = Workbook()
    guidance = wb.active
    guidance.title = "Guidance"
    columns = _columns(content)
    lists = wb.create_sheet(LISTS)
    ranges = _write_lists(lists, content)
    for name, cols in columns.items():
        if cols:
            ws = wb.create_sheet(name, index=len(wb.sheetnames) - 1)
            _write_table_sheet(ws, content, cols, ranges)
    for r, (line, heading) in enumerate(_guidance_lines(content, columns), start=1):
        cell = guidance.cell(r, 1)
        set_text(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if heading:
            cell.font = Font(bold=True, size=14 if r == 1 else 12)
    guidance.column_dimensions["A"].width = 120
    lists.sheet_state = "hidden"

    props = wb.properties
    props.title = clean_text(f"{content.plan_title}: submission template"
                             + (f" \u2013 {content.partner}" if content.partner else ""))
    props.subject = "Partner submission template"
    props.creator = "sdp"
    props.lastModifiedBy = "sdp"
    props.language = content.language
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip_bytes(buf.getvalue())
