"""Benchmarks behind the quality bars, as ratios measured side by side in one run.

    .venv/bin/python bench/run.py             # (a) reading vs the lxml floor, (c) serial vs parallel
    .venv/bin/python bench/run.py --national  # also (b): the national-scale corpus at 1/4, 1/2 and full size

(a) Reading the sample inputs with the compiler's readers, against the floor of unzipping and
    parsing the same XML parts with lxml alone (bar: at most 3x).
(b) `sdp compile` of a synthetic national corpus (bench/national.py: ~2,000 submissions, 10,000
    actions, 6,000 indicators) at three sizes: time and peak RSS of the compile and all its worker
    processes; time should grow linearly (bar: peak under 1 GiB).
(c) Reading many submissions serially (jobs=1) and on all cores (bar: all cores used).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lxml import etree  # noqa: E402

from compiler.readers.pool import Task, default_jobs, read_files  # noqa: E402
from compiler.readers import read_submission  # noqa: E402
from compiler.ruleset import load_rules  # noqa: E402
from compiler.vocabulary import Vocabulary  # noqa: E402

INPUTS = REPO / "inputs"
RULES = REPO / "rules"
SDP = Path(sys.executable).with_name("sdp")


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".docx", ".xlsx"))


def floor_parse(data: bytes, parts: set[str] | None = None) -> None:
    """The floor: open the zip and parse the XML parts with lxml (what any reader must at least do)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.filename.endswith((".xml", ".rels")) and (parts is None or info.filename in parts):
                etree.fromstring(z.read(info), parser)


def parts_read(rel: str, data: bytes, vocab: Vocabulary) -> set[str]:
    """The parts the readers take out of the package for this file (the same parts go to the floor)."""
    from compiler.readers import package

    seen: set[str] = set()
    original = package.Package.read

    def recording(self, part):
        real = self.names.get(package._norm(part).lower())  # noqa: SLF001 - measuring only
        if real:
            seen.add(real)
        return original(self, part)

    package.Package.read = recording
    try:
        read_submission(rel, data, vocab)
    finally:
        package.Package.read = original
    return seen


def _pass(blobs, vocab) -> list:
    """One cold pass over the files: caches that live across files (a styles part shared by
    several submissions is parsed once) start empty, as in a fresh compile."""
    from compiler.readers import word

    word._STYLES_CACHE.clear()  # noqa: SLF001 - measuring only
    return [read_submission(rel, data, vocab) for rel, data in blobs]


def bench_reading(runs: int) -> dict:
    vocab = Vocabulary(load_rules(RULES))
    blobs = [(p.relative_to(INPUTS).as_posix(), p.read_bytes()) for p in _files(INPUTS)]
    parts = {rel: parts_read(rel, data, vocab) for rel, data in blobs}
    for rel, data in blobs:  # warm imports and caches
        read_submission(rel, data, vocab)
        floor_parse(data, parts[rel])
    reader = _median(lambda: _pass(blobs, vocab), runs)
    floor = _median(lambda: [floor_parse(data, parts[rel]) for rel, data in blobs], runs)
    words = [(r, d) for r, d in blobs if r.endswith(".docx")]
    books = [(r, d) for r, d in blobs if r.endswith(".xlsx")]
    out = {"files": len(blobs), "reader_s": reader, "floor_s": floor, "ratio": reader / floor}
    for name, group in (("word", words), ("excel", books)):
        if group:
            r = _median(lambda: _pass(group, vocab), runs)
            f = _median(lambda: [floor_parse(data, parts[rel]) for rel, data in group], runs)
            out[f"{name}_ratio"] = r / f
            out[f"{name}_reader_s"], out[f"{name}_floor_s"] = r, f
    return out


def bench_parallel(copies: int) -> dict:
    rules = load_rules(RULES)
    with tempfile.TemporaryDirectory() as tmp:
        tasks = []
        for k in range(copies):
            for p in _files(INPUTS):
                target = Path(tmp) / f"copy{k:02d}" / p.relative_to(INPUTS)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, target)
                tasks.append(Task(target.relative_to(tmp).as_posix(), target))
        start = time.perf_counter()
        read_files(tasks, rules, jobs=1)
        serial = time.perf_counter() - start
        start = time.perf_counter()
        read_files(tasks, rules, jobs=None)
        parallel = time.perf_counter() - start
    return {"files": len(tasks), "workers": default_jobs(), "serial_s": serial, "parallel_s": parallel,
            "speedup": serial / parallel}


_WRAPPER = ("import json, resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "print(json.dumps({'rc': p.returncode, 'seconds': time.perf_counter() - t, 'err': p.stderr[-2000:],"
            " 'out': p.stdout[-400:], 'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n")


def compile_measured(inputs: Path, out: Path) -> dict:
    """`sdp compile` in a child; wall time and the largest RSS among it and its workers."""
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(SDP), "compile", str(inputs), "--rules", str(RULES),
                           "-o", str(out), "-q"], capture_output=True, text=True)
    return json.loads(proc.stdout)


def bench_national(fractions: list[float]) -> list[dict]:
    from bench.national import build

    rows = []
    for fraction in fractions:
        with tempfile.TemporaryDirectory() as tmp:
            inputs = Path(tmp) / "inputs"
            counts = build(inputs, fraction)
            run = compile_measured(inputs, Path(tmp) / "out")
            row = {"fraction": fraction, **counts, "seconds": run["seconds"], "peak_mb": run["maxrss_kb"] / 1024,
                   "rc": run["rc"]}
            if run["rc"] not in (0, 1):
                row["error"] = run["err"][-500:]
            rows.append(row)
            print(f"  national x{fraction:<5}: {counts['submissions']:5} submissions, {counts['actions']:6} actions, "
                  f"{counts['indicators']:5} indicators: {run['seconds']:7.1f} s, peak {row['peak_mb']:6.0f} MB"
                  + (f"  (exit {run['rc']}: {run['err'][-200:]})" if run["rc"] not in (0, 1) else ""), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--national", action="store_true", help="also compile the national-scale corpus (minutes)")
    parser.add_argument("--runs", type=int, default=7, help="runs per timing (median)")
    parser.add_argument("--copies", type=int, default=10, help="copies of the sample for the parallel benchmark")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    figures: dict = {"cpus": os.cpu_count()}
    print(f"sdp benchmarks ({os.cpu_count()} CPUs)")
    a = bench_reading(args.runs)
    figures["reading"] = a
    print(f"(a) reading the sample ({a['files']} files): readers {a['reader_s'] * 1000:.0f} ms, "
          f"lxml floor {a['floor_s'] * 1000:.0f} ms: {a['ratio']:.2f}x the floor "
          f"(Word {a.get('word_ratio', 0):.2f}x, Excel {a.get('excel_ratio', 0):.2f}x: "
          f"{a.get('excel_reader_s', 0) * 1000:.0f} vs {a.get('excel_floor_s', 0) * 1000:.0f} ms); bar <= 3x: "
          f"{'met' if a['ratio'] <= 3 else 'NOT met'}")
    if args.national:
        print("(b) national-scale corpus, sdp compile at 1/4, 1/2 and full size:")
        rows = bench_national([0.25, 0.5, 1.0])
        figures["national"] = rows
        base = rows[0]
        for row in rows[1:]:
            print(f"    x{row['fraction'] / base['fraction']:.0f} the input: x{row['seconds'] / base['seconds']:.2f} the time, "
                  f"x{row['peak_mb'] / base['peak_mb']:.2f} the peak memory")
        peak = max(r["peak_mb"] for r in rows)
        print(f"    peak {peak:.0f} MB; bar < 1024 MB: {'met' if peak < 1024 else 'NOT met'}")
    else:
        print("(b) national-scale corpus: skipped (run with --national; takes minutes)")
    c = bench_parallel(args.copies)
    figures["parallel"] = c
    print(f"(c) reading {c['files']} files: serial {c['serial_s']:.2f} s, {c['workers']} workers {c['parallel_s']:.2f} s: "
          f"speed-up x{c['speedup']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
