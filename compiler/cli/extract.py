"""`sdp extract`: the part of the plan on one agenda item, as a short Word document and Markdown."""

from __future__ import annotations

import difflib
import json
import sys
from datetime import datetime
from pathlib import Path

import click

from . import main
from .common import EXIT_OK, _fail, _load
from .diff import _short


def _plan_from_compile(inputs: str, rules_dir: str, as_of: datetime | None) -> tuple[dict, object]:
    from ..writers.plan_json import dumps, plan_document

    comp = _load(inputs, rules_dir, False, as_of)
    return json.loads(dumps(plan_document(comp.plan, comp.rules, comp.progress))), comp.rules


def _rules_if_any(rules_dir: str, explicit: bool):
    """The rules (for topic synonyms and the house style): needed only when the folder is there or named."""
    from ..ruleset import RulesError, load_rules

    if not explicit and not Path(rules_dir).is_dir():
        return None
    try:
        return load_rules(Path(rules_dir))
    except RulesError as exc:
        _fail(f"the rules in '{rules_dir}' cannot be used:\n  " + "\n  ".join(exc.problems))


def _check_id(kind: str, value: str | None, known: list[str]) -> None:
    if value is None or value in known:
        return
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f" (the plan has: {', '.join(known)})"
    _fail(f"--{kind}: the plan has no {kind} '{value}'{hint}")


@main.command(short_help='The part of the plan on one agenda item, as Word and Markdown.')
@click.option("--topic", default=None, metavar="TEXT", help="A subject, e.g. obesity (synonyms from rules/topics.toml).")
@click.option("--outcome", default=None, metavar="ID", help="An outcome, priority or enabler id (as in rules/outcomes.toml).")
@click.option("--partner", default=None, metavar="ID", help="A partner id: the actions it leads or supports.")
@click.option("--place", default=None, metavar="ID", help="A place id: actions delivered there or within it.")
@click.option("--plan", "plan_path", default="outputs", show_default=True, type=click.Path(),
              help="The compiled plan: a plan.json file or an output folder holding one.")
@click.option("--compile", "compile_first", is_flag=True, help="Compile INPUTS with --rules first instead of reading --plan.")
@click.option("--inputs", "inputs", default="inputs", show_default=True, type=click.Path(file_okay=False),
              help="With --compile: the inputs folder.")
@click.option("--rules", "rules_dir", default="rules", show_default=True, type=click.Path(file_okay=False),
              help="The rules folder (topics.toml synonyms; with --compile, all the rules).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="With --compile: the date milestones are judged against, YYYY-MM-DD.")
@click.option("-o", "--output", "output", default="extract.docx", show_default=True, type=click.Path(dir_okay=False),
              help="The Word document to write; the Markdown is written beside it (.md).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="What is printed: a short summary, or the selection as JSON.")
@click.pass_context
def extract(ctx: click.Context, topic: str | None, outcome: str | None, partner: str | None, place: str | None,
            plan_path: str, compile_first: bool, inputs: str, rules_dir: str, as_of: datetime | None,
            output: str, fmt: str) -> None:
    """The part of the plan on one agenda item: actions, strategies and measures.

    Filters combine: an action must meet every one given. A topic matches whole words in an
    action's own wording or a measure it names, with the synonyms in rules/topics.toml
    (obesity finds healthy weight); a strategy on the topic is shown but brings no action in.

    \b
    Example:
      sdp extract --topic obesity -o hwb-obesity.docx
      sdp extract --partner PARTNER-ID --place PLACE-ID --plan outputs/plan.json

    \b
    Exit status:
      0  written (even when nothing matches)
      2  bad arguments or an unreadable plan
    """
    from ..extract import Query, select, topic_terms
    from ..present.extract import extract_document
    from ..writers.docx import render_docx
    from ..writers.markdown import render_markdown
    from .diff import read_plan

    query = Query(topic=topic.strip() if topic and topic.strip() else None, outcome=outcome, partner=partner,
                  place=place)
    if not query.given():
        _fail("say what to extract: --topic, --outcome, --partner and/or --place ('sdp extract --help')")
    if compile_first:
        plan, rules = _plan_from_compile(inputs, rules_dir, as_of)
    else:
        plan = read_plan(plan_path, "--plan")
        explicit = ctx.get_parameter_source("rules_dir") is not click.core.ParameterSource.DEFAULT
        rules = _rules_if_any(rules_dir, explicit)
    _check_id("outcome", outcome, [o["id"] for o in plan.get("outcomes", [])]
              + [p["id"] for o in plan.get("outcomes", []) for p in o.get("priorities", [])]
              + [e["id"] for e in plan.get("enablers", [])])
    _check_id("partner", partner, [p["id"] for p in plan.get("partners", [])])
    _check_id("place", place, [p["id"] for p in plan.get("places", [])])
    terms = topic_terms(query.topic, rules.topics if rules else []) if query.topic else None
    result = select(plan, query, terms)
    doc = extract_document(result, plan)
    out = Path(output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(render_docx(doc, rules.reference_docx if rules else None))
        out.with_suffix(".md").write_bytes(render_markdown(doc))
    except OSError as exc:
        _fail(f"cannot write '{output}': {exc.strerror or exc}")
    if fmt == "json":
        click.echo(json.dumps({"query": {"topic": query.topic, "outcome": outcome, "partner": partner, "place": place},
                               "terms": list(terms.terms) if terms else [], **result.ids(), "why": result.why},
                              ensure_ascii=False, indent=2))
    else:
        if terms is not None and not terms.topics:
            click.echo(f"sdp: note: no topic in the rules lists '{query.topic}'; looked for it as written", err=True)
        for a in result.actions:
            click.echo(f"{a['id']}: {_short(a.get('text') or '')}")
        ids = result.ids()
        click.echo(f"sdp: extract {'; '.join(x for x in (topic, outcome, partner, place) if x)}: "
                   f"{len(ids['actions'])} actions, {len(ids['strategies']) + len(ids['linked_strategies'])} strategies, "
                   f"{len(ids['indicators']) + len(ids['linked_indicators'])} measures -> {out}, "
                   f"{out.with_suffix('.md')}", err=True)
    sys.exit(EXIT_OK)
