"""The user guide in docs/: generated parts that cannot drift, links that resolve, commands that run.

The diagnostics reference (docs/diagnostics.md) and the generated sections of the other pages
(header synonyms, date and value forms, the keys of every rules file) are rendered by
compiler.docs from the code table, the loader and the default rules. A committed page that
differs from what the code renders fails here; after an intended change rewrite the pages with

    pytest tests/test_docs.py --update-snapshots
    git diff -- docs

A newcomer reading only docs/ must be able to compile the fictional system: the commands the
getting-started page gives for it are run as written, and the artefacts it lists are checked
against what the compile wrote.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import tomllib
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from compiler import docs
from compiler import ruleset as rs
from compiler.codes import CodeInfo, all_codes
from compiler.diagnostics import Severity
from compiler.ruleset import RulesError, load_rules
from tests.conftest import REPO, run_sdp

DOCS = REPO / "docs"
PAGES = ["getting-started.md", "writing-a-submission.md", "diagnostics.md", "configuring.md", "contracts.md",
         "security.md"]
UPDATE_HINT = ("Rerun with `pytest tests/test_docs.py --update-snapshots` to regenerate the docs, then review "
               "the change with `git diff -- docs` before committing it.")


# --------------------------------------------------------------------------- generated parts

@pytest.mark.parametrize("name", PAGES)
def test_pages_exist_and_are_linked_from_the_readme(name):
    assert (DOCS / name).is_file(), f"docs/{name} is missing"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"(docs/{name})" in readme, f"README.md does not link docs/{name}"


def test_generated_docs_match_the_code(update_snapshots):
    """Every generated page or section is what compiler.docs renders now from the code and rules/."""
    stale = []
    for page, expected in docs.render_docs(DOCS, REPO / "rules").items():
        actual = page.read_text(encoding="utf-8") if page.exists() else ""
        if actual == expected:
            continue
        if update_snapshots:
            page.write_text(expected, encoding="utf-8", newline="\n")
            continue
        rel = page.relative_to(REPO).as_posix()
        diff = difflib.unified_diff(actual.splitlines(), expected.splitlines(), f"{rel} (committed)",
                                    f"{rel} (generated now)", lineterm="", n=1)
        stale.append("\n".join(list(diff)[:60]))
    if stale:
        pytest.fail("the docs disagree with the code:\n" + "\n\n".join(stale) + f"\n\n{UPDATE_HINT}", pytrace=False)


def test_every_page_with_generated_sections_is_filled():
    """A marker must name a section the generator knows (a typo would leave the section empty)."""
    sections = docs.generated_sections(REPO / "rules")
    for page in DOCS.glob("*.md"):
        for name in re.findall(r"<!-- generated: ([a-z0-9-]+) -->", page.read_text(encoding="utf-8")):
            assert name in sections, f"{page.name}: no generated section is called {name!r}"
    used = " ".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    for name in sections:
        assert f"<!-- generated: {name} -->" in used, f"the generated section {name!r} appears in no page"


def test_explain_markdown_prints_the_diagnostics_reference():
    proc = run_sdp("explain", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (DOCS / "diagnostics.md").read_text(encoding="utf-8"), (
        "docs/diagnostics.md is not `sdp explain --format markdown`. " + UPDATE_HINT)


def test_the_reference_has_every_code_with_severity_summary_and_what_why_fix():
    page = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    entries = dict(re.findall(r"^### ([A-Z]\d{3})\n(.*?)(?=^### |^## |\Z)", page, re.S | re.M))
    assert sorted(entries) == [i.code for i in all_codes()]
    for info in all_codes():
        entry = entries[info.code]
        assert f"default severity: *{info.severity.value}*" in entry, info.code
        assert docs.md_text(info.summary) in entry, info.code
        for part in ("What it finds", "Why it matters", "How to fix it"):
            assert f"**{part}:**" in entry, f"{info.code}: no '{part}' in its entry"
    families = re.findall(r"^## ([A-Z]): (.+)$", page, re.M)
    assert families == [("I", "Input"), ("R", "Resolution"), ("C", "Coverage"), ("D", "Data quality"),
                        ("A", "Accessibility")]


def test_a_new_code_appears_in_the_reference_without_editing_the_page():
    new = CodeInfo("D099", Severity.WARNING, "a check added later", "What it finds: x <y>.\nWhy it matters: z.\n"
                   "How to fix it: use `a_b` and fix c_d.")
    page = docs.diagnostics_markdown(all_codes() + [new])
    assert "### D099" in page and "| [D099](#d099) | warning | a check added later |" in page
    assert r"x \<y\>." in page, "prose is escaped for Markdown"
    assert "`a_b`" in page and r"c\_d" in page, "code spans are kept as written"


def test_the_synonyms_table_lists_every_header_word_of_the_default_rules():
    page = (DOCS / "writing-a-submission.md").read_text(encoding="utf-8")
    section = page.split("<!-- generated: header-synonyms -->")[1].split("<!-- end generated -->")[0]
    headers = tomllib.loads((REPO / "rules" / "headers.toml").read_text(encoding="utf-8"))
    for kind, names in headers.items():
        assert f"(`[{kind}]`)" in section, kind
        for field_name, words in names.items():
            row = next((line for line in section.splitlines() if line.startswith(f"| `{field_name}` |")
                        and all(f"`{w}`" in line for w in words)), None)
            assert row is not None, f"[{kind}] {field_name}: not every synonym is listed"


def test_every_header_field_and_rules_key_is_described():
    missing = [f"{kind}.{f}" for kind, names in rs.HEADER_FIELDS.items() for f in names
               if f"{kind}.{f}" not in docs.FIELD_NOTES]
    for entries in docs.RULES_LAYOUT.values():
        for name, kind, _ in entries:
            if is_dataclass(kind):
                classes = [kind] + [t for f in fields(kind) for t in _item_dataclasses(kind, f.name)]
                missing += [f"{c.__name__}.{f.name}" for c in classes for f in fields(c)
                            if f"{c.__name__}.{f.name}" not in docs.KEY_NOTES]
            elif kind is not dict and name not in docs.KEY_NOTES:
                missing.append(name)
    assert not missing, f"compiler/docs.py has no description for: {missing}"


def _item_dataclasses(cls, name):
    import typing

    args = typing.get_args(typing.get_type_hints(cls)[name])
    return [a for a in args if is_dataclass(a)]


@pytest.mark.parametrize("file", rs.RULE_FILES)
def test_the_documented_sections_are_the_ones_the_loader_accepts(tmp_path, file):
    """An unknown top-level key makes the loader list the ones it accepts: those are the documented ones."""
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "tests" / "fictional" / "rules", rules)
    path = rules / file
    path.write_text("zzzz = 1\n" + (path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(rules)
    problem = next(p for p in info.value.problems if p.startswith(f"{file}: zzzz:"))
    accepted = set(re.search(r"\(expected: (.*)\)", problem).group(1).split(", "))
    documented = {name.strip("[]") for name, _, _ in docs.RULES_LAYOUT[file]}
    assert documented == accepted, f"{file}: the loader accepts {sorted(accepted)}, docs list {sorted(documented)}"


@pytest.mark.parametrize("file", rs.RULE_FILES)
def test_the_files_documented_optional_are_the_ones_the_loader_does_without(tmp_path, file):
    copy = Path(shutil.copytree(REPO / "tests" / "fictional" / "rules", tmp_path / "rules"))
    (copy / file).unlink()
    try:
        load_rules(copy)
        optional = True
    except RulesError:
        optional = False
    assert optional == (file in docs.OPTIONAL_FILES), f"{file}: the loader {'does' if optional else 'does not'} do without it"


# --------------------------------------------------------------------------- links and commands

def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    out = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


@pytest.mark.parametrize("page", ["README.md"] + [f"docs/{p}" for p in PAGES])
def test_links_resolve(page):
    path = REPO / page
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        assert dest.exists(), f"{page}: link to {target}: {dest} does not exist"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest.read_text(encoding="utf-8")), f"{page}: no heading for #{anchor} in {file}"


def _commands_in(text: str) -> list[str]:
    """The sdp commands in a page's indented code lines, as typed."""
    return [line.strip() for line in text.splitlines()
            if re.match(r"^ {4,}(\.venv/bin/)?sdp [a-z]", line)]


@pytest.mark.parametrize("page", PAGES)
def test_pages_use_only_commands_that_exist(page):
    from compiler.cli import main

    for command in _commands_in((DOCS / page).read_text(encoding="utf-8")):
        name = shlex.split(command)[1]
        assert name in main.commands, f"docs/{page} runs `{command}`, but sdp has no command {name!r}"
        proc = run_sdp(*shlex.split(command)[1:2], "--help")
        assert proc.returncode == 0


def test_partial_compiles_in_the_guide_go_to_their_own_folder():
    """`--only` leaves only its artefacts in the folder it writes: a guide that ran it on outputs/
    would have the officer lose the plan just before `lint-doc` (found following the guide)."""
    for page in PAGES:
        for command in _commands_in((DOCS / page).read_text(encoding="utf-8")):
            args = shlex.split(command)
            if "--only" in args:
                assert "-o" in args and args[args.index("-o") + 1] != "outputs", f"docs/{page}: `{command}`"


def test_a_newcomer_can_compile_the_fictional_system_from_getting_started(tmp_path):
    """The page's command for the fictional system, run as written (output redirected), writes every
    artefact the page's table lists."""
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    command = next(c for c in _commands_in(page) if "tests/fictional/inputs" in c and " compile " in f" {c} ")
    args = shlex.split(command)[1:]
    out = tmp_path / "out"
    args[args.index("-o") + 1] = str(out)
    args = [str(REPO / a) if a.startswith("tests/") else a for a in args]
    proc = run_sdp(*args)
    assert proc.returncode == 0, f"`{command}` exited {proc.returncode}\n{proc.stderr[-2000:]}"
    table = page.split("## 4. What is written")[1].split("\n## ")[0]
    listed = re.findall(r"^\| `([^`]+)`(?:, `([^`]+)`)? \|", table, re.M)
    names = [n for pair in listed for n in pair if n]
    assert len(names) >= 9, names
    for name in names:
        if "<" in name:
            folder = name.split("/")[0]
            assert any((out / folder).iterdir()), f"{folder}/ is empty"
        else:
            assert (out / name).is_file(), f"getting-started lists {name}, which the compile did not write"
    summary = re.search(r"sdp: compiled (\d+) submissions, (\d+) actions, (\d+) indicators", page)
    assert summary and summary.groups() == re.search(r"sdp: compiled (\d+) submissions, (\d+) actions, "
                                                     r"(\d+) indicators", proc.stderr).groups(), \
        "the summary line quoted in getting-started is the fictional system's"


def test_the_terminal_lines_quoted_in_getting_started_are_real(tmp_path):
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    quoted = [line.strip() for line in page.splitlines() if re.match(r"^ {4}(tests/fictional/\S+: |warning C)", line)]
    assert len(quoted) == 2
    cwd = os.getcwd()
    try:
        os.chdir(REPO)
        proc = run_sdp("check", "tests/fictional/inputs", "--rules", "tests/fictional/rules")
    finally:
        os.chdir(cwd)
    for line in quoted:
        assert line in proc.stdout.splitlines(), f"getting-started quotes a line sdp check does not print: {line}"
