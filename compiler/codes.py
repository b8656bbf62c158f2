"""The diagnostics catalogue: every code, its default severity and what it means.

Codes are stable and never reused. Check functions (compiler.checks) register
against these entries; readers and the resolver emit the I and R codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Location, Severity


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    summary: str
    explanation: str = ""


_CATALOGUE: dict[str, CodeInfo] = {}


def register_code(code: str, severity: str, summary: str, explanation: str = "") -> CodeInfo:
    info = CodeInfo(code, Severity(severity), summary, explanation.strip())
    _CATALOGUE[code] = info
    return info


def code_info(code: str) -> CodeInfo:
    return _CATALOGUE[code]


def all_codes() -> list[CodeInfo]:
    return [_CATALOGUE[c] for c in sorted(_CATALOGUE)]


def emit(code: str, message: str, *, subject: str | None = None, location: Location | None = None,
         suggestions: list[str] | tuple[str, ...] = ()) -> Diagnostic:
    """A diagnostic at the code's default severity (rules may change it later)."""
    return Diagnostic(code, _CATALOGUE[code].severity, message, subject, location, tuple(suggestions))


register_code("I001", "error", "a .docx/.xlsx that cannot be opened", """
What it finds: a Word or Excel file in the inputs that could not be read at all: not a zip
(truncated, damaged in transfer), password-protected or encrypted, a legacy .doc/.xls saved
under a new extension, malformed XML in a part the compiler needs, or over a size limit in
rules/limits.toml.
Why it matters: nothing in the file reaches the plan, so its actions, indicators and strategies
are missing from every output.
How to fix it: open the file in Word or Excel; if it opens, save it again as a normal .docx/.xlsx
(File > Save As, "Word Document" / "Excel Workbook", no password) and resubmit. If it does not
open, ask the partner to send it again.""")
register_code("I002", "info", "a file of a kind the compiler does not read", """
What it finds: a file in the inputs folder that is not a Word or Excel submission (.doc, .xls,
.pdf, .odt, .csv, images, Office lock files ~$…, hidden files).
Why it matters: its content is not in the plan. Often that is right (a lock file); sometimes a
partner sent the wrong format.
How to fix it: if the file is a submission, ask for it as .docx or .xlsx; otherwise remove it
from the inputs folder or ignore the code for that file in rules/checks.toml.""")
register_code("I003", "warning", "a submission whose partner cannot be told", """
What it finds: a submission for which no metadata block (Organisation: …), core property,
header or file name names a partner in rules/partners.toml.
Why it matters: its actions cannot be attributed, and partner appendices and coverage by
partner type miss it.
How to fix it: add an "Organisation: <partner name>" line or metadata table at the top, or add
the name the partner uses as an alias in rules/partners.toml.""")
register_code("I004", "warning", "a submission with nothing the compiler could use", """
What it finds: a readable file in which no outcome section, action, indicator or strategy was
found.
Why it matters: the partner's contribution is silently absent from the plan unless this is
reported.
How to fix it: check that outcome headings name the shared outcomes (by ID, number or title)
and that actions are in a table with an action column or in a bulleted list.""")
register_code("I005", "warning", "a table or sheet lacks a required column", """
What it finds: a table or sheet whose header looks like an actions table, logframe or register
but lacks a column it needs (an action column; an indicator ID or name; a value or period).
Why it matters: its rows cannot be read as plan content and are listed as ignored.
How to fix it: add the missing column, or rename the header to one of the synonyms in
rules/headers.toml.""")
register_code("I006", "info", "content ignored, with the reason", """
What it finds: paragraphs, table rows or sheet rows that were read but did not feed the plan,
grouped by reason (front matter, a table that is not an actions table, a title block…).
Why it matters: accounting proves nothing was lost; this is where to look when something a
partner wrote is missing from the plan.
How to fix it: usually nothing; if the content should be in the plan, move it under an outcome
heading or into an actions table.""")
register_code("I007", "warning", "a formula cell with no cached value", """
What it finds: a formula cell saved without its computed value (some tools and scripts never
calculate formulas). The compiler never evaluates formulas.
Why it matters: the value is treated as missing.
How to fix it: open the workbook in Excel, let it calculate, save it again; or paste the value.""")
register_code("I008", "warning", "an unparseable date, period or number, kept as text", """
What it finds: a milestone date, financial period or indicator value the compiler could not
read, for example "Spring" or "about 60".
Why it matters: the milestone cannot be placed on the timeline, or the value cannot be compared
with the target.
How to fix it: write dates as "March 2025", "31/03/2025", "Q2 2025/26" or "2025/26", and
values as plain numbers.""")
register_code("I009", "warning", "a file that took longer than the time budget", """
What it finds: a file whose reading was stopped because it took longer than
limits.max_seconds_per_file.
Why it matters: its content is missing from the plan.
How to fix it: check the file for very large sheets or embedded content; save a smaller copy.""")

register_code("R001", "error", "unknown outcome, priority or enabler", """
What it finds: a reference to a shared outcome, priority or enabler that is not in
rules/outcomes.toml, even allowing for spelling.
Why it matters: the action is not linked to that outcome, so coverage and chapters omit it.
How to fix it: use the ID given in rules/outcomes.toml, the outcome number or the title.""")
register_code("R002", "error", "unknown indicator", """
What it finds: a measure or indicator reference that matches no indicator in the logframe.
Why it matters: the action's impact cannot be measured against the logframe.
How to fix it: use the logframe's indicator ID, or add the indicator to the logframe.""")
register_code("R003", "warning", "unknown strategy or plan", """
What it finds: a strategy or plan named by an action that no strategy register or strategies
table lists.
Why it matters: the plan cannot signpost it with its owner and status.
How to fix it: add it to the strategy register (with its lead and status), or correct the name.""")
register_code("R004", "warning", "unknown partner", """
What it finds: a lead or supporting partner that is not in rules/partners.toml.
Why it matters: the action is not attributed to that organisation in partner appendices.
How to fix it: use the partner's registered name or abbreviation, or add it as an alias.""")
register_code("R005", "warning", "ambiguous reference", """
What it finds: a reference that matches two or more candidates about equally well.
Why it matters: the compiler will not guess; the reference is left unlinked.
How to fix it: write the ID or the full name.""")
register_code("R006", "info", "fuzzy match accepted", """
What it finds: a reference that did not match exactly but was close enough to be accepted; the
message says what was written and what it was taken to mean.
Why it matters: a close match can be a wrong match; a reviewer should confirm it.
How to fix it: correct the spelling in the submission, or add the spelling as an alias.""")
register_code("R007", "error", "duplicate ID", """
What it finds: two actions or two indicators with one ID but different content.
Why it matters: references to that ID are ambiguous and one of the two may be lost in reports.
How to fix it: give each a unique reference.""")
register_code("R008", "error", "dependency cycle between actions", """
What it finds: actions that depend on each other in a loop.
Why it matters: no order of delivery satisfies them.
How to fix it: remove one of the "depends on" links.""")
register_code("R009", "warning", "unknown place", """
What it finds: a place (HCP, district or the whole system) that is not in rules/places.toml.
Why it matters: the action is missing from the coverage matrix for that place.
How to fix it: use the place's registered name, or add the spelling as an alias.""")
register_code("R010", "warning", "unknown action in 'depends on'", """
What it finds: a dependency on an action reference that no submission defines.
Why it matters: the dependency cannot be shown or checked for cycles.
How to fix it: use the other action's reference exactly as its submission gives it.""")

register_code("D010", "error", "conflicting values or definitions for one indicator", """
What it finds: one indicator given two different values for the same period and geography (for
example by the logframe and a data update), or two different definitions.
Why it matters: the plan would publish one of them without saying which is right.
How to fix it: agree the correct figure with the analysts and correct the other source.""")
