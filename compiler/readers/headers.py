"""Table header cells -> the fields they name, from the synonyms in rules/headers.toml."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..ruleset import Rules
from ..text import normal


def header_key(text: str) -> str:
    """`Lead organisation(s)`, `LEAD ORGANISATION:` and `Lead organisation (name)` share a key."""
    text = re.sub(r"\(s\)", "", text, flags=re.I)
    stripped = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    key = normal(stripped)
    return key or normal(text)


@dataclass(frozen=True)
class HeaderMatch:
    """How a header was taken as a field: `exact` (a synonym), `close` (a close spelling of one)
    or `contains` (it holds one field's synonym as whole words); `synonym` is the one it matched."""
    field: str
    how: str
    synonym: str
    score: float = 100.0


class HeaderMatcher:
    """Header text -> field: exact synonym, then a close spelling, then (where `contains` is set) a
    header that contains exactly one field's synonym as whole words (`Link to strategy`)."""

    def __init__(self, rules: Rules, kind: str, *, exclude: tuple[str, ...] = (), contains: bool = False):
        self._rules = weakref.ref(rules)   # weak: `header_matcher` keeps matchers for as long as their rules live
        self.kind = kind
        self.threshold = rules.thresholds.header_match
        # A suggestion for a header that matched nothing: halfway between the rules' suggestion and
        # acceptance thresholds, as short headers ("Notes", "Dates") are otherwise alike.
        self.suggest = (rules.thresholds.fuzzy_suggest + self.threshold) / 2
        self.contains = contains
        self.synonyms: dict[str, str] = {}
        self.written: dict[str, str] = {}   # key -> the synonym as written in rules/headers.toml
        for field_name, words in rules.headers.get(kind, {}).items():
            if field_name in exclude:
                continue
            for word in words:
                for key in (header_key(word), normal(word)):
                    self.synonyms.setdefault(key, field_name)
                    self.written.setdefault(key, word)

        self._matched: dict[str, HeaderMatch | None] = {}

    @property
    def rules(self) -> Rules:
        rules = self._rules()
        assert rules is not None, "a HeaderMatcher outlived its rules"
        return rules

    def field(self, text: str) -> str | None:
        found = self.match(text)
        return found.field if found else None

    def match(self, text: str) -> HeaderMatch | None:
        """The field a header names, or None. Remembered per text: a matcher serves every file read
        with its rules (`header_matcher`), and their headers repeat (`Action`, `Lead`, `Partners`)."""
        try:
            return self._matched[text]
        except KeyError:
            pass
        found = self._match(text)
        if len(self._matched) >= _REMEMBERED:
            self._matched.clear()
        self._matched[text] = found
        return found

    def _match(self, text: str) -> HeaderMatch | None:
        if not text or not text.strip() or len(text) > 80:
            return None
        for key in (normal(text), header_key(text)):
            if key in self.synonyms:
                return HeaderMatch(self.synonyms[key], "exact", self.written[key])
        key = header_key(text)
        if len(key) < 5:
            return None
        best, best_score = self._closest(key)
        if best is not None and best_score >= self.threshold:
            return HeaderMatch(self.synonyms[best], "close", self.written[best], best_score)
        return self._contained(key) if self.contains else None

    def _closest(self, key: str) -> tuple[str | None, float]:
        best, best_score = None, 0.0
        for syn in self.synonyms:
            if len(syn) < 5:
                continue
            score = max(fuzz.ratio(key, syn), fuzz.token_sort_ratio(key, syn))
            if score > best_score:
                best, best_score = syn, score
        return best, best_score

    def suggestion(self, text: str) -> str | None:
        """The field a header that matched nothing most looks like (at the rules' suggestion
        threshold), for the warning that names the line of rules/headers.toml to extend."""
        key = header_key(text)
        best, score = self._closest(key) if len(key) >= 3 else (None, 0.0)
        return self.synonyms[best] if best is not None and score >= self.suggest else None

    def _contained(self, key: str) -> HeaderMatch | None:
        if len(key.split()) > 5:
            return None  # a sentence (a title row), not a column header
        padded = f" {key} "
        hits = [(len(syn), syn) for syn in self.synonyms if len(syn) >= 4 and f" {syn} " in padded]
        if not hits:
            return None
        longest = max(length for length, _ in hits)
        fields = {self.synonyms[syn] for length, syn in hits if length == longest}
        if len(fields) != 1:
            return None
        syn = next(syn for length, syn in hits if length == longest)
        return HeaderMatch(fields.pop(), "contains", self.written[syn])

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


_REMEMBERED = 4096   # header texts a matcher remembers (a bound, for a long-lived process)
# id(rules) -> (a weak reference to the rules, {(kind, exclude, contains): matcher}); an entry goes
# when its rules object does.
_MATCHERS: dict[int, tuple[weakref.ref, dict[tuple, HeaderMatcher]]] = {}


def header_matcher(rules: Rules, kind: str, *, exclude: tuple[str, ...] = (), contains: bool = False) -> HeaderMatcher:
    """The `HeaderMatcher` for these rules and arguments, built once per rules object rather than
    once per file: building one normalises every synonym in rules/headers.toml."""
    entry = _MATCHERS.get(id(rules))
    if entry is None or entry[0]() is not rules:
        key = id(rules)
        entry = (weakref.ref(rules, lambda _, key=key: _MATCHERS.pop(key, None)), {})
        _MATCHERS[key] = entry
    matchers = entry[1]
    args = (kind, tuple(exclude), contains)
    matcher = matchers.get(args)
    if matcher is None:
        matcher = matchers[args] = HeaderMatcher(rules, kind, exclude=tuple(exclude), contains=contains)
    return matcher


def clear_header_matchers() -> None:
    """Forget every matcher built (a benchmark's cold start)."""
    _MATCHERS.clear()


def split_values(text: str) -> list[str]:
    """Several values in one cell: separated by new lines or `;` (commas are left to the resolver)."""
    parts = re.split(r"[\n;]+", text)
    out = []
    for part in parts:
        part = re.sub(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043\u25e6\-\*\u2013\u2014]|\d+[.)])\s+", "", part).strip()
        if part:
            out.append(part)
    return out
