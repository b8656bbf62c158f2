"""Diagnostics are data: every stage reports through them and carries on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


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
        return {
            "path": self.path,
            "sheet": self.sheet,
            "cell": self.cell,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "paragraph": self.paragraph,
            "text": self.text,
        }

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
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "subject": self.subject,
            "location": self.location.to_json() if self.location else None,
            "suggestions": list(self.suggestions),
        }

    def sort_key(self) -> tuple:
        loc = self.location.sort_key() if self.location else ("\uffff",)
        return (loc, self.code, self.subject or "", self.message)

    def render(self) -> str:
        """One line, as a compiler prints it: `path: location: severity CODE: message`."""
        where = ""
        if self.location is not None:
            where = self.location.path + ": "
            if self.location.text:
                where += self.location.text + ": "
        text = f"{where}{self.severity.value} {self.code}: {self.message}"
        if self.suggestions:
            text += "; " + did_you_mean(self.suggestions)
        return text


def did_you_mean(suggestions: tuple[str, ...] | list[str]) -> str:
    if not suggestions:
        return "no close match"
    if len(suggestions) == 1:
        return f"did you mean {suggestions[0]}?"
    return "did you mean one of " + ", ".join(suggestions[:-1]) + f" or {suggestions[-1]}?"


def diag(code: str, severity: str | Severity, message: str, *, subject: str | None = None,
         location: Location | None = None, suggestions: list[str] | tuple[str, ...] = ()) -> Diagnostic:
    return Diagnostic(code, Severity(severity), message, subject, location, tuple(suggestions))
