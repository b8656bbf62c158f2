"""`sdp explain` and `sdp lint-doc`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import diagnostics_render as show
from ..codes import all_codes, code_info, is_code, similar_codes
from . import main
from .common import EXIT_ERRORS, EXIT_OK, _echo_line, _fail

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
    from ..a11y import lint_docx

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
