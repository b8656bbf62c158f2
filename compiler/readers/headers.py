"""Table header cells -> the fields they name, from the synonyms in rules/headers.toml."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..ruleset import Rules
from ..text import normal


def header_key(text: str) -> str:
    """`Lead organisation(s)`, `LEAD ORGANISATION:` and `Lead organisation (name)` share a key."""
    text = re.sub(r"\(s\)", "", text, flags=re.I)
    stripped = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    key = normal(stripped)
    return key or normal(text)


class HeaderMatcher:
    """Header text -> field: exact synonym, then a close spelling, then (where `contains` is set) a
    header that contains exactly one field's synonym as whole words (`Link to strategy`)."""

    def __init__(self, rules: Rules, kind: str, *, exclude: tuple[str, ...] = (), contains: bool = False):
        self.threshold = rules.thresholds.header_match
        self.contains = contains
        self.synonyms: dict[str, str] = {}
        for field_name, words in rules.headers.get(kind, {}).items():
            if field_name in exclude:
                continue
            for word in words:
                self.synonyms.setdefault(header_key(word), field_name)
                self.synonyms.setdefault(normal(word), field_name)

    def field(self, text: str) -> str | None:
        if not text or not text.strip() or len(text) > 80:
            return None
        for key in (normal(text), header_key(text)):
            if key in self.synonyms:
                return self.synonyms[key]
        key = header_key(text)
        if len(key) < 5:
            return None
        best, best_score = None, 0.0
        for syn, field_name in self.synonyms.items():
            if len(syn) < 5:
                continue
            score = max(fuzz.ratio(key, syn), fuzz.token_sort_ratio(key, syn))
            if score > best_score:
                best, best_score = field_name, score
        if best_score >= self.threshold:
            return best
        return self._contained(key) if self.contains else None

    def _contained(self, key: str) -> str | None:
        if len(key.split()) > 5:
            return None  # a sentence (a title row), not a column header
        padded = f" {key} "
        hits = [(len(syn), f) for syn, f in self.synonyms.items() if len(syn) >= 4 and f" {syn} " in padded]
        if not hits:
            return None
        longest = max(length for length, _ in hits)
        fields = {f for length, f in hits if length == longest}
        return fields.pop() if len(fields) == 1 else None

    def map_row(self, cells: list[str]) -> dict[int, str]:
        """Column index -> field, first column wins for a field named twice."""
        out: dict[int, str] = {}
        taken: set[str] = set()
        for i, cell in enumerate(cells):
            f = self.field(cell)
            if f and f not in taken:
                out[i] = f
                taken.add(f)
        return out


def split_values(text: str) -> list[str]:
    """Several values in one cell: separated by new lines or `;` (commas are left to the resolver)."""
    parts = re.split(r"[\n;]+", text)
    out = []
    for part in parts:
        part = re.sub(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043\u25e6\-\*\u2013\u2014]|\d+[.)])\s+", "", part).strip()
        if part:
            out.append(part)
    return out
