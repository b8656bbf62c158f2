"""Diagnostics are data: every stage reports through them and carries on.

A diagnostic is a code (declared in compiler.codes), a severity, a message, what
it is about (subject), where it was found (location) and suggestions. How it is
shown in each format is compiler.diagnostics_render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from . import diagnostics_render as _render
from .diagnostics_render import did_you_mean  # noqa: F401  (re-exported: writers import it from here)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Location:
    """Where something was read: enough to find it by eye in the source file."""

    path: str
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None
    column: str | None = None
    paragraph: int | None = None
    text: str = ""

    def with_column(self, column: str | None, cell: str | None = None) -> "Location":
        """The same place narrowed to one column (and cell, in a sheet)."""
        if self.sheet is not None:
            text = f"{self.sheet}!{cell}" if cell else self.text
        elif self.table is not None and self.row is not None:
            text = f"table {self.table}, row {self.row}" + (f" ({column})" if column else "")
        else:
            text = self.text
        return Location(self.path, self.sheet, cell or self.cell, self.table, self.row, column, self.paragraph, text)

    def to_json(self) -> dict:
        return _render.location_json(self)

    def sort_key(self) -> tuple:
        return (
            self.path,
            self.sheet or "",
            self.table or 0,
            self.paragraph or 0,
            self.row or 0,
            self.cell or "",
            self.column or "",
        )


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    subject: str | None = None
    location: Location | None = None
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        """The JSON object (compiler.diagnostics_render.to_json)."""
        return _render.to_json(self)

    def sort_key(self) -> tuple:
        loc = self.location.sort_key() if self.location else ("\uffff",)
        return (loc, self.code, self.subject or "", self.message)

    def render(self, prefix: str = "") -> str:
        """The terminal line, `path: location: severity CODE: message` (compiler.diagnostics_render.text)."""
        return _render.text(self, prefix)


def diag(code: str, severity: str | Severity, message: str, *, subject: str | None = None,
         location: Location | None = None, suggestions: list[str] | tuple[str, ...] = ()) -> Diagnostic:
    return Diagnostic(code, Severity(severity), message, subject, location, tuple(suggestions))
