"""logframe-matrix.xlsx: the writer's registration; the workbook is built in logframe_workbook.py.

Kept apart so that listing the writers (every compile does) does not import openpyxl: only the
worker that writes the workbook does.
"""

from __future__ import annotations

from ..compilation import Compilation
from . import register

FILENAME = "logframe-matrix.xlsx"


@register("logframe-xlsx", "logframe-matrix.xlsx: Appendix 2 for analysts, every indicator with trends and charts", large=True)
def write_logframe_xlsx(comp: Compilation, ctx) -> dict[str, bytes]:  # noqa: ARG001 - the writer's signature
    from .logframe_workbook import logframe_workbook

    return {FILENAME: logframe_workbook(comp)}
