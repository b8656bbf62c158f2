"""`sdp templates`: submission templates (Word and Excel) and the partner guidance."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from typing import TYPE_CHECKING

from . import main
from .common import EXIT_OK, _fail, _load

if TYPE_CHECKING:  # the writers (docx, openpyxl) load only when the command runs
    from ..compilation import Compilation
    from ..present.templates import TemplateContent

GUIDANCE = "partner-guidance.docx"


def template_files(comp: Compilation, content: TemplateContent, partner_id: str | None) -> dict[str, bytes]:
    """File name -> bytes: the Word and Excel templates and the guidance. A partner's templates carry its
    name in the file name, which is how a workbook says who sent it."""
    from ..present.guidance import guidance_document
    from ..present.templates import word_template
    from ..text import slug
    from ..writers.docx import render_docx
    from ..writers.templates_xlsx import template_workbook

    stem = f"{slug(content.partner)}-submission" if content.partner else "submission-template"
    reference = comp.rules.reference_docx
    return {f"{stem}.docx": render_docx(word_template(content), reference),
            f"{stem}.xlsx": template_workbook(content),
            GUIDANCE: render_docx(guidance_document(comp), reference)}


@main.command(short_help='Submission templates and partner guidance from the rules.')
@click.argument("inputs", default="inputs", type=click.Path(file_okay=False))
@click.option("--rules", "rules_dir", default="rules", show_default=True, type=click.Path(file_okay=False),
              help="The rules folder (outcomes, partners, places, synonyms, checks).")
@click.option("-o", "--output", "output", default="templates", show_default=True, type=click.Path(file_okay=False),
              help="Where the templates and the guidance are written.")
@click.option("--partner", "partner_id", default=None, metavar="ID",
              help="Pre-fill the templates for this partner (its ID in rules/partners.toml).")
def templates(inputs: str, rules_dir: str, output: str, partner_id: str | None) -> None:
    """Write Word and Excel submission templates and the partner guidance.

    The inputs are compiled first: the templates offer the strategies and
    logframe measures the plan knows, with the outcomes, priorities, partners
    and headings of the rules.

    \b
    Example:
      sdp templates -o templates --partner PARTNER-ID
    \b
    Exit status:
      0  written
      2  could not run (unreadable rules, no inputs, unknown partner,
         folder not writable)
    """
    from ..present.templates import UnknownPartner, template_content

    comp = _load(inputs, rules_dir, strict=False)
    try:
        content = template_content(comp, partner_id)
    except UnknownPartner:
        ids = [p.id for p in comp.rules.partners]
        close = difflib.get_close_matches(partner_id or "", ids, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else " (rules/partners.toml lists them)"
        _fail(f"--partner: no partner has the ID '{partner_id}'{hint}")
        raise  # unreachable
    files = template_files(comp, content, partner_id)
    folder = Path(output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    click.echo(f"sdp: wrote {', '.join(files)} to {output}/ ({len(content.strategies)} strategies, "
               f"{len(content.indicators)} measures offered)", err=True)
    sys.exit(EXIT_OK)
