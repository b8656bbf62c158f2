"""`sdp diff OLD NEW`, and reading the earlier compile for `sdp compile --previous OLD`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import main
from .common import EXIT_OK, _fail


def read_plan(path: str, what: str) -> dict:
    """A compiled plan (plan.json or an output folder holding one); exit 2 saying why when unreadable."""
    from ..changes import PlanFileError, load_plan

    try:
        return load_plan(path)
    except PlanFileError as exc:
        _fail(f"{what}: {exc}")
        raise  # unreachable


def _threshold(rules_dir: str | None) -> tuple[int, Path | None]:
    """The similarity threshold and house-style document from the rules folder (built-in defaults when
    no folder is given and ./rules does not exist: two plan.json files can be compared anywhere)."""
    from ..ruleset import RulesError, Thresholds, load_rules

    folder = Path(rules_dir) if rules_dir else Path("rules")
    if rules_dir is None and not folder.is_dir():
        return Thresholds().same_action, None
    try:
        rules = load_rules(folder)
    except RulesError as exc:
        _fail(f"the rules in '{folder}' cannot be used:\n  " + "\n  ".join(exc.problems))
        raise  # unreachable
    return rules.thresholds.same_action, rules.reference_docx


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def summary_lines(report: dict) -> list[str]:
    """The report on a terminal: one line per action, measure and strategy change, then the counts."""
    lines = []
    a = report["actions"]
    lines += [f"+ action {x['id']}: {_short(x['text'])}" for x in a["added"]]
    lines += [f"- action {x['id']}: {_short(x['text'])}" for x in a["removed"]]
    for x in a["changed"]:
        was = f" (was {x['old_id']})" if x["old_id"] != x["id"] else ""
        lines.append(f"~ action {x['id']}{was}: {', '.join(f['field'] for f in x['fields'])} changed")
    for kind, label in (("indicators", "measure"), ("strategies", "strategy")):
        part = report[kind]
        lines += [f"+ {label} {x['id']}: {_short(x['name'])}" for x in part["added"]]
        lines += [f"- {label} {x['id']}: {_short(x['name'])}" for x in part["removed"]]
        lines += [f"~ {label} {x['id']}: {', '.join(f['field'] for f in x['fields'])} changed" for x in part["changed"]]
    s = report["summary"]
    lines.append(f"actions: {s['actions_added']} added, {s['actions_removed']} removed, {s['actions_changed']} changed; "
                 f"measures: {s['indicators_added']} added, {s['indicators_removed']} removed, "
                 f"{s['indicators_changed']} changed; strategies: {s['strategies_added']} added, "
                 f"{s['strategies_removed']} removed, {s['strategies_changed']} changed; "
                 f"{s['partners_affected']} partners affected; issues: {s['diagnostics_resolved']} resolved, "
                 f"{s['diagnostics_new']} new")
    return lines


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


@main.command(short_help='What changed between two compiled plans.')
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("-o", "--output", "output", default="changes", show_default=True, type=click.Path(file_okay=False),
              help="The folder changes.docx, changes.md and changes.json are written to.")
@click.option("--rules", "rules_dir", default=None, type=click.Path(file_okay=False),
              help="The rules folder (the similarity threshold, thresholds.same_action, and the house style); "
                   "default ./rules when it exists, else built-in defaults.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="What is printed: a short summary, or the whole report as JSON.")
def diff(old: str, new: str, output: str, rules_dir: str | None, fmt: str) -> None:
    """What changed between two compiled plans (plan.json files or output folders).

    Actions are matched by id and, failing that, by wording, so a re-worded action is changed, not
    removed and added. Writes changes.docx (for members' papers), changes.md and changes.json.

    \b
    Example:
      sdp diff previous/plan.json outputs -o changes

    \b
    Exit status:
      0  compared (whatever the differences)
      2  OLD or NEW cannot be read
    """
    from ..changes import compare, dumps
    from ..writers.changes import change_artefacts

    old_plan, new_plan = read_plan(old, "OLD"), read_plan(new, "NEW")
    threshold, reference = _threshold(rules_dir)
    report = compare(old_plan, new_plan, threshold)
    try:
        write_files(Path(output), change_artefacts(report, old_plan, new_plan, reference))
    except OSError as exc:
        _fail(f"cannot write to '{output}': {exc.strerror or exc}")
    if fmt == "json":
        click.echo(dumps(report).decode("utf-8"), nl=False)
    else:
        for line in summary_lines(report):
            click.echo(line)
        click.echo(f"sdp: compared {old} with {new} -> {output}/changes.docx, changes.md, changes.json", err=True)
    sys.exit(EXIT_OK)
