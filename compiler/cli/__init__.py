"""The `sdp` command line. It only wires the pipeline stages together.

One module per command family (`compile.py`: compile and check; `explain.py`:
explain and lint-doc; `diff.py`: diff; `extract.py`: extract; `templates.py`: templates); each registers its
commands on `main` when imported.
"""

from __future__ import annotations

import atexit
import gc
import sys

import click

from .. import __version__


# At exit, the interpreter's last garbage collections would walk the whole heap (a compile's plan and
# everything built from it) to free it object by object, 0.1-0.3 s for the sample; frozen, it is left
# to the operating system, which frees the process's memory at once. Registered first, so it runs after
# every other exit handler (multiprocessing's, tempfile's), and only when the process ends.
atexit.register(gc.freeze)

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class SdpGroup(click.Group):
    """The command group, with Ctrl-C handled as a user expects: one plain line, exit 130.

    Click would print "Aborted!" and exit 1. The output folder is replaced in one step
    (writers/transaction.py), so an interrupted compile has left the previous outputs whole; the
    worker processes ignore the interrupt and are stopped by the parent, so none prints a traceback.
    """

    def main(self, *args, **kwargs):
        kwargs.pop("standalone_mode", None)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except (KeyboardInterrupt, click.exceptions.Abort):
            click.echo("\nsdp: interrupted; previous outputs unchanged", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=SdpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdp")
def main() -> None:
    """sdp: compile partners' Word and Excel submissions into a Shared Delivery Plan.

    \b
    Examples (run from a folder holding inputs/ and rules/):
      sdp compile            # read inputs/, write outputs/
      sdp check              # diagnostics only, nothing written
      sdp explain R002       # what a diagnostic means and how to fix it
      sdp diff OLD NEW       # what changed between two compiled plans
      sdp extract --topic obesity   # the plan's work on one agenda item
      sdp templates          # submission templates and partner guidance
      sdp COMMAND --help     # a command's options, examples and exit status

    \b
    Exit status (every command):
      0  done, no errors
      1  done, with error diagnostics
      2  could not run

    The guide is in docs/ (start with docs/getting-started.md).
    """


from . import compile as _compile  # noqa: E402,F401  (commands register themselves on main) # pyflakes: ignore
from . import explain as _explain  # noqa: E402,F401
from . import diff as _diff  # noqa: E402,F401
from . import extract as _extract  # noqa: E402,F401
from . import templates as _templates  # noqa: E402,F401

if __name__ == "__main__":
    main()
