"""Name matching: exact after normalisation, then alias, then fuzzy.

One `NameIndex` per kind of thing (partners, places, strategies, indicators…).
Exact and alias look-ups are dictionary hits; fuzzy matching runs only on
what is left and is delegated to rapidfuzz, whose score cut-off prunes most
candidates cheaply, so resolving grows linearly with the references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .text import id_key, normal


@dataclass(frozen=True)
class Candidate:
    id: str
    label: str
    score: float


@dataclass(frozen=True)
class Match:
    """The outcome of matching one reference."""

    written: str
    id: str | None
    how: str  # "id", "exact", "alias", "fuzzy", "ambiguous", "none", "empty"
    score: float = 0.0
    matched_name: str = ""
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def resolved(self) -> bool:
        return self.id is not None


@dataclass
class NameIndex:
    kind: str
    accept: float = 88.0
    suggest: float = 60.0
    margin: float = 3.0
    max_suggestions: int = 4
    _ids: dict[str, str] = field(default_factory=dict)
    _names: dict[str, set[str]] = field(default_factory=dict)
    _primary: dict[str, set[str]] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)
    _choice_keys: list[str] = field(default_factory=list)
    _dirty: bool = True

    def add(self, item_id: str, label: str, names: list[str] | tuple[str, ...] = (), *, primary: str | None = None) -> None:
        """Register `item_id` under its ID, its primary name and any aliases."""
        self._ids.setdefault(id_key(item_id), item_id)
        self._labels.setdefault(item_id, label)
        self._names.setdefault(normal(item_id), set()).add(item_id)
        if primary:
            key = normal(primary)
            if key:
                self._primary.setdefault(key, set()).add(item_id)
                self._names.setdefault(key, set()).add(item_id)
        for name in names:
            key = normal(name)
            if key:
                self._names.setdefault(key, set()).add(item_id)
        self._dirty = True

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._labels

    def __len__(self) -> int:
        return len(self._labels)

    def ids(self) -> list[str]:
        return list(self._labels)

    def label(self, item_id: str) -> str:
        return self._labels.get(item_id, item_id)

    def lookup_exact(self, text: str) -> str | None:
        """An ID, name or alias hit, or None: no fuzzy matching."""
        m = self._exact(text)
        return m.id if m else None

    def _exact(self, text: str) -> Match | None:
        key = id_key(text)
        if key in self._ids:
            return Match(text, self._ids[key], "id", 100.0, self._ids[key])
        nkey = normal(text)
        hits = self._names.get(nkey)
        if hits:
            if len(hits) == 1:
                (hit,) = hits
                how = "exact" if nkey in self._primary and hit in self._primary[nkey] else "alias"
                return Match(text, hit, how, 100.0, text)
            cands = tuple(Candidate(h, self.label(h), 100.0) for h in sorted(hits))
            return Match(text, None, "ambiguous", 100.0, "", cands)
        return None

    def match(self, text: str, *, accept: float | None = None) -> Match:
        """Resolve `text`: exact, alias, then fuzzy (accepted at `accept` or the index's threshold)."""
        if not normal(text) and not id_key(text):
            return Match(text, None, "empty")
        exact = self._exact(text)
        if exact is not None:
            return exact
        threshold = self.accept if accept is None else accept
        cands = self.candidates(text)
        above = [c for c in cands if c.score >= threshold]
        if above:
            best = above[0]
            rivals = [c for c in above[1:] if best.score - c.score <= self.margin and c.id != best.id]
            if rivals:
                return Match(text, None, "ambiguous", best.score, "", tuple([best, *rivals]))
            return Match(text, best.id, "fuzzy", best.score, best.label, tuple(cands))
        return Match(text, None, "none", cands[0].score if cands else 0.0, "", tuple(cands))

    def candidates(self, text: str) -> list[Candidate]:
        """Suggestions ranked by score, one per item, at or above the suggestion threshold.

        Only candidates that share a word with the query (or, for an ID, its letter prefix) are
        scored, so the cost grows with the references, not with references × names.
        """
        query = normal(text)
        if not query:
            return []
        if self._dirty:
            self._build_blocks()
        found = []
        for cap in (64, 1024):
            keys = self._block(query, text, cap)
            found = process.extract(query, keys, scorer=fuzz.token_sort_ratio, limit=self.max_suggestions * 3,
                                    score_cutoff=self.suggest) if keys else []
            if found and found[0][1] >= self.accept:
                break
        best: dict[str, Candidate] = {}
        for key, score, _ in found:
            for item_id in self._names[key]:
                if item_id not in best or best[item_id].score < score:
                    best[item_id] = Candidate(item_id, self.label(item_id), round(float(score), 1))
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.id))
        return ranked[: self.max_suggestions]

    def _build_blocks(self) -> None:
        self._by_word: dict[str, list[str]] = {}
        self._by_prefix: dict[str, list[str]] = {}
        for key in self._names:
            for word in set(key.split()):
                self._by_word.setdefault(word, []).append(key)
        for ident in self._ids:
            m = _ID_PREFIX.match(ident)
            if m:
                key = normal(self._ids[ident])
                self._by_prefix.setdefault(m.group(2), []).append(key)
                self._by_prefix.setdefault(m.group(1), []).append(key)
        self._dirty = False

    def _block(self, query: str, text: str, cap: int) -> list[str]:
        """Candidate keys: names sharing a word with the query, rarest words first, at most about
        4 × `cap` of them (a constant, so each query costs the same however many names there are)."""
        ident = id_key(text)
        m = _ID_PREFIX.match(ident)
        if m and " " not in text.strip():
            same = self._by_prefix.get(m.group(2), [])
            if len(same) > 200:
                same = self._by_prefix.get(m.group(1)) or same[:200]
            if same:
                return same
        words = [w for w in set(query.split()) if w in self._by_word]
        if not words:
            return []
        words.sort(key=lambda w: len(self._by_word[w]))
        keys: dict[str, None] = {}
        for word in words:
            postings = self._by_word[word]
            if keys and len(postings) > cap:
                break
            keys.update(dict.fromkeys(postings[: cap * 4]))
        return list(keys)


_ID_PREFIX = re.compile(r"^(([A-Z]+)\d+)")


def describe_candidates(cands: tuple[Candidate, ...] | list[Candidate]) -> list[str]:
    """Suggestion strings: `'X1.2' (Its name …)` with the score kept out of the prose."""
    out = []
    for c in cands:
        out.append(f"'{c.id}' ({c.label})" if c.label and c.label != c.id else f"'{c.id}'")
    return out
