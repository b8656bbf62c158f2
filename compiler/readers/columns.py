"""What a table's header row told the reader, said: a column taken as a field by a close match (I010),
and a column read as no field (I011), naming the line of rules/headers.toml that would map it.

A partner who heads a column `Working with` or `Deadline` gave the information; if the compiler
does not read it as partners or milestones it must say so, or the gaps it then reports (no
milestone, no business partner) are false and nobody knows why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..codes import emit
from ..diagnostics import Diagnostic, Location
from ..ruleset import Rules
from .headers import HeaderMatcher

KEPT_AS_CUSTOM = "kept with each action as a custom field (shown in the partner's appendix)"
NOT_READ = "not read"


@lru_cache(maxsize=16)
def _lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def headers_line(rules: Rules, kind: str, field: str | None) -> str:
    """Where in rules/headers.toml a synonym for `field` of tables of `kind` goes: `rules/headers.toml
    line 22 (partners = […] under [action])`, or the [kind] line when no field is named."""
    path = rules.folder / "headers.toml"
    shown = f"{rules.folder.name}/headers.toml"
    section = None
    for number, line in enumerate(_lines(str(path)), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.split("]", 1)[0].strip("[ ")
            if section == kind and field is None:
                return f"{shown} line {number} ([{kind}])"
        elif section == kind and field and re.match(rf"{re.escape(field)}\s*=", stripped):
            return f"{shown} line {number} ({field} = […] under [{kind}])"
    return f"{shown}, under [{kind}]" + (f", {field} = […]" if field else "")


def report_columns(matcher: HeaderMatcher, headers: dict[int, str], used: dict[int, str], *, where: str,
                   loc_for: Callable[[int, str], Location], kept: str, subject: str) -> list[Diagnostic]:
    """I010 for each column of `headers` (index -> text as written) taken as a field by a close
    match rather than a synonym; I011 for each column `used` (index -> field) does not read.

    `where` names the table ("table 3", "sheet 'Actions'"); `kept` says what became of the values
    of a column that is not read as a field."""
    out: list[Diagnostic] = []
    first_of: dict[str, int] = {}
    for col in sorted(used):
        first_of.setdefault(used[col], col)
    for col, text in sorted(headers.items()):
        label = text.strip()
        if not label:
            continue
        found = matcher.match(label)
        if col in used:
            if found is not None and found.how != "exact" and found.field == used[col]:
                how = (f"close to '{found.synonym}' ({found.score:.0f}% similar)" if found.how == "close"
                       else f"it contains '{found.synonym}'")
                out.append(emit(
                    "I010", f"column '{label}' of {where} taken to mean {used[col]} ({how}); if that is right, "
                            f"add \"{label}\" to {headers_line(matcher.rules, matcher.kind, used[col])}",
                    subject=subject, location=loc_for(col, label)))
            continue
        if found is not None and found.field in first_of:
            other = headers[first_of[found.field]].strip()
            out.append(emit(
                "I011", f"column '{label}' of {where} names {found.field} again; {found.field} is read from column "
                        f"'{other}', and this column's values are {kept}",
                subject=subject, location=loc_for(col, label)))
            continue
        guess = matcher.suggestion(label)
        hint = (f"if it means {guess}, add \"{label}\" to {headers_line(matcher.rules, matcher.kind, guess)}" if guess
                else f"if it means one of the fields, add \"{label}\" to that field's list at "
                     f"{headers_line(matcher.rules, matcher.kind, None)}")
        out.append(emit(
            "I011", f"column '{label}' of {where} is not a field the compiler reads; its values are {kept}; {hint}",
            subject=subject, location=loc_for(col, label)))
    return out
