"""Checks registered by code, like a linter's rules.

    @check("C004")
    def action_without_indicator(comp): ...

The code's default severity, summary and explanation live in compiler.codes
beside the I and R codes; a check module adds the explanation text next to its
function with `register_code` when it defines a new code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..codes import code_info
from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Check:
    code: str
    function: Callable[..., list[Diagnostic]]


CHECKS: dict[str, Check] = {}


def check(code: str):
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
