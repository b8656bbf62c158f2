"""partner-guidance.docx: what a partner may write, generated from the rules the compiler enforces.

Everything listed comes from the same places the readers and the resolver
take it from: outcomes, priorities and enablers (rules/outcomes.toml), the
column headings and their synonyms (rules/headers.toml, as loaded), the date
forms `compiler.values.parse_due` reads (each example shown with the date it
is read as, computed by that function), the strategies and logframe measures
of the compiled plan, and the deadline and contact of rules/system.toml. So
the guidance a policy team sends out cannot drift from what the compiler does.
"""

from __future__ import annotations

from ..blocks import DocTitle, Document
from ..compilation import Compilation
from ..model import natural_key
from .format import long_date
from .templates import date_forms, example_due, send_sentence, template_content

# The kinds of table a partner writes, from rules/headers.toml, with what each is for.
HEADER_KINDS = (
    ("metadata", "Who you are", "Lines such as 'Organisation: …' near the top of a Word document, or a "
                                "two-column table of them: the organisation line says who sent the file. A "
                                "workbook says it by its file name, which should hold your organisation's name."),
    ("action", "Actions table", "The header row of a table of actions, in a Word document or a sheet of a "
                                "workbook. Any order, any subset; a column with another heading is kept as an "
                                "extra field."),
    ("inline", "Fields written after a bulleted action",
     "Written after the action's text, as in 'Run a falls clinic (Lead: …; By: {month})'."),
    ("strategy", "Strategies and plans table", "A table or sheet listing the strategies and plans you signpost."),
    ("data_update", "Indicator updates", "A sheet of new values for logframe measures."),
)
FIELD_NAMES = {
    "partner": "your organisation", "contact": "contact", "date": "date", "version": "version",
    "status": "status", "title": "title", "period": "period", "ref": "reference", "action": "the action",
    "outcome": "outcome or priority", "lead": "lead organisation", "partners": "partners working with you",
    "strategy": "strategy or plan", "milestones": "milestones", "timescale": "timescale",
    "indicators": "logframe measures", "place": "place", "depends": "actions it depends on",
    "name": "name", "owner": "owner", "link": "link", "outcomes": "outcomes it serves",
    "indicator": "indicator ID", "value": "value", "geography": "geography",
}


def guidance_document(comp: Compilation) -> Document:
    """The partner guidance for the system `comp` was compiled with."""
    content = template_content(comp)
    rules, plan = comp.rules, comp.plan
    title = f"{content.plan_title}: guidance for partners"
    doc = Document(title, subject="Guidance for partners on writing a submission", author=content.author,
                   keywords="Shared Delivery Plan, partner guidance", language=content.language,
                   created=content.created)
    doc.blocks.append(DocTitle(title))
    doc.para("How to write your organisation's contribution so that it is read as you meant it. Everything "
             "listed here is generated from the rules the plan is compiled with: the outcomes, headings, "
             "date forms, strategies and measures below are exactly the ones the compiler accepts.")

    doc.heading("Deadline and contact", 1)
    doc.para(("Fill in the submission template (Word or Excel), or send your own Word or Excel documents "
              "laid out as below. " + send_sentence(content)).strip())

    doc.heading("Outcomes and priorities", 1)
    doc.para("Write under a heading that names the outcome: by its ID, its number or its title. In a table, "
             "name the outcome or one of its priorities by ID or title.")
    rows = []
    for o in rules.outcomes:
        rows.append([o.id, o.title, "; ".join(o.aliases) or "–"])
        rows.extend([p.id, p.title, "; ".join(p.aliases) or "–"] for p in o.priorities)
    doc.table(["ID", "Outcome or priority", "Also accepted"], rows, widths=[1, 5, 3])

    doc.heading("Conditions for successful delivery", 1)
    doc.para("These enablers are named and written under like outcomes.")
    doc.table(["ID", "Enabler", "Also accepted"],
              [[e.id, e.title, "; ".join(e.aliases) or "–"] for e in rules.enablers], widths=[1, 5, 3])

    forms = date_forms(example_due(content))
    doc.heading("Headings", 1)
    doc.para("Use the heading in the second column; any of the others is read the same way. Case, "
             "punctuation and words in brackets do not matter.")
    for kind, label, what in HEADER_KINDS:
        fields = rules.headers.get(kind, {})
        if not fields:
            continue
        doc.heading(label, 2)
        doc.para(what.format(month=forms[4].example))
        doc.table(["Field", "Heading", "Also accepted"],
                  [[_capital(FIELD_NAMES.get(f, f.replace("_", " "))), words[0], "; ".join(words[1:]) or "–"]
                   for f, words in fields.items() if words], widths=[2.5, 2.5, 6])

    doc.heading("Dates", 1)
    doc.para("Give each milestone a date in one of these forms; a milestone whose date cannot be read is "
             "reported back to you.")
    doc.table(["Form", "Example", "Read as"],
              [[d.form, d.example, long_date(d.read_as)] for d in forms],
              widths=[5, 2.5, 2.5])

    doc.heading("Partners", 1)
    doc.para("Name lead organisations and partners as listed here, or by a name in the last column.")
    doc.table(["Partner", "Also accepted"], [[p.name, "; ".join(p.aliases) or "–"] for p in rules.partners],
              widths=[5, 5])

    doc.heading("Strategies and plans you may cite", 1)
    doc.para("Name the strategy or plan an action is delivered through as listed here. To cite another, "
             "list it in a strategies table (or the Strategies sheet of the Excel template) with its owner.")
    owners = {p.id: p.name for p in rules.partners}
    doc.table(["Strategy or plan", "Also accepted", "Owner"],
              [[s.name, "; ".join(a for a in s.aliases if a != s.name) or "–", owners.get(s.owner_id or "", "–")]
               for s in sorted(plan.strategies, key=lambda s: s.name.casefold())], widths=[5, 3, 3])

    doc.heading("Measures you may cite", 1)
    doc.para("Name the logframe measures an action contributes to by ID. An ID not listed here is "
             "reported as unknown.")
    labels = {o.id: o.id for o in rules.outcomes}
    doc.table(["ID", "Measure", "Outcome"],
              [[i.id, i.name or "", ", ".join(labels.get(o, o) for o in i.outcome_ids) or "–"]
               for i in sorted(plan.indicators, key=lambda i: natural_key(i.id))], widths=[1, 7, 1.5])
    return doc


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
