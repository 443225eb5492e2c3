"""The `taxotag` command: the parser, the commands, and the hints that say what to type."""

from .parser import main

__all__ = ["main"]
