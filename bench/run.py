"""The performance benchmark behind the quality bars (../shared/spec/quality-bars.md), in one run.

    .venv/bin/python bench/run.py                       # the sample and the national corpus at 1/8, 1/4, 1/2, full
    .venv/bin/python bench/run.py --sizes sample,1/8    # a quick run
    .venv/bin/python bench/run.py --json figures.json   # also the figures as JSON

For each corpus (the shipped sample; bench/national.py's synthetic national corpus, about 2,000
submissions, 10,000 actions and 6,000 indicators at full size, scaled down by the fraction):

- cold `sdp compile` in a fresh process (`--timings`): seconds per stage, wall seconds, seconds per
  submission, and the work beyond interpreter start-up (wall minus `python -c pass`);
- peak memory of ALL the compile's processes (the parent and every reading and writing worker),
  sampled from /proc every 50 ms: the sum over processes of each one's own peak RSS (VmHWM; an upper
  bound: pages a forked worker shares with its parent count in both), and the peak of the
  simultaneous sum of PSS (proportional set size: a shared page counts once, split between its
  sharers; the memory the compile really holds);
- reading (in this process, serially, cold caches) against the fair floor, Word and Excel
  separately: the floor unzips exactly the XML parts the reader opens from each file and parses each
  distinct part (by content) once, with lxml alone; both in CPU seconds of this process, taken in
  turn, medians of `--runs` runs (a pass too short to time well repeated and averaged);
- serial against parallel reading (jobs=1 against one worker per core), medians of `--runs` runs;
- an up-to-date compile (nothing changed) and a one-submission-changed compile into the same output
  folder, as fractions of the cold one (the cold compile starts with an empty cache; the later ones
  use the cache it left, as a user's next compile would).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from fractions import Fraction
from hashlib import sha1
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lxml import etree  # noqa: E402

from compiler.readers import read_submission  # noqa: E402
from compiler.readers.pool import default_jobs  # noqa: E402
from compiler.ruleset import load_rules  # noqa: E402
from compiler.vocabulary import Vocabulary  # noqa: E402

INPUTS = REPO / "inputs"
RULES = REPO / "rules"
SDP = Path(sys.executable).with_name("sdp")
SAMPLE_EVERY = 0.05  # seconds between memory samples


# --- memory of a process tree ----------------------------------------------------------------------------


def _tree(root: int) -> list[int]:
    """The process and all its descendants (from /proc/PID/task/TID/children)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            pass
    return out


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples a process and all its descendants until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stopping = pid, threading.Event()
        self.hwm: dict[int, int] = {}  # pid -> its own peak RSS seen (kB)
        self.peak_pss = 0
        self.peak_rss_together = 0
        self.processes = 0

    def run(self) -> None:
        while not self.stopping.is_set():
            pss = rss = 0
            for pid in _tree(self.pid):
                hwm = _status_kb(pid, "VmHWM:")
                if hwm:
                    self.hwm[pid] = max(self.hwm.get(pid, 0), hwm)
                pss += _pss_kb(pid)
                rss += _status_kb(pid, "VmRSS:")
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss_together = max(self.peak_rss_together, rss)
            self.stopping.wait(SAMPLE_EVERY)

    def stop(self) -> dict:
        self.stopping.set()
        self.join()
        return {"sum_peak_rss_mb": sum(self.hwm.values()) / 1024, "peak_pss_mb": self.peak_pss / 1024,
                "peak_rss_together_mb": self.peak_rss_together / 1024, "processes": len(self.hwm)}


# --- one compile, measured -------------------------------------------------------------------------------

TIMINGS = re.compile(r"timings: (.*), total ([\d.]+) s")


def compile_measured(inputs: Path, out: Path, *extra: str) -> dict:
    """`sdp compile --timings` in a fresh process: wall seconds, stage seconds, memory of the process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(SDP), "compile", str(inputs), "--rules", str(RULES), "-o", str(out), "-q",
                             "--exit-zero", "--timings", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    memory.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    mem = memory.stop()
    row = {"rc": proc.returncode, "wall_s": wall, **mem}
    m = TIMINGS.search(err)
    if m:
        row["stages"] = {name: float(sec.split()[0]) for name, sec in
                         (part.split(" ", 1) for part in m.group(1).split(", "))}
        row["total_s"] = float(m.group(2))
    if proc.returncode != 0:
        row["error"] = err[-800:]
    return row


def interpreter_start() -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def change_one_submission(inputs: Path) -> str:
    """Edit one Word submission's text (a word added to its first run), as a partner's revision would."""
    from tests.fixtures.ooxml import with_part_replaced

    target = sorted(p for p in inputs.rglob("*.docx"))[-1]
    target.write_bytes(with_part_replaced(target.read_bytes(), "word/document.xml", b"</w:t>", b" (revised)</w:t>"))
    return target.relative_to(inputs).as_posix()


# --- reading against the fair floor ------------------------------------------------------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".docx", ".xlsx"))


def parts_opened(rel: str, data: bytes, vocab: Vocabulary) -> list[str]:
    """The package members the reader opens for this file (its own code and openpyxl's alike)."""
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def recording(self, name, *args, **kwargs):
        opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return original(self, name, *args, **kwargs)

    zipfile.ZipFile.open = recording  # type: ignore[method-assign]
    try:
        read_submission(rel, data, vocab)
    finally:
        zipfile.ZipFile.open = original  # type: ignore[method-assign]
    return sorted({n for n in opened if n.endswith((".xml", ".rels")) or n == "[Content_Types].xml"})


def floor_pass(blobs: list[tuple[str, bytes]], parts: dict[str, list[str]]) -> None:
    """Unzip the parts the reader opens from every file; parse each distinct part once, with lxml."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    seen: set[bytes] = set()
    for rel, data in blobs:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in parts[rel]:
                xml = z.read(name)
                key = sha1(xml).digest()
                if key not in seen:
                    seen.add(key)
                    etree.fromstring(xml, parser)


def reader_pass(blobs: list[tuple[str, bytes]], vocab: Vocabulary) -> None:
    """One cold pass, as a fresh compile reads: caches that live across files start empty."""
    from compiler.readers import clear_caches

    clear_caches()
    for rel, data in blobs:
        read_submission(rel, data, vocab)


MIN_SAMPLE_S = 0.2  # CPU seconds: a pass shorter than this is repeated within one sample


def _interleaved(passes: dict[str, Callable[[], None]], runs: int) -> dict[str, float]:
    """Median CPU seconds of each pass, the passes taken in turn in every run, so that a change in the
    machine's state hits them alike. CPU seconds of this process: on a shared machine the other
    processes stretch wall time, not the work a pass does. A pass too short to time well (the
    sample's four workbooks) is repeated within a sample and averaged."""
    repeat = {}
    for name, fn in passes.items():  # a first pass of each, untimed by the medians, also warms up
        start = time.process_time()
        fn()
        repeat[name] = max(1, round(MIN_SAMPLE_S / max(time.process_time() - start, 1e-6)))
    samples: dict[str, list[float]] = {name: [] for name in passes}
    for _ in range(runs):
        for name, fn in passes.items():
            start = time.process_time()
            for _ in range(repeat[name]):
                fn()
            samples[name].append((time.process_time() - start) / repeat[name])
    return {name: statistics.median(times) for name, times in samples.items()}


def bench_floor(inputs: Path, runs: int) -> dict:
    vocab = Vocabulary(load_rules(RULES))
    blobs = [(p.relative_to(inputs).as_posix(), p.read_bytes()) for p in _files(inputs)]
    parts = {rel: parts_opened(rel, data, vocab) for rel, data in blobs}
    out = {}
    for kind, suffix in (("word", ".docx"), ("excel", ".xlsx")):
        group = [(r, d) for r, d in blobs if r.endswith(suffix)]
        if not group:
            continue
        took = _interleaved({"reader": lambda: reader_pass(group, vocab),
                             "floor": lambda: floor_pass(group, parts)}, runs)
        reader, floor = took["reader"], took["floor"]
        out[kind] = {"files": len(group), "reader_s": reader, "floor_s": floor, "ratio": reader / floor}
    return out


_READ = """
import sys, time
from pathlib import Path
from compiler.readers.pool import Task, read_files
from compiler.ruleset import load_rules
inputs, jobs = Path(sys.argv[1]), int(sys.argv[2])
rules = load_rules(Path(sys.argv[3]))
tasks = [Task(p.relative_to(inputs).as_posix(), p) for p in sorted(q for q in inputs.rglob("*") if q.is_file())]
start = time.perf_counter()
read_files(tasks, rules, jobs=jobs)
print(time.perf_counter() - start)
"""


def read_seconds(inputs: Path, jobs: int) -> float:
    """The read stage alone, in a fresh process (as a compile starts it), imports excluded."""
    proc = subprocess.run([sys.executable, "-c", _READ, str(inputs), str(jobs), str(RULES)], capture_output=True,
                          text=True, check=True, cwd=REPO)
    return float(proc.stdout.split()[-1])


def bench_parallel(inputs: Path, runs: int) -> dict:
    files = len([q for q in inputs.rglob("*") if q.is_file()])
    serial, parallel = [], []
    for _ in range(runs):  # interleaved, so a change in the machine's load hits both alike
        serial.append(read_seconds(inputs, 1))
        parallel.append(read_seconds(inputs, default_jobs()))
    s, p = statistics.median(serial), statistics.median(parallel)
    return {"files": files, "workers": default_jobs(), "serial_s": s, "parallel_s": p, "speedup": s / p,
            "serial_runs": serial, "parallel_runs": parallel}


# --- the corpora -----------------------------------------------------------------------------------------


def corpus(size: str, tmp: Path) -> tuple[Path, dict]:
    if size == "sample":
        inputs = tmp / "inputs"
        shutil.copytree(INPUTS, inputs)
        return inputs, {"submissions": len([p for p in inputs.rglob("*") if p.is_file()])}
    from bench.national import build

    inputs = tmp / "inputs"
    return inputs, build(inputs, float(Fraction(size)))


def bench_size(size: str, runs: int, start_s: float, skip_parallel: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="sdp-bench-") as tmp:
        inputs, counts = corpus(size, Path(tmp))
        out = Path(tmp) / "out"
        row: dict = {"size": size, **counts}
        cold = compile_measured(inputs, out)
        row["cold"] = cold
        row["per_submission_ms"] = cold["wall_s"] / counts["submissions"] * 1000
        row["beyond_start_s"] = cold["wall_s"] - start_s
        row["up_to_date"] = compile_measured(inputs, out)
        row["changed_file"] = change_one_submission(inputs)
        row["one_changed"] = compile_measured(inputs, out)
        row["up_to_date_fraction"] = row["up_to_date"]["wall_s"] / cold["wall_s"]
        row["one_changed_fraction"] = row["one_changed"]["wall_s"] / cold["wall_s"]
        row["floor"] = bench_floor(inputs, runs)
        if not skip_parallel:
            row["parallel"] = bench_parallel(inputs, runs)
    return row


def show(row: dict) -> None:
    c = row["cold"]
    stages = ", ".join(f"{k} {v:.2f}" for k, v in c.get("stages", {}).items())
    print(f"[{row['size']}] {row['submissions']} submissions"
          + (f", {row['actions']} actions, {row['indicators']} indicators" if "actions" in row else ""))
    print(f"  cold compile: {c['wall_s']:.2f} s wall ({stages} s), {row['per_submission_ms']:.1f} ms per submission, "
          f"{row['beyond_start_s']:.2f} s beyond interpreter start-up" + (f"  EXIT {c['rc']}: {c.get('error')}" if c['rc'] else ""))
    print(f"  memory, all {c['processes']} processes: sum of each one's peak RSS {c['sum_peak_rss_mb']:.0f} MB; "
          f"peak of the simultaneous PSS sum {c['peak_pss_mb']:.0f} MB (RSS sum {c['peak_rss_together_mb']:.0f} MB)")
    for kind, f in row["floor"].items():
        print(f"  reading {kind}: {f['files']} files, reader {f['reader_s']:.2f} s, fair floor {f['floor_s']:.3f} s: "
              f"{f['ratio']:.1f}x the floor")
    if "parallel" in row:
        p = row["parallel"]
        print(f"  reading {p['files']} files: serial {p['serial_s']:.2f} s, {p['workers']} workers {p['parallel_s']:.2f} s: "
              f"x{p['speedup']:.2f}")
    print(f"  up-to-date compile {row['up_to_date']['wall_s']:.2f} s = {row['up_to_date_fraction']:.2f} of cold; "
          f"one submission changed {row['one_changed']['wall_s']:.2f} s = {row['one_changed_fraction']:.2f} of cold "
          f"({_stages(row['one_changed'])})", flush=True)


def _stages(run: dict) -> str:
    return ", ".join(f"{k} {v:.2f} s" for k, v in run.get("stages", {}).items())


def summary(rows: list[dict]) -> None:
    national = [r for r in rows if r["size"] != "sample"]
    print("summary:")
    if len(national) >= 2:
        small, big = national[0], national[-1]
        print(f"  per submission at {big['size']} / at {small['size']}: "
              f"{big['per_submission_ms'] / small['per_submission_ms']:.2f}x (bar <= 1.3)")
    for r in rows:
        c = r["cold"]
        floors = ", ".join(f"{kind} {f['ratio']:.1f}x" for kind, f in r["floor"].items())
        parallel = f", parallel reading x{r['parallel']['speedup']:.2f} (bar >= 1.7)" if "parallel" in r else ""
        print(f"  {r['size']:>6}: cold {c['wall_s']:6.1f} s (bar < 60 at full size), memory {c['sum_peak_rss_mb']:5.0f} MB "
              f"(sum of peaks), {c['peak_pss_mb']:5.0f} MB (PSS) (bar < 700); up to date {r['up_to_date_fraction']:.2f} "
              f"of cold (bar <= 0.10), one changed {r['one_changed_fraction']:.2f} (bar <= 0.15); reading ÷ floor "
              f"{floors} (bar <= 3){parallel}")
    sample = next((r for r in rows if r["size"] == "sample"), None)
    if sample:
        print(f"  sample: {sample['beyond_start_s']:.2f} s beyond interpreter start-up (bar < 1.0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="sample,1/8,1/4,1/2,1",
                        help="comma-separated: 'sample' and fractions of the national corpus (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="runs per reading timing (median)")
    parser.add_argument("--no-parallel", action="store_true", help="skip serial vs parallel reading")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    load = os.getloadavg()
    print(f"sdp benchmark: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"python {sys.version.split()[0]}", flush=True)
    start_s = interpreter_start()
    print(f"interpreter start-up: {start_s:.3f} s", flush=True)
    rows = []
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        row = bench_size(size, args.runs, start_s, args.no_parallel)
        rows.append(row)
        show(row)
    summary(rows)
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"cpus": os.cpu_count(), "start_s": start_s, "rows": rows}, indent=2),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
