"""`sdp compile` and `sdp check`."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path

import click

from . import main
from ..cache import BuildOptions, digest_of
from ..incremental import CompileResult, house_style
from .common import (EXIT_ERRORS, EXIT_OK, _check_reference_docx, _common, _counts, _fail, _load, _options,
                     _print_diagnostics, _rules, _statistics, _summary, find_rules, progress_bar)

@main.command(short_help="Read, check and write the plan and every other artefact.")
@_common
@click.option("-o", "--output", "output", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Where the artefacts are written.")
@click.option("--reference-docx", "reference_docx", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A house-style Word document whose styles the generated documents use "
                   "(default: reference_docx in rules/system.toml, else the built-in style).")
@click.option("--only", "only", default=None, metavar="NAME,...",
              help="Write only these artefacts (plus plan.json and manifest.json): "
                   "annotated, changes, gap-report, graph, logframe-docx, logframe-xlsx, partners, plan, "
                   "plan-html, progress-report.")
@click.option("--previous", "previous", default=None, metavar="OLD", type=click.Path(),
              help="An earlier compile (plan.json or output folder, which may be -o itself): also write "
                   "changes.docx, .md and .json, what changed since it.")
@click.option("--timings", "timings", is_flag=True,
              help="After the summary, print on stderr how long each stage took (read, resolve, check, write).")
@click.option("--pdf", "pdf", is_flag=True, default=False,
              help="Also write a tagged (PDF/UA) PDF beside every generated Word document; needs LibreOffice.")
@click.option("--cache", "cache_dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="The compile cache: read records and what the last compile wrote, so an unchanged input is "
                   "not read again and an unchanged artefact not rebuilt [default: .sdp-cache beside the "
                   "output folder]. Safe to delete.")
@click.option("--no-cache", "no_cache", is_flag=True, default=False,
              help="Compile from scratch, without reading or writing the cache.")
def compile(inputs: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool, output: str,
            reference_docx: str | None, as_of: datetime | None, exit_zero: bool, only: str | None,
            previous: str | None, jobs: int | None, timings: bool, pdf: bool, cache_dir: str | None,
            no_cache: bool) -> None:
    """Read every submission in INPUTS (default: inputs), resolve and check them, and write the
    plan, logframe, gap report, partner appendices and annotated copies to the output folder.

    The output folder is replaced in one step: a compile that fails leaves the previous outputs
    whole. Diagnostics are printed as they are for `sdp check`.

    An unchanged input is not read again and an unchanged artefact is not rebuilt (the cache, see
    --cache); when nothing changed at all, nothing is rewritten. The outputs are the same bytes
    either way.

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
    # Only what an up-to-date compile needs is imported before the check; the pipeline and the writers after.
    from ..timings import Timings
    from ..writers.pdf import MISSING, libreoffice
    from ..writers.transaction import clear_stale_staging, folder_lock, output_folder_problem
    from .diff import read_plan

    started = time.perf_counter()
    stages = Timings()
    only_names = only.split(",") if only is not None else None
    used_rules = find_rules(rules_dir, inputs)
    problem = output_folder_problem(Path(output), Path(inputs), Path(used_rules))
    if problem:
        _fail(problem)
    previous_plan = read_plan(previous, "--previous") if previous else None  # before -o is replaced
    rules = _rules(used_rules)
    reference = Path(reference_docx) if reference_docx else rules.reference_docx
    if reference is not None:
        _check_reference_docx(reference)
    if pdf and libreoffice() is None:
        click.echo(f"sdp: --pdf: {MISSING}", err=True)
        pdf = False
    out, day = Path(output), as_of.date() if as_of else date.today()
    cache, reuse, hashes, result = None, None, None, None
    if not no_cache:
        with stages.stage("read"):  # the inputs' bytes, hashed: an up-to-date compile reads no further
            cache, reuse, hashes = _incremental(Path(inputs), out, cache_dir, rules, BuildOptions(
                as_of=day.isoformat(), strict=strict, only=tuple(sorted(only_names)) if only_names is not None else None,
                reference_docx=house_style(reference), previous=digest_of(previous_plan) if previous_plan else "",
                pdf=pdf), quiet)
        if reuse is not None:
            with folder_lock(out):  # no other compile is swapping the folder while it is verified
                result = cache.load_result(reuse.key) if reuse.up_to_date(out) else None
                if isinstance(result, CompileResult):
                    clear_stale_staging(out)
        if isinstance(result, CompileResult):
            _report(result, inputs, output, used_rules, fmt, quiet, verbose, started, "up to date: nothing rewritten")
            if timings:
                click.echo(stages.line(time.perf_counter() - started), err=True)
            sys.exit(EXIT_ERRORS if result.error_count and not exit_zero else EXIT_OK)
    from ..writers import UnknownWriter, WriteContext, selected_writers, write_outputs
    from ..writers.changes import with_previous

    try:
        selected_writers(only_names)
    except UnknownWriter as exc:
        _fail(f"--only: {exc}")
    ctx, only_names = with_previous(WriteContext(inputs_dir=Path(inputs), reference_docx=reference, as_of=day,
                                                 pdf=pdf), previous_plan, only_names)
    comp = _load(inputs, used_rules, strict, as_of, jobs=jobs, timings=stages, quiet=quiet, keep_records=False,
                 rules=rules, cache=cache, hashes=hashes)
    try:
        with folder_lock(out), stages.stage("write"), progress_bar("writing", quiet) as progress:
            written = write_outputs(comp, out, ctx, only=only_names, jobs=jobs, progress=progress, reuse=reuse)
            if cache is not None and reuse is not None:
                cache.store_build(out, reuse.record)
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    except Exception as exc:  # a writer fault must not print a traceback; the previous outputs are intact
        _fail(f"the artefacts could not be written ({type(exc).__name__}: {exc}); the previous contents of "
              f"'{output}' are unchanged. This is a fault in sdp: please report it with the inputs")
    result = CompileResult(_summary(comp), comp.plan.diagnostics, list(ctx.messages))
    kept = ""
    if cache is not None and reuse is not None:
        cache.store_result(reuse.key, result)
        cache.prune()
        rebuilt = sum(1 for name in written if name not in reuse.carried)
        if reuse.carried:
            kept = f"{len(written) - rebuilt} of {len(written)} files kept from the last compile"
    _report(result, inputs, output, used_rules, fmt, quiet, verbose, started, kept)
    if timings:
        click.echo(stages.line(time.perf_counter() - started), err=True)
    sys.exit(EXIT_ERRORS if result.error_count and not exit_zero else EXIT_OK)


def _incremental(inputs: Path, out: Path, cache_dir: str | None, rules, options, quiet: bool):
    """The cache, this compile's view of the last one into `out`, and each input's hash; (None, None,
    None) when the cache cannot be used (said on stderr)."""
    from ..cache import CACHE_NAME, Cache, build_key, file_sha256
    from ..incremental import Reuse
    from ..readers.inputs import InputsError, input_tasks

    folder = Path(cache_dir) if cache_dir else out.absolute().parent / CACHE_NAME
    resolved, inputs_resolved = folder.resolve(), inputs.resolve()
    if resolved == inputs_resolved or inputs_resolved in resolved.parents:
        _fail(f"--cache: the cache folder '{folder}' is inside the inputs folder '{inputs}': the compile would "
              "read it as a submission; give another folder")
    cache, why = Cache.open(folder)
    if cache is None:
        if not quiet:
            click.echo(f"sdp: warning: {why}", err=True)
        return None, None, None
    try:
        hashes = {task.rel_path: file_sha256(task.path) for task in input_tasks(inputs)}
    except InputsError as exc:
        _fail(str(exc))
        raise  # unreachable
    key = build_key(rules.digest, sorted(hashes.items()), options)
    return cache, Reuse(key, options.reference_docx, cache.load_build(out)), hashes


def _report(result, inputs: str, output: str, used_rules: str, fmt: str, quiet: bool, verbose: bool,
            started: float, note: str) -> None:
    for message in result.messages:
        click.echo(f"sdp: warning: {message}", err=True)
    _print_diagnostics(result.diagnostics, inputs, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: compiled {result.summary} -> {output}/ in {time.perf_counter() - started:.2f}s "
                   f"(rules: {used_rules}){'; ' + note if note else ''}", err=True)
        _echo_statistics(result.diagnostics, verbose)


def _echo_statistics(diags, verbose: bool) -> None:
    line = _statistics(diags, verbose)
    if line:
        click.echo(f"sdp: {line}", err=True)


@main.command(short_help="Check the submissions, or one file against them; write nothing.")
@click.argument("path", default="inputs", type=click.Path())
@_options
@click.option("--inputs", "inputs_dir", default=None, type=click.Path(file_okay=False),
              help="When PATH is one file: the inputs folder it is checked against (the logframe, registers "
                   "and other submissions) [default: inputs].")
@click.option("--annotate", "annotate", default=None, metavar="OUT", type=click.Path(dir_okay=False),
              help="When PATH is one file: write a copy of it to OUT (.docx or .xlsx, as the file) with its "
                   "diagnostics as Word comments or Excel notes.")
def check(path: str, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool,
          as_of: datetime | None, exit_zero: bool, jobs: int | None, inputs_dir: str | None,
          annotate: str | None) -> None:
    """Read, resolve and check the submissions in PATH (default: inputs) and print every
    diagnostic; nothing is written. Use it on a folder of returns before they go into the plan.

    When PATH is one file, it is checked against the inputs folder (--inputs, default inputs):
    it takes the place of the input it revises (the same file, or the one of the same name, with or
    without version marks such as "v2"), else it is added; only its own diagnostics are printed,
    so an indicator or strategy defined in another input is not reported unknown, and the whole
    plan's coverage is not blamed on it. The pre-flight before a return is sent.

    \b
    Examples:
      sdp check
      sdp check inputs --strict
      sdp check returns/ --format json > diagnostics.json
      sdp check "MBC return v2.docx" --annotate "MBC return v2 checked.docx"

    \b
    Exit status:
      0  no error diagnostics (for one file: none of its own)
      1  error diagnostics found (with --strict, warnings count as errors)
      2  could not run: bad arguments, unusable rules, no inputs
    """
    target = Path(path)
    if not target.exists() and target.suffix.casefold() in (".docx", ".xlsx"):
        _fail(f"the file '{path}' does not exist")
    if target.is_file():
        _check_file(target, Path(inputs_dir or "inputs"), rules_dir, fmt, strict, quiet, verbose, as_of,
                    exit_zero, annotate, jobs)
        return
    if inputs_dir is not None or annotate is not None:
        _fail("--inputs and --annotate are for checking one file; PATH is a folder")
    comp = _load(path, rules_dir, strict, as_of, jobs=jobs, quiet=quiet, keep_records=False)
    _print_diagnostics(comp.plan.diagnostics, path, fmt, quiet, verbose)
    if fmt == "text" and not quiet:
        click.echo(f"sdp: checked {_summary(comp)}", err=True)
        _echo_statistics(comp.plan.diagnostics, verbose)
    sys.exit(EXIT_ERRORS if comp.error_count and not exit_zero else EXIT_OK)


def _check_file(file: Path, inputs: Path, rules_dir: str, fmt: str, strict: bool, quiet: bool, verbose: bool,
                as_of: datetime | None, exit_zero: bool, annotate: str | None, jobs: int | None = None) -> None:
    """`sdp check FILE`: the file compiled with the inputs, its own diagnostics printed."""
    from ..diagnostics import Severity
    from ..pipeline import checked_path, file_diagnostics

    if annotate is not None and Path(annotate).suffix.casefold() != file.suffix.casefold():
        _fail(f"--annotate: give a {file.suffix or 'same-type'} file name for an annotated copy of '{file}'")
    if annotate is not None and Path(annotate).resolve() == file.resolve():
        _fail("--annotate: the annotated copy must not overwrite the file checked; give another name")
    comp = _load(str(inputs), rules_dir, strict, as_of, file=file, jobs=jobs, quiet=quiet)
    rel = checked_path(inputs, file)
    inside = rel != file.as_posix()
    diags = file_diagnostics(comp, rel)
    _print_diagnostics(diags, str(inputs) if inside else "", fmt, quiet, verbose)
    if annotate is not None:
        _write_annotated(file, rel, diags, comp, Path(annotate))
    if fmt == "text" and not quiet:
        others = len(comp.plan.submissions) - 1
        click.echo(f"sdp: checked {file} against {others} other submission{'s' if others != 1 else ''} in "
                   f"{inputs}/: {_counts(diags)}", err=True)
        _echo_statistics(diags, verbose)
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    sys.exit(EXIT_ERRORS if errors and not exit_zero else EXIT_OK)


def _write_annotated(file: Path, rel: str, diags, comp, out: Path) -> None:
    """The annotated copy of one checked file (writers/annotated.py's per-file annotation)."""
    from ..writers.annotated import annotated_copy

    original = file.read_bytes()
    located = sorted((d for d in diags if d.location is not None and d.location.path == rel),
                     key=lambda d: d.sort_key())
    data = annotated_copy(original, rel, located, comp.rules.limits) if located else original
    if data is None:
        _fail(f"--annotate: '{file}' could not be annotated (it cannot be opened as a Word or Excel file)")
    try:
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"--annotate: cannot write '{out}': {exc.strerror or exc}")
