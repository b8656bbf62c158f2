"""What a partner's submission template offers, and the Word template laid out as the readers expect.

`template_content` gathers, once, everything a template lets a partner choose:
the outcomes, priorities and enablers and the partners from the rules; the
strategies and logframe measures from the compiled plan (so a template offers
what the compiler will resolve); the canonical column headings (the first
synonym of each field in the rules' headers). The Word template
(`word_template`) and the Excel template (compiler/writers/templates_xlsx.py)
lay the same content out in their own format.

The Word template is a contribution as docs/writing-a-submission.md describes it: a title
and guidance (front matter, never read as plan content), a metadata block of
`Key: value` lines, one section per outcome and enabler under a heading that
names it by ID and title, each with an actions table whose header row uses the
canonical headings. Everything a partner fills in is a form field (a Word
content control): drop-downs of outcomes and priorities and of partners,
combo boxes (choose or type) for partners working with, strategies and
measures, text for the action and its milestones. An empty field shows its
prompt, which guides and is never read, so a section left untouched adds
nothing to the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..blocks import DocTitle, Document, Field, Para, Text, table
from ..compilation import Compilation
from ..model import natural_key
from ..values import parse_due
from .format import MONTHS, long_date

# The fields of the actions table a template offers, in column order (docs/writing-a-submission.md, "Actions as a table").
ACTION_FIELDS = ("action", "outcome", "lead", "partners", "strategy", "indicators", "milestones")
# What each column asks for: the prompt of an empty cell, and the Excel column's input message.
COLUMN_HELP = {
    "action": "What you will do, in a sentence or two",
    "outcome": "The outcome or priority the action serves",
    "lead": "The organisation that leads the action",
    "partners": "Organisations working with you: choose one or type several, separated by ;",
    "strategy": "The strategy or plan it is delivered through: choose one or type several, separated by ;",
    "indicators": "Logframe measure IDs: choose one or type several, separated by ;",
    "milestones": "Milestones, each with a date (day first), one per line or separated by ;",
}
ROWS_PER_SECTION = 3  # the example row and two more; Word adds a row at Tab in the last cell
SEP = " \u2013 "      # between an ID and its title: `O3 – Help people live well`


@dataclass(frozen=True)
class Section:
    """One outcome or enabler section of the Word template."""

    id: str
    heading: str                  # `O3 – Help people live well for longer`
    title: str
    choices: tuple[str, ...]      # its Outcome column's choices: itself, then its priorities
    indicators: tuple[str, ...]   # the measure IDs of this outcome (for the example row)
    strategies: tuple[str, ...]   # strategies serving this outcome (for the example row)


@dataclass(frozen=True)
class TemplateContent:
    plan_title: str
    author: str
    language: str
    created: date
    deadline: date | None
    contact: str
    partner: str | None               # the partner's name when the template is pre-filled for one
    sections: tuple[Section, ...]
    strategic: tuple[str, ...]        # every outcome, priority and enabler, `ID – title`
    partners: tuple[str, ...]         # registered partner names, in rules order
    strategies: tuple[str, ...]       # strategy and plan names the plan knows, by name
    indicators: tuple[str, ...]       # logframe measure IDs, in natural order
    indicator_names: tuple[str, ...]  # their names, in the same order
    places: tuple[str, ...]
    strategy_statuses: tuple[str, ...]
    headers: dict[str, dict[str, str]]  # kind -> field -> canonical heading (its first synonym)

    def heading(self, kind: str, field: str) -> str | None:
        return self.headers.get(kind, {}).get(field)

    @property
    def action_fields(self) -> tuple[str, ...]:
        """The actions table's fields this system's rules name (every field needs a heading)."""
        return tuple(f for f in ACTION_FIELDS if self.heading("action", f))


class UnknownPartner(ValueError):
    """`--partner` names no registered partner."""


def template_content(comp: Compilation, partner_id: str | None = None) -> TemplateContent:
    """Everything the templates offer, from the rules and the compiled plan."""
    rules, plan = comp.rules, comp.plan
    partner = None
    if partner_id is not None:
        partner = rules.partner(partner_id)
        if partner is None:
            raise UnknownPartner(partner_id)
    indicators = sorted(plan.indicators, key=lambda i: natural_key(i.id))
    sections = [Section(o.id, f"{o.id}{SEP}{o.title}", o.title,
                        (f"{o.id}{SEP}{o.title}",) + tuple(f"{p.id}{SEP}{p.title}" for p in o.priorities),
                        tuple(i.id for i in indicators if o.id in i.outcome_ids),
                        tuple(sorted(s.name for s in plan.strategies if o.id in s.outcome_ids)))
                for o in rules.outcomes]
    sections += [Section(e.id, f"{e.id}{SEP}{e.title}", e.title, (f"{e.id}{SEP}{e.title}",), (), ())
                 for e in rules.enablers]
    strategic = [c for s in sections for c in s.choices]
    headers = {kind: {f: words[0] for f, words in fields.items() if words and isinstance(words[0], str)}
               for kind, fields in rules.headers.items()}
    system = rules.system
    return TemplateContent(
        plan_title=system.plan_title, author=system.publisher or system.name, language=system.language,
        created=rules.period.start, deadline=system.submission_deadline, contact=system.contact,
        partner=partner.name if partner else None, sections=tuple(sections), strategic=tuple(strategic),
        partners=tuple(p.name for p in rules.partners),
        strategies=tuple(sorted({s.name for s in plan.strategies}, key=str.casefold)),
        indicators=tuple(i.id for i in indicators), indicator_names=tuple(i.name or "" for i in indicators),
        places=tuple(p.name for p in rules.places),
        strategy_statuses=tuple(rules.references.status.strategy_statuses), headers=headers)


def example_due(content: TemplateContent) -> date:
    """A milestone date for examples: the end of the plan's second quarter, by UK financial years."""
    start = content.created
    fy = start.year if start.month >= 4 else start.year - 1
    return date(fy, 9, 30)


@dataclass(frozen=True)
class DateForm:
    form: str
    example: str
    read_as: date | None  # what parse_due reads the example as


def date_forms(around: date) -> list[DateForm]:
    """The date forms milestones may use, each with an example near `around` (a quarter end) and the
    date the compiler reads it as."""
    fy = around.year if around.month >= 4 else around.year - 1
    fy_text = f"{fy}/{(fy + 1) % 100:02d}"
    quarter = (around.month - 4) % 12 // 3 + 1
    month = MONTHS[around.month - 1]
    examples = [
        ("Day, month and year, day first", around.strftime("%d/%m/%Y")),
        ("Day first, even where the day could be a month", f"01/{(around.month % 12) + 1:02d}/{around.year}"),
        ("Day, month name and year", f"{around.day} {month} {around.year}"),
        ("Year, month and day", around.isoformat()),
        ("Month and year: the last day of the month", f"{month} {around.year}"),
        ("Short month and year: the last day of the month", f"{month[:3]}-{around.year % 100:02d}"),
        ("Quarter of a financial year: its last day", f"Q{quarter} {fy_text}"),
        ("Financial year: 31 March at its end", fy_text),
    ]
    return [DateForm(form, example, parse_due(example)) for form, example in examples]


def send_sentence(content: TemplateContent) -> str:
    """`Send it to … by 31 January 2025.`, from the rules' contact and deadline (either may be absent)."""
    to = f" to {content.contact}" if content.contact else ""
    by = f" by {long_date(content.deadline)}" if content.deadline else ""
    return f"Send it{to}{by}." if to or by else ""


# --------------------------------------------------------------------------- the Word template

def word_template(content: TemplateContent) -> Document:
    """The Word submission template, pre-filled for `content.partner` when there is one."""
    who = f" \u2013 {content.partner}" if content.partner else ""
    title = f"{content.plan_title}: submission template{who}"
    doc = Document(title, subject="Partner submission template", author=content.author,
                   keywords="Shared Delivery Plan, submission template", language=content.language,
                   created=content.created, landscape=True)
    doc.blocks.append(DocTitle(title))
    doc.para(f"Use this template to send your organisation's contribution to the {content.plan_title}. "
             + send_sentence(content))
    doc.heading("How to fill it in", 1)
    for line in _instructions(content):
        doc.bullet(line)
    doc.heading("About this submission", 1)
    _metadata(doc, content)
    for section in content.sections:
        _section(doc, content, section)
    return doc


def _instructions(content: TemplateContent) -> list[str]:
    forms = date_forms(example_due(content))
    return [
        "Fill in the grey fields: click one, then choose from its list or type. What a field shows in grey "
        "is guidance or an example; it disappears when you type and is never read.",
        "Write under the heading of each outcome your organisation contributes to, and leave the others as "
        "they are. Keep the headings and the table headings as they are: they are how your contribution is read.",
        "One action per row. To add a row, put the cursor in the last cell of the table and press Tab.",
        "Several partners, strategies or measures go in one cell, separated by semicolons (;).",
        "Give each milestone a date, day first, such as " + ", ".join(f.example for f in forms[:-1])
        + " or " + forms[-1].example + ".",
        "The partner guidance (partner-guidance.docx) lists every outcome, priority, measure, strategy and "
        "partner you may name, and the other headings and date forms that are accepted.",
    ]


def _metadata(doc: Document, content: TemplateContent) -> None:
    """The `Key: value` lines that say who submitted it (docs/writing-a-submission.md, "Say who you are": first in precedence)."""
    lines = [("partner", Field("Organisation", "list", content.partners, text=content.partner or "",
                               prompt="Choose your organisation")),
             ("contact", Field("Contact", "text", prompt="Type the name and email address of your contact")),
             ("date", Field("Date", "date", prompt="Choose or type the date, such as "
                                                   + (content.deadline or example_due(content)).strftime("%d/%m/%Y")))]
    for field_name, field in lines:
        key = content.heading("metadata", field_name)
        if key:
            doc.blocks.append(Para((Text(f"{key}: "), field)))


def _section(doc: Document, content: TemplateContent, section: Section) -> None:
    doc.heading(section.heading, 1)
    doc.blocks.append(Para((Field(
        f"About {section.id}", "text",
        prompt=f"Optional: in a few sentences, what your organisation will do towards '{section.title}'. "
               "Then list each action in a row of the table below: the first row shows an example in grey; "
               "type over it. Rows left empty are not read."),)))
    fields = content.action_fields
    header = [content.heading("action", f) for f in fields]
    rows = [[Para((_cell_field(content, section, f, example=(n == 0)),)) for f in fields]
            for n in range(ROWS_PER_SECTION)]
    widths = {"action": 4, "milestones": 3, "outcome": 2.4}
    doc.blocks.append(table(header, rows, [widths.get(f, 2) for f in fields],
                            caption=f"Actions towards {section.id}"))


def _cell_field(content: TemplateContent, section: Section, field_name: str, *, example: bool) -> Field:
    """The form field of one cell of a section's actions table; the example row's prompts are examples."""
    label = content.heading("action", field_name) or field_name
    prompt = COLUMN_HELP[field_name]
    if example:
        prompt = "Example: " + example_values(content, section)[field_name]
    if field_name == "outcome":
        return Field(label, "list", section.choices, prompt=prompt)
    if field_name == "lead":
        return Field(label, "list", content.partners, text=content.partner or "", prompt=prompt)
    if field_name == "partners":
        return Field(label, "combo", content.partners, prompt=prompt)
    if field_name == "strategy":
        return Field(label, "combo", section.strategies or content.strategies, prompt=prompt)
    if field_name == "indicators":
        return Field(label, "combo", section.indicators or content.indicators, prompt=prompt)
    return Field(label, "text", prompt=prompt)


def example_values(content: TemplateContent, section: Section | None) -> dict[str, str]:
    """An example value for each column of the actions table, taken from what `section` may name."""
    first = lambda items, fallback: items[0] if items else fallback  # noqa: E731
    due = example_due(content)
    return {
        "action": "Run a joint programme with partners" + (f" towards '{section.title}'" if section else ""),
        "outcome": first(section.choices[1:] or section.choices, "") if section else "",
        "lead": content.partner or first(content.partners, "your organisation"),
        "partners": "; ".join(p for p in content.partners[:2] if p != content.partner) or "other partners",
        "strategy": first((section.strategies if section else ()) or content.strategies, "the plan it delivers"),
        "indicators": first((section.indicators if section else ()) or content.indicators, "a measure ID"),
        "milestones": f"Programme launched by {due.strftime('%d/%m/%Y')}; first review by "
                      f"Q4 {due.year}/{(due.year + 1) % 100:02d}",
    }
