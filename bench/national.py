"""A synthetic national-scale corpus: about 2,000 submissions, 10,000 actions and 6,000 indicators
(42 systems' worth), written deterministically into a folder, for the scale benchmark.

Each of 1,958 partner contributions is a Word document with outcome sections and an action table
(about 5 actions each); 42 logframe workbooks hold about 143 indicators each. Partners, outcomes
and indicator IDs come from the rules folder, so references resolve as in a real compile.

    python bench/national.py OUT_FOLDER [--fraction 0.25]
"""

from __future__ import annotations

import argparse
import random
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fixtures.ooxml import docx_bytes, heading, p, tbl, xlsx_bytes  # noqa: E402

SUBMISSIONS = 2000
SYSTEMS = 42
ACTIONS = 10_000
INDICATORS = 6_000
PLACES = ["Ash", "Bex", "Cran", "Dun", "Elm", "Fair", "Glen", "Hart", "Ivy", "Kings", "Lang", "Marsh", "Nor",
          "Oak", "Pen", "Rad", "Stan", "Thorn", "Up", "Wey"]
ENDINGS = ["ford", "ley", "ton", "bury", "field", "wick", "mouth", "ham", "stead", "brook"]
QUALIFIERS = ["for young carers", "with the voluntary sector", "for people with a learning disability",
              "in partnership with primary care networks", "for older people living alone", "through schools",
              "for veterans", "with housing associations", "for new parents", "through community pharmacies",
              "for people leaving hospital", "with local employers", "for rough sleepers", "in care homes",
              "for unpaid carers", "with faith groups", "for people on waiting lists", "through libraries"]
NEAR_COPY = 50  # one action in this many repeats another partner's, slightly reworded (D009 has work to do)
VERBS = ["Expand", "Launch", "Review", "Commission", "Pilot", "Embed", "Deliver", "Co-produce", "Scale up", "Evaluate"]
THINGS = ["family hubs", "social prescribing", "smoking cessation support", "falls prevention classes",
          "mental health first aid training", "school nursing", "housing advice", "debt advice", "health checks",
          "community diagnostics", "peer support groups", "digital inclusion sessions"]
MONTHS = ["March 2025", "September 2025", "March 2026", "Q2 2025/26", "2026/27", "December 2025"]


def _rules(rules: Path) -> tuple[list[tuple[str, int, str]], list[str]]:
    outcomes = tomllib.loads((rules / "outcomes.toml").read_text(encoding="utf-8")).get("outcome", [])
    partners = tomllib.loads((rules / "partners.toml").read_text(encoding="utf-8")).get("partner", [])
    return ([(o["id"], o.get("number", i + 1), o["title"]) for i, o in enumerate(outcomes)],
            [pa["name"] for pa in partners])


def build(out: Path, fraction: float = 1.0, rules: Path = REPO / "rules", seed: int = 2024) -> dict[str, int]:
    """Write the corpus (scaled by `fraction`) into `out`; returns the counts written."""
    rng = random.Random(seed)
    outcomes, partners = _rules(rules)
    systems = max(1, round(SYSTEMS * fraction))
    n_subs = max(1, round((SUBMISSIONS - SYSTEMS) * fraction))
    per_book = INDICATORS // SYSTEMS
    ind_ids: list[str] = []
    counts = {"submissions": 0, "actions": 0, "indicators": 0}
    for s in range(systems):
        rows = [["Indicator ID", "Outcome", "Indicator", "Unit", "Baseline", "Baseline period", "Target 2025/26",
                 "Data source"]]
        for k in range(per_book):
            oid, number, _ = outcomes[k % len(outcomes)]
            iid = f"LF{number}.{s * per_book + k + 1}"
            ind_ids.append(iid)
            rows.append([iid, oid, f"{rng.choice(THINGS).capitalize()} measure {k + 1}", rng.choice(["%", "count", "rate"]),
                         round(rng.uniform(1, 90), 1), "2022/23", round(rng.uniform(1, 95), 1), "OHID"])
        folder = out / f"system-{s + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "logframe-matrix.xlsx").write_bytes(xlsx_bytes({"Logframe": rows}))
        counts["submissions"] += 1
        counts["indicators"] += per_book
    per_sub = ACTIONS // (SUBMISSIONS - SYSTEMS)
    extra = ACTIONS - per_sub * (SUBMISSIONS - SYSTEMS)
    written: list[tuple[int, str]] = []
    for i in range(n_subs):
        s = i % systems
        folder = out / f"system-{s + 1:02d}" / "partners"
        folder.mkdir(parents=True, exist_ok=True)
        partner = partners[i % len(partners)] if partners else f"Partner {i}"
        n_actions = per_sub + (1 if i < extra else 0)
        body = [p(f"Organisation: {partner}"), p(f"Contribution from {partner}, system {s + 1}.")]
        by_outcome: dict[int, list[list[str]]] = {}
        for a in range(n_actions):
            k = rng.randrange(len(outcomes))
            if written and rng.randrange(NEAR_COPY) == 0:
                k, text = rng.choice(written)
                text = text.replace(" in ", " across ", 1)
            else:
                text = (f"{rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(QUALIFIERS)} in "
                        f"{rng.choice(PLACES)}{rng.choice(ENDINGS)} {rng.choice(PLACES).lower()}{rng.randrange(1, 99)}")
            written.append((k, text))
            by_outcome.setdefault(k, []).append([
                text, partner, rng.choice(partners) if partners else "",
                rng.choice(ind_ids) if ind_ids else "", rng.choice(MONTHS)])
        for k in sorted(by_outcome):
            oid, number, title = outcomes[k]
            body.append(heading(f"Outcome {number}: {title}"))
            body.append(tbl([["Action", "Lead", "Partners", "Indicators", "Timescale"]] + by_outcome[k], header_rows=1))
        (folder / f"contribution-{i + 1:04d}.docx").write_bytes(docx_bytes("".join(body), core={"creator": partner}))
        counts["submissions"] += 1
        counts["actions"] += n_actions
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--fraction", type=float, default=1.0)
    args = parser.parse_args()
    print(build(args.out, args.fraction))


if __name__ == "__main__":
    main()
