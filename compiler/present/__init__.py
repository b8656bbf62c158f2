"""Presentation: what each document shows, computed once from the compilation.

Between the plan and the writers, like pandoc's AST between readers and
writers: every document is laid out here, as a `compiler.blocks.Document` (the
plan, the logframe appendix, the partner appendices) or as data (the gap report,
the logframe workbook's columns and series), with the plan's groupings, orders
and value/date formatting decided in one place. Writers only render.

- `format`: values, dates, periods, plurals;
- `common`: names for ids, groupings, the draft note, milestone and measure rows;
- `concerns`: whom and what a diagnostic concerns;
- `plan`, `logframe`, `partners`, `gap_report`: one module per artefact.
"""
