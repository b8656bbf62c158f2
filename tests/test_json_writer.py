"""plan.json, manifest.json and changes.json are written by `writers.plan_json.dumps`, which must give
exactly the bytes of `json.dumps(..., ensure_ascii=False, indent=2)` and a newline (the contract's
format; docs/contracts.md) while writing them faster."""

from __future__ import annotations

import enum
import json
import random

import pytest

from compiler.writers.plan_json import _SLOT, dumps


class Colour(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


def _standard(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


AWKWARD = [
    {}, [], "", 0, None, True, False, 1.5, -0.0, 1e-05, 1e22, 10**30, float("nan"), float("inf"), -float("inf"),
    {"a": [], "b": {}, "c": [{}], "d": [[[]]], "e": [[1, "x"], {"k": None}], 1: 2, 2.5: 3, True: 4, None: 5, False: 6},
    {"text": "é\u2028\"\\\n\t\x00\x1f😀 [{,:}]", "enum": Colour.RED, "int": Level.HIGH, "tuple": (1, (2, "x"))},
    {"slot": _SLOT, "nested": [_SLOT, [_SLOT]], _SLOT: {"x": [1]}},  # the placeholder's own text, as data
    [{"id": "A-1", "ids": ["x", "y"], "where": {"path": "a.docx", "row": None}, "milestones": [{"due": None}]}],
]


@pytest.mark.parametrize("value", AWKWARD, ids=range(len(AWKWARD)))
def test_dumps_writes_what_json_dumps_writes(value):
    assert dumps(value) == _standard(value)


def test_dumps_writes_what_json_dumps_writes_for_random_documents():
    rnd = random.Random(10)

    def value(depth: int):
        r = rnd.random()
        if depth > 4 or r < 0.4:
            return rnd.choice(["x", "ü\n", 1, -2, 3.25, None, True, False, "", 0.1, 10**20, _SLOT])
        if r < 0.7:
            return [value(depth + 1) for _ in range(rnd.randrange(4))]
        return {rnd.choice(["a", "b", "é", ""]) + str(i): value(depth + 1) for i in range(rnd.randrange(4))}

    for _ in range(500):
        document = value(0)
        assert dumps(document) == _standard(document)


def test_dumps_refuses_what_json_dumps_refuses():
    for bad in ({"a": object()}, {(1,): 2}, [{1, 2}]):
        with pytest.raises(TypeError):
            dumps(bad)
