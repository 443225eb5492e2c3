"""How text is shown in reports and messages: white space made single, titles cut to a line."""

from __future__ import annotations


def normalise(text: str) -> str:
    """A matched cue as reports show it: runs of white space as one space."""
    return " ".join(text.split())


def short_title(title: str, width: int = 100) -> str:
    """A title as one line of a report: normalised, cut to `width` characters with an ellipsis."""
    title = normalise(title)
    return title if len(title) <= width else title[:width - 1] + "…"
