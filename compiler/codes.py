"""The code table: every diagnostic code, declared once, with its default severity and meaning.

Like a linter's rule table, this module holds every code the compiler can
report, and nothing else imports a code into existence:

- I: input (readers): a file that cannot be read, or content that cannot be used;
- R: resolution: references that do not link up;
- C: coverage gaps (compiler.checks.coverage);
- D: data quality (compiler.checks.data_quality, and D010 from resolution);
- A: accessibility of a generated Word document (compiler.a11y, `sdp lint-doc`).

Codes are stable and never reused. Readers, the resolver and the accessibility
check only `emit` a declared code; a check function binds itself to one with
`@check("C004")` (compiler.checks.registry), which fails at import if the code
is not declared here. `sdp explain CODE` prints an entry; the rules loader
rejects codes and prefixes that match nothing here. Importing this module
imports no check.

To add a code: declare it below, in code order, with what it finds, why it
matters and how to fix it; then emit it (or bind a check to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Location, Severity

PREFIXES = {"I": "input", "R": "resolution", "C": "coverage", "D": "data quality", "A": "accessibility"}


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    summary: str
    explanation: str = ""


_CATALOGUE: dict[str, CodeInfo] = {}


def declare(code: str, severity: str, summary: str, explanation: str) -> CodeInfo:
    """Add a code to the table (only this module calls it). A code is declared once."""
    if code in _CATALOGUE:
        raise ValueError(f"diagnostic code {code} is declared twice")
    if code[:1] not in PREFIXES or len(code) != 4 or not code[1:].isdigit():
        raise ValueError(f"diagnostic code {code!r} is not a prefix letter ({', '.join(PREFIXES)}) and three digits")
    if not summary or not explanation.strip():
        raise ValueError(f"diagnostic code {code} needs a summary and an explanation")
    info = CodeInfo(code, Severity(severity), summary, explanation.strip())
    _CATALOGUE[code] = info
    return info


def code_info(code: str) -> CodeInfo:
    """The code's entry; KeyError if no such code is declared."""
    return _CATALOGUE[code]


def is_code(code: str) -> bool:
    return code in _CATALOGUE


def all_codes() -> list[CodeInfo]:
    return [_CATALOGUE[c] for c in sorted(_CATALOGUE)]


def matches_any(prefix: str) -> bool:
    """Whether a select/ignore prefix ("C", "D01", "C004") names at least one declared code."""
    return any(code.startswith(prefix) for code in _CATALOGUE)


def similar_codes(word: str, limit: int = 3, *, prefixes: bool = True) -> list[str]:
    """Declared codes (and, with `prefixes`, prefixes of them) close to a mistyped one, best first:
    'D11' -> ['D011', …], 'C0O4' -> ['C004']."""
    from rapidfuzz import fuzz, process

    word = word.strip().upper()
    if not word:
        return []
    codes = sorted(_CATALOGUE)
    candidates = codes if len(word) >= 4 or not prefixes else sorted({c[:len(word)] for c in codes} | set(codes))
    found = process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=60, limit=limit)
    return [c for c, _, _ in sorted(found, key=lambda t: (-t[1], len(t[0]) != 4, t[0]))]


def emit(code: str, message: str, *, subject: str | None = None, location: Location | None = None,
         suggestions: list[str] | tuple[str, ...] = ()) -> Diagnostic:
    """A diagnostic at the code's default severity (rules may change it later)."""
    return Diagnostic(code, _CATALOGUE[code].severity, message, subject, location, tuple(suggestions))


# --------------------------------------------------------------------------- I: input

declare("I001", "error", "a .docx/.xlsx that cannot be opened", """
What it finds: a Word or Excel file in the inputs that could not be read at all: not a zip
(truncated, damaged in transfer), password-protected or encrypted, a legacy .doc/.xls, a web
page (HTML, MHT) or a Word/Excel 2003 XML file saved under a new extension, malformed XML in a
part the compiler needs, or over a size limit in rules/limits.toml. The message names what the
file is.
Why it matters: nothing in the file reaches the plan, so its actions, indicators and strategies
are missing from every output.
How to fix it: open the file in Word or Excel; if it opens, save it again as a normal .docx/.xlsx
(File > Save As, "Word Document" / "Excel Workbook", no password) and resubmit. If it does not
open, ask the partner to send it again.""")
declare("I002", "info", "a file of a kind the compiler does not read", """
What it finds: a file in the inputs folder that is not a Word or Excel submission (.doc, .xls,
.pdf, .csv, images, Office lock files ~$…, hidden files), an OpenDocument file (.odt, .ods,
.odp) or any other zip that is not an Office Open XML package, whatever its name (an .odt
renamed .docx is named as OpenDocument), and PowerPoint presentations. The message names what
the file is.
Why it matters: its content is not in the plan. Often that is right (a lock file); sometimes a
partner sent the wrong format: when an expected partner sent nothing else, C008 says so as a
warning.
How to fix it: if the file is a submission, ask for it as .docx or .xlsx; otherwise remove it
from the inputs folder or ignore the code for that file in rules/checks.toml.""")
declare("I003", "warning", "a submission whose partner cannot be told", """
What it finds: a submission for which no metadata block (Organisation: …), core property,
header or file name names a partner in rules/partners.toml.
Why it matters: its actions cannot be attributed, and partner appendices and coverage by
partner type miss it.
How to fix it: add an "Organisation: <partner name>" line or metadata table at the top, or add
the name the partner uses as an alias in rules/partners.toml.""")
declare("I004", "warning", "a submission with nothing the compiler could use", """
What it finds: a readable file in which no outcome section, action, indicator or strategy was
found.
Why it matters: the partner's contribution is silently absent from the plan unless this is
reported.
How to fix it: check that outcome headings name the shared outcomes (by ID, number or title)
and that actions are in a table with an action column or in a bulleted list.""")
declare("I005", "warning", "a table or sheet lacks a required column", """
What it finds: a table or sheet whose header looks like an actions table, logframe or register
but lacks a column it needs (an action column; an indicator ID or name; a value or period).
Why it matters: its rows cannot be read as plan content and are listed as ignored.
How to fix it: add the missing column, or rename the header to one of the synonyms in
rules/headers.toml.""")
declare("I006", "info", "content ignored, with the reason", """
What it finds: paragraphs, table rows or sheet rows that were read but did not feed the plan,
grouped by reason (front matter, a table that is not an actions table, a title block…).
Why it matters: accounting proves nothing was lost; this is where to look when something a
partner wrote is missing from the plan.
How to fix it: usually nothing; if the content should be in the plan, move it under an outcome
heading or into an actions table.""")
declare("I007", "warning", "a formula cell with no cached value", """
What it finds: a formula cell saved without its computed value (some tools and scripts never
calculate formulas). The compiler never evaluates formulas.
Why it matters: the value is treated as missing.
How to fix it: open the workbook in Excel, let it calculate, save it again; or paste the value.""")
declare("I008", "warning", "an unparseable date, period or number, kept as text", """
What it finds: a milestone date, financial period or indicator value the compiler could not
read, for example "Spring" or "about 60".
Why it matters: the milestone cannot be placed on the timeline, or the value cannot be compared
with the target.
How to fix it: write dates as "March 2025", "31/03/2025", "Q2 2025/26" or "2025/26", and
values as plain numbers.""")
declare("I009", "warning", "a file that took longer than the time budget", """
What it finds: a file whose reading was stopped because it took longer than
limits.max_seconds_per_file.
Why it matters: its content is missing from the plan.
How to fix it: check the file for very large sheets or embedded content; save a smaller copy.""")
declare("I010", "info", "a column header taken to mean a field", """
What it finds: a table or sheet column whose header is not one of the field's synonyms in
rules/headers.toml but close to one ("Partner organisation" for Partners, a misspelt "Milstones")
or containing one ("Partners / stakeholders"), read as that field (the thresholds are
header_match and, for suggestions, fuzzy_suggest in rules/checks.toml).
Why it matters: the column's values are read as that field; if the guess is wrong, they are
in the wrong place in the plan.
How to fix it: if the reading is right, add the header to the field's synonyms at the line of
rules/headers.toml the message names, and the note goes away; if it is wrong, rename the
column in the submission.""")
declare("I011", "warning", "a column the compiler does not read as a field", """
What it finds: a column of an actions table, action tracker, strategies table, logframe or data
update whose header matches no field's synonyms in rules/headers.toml ("Funding", "Risks"),
or names a field another column already gives.
Why it matters: an action's values in it are kept only as custom fields (shown in the
partner's appendix, not used by the checks); in other tables they are not read. If the column
holds partners, milestones or measures, the plan misses them and the checks report false gaps
(no milestone, no business partner).
How to fix it: if the column means a field, add its header to that field's synonyms at the line
of rules/headers.toml the message names; otherwise nothing is needed.""")

# --------------------------------------------------------------------------- R: resolution

declare("R001", "error", "unknown outcome, priority or enabler", """
What it finds: a reference to a shared outcome, priority or enabler that is not in
rules/outcomes.toml, even allowing for spelling.
Why it matters: the action is not linked to that outcome, so coverage and chapters omit it.
How to fix it: use the ID given in rules/outcomes.toml, the outcome number or the title.""")
declare("R002", "error", "unknown indicator", """
What it finds: a measure or indicator reference that matches no indicator in the logframe.
Why it matters: the action's impact cannot be measured against the logframe.
How to fix it: use the logframe's indicator ID, or add the indicator to the logframe.""")
declare("R003", "warning", "unknown strategy or plan", """
What it finds: a strategy or plan named by an action that no strategy register or strategies
table lists.
Why it matters: the plan cannot signpost it with its owner and status.
How to fix it: add it to the strategy register (with its lead and status), or correct the name.""")
declare("R004", "warning", "unknown partner", """
What it finds: a lead or supporting partner that is not in rules/partners.toml.
Why it matters: the action is not attributed to that organisation in partner appendices.
How to fix it: use the partner's registered name or abbreviation, or add it as an alias.""")
declare("R005", "warning", "ambiguous reference", """
What it finds: a reference that matches two or more candidates about equally well.
Why it matters: the compiler will not guess; the reference is left unlinked.
How to fix it: write the ID or the full name.""")
declare("R006", "info", "fuzzy match accepted", """
What it finds: a reference that did not match exactly but was close enough to be accepted; the
message says what was written and what it was taken to mean.
Why it matters: a close match can be a wrong match; a reviewer should confirm it.
How to fix it: correct the spelling in the submission, or add the spelling as an alias.""")
declare("R007", "error", "duplicate ID", """
What it finds: two actions or two indicators with one ID but different content.
Why it matters: references to that ID are ambiguous and one of the two may be lost in reports.
How to fix it: give each a unique reference.""")
declare("R008", "error", "dependency cycle between actions", """
What it finds: actions that depend on each other in a loop.
Why it matters: no order of delivery satisfies them.
How to fix it: remove one of the "depends on" links.""")
declare("R009", "warning", "unknown place", """
What it finds: a place (HCP, district or the whole system) that is not in rules/places.toml.
Why it matters: the action is missing from the coverage matrix for that place.
How to fix it: use the place's registered name, or add the spelling as an alias.""")
declare("R010", "warning", "unknown action in 'depends on'", """
What it finds: a dependency on an action reference that no submission defines.
Why it matters: the dependency cannot be shown or checked for cycles.
How to fix it: use the other action's reference exactly as its submission gives it.""")


# --------------------------------------------------------------------------- C: coverage

declare("C001", "error", "an outcome with no action", """
What it finds: a shared outcome to which no action in any submission contributes.
Why it matters: the plan cannot show how the outcome will be delivered; reviewers will ask.
How to fix it: agree which partners will lead work on it and add their actions.""")
declare("C002", "error", "an outcome with no indicator", """
What it finds: a shared outcome with no logframe indicator measuring it.
Why it matters: progress on the outcome cannot be measured.
How to fix it: add at least one indicator for it to the logframe, or mark one in development.""")
declare("C003", "warning", "a priority with no action", """
What it finds: a priority of the strategy that no action names.
Why it matters: a commitment of the strategy has no delivery behind it in this plan.
How to fix it: link an existing action to the priority (its ID in the Outcome column) or add one.""")
declare("C004", "warning", "an action with no indicator", """
What it finds: an action that names no logframe measure.
Why it matters: its impact cannot be measured, as members asked it should be.
How to fix it: add the logframe measure(s) the action moves in its Measure column or field.""")
declare("C005", "warning", "an action with no lead partner", """
What it finds: an action whose lead is blank. The compiler never assumes the submitter leads.
Why it matters: delivery ownership must sit with a sovereign organisation.
How to fix it: name the lead organisation.""")
declare("C006", "warning", "an action with no milestone or timescale", """
What it finds: an action with no milestone and no timescale.
Why it matters: progress cannot be controlled against milestones.
How to fix it: add at least one dated milestone, e.g. "Pilot launched – March 2025".""")
declare("C007", "info", "an indicator that no action relies on", """
What it finds: a logframe indicator that no action names as its measure.
Why it matters: nothing in the plan is expected to move it; either an action is missing a link
or the indicator is context only.
How to fix it: link the actions that affect it, or accept it as a context measure.""")
declare("C008", "warning", "an expected partner with no submission", """
What it finds: a partner flagged `expected = true` in rules/partners.toml with no submission
the compiler read: none at all, or only files it could not read (a .doc, an .odt, a damaged
file), which the message names with the reason (the partner is told from the file's name or
folder, as for files that are read).
Why it matters: its contribution is missing from a plan that claims to be system-wide.
How to fix it: chase the submission, or unflag the partner; for a file that was not read, ask for
it as .docx or .xlsx (or save it so yourself) and compile again.""")
declare("C009", "warning", "an outcome with no business partner involved", """
What it finds: a shared outcome with no action led or supported by a business or
private-sector partner.
Why it matters: the Health and Wellbeing Board asked that business involvement be evident.
How to fix it: involve a business partner (chamber, economic partnership, employers) in an action.""")
declare("C010", "info", "a place with no action under an outcome", """
What it finds: a Health and Care Partnership area with no place-based action under an outcome.
Why it matters: the outcome may not be delivered in that place, unless system-wide actions cover it.
How to fix it: check with the HCP whether local work exists.""")
declare("C011", "info", "a strategy signposted by no action", """
What it finds: a strategy or plan in a register that no action says it is delivered through.
Why it matters: the plan cannot show what the strategy contributes.
How to fix it: link the actions delivered through it, or remove it from the register.""")


# --------------------------------------------------------------------------- D: data quality

declare("D001", "warning", "an indicator without a baseline", """
What it finds: a logframe indicator with no baseline value (blank, or a suppression mark).
Why it matters: without a starting point nobody can tell whether the outcome is improving.
How to fix it: add the baseline value and its period (e.g. "62.3% (2022/23)" or Baseline /
Baseline period columns).""")
declare("D002", "warning", "an indicator without a target", """
What it finds: an indicator with no target for any period.
Why it matters: members cannot judge ambition or progress.
How to fix it: add a target (Target 2025/26 column, or Targets group heading over years).""")
declare("D003", "warning", "an indicator without a data source or owner", """
What it finds: an indicator with neither a data source nor an owner.
Why it matters: nobody will refresh it, and readers cannot check where the figure comes from.
How to fix it: fill in the Data source and Owner columns.""")
declare("D004", "warning", "a target no better than the baseline", """
What it finds: a final target that is no better than the baseline, given the indicator's polarity
(higher is better, or lower is better).
Why it matters: members asked whether targets are ambitious enough; this one promises no change or
a decline.
How to fix it: check the polarity and the target with the analysts; set a target that improves on
the baseline, or record why holding steady is the ambition.""")
declare("D005", "warning", "a target less ambitious than the recent trend", """
What it finds: a target that the recent trend (a straight line through three or more values)
would reach anyway by the target period.
Why it matters: the plan's actions would add nothing to what is already happening.
How to fix it: raise the target, or explain in the rationale why the trend is expected to stall.""")
declare("D006", "info", "an indicator in development or awaiting sign-off", """
What it finds: an indicator whose status says it is still in development or awaiting sign-off
(the words are in rules/references.toml).
Why it matters: it may change or be dropped; reviewers should know which measures are not final.
How to fix it: nothing, until it is agreed; then update its status.""")
declare("D007", "warning", "a baseline older than the threshold", """
What it finds: a baseline period more than thresholds.baseline_max_age_years before the plan starts.
Why it matters: an old baseline overstates or hides change during the plan.
How to fix it: refresh the baseline with the latest published value.""")
declare("D008", "warning", "a milestone outside the plan period", """
What it finds: a milestone due before the plan period starts or after it ends.
Why it matters: it cannot be used to control progress within this plan.
How to fix it: correct the date, or move the milestone to the next plan.""")
declare("D009", "warning", "near-duplicate actions from different partners", """
What it finds: two actions from different partners whose text is nearly the same.
Why it matters: the plan may double-count one piece of work, or two partners may not know they are
doing the same thing.
How to fix it: agree one joint action with one lead and the other as a supporting partner.""")
declare("D010", "error", "conflicting values or definitions for one indicator", """
What it finds: one indicator given two different values for the same period and geography (for
example by the logframe and a data update), or two different definitions.
Why it matters: the plan would publish one of them without saying which is right.
How to fix it: agree the correct figure with the analysts and correct the other source.""")
declare("D011", "warning", "a milestone passed with the action not complete", """
What it finds: a milestone whose due date has passed (relative to --as-of, default today) on an
action whose status is not complete. The status is the partner's, from a Status, RAG or Progress
column or an inline "Status:", read with the words of rules/references.toml [status] ("Blue",
"Completed March 2025" are complete); the message says the status given (on track, delayed, not started).
Why it matters: slippage should be visible to the board.
How to fix it: update the action's status (Complete when it is done), or agree a new date.""")


# --------------------------------------------------------------------------- A: accessibility

declare("A001", "error", "headings out of order", """
What it finds: a heading that skips a level (a Heading 3 straight after a Heading 1, or a Heading 2
straight after the Title), or a first heading that is not Heading 1 or the Title. Levels come from
the paragraph's style (by name, else its outline level, following "based on") or its own outline
level.
Why it matters: screen-reader users move through a document by its headings; a skipped level reads
as missing content, and the published plan must meet the public sector accessibility regulations.
How to fix it: give the heading the next level down from the one before it (Home > Styles), or
add the missing level above it.""")
declare("A002", "error", "a table without a header row", """
What it finds: a table whose first row is not marked as a header row, or a table with no rows.
Why it matters: a screen reader announces each cell with its column header only when the row is
marked; the mark also repeats the header on each printed page.
How to fix it: select the first row, Table Properties > Row > "Repeat as header row at the top of
each page".""")
declare("A003", "error", "a merged header cell", """
What it finds: a cell in a table's header row that spans several columns or rows (merged cells).
Why it matters: assistive technology cannot tell which columns a merged header belongs to, so
cells are announced with the wrong header or none.
How to fix it: split the cell (Table Layout > Split Cells) and give each column its own header.""")
declare("A004", "error", "an empty header cell", """
What it finds: a cell in a table's header row with no text.
Why it matters: the column's cells are announced with no header, so their meaning is lost.
How to fix it: type a short header for the column.""")
declare("A005", "error", "an image with no alt text", """
What it finds: a picture, chart or drawing (in the body, a header, a footer or a note) with no
alternative text.
Why it matters: a screen-reader user gets nothing from the image; charts in the plan carry data.
How to fix it: right-click the image, Edit Alt Text, and describe what it shows (for a chart, the
trend and the figures that matter); mark a purely decorative image as decorative.""")
declare("A006", "error", "no document title", """
What it finds: a document whose properties give no title.
Why it matters: the title is what a screen reader and a browser tab announce first, and what
search and document lists show.
How to fix it: File > Info > Properties > Title; for generated documents, the plan title comes from
rules/system.toml.""")
declare("A007", "error", "no document language", """
What it finds: a document with no language set in its default styles (w:lang in the document
defaults or the Normal style).
Why it matters: screen readers choose their pronunciation from it; the wrong voice makes the text
hard to follow.
How to fix it: Review > Language > Set Proofing Language on the whole document and set it as the
default; for generated documents, the language comes from rules/system.toml.""")
declare("A008", "error", "a document with no body", """
What it finds: a Word document whose main part has no body (no paragraphs at all).
Why it matters: there is nothing to read, so the document cannot be published as it is.
How to fix it: generate or save the document again; a document saved by Word always has a body.""")
