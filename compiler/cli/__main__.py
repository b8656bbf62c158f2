"""`python -m compiler.cli`: the same as the `sdp` command."""

from . import main

main(prog_name="sdp")
