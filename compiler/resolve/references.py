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


# Kinds whose IDs people write (an indicator's X1.2, an outcome's code): suggestions show the ID and the
# name. Partners, places and strategies have internal IDs (slugs in the rules): the name alone.
PUBLIC_IDS = {"indicator", "outcome"}


def suggestions(match: Match, kind: str) -> list[str]:
    """What a diagnostic suggests, as a reader would write it: `'X1.2' (Its name…)` for a kind whose
    IDs are written, else the name alone, `'North County Council'`."""
    if kind in PUBLIC_IDS:
        return describe_candidates(match.candidates)
    return list(dict.fromkeys(f"'{c.label or c.id}'" for c in match.candidates))


def meant(match: Match, kind: str) -> str:
    """What a fuzzy match was taken to mean: `'X1.2' (Its name…)`, or the name, `'North County Council'`."""
    if kind in PUBLIC_IDS:
        return f"'{match.id}'" + (f" ({match.matched_name})" if match.matched_name and match.matched_name != match.id
                                  else "")
    return f"'{match.matched_name or match.id}'"


def report(match: Match, kind: str, written: Written, subject: str | None, out: list[Diagnostic]) -> str | None:
    """The diagnostic a match deserves: R006 for fuzzy, R005 for ambiguous, the kind's code for unknown.
    Returns the code when the reference was left unlinked (R005 or the unknown code), else None."""
    text = tidy(written.text)
    if match.how == "fuzzy":
        out.append(emit("R006", f"{KIND_WORD[kind]} '{text}' taken to mean {meant(match, kind)}"
                                + f" (similarity {match.score:.0f}%)",
                        subject=subject, location=written.location))
    elif match.how == "ambiguous":
        out.append(emit("R005", f"ambiguous {KIND_WORD[kind]} '{text}': it matches several equally well; not linked",
                        subject=subject, location=written.location, suggestions=suggestions(match, kind)))
        return "R005"
    elif match.how == "none":
        code = UNKNOWN_CODE[kind]
        out.append(emit(code, f"unknown {KIND_WORD[kind]} '{text}'", subject=subject,
                        location=written.location, suggestions=suggestions(match, kind)))
        return code
    return None


def _exactly(index: NameIndex, text: str) -> str | None:
    return index.lookup_exact(text)


def _match(index: NameIndex, text: str, id_pattern: re.Pattern[str] | None) -> Match:
    if id_pattern is not None and id_pattern.match(re.sub(r"[\s_\-]", "", text.upper())):
        # Something shaped like an ID is never fuzzy-matched to a different ID: X3.9 is not X3.1.
        return index.match(text, accept=101)
    return index.match(text)


def resolve_names(written: Written, index: NameIndex, kind: str, subject: str | None,
                  out: list[Diagnostic], *, id_pattern: re.Pattern[str] | None = None,
                  missed: list[tuple[str, str]] | None = None) -> list[str]:
    """Resolve one written value that may list several names.

    The whole text is tried first, so a registered name containing a comma (`North, East and
    West Partnership`) stays one name. Otherwise commas separate names, each resolved (exactly,
    fuzzily or not at all) and reported on its own — `North Couny Council, Acme Homes` is North
    County Council (R006) and an unknown Acme Homes (R004), never one unknown name made of both;
    only when the whole text is a close match and its pieces are not is it one name with a typo.
    `and`/`&`/`/` separate names only where every piece is a known name.

    Every piece left unlinked is added to `missed` as (text as written, code), so the plan can show
    it as written.
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
        matches = [_match(index, p, id_pattern) for p in pieces]
        exact = any(m.how in ("id", "exact", "alias") for m in matches)
        whole_match = _match(index, text, id_pattern)
        if exact or not (whole_match.how == "fuzzy" and not all(m.resolved for m in matches)):
            out_ids: list[str] = []
            for piece, m in zip(pieces, matches):
                code = report(m, kind, Written(piece, written.location), subject, out)
                if m.id:
                    out_ids.append(m.id)
                elif code and missed is not None:
                    missed.append((piece, code))
            return out_ids
    for sep in (r"\s+and\s+", r"\s*&\s*", r"\s*/\s*"):
        parts = [p.strip() for p in re.split(sep, text) if p.strip()]
        if len(parts) > 1:
            hits = [_exactly(index, p) for p in parts]
            if all(hits):
                return [h for h in hits if h]
    match = _match(index, text, id_pattern)
    code = report(match, kind, Written(text, written.location), subject, out)
    if code and missed is not None:
        missed.append((text, code))
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
