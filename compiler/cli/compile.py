"""`sdp compile` and `sdp check`."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click

from . import main
from .common import (EXIT_ERRORS, EXIT_OK, _check_reference_docx, _common, _fail, _load, _print_diagnostics, _summary,
                     find_rules)

@main.command(short_help="Read, check and write the plan and every other artefact.")
@_common
@click.option("-o", "--output", "output", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Where the artefacts are written.")
@click.option("--reference-docx", "reference_docx", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A house-style Word document whose styles the generated documents use "
                   "(default: reference_docx in rules/system.toml, else the built-in style).")
@click.option("--only", "only", default=None, metavar="NAME,...",
              help="Write only these artefacts (plus plan.json and manifest.json): "
                   "annotated, changes, gap-report, graph, logframe-docx, logframe-xlsx, partners, plan.")
@click.option("--previous", "previous", default=None, metavar="OLD", type=click.Path(),
              help="An earlier compile (plan.json or output folder, which may be -o itself): also write "
                   "changes.docx, .md and .json, what changed since it.")
def compile(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool, output: str,
            reference_docx: str | None, as_of: datetime | None, exit_zero: bool, only: str | None,
            previous: str | None) -> None:
    """Read every submission in INPUTS (default: inputs), resolve and check them, and write the
    plan, logframe, gap report, partner appendices and annotated copies to the output folder.

    The output folder is replaced in one step: a compile that fails leaves the previous outputs
    whole. Diagnostics are printed as they are for `sdp check`.

    \b
    Examples:
      sdp compile
      sdp compile inputs -o outputs --rules rules
      sdp compile --only gap-report,plan --as-of 2025-06-01

    \b
    Exit status:
      0  compiled with no errors
      1  compiled with errors (artefacts written, documents marked Draft)
      2  could not run (bad arguments, unusable rules, no inputs, cannot write)
    """
    from ..writers import UnknownWriter, WriteContext, selected_writers, write_outputs
    from ..writers.transaction import folder_lock, output_folder_problem
    from ..writers.changes import with_previous
    from .diff import read_plan

    started = time.perf_counter()
    only_names = only.split(",") if only is not None else None
    try:
        selected_writers(only_names)
    except UnknownWriter as exc:
        _fail(f"--only: {exc}")
    used_rules = find_rules(rules_dir, inputs)
    problem = output_folder_problem(Path(output), Path(inputs), Path(used_rules))
    if problem:
        _fail(problem)
    previous_plan = read_plan(previous, "--previous") if previous else None  # before -o is replaced
    comp = _load(inputs, used_rules, strict, as_of)
    reference = Path(reference_docx) if reference_docx else comp.rules.reference_docx
    if reference is not None:
        _check_reference_docx(reference)
    ctx, only_names = with_previous(WriteContext(inputs_dir=Path(inputs), reference_docx=reference,
                                                 as_of=comp.as_of), previous_plan, only_names)
    try:
        with folder_lock(Path(output)):
            write_outputs(comp, Path(output), ctx, only=only_names)
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    except Exception as exc:  # a writer fault must not print a traceback; the previous outputs are intact
        _fail(f"the artefacts could not be written ({type(exc).__name__}: {exc}); the previous contents of "
              f"'{output}' are unchanged. This is a fault in sdp: please report it with the inputs")
    _print_diagnostics(comp.plan.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: compiled {_summary(comp)} -> {output}/ in {time.perf_counter() - started:.2f}s "
                   f"(rules: {used_rules})", err=True)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)


@main.command(short_help="Read and check the submissions; print diagnostics, write nothing.")
@_common
def check(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool,
          as_of: datetime | None, exit_zero: bool) -> None:
    """Read, resolve and check the submissions in INPUTS (default: inputs) and print every
    diagnostic; nothing is written. Use it on a folder of returns before they go into the plan.

    \b
    Examples:
      sdp check
      sdp check inputs --strict
      sdp check returns/ --format json > diagnostics.json

    \b
    Exit status:
      0  no error diagnostics
      1  error diagnostics found (with --strict, warnings count as errors)
      2  could not run: bad arguments, unusable rules, no inputs
    """
    comp = _load(inputs, rules_dir, strict, as_of)
    _print_diagnostics(comp.plan.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: checked {_summary(comp)}", err=True)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)
