"""The `sdp` command line. It only wires the pipeline stages together."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click

from . import __version__
from . import diagnostics_render as show
from .codes import all_codes, code_info, is_code, similar_codes
from .diagnostics import Diagnostic, Severity
from .compilation import Compilation
from .pipeline import InputsError, compile_plan
from .ruleset import RulesError, load_rules

EXIT_OK, EXIT_ERRORS, EXIT_CANNOT_RUN = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"sdp: error: {message}", err=True)
    sys.exit(EXIT_CANNOT_RUN)


def _load(inputs: str, rules_dir: str, strict: bool, as_of: datetime | None = None) -> Compilation:
    try:
        rules = load_rules(Path(rules_dir))
    except RulesError as exc:
        click.echo(f"sdp: error: the rules in '{rules_dir}' cannot be used:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    try:
        return compile_plan(Path(inputs), rules, strict=strict, as_of=as_of.date() if as_of else None)
    except InputsError as exc:
        _fail(str(exc))
        raise  # unreachable


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


def _summary(comp: Compilation) -> str:
    counts = {s: sum(1 for d in comp.plan.diagnostics if d.severity is s) for s in Severity}
    p = comp.plan
    return (f"{len(p.submissions)} submissions, {len(p.actions)} actions, {len(p.indicators)} indicators, "
            f"{len(p.strategies)} strategies; {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
            f"{counts[Severity.INFO]} info")


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
    click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                 help="The date milestones are judged against (D011), YYYY-MM-DD; default today."),
]


def _common(fn):
    for decorator in reversed(_COMMON):
        fn = decorator(fn)
    return fn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdp")
def main() -> None:
    """sdp: compile partners' Word and Excel submissions into a Shared Delivery Plan.

    \b
    Run from a folder holding inputs/ and rules/:
      sdp compile            # read inputs/, write outputs/
      sdp check              # diagnostics only, nothing written
      sdp explain R002       # what a diagnostic means and how to fix it
    """


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
def compile(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool, output: str,
            reference_docx: str | None, as_of: datetime | None, exit_zero: bool, only: str | None) -> None:
    """Read, resolve, check and write every artefact.

    \b
    Example:
      sdp compile inputs -o outputs --rules rules
    Exit status: 0 compiled cleanly; 1 compiled with errors (artefacts still written);
    2 could not run.
    """
    from .writers import UnknownWriter, WriteContext, selected_writers, write_outputs

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
    try:
        write_outputs(comp, Path(output), WriteContext(inputs_dir=Path(inputs), reference_docx=reference,
                                                       as_of=comp.as_of), only=only_names)
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    except Exception as exc:  # a writer fault must not print a traceback; the previous outputs are intact
        _fail(f"the artefacts could not be written ({type(exc).__name__}: {exc}); the previous contents of "
              f"'{output}' are unchanged. This is a fault in sdp: please report it with the inputs")
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


@main.command()
@click.argument("code", required=False)
def explain(code: str | None) -> None:
    """Say what a diagnostic code means, why it matters and how to fix it.

    \b
    Example:
      sdp explain R002
      sdp explain          # list every code
      sdp explain A        # list the codes with a prefix (I, R, C, D, A)
    """
    wanted = "" if code is None else code.strip().upper()
    if not is_code(wanted):
        listed = [info for info in all_codes() if info.code.startswith(wanted)] if wanted or code is None else []
        if not listed:
            close = similar_codes(wanted, prefixes=False)
            hint = f"; {show.did_you_mean(close)}" if close else ""
            _fail(f"no diagnostic has the code '{code}'{hint} ('sdp explain' lists them)")
            return
        for info in listed:
            click.echo(f"{info.code}  {info.severity.value:<7}  {info.summary}")
        return
    info = code_info(wanted)
    click.echo(f"{info.code} ({info.severity.value} by default): {info.summary}")
    if info.explanation:
        click.echo()
        click.echo(info.explanation)


@main.command("lint-doc")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
def lint_doc(files: tuple[str, ...]) -> None:
    """Check generated Word documents against the accessibility rules for publication.

    \b
    Example:
      sdp lint-doc outputs/shared-delivery-plan.docx outputs/partners/*.docx
    Exit status: 0 every document passes; 1 a rule is broken; 2 a file cannot be read.
    """
    from .a11y import lint_docx

    failed = False
    colour = sys.stdout.isatty()
    for name in files:
        try:
            findings = lint_docx(Path(name).read_bytes(), path=name)
        except ValueError as exc:
            _fail(f"{name}: {exc}")
            return
        for d in findings:
            _echo_line(show.text(d), d.severity, colour)
        failed = failed or bool(findings)
    sys.exit(EXIT_ERRORS if failed else EXIT_OK)


if __name__ == "__main__":
    main()
