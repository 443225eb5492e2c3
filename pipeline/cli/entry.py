"""The `taxotag` command's entry point. It imports the command line with Ctrl-C held back, so that a
Ctrl-C pressed while the libraries load (about a second) ends the command with one line once they
have, as it does later, instead of a traceback (an interrupted numpy import even turns it into an
ImportError). A command started with Ctrl-C ignored, as a script's background job is, keeps
ignoring it."""

import signal
import sys

INTERRUPTED = "Interrupted."


def main() -> int:
    pressed: list[int] = []
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, lambda number, frame: pressed.append(number))
    try:
        from .parser import main as run_command
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    try:
        return run_command()  # (it reports a Ctrl-C itself once it runs)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
