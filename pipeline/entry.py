"""The `taxotag` command's entry point. It imports the command line only when it runs, so that a
Ctrl-C pressed while the libraries load (about a second) ends the command with one line, as it
does later, instead of a traceback of the imports."""

import sys


def main() -> int:
    try:
        from pipeline.cli import main as run_command

        return run_command()  # (it reports a Ctrl-C itself once it runs)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
