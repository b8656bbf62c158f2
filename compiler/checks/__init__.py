"""Checks: coverage and data-quality rules, and the rules' select/ignore/severity settings.

Select and ignore work by code prefix like a linter's: the longest matching
prefix decides; at equal length, ignore beats select. `per_file_ignores`
switches codes off for submissions whose path matches a glob.
"""

from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatch

from ..diagnostics import Diagnostic, Severity
from ..ruleset import Rules


def is_selected(code: str, rules: Rules, path: str | None = None) -> bool:
    best_len, selected = -1, False
    for prefix in rules.checks.select:
        if code.startswith(prefix) and len(prefix) > best_len:
            best_len, selected = len(prefix), True
    for prefix in rules.checks.ignore:
        if code.startswith(prefix) and len(prefix) >= best_len:
            best_len, selected = len(prefix), False
    if selected and path is not None:
        for pattern, codes in rules.checks.per_file_ignores.items():
            if fnmatch(path, pattern) and any(code.startswith(c) for c in codes):
                return False
    return selected


def configure(diagnostics: list[Diagnostic], rules: Rules, *, strict: bool = False) -> list[Diagnostic]:
    """The diagnostics the rules select, at the severities they set (warnings become errors with --strict)."""
    out = []
    for d in diagnostics:
        path = d.location.path if d.location else None
        if not is_selected(d.code, rules, path):
            continue
        severity = rules.checks.severity.get(d.code)
        if severity:
            d = replace(d, severity=Severity(severity))
        if strict and d.severity is Severity.WARNING:
            d = replace(d, severity=Severity.ERROR)
        out.append(d)
    return sorted(out, key=lambda d: d.sort_key())


def run_checks(comp) -> list[Diagnostic]:
    """Every registered check's diagnostics on the compiled plan (selection is applied afterwards)."""
    from .registry import CHECKS, load_checks

    load_checks()
    out: list[Diagnostic] = []
    for code in sorted(CHECKS):
        out.extend(CHECKS[code].function(comp))
    return out
