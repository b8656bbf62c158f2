"""`sdp explain` and `sdp lint-doc`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import diagnostics_render as show
from .. import docs
from ..codes import PREFIXES, all_codes, code_info, is_code, similar_codes
from . import main
from .common import EXIT_ERRORS, EXIT_OK, _echo_line, _fail

@main.command(short_help="What a diagnostic code means, why it matters and how to fix it.")
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="text for the terminal; markdown for the diagnostics reference (docs/diagnostics.md).")
def explain(code: str | None, fmt: str) -> None:
    """Say what a diagnostic code means, why it matters and how to fix it.

    Without CODE, list every code, grouped by family; with a prefix (I, R, C, D, A, or D01),
    list the codes it starts.

    \b
    Examples:
      sdp explain R002
      sdp explain            # every code, by family
      sdp explain A          # the accessibility codes
      sdp explain --format markdown > docs/diagnostics.md

    \b
    Exit status:
      0  explained or listed
      2  no diagnostic has that code (or prefix)
    """
    wanted = "" if code is None else code.strip().upper()
    if is_code(wanted):
        listed = [code_info(wanted)]
    else:
        listed = [info for info in all_codes() if info.code.startswith(wanted)] if wanted or code is None else []
    if not listed:
        close = similar_codes(wanted, prefixes=False)
        hint = f"; {show.did_you_mean(close)}" if close else ""
        _fail(f"no diagnostic has the code '{code}'{hint} ('sdp explain' lists them)")
        return
    if fmt == "markdown":
        click.echo(docs.diagnostics_markdown() if code is None else
                   "\n".join(docs.code_markdown(info) for info in listed), nl=False)
        return
    if is_code(wanted):
        info = listed[0]
        click.echo(f"{info.code} ({info.severity.value} by default): {info.summary}")
        click.echo()
        click.echo(info.explanation)
        return
    _echo_catalogue(listed)


def _echo_catalogue(listed: list) -> None:
    """Codes under their family's heading (Input, Resolution, Coverage, Data quality, Accessibility)."""
    families = [p for p in PREFIXES if any(info.code.startswith(p) for info in listed)]
    for n, prefix in enumerate(families):
        if n:
            click.echo()
        click.echo(f"{docs.family_title(prefix)} ({prefix})")
        for info in listed:
            if info.code.startswith(prefix):
                click.echo(f"  {info.code}  {info.severity.value:<7}  {info.summary}")


@main.command("lint-doc", short_help="Check Word documents against the accessibility rules (A codes).")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
def lint_doc(files: tuple[str, ...]) -> None:
    """Check Word documents against the accessibility rules for publication (A codes).

    Headings in order, tables with a header row, alt text on every image, a title and a
    language (`sdp explain A` lists the rules). Every generated document passes them.

    \b
    Example:
      sdp lint-doc outputs/shared-delivery-plan.docx outputs/partners/*.docx

    \b
    Exit status:
      0  every document passes
      1  a rule is broken (each finding is printed)
      2  a file cannot be read as a Word document
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
