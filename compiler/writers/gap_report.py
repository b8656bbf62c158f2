"""The gap report for reviewers: gap-report.html, gap-report.json and gap-report.md.

All three render one presentation (`compiler.present.gap_report`): the JSON is
the data itself; HTML and Markdown come from Jinja2 templates in
compiler/templates (HTML autoescaped). Same inputs and rules, same bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from ..compilation import Compilation
from ..diagnostics_render import did_you_mean, md_escape
from ..present.gap_report import SEVERITIES, SEVERITY_LABELS, report_data, report_view
from . import WriteContext, register

if TYPE_CHECKING:
    import jinja2

HTML = "gap-report.html"
JSON = "gap-report.json"
MARKDOWN = "gap-report.md"

# --------------------------------------------------------------------------- rendering

@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The templates' environment; jinja2 imported here, in the worker that writes the report, not in
    every compile's parent process (which imports every writer module to list them)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("compiler", "templates"),
        autoescape=lambda name: name is None or not name.endswith(".md.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["did_you_mean"] = did_you_mean
    return env


def render_html(data: dict) -> str:
    return environment().get_template("gap-report.html.j2").render(data=data, view=report_view(data))


def render_markdown(data: dict) -> str:
    view = report_view(data)
    groups = []
    for sev in SEVERITIES:
        rows = [r for r in view["rows"] if r["severity"] == sev]
        if not rows:
            continue
        by_partner: dict[str, list[dict]] = {}
        for r in sorted(rows, key=lambda r: (r["partner_name"] == "", r["partner_name"].casefold(), r["index"])):
            by_partner.setdefault(r["partner_name"] or "No partner (plan-wide)", []).append(r)
        groups.append({"severity": sev, "label": SEVERITY_LABELS[sev], "count": len(rows),
                       "partners": list(by_partner.items())})
    return environment().get_template("gap-report.md.j2").render(data=data, view=view, groups=groups)


def json_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("_")}


def dumps_lines(document: dict) -> str:
    """JSON with one key per line at the top and one list item per line below it: readable, diffable,
    and fast (each item is encoded by the C encoder, which an indented dump would not use)."""
    def value(v: object, indent: str) -> str:
        if isinstance(v, dict) and v:
            inner = indent + "  "
            items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {value(x, inner)}" for k, x in v.items()]
            return "{\n" + ",\n".join(items) + "\n" + indent + "}"
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            inner = indent + "  "
            return "[\n" + ",\n".join(inner + json.dumps(x, ensure_ascii=False) for x in v) + "\n" + indent + "]"
        return json.dumps(v, ensure_ascii=False)

    return value(document, "") + "\n"


def write_gap_report(comp: Compilation, ctx: WriteContext) -> dict[str, bytes]:
    data = report_data(comp)
    html = render_html(data)
    markdown = render_markdown(data)
    document = dumps_lines(json_data(data))
    return {
        HTML: html.encode("utf-8"),
        JSON: document.encode("utf-8"),
        MARKDOWN: markdown.encode("utf-8"),
    }


register("gap-report", "gap-report.html, .json and .md: coverage and every diagnostic, for reviewers")(write_gap_report)
