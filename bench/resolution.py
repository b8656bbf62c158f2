"""Benchmark: resolve 10,000 references against 6,000 indicators and 2,000 strategies.

Run: .venv/bin/python bench/resolution.py [--scale N]
Prints the time per phase, references per second and the ratio to the 2 s bar.
A mix like a national corpus: most references are exact IDs or names; some
misspelled (fuzzy, reported R006), some unknown (R002/R003 with suggestions).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compiler.diagnostics import Location  # noqa: E402
from compiler.matching import NameIndex  # noqa: E402
from compiler.records import Written  # noqa: E402
from compiler.resolve.references import resolve_names  # noqa: E402
import re  # noqa: E402

WORDS = ("adult child smoking obesity activity alcohol drug mental health wellbeing housing homeless employment skills "
         "carers falls admissions emergency cancer screening diabetes hypertension vaccination school readiness "
         "breastfeeding loneliness suicide poverty fuel debt crime violence domestic abuse workforce vacancy "
         "retention apprenticeships discharge waiting elective primary access dental pharmacy prevention "
         "inequality deprivation rural coastal urban older younger learning disability autism").split()
PLAN_WORDS = "strategy plan programme framework charter compact pathway partnership agreement".split()


def _name(rng: random.Random, n: int, tail: list[str]) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + " " + rng.choice(tail)


def _misspell(rng: random.Random, text: str) -> str:
    chars = list(text)
    i = rng.randrange(1, len(chars) - 1)
    chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    rng = random.Random(20261122)
    n_ind, n_str, n_ref = int(6000 * args.scale), int(2000 * args.scale), int(10000 * args.scale)

    t0 = time.perf_counter()
    indicators = NameIndex("indicator")
    ind_names = []
    for i in range(n_ind):
        name = _name(rng, 4, ["rate", "prevalence", "count", "percentage", "per 100,000"]) + f" {i}"
        ind_names.append((f"LF{i // 100 + 1}.{i % 100 + 1}", name))
        indicators.add(ind_names[-1][0], name, [name], primary=name)
    strategies = NameIndex("strategy")
    str_names = []
    for i in range(n_str):
        name = _name(rng, 3, PLAN_WORDS) + f" {i}"
        str_names.append((f"s{i}", name))
        strategies.add(f"s{i}", name, [name], primary=name)
    t_index = time.perf_counter() - t0

    refs: list[tuple[str, NameIndex, str]] = []
    for _ in range(n_ref):
        roll = rng.random()
        if roll < 0.45:
            refs.append((rng.choice(ind_names)[0].lower().replace(".", " ."), indicators, "indicator"))
        elif roll < 0.60:
            refs.append((rng.choice(ind_names)[1], indicators, "indicator"))
        elif roll < 0.80:
            refs.append((rng.choice(str_names)[1].upper(), strategies, "strategy"))
        elif roll < 0.92:
            refs.append((_misspell(rng, rng.choice(str_names)[1]), strategies, "strategy"))
        else:
            refs.append((f"LF{rng.randrange(900, 999)}.{rng.randrange(1, 9)}", indicators, "indicator"))
    id_pattern = re.compile(r"^[A-Z]{1,6}\d+(?:\.\d+)*[A-Z]?$")
    loc = Location("bench.docx", text="paragraph 1")
    diagnostics: list = []
    t1 = time.perf_counter()
    resolved = 0
    for text, index, kind in refs:
        ids = resolve_names(Written(text, loc), index, kind, None, diagnostics,
                            id_pattern=id_pattern if kind == "indicator" else None)
        resolved += bool(ids)
    t_resolve = time.perf_counter() - t1
    fuzzy = sum(1 for d in diagnostics if d.code == "R006")
    unknown = sum(1 for d in diagnostics if d.code in ("R002", "R003"))
    print(f"indexes: {n_ind} indicators + {n_str} strategies built in {t_index:.3f} s")
    print(f"resolved {n_ref} references in {t_resolve:.3f} s ({n_ref / t_resolve:,.0f} refs/s): "
          f"{resolved} linked, {fuzzy} fuzzy (R006), {unknown} unknown with suggestions")
    print(f"ratio to the 2 s bar: {t_resolve / 2.0:.2f} ({'met' if t_resolve < 2.0 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
