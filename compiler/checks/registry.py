"""Checks bound to their codes, like a linter's rules.

    @check("C004")
    def action_without_indicator(comp): ...

The code itself (default severity, summary, explanation) is declared once, in
the code table compiler.codes; `@check` only binds a function that finds it.
A code that is not declared there, or that already has a check, fails loudly
when the module defining the check is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..codes import is_code
from ..diagnostics import Diagnostic


class CheckRegistrationError(LookupError):
    """A check names a code the code table does not declare, or one that already has a check."""


@dataclass(frozen=True)
class Check:
    code: str
    function: Callable[..., list[Diagnostic]]


CHECKS: dict[str, Check] = {}


def check(code: str):
    """Bind a check function to a code declared in compiler.codes."""
    if not isinstance(code, str) or not is_code(code):
        raise CheckRegistrationError(f"@check({code!r}): no such code in the code table; declare it in "
                                     "compiler/codes.py (severity, summary and explanation) first")

    def decorate(fn: Callable[..., Iterable[Diagnostic]]):
        existing = CHECKS.get(code)
        if existing is not None and existing.function.__qualname__ != fn.__qualname__:
            raise CheckRegistrationError(f"@check({code!r}) on {fn.__qualname__}: the code already has a check, "
                                         f"{existing.function.__qualname__}")

        def run(comp) -> list[Diagnostic]:
            return list(fn(comp))
        run.__doc__ = fn.__doc__
        run.__name__ = fn.__name__
        run.__qualname__ = fn.__qualname__
        CHECKS[code] = Check(code, run)
        return fn
    return decorate


def load_checks() -> None:
    from . import coverage, data_quality  # noqa: F401  (modules register their checks on import)
