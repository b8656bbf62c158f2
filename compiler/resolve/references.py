"""Resolving references as written into IDs, reporting every fuzzy, ambiguous or unknown one."""

from __future__ import annotations

import re

from ..codes import emit
from ..diagnostics import Diagnostic
from ..matching import Match, NameIndex, describe_candidates
from ..records import Written
from ..text import normal, tidy

UNKNOWN_CODE = {"indicator": "R002", "strategy": "R003", "partner": "R004", "place": "R009", "outcome": "R001"}
KIND_WORD = {"indicator": "indicator", "strategy": "strategy or plan", "partner": "partner", "place": "place",
             "outcome": "outcome, priority or enabler"}


def report(match: Match, kind: str, written: Written, subject: str | None, out: list[Diagnostic]) -> None:
    """The diagnostic a match deserves: R006 for fuzzy, R005 for ambiguous, the kind's code for unknown."""
    text = tidy(written.text)
    if match.how == "fuzzy":
        out.append(emit("R006", f"{KIND_WORD[kind]} '{text}' taken to mean '{match.id}'"
                                + (f" ({match.matched_name})" if match.matched_name and match.matched_name != match.id else "")
                                + f" (similarity {match.score:.0f}%)",
                        subject=subject, location=written.location))
    elif match.how == "ambiguous":
        out.append(emit("R005", f"ambiguous {KIND_WORD[kind]} '{text}': it matches several equally well; not linked",
                        subject=subject, location=written.location, suggestions=describe_candidates(match.candidates)))
    elif match.how == "none":
        out.append(emit(UNKNOWN_CODE[kind], f"unknown {KIND_WORD[kind]} '{text}'", subject=subject,
                        location=written.location, suggestions=describe_candidates(match.candidates)))


def _exactly(index: NameIndex, text: str) -> str | None:
    return index.lookup_exact(text)


def resolve_names(written: Written, index: NameIndex, kind: str, subject: str | None,
                  out: list[Diagnostic], *, id_pattern: re.Pattern[str] | None = None) -> list[str]:
    """Resolve one written value that may list several names.

    The whole text is tried first, so a registered name containing a comma (`North, East and
    West Partnership`) stays one name. Otherwise commas (and `and`/`&` where every piece is a
    known name) separate names.
    """
    text = tidy(written.text)
    if not text:
        return []
    whole = _exactly(index, text)
    if whole is not None:
        return [whole]
    if id_pattern is not None:
        lead = re.match(r"^\s*([A-Za-z]{1,6}\s?[-_]?\d+(?:\.\d+)*[A-Za-z]?)\b", text)
        if lead and "," not in text:
            found = _exactly(index, lead.group(1))
            if found is not None:
                return [found]
    pieces = [p.strip() for p in re.split(r",", text) if p.strip()]
    if len(pieces) > 1:
        exact = [_exactly(index, p) for p in pieces]
        if all(exact) or any(exact):
            out_ids: list[str] = []
            for piece, hit in zip(pieces, exact):
                if hit is not None:
                    out_ids.append(hit)
                else:
                    out_ids.extend(_resolve_one(Written(piece, written.location), index, kind, subject, out, id_pattern))
            return out_ids
    for sep in (r"\s+and\s+", r"\s*&\s*", r"\s*/\s*"):
        parts = [p.strip() for p in re.split(sep, text) if p.strip()]
        if len(parts) > 1:
            hits = [_exactly(index, p) for p in parts]
            if all(hits):
                return [h for h in hits if h]
    return _resolve_one(written, index, kind, subject, out, id_pattern)


def _resolve_one(written: Written, index: NameIndex, kind: str, subject: str | None, out: list[Diagnostic],
                 id_pattern: re.Pattern[str] | None) -> list[str]:
    text = tidy(written.text)
    if id_pattern is not None and id_pattern.match(re.sub(r"[\s_\-]", "", text.upper())):
        # Something shaped like an ID is never fuzzy-matched to a different ID: X3.9 is not X3.1.
        match = index.match(text, accept=101)
    else:
        match = index.match(text)
    report(match, kind, Written(text, written.location), subject, out)
    return [match.id] if match.id else []


def dedupe(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in ids if not (i in seen or seen.add(i))]


def contains_name(index: NameIndex, text: str) -> str | None:
    """The one registered name or alias that occurs as whole words in `text`, or None.

    For titles, page headers and file names: `North Partnership contribution 2024` names North
    Partnership. `and` is ignored on both sides, so `hill-vale-hcp.docx` finds `Hill and Vale HCP`.
    A name inside a longer matched name does not count; two different partners named is no answer.
    """
    hay = " " + _no_and(normal(text.replace("_", " ").replace("-", " "))) + " "
    found = [(needle, item) for needle, item in _needles(index) if f" {needle} " in hay]
    kept = {item for needle, item in found
            if not any(needle != other and f" {needle} " in f" {other} " for other, _ in found)}
    return kept.pop() if len(kept) == 1 else None


_NEEDLES: dict[int, tuple[tuple[int, int], object, list[tuple[str, str]]]] = {}


def _needles(index: NameIndex) -> list[tuple[str, str]]:
    """The names `contains_name` looks for, worked out once per index (not once per submission)."""
    names = index._names  # noqa: SLF001 - the index's own keys are the vocabulary
    size = (len(names), sum(map(len, names.values())))  # an index only grows: its size tells a change
    cached = _NEEDLES.get(id(index))
    if cached is not None and cached[0] == size and cached[1] is names:
        return cached[2]
    needles = []
    for key, ids in names.items():
        if len(ids) != 1:
            continue
        needle = _no_and(key)
        if len(needle) >= 3:
            needles.append((needle, next(iter(ids))))
    _NEEDLES[id(index)] = (size, names, needles)
    return needles


def _no_and(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\band\b", " ", text)).strip()
