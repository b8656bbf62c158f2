"""One renderer per output format: how a diagnostic is shown, wherever it is shown.

Small pure functions of a Diagnostic (no I/O, no styling, no escaping beyond
what the format itself needs):

- `text(d, prefix)`   the terminal line: `path: location: severity CODE: message; did you mean …?`
                      (`sdp check`, `sdp compile`, `sdp lint-doc`);
- `to_json(d)`        the JSON object (`--format json`, plan.json, gap-report.json);
- `json_document(ds)` the `--format json` output of the command line;
- `comment(d)`        an annotated copy's Word comment or Excel note: what is wrong, how to fix it;
- `explanation(code)`, `fix_text(code)`
                      the code table's plain explanation (a partner appendix, a comment);
- `message(d)`, `where(d)`, `appendix_row(d)`
                      a partner appendix's "Issues to resolve" table;
- `report_where(d)`, `severity_label(d)`, `summary(d)`, `report_fields(d)`
                      the gap report's HTML table;
- `markdown_item(d, outcome_ids)`, `md_escape(value)`
                      the gap report's Markdown list.

This module imports nothing from the compiler at load time, so that
compiler.diagnostics can re-export `did_you_mean` from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .diagnostics import Diagnostic, Location

PLAN_AS_A_WHOLE = "The plan as a whole"   # a partner appendix's "Where" for a diagnostic with no location
WHOLE_PLAN = "whole plan"                  # the gap report's
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


# --------------------------------------------------------------------------- shared pieces

def did_you_mean(suggestions: Sequence[str]) -> str:
    """`did you mean X?`, `did you mean one of X, Y or Z?`; `no close match` for none."""
    if not suggestions:
        return "no close match"
    if len(suggestions) == 1:
        return f"did you mean {suggestions[0]}?"
    return "did you mean one of " + ", ".join(suggestions[:-1]) + f" or {suggestions[-1]}?"


def message(d: Diagnostic) -> str:
    """The message with its suggestions: `message; did you mean …?` (a partner appendix's "Issue")."""
    return d.message + ("; " + did_you_mean(d.suggestions) if d.suggestions else "")


def _headline(d: Diagnostic) -> str:
    """`severity CODE: message; did you mean …?`"""
    return f"{d.severity.value} {d.code}: {message(d)}"


# --------------------------------------------------------------------------- terminal

def text(d: Diagnostic, prefix: str = "") -> str:
    """The terminal line: `path: location: severity CODE: message; did you mean …?`.

    `prefix` (the inputs folder, `inputs/`) goes before the path; a diagnostic with no
    location has neither: `severity CODE: message`."""
    loc = d.location
    if loc is None:
        return _headline(d)
    where = loc.path + ": " + (loc.text + ": " if loc.text else "")
    return prefix + where + _headline(d)


# --------------------------------------------------------------------------- JSON

def location_json(loc: Location) -> dict:
    return {
        "path": loc.path,
        "sheet": loc.sheet,
        "cell": loc.cell,
        "table": loc.table,
        "row": loc.row,
        "column": loc.column,
        "paragraph": loc.paragraph,
        "text": loc.text,
    }


def to_json(d: Diagnostic) -> dict:
    return {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "subject": d.subject,
        "location": location_json(d.location) if d.location else None,
        "suggestions": list(d.suggestions),
    }


def json_document(diagnostics: Iterable[Diagnostic]) -> str:
    """The command line's `--format json` output: a list, indented, non-ASCII kept."""
    return json.dumps([to_json(d) for d in diagnostics], ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- annotated copies

def comment(d: Diagnostic, place: str | None = None) -> str:
    """An annotated copy's comment or note, read as a colleague's note on the cell or paragraph that
    holds the problem: what is wrong (the message and any suggestion), how to fix it (the code
    table's fix), then the code and severity:

        Unknown partner 'Golding Homes'. To fix it: use the partner's registered name or
        abbreviation, or add it as an alias. (R004, warning)

    `place` (the location's text) goes first when the comment could not be put where the problem is.
    Characters XML cannot hold are removed (a message quoting input text may carry control characters)."""
    what = _sentence(d.message)
    if d.suggestions:
        what += " " + _sentence(did_you_mean(d.suggestions))
    fix = fix_text(d.code)
    text = what + (f" To fix it: {fix}" if fix else "") + f" ({d.code}, {d.severity.value})"
    if place:
        text = f"{place}: " + text
    return _XML_UNSAFE.sub("", text)


def _sentence(text: str) -> str:
    """`unknown partner 'X'` -> `Unknown partner 'X'.`: a capital first letter, a full stop unless it ends in one."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


# --------------------------------------------------------------------------- the code table in words

def explanation(code: str) -> list[tuple[str, str]]:
    """The code table's explanation as (label, text) pairs: `What it finds`, `Why it matters`,
    `How to fix it` (a line that continues the one before joins it); [] for an undeclared code."""
    from .codes import code_info

    try:
        body = code_info(code).explanation
    except KeyError:
        return []
    out: list[list[str]] = []
    for line in body.splitlines():
        label, sep, rest = line.partition(":")
        if sep and label.strip() in ("What it finds", "Why it matters", "How to fix it"):
            out.append([label.strip(), rest.strip()])
        elif out and line.strip():
            out[-1][1] += " " + line.strip()
        elif line.strip():
            out.append(["About it", line.strip()])
    return [(label, text) for label, text in out]


def fix_text(code: str) -> str:
    """The code table's "How to fix it", as one sentence ("" if none)."""
    fix = next((text for label, text in explanation(code) if label == "How to fix it"), "").strip()
    return fix if not fix or fix[-1] in ".?!" else fix + "."


# --------------------------------------------------------------------------- partner appendix

def where(d: Diagnostic) -> str:
    """`path: location`, the path alone, or "The plan as a whole" (a partner appendix's "Where")."""
    if d.location is None:
        return PLAN_AS_A_WHOLE
    return f"{d.location.path}: {d.location.text}" if d.location.text else d.location.path


def appendix_row(d: Diagnostic) -> list[str]:
    """A row of a partner appendix's issues table: Code, Severity, Issue, Where."""
    return [d.code, d.severity.value, message(d), where(d)]


# --------------------------------------------------------------------------- gap report

def summary(d_or_code: Diagnostic | str) -> str:
    """The code's one-line summary from the code table ("" for an undeclared code)."""
    from .codes import code_info

    code = d_or_code if isinstance(d_or_code, str) else d_or_code.code
    try:
        return code_info(code).summary
    except KeyError:
        return ""


def severity_label(d: Diagnostic) -> str:
    return SEVERITY_LABELS[d.severity.value]


def report_where(d: Diagnostic) -> str:
    """`path, location`, the path alone, or "whole plan" (the gap report's "Where")."""
    if d.location is None:
        return WHOLE_PLAN
    return d.location.path + (", " + d.location.text if d.location.text else "")


def report_fields(d: Diagnostic) -> dict:
    """What the gap report's table shows of a diagnostic itself (not who or what it concerns):
    the values its templates read from each row today."""
    loc = d.location
    return {
        "code": d.code,
        "severity": d.severity.value,
        "severity_label": severity_label(d),
        "summary": summary(d),
        "message": d.message,
        "suggestions": list(d.suggestions),
        "subject": d.subject,
        "path": loc.path if loc else "",
        "loc_text": loc.text if loc else "",
        "location_sort": f"{loc.path} {loc.text}" if loc else "",
        "where": report_where(d),
    }


def md_escape(value: object) -> str:
    """Text safe in Markdown (a list item or a table cell): one line, no raw HTML, no stray emphasis or pipes."""
    text_ = " ".join(str(value if value is not None else "").split())
    return _MD_SPECIAL.sub(r"\\\1", text_)


def markdown_item(d: Diagnostic, outcome_ids: Sequence[str] = ()) -> str:
    """The gap report's Markdown entry, two lines (the first ends in a hard line break), no final newline:

        - **CODE** message – did you mean …?
          Where: path, location; subject: …; outcome: ….
    """
    first = f"- **{d.code}** {md_escape(d.message)}"
    if d.suggestions:
        first += " – " + md_escape(did_you_mean(d.suggestions))
    second = (f"  Where: {md_escape(report_where(d))}; subject: {md_escape(d.subject or 'none')}; "
              f"outcome: {md_escape(', '.join(outcome_ids) or 'none')}.")
    return first + "  \n" + second
