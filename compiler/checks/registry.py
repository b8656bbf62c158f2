"""Checks registered by code, like a linter's rules.

    @check("C004", "warning", "an action with no indicator", EXPLANATION)
    def action_without_indicator(comp): ...

The code's default severity, summary and explanation are kept beside the
function that finds it. Codes emitted by readers and the resolver (I, R, D010)
are in compiler.codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..codes import code_info, register_code
from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Check:
    code: str
    function: Callable[..., list[Diagnostic]]


CHECKS: dict[str, Check] = {}


def check(code: str, severity: str | None = None, summary: str = "", explanation: str = ""):
    """Register a check under its code; a new code brings its severity, summary and explanation."""
    if severity is not None:
        register_code(code, severity, summary, explanation)
    code_info(code)  # the code must be in the catalogue

    def decorate(fn: Callable[..., Iterable[Diagnostic]]):
        def run(comp) -> list[Diagnostic]:
            return list(fn(comp))
        run.__doc__ = fn.__doc__
        run.__name__ = fn.__name__
        CHECKS[code] = Check(code, run)
        return fn
    return decorate


def load_checks() -> None:
    from . import coverage, data_quality  # noqa: F401  (modules register their checks on import)
