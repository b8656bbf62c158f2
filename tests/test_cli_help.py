"""Help that reads well: every command's --help has an example and its exit status one code a line;
`sdp --help` gives every command one whole line; `sdp explain` lists the codes under family headings."""

from __future__ import annotations

import re

import pytest

from compiler.cli import main
from compiler.codes import PREFIXES, all_codes
from tests.conftest import run_sdp

COMMANDS = sorted(main.commands)
FAMILIES = ["Input (I)", "Resolution (R)", "Coverage (C)", "Data quality (D)", "Accessibility (A)"]


def test_the_commands_of_today_are_all_there():
    assert {"check", "compile", "explain", "lint-doc"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example_and_the_exit_status_one_code_a_line(command):
    proc = run_sdp(command, "--help")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    example = next((i for i, line in enumerate(lines) if re.match(r"^\s+Examples?:$", line)), None)
    assert example is not None, f"`sdp {command} --help` has no 'Example:' block:\n{proc.stdout}"
    assert re.match(rf"^\s+sdp {command}\b", lines[example + 1]), f"the example is not an `sdp {command}` line"
    status = next((i for i, line in enumerate(lines) if re.match(r"^\s+Exit status:$", line)), None)
    assert status is not None, f"`sdp {command} --help` has no 'Exit status:' block:\n{proc.stdout}"
    codes = []
    for line in lines[status + 1:]:
        m = re.match(r"^\s+([0-2])\s{2}\S", line)
        if not m:
            break
        codes.append(m.group(1))
    assert codes[0] == "0" and "2" in codes and codes == sorted(set(codes)), (
        f"`sdp {command} --help`: exit codes {codes}, each on its own line, 0 first:\n{proc.stdout}")


@pytest.mark.parametrize("command", [""] + COMMANDS)
def test_help_fits_an_80_column_terminal(command):
    proc = run_sdp(*([command] if command else []), "--help")
    long = [line for line in proc.stdout.splitlines() if len(line) > 80]
    assert not long, f"`sdp {command} --help` lines over 80 columns: {long}"


def test_top_level_help_lists_every_command_with_its_whole_one_liner():
    proc = run_sdp("--help")
    assert proc.returncode == 0
    listing = proc.stdout.split("Commands:\n")[1]
    rows = dict(re.findall(r"^  (\S+)\s+(.+)$", listing, re.M))
    assert sorted(rows) == COMMANDS
    for name, text in rows.items():
        command = main.commands[name]
        assert command.short_help, f"`{name}` has no short_help, so click cuts its docstring"
        assert text == command.short_help, f"`{name}`: click shortened {command.short_help!r} to {text!r}"
        assert not text.endswith("..."), text
    assert "Exit status" in proc.stdout and "Example" in proc.stdout


def test_explain_lists_the_catalogue_grouped_by_family():
    proc = run_sdp("explain")
    assert proc.returncode == 0, proc.stderr
    headings = [line for line in proc.stdout.splitlines() if line and not line.startswith(" ")]
    assert headings == FAMILIES
    family = None
    seen = []
    for line in proc.stdout.splitlines():
        if line in FAMILIES:
            family = line[-2]
        elif line.strip():
            code = line.split()[0]
            assert code[0] == family, f"{code} listed under {family}"
            seen.append(code)
    assert seen == [i.code for prefix in PREFIXES for i in all_codes() if i.code.startswith(prefix)]
    assert set(PREFIXES) == {f[-2] for f in FAMILIES}


def test_explain_a_prefix_lists_only_its_family():
    proc = run_sdp("explain", "D01")
    lines = proc.stdout.splitlines()
    assert lines[0] == "Data quality (D)"
    assert [line.split()[0] for line in lines[1:]] == [i.code for i in all_codes() if i.code.startswith("D01")]


def test_explain_one_code_in_markdown():
    proc = run_sdp("explain", "r002", "--format", "markdown")
    assert proc.returncode == 0
    assert proc.stdout.startswith("### R002\n") and "**How to fix it:**" in proc.stdout
