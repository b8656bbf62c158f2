"""`sdp compile` and `sdp check`."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click

from . import main
from .common import EXIT_ERRORS, EXIT_OK, _check_reference_docx, _common, _fail, _load, _print_diagnostics, _summary

@main.command()
@_common
@click.option("-o", "--output", "output", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Where the artefacts are written.")
@click.option("--reference-docx", "reference_docx", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A house-style Word document whose styles the generated documents use "
                   "(default: reference_docx in rules/system.toml, else the built-in style).")
@click.option("--only", "only", default=None, metavar="NAME,...",
              help="Write only these artefacts (plus plan.json and manifest.json): "
                   "annotated, gap-report, graph, logframe-docx, logframe-xlsx, partners, plan, plan-html.")
@click.option("--pdf", "pdf", is_flag=True, default=False,
              help="Also write a tagged (PDF/UA) PDF beside every generated Word document; needs LibreOffice.")
def compile(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool, output: str,
            reference_docx: str | None, as_of: datetime | None, exit_zero: bool, only: str | None,
            pdf: bool) -> None:
    """Read, resolve, check and write every artefact.

    \b
    Example:
      sdp compile inputs -o outputs --rules rules
    Exit status: 0 compiled cleanly; 1 compiled with errors (artefacts still written);
    2 could not run.
    """
    from ..writers import UnknownWriter, WriteContext, selected_writers, write_outputs
    from ..writers.pdf import MISSING, libreoffice

    started = time.perf_counter()
    only_names = only.split(",") if only is not None else None
    try:
        selected_writers(only_names)
    except UnknownWriter as exc:
        _fail(f"--only: {exc}")
    comp = _load(inputs, rules_dir, strict, as_of)
    reference = Path(reference_docx) if reference_docx else comp.rules.reference_docx
    if reference is not None:
        _check_reference_docx(reference)
    if pdf and libreoffice() is None:
        click.echo(f"sdp: --pdf: {MISSING}", err=True)
        pdf = False
    ctx = WriteContext(inputs_dir=Path(inputs), reference_docx=reference, as_of=comp.as_of, pdf=pdf)
    try:
        write_outputs(comp, Path(output), ctx, only=only_names)
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    except Exception as exc:  # a writer fault must not print a traceback; the previous outputs are intact
        _fail(f"the artefacts could not be written ({type(exc).__name__}: {exc}); the previous contents of "
              f"'{output}' are unchanged. This is a fault in sdp: please report it with the inputs")
    for message in ctx.messages:
        click.echo(f"sdp: warning: {message}", err=True)
    _print_diagnostics(comp.plan.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: compiled {_summary(comp)} -> {output}/ in {time.perf_counter() - started:.2f}s", err=True)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)


@main.command()
@_common
def check(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool,
          as_of: datetime | None, exit_zero: bool) -> None:
    """Read, resolve and check; print diagnostics; write nothing.

    \b
    Example:
      sdp check inputs --strict
    Exit status: 0 no errors; 1 errors found; 2 could not run.
    """
    comp = _load(inputs, rules_dir, strict, as_of)
    _print_diagnostics(comp.plan.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: checked {_summary(comp)}", err=True)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)
