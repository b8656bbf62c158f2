"""`sdp compile` and `sdp check`."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click

from . import main
from .common import (EXIT_ERRORS, EXIT_OK, _check_reference_docx, _common, _fail, _load, _print_diagnostics, _summary,
                     progress_bar)

@main.command()
@_common
@click.option("-o", "--output", "output", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Where the artefacts are written.")
@click.option("--reference-docx", "reference_docx", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A house-style Word document whose styles the generated documents use "
                   "(default: reference_docx in rules/system.toml, else the built-in style).")
@click.option("--only", "only", default=None, metavar="NAME,...",
              help="Write only these artefacts (plus plan.json and manifest.json): "
                   "annotated, gap-report, graph, logframe-docx, logframe-xlsx, partners, plan.")
@click.option("--timings", "timings", is_flag=True,
              help="After the summary, print on stderr how long each stage took (read, resolve, check, write).")
def compile(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool, output: str,
            reference_docx: str | None, as_of: datetime | None, exit_zero: bool, only: str | None,
            jobs: int | None, timings: bool) -> None:
    """Read, resolve, check and write every artefact.

    \b
    Example:
      sdp compile inputs -o outputs --rules rules
    Exit status: 0 compiled cleanly; 1 compiled with errors (artefacts still written);
    2 could not run.
    """
    from ..pipeline import Timings
    from ..writers import UnknownWriter, WriteContext, selected_writers, write_outputs

    started = time.perf_counter()
    stages = Timings()
    only_names = only.split(",") if only is not None else None
    try:
        selected_writers(only_names)
    except UnknownWriter as exc:
        _fail(f"--only: {exc}")
    comp = _load(inputs, rules_dir, strict, as_of, jobs=jobs, timings=stages, quiet=quiet, keep_records=False)
    reference = Path(reference_docx) if reference_docx else comp.rules.reference_docx
    if reference is not None:
        _check_reference_docx(reference)
    try:
        with stages.stage("write"), progress_bar("writing", quiet) as progress:
            write_outputs(comp, Path(output), WriteContext(inputs_dir=Path(inputs), reference_docx=reference,
                                                           as_of=comp.as_of),
                          only=only_names, jobs=jobs, progress=progress)
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    except Exception as exc:  # a writer fault must not print a traceback; the previous outputs are intact
        _fail(f"the artefacts could not be written ({type(exc).__name__}: {exc}); the previous contents of "
              f"'{output}' are unchanged. This is a fault in sdp: please report it with the inputs")
    _print_diagnostics(comp.plan.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: compiled {_summary(comp)} -> {output}/ in {time.perf_counter() - started:.2f}s", err=True)
    if timings:
        click.echo(stages.line(time.perf_counter() - started), err=True)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)


@main.command()
@_common
def check(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool,
          as_of: datetime | None, exit_zero: bool, jobs: int | None) -> None:
    """Read, resolve and check; print diagnostics; write nothing.

    \b
    Example:
      sdp check inputs --strict
    Exit status: 0 no errors; 1 errors found; 2 could not run.
    """
    comp = _load(inputs, rules_dir, strict, as_of, jobs=jobs, quiet=quiet, keep_records=False)
    _print_diagnostics(comp.plan.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: checked {_summary(comp)}", err=True)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)
