"""Stable, diffable text for snapshot tests, and the comparison that fails with a short diff.

The serialiser is generic over dataclasses (every field, by `dataclasses.fields`), so a record
that gains, loses or renames a field needs no change here: rerun with `--update-snapshots` and
review the diff. Special cases, each kept compact so a diff line says what moved:

- a `Location` (any dataclass named Location) is one string: `path k=v k=v «text»`;
- bytes become `sha256:<hex> (<n> bytes)`; dates ISO; enums their value; sets sorted;
- floats are rounded to 12 significant digits (`62.300000000000004` is `62.3`);
- the reader's accounting (an object with `units_read`, `used` and `ignored()`) becomes
  its counts and every ignored unit with its reason.

Anything else that is not plain data raises TypeError rather than printing a `repr` that
could hold a memory address.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path, PurePath

import pytest

REPO = Path(__file__).resolve().parents[2]
SNAPSHOTS = Path(__file__).resolve().parent
UPDATE_FLAG = "--update-snapshots"
DIFF_LINES = 60

# Files rewritten in this session with --update-snapshots (listed in the terminal summary by conftest).
UPDATED: list[str] = []


# --------------------------------------------------------------------------------- serialising


def compact_location(loc: object) -> str:
    """`hcp/dgs.docx table=2 row=3 column='Key milestones' «table 2, row 3 (Key milestones)»`."""
    parts: list[str] = []
    text = None
    for f in dataclasses.fields(loc):
        value = getattr(loc, f.name)
        if value is None or value == "":
            continue
        if f.name == "text":
            text = str(value)
        elif f.name == "path":
            parts.insert(0, str(value))
        else:
            shown = str(value)
            if not shown or any(c.isspace() or c in "\"'«»=" for c in shown):
                shown = repr(shown)
            parts.append(f"{f.name}={shown}")
    if text is not None:
        parts.append(f"«{text}»")
    return " ".join(parts)


def _is_location(obj: object) -> bool:
    return dataclasses.is_dataclass(obj) and not isinstance(obj, type) and type(obj).__name__ == "Location"


def _is_accounting(obj: object) -> bool:
    return hasattr(obj, "units_read") and hasattr(obj, "used") and callable(getattr(obj, "ignored", None))


def to_data(obj: object) -> object:
    """Plain JSON data for `obj` (see the module docstring)."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, Enum):
        return to_data(obj.value)
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        if math.isnan(obj) or math.isinf(obj):
            return repr(obj)
        return float(f"{obj:.12g}")
    if isinstance(obj, (datetime, date, time)):
        return obj.isoformat()
    if isinstance(obj, (bytes, bytearray, memoryview)):
        data = bytes(obj)
        return f"sha256:{hashlib.sha256(data).hexdigest()} ({len(data)} bytes)"
    if isinstance(obj, PurePath):
        return obj.as_posix()
    if _is_location(obj):
        return compact_location(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_data(x) for x in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted((to_data(x) for x in obj), key=lambda x: json.dumps(x, sort_keys=True))
    if _is_accounting(obj):
        ignored = [{"location": to_data(loc), "reason": reason} for loc, reason in obj.ignored()]
        return {"units_read": obj.units_read, "units_used": obj.used, "units_ignored": len(ignored),
                "ignored": ignored}
    raise TypeError(f"snapshot serialiser: no stable rendering for {type(obj).__module__}.{type(obj).__qualname__}; "
                    "make it a dataclass or teach tests/snapshots/serialise.py about it")


LEAF_KEYS = 6


def _is_leaf(value: object, depth: int = 2) -> bool:
    """A small object of scalars, or of such objects one level down (a reference as written, a milestone,
    an indicator value with its period and source, a diagnostic): one line."""
    return (isinstance(value, dict) and 0 < len(value) <= LEAF_KEYS
            and all(not isinstance(v, (dict, list)) or not v or (depth > 1 and _is_leaf(v, depth - 1))
                    for v in value.values()))


def _dump(value: object, indent: str) -> str:
    inner = indent + " "
    if _is_leaf(value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(value[k], inner)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _dump(x, inner) for x in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def dumps(data: object) -> str:
    """JSON with sorted keys, indent 1: one key or list item per line, except that a small object of
    scalars (see _is_leaf) sits on one line, so a dropped reference or milestone is one diff line."""
    return _dump(data, "") + "\n"


# --------------------------------------------------------------------------------- the plan's links

# Fields of plan entities that are links the resolver made (besides any field named *_id, *_ids, *_by, *_on).
LINK_FIELDS = {"milestones", "baseline", "targets", "values", "latest", "aliases", "sources", "section"}
IDENTITY_FIELDS = ("id", "path")


def _is_link_field(name: str) -> bool:
    return name.endswith(("_id", "_ids", "_by", "_on")) or name in LINK_FIELDS or name in IDENTITY_FIELDS


def _link_view(entity: object) -> dict:
    """An entity's identity and its links; an entity with no id or path is identified by where it was read."""
    names = [f.name for f in dataclasses.fields(entity)]
    view = {name: to_data(getattr(entity, name)) for name in names if _is_link_field(name)}
    if not any(name in view for name in IDENTITY_FIELDS):
        for name in ("source", "location"):
            if name in names:
                view[name] = to_data(getattr(entity, name))
                break
    return view


def render_diagnostic(d: object) -> str:
    """One line per diagnostic: `CODE severity location: message [subject] (did you mean: ...)`."""
    data = to_data(d)
    assert isinstance(data, dict)
    line = f"{data.get('code')} {data.get('severity')}"
    if data.get("location"):
        line += f" {data['location']}"
    line += f": {data.get('message')}"
    if data.get("subject"):
        line += f" [{data['subject']}]"
    if data.get("suggestions"):
        line += f" (suggestions: {', '.join(map(str, data['suggestions']))})"
    return line


def resolution_view(plan: object) -> dict:
    """Per collection of the plan, each entity's links; the resolver's diagnostics one per line."""
    view: dict[str, object] = {}
    for f in dataclasses.fields(plan):
        items = getattr(plan, f.name)
        if not isinstance(items, list):
            view[f.name] = to_data(items)
        elif f.name == "diagnostics":
            view[f.name] = [render_diagnostic(d) for d in items]
        else:
            view[f.name] = [_link_view(x) if dataclasses.is_dataclass(x) else to_data(x) for x in items]
    return view


# --------------------------------------------------------------------------------- comparing


def check_snapshot(path: Path, actual: str, update: bool) -> None:
    """Compare `actual` with the reviewed file at `path`; with --update-snapshots, rewrite it instead."""
    rel = path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)
    if update:
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            UPDATED.append(rel)
        return
    hint = (f"Rerun with `pytest tests/test_snapshots.py {UPDATE_FLAG}` to rewrite the snapshots, "
            f"then review the change with `git diff -- tests/snapshots` before committing it.")
    if not path.exists():
        pytest.fail(f"snapshot {rel} does not exist.\n{hint}", pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if expected == actual:
        return
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     f"{rel} (reviewed)", f"{rel} (now)", lineterm="", n=2))
    shown = diff[:DIFF_LINES]
    if len(diff) > DIFF_LINES:
        shown.append(f"... {len(diff) - DIFF_LINES} more diff lines")
    pytest.fail(f"snapshot {rel} differs from what the code produces now:\n" + "\n".join(shown) + f"\n\n{hint}",
                pytrace=False)


def remove_stale(folder: Path, wanted: set[Path], update: bool) -> None:
    """Snapshot files under `folder` that no fixture produces any more: fail, or delete with the flag."""
    stale = sorted(p for p in folder.rglob("*") if p.is_file() and p not in wanted) if folder.exists() else []
    if not stale:
        return
    rels = [p.relative_to(REPO).as_posix() for p in stale]
    if update:
        for p in stale:
            p.unlink()
            UPDATED.append(f"{p.relative_to(REPO).as_posix()} (deleted)")
        return
    pytest.fail("snapshot files with no fixture behind them:\n  " + "\n  ".join(rels)
                + f"\nRerun with `pytest tests/test_snapshots.py {UPDATE_FLAG}` to delete them.", pytrace=False)
