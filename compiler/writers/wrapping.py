"""Which table-cell texts must not break across lines, for every writer (Word, HTML).

A short identifier ("AB-01", "XY-PH-3") broken at its hyphen, or a date
("1 April 2025") broken between day and month, reads as two things; narrow table
columns do that often. Word writes such a text with non-breaking hyphens and
spaces, HTML with `white-space: nowrap`. Longer texts wrap as usual.
"""

from __future__ import annotations

import re

MAX_ID = 14  # longer identifiers may break at their hyphens rather than overflow a narrow column

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]")
_DATE = re.compile(r"(\d{1,2} )?[A-Z][a-z]{2,8} \d{4}|\d{4}/\d{2}(\d{2})?|Q[1-4] \d{4}(/\d{2})?")


def keep_together(text: str) -> bool:
    """Whether a cell text is a short identifier or a date that must stay on one line."""
    text = text.strip()
    if not text or len(text) > 20:
        return False
    if _DATE.fullmatch(text):
        return True
    return len(text) <= MAX_ID and "-" in text and bool(_ID.fullmatch(text))
