"""Writing text from inputs into Excel cells safely.

Text from partners' submissions must never become a formula in a generated
workbook (docs/security.md): openpyxl turns any string that begins with `=`
into a formula and `#N/A`-like strings into error values. Every string here
is stored as a plain string cell; strings that a spreadsheet would take for
a formula when edited (`=`, `+`, `-`, `@`, tab, carriage return) also get the
quote-prefix style, as Excel itself does for text typed with a leading `'`.
Characters XML cannot hold are dropped and the text is cut to Excel's limit.
"""

from __future__ import annotations

import re
from typing import Any

EXCEL_MAX_TEXT = 32767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Control characters that SpreadsheetML cannot store (tab, newline and carriage return can be stored).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text that an .xlsx cell can hold: no illegal control characters, at most Excel's length limit."""
    text = _ILLEGAL.sub("", str(text))
    if len(text) > EXCEL_MAX_TEXT:
        text = text[: EXCEL_MAX_TEXT - 1] + "\u2026"
    return text


def looks_like_formula(text: str) -> bool:
    return str(text).startswith(FORMULA_TRIGGERS)


def set_text(cell, text: str) -> None:
    """Store `text` in `cell` as a string, never a formula or error value."""
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def set_value(cell, value: Any) -> None:
    """Numbers as numbers, None as empty, anything else as safe text."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        set_text(cell, str(value))
    elif isinstance(value, (int, float)):
        cell.value = value
    else:
        set_text(cell, str(value))
