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

register_code("C001", "error", "an outcome with no action", """
What it finds: a shared outcome to which no action in any submission contributes.
Why it matters: the plan cannot show how the outcome will be delivered; reviewers will ask.
How to fix it: agree which partners will lead work on it and add their actions.""")
register_code("C002", "error", "an outcome with no indicator", """
What it finds: a shared outcome with no logframe indicator measuring it.
Why it matters: progress on the outcome cannot be measured.
How to fix it: add at least one indicator for it to the logframe, or mark one in development.""")
register_code("C003", "warning", "a priority with no action", """
What it finds: a priority of the strategy that no action names.
Why it matters: a commitment of the strategy has no delivery behind it in this plan.
How to fix it: link an existing action to the priority (its ID in the Outcome column) or add one.""")
register_code("C004", "warning", "an action with no indicator", """
What it finds: an action that names no logframe measure.
Why it matters: its impact cannot be measured, as members asked it should be.
How to fix it: add the logframe measure(s) the action moves in its Measure column or field.""")
register_code("C005", "warning", "an action with no lead partner", """
What it finds: an action whose lead is blank. The compiler never assumes the submitter leads.
Why it matters: delivery ownership must sit with a sovereign organisation.
How to fix it: name the lead organisation.""")
register_code("C006", "warning", "an action with no milestone or timescale", """
What it finds: an action with no milestone and no timescale.
Why it matters: progress cannot be controlled against milestones.
How to fix it: add at least one dated milestone, e.g. "Pilot launched – March 2025".""")
register_code("C007", "info", "an indicator that no action relies on", """
What it finds: a logframe indicator that no action names as its measure.
Why it matters: nothing in the plan is expected to move it; either an action is missing a link
or the indicator is context only.
How to fix it: link the actions that affect it, or accept it as a context measure.""")
register_code("C008", "warning", "an expected partner with no submission", """
What it finds: a partner flagged `expected = true` in rules/partners.toml with no submission.
Why it matters: its contribution is missing from a plan that claims to be system-wide.
How to fix it: chase the submission, or unflag the partner.""")
register_code("C009", "warning", "an outcome with no business partner involved", """
What it finds: a shared outcome with no action led or supported by a business or
private-sector partner.
Why it matters: the Health and Wellbeing Board asked that business involvement be evident.
How to fix it: involve a business partner (chamber, economic partnership, employers) in an action.""")
register_code("C010", "info", "a place with no action under an outcome", """
What it finds: a Health and Care Partnership area with no place-based action under an outcome.
Why it matters: the outcome may not be delivered in that place, unless system-wide actions cover it.
How to fix it: check with the HCP whether local work exists.""")
register_code("C011", "info", "a strategy signposted by no action", """
What it finds: a strategy or plan in a register that no action says it is delivered through.
Why it matters: the plan cannot show what the strategy contributes.
How to fix it: link the actions delivered through it, or remove it from the register.""")

register_code("D001", "warning", "an indicator without a baseline", "")
register_code("D002", "warning", "an indicator without a target", "")
register_code("D003", "warning", "an indicator without a data source or owner", "")
register_code("D004", "warning", "a target no better than the baseline", "")
register_code("D005", "warning", "a target less ambitious than the recent trend", "")
register_code("D006", "info", "an indicator in development or awaiting sign-off", "")
register_code("D007", "warning", "a baseline older than the threshold", "")
register_code("D008", "warning", "a milestone outside the plan period", "")
register_code("D009", "warning", "near-duplicate actions from different partners", "")
register_code("D010", "error", "conflicting values or definitions for one indicator", """
What it finds: one indicator given two different values for the same period and geography (for
example by the logframe and a data update), or two different definitions.
Why it matters: the plan would publish one of them without saying which is right.
How to fix it: agree the correct figure with the analysts and correct the other source.""")
register_code("D011", "warning", "a milestone passed with the action not complete", "")
