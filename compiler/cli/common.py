"""What every command shares: exit codes, loading rules and compiling, printing diagnostics, the common options."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import diagnostics_render as show
from ..diagnostics import Diagnostic, Severity

if TYPE_CHECKING:  # the pipeline (openpyxl, networkx, lxml...) is imported only by the commands that run it
    from ..compilation import Compilation
    from ..pipeline import Timings

EXIT_OK, EXIT_ERRORS, EXIT_CANNOT_RUN = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"sdp: error: {message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


DEFAULT_RULES = "rules"


def find_rules(rules_dir: str, inputs: str) -> str:
    """The rules folder to use: as given; or, when the default `rules` is not in the current folder,
    the `rules` folder beside the inputs folder (said on stderr, so nobody wonders which was used)."""
    if rules_dir != DEFAULT_RULES or Path(rules_dir).is_dir():
        return rules_dir
    beside = Path(inputs).absolute().parent / DEFAULT_RULES
    if beside.is_dir():
        click.echo(f"sdp: no rules folder here; using the rules beside the inputs: '{beside}'", err=True)
        return str(beside)
    return rules_dir


def _rules(rules_dir: str):
    """The rules in `rules_dir`; exit 2 listing every problem when they cannot be used."""
    from ..ruleset import RulesError, load_rules

    try:
        return load_rules(Path(rules_dir))
    except RulesError as exc:
        click.echo(f"sdp: error: the rules in '{rules_dir}' cannot be used:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_CANNOT_RUN)


def _load(inputs: str, rules_dir: str, strict: bool, as_of: datetime | None = None, *, jobs: int | None = None,
          timings: Timings | None = None, quiet: bool = False, keep_records: bool = True,
          file: Path | None = None, rules=None, cache=None, hashes: dict[str, str] | None = None) -> Compilation:
    """Read, resolve and check (pipeline.compile_plan) with a progress bar; `rules`: already loaded
    from `rules_dir`; `cache`, `hashes`: the compile cache and each input's hash (see read_all)."""
    from ..pipeline import InputsError, compile_plan

    rules_dir = find_rules(rules_dir, inputs)
    if rules is None:
        rules = _rules(rules_dir)
    try:
        with progress_bar("reading", quiet) as progress:
            return compile_plan(Path(inputs), rules, strict=strict, as_of=as_of.date() if as_of else None,
                                jobs=jobs, timings=timings, progress=progress, keep_records=keep_records,
                                file=file, cache=cache, hashes=hashes)
    except InputsError as exc:
        _fail(str(exc))
        raise  # unreachable


PROGRESS_MIN_ITEMS = 20  # fewer files than this finish before a bar would be worth drawing


class progress_bar:
    """A progress bar on stderr while many files are read or written, when stderr is a terminal
    (click's own: no dependency beyond the command-line library itself); nothing otherwise.

        with progress_bar("reading", quiet) as progress:
            read_files(..., progress=progress)     # progress(done, total)
    """

    def __init__(self, label: str, quiet: bool = False):
        self.label = label
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None
        self.shown = 0

    def __enter__(self):
        return self if self.enabled else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_MIN_ITEMS:
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
            self.bar = None


def _check_reference_docx(path: Path) -> None:
    """A house-style template that cannot be opened stops the compile before anything is written."""
    import docx

    try:
        docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a Word document
        _fail(f"the reference document '{path}' is not a readable Word document ({type(exc).__name__}); "
              "give a .docx saved by Word or LibreOffice")


def _style(severity: Severity) -> dict:
    return {"error": {"fg": "red", "bold": True}, "warning": {"fg": "yellow"}, "info": {"fg": "cyan"}}[severity.value]


def _print_diagnostics(diags: list[Diagnostic], inputs: str, fmt: str, quiet: bool, verbose: bool) -> None:
    if fmt == "json":
        click.echo(show.json_document(diags))
        return
    prefix = inputs.rstrip("/") + "/" if inputs not in (".", "") else ""
    colour = sys.stdout.isatty()
    for d in diags:
        if d.severity is Severity.INFO and not verbose:
            continue
        if quiet and d.severity is not Severity.ERROR:
            continue
        _echo_line(show.text(d, prefix), d.severity, colour)


def _echo_line(line: str, severity: Severity, colour: bool) -> None:
    click.echo(click.style(line, **_style(severity)) if colour else line)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    """`1 error`, `2 errors`; `info` is a mass noun."""
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {plural or word + 's'}"


def _counts(diags: list[Diagnostic]) -> str:
    """`1 error, 42 warnings, 3 info`."""
    counts = {s: sum(1 for d in diags if d.severity is s) for s in Severity}
    return (f"{_plural(counts[Severity.ERROR], 'error')}, {_plural(counts[Severity.WARNING], 'warning')}, "
            f"{_plural(counts[Severity.INFO], 'info')}")


def _summary(comp: Compilation) -> str:
    p = comp.plan
    return (f"{_plural(len(p.submissions), 'submission')}, {_plural(len(p.actions), 'action')}, "
            f"{_plural(len(p.indicators), 'indicator')}, {_plural(len(p.strategies), 'strategy', 'strategies')}; "
            f"{_counts(p.diagnostics)}")


def _statistics(diags: list[Diagnostic], verbose: bool) -> str | None:
    """The per-code count of the diagnostics printed, most frequent first (as `ruff --statistics`):
    `by code: D011 12, C008 12, C003 6, R002 1`; None when nothing was printed."""
    counts: dict[str, int] = {}
    for d in diags:
        if d.severity is not Severity.INFO or verbose:
            counts[d.code] = counts.get(d.code, 0) + 1
    if not counts:
        return None
    return "by code: " + ", ".join(f"{code} {n}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


_COMMON = [
    click.argument("inputs", default="inputs", type=click.Path(file_okay=False)),
    click.option("--rules", "rules_dir", default="rules", show_default=True, type=click.Path(file_okay=False),
                 help="The rules folder (outcomes, partners, places, synonyms, checks)."),
    click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                 help="How diagnostics are printed."),
    click.option("--strict", is_flag=True, help="Treat warnings as errors."),
    click.option("--quiet", "-q", is_flag=True, help="Print errors only."),
    click.option("--verbose", "-v", is_flag=True, help="Print info diagnostics too."),
    click.option("--exit-zero", "exit_zero", is_flag=True,
                 help="Exit 0 even when error diagnostics remain (they are still reported and the documents "
                      "still marked Draft); 2 still means the command could not run."),
    click.option("--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None,
                 help="Processes reading (and writing) files at once; default: one per core."),
    click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                 help="The date milestones are judged against (D011), YYYY-MM-DD; default today."),
]


def _common(fn):
    for decorator in reversed(_COMMON):
        fn = decorator(fn)
    return fn


def _options(fn):
    """The common options without the INPUTS argument: for `check`, whose PATH may be one file."""
    for decorator in reversed(_COMMON[1:]):
        fn = decorator(fn)
    return fn
