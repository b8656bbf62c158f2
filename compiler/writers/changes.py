"""changes.docx, changes.md and changes.json: the change report against an earlier compile.

Written by `sdp diff OLD NEW`, and by `sdp compile --previous OLD` beside the other artefacts: the
compile reads OLD before the output folder is replaced (OLD may be that folder) and hands it to this
writer in the write context (`with_previous`). Without a previous plan the writer writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from ..changes import compare, dumps
from ..compilation import Compilation
from ..present.changes import change_document
from . import WriteContext, register
from .docx import render_docx
from .markdown import render_markdown
from .plan_json import plan_document

NAME = "changes"
FILES = ("changes.docx", "changes.md", "changes.json")


@dataclass
class PreviousPlanContext(WriteContext):
    """A write context that carries the earlier compile's plan.json (as loaded)."""

    previous: dict | None = None


def with_previous(ctx: WriteContext, previous: dict | None,
                  only: list[str] | None) -> tuple[WriteContext, list[str] | None]:
    """The context and artefact selection for a compile that also writes the change report."""
    if previous is None:
        return ctx, only
    carried = {f.name: getattr(ctx, f.name) for f in fields(ctx) if f.init}
    return PreviousPlanContext(**carried, previous=previous), (None if only is None else [*only, NAME])


def change_artefacts(report: dict, old: dict, new: dict, reference: Path | None) -> dict[str, bytes]:
    """The report's three files, by name."""
    doc = change_document(report, old, new)
    return {"changes.docx": render_docx(doc, reference), "changes.md": render_markdown(doc),
            "changes.json": dumps(report)}


@register(NAME, "changes.docx, .md and .json: what changed since the compile named by --previous")
def write_changes(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    previous = getattr(ctx, "previous", None)
    if previous is None:
        return {}
    new = plan_document(comp.plan, comp.rules, comp.progress)
    report = compare(previous, new, comp.rules.thresholds.same_action)
    return change_artefacts(report, previous, new, ctx.reference_docx)
